"""What runs in a batch worker: one engine built once, then one document after another.

The same ``Worker`` is a process-pool worker's state (local runner) and a Ray actor (ray runner).
Documents arrive as bytes and a name, so a worker never needs the driver's disk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from ..pipeline import summarize
from ..read import read_bytes
from ..render.schema import to_dict
from ..summarize import get_engine
from .options import BatchOptions


@dataclass(frozen=True)
class Payload:
    """One document on its way to a worker: its bytes, or why they couldn't be read."""

    path: str
    sha256: str | None
    data: bytes | None
    read_error: str | None = None

    @classmethod
    def load(cls, path: Path) -> Payload:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return cls(str(path), None, None, f"{path}: cannot read ({exc.strerror or exc})")
        return cls(str(path), hashlib.sha256(data).hexdigest(), data)


@dataclass(frozen=True)
class Outcome:
    """A worker's answer for one document: the ``--format json`` result, or the error."""

    path: str
    sha256: str | None
    elapsed_s: float
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    fatal: bool = False  # the engine itself could not be built: no document can succeed

    @classmethod
    def failed(cls, payload: Payload, exc: BaseException | str, elapsed_s: float = 0.0, fatal: bool = False) -> Outcome:
        return cls(payload.path, payload.sha256, elapsed_s, error=error_dict(exc), fatal=fatal)


class WorkerCrash(Exception):
    """The worker died while it held this document, and again when it was run on its own."""

    def __init__(self, path: str, detail: str = "out of memory or a crash in native code") -> None:
        super().__init__(f"{path}: the worker died while summarizing this document ({detail})")


def error_dict(exc: BaseException | str) -> dict[str, str]:
    """The record's ``{"type", "message"}``: a one-line message, as the CLI would print it."""
    if isinstance(exc, str):
        return {"type": "InputError", "message": exc}
    lines = str(exc).strip().splitlines()
    return {"type": type(exc).__name__, "message": lines[0] if lines else type(exc).__name__}


class Worker:
    """Summarizes documents with an engine built once for the worker's whole life.

    A failure to build the engine is kept, not raised: raising in a pool initializer or an
    actor constructor would surface as a broken pool or a dead actor instead of its message.
    """

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.engine = None
        self.setup_error: BaseException | None = None
        try:
            self.engine = get_engine(options.engine, **options.engine_options)
        except Exception as exc:
            self.setup_error = exc

    def summarize(self, payload: Payload) -> Outcome:
        if self.setup_error is not None:
            return Outcome.failed(payload, self.setup_error, fatal=True)
        assert self.engine is not None  # built whenever there is no setup error
        if payload.data is None:
            return Outcome.failed(payload, payload.read_error or f"{payload.path}: cannot read")
        start = perf_counter()
        try:
            doc = read_bytes(payload.data, name=payload.path)
            summary = summarize(doc, engine=self.engine, **self.options.summary_arguments())
            result = to_dict(summary)
        except Exception as exc:  # one bad document is recorded, and the batch goes on
            return Outcome.failed(payload, exc, perf_counter() - start)
        return Outcome(payload.path, payload.sha256, perf_counter() - start, result=result)
