"""What every generative engine shares: map-reduce over chunks, output hygiene, repair and fallback.

A backend (llama.cpp in-process, an OpenAI-compatible endpoint, local transformers) only turns a
Prompt into a Completion. Everything else lives here, once:

* **map-reduce**: each unit is chunked to fit the model (never truncated); a one-chunk unit is
  summarized directly, a longer one chunk by chunk into notes that are combined, level by level,
  until one call writes the unit's summary. Every sentence keeps the chunk spans it came from.
* **hygiene**: preambles, headings, bullets, numbering, sentences cut off by the token limit and
  repeated sentences are removed before anything is verified; the unit's length budget is applied
  the same way as for the extractive engine.
* **settle** (after verify, with the verifier the pipeline passes in): optionally one repair attempt per unsupported sentence, told why it
  failed; then every unit whose verified sentences fall short of its budget is filled with the
  extractive engine's sentences, so no unit is left empty for want of a supported sentence.
"""

from __future__ import annotations

import math
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..config import FIELDS, Settings, load_settings
from ..errors import EngineError
from ..model import Budget, Document, Draft, Per, Span, Unit, Verdict
from ..segment.sentences import split_sentences
from ..tidy import tidy
from . import Engine, Verifier, get_engine
from .chunking import Chunk, chunk_unit
from .prompts import SYSTEM, Prompt, repair_task, summarize_task

TOKENS_PER_SENTENCE = 48  # generous: small models write long sentences, and a cut-off one is lost
WORDS_PER_SENTENCE = 20  # turns a word budget into the sentences a reply may need
TEMPLATE_TOKENS = 32  # chat-template markup around the system and user messages
ESTIMATE_SAFETY = 0.8  # share of the context to fill when tokens are only estimated
NOTES_PER_CHUNK = (2, 4)  # the map step's sentences per chunk: at least, at most
REPAIR_TOKENS = 96
MAX_REDUCE_LEVELS = 8


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    truncated: bool  # the reply hit the token limit (finish_reason == "length")
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Backend(Protocol):
    """A model that completes prompts. Engines differ only here."""

    context: int  # tokens the model attends to, prompt and reply together
    concurrency: int  # requests it can serve at once
    instructable: bool  # follows a task (chat and causal models); False for plain seq2seq summarizers
    exact_tokens: bool  # count_tokens uses the model's own tokenizer
    shown_settings: tuple[str, ...]  # the Settings fields that shape this backend's output

    def count_tokens(self, text: str) -> int: ...

    def generate(self, prompt: Prompt) -> Completion: ...

    def describe(self) -> dict[str, Any]:
        """What identifies the model, for the record (never secrets)."""
        ...


@dataclass
class Usage:
    """What the model did for one engine, for benchmarks and the curious."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0  # summed over calls; calls may overlap
    peak_in_flight: int = 0


@dataclass
class _Plan:
    """How one unit is summarized: its limits, the reply it may write, and its chunks."""

    unit: Unit
    max_words: int | None
    max_sentences: int | None
    target: int  # sentences its summary may hold
    reply: int  # tokens the reply may use
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def notes_per_call(self) -> int:
        """Sentences a map or intermediate reduce call writes for this unit."""
        return min(max(self.target, NOTES_PER_CHUNK[0]), NOTES_PER_CHUNK[1])


@dataclass(frozen=True, slots=True)
class Note:
    """A generated sentence and the source spans it was written from."""

    text: str
    evidence: tuple[Span, ...]


# ---------------------------------------------------------------- hygiene

_MARKUP_LINE = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*•+]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+(?=[A-Z]))")
_EMPHASIS = re.compile(r"\*\*|__|`")
_PREAMBLE = re.compile(
    r"^(?:(?:sure|certainly|of course|okay|ok|absolutely)\b[!,.]?\s*)?"
    r"(?:(?:here is|here's|here are|below is|the following is)\b[^.!?:\n]*[:.!]\s*)?",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(r"^(?:in summary|to summarize|in short|in conclusion|summary|overall)\s*[,:\-–—]\s*", re.IGNORECASE)
_SIGN_OFF = re.compile(r"^(?:let me know|i hope|feel free|if you (?:have|need|want)|hope this)\b", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^[^.!?]{0,60}:$")  # "Summary:", "Key points:"
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_WORD = re.compile(r"[a-z0-9]+")


def _lines(text: str) -> list[str]:
    """The reply's lines without markup, headings, label lines and preamble."""
    kept = []
    for line in text.splitlines():
        line = _EMPHASIS.sub("", _MARKUP_LINE.sub("", line)).strip()
        line = _LEAD_IN.sub("", _PREAMBLE.sub("", line, count=1), count=1).strip()
        if not line or _LABEL_LINE.match(line):
            continue
        if not _TERMINAL.search(line) and len(line.split()) <= 8 and not kept:
            continue  # a title line before the summary proper
        kept.append(line)
    return kept


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def near_duplicate(a: str, b: str) -> bool:
    """Two sentences saying the same: most of the shorter one's words appear in the other."""
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return wa == wb
    shared = len(wa & wb)
    return shared / min(len(wa), len(wb)) >= 0.9 or shared / len(wa | wb) >= 0.7


def clean_sentences(text: str, truncated: bool, echoes: Sequence[str] = ()) -> list[str]:
    """The reply as sentences fit to show: no preamble or markup, nothing cut off, nothing repeated.

    ``echoes`` are the prompt's own instructions, which small models tend to repeat back.
    """
    joined = "\n".join(_lines(text))
    sentences = [tidy(joined[s:e]) for s, e in split_sentences(joined)]
    if truncated and sentences and not _TERMINAL.search(sentences[-1]):
        sentences.pop()  # cut off by the token limit
    out: list[str] = []
    for sentence in sentences:
        sentence = _LEAD_IN.sub("", sentence).strip()
        if len(words(sentence)) < 3 or _SIGN_OFF.match(sentence):
            continue
        if sentence[0].islower():
            sentence = sentence[0].upper() + sentence[1:]
        if any(near_duplicate(sentence, other) for other in (*out, *echoes)):
            continue
        out.append(sentence)
    return out


def within_budget(sentences: Sequence[str], max_words: int | None, max_sentences: int | None) -> list[str]:
    """The leading sentences that fit the budget, by the extractive engine's rule (the first always fits)."""
    kept: list[str] = []
    used = 0
    for sentence in sentences:
        n = len(sentence.split())
        if max_sentences is not None and len(kept) >= max_sentences:
            break
        if max_words is not None and kept and used + n > max_words:
            break
        kept.append(sentence)
        used += n
    return kept


def unit_limits(doc: Document, unit: Unit) -> tuple[int | None, int | None]:
    unit_words = sum(len(doc.cite(doc.sentences[i].span).split()) for i in unit.sentences)
    return unit.budget.limits(unit_words, len(unit.sentences))


def _attribute(sentence: str, notes: Sequence[Note]) -> tuple[Span, ...]:
    """The evidence of the notes a combined sentence draws on: those sharing the most words with it."""
    mine = set(words(sentence))
    overlap = [len(mine & set(words(note.text))) for note in notes]
    best = max(overlap, default=0)
    chosen = [note for note, n in zip(notes, overlap) if best and n >= best / 2] or list(notes)
    return tuple(sorted({span for note in chosen for span in note.evidence}, key=lambda s: (s.start, s.end)))


# ---------------------------------------------------------------- the engine


def accepted(draft: Draft, verdict: Verdict) -> bool:
    """Whether a sentence may stand as verified: a generated one must be supported, not merely uncertain."""
    if draft.origin == "generated":
        return verdict.label == "supported"
    return verdict.label != "unsupported"


def split_options(options: dict[str, Any]) -> tuple[Settings, dict[str, Any]]:
    """Engine options → (settings from CLI/env/config, the rest for the extractive fallback)."""
    mine = {key: options.pop(key) for key in list(options) if key in FIELDS}
    return load_settings(options.pop("config", None), **mine), options


def passive_openmp() -> None:
    """Have OpenMP threads sleep rather than spin while they wait; call before importing llama_cpp or torch.

    Spinning threads fight for cores whenever anything else runs: on a shared two-core machine a
    SmolLM2 call took 20 s spinning and 4 s passive. It only takes effect if OpenMP is not loaded yet.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class GenerativeEngine:
    """An Engine over any Backend: fluent sentences, each verified, with extractive fallback."""

    def __init__(
        self, name: str, backend: Backend, settings: Settings, fallback_options: dict[str, Any] | None = None
    ) -> None:
        self.name = name
        self.backend = backend
        self.options = settings
        self.usage = Usage()
        self._fallback_options = fallback_options or {}
        self._fallback: Engine | None = None
        self._lock = threading.Lock()
        self._in_flight = 0

    def settings(self) -> dict[str, Any]:
        public = self.options.public()
        return {name: public[name] for name in self.backend.shown_settings} | self.backend.describe()

    @property
    def fallback(self) -> Engine:
        if self._fallback is None:
            self._fallback = get_engine("extractive", **self._fallback_options)
        return self._fallback

    # -- calls

    def _generate(self, prompt: Prompt) -> Completion:
        with self._lock:
            self._in_flight += 1
            self.usage.peak_in_flight = max(self.usage.peak_in_flight, self._in_flight)
        began = time.perf_counter()
        try:
            completion = self.backend.generate(prompt)
        finally:
            with self._lock:
                self._in_flight -= 1
        with self._lock:
            self.usage.calls += 1
            self.usage.prompt_tokens += completion.prompt_tokens
            self.usage.completion_tokens += completion.completion_tokens
            self.usage.seconds += time.perf_counter() - began
        return completion

    def _run(self, prompts: Sequence[Prompt], advance: Callable[[], None]) -> list[Completion]:
        """All prompts, up to the backend's concurrency at once; results in the prompts' order."""
        if self.backend.concurrency <= 1 or len(prompts) <= 1:
            results = []
            for prompt in prompts:
                results.append(self._generate(prompt))
                advance()
            return results
        pool = ThreadPoolExecutor(max_workers=min(self.backend.concurrency, len(prompts)))
        try:
            futures = [pool.submit(self._generate, prompt) for prompt in prompts]

            def count(future: Future) -> None:
                if not future.cancelled() and future.exception() is None:
                    advance()

            for future in futures:
                future.add_done_callback(count)
            wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                if future.done() and future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]
            return [future.result() for future in futures]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    # -- sizing

    def _reply_tokens(self, sentences: int) -> int:
        tokens = TOKENS_PER_SENTENCE * sentences + 16
        cap = self.options.max_tokens or self.backend.context // 4
        return max(16, min(tokens, cap))

    def _capacity(self, task: str, reply_tokens: int) -> int:
        """Tokens of source text that fit one call next to the system message, the task and the reply."""
        count = self.backend.count_tokens
        overhead = count(SYSTEM) + count(task) + TEMPLATE_TOKENS if self.backend.instructable else TEMPLATE_TOKENS
        room = self.backend.context - reply_tokens - overhead
        room = room if self.backend.exact_tokens else int(room * ESTIMATE_SAFETY)
        if room < 64:
            raise EngineError(
                f"the model's context ({self.backend.context} tokens) leaves no room for text; "
                "set a larger `context` or a smaller `max_tokens`"
            )
        return room

    # -- map-reduce

    def summarize(self, doc: Document, units: Sequence[Unit], per: Per) -> list[Draft]:
        plans = []
        for unit in units:
            max_words, max_sentences = unit_limits(doc, unit)
            target = max_sentences if max_sentences is not None else math.ceil((max_words or 1) / WORDS_PER_SENTENCE)
            plan = _Plan(unit, max_words, max_sentences, target, self._reply_tokens(target))
            capacity = self._capacity(summarize_task(max_words, max_sentences), plan.reply)
            plan.chunks = chunk_unit(doc, unit, self.backend.count_tokens, capacity)
            plans.append(plan)
        with progress_bar(self.options.quiet, sum(len(plan.chunks) for plan in plans)) as advance:
            prompts = []
            for plan in plans:
                if len(plan.chunks) == 1:
                    prompts.append(Prompt(plan.chunks[0].text, summarize_task(plan.max_words, plan.max_sentences), plan.reply))
                else:
                    task, reply = summarize_task(None, plan.notes_per_call), self._reply_tokens(plan.notes_per_call)
                    prompts += [Prompt(chunk.text, task, reply) for chunk in plan.chunks]
            replies = iter(zip(prompts, self._run(prompts, advance.step)))
            mapped = [[[Note(text, chunk.spans) for text in _sentences(*next(replies))] for chunk in plan.chunks] for plan in plans]
            finals = self._reduce(plans, mapped, advance)
        drafts = []
        for index, (plan, notes) in enumerate(zip(plans, finals, strict=True)):
            kept = within_budget([note.text for note in notes], plan.max_words, plan.max_sentences)
            drafts += [Draft(n.text, n.evidence, plan.unit.section, "generated", index) for n in notes[: len(kept)]]
        return drafts

    def _reduce(self, plans: list[_Plan], mapped: list[list[list[Note]]], advance: _Advance) -> list[list[Note]]:
        """Combine each multi-chunk unit's notes, in groups that fit one call, until one call writes its summary."""
        finals: dict[int, list[Note]] = {i: groups[0] for i, groups in enumerate(mapped) if len(groups) == 1}
        levels = {i: [note for group in groups for note in group] for i, groups in enumerate(mapped) if len(groups) > 1}
        for _ in range(MAX_REDUCE_LEVELS):
            if not levels:
                break
            calls: list[tuple[int, bool, Prompt, list[Note]]] = []  # (unit, writes its summary, prompt, sources)
            for i, notes in levels.items():
                if not notes:  # the model wrote nothing usable for any chunk: fallback fills the unit
                    finals[i] = []
                    continue
                plan = plans[i]
                task = summarize_task(plan.max_words, plan.max_sentences)
                batches = self._batches(notes, self._capacity(task, plan.reply))
                if len(batches) <= 1:
                    calls.append((i, True, Prompt(_as_text(notes), task, plan.reply), notes))
                    continue
                task, reply = summarize_task(None, plan.notes_per_call), self._reply_tokens(plan.notes_per_call)
                calls += [(i, False, Prompt(_as_text(batch), task, reply), batch) for batch in batches]
            advance.grow(len(calls))
            completions = self._run([prompt for _, _, prompt, _ in calls], advance.step)
            levels = {}
            for (i, last, prompt, sources), completion in zip(calls, completions, strict=True):
                combined = [Note(text, _attribute(text, sources)) for text in _sentences(prompt, completion)]
                if last:
                    finals[i] = combined
                else:
                    levels.setdefault(i, []).extend(combined)
        if levels:
            raise EngineError(
                f"the model's context ({self.backend.context} tokens) is too small to combine a unit's notes; "
                "set a larger `context`"
            )
        return [finals.get(i, []) for i in range(len(plans))]

    def _batches(self, notes: list[Note], capacity: int) -> list[list[Note]]:
        """Consecutive notes in groups that fit one call."""
        batches: list[list[Note]] = []
        used = 0
        for note in notes:
            tokens = self.backend.count_tokens(note.text) + 1
            if batches and used + tokens <= capacity:
                batches[-1].append(note)
                used += tokens
            else:
                batches.append([note])
                used = tokens
        return batches

    # -- after verify

    def repair(self, doc: Document, failures: Sequence[tuple[Draft, Verdict]]) -> list[Draft | None]:
        """One new attempt per unsupported sentence, told why it failed; None where none came back."""
        if not failures or not self.options.repair or not self.backend.instructable:
            return [None] * len(failures)
        prompts = []
        for draft, verdict in failures:
            task = repair_task(draft.text, verdict.reasons)
            source = self._evidence_text(doc, draft, self._capacity(task, REPAIR_TOKENS))
            prompts.append(Prompt(source, task, REPAIR_TOKENS))
        with progress_bar(self.options.quiet, len(prompts)) as advance:
            completions = self._run(prompts, advance.step)
        repaired: list[Draft | None] = []
        for (draft, _), prompt, completion in zip(failures, prompts, completions, strict=True):
            sentences = _sentences(prompt, completion)
            fresh = sentences[0] if sentences and not near_duplicate(sentences[0], draft.text) else None
            repaired.append(replace(draft, text=fresh) if fresh else None)
        return repaired

    def _evidence_text(self, doc: Document, draft: Draft, capacity: int) -> str:
        """The draft's evidence that fits, most related spans first, shown in document order."""
        mine = set(words(draft.text))
        ranked = sorted(draft.evidence, key=lambda s: -len(mine & set(words(doc.cite(s)))))
        chosen, used = [], 0
        for span in ranked:
            tokens = self.backend.count_tokens(doc.cite(span)) + 1
            if used + tokens <= capacity:
                chosen.append(span)
                used += tokens
        return "\n\n".join(doc.cite(span) for span in sorted(chosen, key=lambda s: s.start))

    def settle(
        self, doc: Document, units: Sequence[Unit], per: Per, drafts: list[Draft], verdicts: list[Verdict], verify: Verifier
    ) -> tuple[list[Draft], list[Verdict]]:
        """Repair (if asked) and fill short units from the extractive engine; rejected drafts stay, for the policy.

        ``verify`` is the pipeline's verifier, passed in because summarize sits below verify."""
        pairs = list(zip(drafts, verdicts, strict=True))
        failures = [(d, v) for d, v in pairs if not accepted(d, v)]
        repairs = [r for r in self.repair(doc, failures) if r is not None]
        pairs += list(zip(repairs, verify(doc, repairs), strict=True))
        by_unit: dict[int, list[tuple[Draft, Verdict]]] = {i: [] for i in range(len(units))}
        for draft, verdict in pairs:
            kept = [d.text for d, v in by_unit[draft.unit] if accepted(d, v)]
            if accepted(draft, verdict) and any(near_duplicate(draft.text, text) for text in kept):
                continue  # a repair that restates a sentence already kept
            by_unit[draft.unit].append((draft, verdict))
        self._fill(doc, units, per, by_unit, verify)
        settled = [pair for i in range(len(units)) for pair in sorted(by_unit[i], key=_position)]
        return [d for d, _ in settled], [v for _, v in settled]

    def _fill(
        self, doc: Document, units: Sequence[Unit], per: Per, by_unit: dict[int, list[tuple[Draft, Verdict]]], verify: Verifier
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
        extracted = self.fallback.summarize(doc, [unit for _, unit in short], per)
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


def _sentences(prompt: Prompt, completion: Completion) -> list[str]:
    instructions = f"{prompt.system} {prompt.task}"
    echoes = [instructions[start:end] for start, end in split_sentences(instructions)]
    return clean_sentences(completion.text, completion.truncated, echoes)


def _as_text(notes: Sequence[Note]) -> str:
    return "\n".join(note.text for note in notes)


# ---------------------------------------------------------------- progress


class _Advance:
    """Moves a progress bar, or nothing when there is none."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar, self._task = bar, task

    def step(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def grow(self, calls: int) -> None:
        if self._bar is not None:
            total = next(task.total for task in self._bar.tasks if task.id == self._task) or 0
            self._bar.update(self._task, total=total + calls)


@contextmanager
def progress_bar(quiet: bool, calls: int) -> Iterator[_Advance]:
    """A progress bar on stderr for multi-call work; off with ``quiet`` or when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr)
    if quiet or calls <= 1 or not console.is_terminal:
        yield _Advance()
        return
    columns = (TextColumn("summarizing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        yield _Advance(bar, bar.add_task("summarizing", total=calls))
