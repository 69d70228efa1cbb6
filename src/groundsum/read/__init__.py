"""Read: bytes in any supported format → a Document with normalized text and blocks.

Readers live in ``groundsum.read.formats``, one file each, registered by name. A reader is
chosen by file extension, or by sniffing the content when the input has no name (stdin).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Block, BlockKind, Document
from ..registry import Registry
from .decode import normalize


@dataclass(frozen=True)
class Reader:
    name: str
    extensions: tuple[str, ...]
    parse: Callable[[bytes], Document]  # raw bytes → Document(text, blocks, title, format)
    sniff: Callable[[bytes], bool]  # does this content look like our format?
    priority: int = 50  # lower sniffs first; plain text is the fallback at 100


reader_registry: Registry[Reader] = Registry("reader", "groundsum.read.formats", "groundsum.readers")

_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")
IMPLICIT_HEADING_MAX_WORDS = 30


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A block as a reader found it: its text, before ``assemble`` places it as a Block of the document's text."""

    text: str
    kind: BlockKind = "paragraph"
    level: int = 0


def assemble(
    parts: Iterable[RawBlock], *, format: str, title: str | None = None, metadata: dict[str, Any] | None = None
) -> Document:
    """Normalize each raw block and join them with one blank line; the Blocks' spans index the joined text.

    A block never contains a blank line, so the text alone still shows where blocks end
    (reading it back as plain text gives the same paragraphs). Empty ones are dropped.
    """
    texts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for part in parts:
        text = normalize(part.text)
        if "\n" in text:
            text = _BLANK_LINES.sub("\n", text)
        text = text.strip("\n") if part.kind == "code" else text.strip()
        if not text.strip():
            continue
        if texts:
            offset += 2
        blocks.append(Block(offset, offset + len(text), part.kind, part.level))
        texts.append(text)
        offset += len(text)
    return Document("\n\n".join(texts), tuple(blocks), title=one_line(title), format=format, metadata=metadata or {})


def one_line(text: str | None) -> str | None:
    """A title as one normalized line, or None when there is nothing in it."""
    text = _SPACES.sub(" ", normalize(text or "")).strip()
    return text or None


def first_heading_title(parts: Sequence[RawBlock]) -> str | None:
    """The first level-1 heading, else the first heading of any level: the usual title."""
    headings = [part for part in parts if part.kind == "heading" and part.text.strip()]
    top_level = [part for part in headings if part.level == 1]
    return (top_level or headings)[0].text if headings else None


def reads_as_heading(text: str) -> bool:
    """A short single line set wholly in bold reads as a heading; a long one is emphasis."""
    text = text.strip()
    return bool(text) and "\n" not in text and len(text.split()) <= IMPLICIT_HEADING_MAX_WORDS


def known_extensions() -> list[str]:
    """The file extensions (".md") the registered readers take, sorted; never the empty one."""
    return sorted({ext for _, reader in reader_registry.items() for ext in reader.extensions if ext})


def unsupported_file_type(suffix: str) -> str:
    """The one message for a file name that no reader takes, listing those that are taken."""
    return f"unsupported file type '{suffix}' (supported: {', '.join(known_extensions())})"


def reader_for_extension(suffix: str) -> Reader | None:
    suffix = suffix.lower()
    for _, reader in reader_registry.items():
        if suffix in reader.extensions:
            return reader
    return None


def sniff_reader(data: bytes) -> Reader:
    for reader in sorted((r for _, r in reader_registry.items()), key=lambda r: r.priority):
        if reader.sniff(data):
            return reader
    raise InputError(f"input looks like binary data, not a document (supported: {', '.join(reader_registry.names())})")


def read_bytes(data: bytes, *, name: str | None = None, format: str | None = None) -> Document:
    """Parse raw bytes. ``name`` (a file name) picks the reader by extension; else sniff."""
    label = name or "input"
    reader: Reader | None
    if format is not None:
        reader = reader_registry.get(format)
    else:
        reader = reader_for_extension(Path(name).suffix) if name and Path(name).suffix else None
        if reader is None and name and Path(name).suffix:
            raise InputError(f"{label}: {unsupported_file_type(Path(name).suffix)}")
        if reader is None:
            reader = sniff_reader(data)
    if not data.strip():
        raise InputError(f"{label}: the document is empty")
    try:
        doc = reader.parse(data)
    except InputError as exc:  # readers say what is wrong; the caller's name says where
        raise InputError(f"{label}: {exc}") from None
    if not doc.text.strip():
        raise InputError(f"{label}: no text found in the document")
    return replace(doc, source=name)


def read_path(path: str | Path, *, format: str | None = None) -> Document:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a document")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return read_bytes(data, name=str(path), format=format)


def read_text(text: str, *, format: str | None = None) -> Document:
    """Text given directly (the Python API, the HTTP API). Sniffed unless ``format`` is set."""
    return read_bytes(text.encode("utf-8"), format=format)


def named_file(source: str, base: str | Path | None = None) -> Path | None:
    """The one guess of whether a ``str`` is a path or text: the existing file it names, else None (text).

    Only one line under 4096 characters can be a path. A relative one is looked up in ``base``
    (default: the current folder); a string that looks like a path but names no file is text.
    """
    if "\n" in source or len(source) >= 4096:
        return None
    path = Path(base, source) if base is not None else Path(source)
    try:
        return path if path.is_file() else None
    except (OSError, ValueError):  # a name too long, or with a NUL byte, is text
        return None


def read(source: str | Path | bytes | Document, *, format: str | None = None) -> Document:
    """Read a Document from a path, raw bytes, text, or pass a Document through.

    A ``str`` counts as a path only if it names an existing file (``named_file``); otherwise it is text.
    """
    if isinstance(source, Document):
        return source
    if isinstance(source, bytes):
        return read_bytes(source, format=format)
    if isinstance(source, Path):
        return read_path(source, format=format)
    path = named_file(source)
    if path is not None:
        return read_path(source, format=format)
    return read_text(source, format=format)
