from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("antonym_flips", -1)
def antonym_flips(claim: Claim) -> float:
    """Opposites of the window's words: antonyms, reversed stances, comparisons and certainty."""
    return float(claim.polarity.antonyms)
