from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("numbers_missing", -1)
def numbers_missing(claim: Claim) -> float:
    """Numbers, dates and time spans the source never states, or states otherwise nearby."""
    return float(claim.numbers.missing)
