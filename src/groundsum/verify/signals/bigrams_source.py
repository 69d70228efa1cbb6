from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("bigrams_source", 1)
def bigrams_source(claim: Claim) -> float:
    """Share of the claim's adjacent word pairs found anywhere in the source: phrase-level support."""
    if not claim.bigrams:
        return 1.0
    return len(claim.bigrams & claim.index.bigrams) / len(claim.bigrams)
