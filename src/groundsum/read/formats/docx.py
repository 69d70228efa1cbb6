"""DOCX: body paragraphs and tables in document order, with Word's heading, list and quote styles.

A paragraph set wholly in bold on one line is an implicit heading (``level=0``), as in Markdown.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from ...errors import InputError
from ...model import Document
from .. import RawBlock, Reader, assemble, first_heading_title, reader_registry, reads_as_heading

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .docx files are OLE containers


def parse(data: bytes) -> Document:
    document = _open(data)
    style_names = {style.style_id: style.name or "" for style in document.styles}
    parts = [_block_part(block, style_names) for block in document.iter_inner_content()]
    title = document.core_properties.title or first_heading_title(parts)
    return assemble(parts, format="docx", title=title)


def _open(data: bytes) -> Any:
    import docx

    if data.startswith(_OLE_MAGIC):
        raise InputError("the DOCX is password-protected or an old .doc; save it as an unprotected .docx first")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own errors
        raise InputError(f"not a readable DOCX ({' '.join(str(exc).split()) or type(exc).__name__})") from None


def _block_part(block: Any, style_names: dict[str, str]) -> RawBlock:
    from docx.table import Table

    if isinstance(block, Table):
        return RawBlock(_table_text(block), "table")
    return _paragraph_part(block, style_names)


def _paragraph_part(paragraph: Any, style_names: dict[str, str]) -> RawBlock:
    # python-docx's Paragraph.style searches the style part on every call: slow on long documents
    style = style_names.get(paragraph._p.style or "", "")
    text = paragraph.text
    heading = _HEADING_STYLE.match(style)
    if heading:
        return RawBlock(text, "heading", min(max(int(heading.group(1)), 1), 6))
    if style.lower() == "title":
        return RawBlock(text, "heading", 1)
    if style.lower().startswith("list") or _numbered(paragraph):
        return RawBlock(text, "list_item")
    if "quote" in style.lower():
        return RawBlock(text, "quote")
    if _all_bold(paragraph) and reads_as_heading(text):
        return RawBlock(text, "heading", 0)
    return RawBlock(text, "paragraph")


def _numbered(paragraph: Any) -> bool:
    """Bullets and numbering set on the paragraph itself rather than through a list style."""
    properties = paragraph._p.pPr  # python-docx has no public API for numbering
    return properties is not None and properties.numPr is not None


def _all_bold(paragraph: Any) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _table_text(table: Any) -> str:
    """One line per row, cells separated by " | "; a merged cell is written once."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is not previous:  # merged cells repeat the same <w:tc> across the grid
                cells.append(" ".join(cell.text.split()))
            previous = cell._tc
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def looks_like_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


reader_registry.register("docx")(Reader("docx", (".docx",), parse, looks_like_docx, priority=10))
