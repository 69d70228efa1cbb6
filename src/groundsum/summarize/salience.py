"""Sentence signals beyond embeddings, for ranking sentences by how summary-worthy they are.

Each signal is a plain number per sentence, computed once per document with regular
expressions and numpy: what kind of section holds the sentence (introductions and conclusions
state the point; related work and acknowledgements rarely do), how it reads (citation runs,
formulas, figure references, broken-off pieces, overlong sentences), cue phrases that
announce a contribution or a finding, and how central its words are to the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

import numpy as np

from ..vocabulary import FUNCTION_WORDS, Tokenized

SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aside", re.compile(r"acknowledg|appendix|^references?$|bibliograph|ethic|funding|supplement", re.I)),
    ("background", re.compile(r"related work|background|previous work|prior work|literature|preliminar", re.I)),
    ("lead", re.compile(r"introduction|overview|motivation|^summary$|executive summary|^abstract$|^preface", re.I)),
    ("closing", re.compile(r"conclu|summary|discussion|future (work|direction)|outlook|closing|final remarks", re.I)),
)

_NUMBERING = r"(?:[0-9]+(?:\.[0-9]+)*\.?|[A-Z](?:\.[0-9]+)+\.?|[A-Z]\.|[IVX]+\.)\s+"  # "3.1 ", "A.2 ", "IV. "
_HEADING_MARKUP = re.compile(rf"^[#*\s]*(?:{_NUMBERING})?|[#*\s]+$")
_CUE_PHRASES = (  # lower case: cue_starts relies on it; grouped by first letter, so few alternatives are tried
    r"(?:in (?:this (?:paper|work|article|study|report|chapter|thesis|letter|essay|note)|conclusion|summary|short)"
    r"|t(?:his (?:paper|work|article|study|report) (?:presents|proposes|describes|introduces|shows|argues|investigates)"
    r"|o summari[sz]e)"
    r"|we (?:propose|present|introduce|describe|show|demonstrate|find|found|report|argue|develop|investigate"
    r"|explore|study|conclude|address|evaluate|achieve|obtain)"
    r"|(?:results|experiments|findings|evaluations?|analys[ie]s) (?:show|demonstrate|indicate|suggest|reveal|confirm)"
    r"|o(?:utperform|ur (?:main )?contributions?)|s(?:tate[- ]of[- ]the[- ]art|ignificant(?:ly)? (?:better|improve)))\b"
)
_CUE = re.compile(r"\b(?=[itwrefaos])" + _CUE_PHRASES, re.I)
# The only non-ASCII characters that IGNORECASE equates with a cue's characters (checked over all
# code points): "İ", "ı", "ſ" and the Kelvin sign.
_CASE_TWINS = "\u0130\u0131\u017f\u212a"
# Where a cue can start in the text as lower-cased ASCII bytes: after any byte but a letter, digit
# or "_". The pattern opens with a byte class, which the regex engine checks with a bitmap to skip
# ahead, so finding candidates costs far less than trying _CUE (IGNORECASE allows no such skip)
# everywhere.
_CUE_CANDIDATE = re.compile(rb"[\x00-/:-@\[-^`{-\x7f](?=" + _CUE_PHRASES.encode() + b")")
# Citations and figure references, found in one scan: every alternative opens with a literal, so the
# regex engine skips from one of their first characters to the next with a bitmap. A citation is a
# year closing it ("Smith, 2019)", "et al., 2020;") or a numbered one ("[3, 4]"); a figure reference
# ends before its number, so that a year right after it ("Table 2019)") is still found.
_CITATION = (
    r"1(?<!\d.)[89]\d\d[a-z]?(?=[;,)\]])|2(?<!\d.)0\d\d[a-z]?(?=[;,)\]])"  # 1800-2099 not inside a number
    r"|\[\d+(?:\s*[,;–-]\s*\d+)*\]"
)
_FIGURE_WORDS = (r"Fig(?:ure)?s?\.?", "Tables?", r"Eq(?:uation)?s?\.?", "Sections?", "Appendix", "Algorithm")
_MARKERS = re.compile("|".join([_CITATION, *(word + r"\s*(?=\(?[0-9IVX])" for word in _FIGURE_WORDS)]))
_OPENS_CITATION = np.zeros(128, dtype=bool)  # by code point of a match's first character (always ASCII)
_OPENS_CITATION[[ord("1"), ord("2"), ord("[")]] = True
_END_CLOSERS = "\"'”’)]"
_SYMBOLS = "0123456789=+*/^_<>|{}\\~∑∏∈∀∃≤≥±×→←∂∇αβγδεθλμσφωΣΠ%$@#"  # digits and math
_IS_SYMBOL = np.zeros(max(map(ord, _SYMBOLS)) + 2, dtype=bool)  # by code point; the last stands for all above
_IS_SYMBOL[[ord(char) for char in _SYMBOLS]] = True
_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*")
# A word, or (as an empty match of the group) the "\x00" that _KeywordCodes puts between tokens.
_WORD_OR_BREAK = re.compile(rf"({_WORD.pattern})|\x00")

# Words too common in any prose to make a sentence's keyword.
STOPWORDS = FUNCTION_WORDS | frozenset(
    "although among another done let like made make many much often several since two use used using well".split()
)


def zscore(values: np.ndarray) -> np.ndarray:
    """Values in standard deviations from their mean (all 0 when they do not vary)."""
    spread = values.std()
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values)


def section_kind(title: str | None) -> str:
    """lead | closing | background | aside | body, from a section heading's wording."""
    if not title:
        return "body"
    name = heading_text(title)
    for kind, pattern in SECTION_KINDS:
        if pattern.search(name):
            return kind
    return "body"


def heading_text(title: str) -> str:
    """A heading without Markdown marks or numbering: '## 3.1 Results' → 'Results'."""
    return _HEADING_MARKUP.sub("", title.strip()) or title.strip()


def surface_signals(
    text: str, starts: np.ndarray, ends: np.ndarray, words: np.ndarray, pieces: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """How each sentence ``text[starts[i]:ends[i]]`` reads, as float arrays (not yet weighted).

    Sentences must be in text order; ``words`` are their whitespace word counts, ``pieces`` their
    texts if the caller has them already. Each pattern scans the whole text once; its matches are
    counted per sentence with a binary search, which is what keeps long documents cheap.
    """
    if pieces is None:
        pieces = [text[start:end] for start, end in zip(starts.tolist(), ends.tolist())]

    def count(found: np.ndarray) -> np.ndarray:
        owner = np.searchsorted(starts, found, side="right") - 1
        inside = (owner >= 0) & (found < ends[np.maximum(owner, 0)])
        return np.bincount(owner[inside], minlength=len(starts)).astype(np.float64)

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    markers = np.fromiter((match.start() for match in _MARKERS.finditer(text)), dtype=np.int64)
    is_citation = _OPENS_CITATION[codes[markers]]
    symbols, visible = np.zeros((2, len(codes) + 1), dtype=np.int64)  # running counts; index 0 holds 0
    np.cumsum(_IS_SYMBOL.take(codes, mode="clip"), out=symbols[1:])  # code points past the table: its last entry
    np.cumsum(codes > 32, out=visible[1:])
    fragment = [not _ends_sentence(piece) or not (piece[0].isupper() or piece[0] in "\"'“‘([") for piece in pieces]
    return {
        "cue": np.minimum(count(np.array(cue_starts(text), dtype=np.int64)), 2.0),
        "citations": np.minimum(count(markers[is_citation]), 4.0),
        "figure_ref": np.minimum(count(markers[~is_citation]), 2.0),
        "symbols": (symbols[ends] - symbols[starts]) / np.maximum(visible[ends] - visible[starts], 1),
        "fragment": np.array(fragment, dtype=np.float64),
        "long": np.clip((words - 40.0) / 40.0, 0.0, 2.0),
    }


def _ends_sentence(piece: str) -> bool:
    """Does it end in . ! or ? (before closing quotes and brackets, and one final line break)?"""
    if piece.rstrip(_END_CLOSERS).endswith((".", "!", "?")):
        return True
    return piece.endswith("\n") and piece[:-1].rstrip(_END_CLOSERS).endswith((".", "!", "?"))


def cue_starts(text: str) -> list[int]:
    """Where ``_CUE.finditer(text)`` finds matches, found faster.

    A cue starts at a word start, so candidates are the text's start and the positions after a
    non-word character where the text, as lower-cased ASCII, reads like a cue; ``_CUE`` then
    decides each candidate in turn, as ``finditer`` would, so the result is the same. The ASCII
    form has "?" (a non-word byte) for every other character, one byte per character, so it
    loses no cue (``_CUE`` turns away candidates after non-ASCII letters) except those spelt
    with ``_CASE_TWINS``: a text holding any of them takes ``finditer``.
    """
    if any(char in text for char in _CASE_TWINS):
        return [match.start() for match in _CUE.finditer(text)]
    lowered = text.encode("ascii", "replace").lower()
    found: list[int] = []
    end = 0
    for candidate in [0, *(match.end() for match in _CUE_CANDIDATE.finditer(lowered))]:
        if candidate >= end and (match := _CUE.match(text, candidate)):
            found.append(candidate)
            end = match.end()
    return found


def content_term(word: str) -> str | None:
    """A lower-cased word as a keyword (plural folded), or None for stop words and scraps."""
    if len(word) < 3 or word in STOPWORDS:
        return None
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_BREAK = -2  # the term id of the break between two tokens


class _WordTerms(dict):
    """Lower-cased word → its keyword term's id (-1 for none); "" (a break between tokens) → -2."""

    def __init__(self) -> None:
        super().__init__({"": _BREAK})
        self.terms: dict[str, int] = {}  # term → id; ids only tell terms apart

    def __missing__(self, word: str) -> int:
        folded = content_term(word)
        term = self[word] = -1 if folded is None else self.terms.setdefault(folded, len(self.terms))
        return term


class _KeywordCodes:
    """Each token's keyword terms, by token number (a feature of the shared vocabulary).

    A token's code is its term's id, -1 if it has none, or ``-2 - i`` if it has several
    ("and/or"), which are ``several[i]``. A document's new tokens come in one batch: joined by
    "\\x00", lower-cased and split into words in one pass.
    """

    def __init__(self) -> None:
        self.size = 0
        self.codes = np.zeros(1 << 12, dtype=np.int64)  # replaced by a larger copy as it fills
        self.several: list[list[int]] = []
        self._word_terms = _WordTerms()

    def extend(self, tokens: list[str]) -> None:
        words = _WORD_OR_BREAK.findall("\x00".join(tokens).lower())
        found = np.fromiter(map(self._word_terms.__getitem__, words), dtype=np.int64, count=len(words))
        owner = np.cumsum(found == _BREAK)  # the token each word belongs to
        stride = len(self._word_terms.terms) + 1
        pairs = np.unique(owner[found >= 0] * stride + found[found >= 0])  # each token's distinct terms
        owner, term = np.divmod(pairs, stride)
        per_token = np.bincount(owner, minlength=len(tokens))
        codes = np.where(per_token == 1, 0, -1)
        single = per_token[owner] == 1
        codes[owner[single]] = term[single]
        for token in np.flatnonzero(per_token > 1).tolist():
            first = int(np.searchsorted(owner, token))
            self.several.append(term[first : first + per_token[token]].tolist())
            codes[token] = -1 - len(self.several)
        end = self.size + len(tokens)
        if end > len(self.codes):
            self.codes = np.concatenate([self.codes[: self.size], np.zeros(max(end, 2 * len(self.codes)), np.int64)])
        self.codes[self.size : end] = codes
        self.size = end


def keyword_centrality(tokenized: Tokenized) -> np.ndarray:
    """How much of each sentence is made of words the whole text keeps coming back to.

    A term weighs ``log(number of sentences using it)``; a sentence scores the sum over its
    distinct terms divided by the square root of their number, so neither long nor tiny
    sentences win by length alone. (A word never spans whitespace, so a sentence's terms are
    those of its whitespace tokens.)
    """
    keywords = tokenized.feature("keywords", _KeywordCodes)
    codes, several = keywords.codes[tokenized.numbers], keywords.several
    owners = np.repeat(np.arange(len(tokenized.counts)), tokenized.counts)
    single = codes >= 0
    terms, term_owners = codes[single], owners[single]
    if (multiple := np.flatnonzero(codes < -1)).size:
        groups = [several[-2 - code] for code in codes[multiple].tolist()]
        terms = np.concatenate([terms, np.fromiter(chain.from_iterable(groups), dtype=np.int64)])
        term_owners = np.concatenate([term_owners, np.repeat(owners[multiple], list(map(len, groups)))])
    if not terms.size:
        return np.zeros(len(tokenized.counts))
    stride = int(terms.max()) + 1
    pairs = np.sort(term_owners * stride + terms)
    distinct = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # each sentence's distinct terms
    sentence, term = np.divmod(distinct, stride)
    weight = np.log(np.bincount(term)[term])  # 0 for one-off terms
    total = np.bincount(sentence, weights=weight, minlength=len(tokenized.counts))
    return total / np.sqrt(np.maximum(np.bincount(sentence, minlength=len(tokenized.counts)), 1))
