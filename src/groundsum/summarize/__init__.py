"""Summarize: plan the units a summary covers, and the engines that draft their sentences.

Engines live in ``groundsum.summarize.engines``, one file each, registered by name with
``@engine_registry.register("name")`` on a factory that takes keyword options and returns an Engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, get_args

from ..errors import ConfigError
from ..model import Budget, Document, Draft, Per, Span, Unit, Verdict
from ..registry import Registry

PER_CHOICES: tuple[Per, ...] = get_args(Per)
DEFAULT_SENTENCES: dict[str, int] = {"document": 5, "section": 3, "paragraph": 1}
# verify's entry point, handed down by the pipeline: summarize sits below verify and never imports it
Verifier = Callable[[Document, Sequence[Draft]], list[Verdict]]


class Engine(Protocol):
    """What every engine does: turn planned units into draft sentences with their evidence."""

    name: str

    def settings(self) -> dict[str, Any]:
        """The options that shaped the output, for the record (never secrets)."""
        ...

    def summarize(self, doc: Document, units: Sequence[Unit], per: Per) -> list[Draft]:
        """Draft sentences for every unit, in document order within each unit."""
        ...

    def settle(
        self, doc: Document, units: Sequence[Unit], per: Per,
        drafts: list[Draft], verdicts: list[Verdict], verify: Verifier,
    ) -> tuple[list[Draft], list[Verdict]]:
        """The drafts and verdicts to keep once verified: a generative engine repairs and fills from the
        extractive engine (verifying what it adds with ``verify``); one that quotes the source returns them
        as they are."""
        ...


engine_registry: Registry[Callable[..., Engine]] = Registry(
    "engine", "groundsum.summarize.engines", "groundsum.engines"
)


def get_engine(name: str = "extractive", **options: Any) -> Engine:
    return engine_registry.get(name)(**options)


def require_per(per: str) -> Per:
    """``per`` as a Per; any other value is the one error every interface shows."""
    if per not in PER_CHOICES:
        raise ConfigError(f"--per must be one of {', '.join(PER_CHOICES)}")
    return per


def make_budget(per: str, words: int | None = None, sentences: int | None = None, ratio: float | None = None) -> Budget:
    """Validate the length options; with none given, use the mode's default sentence count."""
    per = require_per(per)
    given = [value for value in (words, sentences, ratio) if value is not None]
    if len(given) > 1:
        raise ConfigError("give at most one of --words, --sentences, --ratio")
    if words is not None and words < 1:
        raise ConfigError("--words must be at least 1")
    if sentences is not None and sentences < 1:
        raise ConfigError("--sentences must be at least 1")
    if ratio is not None and not 0 < ratio <= 1:
        raise ConfigError("--ratio must be in (0, 1]")
    if not given:
        return Budget(sentences=DEFAULT_SENTENCES[per])
    return Budget(words=words, sentences=sentences, ratio=ratio)


def plan_units(doc: Document, per: Per, budget: Budget) -> list[Unit]:
    """Split a segmented document into the units that each get a summary.

    Sentences of non-summarizable sections (reference lists) are left out everywhere.
    """
    require_per(per)
    keep = [
        i
        for i, sentence in enumerate(doc.sentences)
        if sentence.section is None or doc.sections[sentence.section].summarizable
    ]
    if per == "document":
        return [Unit(Span(0, len(doc.text)), tuple(keep), budget, None)] if keep else []
    groups: dict[int | None, list[int]] = {}
    for i in keep:
        sentence = doc.sentences[i]
        key = sentence.section if per == "section" else sentence.paragraph
        groups.setdefault(key, []).append(i)
    units = []
    for key, indices in groups.items():
        if per == "section":
            span = doc.sections[key].span if key is not None else Span(0, len(doc.text))
            section = key
        else:
            assert key is not None  # a sentence's paragraph is always an index
            span = doc.paragraphs[key].span
            section = doc.paragraphs[key].section
        units.append(Unit(span, tuple(indices), budget, section))
    return units
