"""Markdown: the rendered text (markup stripped, link text kept), with its block structure.

A paragraph set wholly in bold on one line is an implicit heading (``level=0``): scraped
documents mark titles that way (``**Letter to Fidel Castro from ...**``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ...model import Document
from .. import RawBlock, Reader, assemble, first_heading_title, reader_registry, reads_as_heading
from ..decode import decode_text
from ..sniff import looks_like_markdown
from .html import fragment_parts

_YAML_LINE = re.compile(r"[\w-]+[ \t]*:|[ \t]|-|$")  # a key, an indented or list line, or blank
_YAML_TITLE = re.compile(r"title[ \t]*:[ \t]*(?P<quote>[\"']?)(.*?)(?P=quote)[ \t]*$")
_FRONT_MATTER_LINES = 200
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


# The characters an enabled inline rule acts on: line breaks, backslash escapes, code spans,
# emphasis and strikethrough, links and images, autolinks and inline HTML, entities. Inline
# content without any of them is plain text (most paragraphs are), which markdown-it would turn
# into a single text token anyway. (Linkify, which would need more, is off in "commonmark".)
_INLINE_MARKUP = re.compile(r"[\n\\`*_~\[<&]")
_TEXT = ("text", "text_special")  # plain text, and the text of an escape or entity
# Most tokens: a block's inline content, read together with the token that opens the block, and
# closings that end nothing we track. Skipping them first spares the walk its chain of tests.
_READ_FROM_OPENING = frozenset({"inline", "paragraph_close", "heading_close"})


def parse(data: bytes) -> Document:
    source = decode_text(data)
    front_title, source = _split_front_matter(source)
    tokens = _parser().parse(source)
    parts = _parts(tokens)
    return assemble(parts, format="markdown", title=front_title or first_heading_title(parts))


@cache
def _parser() -> Any:
    """One parser per process: building it costs about as much as parsing a page."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.core.ruler.at("normalize", _normalize_line_ends)
    parser.core.ruler.at("inline", _inline_where_needed)
    # text_join merges escapes and entities ("text_special") into neighbouring text; we read both
    # kinds alike, and it would turn the None children of plain text into [].
    parser.core.ruler.disable("text_join")
    return parser


def _normalize_line_ends(state: Any) -> None:
    """markdown-it's core ``normalize`` rule with plain string replaces instead of its regexes.

    Same result (CR LF and CR become LF, NUL becomes U+FFFD) in a fifth of the time: on a long page
    the regexes cost as much as a tenth of the whole parse.
    """
    state.src = state.src.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


def _inline_where_needed(state: Any) -> None:
    """markdown-it's core ``inline`` rule, with plain text spared the inline parser.

    An inline token without markup gets ``children`` None: its text is its ``content``.
    """
    for token in state.tokens:
        if token.type != "inline":
            continue
        if _INLINE_MARKUP.search(token.content):
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
        else:
            token.children = None


def _split_front_matter(source: str) -> tuple[str | None, str]:
    """YAML front matter is metadata, not text; its ``title:`` is the document's title."""
    if not source.startswith("---"):
        return None, source
    lines = source.split("\n", _FRONT_MATTER_LINES)
    if lines[0].rstrip() != "---":
        return None, source
    for end, line in enumerate(lines[1:_FRONT_MATTER_LINES], 1):
        if line.rstrip() in ("---", "..."):
            front = lines[1:end]
            if not front or not all(_YAML_LINE.match(entry) for entry in front):
                return None, source  # a thematic break, not front matter
            titles = [found.group(2) for entry in front if (found := _YAML_TITLE.match(entry))]
            return (titles[0] if titles else None), "\n".join(lines[end + 1 :])
    return None, source


def _parts(tokens: list[Any]) -> list[RawBlock]:
    """Walk markdown-it's flat token stream, keeping track of the list items and quotes we are in."""
    parts: list[RawBlock] = []
    containers: list[tuple[str, list[str]]] = []  # ("list_item", its paragraphs so far) or ("quote", [])
    table: list[list[str]] | None = None

    def flush_items() -> None:
        """A list item's own text ends where something else starts (a nested list, code, ...)."""
        for kind, texts in containers:
            if kind == "list_item" and texts:
                parts.append(RawBlock("\n".join(texts), "list_item"))
                texts.clear()

    def emit(part: RawBlock) -> None:
        flush_items()
        parts.append(part)

    for index, token in enumerate(tokens):
        kind = token.type
        if kind in _READ_FROM_OPENING:
            continue
        if kind == "heading_open":
            emit(RawBlock(_inline_text(tokens[index + 1]), "heading", int(token.tag[1])))
        elif kind == "paragraph_open":
            inline = tokens[index + 1]
            text = _inline_text(inline)
            inside = containers[-1][0] if containers else None
            if inside == "list_item":
                containers[-1][1].append(text)
            elif inside == "quote":
                emit(RawBlock(text, "quote"))
            elif _all_strong(inline) and reads_as_heading(text):
                emit(RawBlock(text, "heading", 0))
            else:
                emit(RawBlock(text, "paragraph"))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            flush_items()
        elif kind == "list_item_open":
            containers.append(("list_item", []))
        elif kind == "blockquote_open":
            flush_items()
            containers.append(("quote", []))
        elif kind in ("list_item_close", "blockquote_close"):
            flush_items()
            containers.pop()
        elif kind in ("fence", "code_block"):
            emit(RawBlock(token.content, "code"))
        elif kind == "html_block":
            for part in fragment_parts(token.content):
                emit(part)
        elif kind == "table_open":
            table = []
        elif kind == "tr_open" and table is not None:
            table.append([])
        elif kind in ("th_open", "td_open") and table is not None:
            table[-1].append(_inline_text(tokens[index + 1]).strip())
        elif kind == "table_close" and table is not None:
            emit(RawBlock("\n".join(" | ".join(row) for row in table), "table"))
            table = None
    flush_items()
    return parts


def _inline_text(inline: Any) -> str:
    """Rendered text of an inline token: markup gone, link text kept, images dropped.

    A soft break renders as a space; a hard break (two trailing spaces, backslash) stays a line break.
    """
    if inline.children is None:  # plain text, see _inline_where_needed
        return inline.content
    pieces: list[str] = []
    for child in inline.children:
        if child.type in _TEXT or child.type == "code_inline":
            pieces.append(child.content)
        elif child.type == "softbreak":
            pieces.append(" ")
        elif child.type == "hardbreak" or (
            child.type == "html_inline" and _HTML_BREAK.fullmatch(child.content.strip())
        ):
            pieces.append("\n")
    return "".join(pieces)


def _all_strong(inline: Any) -> bool:
    """Is the whole paragraph one ``**...**`` span on one line (bold title lines)?"""
    children = [c for c in inline.children or () if not (c.type in _TEXT and not c.content.strip())]
    if len(children) < 3 or children[0].type != "strong_open" or children[-1].type != "strong_close":
        return False
    depth = 0
    for position, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            return False
        depth += {"strong_open": 1, "strong_close": -1}.get(child.type, 0)
        if depth == 0 and position < len(children) - 1:
            return False  # "**a** and **b**": bold pieces, not one bold line
    return True


reader_registry.register("markdown")(
    Reader("markdown", (".md", ".markdown", ".mdown", ".mkd"), parse, looks_like_markdown, priority=40)
)
