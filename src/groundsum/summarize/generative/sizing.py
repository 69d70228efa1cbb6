"""Prompt sizing: the tokens a reply may use, and the source text that fits one call next to it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...errors import EngineError
from ...model import Document, Unit
from ..prompts import SYSTEM, summarize_task
from .backend import Backend
from .chunking import Chunk, chunk_unit

TOKENS_PER_SENTENCE = 48  # generous: small models write long sentences, and a cut-off one is lost
WORDS_PER_SENTENCE = 20  # turns a word budget into the sentences a reply may need
TEMPLATE_TOKENS = 32  # chat-template markup around the system and user messages
ESTIMATE_SAFETY = 0.8  # share of the context to fill when tokens are only estimated
NOTES_PER_CHUNK = (2, 4)  # the map step's sentences per chunk: at least, at most
REPAIR_TOKENS = 96


def unit_limits(doc: Document, unit: Unit) -> tuple[int | None, int | None]:
    unit_words = sum(len(doc.cite(doc.sentences[i].span).split()) for i in unit.sentences)
    return unit.budget.limits(unit_words, len(unit.sentences))


@dataclass(frozen=True, slots=True)
class Plan:
    """How one unit is summarized: its limits, the reply it may write, and its chunks."""

    unit: Unit
    max_words: int | None
    max_sentences: int | None
    target: int  # sentences its summary may hold
    reply: int  # tokens the reply may use
    chunks: tuple[Chunk, ...]

    @property
    def notes_per_call(self) -> int:
        """Sentences a map or intermediate reduce call writes for this unit."""
        return min(max(self.target, NOTES_PER_CHUNK[0]), NOTES_PER_CHUNK[1])


@dataclass(frozen=True, slots=True)
class Sizer:
    """Sizes calls to one backend; ``max_tokens`` (a setting) caps every reply when given."""

    backend: Backend
    max_tokens: int | None

    def reply_tokens(self, sentences: int) -> int:
        tokens = TOKENS_PER_SENTENCE * sentences + 16
        cap = self.max_tokens or self.backend.context // 4
        return max(16, min(tokens, cap))

    def capacity(self, task: str, reply_tokens: int) -> int:
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

    def plan(self, doc: Document, unit: Unit) -> Plan:
        """The unit's limits, its reply size, and its text in chunks that each fit one call."""
        max_words, max_sentences = unit_limits(doc, unit)
        target = max_sentences if max_sentences is not None else math.ceil((max_words or 1) / WORDS_PER_SENTENCE)
        reply = self.reply_tokens(target)
        capacity = self.capacity(summarize_task(max_words, max_sentences, unit.focus), reply)
        chunks = tuple(chunk_unit(doc, unit, self.backend.count_tokens, capacity))
        return Plan(unit, max_words, max_sentences, target, reply, chunks)
