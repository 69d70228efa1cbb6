"""Plain text: paragraphs are separated by blank lines."""

from __future__ import annotations

import re

from ...model import Block, Document
from .. import Reader, reader_registry
from ..decode import decode, normalize

_PARAGRAPH = re.compile(r"[^\n](?:.|\n(?!\n))*")


def paragraph_blocks(text: str, start: int = 0, end: int | None = None) -> list[Block]:
    """Blank-line separated paragraphs of ``text[start:end]`` as blocks."""
    return [Block(m.start(), m.end()) for m in _PARAGRAPH.finditer(text, start, len(text) if end is None else end)]


def parse(data: bytes) -> Document:
    text = normalize(decode(data))
    return Document(text=text, blocks=tuple(paragraph_blocks(text)), format="text")


def looks_textual(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    text = decode(sample)
    if not text:
        return False
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    return printable / len(text) > 0.95 and text.count("\ufffd") / len(text) < 0.05


reader_registry.register("text")(Reader("text", (".txt", ".text", ""), parse, looks_textual, priority=100))
