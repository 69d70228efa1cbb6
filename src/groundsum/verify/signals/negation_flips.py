from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("negation_flips", -1)
def negation_flips(claim: Claim) -> float:
    """Words the window states plainly and the claim negates, or the reverse."""
    return float(claim.polarity.negations)
