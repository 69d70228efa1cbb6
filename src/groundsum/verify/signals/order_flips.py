from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("order_flips", -1)
def order_flips(claim: Claim) -> float:
    """Words around a shared word in the reverse order of the source (A beat B / B beat A)."""
    return float(claim.roles.reversals)
