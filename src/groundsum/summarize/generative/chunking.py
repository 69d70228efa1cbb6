"""Split a unit into chunks that fit a model's context, along the document's structure.

Nothing is ever truncated. A unit is packed section by section; a section too big for one chunk is
packed paragraph by paragraph, a paragraph sentence by sentence, and only a single sentence longer
than a whole chunk is cut, at spaces. Each chunk keeps the source spans it holds, so whatever a
model writes from it can be checked against, and cited to, exactly that text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...model import Document, Span, Unit

TokenCounter = Callable[[str], int]

# Tokens a "## title" line costs beyond its words: the blank lines around it.
HEADING_OVERHEAD = 4


def estimate_tokens(text: str) -> int:
    """About four characters a token for English prose: used when the model's tokenizer is unknown."""
    return math.ceil(len(text) / 4)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Contiguous runs of one unit's sentences that together fit one model call."""

    spans: tuple[Span, ...]  # one per paragraph run, in document order
    text: str  # what the model reads: the spans' text, under their section headings


@dataclass(frozen=True, slots=True)
class _Leaf:
    """A leaf to pack: a sentence, or part of one too long for any chunk."""

    span: Span
    paragraph: int
    section: int | None
    tokens: int


def _cut(doc: Document, span: Span, tokens: int, capacity: int) -> list[Span]:
    """A sentence longer than a chunk, cut at spaces into parts of at most ``capacity`` tokens (estimated)."""
    size = max(1, int(len(span) * capacity / tokens * 0.9))
    parts, start = [], span.start
    while start < span.end:
        end = min(span.end, start + size)
        if end < span.end:
            space = doc.text.rfind(" ", start + 1, end)
            end = space if space > start else end
        parts.append(Span(start, end))
        start = end
        while start < span.end and doc.text[start].isspace():
            start += 1
    return parts


def _leaves(doc: Document, unit: Unit, count: TokenCounter, capacity: int) -> list[_Leaf]:
    leaves = []
    for i in unit.sentences:
        sentence = doc.sentences[i]
        tokens = count(doc.cite(sentence.span)) + 1
        spans = [sentence.span] if tokens <= capacity else _cut(doc, sentence.span, tokens, capacity)
        for span in spans:
            part_tokens = tokens if len(spans) == 1 else count(doc.cite(span)) + 1
            leaves.append(_Leaf(span, sentence.paragraph, sentence.section, part_tokens))
    return leaves


def _groups(leaves: Sequence[_Leaf], key: Callable[[_Leaf], object]) -> list[list[_Leaf]]:
    """Consecutive leaves with the same key."""
    groups: list[list[_Leaf]] = []
    for leaf in leaves:
        if groups and key(groups[-1][-1]) == key(leaf):
            groups[-1].append(leaf)
        else:
            groups.append([leaf])
    return groups


_LEVELS: tuple[Callable[[_Leaf], object], ...] = (
    lambda p: p.section,
    lambda p: p.paragraph,
    lambda p: p.span,  # each leaf on its own
)


def _pack(leaves: list[_Leaf], capacity: int, headings: dict[int | None, int], level: int = 0) -> list[list[_Leaf]]:
    """Greedy packing that only splits a group (section, paragraph) when it cannot fit a chunk whole.

    At the section level a group also pays for its heading; a split section's chunks all repeat it,
    so its parts are packed into what the heading leaves.
    """
    chunks: list[list[_Leaf]] = []
    current: list[_Leaf] = []
    used = 0
    for group in _groups(leaves, _LEVELS[level]):
        heading = headings.get(group[0].section, 0) if level == 0 else 0
        tokens = sum(p.tokens for p in group) + heading
        if used + tokens <= capacity:
            current += group
            used += tokens
            continue
        if current:
            chunks.append(current)
        if tokens <= capacity or level == len(_LEVELS) - 1:
            current, used = list(group), tokens
        else:
            *full, current = _pack(group, capacity - heading, headings, level + 1)
            chunks += full
            used = sum(p.tokens for p in current) + heading
    if current:
        chunks.append(current)
    return chunks


def _runs(doc: Document, leaves: Sequence[_Leaf]) -> list[list[_Leaf]]:
    """Consecutive leaves of one paragraph with only whitespace between them: a focused unit skips
    sentences, and the model must read none of those."""
    runs: list[list[_Leaf]] = []
    for leaf in leaves:
        last = runs[-1][-1] if runs else None
        if (
            last is not None and last.paragraph == leaf.paragraph
            and not doc.text[last.span.end : leaf.span.start].strip()
        ):
            runs[-1].append(leaf)
        else:
            runs.append([leaf])
    return runs


def _render(doc: Document, leaves: list[_Leaf]) -> Chunk:
    """Runs of one paragraph become one span; each section's part is headed by its title."""
    spans: list[Span] = []
    lines: list[str] = []
    previous: object = object()
    for run in _runs(doc, leaves):
        span = Span(run[0].span.start, run[-1].span.end)
        section = run[0].section
        if section != previous and section is not None and doc.sections[section].title:
            lines.append(f"## {doc.sections[section].title}")
        previous = section
        spans.append(span)
        lines.append(doc.cite(span))
    return Chunk(tuple(spans), "\n\n".join(lines))


def chunk_unit(doc: Document, unit: Unit, count: TokenCounter, capacity: int) -> list[Chunk]:
    """The unit's sentences as chunks of at most ``capacity`` tokens each (by ``count``), in document order."""
    headings: dict[int | None, int] = {
        i: count(f"## {section.title}") + HEADING_OVERHEAD for i, section in enumerate(doc.sections) if section.title
    }
    room = max(16, capacity - max(headings.values(), default=0))
    return [_render(doc, chunk) for chunk in _pack(_leaves(doc, unit, count, room), capacity, headings)]
