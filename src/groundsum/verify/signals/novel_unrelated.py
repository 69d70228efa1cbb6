from __future__ import annotations

from typing import TYPE_CHECKING

from ...embed import get_embedder
from ..align import EMBEDDER
from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("novel_unrelated", -1)
def novel_unrelated(claim: Claim) -> float:
    """Words the source never uses, each weighed by how unlike it is to every content word near the
    window (1 − best cosine of word embeddings): a paraphrase's new word is near a source word, an
    invented fact's is not."""
    novel = sorted({t.norm for t in claim.novel})
    if not novel:
        return 0.0
    units = claim.index.units
    nearby = sorted({t.norm for i in claim.context.near for t in units[i].tokens if t.is_content})
    if not nearby:
        return float(len(novel))
    vectors = get_embedder(EMBEDDER).encode(novel + nearby)
    best = (vectors[: len(novel)] @ vectors[len(novel) :].T).max(axis=1)
    return float((1.0 - best.clip(0.0, 1.0)).sum())
