"""Budgeted, redundancy-aware selection of sentences: greedy MMR under a word/sentence budget.

Any engine that ranks candidate sentences (extractive, or abstractive ones choosing chunks)
can reuse it. The cost is O(candidates × dimensions) per pick: it compares each candidate with
the sentence just picked, never candidates with each other.

How a word budget is honoured: a summary ends as close to ``max_words`` as whole sentences
allow. A sentence that would cross the budget is taken only when that lands at least as near
the budget as stopping short (so the overshoot is never more than half of that last sentence,
the rule summa's TextRank uses), and a shorter lower-ranked sentence that still fits may be
taken instead. A unit that has sentences never gets an empty summary: if no sentence meets the
rule, the single best one is taken.
"""

from __future__ import annotations

import numpy as np

DUPLICATE = 0.95  # cosine above which two sentences say the same thing: never both picked


def select(
    relevance: np.ndarray,
    vectors: np.ndarray,
    words: np.ndarray,
    max_words: int | None,
    max_sentences: int | None,
    redundancy: float,
    duplicate: float = DUPLICATE,
) -> list[int]:
    """Indices (ascending) of the sentences picked by maximal marginal relevance.

    Each pick maximises ``relevance - redundancy * (max cosine to what is already picked)``
    over the candidates the budget still admits. ``vectors`` rows must be unit-length.
    """
    count = len(relevance)
    if count == 0:
        return []
    words = np.asarray(words)
    relevance = np.asarray(relevance, dtype=np.float64)
    nearest = np.zeros(count)  # highest cosine of each candidate to a picked sentence
    open_ = np.ones(count, dtype=bool)
    picked: list[int] = []
    used = 0
    while max_sentences is None or len(picked) < max_sentences:
        if max_words is not None:
            remaining = max_words - used
            if remaining <= 0:
                break
            open_ &= words <= 2 * remaining  # crossing by more than what is left lands farther
        if not open_.any():
            break
        gain = np.where(open_, relevance - redundancy * nearest, -np.inf)
        best = int(np.argmax(gain))
        picked.append(best)
        used += int(words[best])
        similarity = vectors @ vectors[best]
        np.maximum(nearest, similarity, out=nearest)
        open_ &= similarity < duplicate
        open_[best] = False
    if not picked:
        picked.append(int(np.argmax(relevance)))
    return sorted(picked)
