"""The learned combination of signals: logistic regression over standardized features.

The weights are fitted by ``python -m training.train_verify`` (outside the package) on summaries
people labelled (FRANK, SummEdits dev splits) and on synthetic claims, and shipped as
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


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    supported_at: float  # probability at or above which a sentence is supported
    unsupported_below: float  # probability below which it is unsupported; between: uncertain

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = ((np.asarray(rows, dtype=np.float64) - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    def label(self, probability: float) -> Label:
        if probability >= self.supported_at:
            return "supported"
        return "unsupported" if probability < self.unsupported_below else "uncertain"

    def to_json(self, **extra: Any) -> dict[str, Any]:
        return {
            "features": list(self.features),
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
        mean=np.array(data["mean"], dtype=np.float64),
        scale=np.array(data["scale"], dtype=np.float64),
        weights=np.array(data["weights"], dtype=np.float64),
        bias=float(data["bias"]),
        supported_at=float(data["thresholds"]["supported_at"]),
        unsupported_below=float(data["thresholds"]["unsupported_below"]),
    )
