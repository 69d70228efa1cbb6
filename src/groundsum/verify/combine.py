"""The learned combination of signals: a logistic model over standardized features. A model may
also let graded signals enter piecewise-linearly (hinges ``max(0, x - knot)``, listed in its
``knots``), so that, say, the step from 0.6 to 0.7 window similarity counts for more than that from
0.9 to 1.0; a hinge's weight keeps the sign its signal declares. The shipped model has none: they
helped on the dev splits and not on the test split (docs/benchmarks.md).

The weights and knots are fitted by ``python -m training.train_verify`` (outside the package) on
summaries people labelled (FRANK, SummEdits dev splits) and on synthetic claims, and shipped as
``model.json`` with their provenance; nothing here is hand-tuned. The probability is the
sentence's support score; two thresholds set on the human-labelled summaries turn it into a label.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..model import Label
from .features import FEATURES

MODEL_PATH = Path(__file__).with_name("model.json")


Knot = tuple[int, float]  # (index of the feature, value where its hinge starts)


def with_hinges(rows: np.ndarray, knots: tuple[Knot, ...]) -> np.ndarray:
    """The feature rows followed by one column ``max(0, x_j - knot)`` per knot."""
    rows = np.asarray(rows, dtype=np.float64)
    hinges = [np.maximum(0.0, rows[:, j] - knot) for j, knot in knots]
    return np.column_stack([rows, *hinges]) if hinges else rows


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    knots: tuple[Knot, ...]
    mean: np.ndarray  # over the features, then the hinges
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    supported_at: float  # probability at or above which a sentence is supported
    unsupported_below: float  # probability below which it is unsupported; between: uncertain

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = ((with_hinges(rows, self.knots) - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    def label(self, probability: float) -> Label:
        if probability >= self.supported_at:
            return "supported"
        return "unsupported" if probability < self.unsupported_below else "uncertain"

    def to_json(self, **extra: Any) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "knots": [[self.features[j], round(knot, 6)] for j, knot in self.knots],
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(float(self.bias), 6),
            "thresholds": {
                "supported_at": round(self.supported_at, 4),
                "unsupported_below": round(self.unsupported_below, 4),
            },
            **extra,
        }


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> Model:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"verify model {path} unreadable ({exc}); retrain: python -m training.train_verify"
        ) from None
    if tuple(data["features"]) != FEATURES:
        raise ConfigError(
            f"verify model {path} was trained on other features; retrain: python -m training.train_verify"
        )
    return Model(
        features=tuple(data["features"]),
        knots=tuple((FEATURES.index(name), float(knot)) for name, knot in data.get("knots", ())),
        mean=np.array(data["mean"], dtype=np.float64),
        scale=np.array(data["scale"], dtype=np.float64),
        weights=np.array(data["weights"], dtype=np.float64),
        bias=float(data["bias"]),
        supported_at=float(data["thresholds"]["supported_at"]),
        unsupported_below=float(data["thresholds"]["unsupported_below"]),
    )
