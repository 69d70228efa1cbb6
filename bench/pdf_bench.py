"""How well PDF readers recover papers typeset with pdflatex, groundsum against its peers.

ACL papers from the aclsum train split (``training/papers.py``) are typeset with pdflatex in
two layouts: a 10pt two-column ``article`` with ``fancyhdr`` running heads (a fixed line and the
current section) and page numbers, and an 11pt one-column one. Both have a footnote in the first
paragraph, a table and a figure with captions. The PDFs are cached in ``bench/out/pdf/``
(git-ignored). Some two-column PDFs are rasterized and read back through OCR.

Each source paragraph and sentence is looked for verbatim (whitespace and typographic quotes and
dashes normalized) inside one chunk of each reader's output: a block for groundsum and PyMuPDF's
blocks mode, a blank-line separated chunk for the others. Headings count when a block (groundsum)
or a whole output line (peers) is the numbered heading. "leaks" counts documents whose body text
holds a running head, a page number between two words, or the footnote; "float leaks" those whose
body text holds a caption. "non-source tokens" is the share of output tokens that are no word of
the source: words run together ("Wewishtopredict") or hyphen halves ("transla-").

    .venv/bin/python bench/pdf_bench.py                  # 12 papers per layout, 2 through OCR
    .venv/bin/python bench/pdf_bench.py --papers 40 --ocr 0

Peers: pypdf (always installed); pdfminer.six, pdfplumber and PyMuPDF come with the bench extra
(``pip install -e '.[bench]'``). pdflatex and Tesseract are Debian packages (``make pdf-tools``).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

import itertools

from groundsum.read import read_bytes
from training.papers import Paper, papers

CACHE = Path(__file__).parent / "out" / "pdf"
RUNNING_HEAD = "Proceedings of the Reader Benchmark Workshop"
FOOTNOTE = "Work done while the first author was visiting the typesetting laboratory."
TABLE_CAPTION = "Scores of the compared systems on the held-out test set; higher is better."
FIGURE_CAPTION = "Overview of the model: the encoder reads the input and the decoder writes the output."
LAYOUTS = {
    "two-column": r"\documentclass[10pt,twocolumn]{article}\usepackage[margin=2cm,top=2.5cm]{geometry}",
    "one-column": r"\documentclass[11pt]{article}\usepackage[margin=2.5cm]{geometry}",
}
_PREAMBLE = r"""
\usepackage[T1]{fontenc}\usepackage{lmodern}\usepackage{fancyhdr}
\pagestyle{fancy}\fancyhf{}
\fancyhead[L]{\small %s}\fancyhead[R]{\small\nouppercase{\leftmark}}\fancyfoot[C]{\thepage}
\renewcommand{\sectionmark}[1]{\markboth{\thesection\ #1}{}}
\sloppy
\begin{document}
""" % RUNNING_HEAD
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "‐": "-", "‑": "-", "–": "-", "—": "-", "\xad": ""}
)
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}", '"': r"\textquotedbl{}", "'": r"\textquotesingle{}", "`": r"\textasciigrave{}",
}
_TOKEN_EDGE = re.compile(r"^\W+|\W+$")


def canon(text: str) -> str:
    """Compatibility forms (ligatures), ASCII quotes and dashes, collapsed whitespace."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)).strip()


def ascii_text(text: str) -> str:
    """What the source says in ASCII: pdflatex's fonts and the comparison then agree on every character."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()).strip()


def tex_escape(text: str) -> str:
    text = "".join(_TEX_SPECIAL.get(ch, ch) for ch in text)
    return re.sub(r"([-,])(?=[-,])", r"\1{}", text)  # no "--" dashes or ",," quotes from ligatures


@dataclass(frozen=True)
class Source:
    paper_id: str
    title: str
    blocks: tuple[tuple[str, str], ...]  # ("heading" | "paragraph", ASCII text); headings numbered as typeset

    @property
    def paragraphs(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "paragraph"]

    @property
    def headings(self) -> list[str]:
        return [text for kind, text in self.blocks if kind == "heading"]

    @property
    def sentences(self) -> list[str]:
        return [sentence for paragraph in self.paragraphs for sentence in _SENTENCE.split(paragraph)]


def source(paper: Paper) -> Source:
    blocks: list[tuple[str, str]] = []
    number = 0
    for block in paper.markdown.split("\n\n"):
        text = ascii_text(block.removeprefix("## "))
        if not text:
            continue
        if block.startswith("## "):
            number += 1
            blocks.append(("heading", f"{number} {text}"))
        else:
            blocks.append(("paragraph", text))
    return Source(paper.paper_id, ascii_text(paper.title), tuple(blocks))


def latex(doc: Source, layout: str) -> str:
    """The paper as LaTeX: footnote in the first paragraph, a table after the third, a figure after the sixth."""
    body = [LAYOUTS[layout] + _PREAMBLE, r"\title{%s}\author{Anonymous}\date{}\maketitle" % tex_escape(doc.title)]
    paragraphs = 0
    for kind, text in doc.blocks:
        if kind == "heading":
            body.append(r"\section{%s}" % tex_escape(text.split(" ", 1)[1]))
            continue
        paragraphs += 1
        escaped = tex_escape(text)
        if paragraphs == 1:
            first, dot, rest = escaped.partition(". ")
            note = r"\footnote{%s}" % FOOTNOTE
            escaped = f"{first}.{note} {rest}" if dot else escaped + note
        body.append(escaped + "\n")
        if paragraphs == 3:
            body.append(
                r"\begin{table}[t]\centering\small\begin{tabular}{lrr}\hline System & BLEU & Seconds \\ \hline"
                r" Baseline & 21.4 & 1.0 \\ Ours & 24.8 & 1.3 \\ \hline\end{tabular}\caption{%s}\end{table}"
                % TABLE_CAPTION
            )
        if paragraphs == 6:
            body.append(
                r"\begin{figure}[t]\centering\fbox{\rule{0pt}{2cm}\rule{0.8\linewidth}{0pt}}\caption{%s}\end{figure}"
                % FIGURE_CAPTION
            )
    body.append(r"\end{document}")
    return "\n\n".join(body)


def compile_pdf(tex: str) -> bytes:
    """pdflatex's PDF of ``tex``, cached by content; a paper pdflatex rejects raises."""
    path = CACHE / f"{hashlib.sha256(tex.encode()).hexdigest()[:20]}.pdf"
    if not path.exists():
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "paper.tex").write_text(tex, encoding="utf-8")
            subprocess.run(
                ["pdflatex", "-interaction=batchmode", "-halt-on-error", "paper.tex"],
                cwd=folder, capture_output=True, timeout=120, check=True,
            )
            CACHE.mkdir(parents=True, exist_ok=True)
            shutil.copy(Path(folder) / "paper.pdf", path)
    return path.read_bytes()


def rasterize(data: bytes, dpi: int = 300) -> bytes:
    """An image-only copy of a PDF: every page rendered and stored as a picture, no text layer."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


# --- readers: each returns (chunks, lines that may be headings, body text) --------------------------

Output = tuple[list[str], list[str], str]


def groundsum(data: bytes) -> Output:
    doc = read_bytes(data, name="paper.pdf")
    chunks = [doc.text[b.start : b.end] for b in doc.blocks]
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    body = "\n\n".join(doc.text[b.start : b.end] for b in doc.blocks if b.kind in ("heading", "paragraph", "list_item"))
    return chunks, headings, body


def _plain(text: str) -> Output:
    return re.split(r"\n\s*\n", text), text.splitlines(), text


def pypdf_plain(data: bytes) -> Output:
    from pypdf import PdfReader

    return _plain("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def pdfminer(data: bytes) -> Output:
    from pdfminer.high_level import extract_text

    return _plain(extract_text(io.BytesIO(data)))


def pdfplumber_text(data: bytes) -> Output:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return _plain("\n".join(page.extract_text() or "" for page in pdf.pages))


def pymupdf_text(data: bytes) -> Output:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return _plain("\n".join(page.get_text("text", sort=True) for page in pdf))


def pymupdf_blocks(data: bytes) -> Output:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        blocks = [block[4] for page in pdf for block in page.get_text("blocks", sort=True) if block[6] == 0]
    return blocks, [line for block in blocks for line in block.splitlines()], "\n\n".join(blocks)


PEERS: dict[str, tuple[Callable[[bytes], Output], str | None]] = {
    "pypdf": (pypdf_plain, None),
    "pdfminer.six": (pdfminer, "pdfminer"),
    "pdfplumber": (pdfplumber_text, "pdfplumber"),
    "PyMuPDF text": (pymupdf_text, "pymupdf"),
    "PyMuPDF blocks": (pymupdf_blocks, "pymupdf"),
}


# --- scoring ----------------------------------------------------------------------------------------


@dataclass
class Score:
    paragraphs: int = 0
    paragraphs_found: int = 0
    sentences: int = 0
    sentences_found: int = 0
    headings: int = 0
    headings_found: int = 0
    leaks: int = 0
    float_leaks: int = 0
    tokens: int = 0
    foreign_tokens: int = 0
    similarity: list[float] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0
    documents: int = 0
    errors: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def row(self, baseline_seconds: float | None) -> dict:
        ratio = lambda found, total: round(found / total, 3) if total else None  # noqa: E731
        return {
            "documents": self.documents,
            "paragraphs": ratio(self.paragraphs_found, self.paragraphs),
            "sentences": ratio(self.sentences_found, self.sentences),
            "headings": ratio(self.headings_found, self.headings),
            "leaks": self.leaks,
            "float_leaks": self.float_leaks,
            "non_source_tokens_pct": round(100 * self.foreign_tokens / max(self.tokens, 1), 2),
            "char_similarity": round(sum(self.similarity) / len(self.similarity), 3) if self.similarity else None,
            "ms_per_doc": round(1000 * self.seconds / max(self.documents, 1), 1),
            "s_per_page": round(self.seconds / max(self.pages, 1), 2),
            "x_pypdf": round(self.seconds / baseline_seconds, 2) if baseline_seconds else None,
            "errors": len(self.errors),
        }


def tokens(text: str) -> list[str]:
    return [token for word in text.split() if (token := _TOKEN_EDGE.sub("", word).lower())]


def page_number_leak(body: list[str], source_pairs: set[tuple[str, str]], pages: int) -> bool:
    """A page number between two words that follow each other in the source."""
    numbers = {str(n) for n in range(1, pages + 1)}
    return any(
        middle in numbers and (before, after) in source_pairs and (before, middle) not in source_pairs
        for before, middle, after in zip(body, body[1:], body[2:])
    )


def score(result: Score, doc: Source, reader: Callable[[bytes], Output], data: bytes, pages: int, *,
          similarity: bool = False) -> None:
    started = time.perf_counter()
    try:
        chunks, heading_lines, body = reader(data)
    except Exception as exc:  # a reader failing on a file is a result, not a crash
        result.errors.append(f"{doc.paper_id}: {type(exc).__name__}: {exc}"[:300])
        return
    finally:
        result.seconds += time.perf_counter() - started
    result.documents += 1
    result.pages += pages
    chunks = [canon(chunk) for chunk in chunks]
    joined = "\n".join(chunks)  # a match may not cross a chunk boundary
    result.paragraphs += len(doc.paragraphs)
    result.paragraphs_found += sum(paragraph in joined for paragraph in doc.paragraphs)
    missing = [sentence for sentence in doc.sentences if sentence not in joined]
    result.sentences += len(doc.sentences)
    result.sentences_found += len(doc.sentences) - len(missing)
    result.examples.extend(f"{doc.paper_id}: {sentence[:160]}" for sentence in missing[:2])
    heading_set = {canon(line) for line in heading_lines}
    result.headings += len(doc.headings)
    result.headings_found += sum(heading in heading_set for heading in doc.headings)
    body = canon(body)
    body_tokens = tokens(body)
    source_text = " ".join(text for _, text in doc.blocks)
    source_tokens = tokens(source_text)
    pairs = set(itertools.pairwise(source_tokens))
    result.leaks += RUNNING_HEAD in body or FOOTNOTE in body or page_number_leak(body_tokens, pairs, pages)
    result.float_leaks += TABLE_CAPTION in body or FIGURE_CAPTION in body
    vocabulary = set(source_tokens) | set(tokens(" ".join([doc.title, RUNNING_HEAD, FOOTNOTE, TABLE_CAPTION,
                                                            FIGURE_CAPTION, "System BLEU Seconds Baseline 21.4 "
                                                            "1.0 Ours 24.8 1.3 Anonymous"])))
    all_tokens = tokens(" ".join(chunks))
    result.tokens += len(all_tokens)
    result.foreign_tokens += sum(token not in vocabulary and not token.isdigit() for token in all_tokens)
    if similarity:
        expected = canon(" ".join(text for _, text in doc.blocks))
        result.similarity.append(difflib.SequenceMatcher(None, expected, body, autojunk=False).ratio())


def available(module: str | None) -> bool:
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def page_count(data: bytes) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(data))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=12, help="papers per layout (default 12)")
    parser.add_argument("--ocr", type=int, default=2, help="two-column papers also read from page images (default 2)")
    parser.add_argument("--examples", action="store_true", help="print sentences groundsum missed")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "pdf_bench.json")
    args = parser.parse_args()
    if shutil.which("pdflatex") is None:
        sys.exit("pdf_bench: pdflatex is missing; install it with: apt-get install texlive-latex-base "
                 "texlive-latex-recommended (or make pdf-tools)")
    missing = sorted({module for _, module in PEERS.values() if not available(module)})
    if missing:
        print(f"skipping peers without {', '.join(missing)}: pip install -e '.[bench]'", file=sys.stderr)
    docs = [source(paper) for paper in papers(args.papers)]
    rows = []
    for layout in LAYOUTS:
        started = time.perf_counter()
        files = []
        for doc in docs:
            try:
                files.append((doc, compile_pdf(latex(doc, layout))))
            except subprocess.CalledProcessError:
                print(f"  pdflatex failed on {doc.paper_id} ({layout}); skipped", file=sys.stderr)
        print(f"{layout}: {len(files)} PDFs ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        pages = [page_count(data) for _, data in files]
        readers = {"groundsum": groundsum} | {
            name: reader for name, (reader, module) in PEERS.items() if available(module)
        }
        scores: dict[str, Score] = {}
        for name, reader in readers.items():
            reader(files[0][1])  # imports and first-call set-up are not what is measured
            scores[name] = Score()
            for (doc, data), count in zip(files, pages):
                score(scores[name], doc, reader, data, count)
        baseline = scores["pypdf"].seconds
        for name, result in scores.items():
            rows.append({"layout": layout, "reader": name, **result.row(baseline)})
            for error in result.errors[:3]:
                print(f"  {name} error: {error}", file=sys.stderr)
        if args.examples:
            print("\n".join(f"  missed: {line}" for line in scores["groundsum"].examples[:20]), file=sys.stderr)
        if layout == "two-column" and args.ocr:
            if shutil.which("tesseract") is None:
                print("skipping OCR: Tesseract is missing (apt-get install tesseract-ocr)", file=sys.stderr)
                continue
            ocr = Score()
            for (doc, data), count in list(zip(files, pages))[: args.ocr]:
                score(ocr, doc, groundsum, rasterize(data), count, similarity=True)
            rows.append({"layout": "two-column, page images (OCR)", "reader": "groundsum", **ocr.row(None)})
            for error in ocr.errors[:3]:
                print(f"  OCR error: {error}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    header = ["layout", "reader", "documents", "paragraphs", "sentences", "headings", "leaks", "float_leaks",
              "non_source_tokens_pct", "char_similarity", "ms_per_doc", "s_per_page", "x_pypdf", "errors"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join("" if row[key] is None else str(row[key]) for key in header) + " |")


if __name__ == "__main__":
    main()
