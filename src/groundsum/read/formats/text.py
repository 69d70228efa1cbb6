"""Plain text: paragraphs are separated by blank lines. No markup is interpreted."""

from __future__ import annotations

import re

from ...model import Block, Document
from .. import Reader, reader_registry
from ..decode import decode_text, looks_binary, normalize

_PARAGRAPH = re.compile(r"\S(?:.|\n(?!\n))*")


def paragraph_blocks(text: str, start: int = 0, end: int | None = None) -> list[Block]:
    """Blank-line separated paragraphs of ``text[start:end]`` as blocks, leading indentation left out."""
    return [Block(m.start(), m.end()) for m in _PARAGRAPH.finditer(text, start, len(text) if end is None else end)]


def parse(data: bytes) -> Document:
    text = normalize(decode_text(data))
    return Document(text=text, blocks=tuple(paragraph_blocks(text)), format="text")


def looks_textual(data: bytes) -> bool:
    return not looks_binary(data)


reader_registry.register("text")(Reader("text", (".txt", ".text", ""), parse, looks_textual, priority=100))
