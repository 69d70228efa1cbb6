from __future__ import annotations

from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("window_similarity", 1)
def window_similarity(claim: Claim) -> float:
    """Cosine similarity of the claim's embedding with the closest passage of its window."""
    return max(float(claim.index.vectors[i] @ claim.vector) for i in claim.alignment.window)
