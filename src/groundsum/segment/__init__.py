"""Segment: find sections (headings, letters), paragraphs and sentences, all as spans.

``segment`` is a pure function: it takes the reader's Document (text + blocks) and returns a
copy with ``sections``, ``paragraphs`` and ``sentences`` filled in. Only body paragraphs get
sentences: headings, letter formalities (date, salutation, signature ...) and reference lists
are structure, not content to summarize.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Document, Sentence
from .dates import parse_date
from .sections import find_sections
from .sentences import is_cased, split_sentences


def segment(doc: Document) -> Document:
    if doc.is_segmented:
        return doc
    sections, paragraphs = find_sections(doc)
    cased = is_cased(doc.text)
    sentences = [
        Sentence(start, end, index, paragraph.section)
        for index, paragraph in enumerate(paragraphs)
        if paragraph.role == "body"
        for start, end in split_sentences(doc.text, paragraph.start, paragraph.end, cased=cased)
    ]
    return replace(doc, sections=tuple(sections), paragraphs=tuple(paragraphs), sentences=tuple(sentences))


__all__ = ["find_sections", "parse_date", "segment", "split_sentences"]
