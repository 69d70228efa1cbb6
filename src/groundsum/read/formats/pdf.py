"""PDF: the text layer (or OCR of pages without one), rebuilt into paragraphs, headings and notes.

PDFium gives every character with its box and font size (pages without text go through OCR,
``read/ocr.py``, and come back the same way). Characters become fragments (a run on one
baseline with no wide gap); raised small digits after a word are footnote markers and are
dropped. Fragments on a page's top or bottom line, in the margin and standing apart from the
text (or a page number, or recurring), are running heads, feet and page numbers. A gutter no
line crosses splits a page into columns, read left then right between full-width lines.
Fragments on one baseline in one column make a line; lines with several wide-spaced cells are
table rows. Small type at the foot of a column, from a marker or a gap on, is a footnote;
"Table 1:" or "Figure 2." starts a caption. Footnotes, captions and tables are kept apart and
placed after the paragraph they interrupt, so a paragraph runs on across them and across column
and page breaks. A paragraph ends at a larger vertical gap, an indented first line, a change of
type size, a bullet, or a short line that ends a sentence; larger type in a short paragraph is
a heading. Lines ending in a page number after dot leaders or a wide gap are a table of
contents, kept as a table (not summarized). Hyphens at line ends are undone unless the document
shows them to be real.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from statistics import median
from typing import Any, Literal

import numpy as np

from ...errors import InputError
from ...model import Document
from .. import RawBlock, Reader, assemble, first_heading_title, reader_registry

_Role = Literal["body", "note", "table", "toc", "caption"]  # what a line is on its page

_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
    | {"\ufffe": "-", "\xad": "-", "\x02": "-"}  # PDFium's marks for a hyphen at a line end
)
_SPACES = re.compile(r"[ \t]+")
_OTHER_SPACE = re.compile(r"[^\S ]+")  # line breaks PDFium adds, tabs: not part of a fragment's text
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·■□–]|\d{1,3}[.)]|\(?[a-z][.)])\s")
_BULLET_GLYPH = re.compile(r"^[•●▪◦‣∙·■□]\s*")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"\w-$")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")
_CAPTION = re.compile(r"^(?:Table|Figure|Fig\.|Algorithm|Listing)\s*[\dIVX]+[.:]", re.IGNORECASE)
_TOC_LEADER = re.compile(r"(?:\s*\.){4,}\s*\d{1,4}$")
_MARKERS = set("0123456789*†‡§¶")
_JUNK_TITLE = re.compile(r"^(?:untitled.*|microsoft word - .*|.*\.(?:docx?|pdf|tex|dvi|indd|qxd))$", re.IGNORECASE)
_MARGIN_BAND = 0.2  # running heads and feet sit within this share of the page height from its edge
_APART = 1.6  # ... and further from the text than this many body leadings
_NOTE_APART = 1.4  # footnotes stand further apart from the text above them than this many leadings
_HEADING_SCALE = 1.08  # heading type is at least this much larger than body type (11pt LaTeX: 12 over 10.95)
_NOTE_SCALE = 0.92  # footnote type is at most this much of body type
_GAP_SCALE = 1.25  # a paragraph gap is at least this much larger than the usual leading
_CELL_GAP = 1.2  # a horizontal gap this many type sizes wide separates fragments (columns, cells)
_SHORT_LINE = 0.6  # a line shorter than this share of a full line, ending a sentence, ends a paragraph
_REACHES_MARGIN = 0.9  # a line shorter than this share of a full line doesn't reach the right margin
_TOC_RUN = 3  # this many table-of-contents lines in a row make a table of contents
_HYPHEN_MARK = "\u2060"  # between a line-end hyphen and the next line until the document decides


@dataclass(frozen=True, slots=True)
class Fragment:
    """Characters on one baseline with no wide gap between them, in PDF points (y grows upwards)."""

    text: str
    x0: float
    x1: float
    y: float  # baseline
    size: float  # font size in points
    marked: bool = False  # began with a raised footnote marker, dropped from the text


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    page: int
    x: float
    x1: float
    y: float
    size: float
    frame: tuple[int, int, int]  # (page, band between full-width lines, column: 0 full, 1 left, 2 right)
    role: _Role = "body"
    cells: int = 1
    marked: bool = False  # began with a footnote marker


@dataclass(frozen=True, slots=True)
class _Layout:
    """What is normal: where lines start and end in each frame, the leading, the body type size."""

    lefts: dict[tuple[int, int, int], float]
    widths: dict[tuple[int, int, int], float]  # of a full line
    leading: float | None  # baseline to baseline, per point of type size
    body_size: float
    indented: bool  # paragraphs begin with an indented line rather than after a gap
    display_leading: dict[float, float]  # by type size larger than the body: baseline to baseline, in points


@dataclass
class _Group:
    lines: list[_Line]
    kind: _Role | Literal["paragraph"]  # paragraph for a body group
    after: int = -1  # a note, caption or table goes after this body group
    asides: list[_Group] = field(default_factory=list)  # notes, captions and tables that go after this group


def parse(data: bytes) -> Document:
    document = _open(data)
    try:
        return _parse(document)
    finally:
        document.close()


def _parse(document: Any) -> Document:
    pages, unreadable, sizes = _read_pages(document)  # sizes: (width, height) of each page
    scanned = [i for i, page in enumerate(pages) if not page and i + 1 not in unreadable and _has_images(document, i)]
    metadata: dict[str, Any] = {"pages": len(pages)}
    if scanned:
        from ..ocr import ocr_runs

        try:
            for index, runs in ocr_runs(document, scanned).items():
                pages[index] = fragments_from_runs(runs)
        except InputError as exc:
            if not any(pages):
                raise  # how to install Tesseract
            metadata["pages_not_read"] = [index + 1 for index in scanned]  # figure pages, perhaps: the CLI warns
            metadata["ocr_error"] = str(exc)
        else:
            metadata["ocr_pages"] = [index + 1 for index in scanned]
    if not any(pages):
        if unreadable:
            raise InputError(f"not a readable PDF (no page could be read: {len(unreadable)} damaged)")
        if scanned:
            raise InputError("the PDF has no text layer, and OCR found no text in its images")
        raise InputError("the PDF has no text layer and no images")
    lines = _lines(pages, sizes)
    parts = _parts(lines)
    title = _metadata_title(document) or first_heading_title(parts) or next(line.text for line in lines if line.text)
    if unreadable:
        metadata["unreadable_pages"] = unreadable
    return assemble(parts, format="pdf", title=title, metadata=metadata)


def _open(data: bytes) -> Any:
    """A PdfDocument whose pages can be read, or an InputError that says why not."""
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("the PDF is encrypted; decrypt it first") from None
        raise InputError(f"not a readable PDF ({_reason(exc)})") from None


def _has_images(document: Any, index: int) -> bool:
    import pypdfium2.raw as pdfium

    return any(True for _ in document[index].get_objects(filter=[pdfium.FPDF_PAGEOBJ_IMAGE], max_depth=3))


def _reason(exc: Exception) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 120 else message[:117] + "..."


def _read_pages(document: Any) -> tuple[list[list[Fragment]], list[int], list[tuple[float, float]]]:
    """Fragments of every page, the pages PDFium can't parse (by number), and the size of each page."""
    pages: list[list[Fragment]] = []
    unreadable: list[int] = []
    for number in range(1, len(document) + 1):
        try:
            page = document[number - 1]
            pages.append(_page_fragments(page))
        except Exception:  # a damaged page spoils one page, not the document
            unreadable.append(number)
            pages.append([])
    return pages, unreadable, [document.get_page_size(index) for index in range(len(document))]


def _page_fragments(page: Any) -> list[Fragment]:
    """The page's characters as fragments; superscript footnote markers after words are dropped."""
    import pypdfium2.raw as pdfium

    textpage = page.get_textpage()
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: read them one by one
        text = "".join(chr(pdfium.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    # where a space sits doesn't matter: gaps are measured between inked characters
    inked = [index for index, char in enumerate(text) if not char.isspace()]
    handle, char_box, font_size = textpage.raw, pdfium.FPDFText_GetLooseCharBox, pdfium.FPDFText_GetFontSize
    boxes = (pdfium.FS_RECTF * len(inked))()  # loose boxes: the bottom sits a font's descent below the baseline
    for slot, index in enumerate(inked):
        char_box(handle, index, boxes[slot])
    left, _, right, bottom = np.frombuffer(boxes, dtype=np.float32).reshape(-1, 4).T.astype(np.float64)
    sizes = np.array([font_size(handle, index) for index in inked], dtype=np.float64)
    return _fragments(text, inked, left, right, bottom - page.get_mediabox()[1], sizes)


def fragments_from_runs(chars: list[tuple[str, float, float, float, float]]) -> list[Fragment]:
    """Runs of characters or words (text, left, right, baseline, size) on one line without a wide gap.

    Blanks among them are spaces: other whitespace, like the line breaks PDFium adds, is no text.
    """
    inked = [index for index, char in enumerate(chars) if not char[0].isspace()]
    left, right, bottom, size = np.array([chars[i][1:] for i in inked], dtype=np.float64).reshape(-1, 4).T
    return _fragments([char[0] for char in chars], inked, left, right, bottom, size)


def _fragments(
    tokens: Sequence[str], inked: list[int], left: np.ndarray, right: np.ndarray, bottom: np.ndarray, size: np.ndarray
) -> list[Fragment]:
    """Tokens (characters or words) cut into fragments; the arrays hold the boxes of the inked ones.

    A fragment runs from an inked token to the next fragment, spaces included. Most fragments
    are in one type size and so have no raised footnote marker to drop: they skip ``_fragment``.
    """
    if not inked:
        return []
    starts = [0, *_cuts(left, right, bottom, size), len(inked)]
    size_changes = np.concatenate(([0], np.cumsum(size[1:] != size[:-1]))).tolist()
    lefts, rights, bottoms, sizes = left.tolist(), right.tolist(), bottom.tolist(), size.tolist()
    fragments: list[Fragment] = []
    for first, end in itertools.pairwise(starts):
        span = slice(inked[first], inked[end] if end < len(inked) else len(tokens))
        typical = round(sizes[first], 1)
        one_size = size_changes[first] == size_changes[end - 1]
        if one_size and abs(sizes[first] - typical) < 0.1 * typical and sizes[first] >= 0.85 * typical:
            text = _OTHER_SPACE.sub("", "".join(tokens[span])).translate(_LIGATURES)
            x1, baseline = max(rights[first:end]), median(bottoms[first:end])
            fragments.append(Fragment(_SPACES.sub(" ", text).strip(), lefts[first], x1, baseline, typical))
            continue
        found = zip(lefts[first:end], rights[first:end], bottoms[first:end], sizes[first:end])
        boxes = dict(zip(inked[first:end], found))
        run = [
            (token, *boxes.get(position, (0.0, 0.0, 0.0, 0.0)))
            for position, token in enumerate(tokens[span], span.start)
            if token == " " or not token.isspace()
        ]
        fragments.extend(_fragment(run))
    return fragments


def _cuts(left: np.ndarray, right: np.ndarray, bottom: np.ndarray, size: np.ndarray) -> list[int]:
    """Indexes of the inked tokens that start a fragment: on a new line, after a wide gap, or stepping back.

    Each depends only on the inked token before it, so all are found at once. A baseline that moves
    to or from a smaller type size within half a line (a superscript) is no new line.
    """
    step = np.maximum(size[:-1], 1.0)
    smaller = size[1:] <= size[:-1]  # which neighbour is the small one, the second where both are the same
    small, large = np.where(smaller, size[1:], size[:-1]), np.where(smaller, size[:-1], size[1:])
    rise = np.where(smaller, bottom[1:] - bottom[:-1], bottom[:-1] - bottom[1:])  # of the small one
    raised = (small < 0.85 * large) & (rise > 0) & (rise < 0.7 * large)
    new_line = (np.abs(bottom[1:] - bottom[:-1]) > 0.6 * step) & ~raised
    cut = new_line | (left[1:] - right[:-1] > _CELL_GAP * step) | (left[1:] < left[:-1] - step)
    return (np.flatnonzero(cut) + 1).tolist()


def _fragment(run: list[tuple[str, float, float, float, float]]) -> list[Fragment]:
    inked = [c for c in run if not c[0].isspace()]
    if not inked:
        return []
    size = Counter(round(c[4], 1) for c in inked).most_common(1)[0][0]
    baseline = median(c[3] for c in inked if abs(c[4] - size) <= 0.1 * size)  # <=: a size of 0 matches itself
    kept: list[str] = []
    marked = False
    for index, char in enumerate(run):  # footnote markers: raised small digits or symbols after a word
        raised = char[4] < 0.85 * size and char[3] > baseline + 0.2 * size and char[0] in _MARKERS
        if raised and (index == 0 or not run[index - 1][0].isdigit()):
            marked = marked or not kept
            continue
        kept.append(char[0])
    text = _SPACES.sub(" ", "".join(kept).translate(_LIGATURES)).strip()
    if not text:
        return []
    return [Fragment(text, inked[0][1], max(c[2] for c in inked), baseline, size, marked)]


def _lines(pages: list[list[Fragment]], sizes: list[tuple[float, float]]) -> list[_Line]:
    """Every page's lines in reading order, page furniture left out."""
    every = [fragment for page in pages for fragment in page]
    body_size = _body_size((f.size, len(f.text)) for f in every) or 10.0
    leading = _leading(pages, body_size)
    furniture = _furniture(pages, [height for _, height in sizes], body_size, leading)
    lines: list[_Line] = []
    for number, fragments in enumerate(pages, 1):
        kept = [f for i, f in enumerate(fragments) if (number, i) not in furniture]
        lines.extend(_page_lines(kept, number, sizes[number - 1][0], body_size))
    return _roles(lines, body_size, leading)


def _body_size(sizes: Iterable[tuple[float, int]]) -> float | None:
    """The size most of the text is set in."""
    counts: Counter = Counter()
    for size, weight in sizes:
        counts[round(size, 1)] += weight
    return counts.most_common(1)[0][0] if counts else None


def _leading(pages: list[list[Fragment]], body_size: float) -> float:
    """Baseline to baseline in body text, in points: the smallest common drop between body fragments."""
    drops: Counter = Counter()
    for fragments in pages:
        body = [f for f in fragments if abs(f.size - body_size) < 0.1 * body_size]
        for above, below in itertools.pairwise(body):
            if 0.8 * body_size < above.y - below.y < 3 * body_size:
                drops[round(above.y - below.y, 1)] += 1
    return _smallest_common(drops) if drops else 1.2 * body_size


def _furniture(
    pages: list[list[Fragment]], heights: list[float], body_size: float, leading: float
) -> set[tuple[int, int]]:
    """(page, fragment index) of running heads, feet and page numbers.

    The fragments on a page's topmost or bottommost baseline are page furniture when they sit in
    the page margin, are no larger than body type, and either stand well apart from the text,
    are a page number, or recur at the same height on several pages (digits aside).
    """
    edges: list[list[list[int]]] = []
    recurring: Counter = Counter()
    for fragments, height in zip(pages, heights):
        edges.append(groups := _edge_groups(fragments, height))
        for group in groups:
            recurring[_recurring_key(fragments, group)] += 1
    repeats = min(3, len(pages)) if len(pages) >= 2 else float("inf")
    found: set[tuple[int, int]] = set()
    for number, (fragments, groups) in enumerate(zip(pages, edges), 1):
        for group in groups:
            if any(fragments[i].size > 1.05 * body_size for i in group):
                continue  # a title isn't a running head
            rest = [f.y for i, f in enumerate(fragments) if i not in group and (number, i) not in found]
            y = fragments[group[0]].y
            apart = not rest or min(abs(y - other) for other in rest) > _APART * leading
            text = " ".join(fragments[i].text for i in group)
            if apart or _PAGE_NUMBER.match(text) or recurring[_recurring_key(fragments, group)] >= repeats:
                found.update((number, i) for i in group)
    return found


def _edge_groups(fragments: list[Fragment], height: float) -> list[list[int]]:
    """Indexes of the fragments on the topmost and on the bottommost baseline, where in the margin."""
    if not fragments:
        return []
    groups = []
    top = max(f.y for f in fragments)
    bottom = min(f.y for f in fragments)
    if top > (1 - _MARGIN_BAND) * height:
        groups.append([i for i, f in enumerate(fragments) if abs(f.y - top) < 0.5 * f.size])
    if bottom < _MARGIN_BAND * height and bottom != top:
        groups.append([i for i, f in enumerate(fragments) if abs(f.y - bottom) < 0.5 * f.size])
    return groups


def _recurring_key(fragments: list[Fragment], group: list[int]) -> tuple[str, int]:
    return _DIGITS.sub("#", " ".join(fragments[i].text for i in group)), round(fragments[group[0]].y)


def _page_lines(fragments: list[Fragment], page: int, width: float, body_size: float) -> list[_Line]:
    """A page's fragments as lines in reading order: columns left to right between full-width lines."""
    gutter = _gutter(fragments, width, body_size)
    if gutter is None:
        return _frame_lines(fragments, (page, 0, 0))
    spanning = sorted((f for f in fragments if f.x0 < gutter < f.x1), key=lambda f: -f.y)
    cuts = [-f.y for f in spanning]
    bands: defaultdict[int, list[list[Fragment]]] = defaultdict(lambda: [[], []])
    for f in fragments:
        if not f.x0 < gutter < f.x1:
            bands[bisect_right(cuts, -f.y)][f.x0 >= gutter].append(f)
    lines: list[_Line] = []
    for band in range(len(spanning) + 1):
        left, right = bands.get(band, ([], []))
        lines.extend(_frame_lines(left, (page, band, 1)))
        lines.extend(_frame_lines(right, (page, band, 2)))
        if band < len(spanning):
            lines.extend(_frame_lines([spanning[band]], (page, band, 0)))
    return lines


def _gutter(fragments: list[Fragment], width: float, body_size: float) -> float | None:
    """The x of a gap between two columns that body lines don't cross, or None for one column."""
    body = [f for f in fragments if abs(f.size - body_size) < 0.15 * body_size and len(f.text) > 10]
    if len(body) < 10:
        return None
    spans = [f for f in body if f.x0 < f.x1]  # a line crosses x where it starts left of x and ends right of it
    starts, ends = sorted(f.x0 for f in spans), sorted(f.x1 for f in spans)
    crossing, _, gutter = min(
        (bisect_left(starts, x) - bisect_right(ends, x), abs(x - width / 2), float(x))
        for x in range(int(0.35 * width), int(0.65 * width) + 1, 2)
    )
    left = sum(f.x1 < gutter for f in body)
    right = sum(f.x0 > gutter for f in body)
    if crossing > 0.1 * len(body) or min(left, right) < max(3, 0.05 * len(body)):
        return None
    return gutter


def _frame_lines(fragments: list[Fragment], frame: tuple[int, int, int]) -> list[_Line]:
    """Fragments on one baseline joined into a line, top to bottom; each fragment beyond the first is a cell."""
    rows: list[list[Fragment]] = []
    for f in sorted(fragments, key=lambda f: (-f.y, f.x0)):
        if rows and abs(rows[-1][0].y - f.y) < 0.3 * max(f.size, rows[-1][0].size):
            rows[-1].append(f)
        else:
            rows.append([f])
    lines = []
    for row in rows:
        row.sort(key=lambda f: f.x0)
        size = _body_size((f.size, len(f.text)) for f in row) or row[0].size
        text = " ".join(f.text for f in row)
        lines.append(
            _Line(text, frame[0], row[0].x0, row[-1].x1, row[0].y, size, frame, cells=len(row), marked=row[0].marked)
        )
    return lines


def _roles(lines: list[_Line], body_size: float, leading: float) -> list[_Line]:
    """Footnotes at the foot of each frame, table rows, table-of-contents runs."""
    roles: list[_Role] = ["body"] * len(lines)
    by_frame: defaultdict[tuple, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        by_frame[line.frame].append(index)
    for indexes in by_frame.values():
        # small type at the foot of a frame, from a line that begins with a marker or stands apart
        start = len(indexes)
        while start > 0 and lines[indexes[start - 1]].size <= _NOTE_SCALE * body_size:
            start -= 1
        while start < len(indexes):
            line, above = lines[indexes[start]], lines[indexes[start - 1]] if start else None
            if _starts_note(line) or (above is not None and above.y - line.y > _NOTE_APART * leading):
                break
            start += 1
        for index in indexes[start:]:
            roles[index] = "note"
    entries = [_toc_line(line) for line in lines]
    toc = [entry and line.size < _HEADING_SCALE * body_size for entry, line in zip(entries, lines)]
    for index, line in enumerate(lines):  # an entry in larger type ("Part I ... 26") among the others on its page
        neighbours = [i for i in (index - 1, index + 1) if 0 <= i < len(lines) and lines[i].page == line.page]
        toc[index] = toc[index] or (entries[index] and any(toc[i] for i in neighbours))
    for start, end in _runs(toc):
        if end - start >= _TOC_RUN:
            roles[start:end] = ["toc"] * (end - start)
    rows = [line.cells > 1 and role == "body" for line, role in zip(lines, roles)]
    for start, end in _runs(rows):
        if end - start >= 2 and all(lines[i].size <= 1.05 * body_size for i in range(start, end)):
            roles[start:end] = ["table"] * (end - start)
    return [line if line.role == role else replace(line, role=role) for line, role in zip(lines, roles)]


def _starts_note(line: _Line) -> bool:
    return line.marked or line.text[:1] in _MARKERS


def _toc_line(line: _Line) -> bool:
    if _TOC_LEADER.search(line.text):
        return True
    last = line.text.rsplit(" ", 1)[-1]
    return line.cells > 1 and last.isdigit() and len(line.text) > len(last) + 2


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _parts(lines: list[_Line]) -> list[RawBlock]:
    layout = _layout(lines)
    body: list[_Group] = []
    asides: list[_Group] = []  # notes, captions, tables and contents, each after the body group it interrupts
    previous: _Line | None = None  # the last body line
    interrupted = False  # something else came between it and the next body line
    for index, line in enumerate(lines):
        follows_caption = bool(asides) and index > 0 and asides[-1].lines[-1] is lines[index - 1]
        caption = line.role == "body" and (
            bool(_CAPTION.match(line.text)) or (follows_caption and _continues_caption(asides[-1], line, layout))
        )
        if line.role != "body" or caption:
            role = "caption" if caption else line.role
            if asides and _same_aside(asides[-1], role, line, layout) and asides[-1].after == len(body) - 1:
                asides[-1].lines.append(line)
            else:
                asides.append(_Group([line], role, after=len(body) - 1))
            interrupted = True
            continue
        in_list_item = previous is not None and bool(_BULLET.match(body[-1].lines[0].text))
        if previous is None or _starts_paragraph(previous, line, layout, in_list_item, interrupted):
            body.append(_Group([line], "paragraph"))
        else:
            body[-1].lines.append(line)
        previous, interrupted = line, False
    for aside in asides:
        if aside.after >= 0:
            body[aside.after].asides.append(aside)
    heading_sizes = sorted({round(g.lines[0].size * 2) / 2 for g in body if _is_heading(g.lines, layout.body_size)})
    heading_sizes.reverse()
    parts = [_aside_part(aside) for aside in asides if aside.after < 0]
    for group in body:
        if _is_heading(group.lines, layout.body_size):
            level = min(heading_sizes.index(round(group.lines[0].size * 2) / 2) + 1, 6)
            parts.append(RawBlock(_joined(group.lines), "heading", level))
        elif _BULLET.match(group.lines[0].text):
            parts.append(RawBlock(_BULLET_GLYPH.sub("", _joined(group.lines)), "list_item"))
        else:
            parts.append(RawBlock(_joined(group.lines), "paragraph"))
        parts.extend(_aside_part(aside) for aside in group.asides)
    return _unhyphenated(parts)


def _continues_caption(aside: _Group, line: _Line, layout: _Layout) -> bool:
    """A caption runs on over the lines right below it until its paragraph ends."""
    if aside.kind != "caption" or line.frame != aside.lines[-1].frame:
        return False
    return not _starts_paragraph(aside.lines[-1], line, layout, False, False)


def _same_aside(aside: _Group, role: str, line: _Line, layout: _Layout) -> bool:
    if aside.kind != role:
        return False
    if role == "note":
        return not _starts_note(line) and not _starts_paragraph(aside.lines[-1], line, layout, False, False)
    if role == "caption":
        return not _CAPTION.match(line.text)
    return True


def _aside_part(aside: _Group) -> RawBlock:
    if aside.kind == "note" or aside.kind == "caption":
        return RawBlock(_joined(aside.lines), aside.kind)
    return RawBlock("\n".join(line.text for line in aside.lines), "table")  # a table or a table of contents


def _layout(lines: list[_Line]) -> _Layout:
    """Where body lines start and how wide a full one is, frame by frame; their leading overall.

    Edges and widths change between pages and columns; leading rarely does, and a page of one-line
    paragraphs has no leading to measure. Edge and leading are the smallest values common enough
    to be the rule, so indented lines, list items and paragraph gaps stand out even where they
    are frequent. Leading is relative to type size, so a heading's wider line spacing doesn't
    read as a paragraph gap.
    """
    body_size = _body_size((line.size, len(line.text)) for line in lines if line.role == "body") or 10.0
    body = [line for line in lines if line.role == "body" and _same_size(line.size, body_size)]
    starts: defaultdict[tuple, Counter] = defaultdict(Counter)
    ends: defaultdict[tuple, list[float]] = defaultdict(list)
    gaps: Counter = Counter()
    for line in body:
        starts[line.frame][round(line.x)] += len(line.text)
        ends[line.frame].append(line.x1)
    for above, below in itertools.pairwise(body):
        if above.frame == below.frame and 0.8 * below.size < above.y - below.y < 3 * below.size:
            gaps[round((above.y - below.y) / below.size, 2)] += 1
    display_gaps: defaultdict[float, Counter] = defaultdict(Counter)  # between the lines of wrapped headings
    for above, below in itertools.pairwise(lines):
        same = above.frame == below.frame and abs(above.size - below.size) < 0.05 * below.size
        if same and below.size >= _HEADING_SCALE * body_size and 0.8 * below.size < above.y - below.y < 3 * below.size:
            display_gaps[round(below.size, 1)][round(above.y - below.y, 1)] += 1
    lefts = {frame: float(_smallest_common(counts)) for frame, counts in starts.items()}
    widths = {frame: sorted(found)[int(0.8 * (len(found) - 1))] - lefts[frame] for frame, found in ends.items()}
    indents = sum(0.8 * line.size < line.x - lefts[line.frame] < 6 * line.size for line in body)
    return _Layout(
        lefts,
        widths,
        _smallest_common(gaps) if gaps else None,
        body_size,
        indents >= 0.02 * len(body),
        {size: _smallest_common(counts) for size, counts in display_gaps.items()},
    )


def _smallest_common(counts: Counter) -> float:
    common = min(0.1 * sum(counts.values()), max(counts.values()))  # with many rare values, the most frequent
    return min(value for value, count in counts.items() if count >= common)


def _same_size(size: float, other: float | None) -> bool:
    return other is None or abs(size - other) < 0.1 * other


def _starts_paragraph(previous: _Line, line: _Line, layout: _Layout, in_list_item: bool, interrupted: bool) -> bool:
    ends_sentence = bool(_SENTENCE_END.search(previous.text))
    if _BULLET_GLYPH.match(line.text) or (ends_sentence and _BULLET.match(line.text)):
        return True  # "3. From ..." after "in Table" is a wrapped line, not a numbered item
    if abs(line.size - previous.size) > 0.15 * max(line.size, previous.size):
        return True
    left = layout.lefts.get(previous.frame, previous.x)
    full = layout.widths.get(previous.frame, 0.0)
    reach = (previous.x1 - left) / full if full > 0 else 1.0
    if ends_sentence and reach < _SHORT_LINE:
        return True
    margin = layout.lefts.get(line.frame)
    em = line.size
    display = line.size >= _HEADING_SCALE * layout.body_size  # a heading's later lines may hang after its number
    indented = margin is not None and not in_list_item and not display and 0.8 * em < line.x - margin < 6 * em
    if line.frame != previous.frame or interrupted:  # a new column or page, or after a float or note
        if display:
            return True  # headings don't run on across columns
        if layout.indented:
            return indented or (ends_sentence and reach < _REACHES_MARGIN)
        return ends_sentence and not line.text[:1].islower()
    drop = previous.y - line.y
    # Lines larger than the body are measured against the body's leading (display type is often
    # set tighter than its size suggests), a heading's own lines against the leading of its size.
    if layout.leading:
        usual = layout.leading * min(max(line.size, previous.size), layout.body_size)
        if display and abs(line.size - previous.size) < 0.05 * line.size:
            usual = layout.display_leading.get(round(line.size, 1), usual)
        if drop > _GAP_SCALE * usual:
            return True
    # a list item's later lines hang indented; an indented line after a full one is a display or a quote
    return indented and margin is not None and (abs(previous.x - margin) < 0.5 * em or reach < _REACHES_MARGIN)


def _is_heading(group: list[_Line], body_size: float) -> bool:
    """Short, in larger type than the body, and with words in it."""
    if group[0].size < _HEADING_SCALE * body_size or len(group) > 3:
        return False
    text = _joined(group)
    return len(text) <= 200 and any(ch.isalpha() for ch in text)


def _joined(group: list[_Line]) -> str:
    """Lines as running text; a hyphen at a line end is marked for ``_unhyphenated`` to decide."""
    parts = [group[0].text]
    for above, line in itertools.pairwise(group):
        parts.append(_HYPHEN_MARK if _HYPHENATED.search(above.text) and line.text[:1].isalpha() else " ")
        parts.append(line.text)
    return "".join(parts)


def _unhyphenated(parts: list[RawBlock]) -> list[RawBlock]:
    """Words hyphenated at a line end joined again, unless the hyphen is real.

    The document decides where it can: a form it writes elsewhere, hyphenated or joined, wins.
    Otherwise the hyphen is real where typesetters don't break words (fewer than two letters before
    it or three after: "p-value"; after a number: "10-dimensional"), in a compound that already
    has one ("state-of-the-art"), or between two words the document uses on their own, not only
    inside compounds ("aspect-level"); syllables ("transla-tion", "re-main") are joined.
    """
    pattern = re.compile(rf"([\w-]+-){_HYPHEN_MARK}(\w*)")
    text = pattern.sub(" ", " ".join(part.text for part in parts)).lower()  # the words not broken at a line end
    compounds = Counter(re.findall(r"\w+(?:-\w+)*", text))
    words = {word for word in compounds if "-" not in word}  # used on their own, not only in a compound

    def join(match: re.Match) -> str:
        before, after = match.group(1), match.group(2)
        stem = before[:-1]
        hyphenated, joined = compounds[f"{stem}-{after}".lower()], compounds[f"{stem}{after}".lower()]
        if hyphenated or joined:
            keep = hyphenated >= joined
        else:
            last = stem.rsplit("-", 1)[-1].lower()
            unbreakable = len(last) < 2 or len(after) < 3 or last[-1].isdigit()  # "10-dimensional"
            keep = unbreakable or "-" in stem or (last in words and after.lower() in words)
        return f"{before}{after}" if keep else f"{stem}{after}"

    return [replace(part, text=pattern.sub(join, part.text)) for part in parts]


def _metadata_title(document: Any) -> str | None:
    try:
        title = document.get_metadata_value("Title")
    except Exception:  # damaged document information dictionary
        return None
    if not isinstance(title, str) or not title.strip() or _JUNK_TITLE.match(title.strip()):
        return None
    return title


def looks_like_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


reader_registry.register("pdf")(Reader("pdf", (".pdf",), parse, looks_like_pdf, priority=10))
