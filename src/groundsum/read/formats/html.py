"""HTML: the page's main content as blocks, without navigation, footers, ads, scripts or styles.

Web pages with page chrome (nav bars, headers, footers, sidebars) go through trafilatura,
which finds the main content. Documents without chrome (exports, fragments, simple pages),
and pages where trafilatura finds nothing, are read directly from their element tree.
Both paths end in the same walk over block elements, so both give the same kinds of blocks.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import Any

from ...model import BlockKind, Document
from .. import RawBlock, Reader, assemble, first_heading_title, reader_registry
from ..decode import decode_text, head_text, looks_binary
from ..sniff import looks_like_markdown

for _library in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_library).addHandler(logging.NullHandler())  # no stray warnings on stderr

_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_STRONG_MARKER = re.compile(r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.DOTALL)
_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|table|article|section|blockquote|pre|br)\b")
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|sidebar|footer|header|masthead|breadcrumbs?|cookies?|banner|"
    r"ads?|advert\w*|sponsored|social|share|related|newsletter|subscribe|skip-link)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
_PAGE_TAGS = {"html", "body", "main", "article"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_SKIP_TAGS = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math", "iframe",
    "object", "embed", "img", "picture", "video", "audio", "canvas", "map", "button", "select", "input",
    "textarea", "form", "hr",
}
_BLOCK_TAGS = {
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "hgroup", "html", "legend", "li", "main", "ol", "p", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_CONTAINER_KIND: dict[str, BlockKind] = {"li": "list_item", "dd": "list_item", "dt": "list_item", "blockquote": "quote"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_LAYOUT_SIGNS = (_BLOCK_TAGS - {"tbody", "thead", "tfoot", "tr", "td", "th", "caption"}) | set(_HEADINGS)
# trafilatura's output vocabulary → the HTML tags the walk understands
_TRAFILATURA_TAGS = {"list": "ul", "item": "li", "quote": "blockquote", "row": "tr", "cell": "td", "lb": "br",
                     "hi": "span", "ref": "span", "del": "span", "graphic": "img"}
_SNIFF_BYTES = 4096


def parse(data: bytes) -> Document:
    tree = _parse_tree(_html_text(data))
    if tree is None:
        return Document("", format="html")
    title = _title(tree)
    main = _main_content(tree) if _has_chrome(tree) else None
    parts = _walk(main if main is not None else tree)
    return assemble(parts, format="html", title=title or first_heading_title(parts))


def fragment_parts(html: str) -> list[RawBlock]:
    """Blocks of an HTML fragment embedded elsewhere (a Markdown HTML block)."""
    tree = _parse_tree(html)
    return [] if tree is None else _walk(tree)


def _html_text(data: bytes) -> str:
    """Decoded with the page's own ``<meta charset>`` unless a BOM says otherwise."""
    return decode_text(data, _declared_codec(data))


def _declared_codec(data: bytes) -> str | None:
    """The ``<meta charset>``; latin-1 and ASCII labels mean windows-1252, as browsers read them."""
    found = _DECLARED_CHARSET.search(data[:_SNIFF_BYTES])
    if found is None:
        return None
    try:
        codec = codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _parse_tree(html: str) -> Any | None:
    """lxml's element tree, or None for a document with no elements at all."""
    import lxml.etree
    import lxml.html

    html = _XML_DECLARATION.sub("", html)  # lxml refuses str input that declares an encoding
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _tag(element: Any) -> str | None:
    """The lower-case local tag name; None for comments and processing instructions."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else None


def _is_chrome(element: Any) -> bool:
    """Navigation, headers, footers, sidebars, ads and hidden elements: not the document."""
    if _tag(element) in _PAGE_TAGS:
        return False  # <body class="has-sidebar"> is the page, not a sidebar
    if _tag(element) in _CHROME_TAGS or element.get("role", "").lower() in _CHROME_ROLES:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if "display:none" in element.get("style", "").replace(" ", "").lower():
        return True
    return bool(_CHROME_NAME.search(f"{element.get('class', '')} {element.get('id', '')}"))


def _has_chrome(tree: Any) -> bool:
    body = tree.find("body")
    return any(_is_chrome(element) for element in (body if body is not None else tree).iter() if _tag(element))


def _title(tree: Any) -> str | None:
    """og:title (the cleanest), else <title>, else the first h1."""
    for query in ('//meta[@property="og:title"]/@content', "//title//text()", "//h1"):
        found = tree.xpath(query)
        if found:
            text = found[0] if isinstance(found[0], str) else "".join(found[0].itertext())
            if text.strip():
                return text
    return None


def _main_content(tree: Any) -> Any | None:
    """trafilatura's main-content tree, its tags renamed to HTML; None when it finds nothing."""
    from trafilatura import bare_extraction

    found = bare_extraction(tree, include_comments=False, include_tables=True, include_formatting=True)
    # a dict only with as_dict=True; this asks for trafilatura's Document
    if found is None or isinstance(found, dict) or found.body is None or not "".join(found.body.itertext()).strip():
        return None
    body = found.body
    for element in body.iter():
        tag = _tag(element)
        if tag == "head":
            rend = element.get("rend", "")
            element.tag = rend if rend in _HEADINGS else "h2"
        elif tag == "code":
            element.tag = "pre" if element.getparent() is None or element.getparent() is body else "code"
        elif tag in _TRAFILATURA_TAGS:
            element.tag = _TRAFILATURA_TAGS[tag]
    return body


def _walk(root: Any) -> list[RawBlock]:
    walker = _BlockWalker()
    walker.visit(root)
    walker.flush()
    return walker.parts


class _BlockWalker:
    """Turns an element tree into blocks: block elements end the running text, inline ones add to it."""

    def __init__(self) -> None:
        self.parts: list[RawBlock] = []
        self.kinds: list[BlockKind] = ["paragraph"]
        self.pending: list[str] = []

    def flush(self) -> None:
        text = _clean("".join(self.pending))
        self.pending.clear()
        if text:
            self.parts.append(RawBlock(text, self.kinds[-1]))

    def visit(self, element: Any) -> None:
        tag = _tag(element)
        if tag is None or tag in _SKIP_TAGS or _is_chrome(element):
            pass
        elif tag == "br":
            self.pending.append("\n")
        elif tag in _HEADINGS:
            self.flush()
            self.parts.append(RawBlock(_inline_text(element), "heading", _HEADINGS[tag]))
        elif tag == "pre":
            self.flush()
            self.parts.append(RawBlock("".join(element.itertext()), "code"))
        elif tag == "table" and not _is_layout_table(element):
            self.flush()
            self.parts.append(RawBlock(_table_text(element), "table"))
        elif tag in _BLOCK_TAGS:
            self.flush()
            self.kinds.append(_CONTAINER_KIND.get(tag, self.kinds[-1]))
            self.visit_children(element)
            self.flush()
            self.kinds.pop()
        else:
            self.visit_children(element)
        if element.tail:
            self.pending.append(_spaced(element.tail))

    def visit_children(self, element: Any) -> None:
        if element.text:
            self.pending.append(_spaced(element.text))
        for child in element:
            self.visit(child)


def _inline_text(element: Any) -> str:
    """An element's visible text: scripts and hidden parts left out, <br> as a line break."""
    pieces: list[str] = []

    def collect(node: Any) -> None:
        tag = _tag(node)
        if tag == "br":
            pieces.append("\n")
        elif tag is not None and tag not in _SKIP_TAGS and not _is_chrome(node):
            pieces.append(_spaced(node.text))
            for child in node:
                collect(child)
        pieces.append(_spaced(node.tail))

    pieces.append(_spaced(element.text))
    for child in element:
        collect(child)
    return _clean("".join(pieces))


def _spaced(text: str | None) -> str:
    """HTML whitespace rules: any run of whitespace in the source is one space."""
    return _WHITESPACE.sub(" ", text or "")


def _clean(text: str) -> str:
    """Running text trimmed line by line; its only line breaks came from <br>."""
    lines = (line.strip(" ") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _is_layout_table(table: Any) -> bool:
    """Tables used to lay out a page hold blocks (paragraphs, lists, tables), not values."""
    return any(_tag(element) in _LAYOUT_SIGNS for element in table.iterdescendants())


def _table_text(table: Any) -> str:
    """One line per row, cells separated by " | "."""
    rows = []
    for row in table.iter("tr"):
        cells = [_inline_text(cell).replace("\n", " ") for cell in row if _tag(cell) in ("td", "th")]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def looks_like_html(data: bytes) -> bool:
    """A doctype or <html>/<head>/<body> up front, or a fragment of several block tags.

    A README that opens with ``<p align="center">`` but goes on in Markdown is Markdown.
    """
    if looks_binary(data):
        return False
    head = head_text(data, _SNIFF_BYTES).lstrip().lower()
    if _STRONG_MARKER.match(head):
        return True
    return head.startswith("<") and len(_BLOCK_TAG.findall(head)) >= 2 and not looks_like_markdown(data)


reader_registry.register("html")(Reader("html", (".html", ".htm", ".xhtml"), parse, looks_like_html, priority=30))
