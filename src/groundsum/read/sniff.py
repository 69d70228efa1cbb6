"""Content sniffing that more than one reader needs.

HTML leaves a page to Markdown when it reads as Markdown, and Markdown embeds HTML blocks: keeping
the Markdown test here lets both readers import it without importing each other.
"""

from __future__ import annotations

import re

from .decode import head_text, looks_binary

_MARKERS = {
    "heading": re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),
    "bold": re.compile(r"(\*\*|__)\S[^\n]*?\S?\1"),
    "link": re.compile(r"!?\[[^\]\n]+\]\([^)\s]+[^)\n]*\)"),
    "fence": re.compile(r"^[ \t]{0,3}(```|~~~)", re.MULTILINE),
    "list": re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S", re.MULTILINE),
    "quote": re.compile(r"^[ \t]{0,3}>[ \t]?\S", re.MULTILINE),
    "autolink": re.compile(r"<https?://[^>\s]+>"),
    "setext": re.compile(r"^\S[^\n]*\n(?:=+|-+)[ \t]*$", re.MULTILINE),
}
_SNIFF_BYTES = 65536


def looks_like_markdown(data: bytes) -> bool:
    """Two kinds of Markdown markup (or several ATX headings) in text: plain text rarely has them."""
    if looks_binary(data):
        return False
    text = head_text(data, _SNIFF_BYTES)
    kinds = {name for name, pattern in _MARKERS.items() if pattern.search(text)}
    return len(kinds) >= 2 or len(_MARKERS["heading"].findall(text)) >= 2
