from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("length", 0)
def length(claim: Claim) -> float:
    """log(1 + content words): a long claim has more room to go wrong, a short one less evidence."""
    return math.log1p(sum(t.is_content for t in claim.tokens))
