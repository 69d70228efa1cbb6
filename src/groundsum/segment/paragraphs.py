"""Paragraphs from the reader's blocks: letter lines split out, broken paragraphs joined.

A block is what the reader saw; a paragraph is what a person reads as one. Two repairs bridge
the gap: a block holding a closing and its signature ("Fraternally,\\nFidel Castro") is split
into its lines, and a paragraph that a scrape or PDF broke mid-sentence ("...without
reversing\\n\\nthe decision...") is joined with its continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from ..model import Block, BlockKind, Document
from ..read.formats.text import paragraph_blocks
from .dates import date_line
from .letters import is_closing, is_salutation, is_url_line, letter_title, looks_like_name, plain
from .sentences import CLOSERS

_TERMINAL = ".!?:;…"
_JOINABLE = frozenset({"paragraph", "quote"})
_WRAPPED_WORDS = 5
_WORD_CHARACTER = re.compile(r"[^\W_]")  # what str.isalnum() accepts, found by the regex engine


@dataclass(frozen=True, slots=True)
class RawParagraph:
    """A paragraph before its role is known: a span, the reader's kind, its plain text, and how
    many lines that text has (asked of every one, often more than once)."""

    start: int
    end: int
    kind: BlockKind
    level: int
    plain: str
    lines: int


def raw_paragraphs(doc: Document) -> list[RawParagraph]:
    """The document's paragraphs in order, before roles and sections are assigned."""
    blocks = doc.blocks or tuple(paragraph_blocks(doc.text))
    pieces: list[RawParagraph] = []
    for block in sorted(blocks, key=lambda b: b.start):
        pieces.extend(_block_pieces(doc.text, block))
    return _join_broken(pieces)


def _block_pieces(text: str, block: Block) -> list[RawParagraph]:
    start, end = _strip(text, block.start, block.end)
    if start >= end:
        return []
    if block.kind not in _JOINABLE:
        spans = [(start, end)]
    elif text.find("\n", start, end) >= 0:
        lines = _line_spans(text, start, end)
        cuts = _structural_cuts(text, lines)
        spans = [(lines[first][0], lines[last - 1][1]) for first, last in pairwise(cuts)]
    else:
        spans = _closing_and_signature(text, start, end)
    return [piece for s, e in spans if _has_words(piece := _piece(text, s, e, block.kind, block.level))]


def _closing_and_signature(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'Fraternally, Fidel Castro' on one line (a PDF joins them) is a closing and a signature."""
    if end - start > 80:
        return [(start, end)]
    comma = text.find(",", start, end)
    if comma < 0:
        return [(start, end)]
    signature = _strip(text, comma + 1, end)
    if is_closing(plain(text[start : comma + 1])) and looks_like_name(plain(text[signature[0] : signature[1]])):
        return [(start, comma + 1), signature]
    return [(start, end)]


def _structural_cuts(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Line indices where a block must be cut so that letter parts stand alone.

    A date, salutation or letter title on its own line is cut out; so is a closing when only
    a short signature follows it; a heading line such as "Sources:" before a list of URLs too.
    """
    plains = [plain(text[s:e]) for s, e in lines]
    cuts = {0, len(lines)}
    if not is_url_line(plains[0]) and all(is_url_line(line) for line in plains[1:]):
        cuts.add(1)
    for i, line in enumerate(plains):
        if (i == 0 and date_line(line)) or is_salutation(line) or (letter_title(line) and not line.endswith(".")):
            cuts.update((i, i + 1))
        elif 0 < len(plains) - i - 1 <= 3 and is_closing(line, generic=True) and looks_like_name(plains[i + 1]):
            rest = plains[i + 1 :]
            if is_closing(line) or all(len(r.split()) <= 8 and not r.endswith(".") for r in rest):
                cuts.update((i, i + 1, len(lines)))
    return sorted(cuts)


def _join_broken(pieces: list[RawParagraph]) -> list[RawParagraph]:
    """Join a paragraph that stops without terminal punctuation to the lowercase one after it."""
    joined: list[RawParagraph] = []
    for piece in pieces:
        if joined and _continues(joined[-1], piece):
            last = joined[-1]
            plain_text = f"{last.plain}\n{piece.plain}"
            joined[-1] = RawParagraph(
                last.start, piece.end, last.kind, last.level, plain_text, last.lines + piece.lines
            )
        else:
            joined.append(piece)
    return joined


def _continues(previous: RawParagraph, piece: RawParagraph) -> bool:
    """Does ``piece`` carry on the sentence (or heading, wrapped by a PDF) that ``previous`` began?"""
    if piece.kind != previous.kind or (previous.kind not in _JOINABLE and previous.kind != "heading"):
        return False
    if previous.kind == "heading" and (piece.level != previous.level or len(previous.plain.split()) < _WRAPPED_WORDS):
        return False  # only a long heading line can have wrapped
    head = piece.plain.lstrip(CLOSERS)
    if not head[:1].islower() or is_url_line(head.split("\n", 1)[0]):
        return False
    tail = previous.plain.rstrip(CLOSERS + " ")
    if not tail or tail[-1] in _TERMINAL:
        return False
    return not (is_salutation(previous.plain) or looks_like_name(previous.plain))


def _has_words(piece: RawParagraph) -> bool:
    """Rules ("---", "* * *") and stray markup carry nothing to read or summarize."""
    return _WORD_CHARACTER.search(piece.plain) is not None


def _piece(text: str, start: int, end: int, kind: BlockKind, level: int) -> RawParagraph:
    lines = text[start:end].split("\n")
    plain_text = plain(lines[0]) if len(lines) == 1 else "\n".join(map(plain, lines))
    return RawParagraph(start, end, kind, level, plain_text, len(lines))


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    while cursor < end:
        newline = text.find("\n", cursor, end)
        stop = end if newline < 0 else newline
        s, e = _strip(text, cursor, stop)
        if s < e:
            spans.append((s, e))
        cursor = stop + 1
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
