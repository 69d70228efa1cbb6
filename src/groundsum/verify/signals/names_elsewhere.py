from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("names_elsewhere", -1)
def names_elsewhere(claim: Claim) -> float:
    """Names the source has, but not near the window: the sum of log(1 + units away)."""
    return float(claim.names.elsewhere)
