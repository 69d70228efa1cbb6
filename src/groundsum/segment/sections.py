"""Sections from headings, and paragraphs assigned to them."""

from __future__ import annotations

from ..model import Document, Paragraph, Section


def find_sections(doc: Document) -> tuple[list[Section], list[Paragraph]]:
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    for block in doc.blocks:
        if block.kind == "heading":
            if sections:
                last = sections[-1]
                sections[-1] = Section(last.start, block.start - 1 if block.start else 0, last.title, last.kind, last.level)
            sections.append(Section(block.start, len(doc.text), doc.text[block.start : block.end], "section", block.level))
            paragraphs.append(Paragraph(block.start, block.end, len(sections) - 1, "heading", "heading"))
            continue
        if not sections:
            sections.append(Section(0, len(doc.text), doc.title, "section", 1))
        paragraphs.append(Paragraph(block.start, block.end, len(sections) - 1, block.kind, "body"))
    return sections, paragraphs
