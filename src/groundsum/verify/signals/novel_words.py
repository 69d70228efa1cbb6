from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import signal

if TYPE_CHECKING:
    from ..features import Claim


@signal("novel_words", -1)
def novel_words(claim: Claim) -> float:
    """log(1 + content words the source never uses, names it has excepted)."""
    return math.log1p(len(claim.novel))
