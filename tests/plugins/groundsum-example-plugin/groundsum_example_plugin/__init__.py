"""A reader for ``.example`` files: plain text under another name, registered by its entry point."""

from __future__ import annotations

from groundsum.model import Document
from groundsum.read import Reader
from groundsum.read.decode import decode_text, normalize
from groundsum.read.formats.text import paragraph_blocks


def parse(data: bytes) -> Document:
    text = normalize(decode_text(data))
    return Document(text=text, blocks=tuple(paragraph_blocks(text)), format="example")


def never(data: bytes) -> bool:
    """Only the extension picks this reader: its content looks like any text."""
    return False


EXAMPLE_READER = Reader("example", (".example",), parse, never, priority=90)
