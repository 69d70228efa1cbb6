"""Content support: how much of a claim's wording the aligned passage (and the source) contains.

Strong lexical support is the best single predictor that a summary sentence is faithful, so
these are graded measures, not thresholds: rarity-weighted word coverage, and the words the
source never uses at all.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .numbers import is_number_word
from .tokens import Token


def coverage(weights: dict[str, float], covered: Collection[str]) -> float:
    """Share of the claim's (rarity-weighted) content stems found in ``covered``."""
    total = sum(weights.values())
    if not total:
        return 1.0
    return sum(w for s, w in weights.items() if s in covered) / total


def novel_words(
    claim: Sequence[Token], words: frozenset[str], stems: frozenset[str], skip: Collection[int] = ()
) -> list[Token]:
    """Content words of the claim the source never uses, in any form (``skip``: token indices
    already accounted for, such as a name the source spells differently)."""
    return [
        t
        for k, t in enumerate(claim)
        if k not in skip
        and t.is_content
        and t.kind == "word"
        and t.norm not in words
        and t.stem not in stems
        and not is_number_word(t.norm)
    ]
