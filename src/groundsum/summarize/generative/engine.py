"""The generative engine: any Backend behind the Engine protocol, with verified, budgeted output."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...config import Settings
from ...model import Document, Draft, Per, Unit, Verdict
from .. import Engine, Verifier, get_engine
from .backend import Backend, Calls
from .hygiene import within_budget
from .map_reduce import map_reduce
from .repair import repair, settle
from .sizing import Sizer


class GenerativeEngine:
    """An Engine over any Backend: fluent sentences, each verified, with extractive fallback."""

    def __init__(
        self, name: str, backend: Backend, settings: Settings, fallback_options: dict[str, Any] | None = None
    ) -> None:
        self.name = name
        self.backend = backend
        self.options = settings
        self.calls = Calls(backend)
        self.usage = self.calls.usage
        self.sizer = Sizer(backend, settings.max_tokens)
        self._fallback_options = fallback_options or {}
        self._fallback: Engine | None = None

    def settings(self) -> dict[str, Any]:
        public = self.options.public()
        return {name: public[name] for name in self.backend.shown_settings} | self.backend.describe()

    @property
    def fallback(self) -> Engine:
        if self._fallback is None:
            self._fallback = get_engine("extractive", **self._fallback_options)
        return self._fallback

    def summarize(self, doc: Document, units: Sequence[Unit], per: Per) -> list[Draft]:
        plans = [self.sizer.plan(doc, unit) for unit in units]
        finals = map_reduce(plans, self.calls, self.sizer, self.options.quiet)
        drafts = []
        for index, (plan, notes) in enumerate(zip(plans, finals, strict=True)):
            kept = within_budget([note.text for note in notes], plan.max_words, plan.max_sentences)
            drafts += [Draft(n.text, n.evidence, plan.unit.section, "generated", index) for n in notes[: len(kept)]]
        return drafts

    def repair(self, doc: Document, failures: Sequence[tuple[Draft, Verdict]]) -> list[Draft | None]:
        """One new attempt per unsupported sentence when repair is on and the model follows tasks."""
        if not failures or not self.options.repair or not self.backend.instructable:
            return [None] * len(failures)
        return repair(doc, failures, self.calls, self.sizer, self.options.quiet)

    def settle(
        self, doc: Document, units: Sequence[Unit], per: Per,
        drafts: list[Draft], verdicts: list[Verdict], verify: Verifier,
    ) -> tuple[list[Draft], list[Verdict]]:
        """Repair (if asked) and fill short units from the extractive engine; rejected drafts stay, for the policy.

        ``verify`` is the pipeline's verifier, passed in because summarize sits below verify."""
        return settle(doc, units, per, drafts, verdicts, verify, self.repair, lambda: self.fallback)
