"""The default engine: pick the most salient source sentences, verbatim.

Salience is a weighted sum of signals. From the sentence embeddings: how central the
sentence's section is to the unit, similarity to a "focus" centroid (of the sentences the
other signals rank highest), to its heading, and to the plain unit centroid (which, on the
papers we tuned on, predicts summary sentences slightly *negatively*: the most average
sentence is generic). From ``salience``: section kind, position, cue phrases, keyword
centrality, and penalties for citations, formulas, figure references, fragments and overlong
sentences. Embeddings also drive redundancy control (MMR in ``select``). The weights were
tuned on papers 0-99 of the aclsum set (see docs/benchmarks.md); content signals are z-scored
within a unit so they stay comparable across documents.

Whole documents are summarized hierarchically: each section shortlists its best sentences,
then one budgeted MMR pass (``select``) chooses among the shortlists. Every sentence is
embedded once per document, and nothing compares all sentences pairwise, so the cost grows
linearly with the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...embed import get_embedder
from ...errors import ConfigError
from ...model import Document, Draft, Per, Unit, Verdict
from ...vocabulary import tokenize
from .. import Verifier, engine_registry
from ..salience import heading_text, keyword_centrality, section_kind, surface_signals
from ..select import select

# Weights of the z-scored, unit-relative embedding signals.
UNIT_WEIGHTS: dict[str, float] = {
    "centroid": -0.1,  # similarity to the unit's centroid: slightly against the most generic sentences
    "focus": 0.34,  # similarity to the centroid of the sentences the other signals rank highest
    "section_weight": 0.87,  # how close the sentence's whole section is to the unit's centroid
    "early": 0.35,  # 1 at the unit's first sentence, falling linearly to 0 at its end
}
# Weights of per-sentence signals that do not depend on the unit.
SENTENCE_WEIGHTS: dict[str, float] = {
    "heading": 0.05,  # similarity to its section heading (z-scored)
    "keywords": 0.5,  # keyword centrality (z-scored)
    "lead_section": 1.3,  # introduction, overview, summary
    "closing_section": 0.65,  # conclusion, discussion
    "background_section": -0.5,  # related work, background
    "aside_section": -2.0,  # acknowledgements, appendix, ethics statement
    "section_start": 0.5,  # 1 / (1 + position in section)
    "paragraph_start": 0.3,  # first sentence of its paragraph
    "cue": 0.56,  # "in this paper", "we propose", "results show" (count, at most 2)
    "citations": -0.4,  # citation markers (count, at most 4)
    "figure_ref": -0.5,  # "Table 2", "Figure 3", "Section 4" (count, at most 2)
    "symbols": -3.0,  # share of digits and math symbols
    "fragment": -0.5,  # no closing punctuation, or starts lower-case
    "long": -0.65,  # longer than 40 words (0-2)
}
REDUNDANCY = 1.12  # MMR: relevance lost per unit of cosine to an already picked sentence
PER_SECTION = 8  # sentences each section shortlists for the document-level pass
FOCUS = 5  # how many top-ranked sentences define the focus centroid


def zscore(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values)


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-8)


def rank_within(groups: np.ndarray) -> np.ndarray:
    """Each item's 0-based position among the items of its group, in the given order."""
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    position = np.arange(len(groups))
    first = np.maximum.accumulate(np.where(np.concatenate(([True], ordered[1:] != ordered[:-1])), position, 0))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = position - first
    return rank


def group_centroids(vectors: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length mean vector of each group, and each row's group number into them."""
    names, inverse = np.unique(groups, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[order], np.arange(len(names)))
    return unit_rows(np.add.reduceat(vectors[order], starts, axis=0)), inverse


@dataclass(frozen=True)
class SentenceTable:
    """Everything about a document's summarizable sentences that no unit changes, computed once."""

    indices: np.ndarray  # into Document.sentences, ascending
    vectors: np.ndarray  # unit-length embeddings, one row per sentence
    words: np.ndarray
    sections: np.ndarray  # section index, -1 for none
    signals: dict[str, np.ndarray]  # the unit-independent signals, by SENTENCE_WEIGHTS name

    def prior(self, weights: Mapping[str, float]) -> np.ndarray:
        """The weighted sum of the unit-independent signals."""
        total = np.zeros(len(self.indices))
        for name, values in self.signals.items():
            total += weights.get(name, 0.0) * values
        return total

    @classmethod
    def build(cls, doc: Document, indices: Sequence[int], embedder_name: str) -> SentenceTable:
        sentences = [doc.sentences[i] for i in indices]
        starts = np.array([sentence.start for sentence in sentences], dtype=np.int64)
        ends = np.array([sentence.end for sentence in sentences], dtype=np.int64)
        texts = [doc.text[start:end] for start, end in zip(starts.tolist(), ends.tolist())]
        sections = np.array([-1 if s.section is None else s.section for s in sentences], dtype=np.int64)
        paragraphs = np.array([s.paragraph for s in sentences], dtype=np.int64)
        titled = [i for i in np.unique(sections).tolist() if i >= 0 and doc.sections[i].title]
        headings = [heading_text(doc.sections[i].title or "") for i in titled]
        tokenized = tokenize(texts + headings)  # once, for the embedder and the keywords
        embedded = get_embedder(embedder_name).encode_tokenized(tokenized)
        vectors, heading_vectors = embedded[: len(texts)], embedded[len(texts) :]

        heading_similarity = np.zeros(len(texts))
        if titled:
            row_of = np.full(len(doc.sections), -1)
            row_of[titled] = np.arange(len(titled))
            rows = np.where(sections >= 0, row_of[np.maximum(sections, 0)], -1)
            has = rows >= 0
            heading_similarity[has] = np.einsum("ij,ij->i", vectors[has], heading_vectors[rows[has]])
        section_kinds = np.array([section_kind(section.title) for section in doc.sections] + ["body"])
        kinds = section_kinds[sections]  # -1 (no section) picks the trailing "body"
        sentence_tokens = tokenized.head(len(texts))
        words = sentence_tokens.counts.astype(np.float64)
        signals = surface_signals(doc.text, starts, ends, words, texts)
        signals.update(
            heading=zscore(heading_similarity),
            keywords=zscore(keyword_centrality(sentence_tokens)),
            lead_section=(kinds == "lead").astype(np.float64),
            closing_section=(kinds == "closing").astype(np.float64),
            background_section=(kinds == "background").astype(np.float64),
            aside_section=(kinds == "aside").astype(np.float64),
            section_start=1.0 / (1.0 + rank_within(sections)),
            paragraph_start=(rank_within(paragraphs) == 0).astype(np.float64),
        )
        return cls(np.asarray(indices), vectors, words, sections, signals)


@dataclass
class ExtractiveEngine:
    embedder: str = "wordllama"
    redundancy: float = REDUNDANCY
    per_section: int = PER_SECTION
    weights: dict[str, float] = field(default_factory=lambda: {**UNIT_WEIGHTS, **SENTENCE_WEIGHTS})
    name: str = "extractive"

    def settings(self) -> dict[str, Any]:
        return {"embedder": self.embedder, "redundancy": self.redundancy, "per_section": self.per_section}

    def summarize(self, doc: Document, units: Sequence[Unit], per: Per) -> list[Draft]:
        pool = sorted({i for unit in units for i in unit.sentences})
        if not pool:
            return []
        table = SentenceTable.build(doc, pool, self.embedder)
        prior = table.prior(self.weights)
        drafts = []
        for unit_index, unit in enumerate(units):
            for row in self.choose(table, prior, unit, hierarchical=per == "document"):
                sentence = doc.sentences[int(table.indices[row])]
                span = sentence.span
                drafts.append(Draft(doc.cite(span), (span,), sentence.section, "extracted", unit_index))
        return drafts

    def settle(
        self, doc: Document, units: Sequence[Unit], per: Per, drafts: list[Draft], verdicts: list[Verdict], verify: Verifier
    ) -> tuple[list[Draft], list[Verdict]]:
        """Quoted sentences need no second pass."""
        return drafts, verdicts

    def relevance(self, table: SentenceTable, prior: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Relevance of a unit's sentences, and their section groups (for shortlisting)."""
        vectors = table.vectors[rows]
        centroid = unit_rows(vectors.mean(axis=0))
        section_centroids, group = group_centroids(vectors, table.sections[rows])
        weights = self.weights
        score = prior[rows]
        score += weights["centroid"] * zscore(vectors @ centroid)
        score += weights["section_weight"] * zscore(section_centroids @ centroid)[group]
        score += weights["early"] * (1.0 - np.arange(len(rows)) / len(rows))
        top = np.argpartition(-score, FOCUS)[:FOCUS] if len(score) > FOCUS else slice(None)
        focus = unit_rows(vectors[top].mean(axis=0))
        score += weights["focus"] * zscore(vectors @ focus)
        return score, group

    def choose(self, table: SentenceTable, prior: np.ndarray, unit: Unit, hierarchical: bool) -> list[int]:
        """Table rows of the sentences picked for one unit, in document order."""
        rows = np.searchsorted(table.indices, unit.sentences)
        score, group = self.relevance(table, prior, rows)
        words = table.words[rows]
        max_words, max_sentences = unit.budget.limits(int(words.sum()), len(rows))
        candidates = np.arange(len(rows))
        if hierarchical and group.max() > 0:
            order = np.lexsort((-score, group))
            shortlisted = order[rank_within(group[order]) < self.per_section]
            candidates = np.sort(shortlisted)
        chosen = rows[candidates]
        vectors = table.vectors[chosen]
        picked = select(score[candidates], vectors, words[candidates], max_words, max_sentences, self.redundancy)
        return [int(chosen[i]) for i in picked]


@engine_registry.register("extractive")
def make_extractive(
    embedder: str = "wordllama",
    redundancy: float = REDUNDANCY,
    per_section: int = PER_SECTION,
    weights: Mapping[str, float] | None = None,
    quiet: bool = False,
    **unknown: Any,
) -> ExtractiveEngine:
    """``weights`` overrides any of UNIT_WEIGHTS / SENTENCE_WEIGHTS by name.

    ``quiet`` is accepted like every engine's, though this one never shows progress; options
    of the generative engines (``model``, ``base_url``, ...) are an error here.
    """
    extra = sorted(f"--{name.replace('_', '-')}" for name, value in unknown.items() if value is not None)
    if extra:
        raise ConfigError(f"the extractive engine takes no {', '.join(extra)} (options of the generative engines)")
    merged = {**UNIT_WEIGHTS, **SENTENCE_WEIGHTS}
    for name, value in (weights or {}).items():
        if name not in merged:
            raise ConfigError(f"unknown extractive weight '{name}' (known: {', '.join(sorted(merged))})")
        merged[name] = float(value)
    if redundancy < 0:
        raise ConfigError("redundancy must be at least 0")
    if per_section < 1:
        raise ConfigError("per_section must be at least 1")
    return ExtractiveEngine(embedder, float(redundancy), int(per_section), merged)
