from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("names_missing", -1)
def names_missing(claim: Claim) -> float:
    """Names the source never mentions."""
    return float(claim.names.missing)
