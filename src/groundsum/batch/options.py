"""The summarization options of a batch, validated once and normalized for the record.

Normalizing resolves defaults (``--per document`` alone means 5 sentences), so two runs asking
for the same summary share a key whether or not the default was spelled out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import ConfigError
from ..model import Budget, Per
from ..pipeline import POLICIES, Policy
from ..summarize import PER_CHOICES, engine_registry, make_budget


@dataclass(frozen=True)
class BatchOptions:
    per: Per = "document"
    budget: Budget = field(default_factory=lambda: make_budget("document"))
    engine: str = "extractive"
    unsupported: Policy = "drop"
    engine_options: dict[str, Any] = field(default_factory=dict)

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
    ) -> BatchOptions:
        """Check everything that would fail the same way for every document, before any runs."""
        if per not in PER_CHOICES:
            raise ConfigError(f"--per must be one of {', '.join(PER_CHOICES)}")
        if unsupported not in POLICIES:
            raise ConfigError(f"--unsupported must be one of {', '.join(POLICIES)}")
        engine_registry.get(engine)  # an unknown name fails here; building the engine waits for the workers
        budget = make_budget(per, words, sentences, ratio)
        return cls(per, budget, engine, unsupported, dict(sorted((engine_options or {}).items())))  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """The normalized form stored in every record and used in its key."""
        return {
            "per": self.per,
            **asdict(self.budget),
            "engine": self.engine,
            "unsupported": self.unsupported,
            "engine_options": self.engine_options,
        }

    def summary_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``pipeline.summarize`` other than the source and the engine."""
        return {"per": self.per, **asdict(self.budget), "unsupported": self.unsupported}
