"""What tokenized text writes differently from plain text, and the plain form of each.

Sources and summaries arrive tokenized in the Penn Treebank style (CNN/DM articles, most
news summarizers): ``quotes'', -lrb- brackets, "$ 100 , 000", "did n't", "u.s.". A claim must
compare equal to its source however either was written, so the tokenizer reads each such
spelling as one token whose norm is its plain form (the token's span still covers the
characters as written), and embeddings read the text in its plain form. Spellings that
tokenize alike anyway (" 's", " n't", "u.s.", "state - of - the - art") need nothing here.
"""

from __future__ import annotations

import re

from ..tidy import tidy

# Punctuation spelled otherwise: PTB brackets and quotes, typographic quotes, "--" for a dash.
_PUNCT = {
    "-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}",
    "``": '"', "''": '"', "“": '"', "”": '"', "„": '"', "`": "'", "‘": "'", "’": "'",
    "--": "—",
}
# Longest first, so that "``" wins over "`"; case-insensitive for "-LRB-".
SPELLED_PUNCT = "(?i:" + "|".join(re.escape(k) for k in sorted(_PUNCT, key=len, reverse=True)) + ")"

# A number as written: "1,000", "3.5", "7:30", and digit groups a tokenizer or a detokenizer split
# ("100 , 000", "1, 000"). Only groups of three after at most three digits join, so that
# "February 3 , 1959" and "in 2005, 300 people" stay apart.
DIGITS = r"(?:\d{1,3}(?: ?, ?\d{3}(?!\d))+|\d+)(?:[.,:]\d+)*"

_SPELLINGS = re.compile(f"(?P<number>{DIGITS})|{SPELLED_PUNCT}")


def punct_norm(surface: str) -> str:
    """The plain form of a punctuation token ("``" is '"'); other marks are their own form."""
    return _PUNCT.get(surface.lower(), surface)


def number_norm(surface: str) -> str:
    """A number token's digits without group separators: "100 , 000" and "100,000" are "100000"."""
    return surface.replace(",", "").replace(" ", "").lower()


def _plain_spelling(match: re.Match[str]) -> str:
    if match.lastgroup == "number":
        return match.group().replace(" ", "")
    return punct_norm(match.group())


def plain_text(text: str) -> str:
    """``text`` with tokenized spellings written plainly and its spacing tidied, for readers and
    embedders that see characters, not tokens. Never used for offsets."""
    return tidy(_SPELLINGS.sub(_plain_spelling, text))
