"""Map-reduce: every chunk of a unit summarized into notes, the notes combined until one call writes the unit's summary.

A one-chunk unit is summarized directly. Every note keeps the source spans it was written from,
so each final sentence can be verified against, and cited to, exactly that text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import EngineError
from ...model import Span
from ..prompts import Prompt, summarize_task
from .backend import Calls
from .chunking import TokenCounter
from .hygiene import reply_sentences, words
from .progress import Advance, progress_bar
from .sizing import Plan, Sizer

MAX_REDUCE_LEVELS = 8


@dataclass(frozen=True, slots=True)
class Note:
    """A generated sentence and the source spans it was written from."""

    text: str
    evidence: tuple[Span, ...]


def map_reduce(plans: Sequence[Plan], calls: Calls, sizer: Sizer, quiet: bool) -> list[list[Note]]:
    """Each planned unit's summary sentences, in the plans' order."""
    with progress_bar(quiet, sum(len(plan.chunks) for plan in plans)) as advance:
        prompts = []
        for plan in plans:
            if len(plan.chunks) == 1:
                task = summarize_task(plan.max_words, plan.max_sentences, plan.unit.focus)
                prompts.append(Prompt(plan.chunks[0].text, task, plan.reply))
            else:
                task = summarize_task(None, plan.notes_per_call, plan.unit.focus)
                reply = sizer.reply_tokens(plan.notes_per_call)
                prompts += [Prompt(chunk.text, task, reply) for chunk in plan.chunks]
        replies = iter(zip(prompts, calls.all(prompts, advance.step)))
        mapped = [
            [[Note(text, chunk.spans) for text in reply_sentences(*next(replies))] for chunk in plan.chunks]
            for plan in plans
        ]
        return _reduce(plans, mapped, calls, sizer, advance)


def _reduce(
    plans: Sequence[Plan], mapped: list[list[list[Note]]], calls: Calls, sizer: Sizer, advance: Advance
) -> list[list[Note]]:
    """Combine each multi-chunk unit's notes, in groups that fit one call, until one call writes its summary."""
    finals: dict[int, list[Note]] = {i: groups[0] for i, groups in enumerate(mapped) if len(groups) == 1}
    levels = {i: [note for group in groups for note in group] for i, groups in enumerate(mapped) if len(groups) > 1}
    for _ in range(MAX_REDUCE_LEVELS):
        if not levels:
            break
        requests: list[tuple[int, bool, Prompt, list[Note]]] = []  # (unit, writes its summary, prompt, sources)
        for i, notes in levels.items():
            if not notes:  # the model wrote nothing usable for any chunk: fallback fills the unit
                finals[i] = []
                continue
            plan = plans[i]
            task = summarize_task(plan.max_words, plan.max_sentences, plan.unit.focus)
            batches = _batches(notes, sizer.capacity(task, plan.reply), calls.backend.count_tokens)
            if len(batches) <= 1:
                requests.append((i, True, Prompt(_as_text(notes), task, plan.reply), notes))
                continue
            task = summarize_task(None, plan.notes_per_call, plan.unit.focus)
            reply = sizer.reply_tokens(plan.notes_per_call)
            requests += [(i, False, Prompt(_as_text(batch), task, reply), batch) for batch in batches]
        advance.grow(len(requests))
        completions = calls.all([prompt for _, _, prompt, _ in requests], advance.step)
        levels = {}
        for (i, last, prompt, sources), completion in zip(requests, completions, strict=True):
            combined = [Note(text, _attribute(text, sources)) for text in reply_sentences(prompt, completion)]
            if last:
                finals[i] = combined
            else:
                levels.setdefault(i, []).extend(combined)
    if levels:
        raise EngineError(
            f"the model's context ({calls.backend.context} tokens) is too small to combine a unit's notes; "
            "set a larger `context`"
        )
    return [finals.get(i, []) for i in range(len(plans))]


def _batches(notes: list[Note], capacity: int, count: TokenCounter) -> list[list[Note]]:
    """Consecutive notes in groups that fit one call."""
    batches: list[list[Note]] = []
    used = 0
    for note in notes:
        tokens = count(note.text) + 1
        if batches and used + tokens <= capacity:
            batches[-1].append(note)
            used += tokens
        else:
            batches.append([note])
            used = tokens
    return batches


def _attribute(sentence: str, notes: Sequence[Note]) -> tuple[Span, ...]:
    """The evidence of the notes a combined sentence draws on: those sharing the most words with it."""
    mine = set(words(sentence))
    overlap = [len(mine & set(words(note.text))) for note in notes]
    best = max(overlap, default=0)
    chosen = [note for note, n in zip(notes, overlap) if best and n >= best / 2] or list(notes)
    return tuple(sorted({span for note in chosen for span in note.evidence}, key=lambda s: (s.start, s.end)))


def _as_text(notes: Sequence[Note]) -> str:
    return "\n".join(note.text for note in notes)
