from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("numbers_elsewhere", -1)
def numbers_elsewhere(claim: Claim) -> float:
    """Numbers and dates the source states, but not near the window."""
    return float(claim.numbers.elsewhere)
