"""OCR for PDF pages without a text layer: PDFium renders each page, Tesseract reads it.

Tesseract runs as a program (Debian's ``tesseract-ocr``), one single-threaded process per CPU
core: its own threads only slow each other down on a busy machine (13 s a page against 4 s
here). Its words come back as hOCR with a box for every character. Tesseract's recognizer rarely
puts a space before punctuation or inside a formula ("Figure 2 :" comes back "2:", "where x i is
a" one word), so a word is split again where the gap between two of its characters is as wide
as the line's spaces, as the PDF reader recovers spacing from glyph positions. Placed on the
page in PDF points, on their line's baseline and with a type size, the words are what the PDF
reader gets from a text layer, so it finds columns, running heads, paragraphs and headings in
scans the same way.
A long run reports its progress through ``progress`` (the CLI shows a bar).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Any

from ..errors import InputError

# Called with (pages done, pages to do) after each page; the CLI sets it to drive a progress bar.
progress: ContextVar[Callable[[int, int], None] | None] = ContextVar("ocr_progress", default=None)

_DPI = 300
_PAGE_SECONDS = 300  # a page Tesseract takes longer on is given up
# A gap inside a Tesseract word this wide, against the median space of its line, is a space: gaps
# between the letters of a word are under 0.4 of it, missed spaces 0.7 or more (chosen on aclsum
# train papers 5-12 typeset and rasterized by bench/pdf_bench.py, not the 4 it reports on).
_SPACE_SHARE = 0.75
_HOCR_LINES = {"ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"}
_XHTML = "{http://www.w3.org/1999/xhtml}"
_BOX = re.compile(r"(?:bbox|x_bboxes) (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
# "le-4", "l.5", "I00%": a number whose 1s Tesseract read as l or I (never a word; "l2" is left alone)
_NUMBER_WITH_ONES = re.compile(r"[\dlI]+(?:[.,][\dlI]+)*(?:e[-+]?\d+)?%?")
_ASCENDERS = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ([{/|")
_DESCENDERS = set("gjpqy([{/|,;")
INSTALL = "apt-get install tesseract-ocr"
Run = tuple[str, float, float, float, float]  # a word or a space: text, left, right, baseline, size (points)


@dataclass(frozen=True)
class Word:
    """A word Tesseract read, in pixels from the page's top left; ``line`` tells its line apart."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    line: tuple[int, int, int]  # block, paragraph, line


def tesseract() -> str:
    """The Tesseract program, or an InputError that says how to install it."""
    program = shutil.which("tesseract")
    if program is None:
        raise InputError(f"reading scanned pages needs Tesseract OCR, which is not installed: {INSTALL}")
    return program


def ocr_runs(document: Any, pages: list[int]) -> dict[int, list[Run]]:
    """The words of the pages at ``pages`` (0-based) of a pypdfium2 document, read by Tesseract."""
    program = tesseract()
    report = progress.get()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    found: dict[int, list[Run]] = {}
    if report is not None:
        report(0, len(pages))  # the bar shows from the start: rendering takes time too
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        jobs = {}
        for index in pages:  # PDFium isn't thread-safe: pages are rendered here, read in the pool
            page = document[index]
            image = io.BytesIO()
            page.render(scale=_DPI / 72, grayscale=True).to_pil().save(image, "PNG")
            jobs[index] = (pool.submit(_read_words, program, image.getvalue(), env), page.get_height())
        for done, (index, (job, height)) in enumerate(jobs.items(), 1):
            found[index] = page_runs(job.result(), height, 72 / _DPI)
            if report is not None:
                report(done, len(pages))
    return found


def _read_words(program: str, png: bytes, env: dict[str, str]) -> list[Word]:
    """The words Tesseract reads on one page image."""
    try:
        result = subprocess.run([program, "stdin", "stdout", "--dpi", str(_DPI), "-c", "hocr_char_boxes=1", "hocr"],
                                input=png, capture_output=True, env=env, timeout=_PAGE_SECONDS, check=True)
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(f"Tesseract failed on a page: {message[-1] if message else exc.returncode}") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"Tesseract took over {_PAGE_SECONDS} s on a page") from None
    try:
        return list(hocr_words(result.stdout))
    except ET.ParseError as exc:
        raise InputError(f"Tesseract's output for a page is unreadable hOCR ({exc})") from None


def hocr_words(hocr: bytes) -> Iterator[Word]:
    """The words of Tesseract's hOCR (made with character boxes), split again at gaps as wide as a space."""
    root = ET.fromstring(hocr)
    areas = (div for div in root.iter(f"{_XHTML}div") if div.get("class") == "ocr_carea")
    for block, area in enumerate(areas, 1):
        for paragraph, par in enumerate((p for p in area if p.get("class") == "ocr_par"), 1):
            for number, line in enumerate((span for span in par if span.get("class") in _HOCR_LINES), 1):
                yield from _line_words(line, (block, paragraph, number))


def _line_words(line: ET.Element, key: tuple[int, int, int]) -> Iterator[Word]:
    words = [span for span in line if span.get("class") == "ocrx_word"]
    spaces = [gap for before, after in pairwise(_box(word) for word in words) if (gap := after[0] - before[2]) > 0]
    wide = _SPACE_SHARE * median(spaces) if spaces else None
    for word in words:
        chars = [(_box(char), char.text or "") for char in word if char.get("class") == "ocrx_cinfo"]
        for piece in _pieces(chars or [(_box(word), "".join(word.itertext()).strip())], wide):
            text = _ones_in_number("".join(char for _, char in piece))
            if text.strip():
                boxes = [box for box, _ in piece]
                yield Word(text, min(box[0] for box in boxes), min(box[1] for box in boxes),
                           max(box[2] for box in boxes), max(box[3] for box in boxes), key)


def _box(element: ET.Element) -> tuple[int, int, int, int]:
    found = _BOX.search(element.get("title", ""))
    return (0, 0, 0, 0) if found is None else (int(found[1]), int(found[2]), int(found[3]), int(found[4]))


def _pieces(chars: list[tuple[tuple[int, int, int, int], str]], wide: float | None) -> list[list]:
    """A word's characters, cut where the gap between two is at least ``wide`` pixels."""
    cuts = [index for index, (before, char) in enumerate(pairwise(chars), 1)
            if wide is not None and char[0][0] - before[0][2] >= wide]
    return [chars[start:end] for start, end in pairwise([0, *cuts, len(chars)]) if end > start]


def _ones_in_number(text: str) -> str:
    """A number with 1s read as l or I given its 1s back, when it can't be a word or a short name."""
    number = text.rstrip(".,;:)")
    has_digit = any(ch.isdigit() for ch in number)
    numeric = len(number) >= 3 or any(ch in number for ch in ".,%e")
    if has_digit and numeric and _NUMBER_WITH_ONES.fullmatch(number):
        return number.replace("l", "1").replace("I", "1") + text[len(number):]
    return text


def page_runs(words: list[Word], page_height: float, scale: float) -> list[Run]:
    """Tesseract's words (pixels from the top) in PDF points, a space after each.

    Every word of a line sits on the line's lowest edge; the type size comes from the word heights
    of Tesseract's paragraph, allowing for ascenders and descenders, rounded to a point so lines
    of one size agree.
    """
    lines: defaultdict[tuple[int, int, int], list[Word]] = defaultdict(list)
    for word in words:
        lines[word.line].append(word)
    paragraphs: defaultdict[tuple[int, ...], list[float]] = defaultdict(list)
    for key, line in lines.items():
        lettered = [word for word in line if any(ch.isalnum() for ch in word.text)] or line  # not a lone "," or "."
        paragraphs[key[:2]].extend(_type_size(word.text, word.bottom - word.top) for word in lettered)
    runs: list[Run] = []
    for key, line in lines.items():
        size = max(1, round(median(paragraphs[key[:2]]) * scale))  # one size for Tesseract's paragraph: less noise
        baseline = page_height - max(word.bottom for word in line) * scale
        for word in line:
            runs.append((word.text, word.left * scale, word.right * scale, baseline, size))
            runs.append((" ", 0.0, 0.0, 0.0, 0.0))
    return runs


def _type_size(text: str, height: int) -> float:
    """The font size that makes a word this tall: x-height, plus ascenders and descenders if it has them."""
    share = 0.5 + 0.23 * any(ch in _ASCENDERS for ch in text) + 0.22 * any(ch in _DESCENDERS for ch in text)
    return height / share
