"""PDF: the text layer, rebuilt into paragraphs and headings from where each line sits on the page.

pypdf gives lines in reading order (columns included) and, through its visitor, the position
and font size of every piece of text. A paragraph ends at a larger vertical gap, an indented
first line, a change of font size, a bullet, or a short line that ends a sentence. Larger
type in a short paragraph is a heading. Running heads and page numbers are dropped, words
hyphenated across lines are joined.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

from ...errors import InputError
from ...model import Document
from .. import Part, Reader, assemble, first_heading_title, reader_registry

logging.getLogger("pypdf").addHandler(logging.NullHandler())  # damaged files log warnings; not for stderr

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"[ \t]+")
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·■□–]|\d{1,3}[.)]|\(?[a-z][.)])\s")
_BULLET_GLYPH = re.compile(r"^[•●▪◦‣∙·■□]\s*")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.IGNORECASE
)
_EDGE_NUMBER = re.compile(r"^(\d{1,4})\b|\b(\d{1,4})$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")
_JUNK_TITLE = re.compile(r"^(?:untitled.*|microsoft word - .*|.*\.(?:docx?|pdf|tex|dvi|indd|qxd))$", re.IGNORECASE)
_EDGE_LINES = 2  # running heads and page numbers sit in the first or last two lines of a page
_MARGIN_BAND = 0.1  # ... within this share of the page height from its top or bottom
_HEADING_SCALE = 1.15  # heading type is at least this much larger than body type
_GAP_SCALE = 1.25  # a paragraph gap is at least this much larger than the usual leading
_SHORT_LINE = 0.6  # a line shorter than this share of a full line, ending a sentence, ends a paragraph
_REACHES_MARGIN = 0.9  # a line shorter than this share of a full line doesn't reach the right margin


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    page: int
    x: float | None = None
    y: float | None = None
    size: float | None = None  # rendered font size in points
    in_margin: bool | None = None  # in the top or bottom tenth of the page, where running heads sit


@dataclass(frozen=True, slots=True)
class _Layout:
    """What is normal: where body lines start on each page, how far apart and how long they are."""

    margins: dict[int, float]
    full_lines: dict[int, int]  # characters in a line that reaches the right margin
    leading: float | None  # baseline to baseline, per point of type size
    body_size: float | None  # the type size most of the text is set in


def parse(data: bytes) -> Document:
    reader = _open(data)
    pages, unreadable = _read_pages(reader)
    lines = _without_running_heads(pages, _body_size([line for page in pages for line in page]))
    if not any(line.text for line in lines):
        if unreadable:
            raise InputError(f"not a readable PDF (no page could be read: {len(unreadable)} damaged)")
        raise InputError("the PDF has no text layer (scanned images?); run OCR first")
    parts = _parts(lines)
    title = _metadata_title(reader) or first_heading_title(parts) or next(line.text for line in lines if line.text)
    metadata: dict[str, Any] = {"pages": len(pages)}
    if unreadable:
        metadata["unreadable_pages"] = unreadable
    return assemble(parts, format="pdf", title=title, metadata=metadata)


def _open(data: bytes) -> Any:
    """A PdfReader whose pages can be read, or an InputError that says why not."""
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise InputError(f"not a readable PDF ({_reason(exc)})") from None
    if encrypted:
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED  # owner-password-only files open
        except Exception:  # an unsupported cipher is as closed as a wrong password
            opened = False
        if not opened:
            raise InputError("the PDF is encrypted; decrypt it first")
    try:
        len(reader.pages)
    except Exception as exc:
        raise InputError(f"not a readable PDF ({_reason(exc)})") from None
    return reader


def _reason(exc: Exception) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 120 else message[:117] + "..."


def _read_pages(reader: Any) -> tuple[list[list[_Line]], list[int]]:
    """Lines of every page; a page pypdf can't parse counts as empty and is reported by number."""
    pages: list[list[_Line]] = []
    unreadable: list[int] = []
    for number, page in enumerate(reader.pages, 1):
        try:
            pages.append(_page_lines(page, number))
        except Exception:  # a damaged content stream spoils one page, not the document
            unreadable.append(number)
            pages.append([])
    return pages, unreadable


def _page_lines(page: Any, number: int) -> list[_Line]:
    """pypdf's lines, each placed where its first visible text starts, sized by most of its text."""
    runs: list[tuple[str, tuple[float, float, float] | None]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        if text:
            runs.append((text, _placement(cm, tm, font_size)))

    text = page.extract_text(visitor_text=visit)
    if "".join(run for run, _ in runs) != text:  # positions don't match the text: keep the lines alone
        runs = [(text, None)]
    lines: list[_Line] = []
    pieces: list[tuple[str, tuple[float, float, float] | None]] = []
    for run, placement in runs:
        for index, piece in enumerate(run.split("\n")):
            if index:
                lines.append(_line(pieces, number))
                pieces = []
            pieces.append((piece, placement))
    lines.append(_line(pieces, number))
    bottom, top = float(page.mediabox.bottom), float(page.mediabox.top)
    band = _MARGIN_BAND * (top - bottom)
    return [
        line if line.y is None else replace(line, in_margin=not bottom + band < line.y < top - band) for line in lines
    ]


def _placement(cm: list[float], tm: list[float], font_size: float) -> tuple[float, float, float] | None:
    """(x, y, rendered size) of text drawn with text matrix ``tm`` under ``cm``."""
    a, b, c, d, e, f = tm
    ca, cb, cc, cd, ce, cf = cm
    size = font_size * math.hypot(c * ca + d * cc, c * cb + d * cd)
    if size <= 0:
        return None
    return e * ca + f * cc + ce, e * cb + f * cd + cf, size


def _line(pieces: list[tuple[str, tuple[float, float, float] | None]], page: int) -> _Line:
    """A line from its pieces: a small bullet glyph up front doesn't set the line's size."""
    text = _SPACES.sub(" ", "".join(piece for piece, _ in pieces).translate(_LIGATURES)).strip()
    placed = [(piece, placement) for piece, placement in pieces if piece.strip() and placement is not None]
    if not placed:
        return _Line(text, page)
    sizes = Counter()
    for piece, placement in placed:
        sizes[round(placement[2], 1)] += len(piece.strip())
    x, y, _ = placed[0][1]
    return _Line(text, page, x, y, sizes.most_common(1)[0][0])


def _without_running_heads(pages: list[list[_Line]], body_size: float | None) -> list[_Line]:
    """All lines in order, minus page numbers and running heads.

    A running head is one of the first or last lines of a page, in the page margin, no larger
    than body type, and at the same height on several pages: the same text on three pages
    (or on every page of a short document), or the same text with a number that counts up
    with the pages ("Chapter 2: Structures 3", "... 4").
    """
    edges = [_edge_indexes(lines, body_size) for lines in pages]
    same_text: defaultdict[tuple, set[int]] = defaultdict(set)
    numbered: defaultdict[tuple, set[int]] = defaultdict(set)
    for page, (lines, indexes) in enumerate(zip(pages, edges)):
        for index in indexes:
            same_text[_text_key(lines[index])].add(page)
            if (key := _numbered_key(lines[index], page)) is not None:
                numbered[key].add(page)
    repeats = min(3, len(pages)) if len(pages) >= 2 else math.inf
    kept: list[_Line] = []
    for page, (lines, indexes) in enumerate(zip(pages, edges)):
        for index, line in enumerate(lines):
            running = index in indexes and (
                bool(_PAGE_NUMBER.match(line.text))
                or len(same_text[_text_key(line)]) >= repeats
                or len(numbered.get(_numbered_key(line, page), ())) >= 2
            )
            if not running:
                kept.append(line)
    return kept


def _text_key(line: _Line) -> tuple:
    return line.text, None if line.y is None else round(line.y)


def _numbered_key(line: _Line, page: int) -> tuple | None:
    """Text with its page number masked, and how far printed numbers are from page positions."""
    found = _EDGE_NUMBER.search(line.text)
    if found is None:
        return None
    number = int(found.group(1) or found.group(2))
    return _EDGE_NUMBER.sub("#", line.text), None if line.y is None else round(line.y), number - page


def _edge_indexes(lines: list[_Line], body_size: float | None) -> set[int]:
    filled = [index for index, line in enumerate(lines) if line.text]
    return {
        index
        for index in filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]
        if lines[index].in_margin is not False
        and not (lines[index].size and body_size and lines[index].size > 1.05 * body_size)  # headings aren't
    }


def _parts(lines: list[_Line]) -> list[Part]:
    body_size = _body_size(lines)
    layout = _layout(lines, body_size)
    groups: list[list[_Line]] = []
    previous: _Line | None = None
    for line in lines:
        if not line.text:
            previous = None  # an empty line always ends a paragraph
            continue
        in_list_item = previous is not None and bool(_BULLET.match(groups[-1][0].text))
        if previous is None or _starts_paragraph(previous, line, layout, in_list_item):
            groups.append([line])
        else:
            groups[-1].append(line)
        previous = line
    heading_sizes = sorted({round(g[0].size * 2) / 2 for g in groups if _is_heading(g, body_size)}, reverse=True)
    parts = []
    for group in groups:
        if _is_heading(group, body_size):
            level = min(heading_sizes.index(round(group[0].size * 2) / 2) + 1, 6)
            parts.append(Part(_joined(group), "heading", level))
        elif _BULLET.match(group[0].text):
            parts.append(Part(_BULLET_GLYPH.sub("", _joined(group)), "list_item"))
        else:
            parts.append(Part(_joined(group), "paragraph"))
    return parts


def _body_size(lines: list[_Line]) -> float | None:
    """The size most of the text is set in."""
    sizes = Counter()
    for line in lines:
        if line.size:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _layout(lines: list[_Line], body_size: float | None) -> _Layout:
    """Where body lines start and how long a full one is, page by page; their leading overall.

    Edges and lengths change between pages (odd and even margins, a one-column first page);
    leading rarely does, and a page of one-line paragraphs has no leading to measure. Edge and
    leading are the smallest values common enough to be the rule, so indented lines, list items
    and paragraph gaps stand out even where they are frequent. Leading is relative to type size,
    so a heading's wider line spacing doesn't read as a paragraph gap.
    """
    body = [line for line in lines if line.text and (line.size is None or _same_size(line.size, body_size))]
    placed = [line for line in body if line.size]
    starts: defaultdict[int, Counter] = defaultdict(Counter)
    lengths: defaultdict[int, list[int]] = defaultdict(list)
    gaps: Counter = Counter()
    for line in body:
        lengths[line.page].append(len(line.text))
    for line in placed:
        starts[line.page][round(line.x)] += len(line.text)
    for above, below in zip(placed, placed[1:]):
        if above.page == below.page and 0 < above.y - below.y < 3 * below.size:
            gaps[round((above.y - below.y) / below.size, 2)] += 1
    return _Layout(
        margins={page: _smallest_common(counts) for page, counts in starts.items()},
        full_lines={page: sorted(found)[int(0.8 * (len(found) - 1))] for page, found in lengths.items()},
        leading=_smallest_common(gaps) if gaps else None,
        body_size=body_size,
    )


def _smallest_common(counts: Counter) -> float:
    total = sum(counts.values())
    return min(value for value, count in counts.items() if count >= 0.1 * total)


def _same_size(size: float, other: float | None) -> bool:
    return other is None or abs(size - other) < 0.1 * other


def _starts_paragraph(previous: _Line, line: _Line, layout: _Layout, in_list_item: bool) -> bool:
    ends_sentence = bool(_SENTENCE_END.search(previous.text))
    if _BULLET_GLYPH.match(line.text) or (ends_sentence and _BULLET.match(line.text)):
        return True  # "3. From ..." after "in Table" is a wrapped line, not a numbered item
    full_line = layout.full_lines.get(previous.page, 0)
    if ends_sentence and len(previous.text) < _SHORT_LINE * full_line:
        return True
    if line.size and previous.size and abs(line.size - previous.size) > 0.15 * max(line.size, previous.size):
        return True
    if line.page != previous.page or None in (line.y, previous.y):
        return ends_sentence and not line.text[:1].islower()  # paragraphs run on across pages
    drop = previous.y - line.y
    if drop < -line.size / 2:  # back up the page: the next column
        return ends_sentence and not line.text[:1].islower()
    # Display type is often set tighter than its size would suggest, so lines larger than the body
    # are measured against the body's leading: two headings a blank line apart stay two.
    size = max(line.size, previous.size)
    if layout.body_size:
        size = min(size, layout.body_size)
    if layout.leading and drop > _GAP_SCALE * layout.leading * size:
        return True
    margin = layout.margins.get(line.page)
    if margin is not None and not in_list_item:  # a list item's later lines hang indented
        em = line.size
        indented = 0.8 * em < line.x - margin < 6 * em
        previous_ended = abs(previous.x - margin) < 0.5 * em or len(previous.text) < _REACHES_MARGIN * full_line
        return indented and previous_ended  # an indented first line
    return False


def _is_heading(group: list[_Line], body_size: float | None) -> bool:
    """Short, in larger type than the body, and with words in it."""
    size = group[0].size
    text = _joined(group)
    return (
        body_size is not None
        and size is not None
        and size >= _HEADING_SCALE * body_size
        and len(group) <= 2
        and len(text) <= 150
        and any(ch.isalpha() for ch in text)
    )


def _joined(group: list[_Line]) -> str:
    """A paragraph's lines as running text: a hyphen at a line end joins the word again."""
    text = group[0].text
    for line in group[1:]:
        if _HYPHENATED.search(text) and line.text[:1].islower():
            text = text[:-1] + line.text
        else:
            text = f"{text} {line.text}"
    return text


def _metadata_title(reader: Any) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # damaged document information dictionary
        return None
    if not isinstance(title, str) or not title.strip() or _JUNK_TITLE.match(title.strip()):
        return None
    return title


def looks_like_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


reader_registry.register("pdf")(Reader("pdf", (".pdf",), parse, looks_like_pdf, priority=10))
