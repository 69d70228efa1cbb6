from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("role_swaps", -1)
def role_swaps(claim: Claim) -> float:
    """Two names whose roles the source has the other way round (who wrote to whom)."""
    return float(claim.roles.swaps)
