"""The figures every verify benchmark reports a method with: ranking (ROC AUC), balanced accuracy
at a cut, and the precision of the "supported" label. Labels may be booleans or 0/1."""

from __future__ import annotations

import numpy as np


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """P(a random positive outscores a random negative), ties counting half (Mann-Whitney U by ranks)."""
    scores, positive = np.asarray(scores, dtype=np.float64), np.asarray(positive).astype(bool)
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = positive.sum(), (~positive).sum()
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def balanced_accuracy(predicted: np.ndarray, positive: np.ndarray) -> float:
    """The mean of the recalls of the two sides (of the side present, when only one is)."""
    predicted, positive = np.asarray(predicted).astype(bool), np.asarray(positive).astype(bool)
    recalls = [
        float(np.mean(predicted[positive == side] == side)) for side in (True, False) if (positive == side).any()
    ]
    return float(np.mean(recalls))


def supported_precision(predicted: np.ndarray, positive: np.ndarray) -> float:
    """Of the items called supported, the share humans found consistent."""
    predicted = np.asarray(predicted).astype(bool)
    return float(np.asarray(positive).astype(bool)[predicted].mean()) if predicted.any() else float("nan")


def best_threshold(scores: np.ndarray, positive: np.ndarray) -> float:
    """The cut (supported when score >= cut) with the highest balanced accuracy on these very labels."""
    cuts = np.unique(np.concatenate([scores, [np.inf]]))
    return float(max(cuts, key=lambda cut: balanced_accuracy(scores >= cut, positive)))
