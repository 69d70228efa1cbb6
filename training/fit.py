"""Fitting the verify model to summary-level labels: multiple-instance logistic regression.

Human labels say whether a whole summary is consistent, not which sentence is wrong. The model
scores sentences, ``p_i = σ(w·x_i + b)``, and a summary is consistent when all its sentences are
supported: ``P = Π p_i`` (noisy-AND). Fitting maximizes the likelihood of the summary labels
under that product, so the sentence model learns from summary labels without guessing which
sentence was at fault. A single claim (synthetic data) is a summary of one sentence.
Every weight keeps the sign its signal declares (bounds in L-BFGS-B), so no artifact of one
dataset can make, say, more word overlap count against a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .faithfulness import Bag

SUPPORTED_PRECISION = 0.90  # of summaries whose every sentence is called supported
UNSUPPORTED_PRECISION = 0.80  # of claims called unsupported
DEPLOYMENT_PRIOR = 0.75  # share of true claims the unsupported cut is set for (each set reweighted to it)
MIN_CALLED = 20  # a precision measured on fewer summaries than this is not trusted


def stack(bags: Sequence[Bag]) -> tuple[np.ndarray, np.ndarray]:
    """All sentence rows, and the index of the bag each belongs to."""
    rows = [b.features for b in bags]
    owner = np.concatenate([np.full(len(r), k) for k, r in enumerate(rows)]) if rows else np.zeros(0, int)
    return np.vstack(rows), owner.astype(np.int64)


def fit_bags(
    bags: Sequence[Bag], weights: np.ndarray, directions: np.ndarray, l2: float, mean: np.ndarray, scale: np.ndarray
) -> tuple[np.ndarray, float]:
    """(weights, bias) over standardized features, maximizing the weighted noisy-AND likelihood."""
    x, owner = stack(bags)
    x = (x - mean) / scale
    y = np.array([b.label for b in bags], dtype=np.float64)
    n, d = len(bags), x.shape[1]
    total = weights.sum()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        z = x @ w + b
        log_p = -np.logaddexp(0.0, -z)
        log_bag = np.minimum(np.bincount(owner, log_p, minlength=n), -1e-12)
        log_not = np.log(-np.expm1(log_bag))
        nll = -(weights * (y * log_bag + (1 - y) * log_not)).sum() / total
        # d/dz_i: -(1-p_i) for consistent bags; (1-p_i)·P/(1-P) for inconsistent ones
        odds = 1.0 / np.expm1(-log_bag)
        per_bag = weights * np.where(y == 1, -1.0, odds) / total
        grad_z = per_bag[owner] * (1.0 - np.exp(log_p))
        grad = np.concatenate([x.T @ grad_z + l2 * w, [grad_z.sum()]])
        return nll + 0.5 * l2 * float(w @ w), grad

    bounds = [(0, None) if s > 0 else (None, 0) if s < 0 else (None, None) for s in directions] + [(None, None)]
    result = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 500})
    return result.x[:d], float(result.x[d])


# Signals that also enter piecewise-linearly, with a hinge at each of these quantiles of the training
# rows (those with almost every row on one side are skipped): the graded ones, whose effect need not
# be a straight line. Counts of rare events (flips, missing names) stay linear.
HINGED = ("cover_source", "length", "window_misses", "window_similarity")
KNOT_QUANTILES = (0.1, 0.3, 0.5, 0.7, 0.9)
MIN_SIDE = 0.02  # share of rows a hinge must have on each side


def knots_for(rows: np.ndarray, features: Sequence[str]) -> tuple[tuple[int, float], ...]:
    knots = []
    for name in HINGED:
        j = features.index(name)
        for knot in sorted(set(np.quantile(rows[:, j], KNOT_QUANTILES).round(4).tolist())):
            if MIN_SIDE < (rows[:, j] > knot).mean() < 1 - MIN_SIDE:
                knots.append((j, float(knot)))
    return tuple(knots)


def _prior_weights(labels: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each set reweighted to the deployment prior, and the sets weighing the same."""
    weight = np.zeros(len(labels))
    for group in set(groups.tolist()):
        for label, share in ((1, DEPLOYMENT_PRIOR), (0, 1 - DEPLOYMENT_PRIOR)):
            cell = (groups == group) & (labels == label)
            weight[cell] = share / max(1, cell.sum())
    return weight


GRID = np.round(np.linspace(0.01, 0.99, 99), 2)


def _precision(weight: np.ndarray, labels: np.ndarray, mask: np.ndarray, label: int) -> float:
    total = weight[mask].sum()
    return float(weight[mask & (labels == label)].sum() / total) if mask.sum() >= MIN_CALLED else 0.0


@dataclass(frozen=True)
class SupportedCut:
    cut: float
    precision: float  # of the summaries called supported at the cut
    called: float  # share of summaries called supported
    target_met: bool


def supported_cut(min_probability: np.ndarray, labels: np.ndarray) -> SupportedCut:
    """The lowest cut on sentence probability at which summaries with every sentence above it are
    consistent ≥90% of the time; where no cut gets there, the most precise one. Given held-out
    (cross-validated) probabilities, so that the precision is what unseen summaries get, not what
    the fit saw."""
    labels = np.asarray(labels)
    weight = np.ones(len(labels))
    precision = {float(t): _precision(weight, labels, min_probability >= t, 1) for t in GRID}
    reaching = [t for t, p in precision.items() if p >= SUPPORTED_PRECISION]
    cut = reaching[0] if reaching else max(precision, key=lambda t: (precision[t], -t))
    called = float((min_probability >= cut).mean())
    return SupportedCut(cut, round(precision[cut], 4), round(called, 4), bool(reaching))


def unsupported_cut(probability: np.ndarray, labels: np.ndarray, groups: np.ndarray) -> float:
    """The highest cut under which a claim is unsupported ≥80% of the time, at the deployment prior.
    Set on claims labelled one by one: a human label for a whole summary can't say which sentence
    was wrong, so it can't say how low a wrong one scores."""
    labels, groups = np.asarray(labels), np.asarray(groups)
    weight = _prior_weights(labels, groups)
    cuts = (t for t in GRID[::-1] if _precision(weight, labels, probability < t, 0) >= UNSUPPORTED_PRECISION)
    return float(next(cuts, GRID[0]))
