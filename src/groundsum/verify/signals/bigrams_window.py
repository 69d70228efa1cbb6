from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("bigrams_window", 1)
def bigrams_window(claim: Claim) -> float:
    """Share of the claim's adjacent word pairs found in the aligned window: is it said there, in these words?"""
    if not claim.bigrams:
        return 1.0
    window = frozenset().union(*(claim.index.units[i].bigrams for i in claim.alignment.window))
    return len(claim.bigrams & window) / len(claim.bigrams)
