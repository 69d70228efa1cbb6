"""Batch: summarize a whole corpus into a JSON Lines file, resumably, on local processes or Ray.

    find_documents → plan_batch → run_batch (a runner's workers summarize; the driver records)

One record per document: ``path``, ``sha256`` (of the file's bytes), the normalized ``options``,
and either ``result`` (the ``--format json`` shape) or ``error`` (``{"type", "message"}``).
A rerun skips every document whose content was already summarized with the same options, under
any name, and retries the ones that failed. See docs/batch.md.
"""

from __future__ import annotations

import glob
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .. import __version__
from ..errors import ConfigError, EngineError, InputError
from ..read import known_extensions
from .options import BatchOptions
from .records import ResultsLog, options_key
from .worker import Outcome

__all__ = [
    "BatchOptions",
    "BatchPlan",
    "BatchReport",
    "ResultsLog",
    "Runner",
    "find_documents",
    "make_runner",
    "plan_batch",
    "run_batch",
]

GLOB_CHARACTERS = frozenset("*?[")


class Runner(Protocol):
    """Summarizes documents somewhere and hands back their outcomes as they finish."""

    name: str

    def run(self, paths: Iterable[Path]) -> Iterable[Outcome]: ...


def make_runner(name: str, options: BatchOptions, jobs: int | None = None, **ray_settings: Any) -> Runner:
    if name == "local":
        from .local import LocalRunner

        return LocalRunner(options, jobs or available_cpus())
    if name == "ray":
        from .ray_runner import RayRunner

        return RayRunner(options, jobs, **ray_settings)
    raise ConfigError(f"--runner must be local or ray, not '{name}'")


def available_cpus() -> int:
    """The CPUs this process may use (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def find_documents(sources: Iterable[str]) -> list[Path]:
    """Files named, matched by a glob pattern, or found under folders (recursively), in order.

    Folders contribute only files with a supported extension and skip hidden entries; files
    named or matched explicitly are always taken, so an unsupported one is reported, not ignored.
    """
    extensions = frozenset(known_extensions())  # what a folder scan picks up: never extension-less files
    found: dict[Path, None] = {}
    for source in sources:
        if not os.path.lexists(source) and GLOB_CHARACTERS & set(source):
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                raise InputError(f"{source}: no files match this pattern")
        elif os.path.exists(source):
            matches = [source]
        else:
            raise InputError(f"{source}: no such file or folder")
        for match in map(Path, matches):
            for path in _walk(match, extensions) if match.is_dir() else [match]:
                found.setdefault(path, None)
    if not found:
        names = ", ".join(sorted(extensions))
        raise InputError(f"no documents found in {', '.join(sources)} (looked for {names})")
    return list(found)


def _walk(folder: Path, extensions: frozenset[str]) -> Iterable[Path]:
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in extensions:
                yield Path(root, name)


def file_sha256(path: Path) -> str | None:
    """The key's content half; None when the file can't be read (its record will say why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class BatchPlan:
    todo: tuple[Path, ...]
    hashes: dict[Path, str | None]  # of every document found, for skipping and retrying
    skipped: tuple[tuple[Path, str], ...]  # (path, the path its result was recorded under)


def plan_batch(paths: Iterable[Path], options: BatchOptions, done: dict[tuple[str | None, str], str]) -> BatchPlan:
    """What is left to do: documents whose content isn't summarized yet with these options.

    A second file with the same bytes as an earlier one in this corpus is skipped too: its
    record would be the first one's.
    """
    key = options_key(options.to_dict())
    recorded = dict(done)
    todo, skipped, hashes = [], [], {}
    for path in paths:
        sha = hashes[path] = file_sha256(path)
        if (sha, key) in recorded:
            skipped.append((path, recorded[sha, key]))
            continue
        if sha is not None:
            recorded[sha, key] = str(path)
        todo.append(path)
    return BatchPlan(tuple(todo), hashes, tuple(skipped))


@dataclass
class BatchReport:
    """What a run did, for the summary table and the exit code."""

    runner: str
    total: int  # documents found
    skipped: int = 0  # already summarized (in an earlier run, or an identical file in this one)
    ok: int = 0
    failures: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, error)
    elapsed_s: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def done(self) -> int:
        return self.ok + self.failed

    @property
    def docs_per_s(self) -> float:
        return self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0


def run_batch(
    plan: BatchPlan,
    options: BatchOptions,
    runner: Runner,
    log: ResultsLog,
    on_record: Callable[[BatchReport], None] | None = None,
) -> BatchReport:
    """Run the plan, appending each outcome to the log as it arrives; the driver is the only writer."""
    normalized = options.to_dict()
    log.forget_failures(options_key(normalized), map(str, plan.hashes), plan.hashes.values())
    report = BatchReport(runner.name, len(plan.hashes), skipped=len(plan.skipped))
    start = time.perf_counter()
    for outcome in runner.run(plan.todo):
        if outcome.fatal:
            error = outcome.error or {}
            raise EngineError(f"engine '{options.engine}' could not start: {error.get('message')}")
        log.append(make_record(outcome, normalized, runner.name))
        if outcome.error is None:
            report.ok += 1
        else:
            report.failures.append((outcome.path, outcome.error))
        report.elapsed_s = time.perf_counter() - start
        if on_record is not None:
            on_record(report)
    report.elapsed_s = time.perf_counter() - start
    return report


def make_record(outcome: Outcome, options: dict[str, Any], runner: str) -> dict[str, Any]:
    """One line of the results file; ``result`` last, as it is by far the longest field."""
    record: dict[str, Any] = {
        "path": outcome.path,
        "sha256": outcome.sha256,
        "options": options,
        "runner": runner,
        "elapsed_s": round(outcome.elapsed_s, 4),
        "groundsum_version": __version__,
    }
    if outcome.error is not None:
        record["error"] = outcome.error
    else:
        record["result"] = outcome.result
    return record
