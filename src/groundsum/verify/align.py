"""Alignment: the source passages that support (or should support) each claim.

A source is indexed once (units, each a Passage: sentences and non-body lines such as headings and dates;
over-long sentences, as in text whose sentence ends the splitter could not see, are cut into
pieces) and the index is cached, so checking many claims against one source costs one pass.
A claim is aligned by BM25 over stems and by embedding similarity together: the best unit,
grown by a neighbour on either side when that covers more of the claim, is the *window*;
up to two more units elsewhere may join when they cover words the window lacks (summaries
fuse distant sentences). Citations are exactly those units' spans.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..embed import get_embedder
from ..model import Document, Span
from ..segment import segment
from .content import coverage
from .entities import Mention, SourceNames, is_lowercased
from .injection import is_instruction
from .numbers import Quantity, extract_quantities, iso_date
from .roles import DIRECTION, Relation, relations
from .tokens import SENTENCE_PUNCT, Token, embedding_text, tokenize, word_bigrams

EMBEDDER = "wordllama"
_LONG_UNIT = 60  # words: a "sentence" longer than this is cut at inner sentence marks
_CHUNK = 40  # words per piece when no sentence mark helps
_BM25_K1, _BM25_B = 1.2, 0.75
_LEXICAL_CANDIDATES, _EMBEDDING_CANDIDATES = 8, 4
_MAX_EXTRAS = 2
_EXTRA_MIN_GAIN = 0.15  # share of the claim's weight an extra unit must add
_CACHE_SIZE = 8
_SEPARATOR = Token(".", ".", ".", 0, 0, "punct", False)


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the source a claim can align to: a sentence, a heading or letter line, or part of a long one."""

    start: int
    end: int
    section: int | None
    tokens: tuple[Token, ...]
    stems: frozenset[str]  # content stems
    bigrams: frozenset[tuple[str, str]]


def _pieces(tokens: list[Token]) -> list[list[Token]]:
    """An over-long unit cut at its own sentence marks, then into fixed-size chunks."""
    pieces: list[list[Token]] = [[]]
    for token in tokens:
        pieces[-1].append(token)
        if token.kind == "punct" and token.norm in SENTENCE_PUNCT and sum(t.is_wordlike for t in pieces[-1]) >= 5:
            pieces.append([])
    out = []
    for piece in (p for p in pieces if p):
        words = [i for i, t in enumerate(piece) if t.is_wordlike]
        if len(words) <= _LONG_UNIT:
            out.append(piece)
            continue
        cuts = [words[k] for k in range(_CHUNK, len(words), _CHUNK)]
        for a, b in zip([0, *cuts], [*cuts, len(piece)]):
            out.append(piece[a:b])
    return out


def _unit_spans(doc: Document) -> list[tuple[int, int, int | None]]:
    """The source passages claims can align to; instructions planted for a model are no evidence."""
    spans = {(s.start, s.end, s.section) for s in doc.sentences}
    spans |= {(p.start, p.end, p.section) for p in doc.paragraphs if p.role != "body" and p.end > p.start}
    return sorted(span for span in spans if not is_instruction(doc.text[span[0] : span[1]]))


def _make_unit(tokens: list[Token], section: int | None) -> Passage:
    return Passage(
        tokens[0].start,
        tokens[-1].end,
        section,
        tuple(tokens),
        frozenset(t.stem for t in tokens if t.is_content),
        frozenset(word_bigrams(tokens)),
    )


@dataclass
class SourceIndex:
    """Everything about one source that claims are compared with, computed once."""

    doc: Document
    units: list[Passage]
    names: SourceNames
    lowercased: bool
    quantities: list[list[Quantity]]  # per unit
    mentions: list[list[tuple[Mention, str]]]  # per unit: (mention, identity)
    relations: list[Relation]
    document_frequency: Counter
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(repr=False)
    heading_units: dict[int | None, list[int]]  # per section: its title, date, salutation... lines
    _sections: dict[int | None, SectionContext] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, doc: Document) -> SourceIndex:
        if not doc.is_segmented:
            doc = segment(doc)
        units: list[Passage] = []
        for start, end, section in _unit_spans(doc):
            tokens = tokenize(doc.text[start:end], start)
            if not any(t.is_wordlike for t in tokens):
                continue
            for piece in _pieces(tokens):
                if any(t.is_wordlike for t in piece):
                    units.append(_make_unit(piece, section))
        if not units:
            tokens = tokenize(doc.text)
            units = [_make_unit(p, None) for p in _pieces(tokens) if any(t.is_wordlike for t in p)]
        stream: list[Token] = []
        for unit in units:
            stream.extend(unit.tokens)
            stream.append(_SEPARATOR)
        names = SourceNames.build(stream)
        lowercased = is_lowercased(stream)
        quantities = [extract_quantities(u.tokens, doc.text) for u in units]
        mentions = []
        for unit in units:
            found = names.mentions(unit.tokens, doc.text, lowercased=lowercased)
            mentions.append([(m, m.alias or m.head) for m in found])
        found_relations = [r for unit, ms in zip(units, mentions) for r in relations(unit.tokens, ms, doc.text)]
        found_relations += _letter_relations(doc, names, lowercased)
        frequency = Counter(stem for unit in units for stem in unit.stems)
        lines = [p for p in doc.paragraphs if p.role != "body"]
        heading_units: dict[int | None, list[int]] = {}
        for i, unit in enumerate(units):
            if any(p.start <= unit.start and unit.end <= p.end for p in lines):
                heading_units.setdefault(unit.section, []).append(i)
        return cls(
            doc,
            units,
            names,
            lowercased,
            quantities,
            mentions,
            found_relations,
            frequency,
            _postings(units, frequency),
            heading_units,
        )

    @cached_property
    def vectors(self) -> np.ndarray:
        texts = [embedding_text(self.doc.text[u.start : u.end]) for u in self.units]
        return get_embedder(EMBEDDER).encode(texts)

    @cached_property
    def all_quantities(self) -> list[Quantity]:
        return [q for qs in self.quantities for q in qs]

    def idf(self, stem: str) -> float:
        return math.log((len(self.units) + 1) / (self.document_frequency.get(stem, 0) + 0.5))

    def bm25(self, stems: Sequence[str]) -> np.ndarray:
        scores = np.zeros(len(self.units), dtype=np.float32)
        for stem in set(stems):
            if stem in self.postings:
                where, weight = self.postings[stem]
                scores[where] += weight
        return scores

    def section_context(self, section: int | None) -> SectionContext:
        """What a reader of any passage of a section knows: its heading lines (title, date,
        salutation, signature) and its letter metadata. A claim may draw on them."""
        if section not in self._sections:
            lines = self.heading_units.get(section, [])
            tokens = [t for i in lines for t in self.units[i].tokens]
            quantities = [q for i in lines for q in self.quantities[i]]
            ids = {identity for i in lines for _, identity in self.mentions[i]}
            if section is not None and section < len(self.doc.sections):
                s = self.doc.sections[section]
                text = " . ".join(x for x in (s.title, s.author, s.recipient) if x)
                metadata = tokenize(text)
                tokens += metadata
                quantities += extract_quantities(metadata, text)
                ids |= {m.alias or m.head for m in self.names.mentions(metadata, text, lowercased=self.lowercased)}
                dated = iso_date(s.date) if s.date else None
                quantities += [dated] if dated else []
            self._sections[section] = SectionContext(
                frozenset(t.norm for t in tokens), frozenset(t.stem for t in tokens if t.is_content), quantities, ids
            )
        return self._sections[section]


@dataclass(frozen=True, slots=True)
class SectionContext:
    words: frozenset[str]
    stems: frozenset[str]  # content stems
    quantities: list[Quantity]
    identities: set[str]  # of the names in it


def _postings(units: list[Passage], frequency: Counter) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    lengths = np.array([max(1, len(u.stems)) for u in units], dtype=np.float32)
    average = float(lengths.mean()) if len(units) else 1.0
    rows: dict[str, tuple[list[int], list[float]]] = {}
    for i, unit in enumerate(units):
        counts = Counter(t.stem for t in unit.tokens if t.is_content)
        for stem, tf in counts.items():
            where, weights = rows.setdefault(stem, ([], []))
            where.append(i)
            weights.append(tf * (_BM25_K1 + 1) / (tf + _BM25_K1 * (1 - _BM25_B + _BM25_B * lengths[i] / average)))
    n = len(units)
    out = {}
    for stem, (where, weights) in rows.items():
        idf = math.log(1 + (n - frequency[stem] + 0.5) / (frequency[stem] + 0.5))
        out[stem] = (np.array(where, dtype=np.int64), np.array(weights, dtype=np.float32) * idf)
    return out


def _letter_relations(doc: Document, names: SourceNames, lowercased: bool) -> list[Relation]:
    """Letters' author → recipient, from the section metadata the segmenter found."""
    found = []
    for section in doc.sections:
        if not (section.author and section.recipient):
            continue
        ids = []
        for person in (section.author, section.recipient):
            tokens = tokenize(person)
            mentions = names.mentions(tokens, person, lowercased=lowercased)
            ids.append(mentions[-1].alias or mentions[-1].head if mentions else person.lower())
        found.append(
            Relation(
                ids[0], ids[1], frozenset({DIRECTION}), section.start, section.start, section.author, section.recipient
            )
        )
    return found


_cache: OrderedDict[tuple[int, int, int], tuple[Document, SourceIndex]] = OrderedDict()
_cache_lock = threading.Lock()  # the server verifies from several threads


def source_index(doc: Document) -> SourceIndex:
    """The index of ``doc``, built on first use and kept for the next few documents."""
    key = (hash(doc.text), len(doc.text), len(doc.sentences))
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached[0].text == doc.text and cached[0].sentences == doc.sentences:
            _cache.move_to_end(key)
            return cached[1]
    index = SourceIndex.build(doc)
    with _cache_lock:
        _cache[key] = (doc, index)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index


@dataclass(frozen=True, slots=True)
class Alignment:
    primary: int  # the best unit
    window: tuple[int, ...]  # the primary unit and the neighbours that add to it, in order
    extras: tuple[int, ...]  # units elsewhere that cover what the window lacks

    @property
    def units(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.window) | set(self.extras)))


def claim_weights(index: SourceIndex, tokens: Sequence[Token]) -> dict[str, float]:
    """Each content stem of the claim weighted by how rare it is in the source (absent = rarest)."""
    stems = [t.stem for t in tokens if t.is_content] or [t.stem for t in tokens if t.is_wordlike]
    return {s: index.idf(s) for s in stems}


def align(index: SourceIndex, tokens: Sequence[Token], vector: np.ndarray, evidence: Sequence[Span] = ()) -> Alignment:
    weights = claim_weights(index, tokens)
    bigrams = word_bigrams(list(tokens))
    lexical = index.bm25(list(weights))
    similarity = index.vectors @ vector
    pool = set(np.argsort(-lexical)[:_LEXICAL_CANDIDATES].tolist()) | set(
        np.argsort(-similarity)[:_EMBEDDING_CANDIDATES].tolist()
    )
    if evidence:
        pool |= {i for i, u in enumerate(index.units) if any(u.start < e.end and e.start < u.end for e in evidence)}
    units = index.units

    def relevance(i: int) -> float:
        unit = units[i]
        bigram_share = len(bigrams & unit.bigrams) / len(bigrams) if bigrams else 0.0
        return coverage(weights, unit.stems) + 0.5 * bigram_share + 0.5 * max(0.0, float(similarity[i]))

    primary = max(sorted(pool), key=relevance)
    window = [primary]
    covered = set(units[primary].stems)
    for neighbour in (primary - 1, primary + 1):
        if 0 <= neighbour < len(units) and units[neighbour].section == units[primary].section:
            gain = coverage(weights, covered | units[neighbour].stems) - coverage(weights, covered)
            if gain > 0:
                window.append(neighbour)
                covered |= units[neighbour].stems
    extras: list[int] = []
    candidates = sorted(pool - set(window))
    while len(extras) < _MAX_EXTRAS and candidates:
        base = coverage(weights, covered)
        best = max(candidates, key=lambda i: coverage(weights, covered | units[i].stems))
        if coverage(weights, covered | units[best].stems) - base < _EXTRA_MIN_GAIN:
            break
        extras.append(best)
        covered |= units[best].stems
        candidates.remove(best)
    return Alignment(primary, tuple(sorted(window)), tuple(sorted(extras)))


def citations(index: SourceIndex, alignment: Alignment) -> tuple[Span, ...]:
    """The aligned units as spans, adjacent units merged into one."""
    spans: list[list[int]] = []
    for i in alignment.units:
        unit = index.units[i]
        if spans and i - 1 in alignment.units and spans[-1][1] <= unit.start:
            spans[-1][1] = unit.end
        else:
            spans.append([unit.start, unit.end])
    return tuple(Span(a, b) for a, b in spans)
