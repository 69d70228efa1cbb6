from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("window_misses", -1)
def window_misses(claim: Claim) -> float:
    """log(1 + content words that the aligned window, with its section's headings, lacks)."""
    return math.log1p(sum(1 for t in claim.tokens if t.is_content and t.stem not in claim.window_stems))
