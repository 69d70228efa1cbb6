"""The ``first-sentences`` engine: each unit's leading sentences, registered by decorator on import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from groundsum.model import Document, Draft, Per, Unit, Verdict
from groundsum.summarize import Verifier, engine_registry


@dataclass
class FirstSentences:
    name: str = "first-sentences"

    def settings(self) -> dict[str, Any]:
        return {}

    def summarize(self, doc: Document, units: Sequence[Unit], per: Per) -> list[Draft]:
        drafts = []
        for index, unit in enumerate(units):
            words = sum(len(doc.cite(doc.sentences[i].span).split()) for i in unit.sentences)
            max_words, max_sentences = unit.budget.limits(words, len(unit.sentences))
            kept = 0
            for i in unit.sentences[: max_sentences or len(unit.sentences)]:
                sentence = doc.sentences[i]
                kept += len(doc.cite(sentence.span).split())
                if max_words is not None and kept > max_words and drafts:
                    break
                drafts.append(Draft(doc.cite(sentence.span), (sentence.span,), sentence.section, "extracted", index))
        return drafts

    def settle(
        self, doc: Document, units: Sequence[Unit], per: Per,
        drafts: list[Draft], verdicts: list[Verdict], verify: Verifier,
    ) -> tuple[list[Draft], list[Verdict]]:
        return drafts, verdicts


@engine_registry.register("first-sentences")
def make_first_sentences(**options: Any) -> FirstSentences:
    return FirstSentences()
