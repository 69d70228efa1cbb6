"""The summarization options of a batch, validated once and normalized for the record.

Normalizing resolves defaults (``--per document`` alone means 5 sentences), so two runs asking
for the same summary share a key whether or not the default was spelled out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import Budget, Per
from ..pipeline import Policy, require_policy
from ..summarize import engine_registry, make_budget, require_per
from ..summarize.focus import require_focus
from ..summarize.options import EngineOptions


@dataclass(frozen=True)
class BatchOptions:
    per: Per = "document"
    budget: Budget = field(default_factory=lambda: make_budget("document"))
    engine: str = "extractive"
    unsupported: Policy = "drop"
    engine_options: dict[str, Any] = field(default_factory=dict)
    focus: str | None = None

    @classmethod
    def create(
        cls,
        per: str = "document",
        words: int | None = None,
        sentences: int | None = None,
        ratio: float | None = None,
        engine: str = "extractive",
        unsupported: str = "drop",
        engine_options: dict[str, Any] | None = None,
        focus: str | None = None,
    ) -> BatchOptions:
        """Check everything that would fail the same way for every document, before any runs."""
        mode = require_per(per)
        policy = require_policy(unsupported)
        engine_registry.get(engine)  # an unknown name fails here; building the engine waits for the workers
        budget = make_budget(mode, words, sentences, ratio)
        given = EngineOptions.parse(engine_options or {}).given()
        return cls(mode, budget, engine, policy, dict(sorted(given.items())), require_focus(focus))

    def to_dict(self) -> dict[str, Any]:
        """The normalized form stored in every record and used in its key."""
        return {
            "per": self.per,
            **asdict(self.budget),
            "engine": self.engine,
            "unsupported": self.unsupported,
            "engine_options": self.engine_options,
            # absent when unset: older records keep their keys
            **({"focus": self.focus} if self.focus is not None else {}),
        }

    def summary_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``pipeline.summarize`` other than the source and the engine."""
        return {"per": self.per, **asdict(self.budget), "unsupported": self.unsupported, "focus": self.focus}
