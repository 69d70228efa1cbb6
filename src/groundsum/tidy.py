"""Whitespace and tokenization artifacts cleaned for display (" .", " 's", "do n't", line breaks)."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b)")
_AFTER_OPEN = re.compile(r"([(\[{])\s+")
_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")


def tidy(text: str) -> str:
    """The text as people should read it. Never used for offsets: citations stay exact."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _SPACE.sub(" ", text).strip()
    text = _BEFORE_PUNCT.sub(r"\1", text)
    return _AFTER_OPEN.sub(r"\1", text)
