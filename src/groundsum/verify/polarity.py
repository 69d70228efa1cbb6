"""Polarity: a claim that says the opposite of its source in the same words.

Negation flips ("agreed" vs "did not agree") and antonym swaps ("accept" vs "reject") keep
nearly all the words of the source, so word overlap alone rates them as supported. A word is
negated when it is one of the first two content words after a negation cue in the same clause.
A flip counts only where claim and source use the word in the same surroundings (another
content word shared nearby), so that a word the source negates in some other clause is no
evidence.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .tokens import Token, stem

NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "cannot"})
# Negates the one word after it: "without explicit supervision", not "without compromising the quality".
NARROW_NEGATIONS = frozenset({"without"})
_SCOPE_WORDS = 2  # content words after a cue that it negates
_SCOPE_REACH = 4  # ... found within this many words
_ANCHOR = 4  # words either side where claim and source must share a content word
# A negation does not reach past these: punctuation, contrasts and the start of a subordinate clause.
CLAUSE_BREAKS = frozenset(
    """. ; : ! ? , but although though while whereas because when if unless until since which who whom where""".split()
)

# Lexical opposites. Verbs of will (accept/refuse, allow/forbid, support/oppose) are not here:
# they combine ("refused to allow" = "opposed"), so ``stance`` compares them by sign instead.
_ANTONYM_WORDS = """agree disagree; increase decrease; before after; win lose;
first last; rise fall; success failure; succeed fail; victory defeat;
true false; higher lower; best worst; strengthen weaken; include exclude; possible impossible;
legal illegal; always never; maximum minimum; positive negative; strong weak; large small;
early late; inside outside; above below; import export; friend enemy; advantage disadvantage;
like dislike; remember forget; buy sell; open close; begin end; start finish; arrive depart;
guilty innocent; alive dead; married divorced; love hate; easy difficult; easier harder;
better worse; gain loss; add remove; raise lower; expand shrink; enter leave; internal external;
majority minority; increase reduce; improve worsen; improve degrade; outperform underperform;
supervised unsupervised; cheap expensive; safe dangerous; peace war; confirm deny;
acquit convict; won lost; rose fell; ally enemy; north south; east west; morning evening""".replace("\n", " ")
# WordNet 3.0's direct antonyms ("explicit"/"implicit", "automatic"/"manual"), written by
# ``python -m training.wordnet_antonyms``. They are many and some are loose ("simple"/"complex"),
# so one counts only when the claim's word is one the source never uses; the list above always counts.
WORDNET_ANTONYMS = Path(__file__).with_name("antonyms_wordnet.txt")


def _by_stem(pairs: Iterable[Sequence[str]]) -> dict[str, frozenset[str]]:
    antonyms: dict[str, frozenset[str]] = {}
    for pair in pairs:
        a, b = (stem(w) for w in pair)
        if a != b:
            antonyms[a] = antonyms.get(a, frozenset()) | {b}
            antonyms[b] = antonyms.get(b, frozenset()) | {a}
    return antonyms


ANTONYMS = _by_stem(pair.split() for pair in _ANTONYM_WORDS.split(";"))
WORDNET = _by_stem(
    line.split() for line in WORDNET_ANTONYMS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
)


@dataclass(frozen=True, slots=True)
class Polarity:
    """For each content stem of a text: where it occurs negated, and where plainly."""

    negated: dict[str, list[tuple[int, int]]]  # stem → (token index, index of its negation cue)
    plain: dict[str, list[int]]


def is_cue(tokens: Sequence[Token], i: int) -> bool:
    if tokens[i].norm not in NEGATIONS:
        return False
    following = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    return not (tokens[i].norm == "not" and following == "only")  # "not only ... but" adds, not negates


def _negatable(token: Token) -> bool:
    """What a negation negates is a verb, noun or adjective; never a name."""
    return token.is_content and token.kind == "word" and not token.capitalized


def polarity(tokens: Sequence[Token]) -> Polarity:
    negated: dict[str, list[tuple[int, int]]] = {}
    plain: dict[str, list[int]] = {}
    words_left = reach_left = 0
    cue = -1
    for i, token in enumerate(tokens):
        if token.norm in CLAUSE_BREAKS:
            words_left = 0
            continue
        if is_cue(tokens, i) or token.norm in NARROW_NEGATIONS:
            words_left = 1 if token.norm in NARROW_NEGATIONS else _SCOPE_WORDS
            reach_left, cue = _SCOPE_REACH, i
            continue
        in_scope = words_left > 0 and reach_left > 0
        if _negatable(token):
            if in_scope:
                negated.setdefault(token.stem, []).append((i, cue))
                words_left -= 1
            else:
                plain.setdefault(token.stem, []).append(i)
        if token.is_wordlike and in_scope:
            reach_left -= 1
    return Polarity(negated, plain)


def _after_cue(tokens: Sequence[Token], i: int) -> bool:
    """Does a negation cue come before ``i`` in its clause (however far)? Such a word may be negated."""
    for j in range(i - 1, -1, -1):
        if tokens[j].norm in CLAUSE_BREAKS:
            return False
        if is_cue(tokens, j):
            return True
    return False


def _surroundings(tokens: Sequence[Token], i: int) -> set[str]:
    low, high = max(0, i - _ANCHOR), min(len(tokens), i + _ANCHOR + 1)
    return {t.stem for t in tokens[low:high] if t.is_content} - {tokens[i].stem}


def _anchored(claim: Sequence[Token], i: int, source: Sequence[Token], j: int) -> bool:
    """Claim and source use the word in the same surroundings: they speak of the same thing."""
    return bool(_surroundings(claim, i) & _surroundings(source, j))


@dataclass(frozen=True, slots=True)
class Flip:
    kind: str  # "negation" | "antonym", and from the other signals "stance" | "comparison" | "certainty"
    claim_word: str  # the claim's word (or phrase) that says the opposite
    source_start: int  # index of the source token the claim contradicts
    source_end: int


def _with_auxiliary(tokens: Sequence[Token], cue: int) -> int:
    """Start of a negated phrase: "did not", "could not" include their auxiliary."""
    return cue - 1 if cue > 0 and tokens[cue].norm == "not" and tokens[cue - 1].kind == "word" else cue


def flips(claim: Sequence[Token], source: Sequence[Token], source_stems: Collection[str] = frozenset()) -> list[Flip]:
    """Negations and antonyms that turn the aligned source around, one per negation cue.

    A word counts only when the source uses it one way throughout the passage (a passage that
    says both "agreed" and "did not agree" contradicts neither reading) and in the same
    surroundings as the claim. ``source_stems`` are the words the whole source uses: a WordNet
    antonym counts only for a claim word outside them.
    """
    mine, theirs = polarity(claim), polarity(source)
    found: dict[tuple[str, int], Flip] = {}
    for word, where in mine.negated.items():
        if word in theirs.negated:
            continue
        for i, cue in where:
            anchored = [
                j for j in theirs.plain.get(word, ()) if not _after_cue(source, j) and _anchored(claim, i, source, j)
            ]
            if anchored:
                found.setdefault(("claim-cue", cue), Flip("negation", claim[i].text, *_phrase(source, anchored[0])))
    for word, plain_at in mine.plain.items():
        if word in theirs.plain:
            continue
        for j, cue in theirs.negated.get(word, ()):
            if any(not _after_cue(claim, i) and _anchored(claim, i, source, j) for i in plain_at):
                key = ("source-cue", cue)
                if key not in found or found[key].source_end < j:  # quote the negated phrase to its last shared word
                    found[key] = Flip("negation", claim[plain_at[0]].text, _with_auxiliary(source, cue), j)
    claim_words = _positions(claim)
    source_words = _positions(source)
    for word in claim_words.keys() - source_words.keys():
        loose = WORDNET.get(word, frozenset()) if word not in source_stems else frozenset()
        for opposite in sorted(ANTONYMS.get(word, frozenset()) | loose):
            if opposite in claim_words:
                continue
            pairs = [
                (i, j)
                for i in claim_words[word]
                for j in source_words.get(opposite, ())
                if _anchored(claim, i, source, j)
            ]
            if pairs:
                i, j = pairs[0]
                found[("antonym", j)] = Flip("antonym", claim[i].text, *_phrase(source, j))
                break
    return list(found.values())


def join_tokens(tokens: Sequence[Token]) -> str:
    """A claim's tokens as words again, for quoting it: punctuation attached to the word before."""
    return "".join(t.text if t.kind in ("punct", "clitic") else " " + t.text for t in tokens).strip()


def _phrase(tokens: Sequence[Token], j: int) -> tuple[int, int]:
    """Token range to quote around ``j``: two words either side, within its clause."""
    start = end = j
    while start > max(0, j - 2) and tokens[start - 1].norm not in CLAUSE_BREAKS:
        start -= 1
    while end < min(len(tokens) - 1, j + 2) and tokens[end + 1].norm not in CLAUSE_BREAKS:
        end += 1
    return start, end


def _positions(tokens: Sequence[Token]) -> dict[str, list[int]]:
    """Stem → indices of its occurrences, for every word (antonyms include "before"/"after")."""
    where: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        if token.kind == "word":
            where.setdefault(token.stem, []).append(i)
    return where
