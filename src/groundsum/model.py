"""The data model every stage shares.

A Document holds its normalized text exactly once. Everything else (blocks, sections,
paragraphs, sentences, citations) is a span ``(start, end)`` into that text, so
``doc.text[start:end]`` is always exactly the cited source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Label = Literal["supported", "unsupported", "uncertain"]
Origin = Literal["extracted", "generated"]
Per = Literal["document", "section", "paragraph"]
# What kind of block a reader saw.
BlockKind = Literal["heading", "paragraph", "list_item", "quote", "code", "table", "note", "caption"]
SectionKind = Literal["section", "letter", "front", "references"]
# What a paragraph does in its section; only "body" gets sentences. "reference": source lists, bare links;
# "note": a footnote, "caption": a figure's or table's caption, both kept apart from the body they sit in.
ParagraphRole = Literal[
    "body", "heading", "title", "date", "address", "salutation", "closing", "signature", "reference", "code", "table",
    "note", "caption",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into ``Document.text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span ({self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Block:
    """A structural block the reader saw (a heading, a paragraph, a list item...), before segmentation interprets it."""

    start: int
    end: int
    kind: BlockKind = "paragraph"
    level: int = 0  # heading level 1-6; 0 for everything else

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Section:
    """A unit a reader would summarize on its own: a chapter, a heading's section, a letter."""

    start: int
    end: int
    title: str | None = None
    kind: SectionKind = "section"
    level: int = 1
    date: str | None = None  # ISO 8601, e.g. "1962-10-26"
    author: str | None = None
    recipient: str | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def summarizable(self) -> bool:
        """Reference lists and link dumps carry no claims worth summarizing."""
        return self.kind != "references"


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    section: int | None = None  # index into Document.sections
    kind: BlockKind = "paragraph"  # the reader's block kind
    role: ParagraphRole = "body"  # "title" is a letter's

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int = 0  # index into Document.paragraphs
    section: int | None = None  # index into Document.sections

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Document:
    """A read document: normalized text plus the structure found in it, as spans."""

    text: str
    blocks: tuple[Block, ...] = ()
    title: str | None = None
    source: str | None = None  # the path it came from, or None for text given directly
    format: str = "text"
    metadata: dict[str, Any] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    sentences: tuple[Sentence, ...] = ()

    def cite(self, span: Span) -> str:
        return self.text[span.start : span.end]

    @property
    def is_segmented(self) -> bool:
        return bool(self.sentences)


@dataclass(frozen=True, slots=True)
class Budget:
    """How long a summary may be. At most one of the three is normally set."""

    words: int | None = None
    sentences: int | None = None
    ratio: float | None = None

    def limits(self, unit_words: int, unit_sentences: int) -> tuple[int | None, int | None]:
        """The (max_words, max_sentences) this budget allows for a unit of the given size."""
        max_words = self.words
        if self.ratio is not None:
            max_words = max(1, round(unit_words * self.ratio))
        max_sentences = self.sentences
        if max_words is None and max_sentences is None:
            max_sentences = 1
        if max_sentences is not None:
            max_sentences = min(max_sentences, unit_sentences)
        return max_words, max_sentences


@dataclass(frozen=True, slots=True)
class Unit:
    """One span of a document that gets its own summary: the document, a section or a paragraph."""

    span: Span
    sentences: tuple[int, ...]  # indices into Document.sentences, in document order
    budget: Budget
    section: int | None = None
    focus: str | None = None  # what a focused summary is about; its sentences are then those about it
    relevance: tuple[float, ...] = ()  # with a focus: what relevance adds to each one's salience (summarize.focus)

    @property
    def off_focus(self) -> bool:
        """A focused unit that says nothing about its focus: shown as such, never padded."""
        return self.focus is not None and not self.sentences


@dataclass(frozen=True, slots=True)
class Draft:
    """A sentence an engine proposes, before verification.

    ``evidence`` is where it came from: the exact sentence span for extracted sentences,
    the chunk spans for generated ones. Verify aligns the text within (and beyond) them.
    """

    text: str
    evidence: tuple[Span, ...]
    section: int | None = None
    origin: Origin = "extracted"
    unit: int = 0  # index of the Unit it summarizes


@dataclass(frozen=True, slots=True)
class Verdict:
    """What verify concluded about one sentence."""

    label: Label
    score: float  # support in [0, 1]; higher is better supported
    citations: tuple[Span, ...]
    reasons: tuple[str, ...] = ()
    judged_by: str | None = None  # the judge ("engine model") whose Yes or No set the label; None: verify's own


@dataclass(frozen=True, slots=True)
class JudgeRun:
    """What the optional judge did for one result, so a reader knows which labels a model set."""

    by: str  # "engine model", e.g. "openai smollm2"
    asked: int  # sentences sent to it: the uncertain ones (and any in the configured score band)
    decided: int  # of those, answered with a plain Yes or No
    error: str | None = None  # one line when the model failed; the fast verdicts then stand


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str  # as shown to people: whitespace artifacts cleaned
    citations: tuple[Span, ...]
    score: float
    label: Label
    section: int | None = None
    origin: Origin = "extracted"
    reasons: tuple[str, ...] = ()
    unit: int = 0  # index into Summary.units
    judged_by: str | None = None


@dataclass(frozen=True, slots=True)
class EngineInfo:
    name: str
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    document: Document
    sentences: tuple[SummarySentence, ...]
    per: Per
    engine: EngineInfo
    units: tuple[Unit, ...] = ()
    dropped: tuple[SummarySentence, ...] = ()  # unsupported sentences the policy removed
    judge: JudgeRun | None = None  # None when no judge was asked for
    focus: str | None = None  # what the summary is about, when asked (``--focus``)


@dataclass(frozen=True, slots=True)
class CheckedSentence:
    text: str
    label: Label
    score: float
    citations: tuple[Span, ...]
    reasons: tuple[str, ...] = ()
    judged_by: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """An audit of a summary against its source."""

    score: float  # summary-level support in [0, 1], weighed by the weakest sentences
    sentences: tuple[CheckedSentence, ...]
    source: Document
    judge: JudgeRun | None = None  # None when no judge was asked for
