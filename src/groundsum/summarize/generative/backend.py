"""What a generative engine asks of its model, and the counted, concurrent calls it makes to it."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Protocol

from ...config import FIELDS, Settings, load_settings
from ..prompts import Prompt


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


class Calls:
    """A backend's calls, counted in ``usage``, up to its concurrency at once."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.usage = Usage()
        self._lock = threading.Lock()
        self._in_flight = 0

    def one(self, prompt: Prompt) -> Completion:
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

    def all(self, prompts: Sequence[Prompt], advance: Callable[[], None]) -> list[Completion]:
        """All prompts, up to the backend's concurrency at once; results in the prompts' order."""
        if self.backend.concurrency <= 1 or len(prompts) <= 1:
            results = []
            for prompt in prompts:
                results.append(self.one(prompt))
                advance()
            return results
        pool = ThreadPoolExecutor(max_workers=min(self.backend.concurrency, len(prompts)))
        try:
            futures = [pool.submit(self.one, prompt) for prompt in prompts]

            def count(future: Future) -> None:
                if not future.cancelled() and future.exception() is None:
                    advance()

            for future in futures:
                future.add_done_callback(count)
            wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                if future.done() and (error := future.exception()) is not None:
                    raise error
            return [future.result() for future in futures]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


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
