from __future__ import annotations

from typing import TYPE_CHECKING

from ..align import claim_weights
from ..content import coverage
from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("cover_source", 1)
def cover_source(claim: Claim) -> float:
    """Rarity-weighted share of the claim's content words found anywhere in the source."""
    return coverage(claim_weights(claim.index, claim.tokens), claim.index.names.stems)
