"""How much document structure each reader recovers, against plain text extraction.

ACL papers (``training/papers.py``) are rendered into real PDF, HTML and DOCX files whose
paragraphs and section headings are known, then read back. A source paragraph counts as
recovered when some block (or, for the peers, some blank-line separated chunk) holds exactly
its text, whitespace aside. Peers, run in the same process on the same files:

- PDF: pypdf's plain ``extract_text()`` and its ``extraction_mode="layout"``, split at blank lines.
- HTML: ``trafilatura.extract`` plain text, one paragraph per line (its own convention).

The PDFs come in two layouts: paragraphs separated by a gap, and TeX-like paragraphs with an
indented first line and no gap. Every page has a running head and a page number; the HTML
pages have navigation, a cookie banner, a sidebar, a footer, scripts and styles. "leaks" counts
documents whose text still contains any of that page furniture.

    .venv/bin/python bench/read_formats.py --papers 20
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

from groundsum.read import read_bytes
from training.papers import papers

RUNNING_HEAD = "Proceedings of the Reading Benchmark Workshop"
CHROME = (
    "Skip to content", "Accept all cookies", "Related papers", "All rights reserved", "trackingPixel", RUNNING_HEAD,
)
_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^[•●▪◦‣∙·■□] ?")


@dataclass(frozen=True)
class Source:
    title: str
    blocks: tuple[tuple[str, str], ...]  # ("heading" | "paragraph", text)

    @property
    def paragraphs(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "paragraph"]

    @property
    def headings(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "heading"]


@dataclass
class Score:
    paragraphs: int = 0
    found: int = 0
    headings: int = 0
    headings_found: int = 0
    leaks: int = 0
    seconds: float = 0.0
    documents: int = 0
    errors: list[str] = field(default_factory=list)

    def row(self, name: str) -> dict:
        return {
            "reader": name,
            "documents": self.documents,
            "paragraph_recall": round(self.found / max(self.paragraphs, 1), 3),
            "heading_recall": round(self.headings_found / self.headings, 3) if self.headings else None,
            "leaks": self.leaks,
            "ms_per_doc": round(1000 * self.seconds / max(self.documents, 1), 1),
            "errors": len(self.errors),
        }


def squash(text: str) -> str:
    """NFC, whitespace collapsed, a leading bullet glyph dropped: encoding and layout, not text."""
    return _BULLET.sub("", _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip())


def sources(limit: int, supported: set[int]) -> list[Source]:
    """Papers as (kind, text) blocks, characters the PDF font lacks replaced so all formats agree."""
    result = []
    for paper in papers(limit):
        blocks = []
        for block in paper.markdown.split("\n\n"):
            block = "".join(ch if ord(ch) in supported or ch.isspace() else "?" for ch in block.strip())
            if block.startswith("## "):
                blocks.append(("heading", squash(block[3:])))
            elif block:
                blocks.append(("paragraph", squash(block)))
        result.append(Source(paper.title, tuple(blocks)))
    return result


def font_paths() -> tuple[Path, Path]:
    import matplotlib

    fonts = Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf"
    return fonts / "DejaVuSans.ttf", fonts / "DejaVuSans-Bold.ttf"


def make_pdf(source: Source, *, indented: bool) -> bytes:
    from fpdf import FPDF

    regular, bold = font_paths()

    class Paper(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", "", 8)
            self.cell(0, 6, RUNNING_HEAD, align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", "", 8)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Paper()
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(source.title)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 17)
    pdf.multi_cell(0, 8, source.title)
    pdf.ln(4)
    for kind, text in source.blocks:
        if kind == "heading":
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 13)
            pdf.multi_cell(0, 7, text)
            pdf.ln(2)
        elif indented:  # TeX style: first line indented, no gap between paragraphs
            pdf.set_font("DejaVu", "", 10)
            pdf.set_x(pdf.l_margin + 6)
            pdf.write(5, text)
            pdf.ln(5)
        else:
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, text)
            pdf.ln(3)
    return bytes(pdf.output())


def make_html(source: Source) -> bytes:
    from html import escape

    body = "\n".join(
        f"<h2>{escape(text)}</h2>" if kind == "heading" else f"<p>{escape(text)}</p>" for kind, text in source.blocks
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(source.title)} | Anthology</title>
<style>.x {{ color: red }}</style><script>var trackingPixel = 1;</script></head><body>
<a class="skip-link" href="#main">Skip to content</a>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/papers">Papers</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies. <button>Accept all cookies</button></div>
<main id="main"><article><h1>{escape(source.title)}</h1>
{body}
</article></main>
<aside class="sidebar"><h3>Related papers</h3><ul><li><a href="/a">Another paper</a></li></ul></aside>
<footer><p>Copyright 2024. All rights reserved.</p></footer>
<script>trackingPixel += 1;</script></body></html>"""
    return page.encode("utf-8")


def make_docx(source: Source) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(source.title, style="Title")
    for kind, text in source.blocks:
        if kind == "heading":
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ours(data: bytes, name: str) -> tuple[list[str], list[str], str]:
    doc = read_bytes(data, name=name)
    chunks = [doc.text[b.start : b.end] for b in doc.blocks]
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    return chunks, headings, doc.text


def pypdf_plain(data: bytes, name: str, mode: str = "plain") -> tuple[list[str], list[str], str]:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text(extraction_mode=mode) for page in PdfReader(io.BytesIO(data)).pages)
    return re.split(r"\n\s*\n", text), [], text


def pypdf_layout(data: bytes, name: str) -> tuple[list[str], list[str], str]:
    return pypdf_plain(data, name, mode="layout")


def trafilatura_text(data: bytes, name: str) -> tuple[list[str], list[str], str]:
    import trafilatura

    text = trafilatura.extract(data.decode("utf-8"), include_comments=False) or ""
    return text.split("\n"), [], text


def score(score: Score, source: Source, reader, data: bytes, name: str) -> None:
    started = time.perf_counter()
    try:
        chunks, headings, text = reader(data, name)
    except Exception as exc:  # a peer failing on a file is a result, not a crash
        score.errors.append(f"{name}: {type(exc).__name__}: {exc}")
        return
    finally:
        score.seconds += time.perf_counter() - started
    score.documents += 1
    found = {squash(chunk) for chunk in chunks}
    score.paragraphs += len(source.paragraphs)
    score.found += sum(paragraph in found for paragraph in source.paragraphs)
    if reader is ours:
        heading_set = {squash(heading) for heading in headings}
        score.headings += len(source.headings)
        score.headings_found += sum(heading in heading_set for heading in source.headings)
    score.leaks += any(chrome in text for chrome in CHROME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "read_formats.json")
    args = parser.parse_args()

    from fontTools.ttLib import TTFont

    supported = set(TTFont(str(font_paths()[0])).getBestCmap())
    docs = sources(args.papers, supported)
    files = {
        "pdf (gap)": ("paper.pdf", [make_pdf(s, indented=False) for s in docs], [ours, pypdf_plain, pypdf_layout]),
        "pdf (indent)": ("paper.pdf", [make_pdf(s, indented=True) for s in docs], [ours, pypdf_plain, pypdf_layout]),
        "html": ("paper.html", [make_html(s) for s in docs], [ours, trafilatura_text]),
        "docx": ("paper.docx", [make_docx(s) for s in docs], [ours]),
    }
    rows = []
    for fmt, (name, datas, readers) in files.items():
        for reader in readers:
            reader(datas[0], name)  # imports and first-call setup are not what is measured
            result = Score()
            for source, data in zip(docs, datas):
                score(result, source, reader, data, name)
            rows.append({"format": fmt, **result.row("groundsum" if reader is ours else reader.__name__)})
            for error in result.errors[:3]:
                print("  error:", error, file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    header = ["format", "reader", "documents", "paragraph_recall", "heading_recall", "leaks", "ms_per_doc", "errors"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join("" if row[key] is None else str(row[key]) for key in header) + " |")


if __name__ == "__main__":
    main()
