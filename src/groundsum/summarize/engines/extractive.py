"""The default engine: pick the most salient source sentences, verbatim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...model import Document, Draft, Per, Unit
from .. import engine_registry


class ExtractiveEngine:
    name = "extractive"

    def settings(self) -> dict[str, Any]:
        return {}

    def summarize(self, doc: Document, units: Sequence[Unit], per: Per) -> list[Draft]:
        drafts = []
        for unit_index, unit in enumerate(units):
            words = sum(len(doc.cite(doc.sentences[i].span).split()) for i in unit.sentences)
            max_words, max_sentences = unit.budget.limits(words, len(unit.sentences))
            used = 0
            for count, i in enumerate(unit.sentences):
                sentence = doc.sentences[i]
                n = len(doc.cite(sentence.span).split())
                if (max_sentences is not None and count >= max_sentences) or (max_words is not None and used + n > max_words and count):
                    break
                used += n
                drafts.append(Draft(doc.cite(sentence.span), (sentence.span,), unit.section, "extracted", unit_index))
        return drafts


@engine_registry.register("extractive")
def make_extractive(**options: Any) -> ExtractiveEngine:
    return ExtractiveEngine()
