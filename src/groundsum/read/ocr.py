"""OCR for PDF pages without a text layer: PDFium renders each page, Tesseract reads it.

Tesseract runs as a program (Debian's ``tesseract-ocr``), one single-threaded process per CPU
core: its own threads only slow each other down on a busy machine (13 s a page against 4 s
here). Its words come back as TSV with their boxes. Placed on the page in PDF points, on their
line's baseline and with a type size, they are what the PDF reader gets from a text layer, so
it finds columns, running heads, paragraphs and headings in scans the same way.
A long run reports its progress through ``progress`` (the CLI shows a bar).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from statistics import median
from typing import Any

from ..errors import InputError

# Called with (pages done, pages to do) after each page; the CLI sets it to drive a progress bar.
progress: ContextVar[Callable[[int, int], None] | None] = ContextVar("ocr_progress", default=None)

_DPI = 300
_PAGE_SECONDS = 300  # a page Tesseract takes longer on is given up
_ASCENDERS = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ([{/|")
_DESCENDERS = set("gjpqy([{/|,;")
INSTALL = "apt-get install tesseract-ocr"
Run = tuple[str, float, float, float, float]  # a word or a space: text, left, right, baseline, size (points)


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


def _read_words(program: str, png: bytes, env: dict[str, str]) -> list[dict[str, str]]:
    """Tesseract's TSV for one page image: a row per word, with its block, paragraph, line and box."""
    try:
        result = subprocess.run([program, "stdin", "stdout", "--dpi", str(_DPI), "tsv"], input=png,
                                capture_output=True, env=env, timeout=_PAGE_SECONDS, check=True)
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(f"Tesseract failed on a page: {message[-1] if message else exc.returncode}") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"Tesseract took over {_PAGE_SECONDS} s on a page") from None
    header, *rows = result.stdout.decode("utf-8", errors="replace").splitlines()
    names = header.split("\t")
    return [dict(zip(names, row.split("\t", len(names) - 1))) for row in rows]


def page_runs(words: list[dict[str, str]], page_height: float, scale: float) -> list[Run]:
    """Tesseract's words (TSV rows, pixels from the top) in PDF points, a space after each.

    Every word of a line sits on the line's lowest edge; the type size comes from the word heights
    of Tesseract's paragraph, allowing for ascenders and descenders, rounded to a point so lines
    of one size agree.
    """
    lines: defaultdict[tuple, list[dict[str, str]]] = defaultdict(list)
    for word in words:
        if word.get("text", "").strip() and float(word["conf"]) >= 0:
            lines[(word["block_num"], word["par_num"], word["line_num"])].append(word)
    paragraphs: defaultdict[tuple, list[float]] = defaultdict(list)
    for key, line in lines.items():
        paragraphs[key[:2]].extend(_type_size(word["text"], int(word["height"])) for word in line)
    runs: list[Run] = []
    for key, line in lines.items():
        bottom = max(int(word["top"]) + int(word["height"]) for word in line)
        size = round(median(paragraphs[key[:2]]) * scale)  # one size for Tesseract's paragraph: less noise
        baseline = page_height - bottom * scale
        for word in line:
            left = int(word["left"]) * scale
            runs.append((word["text"], left, left + int(word["width"]) * scale, baseline, size))
            runs.append((" ", 0.0, 0.0, 0.0, 0.0))
    return runs


def _type_size(text: str, height: int) -> float:
    """The font size that makes a word this tall: x-height, plus ascenders and descenders if it has them."""
    share = 0.5 + 0.23 * any(ch in _ASCENDERS for ch in text) + 0.22 * any(ch in _DESCENDERS for ch in text)
    return height / share
