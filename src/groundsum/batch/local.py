"""The local runner: a pool of worker processes on this machine, each building its engine once.

Workers are spawned, not forked: the driver runs a progress-bar thread, and forking a process
with threads can deadlock. If a worker dies (out of memory, a crash in native code), the
documents it may have held are run again one at a time, so a crash is pinned on the document
that caused it and the others still get summarized.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..errors import EngineError
from ..workers import follow_parent
from .options import BatchOptions
from .worker import Outcome, Payload, Worker, WorkerCrash

_worker: Worker | None = None  # this process's worker, built by the pool initializer


def _start_worker(options: BatchOptions) -> None:
    """Build this process's engine; Ctrl-C is the driver's to handle, not every worker's."""
    global _worker
    follow_parent()
    _worker = Worker(options)


def _summarize(payload: Payload) -> Outcome:
    assert _worker is not None, "the pool initializer builds the worker"
    return _worker.summarize(payload)


class LocalRunner:
    name = "local"

    def __init__(self, options: BatchOptions, jobs: int) -> None:
        self.options = options
        self.jobs = max(1, jobs)

    def run(self, paths: Iterable[Path]) -> Iterator[Outcome]:
        """Outcomes in the order documents finish; at most two per worker in flight."""
        todo = deque(paths)
        suspects: deque[Path] = deque()  # in flight when a worker died
        workers = min(self.jobs, len(todo))
        finished_any = False
        while todo or suspects:
            isolate = not todo  # one at a time, so a crash names the document that caused it
            queue = suspects if isolate else todo
            window = 1 if isolate else 2 * workers
            pool = self._pool(1 if isolate else workers)
            pending: dict[Future[Outcome], Payload] = {}
            try:
                while queue or pending:
                    while queue and len(pending) < window:
                        path = queue.popleft()
                        payload = Payload.load(path)
                        try:
                            pending[pool.submit(_summarize, payload)] = payload
                        except BrokenProcessPool:  # a worker died since the last wait: it was not sent
                            queue.appendleft(path)
                            break
                    if not pending:  # broken before anything was in flight: start a new pool
                        break
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    completed = [f for f in finished if not isinstance(f.exception(), BrokenProcessPool)]
                    for future in completed:
                        finished_any = True
                        yield future.result()
                        del pending[future]
                    if len(completed) < len(finished):  # a worker died; this pool is done for
                        if not finished_any:
                            raise EngineError(
                                "the worker processes died before finishing any document "
                                "(out of memory, or they could not start); try fewer --jobs"
                            )
                        if isolate:
                            (payload,) = pending.values()
                            yield Outcome.failed(payload, WorkerCrash(payload.path))
                        else:
                            suspects.extend(Path(payload.path) for payload in pending.values())
                        pending.clear()
                        break
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.options,),
        )

