"""Verify: align each sentence to source spans, score its support, and label it."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import CheckedSentence, CheckResult, Document, Draft, Span, Verdict


def verify(doc: Document, drafts: Sequence[Draft]) -> list[Verdict]:
    verdicts = []
    for draft in drafts:
        found = doc.text.find(draft.text)
        if found >= 0:
            verdicts.append(Verdict("supported", 1.0, (Span(found, found + len(draft.text)),)))
        else:
            verdicts.append(Verdict("unsupported", 0.0, (), ("no source passage states this",)))
    return verdicts
