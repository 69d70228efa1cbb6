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

import numpy as np

SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aside", re.compile(r"acknowledg|appendix|^references?$|bibliograph|ethic|funding|supplement", re.I)),
    ("background", re.compile(r"related work|background|previous work|prior work|literature|preliminar", re.I)),
    ("lead", re.compile(r"introduction|overview|motivation|^summary$|executive summary|^abstract$|^preface", re.I)),
    ("closing", re.compile(r"conclu|summary|discussion|future (work|direction)|outlook|closing|final remarks", re.I)),
)

_NUMBERING = r"(?:[0-9]+(?:\.[0-9]+)*\.?|[A-Z](?:\.[0-9]+)+\.?|[A-Z]\.|[IVX]+\.)\s+"  # "3.1 ", "A.2 ", "IV. "
_HEADING_MARKUP = re.compile(rf"^[#*\s]*(?:{_NUMBERING})?|[#*\s]+$")
_CUE = re.compile(
    r"\b(?=[itwrefaos])(?:in this (?:paper|work|article|study|report|chapter|thesis|letter|essay|note)"
    r"|this (?:paper|work|article|study|report) (?:presents|proposes|describes|introduces|shows|argues|investigates)"
    r"|we (?:propose|present|introduce|describe|show|demonstrate|find|found|report|argue|develop|investigate"
    r"|explore|study|conclude|address|evaluate|achieve|obtain)"
    r"|(?:results|experiments|findings|evaluations?|analys[ie]s) (?:show|demonstrate|indicate|suggest|reveal|confirm)"
    r"|outperform|state[- ]of[- ]the[- ]art|significant(?:ly)? (?:better|improve)"
    r"|in (?:conclusion|summary|short)|to summari[sz]e|our (?:main )?contributions?)\b",
    re.I,
)
# A year closing a citation ("Smith, 2019)", "et al., 2020;") or a numbered one ("[3, 4]").
_CITATION = re.compile(r"(?<!\d)(?:1[89]|20)\d\d[a-z]?(?=[;,)\]])|\[\d+(?:\s*[,;–-]\s*\d+)*\]")
_FIGURE = re.compile(r"(?:Fig(?:ure)?s?\.?|Tables?|Eq(?:uation)?s?\.?|Sections?|Appendix|Algorithm)\s*\(?[0-9IVX]")
_END = re.compile(r"[.!?][\"'”’)\]]*$")
_SYMBOLS = "0123456789=+*/^_<>|{}\\~∑∏∈∀∃≤≥±×→←∂∇αβγδεθλμσφωΣΠ%$@#"  # digits and math
_SYMBOL_CODES = np.array([ord(char) for char in _SYMBOLS], dtype=np.uint32)
_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*")

STOPWORDS = frozenset(
    """a about above after again against all also although am among an and another any are as at be because been
    before being below between both but by can could did do does doing done down during each either else even ever
    every few for from further had has have having he her here hers herself him himself his how however i if in into
    is it its itself just let like made make many may me might more most much must my myself neither no nor not now
    of off often on once one only or other our ours ourselves out over own per rather same several shall she should
    since so some such than that the their theirs them themselves then there these they this those though through
    thus to too two under until up upon us use used using very via was we well were what when where whether which
    while who whom whose why will with within without would yet you your yours yourself yourselves""".split()
)


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


def surface_signals(text: str, starts: np.ndarray, ends: np.ndarray) -> dict[str, np.ndarray]:
    """How each sentence ``text[starts[i]:ends[i]]`` reads, as float arrays (not yet weighted).

    Sentences must be in text order. Each pattern scans the whole text once; its matches are
    counted per sentence with a binary search, which is what keeps long documents cheap.
    """
    pieces = [text[start:end] for start, end in zip(starts.tolist(), ends.tolist())]
    words = np.array([len(piece.split()) for piece in pieces], dtype=np.float64)

    def count(pattern: re.Pattern[str]) -> np.ndarray:
        found = np.fromiter((match.start() for match in pattern.finditer(text)), dtype=np.int64)
        owner = np.searchsorted(starts, found, side="right") - 1
        inside = (owner >= 0) & (found < ends[np.maximum(owner, 0)])
        return np.bincount(owner[inside], minlength=len(starts)).astype(np.float64)

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    symbols = np.r_[0, np.cumsum(np.isin(codes, _SYMBOL_CODES))]
    visible = np.r_[0, np.cumsum(codes > 32)]
    fragment = [not _END.search(piece) or not (piece[0].isupper() or piece[0] in "\"'“‘([") for piece in pieces]
    return {
        "words": words,
        "cue": np.minimum(count(_CUE), 2.0),
        "citations": np.minimum(count(_CITATION), 4.0),
        "figure_ref": np.minimum(count(_FIGURE), 2.0),
        "symbols": (symbols[ends] - symbols[starts]) / np.maximum(visible[ends] - visible[starts], 1),
        "fragment": np.array(fragment, dtype=np.float64),
        "long": np.clip((words - 40.0) / 40.0, 0.0, 2.0),
    }


def content_term(word: str) -> str | None:
    """A lower-cased word as a keyword (plural folded), or None for stop words and scraps."""
    if len(word) < 3 or word in STOPWORDS:
        return None
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def keyword_centrality(texts: Sequence[str]) -> np.ndarray:
    """How much of each sentence is made of words the whole text keeps coming back to.

    A term weighs ``log(number of sentences using it)``; a sentence scores the sum over its
    distinct terms divided by the square root of their number, so neither long nor tiny
    sentences win by length alone.
    """
    term_of: dict[str, int] = {}  # word → term id, -1 for words that are no keyword
    terms: dict[str, int] = {}
    sentence_ids: list[int] = []
    term_ids: list[int] = []
    for index, text in enumerate(texts):
        found = set()
        for word in set(_WORD.findall(text.lower())):
            term = term_of.get(word)
            if term is None:
                folded = content_term(word)
                term = term_of[word] = -1 if folded is None else terms.setdefault(folded, len(terms))
            if term >= 0:
                found.add(term)
        sentence_ids.extend([index] * len(found))
        term_ids.extend(found)
    if not term_ids:
        return np.zeros(len(texts))
    sentences = np.array(sentence_ids)
    term_array = np.array(term_ids)
    weight = np.log(np.bincount(term_array))  # 0 for one-off terms
    total = np.bincount(sentences, weights=weight[term_array], minlength=len(texts))
    distinct = np.bincount(sentences, minlength=len(texts))
    return total / np.sqrt(np.maximum(distinct, 1))
