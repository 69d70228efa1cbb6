"""The PDF reader on PDFs typeset by pdflatex, and on image-only copies of them read by OCR.

The LaTeX is written here from the bundled example letters, compiled once per session; the
scans are those PDFs rendered to pictures. pdflatex and Tesseract come from ``make pdf-tools``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from groundsum.errors import InputError
from groundsum.read import read_bytes

ROOT = Path(__file__).resolve().parent.parent
RUNNING_HEAD = "Proceedings of the Letters Workshop"
FOOTNOTE = "The letters were translated from Russian and Spanish."
CAPTION = "Table 1: Letters sent in the last week of October 1962."
LONG_HEADING = "Letters Between the Soviet Premier and the Cuban Prime Minister in October"
_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
        "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", '"': r"\textquotedbl{}",
        "'": r"\textquotesingle{}", "`": r"\textasciigrave{}", "<": r"\textless{}", ">": r"\textgreater{}"}

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex missing: make pdf-tools")


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def letter_paragraphs(count: int) -> list[str]:
    """Long paragraphs of the example letters in ASCII, the characters pdflatex's fonts and the test agree on."""
    text = (ROOT / "examples" / "cuban-missile-crisis-letters.md").read_text(encoding="utf-8")
    paragraphs = []
    for block in text.split("\n\n"):
        block = " ".join(unicodedata.normalize("NFKD", block).encode("ascii", "ignore").decode().split())
        block = block.replace("[", "").replace("]", "").replace("--", ", ")
        if len(block) > 300 and not block.startswith("#"):
            paragraphs.append(block)
    return paragraphs[:count]


def tex(text: str) -> str:
    return re.sub(r"([-,])(?=[-,])", r"\1{}", "".join(_TEX.get(ch, ch) for ch in text))


def compile_tex(source: str, folder: Path, runs: int = 1) -> bytes:
    (folder / "doc.tex").write_text(source, encoding="utf-8")
    for _ in range(runs):  # a table of contents needs a second run
        subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", "doc.tex"], cwd=folder,
                       capture_output=True, timeout=120, check=True)
    return (folder / "doc.pdf").read_bytes()


def two_column_source(paragraphs: list[str]) -> str:
    body = []
    for index, paragraph in enumerate(paragraphs):
        if index == 0:
            body.append(r"\section{Introduction}")
        if index == 3:
            body.append(r"\section{%s}" % LONG_HEADING)
        text = tex(paragraph)
        if index == 1:
            first, dot, rest = text.partition(". ")
            text = first + r".\footnote{%s} " % FOOTNOTE + rest if dot else text + r"\footnote{%s}" % FOOTNOTE
        body.append(text)
        if index == 2:
            body.append(r"\begin{table}[t]\centering\begin{tabular}{lr}\hline Writer & Letters \\ \hline "
                        r"Khrushchev & 3 \\ Castro & 2 \\ \hline\end{tabular}\caption{%s}\end{table}"
                        % CAPTION.split(": ", 1)[1])
    return "\n\n".join([
        r"\documentclass[10pt,twocolumn]{article}\usepackage[margin=2cm]{geometry}\usepackage[T1]{fontenc}"
        r"\usepackage{lmodern}\usepackage{fancyhdr}\pagestyle{fancy}\fancyhf{}"
        r"\fancyhead[L]{\small %s}\fancyhead[R]{\small\nouppercase{\leftmark}}\fancyfoot[C]{\thepage}"
        r"\begin{document}\title{Letters of the Crisis}\author{}\date{}\maketitle" % RUNNING_HEAD,
        *body,
        r"\end{document}",
    ])


def one_column_source(paragraphs: list[str]) -> str:
    body = []
    for index, paragraph in enumerate(paragraphs):
        if index % 4 == 0:
            body.append(r"\section{Letter %d}" % (index // 2 + 1))
        elif index % 2 == 0:
            body.append(r"\subsection{Reply %d}" % index)
        body.append(tex(paragraph))
    return "\n\n".join([
        r"\documentclass[11pt]{article}\usepackage[T1]{fontenc}\usepackage{lmodern}\begin{document}",
        r"\tableofcontents\newpage", *body, r"\end{document}",
    ])


@pytest.fixture(scope="session")
def typeset(tmp_path_factory) -> dict[str, tuple[bytes, list[str]]]:
    """The PDFs pdflatex makes of the letters: two-column with furniture, and one-column with contents."""
    folder = tmp_path_factory.mktemp("latex")
    paragraphs = letter_paragraphs(12)
    (folder / "two").mkdir()
    (folder / "one").mkdir()
    return {
        "two-column": (compile_tex(two_column_source(paragraphs), folder / "two"), paragraphs),
        "one-column": (compile_tex(one_column_source(paragraphs[:8]), folder / "one", runs=2), paragraphs[:8]),
    }


def blocks(doc, kind: str) -> list[str]:
    return [squash(doc.text[b.start : b.end]) for b in doc.blocks if b.kind == kind]


def test_two_column_paper_reads_as_its_paragraphs(typeset):
    from pypdf import PdfReader

    data, paragraphs = typeset["two-column"]
    plain = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert len(re.findall(r"[a-z]-\n[a-z]", plain)) >= 5  # pdflatex did break words at line ends
    doc = read_bytes(data, name="paper.pdf")
    # every paragraph whole and in order: columns, page breaks, hyphenation, the footnote marker and the float
    assert blocks(doc, "paragraph") == [squash(p) for p in paragraphs]
    assert blocks(doc, "heading") == ["Letters of the Crisis", "1 Introduction", f"2 {LONG_HEADING}"]
    assert blocks(doc, "note") == [FOOTNOTE]
    assert blocks(doc, "caption") == [CAPTION]
    assert blocks(doc, "table") == ["Writer Letters Khrushchev 3 Castro 2"]
    assert RUNNING_HEAD not in doc.text and doc.metadata["pages"] >= 2
    kinds = [b.kind for b in doc.blocks]
    assert kinds[kinds.index("note") - 1] == "paragraph"  # after the paragraph it interrupted, not inside


def test_table_of_contents_is_a_table_not_sections(typeset):
    data, paragraphs = typeset["one-column"]
    doc = read_bytes(data, name="report.pdf")
    headings = blocks(doc, "heading")
    assert headings[0] == "Contents" and "1 Letter 1" in headings and "1.1 Reply 2" in headings
    assert len(headings) == 1 + 4  # Contents, two sections, two subsections: none from the contents lines
    tables = blocks(doc, "table")
    assert len(tables) == 1 and tables[0].startswith("1 Letter 1") and "1.1 Reply 2" in tables[0]
    assert blocks(doc, "paragraph") == [squash(p) for p in paragraphs]


def rasterize(data: bytes, pages: list[int] | None = None, dpi: int = 200) -> bytes:
    """An image-only copy of (some pages of) a PDF, as a scanner makes it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    images = [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in pages or range(len(document))]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


@pytest.fixture(scope="session")
def scan(typeset) -> bytes:
    return rasterize(typeset["one-column"][0], pages=[1])


needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract missing: make pdf-tools")


@needs_tesseract
def test_scanned_page_is_read_by_ocr(scan, typeset):
    from groundsum.read.ocr import progress

    reports = []
    token = progress.set(lambda done, total: reports.append((done, total)))
    try:
        doc = read_bytes(scan, name="scan.pdf")
    finally:
        progress.reset(token)
    assert doc.metadata["ocr_pages"] == [1] and reports == [(0, 1), (1, 1)]
    text = squash(doc.text)
    sentences = [s for p in typeset["one-column"][1][:2] for s in re.split(r"(?<=[.!?])\s+", squash(p))]
    found = [s for s in sentences if s in text]
    assert "1 Letter 1" in blocks(doc, "heading")
    assert len(found) >= 0.85 * len(sentences), set(sentences) - set(found)


# Spacing OCR's recognizer drops (TeX sets a space before ":" and inside a flattened formula) and
# a 1 it reads as "l" in a number: each sentence must come back verbatim.
SPACED = ["As Figure 2 : shows, the model reads [h 1 , h 2 ] and stops.",
          "We train with a learning rate of 1e-4 and a batch of 32 .",
          "The relation where x i is a token holds for every token in the letters of October 1962 ."]


@needs_tesseract
def test_ocr_keeps_the_spaces_the_page_shows_and_ones_in_numbers(tmp_path):
    source = (r"\documentclass[10pt]{article}\usepackage[T1]{fontenc}\usepackage{lmodern}\begin{document}"
              + " ".join(tex(sentence) for sentence in SPACED) + r"\end{document}")
    scanned = rasterize(compile_tex(source, tmp_path), dpi=300)
    text = squash(read_bytes(scanned, name="scan.pdf").text)
    assert [sentence for sentence in SPACED if sentence not in text] == []


@pytest.fixture(scope="session")
def mixed(scan, typeset) -> bytes:
    """A text page of the two-column paper, then the scanned page."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    pdf.import_pages(pypdfium2.PdfDocument(typeset["two-column"][0]), [0])
    pdf.import_pages(pypdfium2.PdfDocument(scan))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@needs_tesseract
def test_mixed_pdf_reads_text_pages_and_ocrs_scanned_ones(mixed):
    doc = read_bytes(mixed, name="mixed.pdf")
    assert doc.metadata["ocr_pages"] == [2]
    assert "1 Introduction" in blocks(doc, "heading") and "1 Letter 1" in blocks(doc, "heading")


def without_tesseract() -> dict[str, str]:
    return {**os.environ, "PATH": str(Path(sys.executable).parent)}  # the venv's programs, not Tesseract


def test_mixed_pdf_without_tesseract_summarizes_its_text_and_warns_in_one_line(mixed, tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(mixed)
    result = subprocess.run([sys.executable, "-m", "groundsum", "summarize", str(path)], env=without_tesseract(),
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode().splitlines() == [
        f"groundsum: warning: {path}: page(s) 2 have no text layer and were not read: reading scanned pages "
        "needs Tesseract OCR, which is not installed: apt-get install tesseract-ocr"
    ]
    assert result.stdout.strip()


def test_missing_tesseract_is_a_one_line_error_saying_how_to_install_it(scan, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan)
    result = subprocess.run([sys.executable, "-m", "groundsum", "summarize", str(path)], env=without_tesseract(),
                            capture_output=True, timeout=120)
    stderr = result.stderr.decode().strip()
    assert result.returncode != 0 and "Traceback" not in stderr
    assert stderr.splitlines() == [
        f"groundsum: error: {path}: reading scanned pages needs Tesseract OCR, which is not installed: "
        "apt-get install tesseract-ocr"
    ]


def test_image_pdf_without_words_is_refused(tmp_path):
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (800, 1000), 255).save(out, "PDF", resolution=100)
    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract missing: make pdf-tools")
    with pytest.raises(InputError, match="no text layer, and OCR found no text"):
        read_bytes(out.getvalue(), name="blank-scan.pdf")
