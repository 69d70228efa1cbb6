"""The readers: real files of every format in, normalized text and blocks out."""

from __future__ import annotations

import io
import re

import pytest

from groundsum.errors import InputError
from groundsum.model import Document
from groundsum.read import read, read_bytes, read_path
from groundsum.read.decode import decode, normalize

BODY = (
    "In October 1962 the world came close to a nuclear war. The letters between Castro and Khrushchev "
    "show how both leaders understood the events, and the pressure under which they made their decisions "
    "during those thirteen days of the crisis in the Caribbean."
)


def blocks_of(doc: Document) -> list[tuple[str, int, str]]:
    return [(block.kind, block.level, doc.text[block.start : block.end]) for block in doc.blocks]


def assert_well_formed(doc: Document) -> None:
    """Blocks are ordered, trimmed, free of blank lines and separated by one blank line.

    Plain text keeps its indentation between blocks; every other reader writes the text itself.
    """
    assert doc.text == normalize(doc.text)
    assert doc.blocks
    previous_end = 0
    for block in doc.blocks:
        text = doc.text[block.start : block.end]
        assert text and (text == text.strip() or block.kind == "code"), block
        assert "\n\n" not in text
        gap = doc.text[previous_end : block.start]
        if doc.format == "text":
            assert not gap.strip() and (gap.count("\n") == 2 or block.start == 0)
        else:
            assert gap == ("\n\n" if previous_end else "")
        previous_end = block.end
    assert doc.blocks[-1].end == len(doc.text)


# --- Markdown ------------------------------------------------------------------------------------


def test_letters_markdown_headings_implicit_headings_and_title(letters_path):
    doc = read(letters_path)
    assert_well_formed(doc)
    assert doc.format == "markdown"
    assert doc.title == "Cuban Missile Crisis: Khrushchev / Castro letters"
    headings = [(level, text) for kind, level, text in blocks_of(doc) if kind == "heading"]
    assert headings == [
        (2, "Cuban Missile Crisis: Khrushchev / Castro letters"),
        (3, "October 1962-"),
        (4, "Letter to Nikita Khrushchev from Fidel Castro regarding defending Cuban air space"),
        (0, "Letter to Fidel Castro from Nikita Khrushchev advising him to remain firm against US aggression"),
        (0, "Letter to Nikita Khrushchev from Fidel Castro regarding defending Cuban air space"),
        (0, "Letter to Fidel Castro from Nikita Khrushchev stating he will help to defend Cuba"),
    ]
    assert not re.search(r"[*#<>]", doc.text)


def test_letters_markdown_hard_breaks_signatures_and_autolinks(letters_path):
    doc = read(letters_path)
    texts = [text for _, _, text in blocks_of(doc)]
    assert "Fraternally,\nFidel Castro" in texts  # the italic signature stays in its paragraph
    assert ("paragraph", 0, "N. Khrushchev") in blocks_of(doc)  # italic alone is not a heading
    assert texts[-2] == "Sources:"
    urls = texts[-1].split("\n")
    assert len(urls) == 4 and all(url.startswith("http://www.pbs.org/wgbh/americanexperience/") for url in urls)


SAMPLE_MARKDOWN = """\
---
title: "Reading Markdown"
tags: [test]
---
Setext Title
============

Intro with a [link](https://example.com/hidden-url) and ![diagram](img.png) and `code()`.
A soft break joins lines, a hard one\\
keeps them.

**Bold title line**

**A** and **B** are bold words, not a title.

> Quoted words that matter.

- first item
- second item
  continued
  - nested item

1. numbered

```python
def f():

    return 1
```

| Name | Value |
|------|-------|
| a    | 1     |

<div align="center"><b>Centered note</b></div>

<!-- a comment nobody reads -->
"""


def test_markdown_constructs_become_blocks():
    doc = read_bytes(SAMPLE_MARKDOWN.encode(), name="sample.md")
    assert_well_formed(doc)
    assert doc.title == "Reading Markdown"  # front matter wins
    assert blocks_of(doc) == [
        ("heading", 1, "Setext Title"),
        ("paragraph", 0, "Intro with a link and  and code(). A soft break joins lines, a hard one\nkeeps them."),
        ("heading", 0, "Bold title line"),
        ("paragraph", 0, "A and B are bold words, not a title."),
        ("quote", 0, "Quoted words that matter."),
        ("list_item", 0, "first item"),
        ("list_item", 0, "second item continued"),
        ("list_item", 0, "nested item"),
        ("list_item", 0, "numbered"),
        ("code", 0, "def f():\n    return 1"),
        ("table", 0, "Name | Value\na | 1"),
        ("paragraph", 0, "Centered note"),
    ]
    assert "hidden-url" not in doc.text and "comment" not in doc.text and "tags" not in doc.text


def test_markdown_title_falls_back_to_first_heading():
    doc = read_bytes(b"## Second level\n\ntext here\n\n# First level\n\nmore text\n", name="t.md")
    assert doc.title == "First level"
    doc = read_bytes(b"### Only a third level\n\nSome text.\n", name="t.md")
    assert doc.title == "Only a third level"


def test_long_bold_paragraph_is_emphasis_not_heading():
    long_bold = "**" + " ".join(["word"] * 40) + "**"
    doc = read_bytes(long_bold.encode(), name="t.md")
    assert blocks_of(doc)[0][0] == "paragraph"


def test_whitespace_only_markdown_is_empty():
    with pytest.raises(InputError, match="empty"):
        read_bytes(b"  \n\n \t\n", name="blank.md")
    with pytest.raises(InputError, match="no text"):
        read_bytes(b"![only an image](x.png)\n\n<!-- and a comment -->\n", name="images.md")


# --- HTML ----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Crisis letters &amp; notes | Archive</title>
<meta property="og:title" content="Crisis letters &amp; notes">
<script>var tracking = "SCRIPT_TEXT";</script><style>body { color: red } .STYLE_TEXT {}</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<main><article>
<h1>Letters of the crisis</h1>
<p>The Cuban Missile Crisis of October 1962 brought the world close to nuclear war &mdash; caf&#233; talk
   aside, the letters between Fidel Castro and Nikita Khrushchev show how the two leaders saw it.</p>
<h2>Castro writes first</h2>
<p>On October 26 Castro wrote that an attack was <em>almost imminent</em>, within 24 to 72 hours.<br>He urged a
firm response from the Soviet Union.</p>
<ul><li>First point about air defense and the batteries.</li>
<li>Second point about inspections on Cuban territory.</li></ul>
<blockquote><p>We will resist with determination, whatever the case.</p></blockquote>
<h3>Khrushchev answers</h3>
<p>Khrushchev replied on October 28 and advised patience, firmness and more firmness. He said the Pentagon
was looking for a pretext to thwart the agreement.</p>
<table><tr><th>Date</th><th>Author</th></tr><tr><td>Oct 26</td><td>Castro</td></tr></table>
</article></main>
<aside class="ads">Buy cheap stuff now! Advertisement.</aside>
<footer><p>Copyright 2024 Archive. All rights reserved. Privacy policy.</p></footer>
<script>console.log("SCRIPT_TEXT")</script>
</body></html>"""


def test_html_page_main_content_only():
    doc = read_bytes(PAGE.encode(), name="page.html")
    assert_well_formed(doc)
    assert doc.format == "html"
    assert doc.title == "Crisis letters & notes"
    blocks = blocks_of(doc)
    assert [b for b in blocks if b[0] == "heading"] == [
        ("heading", 1, "Letters of the crisis"),
        ("heading", 2, "Castro writes first"),
        ("heading", 3, "Khrushchev answers"),
    ]
    assert ("paragraph", 0, "On October 26 Castro wrote that an attack was almost imminent, within 24 to 72 hours.\n"
            "He urged a firm response from the Soviet Union.") in blocks
    assert ("list_item", 0, "First point about air defense and the batteries.") in blocks
    assert ("quote", 0, "We will resist with determination, whatever the case.") in blocks
    assert "nuclear war — café talk aside" in doc.text  # entities decoded, whitespace collapsed
    for chrome in ("SCRIPT_TEXT", "STYLE_TEXT", "About us", "cookies", "Advertisement", "Copyright"):
        assert chrome not in doc.text


def test_html_fragment_keeps_every_block():
    fragment = b"<h1>Title</h1><p>One short paragraph.</p><ul><li>an item</li></ul><script>x()</script>"
    doc = read_bytes(fragment, name="fragment.html")
    assert_well_formed(doc)
    assert blocks_of(doc) == [
        ("heading", 1, "Title"),
        ("paragraph", 0, "One short paragraph."),
        ("list_item", 0, "an item"),
    ]
    assert doc.title == "Title"


def test_html_declared_legacy_charset():
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Café</title></head>'
        "<body><p>“Smart” café – ok.</p></body></html>"
    )
    doc = read_bytes(page.encode("cp1252"), name="legacy.htm")
    assert doc.title == "Café"
    assert doc.text == "“Smart” café – ok."


def test_html_without_content_has_no_text():
    page = (
        b"<html><head><title>Nothing</title><script>var a = 'not text';</script></head>"
        b"<body><nav>Home</nav></body></html>"
    )
    with pytest.raises(InputError, match="no text"):
        read_bytes(page, name="nothing.html")


# --- PDF -----------------------------------------------------------------------------------------


def make_pdf(pages: int = 3, *, title: str | None = "The Missile Crisis Letters") -> bytes:
    from fpdf import FPDF

    class Journal(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 9)
            self.cell(0, 8, "Journal of Crisis Studies - Vol. 3", align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 9)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Journal()
    if title:
        pdf.set_title(title)
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 20 if page == 0 else 14)
        pdf.multi_cell(0, 10, "The Missile Crisis Letters" if page == 0 else f"Part {page + 1}")
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, f"Page {page + 1} opens. " + BODY)
        pdf.ln(5)
        pdf.multi_cell(0, 6, "A word broken by the line end: an exam-\nple of hyphenation, joined again.")
        pdf.ln(5)
    return bytes(pdf.output())


def test_pdf_paragraphs_headings_and_running_heads():
    doc = read_bytes(make_pdf(), name="paper.pdf")
    assert_well_formed(doc)
    assert doc.format == "pdf" and doc.title == "The Missile Crisis Letters"
    blocks = blocks_of(doc)
    assert blocks[0] == ("heading", 1, "The Missile Crisis Letters")
    assert ("heading", 2, "Part 2") in blocks
    assert ("paragraph", 0, "Page 1 opens. " + BODY) in blocks  # wrapped lines joined with spaces
    assert ("paragraph", 0, "A word broken by the line end: an example of hyphenation, joined again.") in blocks
    assert "Journal of Crisis Studies" not in doc.text
    assert not any(text.isdigit() for _, _, text in blocks)  # bare page numbers dropped
    assert doc.metadata["pages"] == 3


def test_pdf_line_end_hyphens_kept_only_where_they_are_real():
    """A prefix seen only inside compounds ("re-use") is no word of its own, so "re-/main" is joined."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "We re-use the model, whose errors re-\nmain small on a 10-\ndimensional vector and an "
                         "aspect-\nlevel score; the aspect, the level and the main one are words of their own.")
    text = read_bytes(bytes(pdf.output()), name="hyphens.pdf").text
    assert "errors remain small on a 10-dimensional vector and an aspect-level score" in text


def test_pdf_fragments_and_ocr_words_without_a_type_size_do_not_crash():
    """A glyph PDFium gives size 0, or an OCR paragraph of lone punctuation, once crashed the reader."""
    from groundsum.read.formats.pdf import fragments_from_runs
    from groundsum.read.ocr import Word, page_runs

    fragments = fragments_from_runs([("word", 10.0, 30.0, 100.0, 0.0), (" ", 0.0, 0.0, 0.0, 0.0),
                                     (",", 31.0, 32.0, 100.0, 1.0)])
    assert [fragment.text for fragment in fragments] == ["word ,"]
    runs = page_runs([Word(",", 100, 200, 104, 203, (1, 1, 1)), Word(".", 110, 200, 113, 203, (1, 1, 1))], 792.0, 0.24)
    assert [run[0] for run in runs if run[0] != " "] == [",", "."] and all(run[4] >= 1 for run in runs[::2])


def test_pdf_indented_paragraphs_and_two_columns():
    """TeX-style paragraphs (indented first line, no gap) and text flowing through two columns."""
    from fpdf import FPDF

    paragraphs = [f"Paragraph {n} begins here. " + BODY for n in range(6)]
    pdf = FPDF()
    pdf.set_font("Helvetica", "", 10)
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.set_x(pdf.l_margin + 6)
        pdf.write(5, paragraph)
        pdf.ln(5)
    pdf.add_page()
    with pdf.text_columns(ncols=2, gutter=8, line_height=5 / pdf.font_size) as columns:  # the same leading
        for paragraph in paragraphs * 2:
            columns.write(paragraph)
            columns.ln()
            columns.ln()
    doc = read_bytes(bytes(pdf.output()), name="layouts.pdf")
    assert_well_formed(doc)
    assert [text for _, _, text in blocks_of(doc)] == paragraphs * 3


def test_pdf_title_falls_back_to_first_heading():
    doc = read_bytes(make_pdf(1, title=None), name="untitled.pdf")
    assert doc.title == "The Missile Crisis Letters"


def test_pdf_encrypted_with_user_password_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"locked\.pdf: the PDF is encrypted; decrypt it first"):
        read_bytes(encrypt(make_pdf(1), user_password="secret"), name="locked.pdf")


def test_pdf_with_only_an_owner_password_opens():
    doc = read_bytes(encrypt(make_pdf(1), user_password=""), name="owner-only.pdf")
    assert "Page 1 opens." in doc.text


def encrypt(data: bytes, *, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image_only_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    scan = io.BytesIO()
    Image.new("RGB", (120, 160), (240, 240, 230)).save(scan, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(scan, x=10, y=10, w=120)
    return bytes(pdf.output())


def test_pdf_without_text_layer_is_refused():
    with pytest.raises(InputError, match="no text layer"):
        read_bytes(make_image_only_pdf(), name="scan.pdf")


@pytest.mark.parametrize("data", [b"%PDF-1.7\nthis is not really a pdf\n", b"%PDF-1.4\n" + bytes(range(256)) * 4])
def test_corrupt_pdf_is_an_input_error(data):
    with pytest.raises(InputError, match="not a readable PDF"):
        read_bytes(data, name="broken.pdf")


# --- DOCX ----------------------------------------------------------------------------------------


def make_docx(*, core_title: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    if core_title:
        document.core_properties.title = core_title
    document.add_paragraph("Crisis Letters", style="Title")
    document.add_heading("Castro writes", level=1)
    document.add_paragraph("On October 26 Castro wrote that an attack was imminent.")
    document.add_paragraph("First point", style="List Bullet")
    document.add_paragraph("Second point", style="List Number")
    document.add_paragraph("We will resist.", style="Quote")
    document.add_paragraph().add_run("Letter to Fidel Castro from Nikita Khrushchev").bold = True
    document.add_heading("Khrushchev answers", level=2)
    table = document.add_table(rows=3, cols=2)
    for (row, col), text in {(0, 0): "Date", (0, 1): "Author", (1, 0): "Oct 26", (1, 1): "Castro"}.items():
        table.cell(row, col).text = text
    table.cell(2, 0).merge(table.cell(2, 1)).text = "Merged note"
    signed = document.add_paragraph("Fraternally,")
    signed.add_run().add_break()
    signed.add_run("Fidel Castro")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_styles_lists_tables_in_order():
    doc = read_bytes(make_docx(), name="letters.docx")
    assert_well_formed(doc)
    assert doc.format == "docx" and doc.title == "Crisis Letters"
    assert blocks_of(doc) == [
        ("heading", 1, "Crisis Letters"),
        ("heading", 1, "Castro writes"),
        ("paragraph", 0, "On October 26 Castro wrote that an attack was imminent."),
        ("list_item", 0, "First point"),
        ("list_item", 0, "Second point"),
        ("quote", 0, "We will resist."),
        ("heading", 0, "Letter to Fidel Castro from Nikita Khrushchev"),
        ("heading", 2, "Khrushchev answers"),
        ("table", 0, "Date | Author\nOct 26 | Castro\nMerged note"),
        ("paragraph", 0, "Fraternally,\nFidel Castro"),
    ]


def test_docx_core_title_wins():
    assert read_bytes(make_docx(core_title="Official title"), name="x.docx").title == "Official title"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not a readable DOCX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "password-protected"),
    ],
)
def test_bad_docx_is_an_input_error(data, message):
    with pytest.raises(InputError, match=message):
        read_bytes(data, name="bad.docx")


# --- plain text and decoding ---------------------------------------------------------------------


def test_text_paragraphs_stay_plain():
    data = b"# not a heading\n\n   Indented first paragraph\nwith two lines.\r\n\r\n\r\nSecond.\n"
    doc = read_bytes(data, name="a.txt")
    assert_well_formed(doc)
    assert blocks_of(doc) == [
        ("paragraph", 0, "# not a heading"),
        ("paragraph", 0, "Indented first paragraph\nwith two lines."),
        ("paragraph", 0, "Second."),
    ]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café au lait, naïve résumé — “quoted” text costs 5 €.", "cp1252"),
        ("Le garçon a mangé une pomme à la fenêtre. Déjà vu.", "latin-1"),
        ("Straße über Äpfel. Schöne Grüße aus München!", "cp1252"),
        ("Déjà vu", "cp1252"),
        ("UTF-16 with a BOM: naïve café, 東京.", "utf-16"),
        ("UTF-16-BE with a BOM: naïve café.", "utf-16-be"),
        ("UTF-32 with a BOM: naïve café.", "utf-32"),
        ("UTF-8 with a BOM: naïve café.", "utf-8-sig"),
    ],
)
def test_text_encodings_decode(text, encoding):
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert read_bytes(data, name="enc.txt").text == text


def test_undecodable_bytes_never_crash():
    text = decode(b"Mostly ASCII text with a stray \xff\xfe\x81 byte run in the middle of it.")
    assert text.startswith("Mostly ASCII text with a stray ") and text.endswith(" byte run in the middle of it.")


BINARIES = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
    "elf": b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x03\x00>\x00\x01\x00\x00\x00",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(200)),
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_with_text_extension_is_refused(kind):
    with pytest.raises(InputError, match="binary"):
        read_bytes(BINARIES[kind], name="fake.txt")
    with pytest.raises(InputError, match="binary"):
        read_bytes(BINARIES[kind])


def test_unsupported_extension_lists_supported_ones():
    with pytest.raises(InputError, match=r"unsupported file type '\.rtf' \(supported: \.docx, .*\.md, .*\.pdf, "):
        read_bytes(b"{\\rtf1 hello}", name="letter.rtf")


def test_extension_is_case_insensitive(tmp_path):
    path = tmp_path / "PAGE.HTML"
    path.write_text(PAGE, encoding="utf-8")
    assert read_path(path).format == "html"


def make_blank_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


def make_empty_docx() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("blank.txt", lambda: b" \n\t\n", "empty"),
        ("blank.md", lambda: b"\n\n   \n", "empty"),
        ("blank.html", lambda: b"<html><body>  <p> </p></body></html>", "no text"),
        ("blank.pdf", make_blank_pdf, "no text layer"),
        ("blank.docx", make_empty_docx, "no text"),
    ],
)
def test_documents_without_text_are_input_errors(name, make, message):
    with pytest.raises(InputError, match=message):
        read_bytes(make(), name=name)


# --- choosing a reader by content (stdin) --------------------------------------------------------

SNIFFED = {
    "pdf": lambda: make_pdf(1),
    "docx": make_docx,
    "html": lambda: PAGE.encode(),
    "markdown": lambda: SAMPLE_MARKDOWN.encode(),
    "text": lambda: (BODY + "\n\n" + BODY + "\n- not a list marker alone\n").encode(),
}


@pytest.mark.parametrize("format", sorted(SNIFFED))
def test_sniffing_picks_the_reader(format):
    assert read_bytes(SNIFFED[format]()).format == format


def test_sniffing_letters_and_fragments(letters_path):
    assert read_bytes(letters_path.read_bytes()).format == "markdown"
    readme = b'<p align="center"><img src="logo.png"></p>\n<h1 align="center">Tool</h1>\n\n## Install\n\n- run **it**\n'
    assert read_bytes(readme).format == "markdown"
    assert read_bytes(b"<p>Hello there.</p><p>Second paragraph.</p>").format == "html"
    assert read_bytes(b"Dear Sam,\n\nThe meeting moved to 3 pm.\n\n- Alex\n").format == "text"


# --- the CLI: bad input is one line on stderr ----------------------------------------------------


def assert_one_line_error(result, *fragments: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("groundsum: error:"), stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.md", None, "no such file"),
        ("letter.rtf", b"{\\rtf1 hello}", "unsupported file type '.rtf'"),
        ("empty.md", b"\n   \n", "empty"),
        ("locked.pdf", "encrypted", "the PDF is encrypted; decrypt it first"),
        ("scan.pdf", "image-only", "the PDF has no text layer, and OCR found no text in its images"),
        ("image.txt", BINARIES["png"], "binary"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path, run_cli, name, content, expected):
    path = tmp_path / name
    if content == "encrypted":
        content = encrypt(make_pdf(1), user_password="secret")
    elif content == "image-only":
        content = make_image_only_pdf()
    if content is not None:
        path.write_bytes(content)
    assert_one_line_error(run_cli("summarize", str(path)), name, expected)


def test_cli_binary_stdin_is_one_line(run_cli):
    assert_one_line_error(run_cli("summarize", "-", input=BINARIES["elf"]), "binary")


@pytest.mark.parametrize("format", sorted(SNIFFED))
def test_cli_stdin_is_sniffed(run_cli, format):
    import json

    result = run_cli("summarize", "-", "--format", "json", input=SNIFFED[format]())
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["document"]["format"] == format
