"""After verify: one repair attempt per rejected sentence, then the extractive engine fills what is short.

Rejected drafts stay in the output, for the pipeline's unsupported policy; a repair or fill that
restates a sentence already kept is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ...model import Budget, Document, Draft, Per, Unit, Verdict
from .. import Engine, Verifier
from ..prompts import Prompt, repair_task
from .backend import Calls
from .chunking import TokenCounter
from .hygiene import near_duplicate, reply_sentences, within_budget, words
from .progress import progress_bar
from .sizing import REPAIR_TOKENS, Sizer, unit_limits

Repairer = Callable[[Document, Sequence[tuple[Draft, Verdict]]], list[Draft | None]]


def accepted(draft: Draft, verdict: Verdict) -> bool:
    """Whether a sentence may stand as verified: a generated one must be supported, not merely uncertain."""
    if draft.origin == "generated":
        return verdict.label == "supported"
    return verdict.label != "unsupported"


def repair(
    doc: Document, failures: Sequence[tuple[Draft, Verdict]], calls: Calls, sizer: Sizer, quiet: bool
) -> list[Draft | None]:
    """One new attempt per unsupported sentence, told why it failed; None where none came back."""
    prompts = []
    for draft, verdict in failures:
        task = repair_task(draft.text, verdict.reasons)
        source = _evidence_text(doc, draft, sizer.capacity(task, REPAIR_TOKENS), calls.backend.count_tokens)
        prompts.append(Prompt(source, task, REPAIR_TOKENS))
    with progress_bar(quiet, len(prompts)) as advance:
        completions = calls.all(prompts, advance.step)
    repaired: list[Draft | None] = []
    for (draft, _), prompt, completion in zip(failures, prompts, completions, strict=True):
        sentences = reply_sentences(prompt, completion)
        fresh = sentences[0] if sentences and not near_duplicate(sentences[0], draft.text) else None
        repaired.append(replace(draft, text=fresh) if fresh else None)
    return repaired


def _evidence_text(doc: Document, draft: Draft, capacity: int, count: TokenCounter) -> str:
    """The draft's evidence that fits, most related spans first, shown in document order."""
    mine = set(words(draft.text))
    ranked = sorted(draft.evidence, key=lambda s: -len(mine & set(words(doc.cite(s)))))
    chosen, used = [], 0
    for span in ranked:
        tokens = count(doc.cite(span)) + 1
        if used + tokens <= capacity:
            chosen.append(span)
            used += tokens
    return "\n\n".join(doc.cite(span) for span in sorted(chosen, key=lambda s: s.start))


def settle(
    doc: Document,
    units: Sequence[Unit],
    per: Per,
    drafts: list[Draft],
    verdicts: list[Verdict],
    verify: Verifier,
    repairer: Repairer,
    fallback: Callable[[], Engine],
) -> tuple[list[Draft], list[Verdict]]:
    """Repair rejected drafts with ``repairer`` and fill short units from ``fallback()`` (built only if needed)."""
    pairs = list(zip(drafts, verdicts, strict=True))
    failures = [(d, v) for d, v in pairs if not accepted(d, v)]
    repairs = [r for r in repairer(doc, failures) if r is not None]
    pairs += list(zip(repairs, verify(doc, repairs), strict=True))
    by_unit: dict[int, list[tuple[Draft, Verdict]]] = {i: [] for i in range(len(units))}
    for draft, verdict in pairs:
        kept = [d.text for d, v in by_unit[draft.unit] if accepted(d, v)]
        if accepted(draft, verdict) and any(near_duplicate(draft.text, text) for text in kept):
            continue  # a repair that restates a sentence already kept
        by_unit[draft.unit].append((draft, verdict))
    _fill(doc, units, per, by_unit, verify, fallback)
    settled = [pair for i in range(len(units)) for pair in sorted(by_unit[i], key=_position)]
    return [d for d, _ in settled], [v for _, v in settled]


def _fill(
    doc: Document,
    units: Sequence[Unit],
    per: Per,
    by_unit: dict[int, list[tuple[Draft, Verdict]]],
    verify: Verifier,
    fallback: Callable[[], Engine],
) -> None:
    """The extractive engine's pick for what is left of each unit's budget once its verified sentences are counted."""
    short: list[tuple[int, Unit]] = []
    for i, unit in enumerate(units):
        kept = [d.text for d, v in by_unit[i] if accepted(d, v)]
        max_words, max_sentences = unit_limits(doc, unit)
        used = sum(len(text.split()) for text in kept)
        if (max_sentences is None or len(kept) < max_sentences) and (max_words is None or used < max_words):
            left = Budget(
                words=None if max_words is None else max_words - used,
                sentences=None if max_sentences is None else max_sentences - len(kept),
            )
            short.append((i, replace(unit, budget=left)))
    if not short:
        return
    extracted = fallback().summarize(doc, [unit for _, unit in short], per)
    for draft, verdict in zip(extracted, verify(doc, extracted), strict=True):
        i = short[draft.unit][0]
        kept = [d.text for d, v in by_unit[i] if accepted(d, v)]
        if not accepted(draft, verdict) or any(near_duplicate(draft.text, text) for text in kept):
            continue
        if within_budget([*kept, draft.text], *unit_limits(doc, units[i])) == [*kept, draft.text]:
            by_unit[i].append((replace(draft, unit=i), verdict))


def _position(pair: tuple[Draft, Verdict]) -> int:
    """Where a sentence's support starts in the source: orders a unit's mixed sentences like the document."""
    draft, verdict = pair
    spans = verdict.citations or draft.evidence
    return min((s.start for s in spans), default=0)
