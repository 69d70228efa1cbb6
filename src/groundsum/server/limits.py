"""Enforcing the limits: request size (413), concurrency (503) and time (504).

Overload is refused at once instead of queued without bound.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import jobs
from .problems import problem_response
from .settings import Limits


class BodySizeLimit:
    """ASGI middleware: a body over ``max_bytes`` gets 413 before the app sees any of it.

    A declared Content-Length is checked at once; a chunked body is counted while it streams
    in. The body is then handed to the app whole, so handlers never stream past the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"the request body is larger than this server's limit of {self.max_bytes:,} bytes"
        await problem_response(413, detail, {"Connection": "close"})(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class WorkerPool:
    """Runs pipeline jobs in worker processes, admitting at most ``max_concurrency`` at a time.

    The pipeline is CPU-bound Python, so processes (not threads) let it use every core while
    the event loop stays free. A job over the limit is refused with 503 rather than queued; an
    admitted job that waits longer than ``timeout`` gets 504. An overrunning job keeps its slot
    until its worker finishes it, so slow work can't pile up past the limit behind the clients'
    backs.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self._in_flight = 0
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn, not fork: forking a process that runs an event loop and threads is unsafe.
        return ProcessPoolExecutor(
            self.limits.workers, mp_context=get_context("spawn"), initializer=jobs.prepare_worker
        )

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def start(self) -> None:
        """Start every worker now, so models load before the first request rather than during it."""
        for _ in range(self.limits.workers):
            self._executor.submit(jobs.ready)

    def close(self) -> None:
        """Stop at once: queued jobs are cancelled and busy workers are not waited for."""
        for process in list((self._executor._processes or {}).values()):  # no public API before 3.14
            process.terminate()
        self._executor.shutdown(wait=True, cancel_futures=True)  # reaps them and frees the pool's queues

    async def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """``job(*args)`` in a worker: its result, or 503/504/500 as an HTTPException."""
        self._admit()
        executor = self._executor
        try:
            future: Future = executor.submit(job, *args)
        except BrokenProcessPool:
            self._release()
            raise self._restart(executor) from None
        future.add_done_callback(lambda _: self._release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.timeout)
        except TimeoutError:
            detail = f"the request took longer than this server's limit of {self.limits.timeout:g} s"
            raise HTTPException(504, detail) from None
        except BrokenProcessPool:
            raise self._restart(executor) from None

    def _admit(self) -> None:
        with self._lock:
            if self._in_flight >= self.limits.max_concurrency:
                limit = self.limits.max_concurrency
                detail = (
                    f"the server is already handling {limit} request{'s' if limit > 1 else ''}, its limit; "
                    "retry shortly"
                )
                raise HTTPException(503, detail, {"Retry-After": "1"})
            self._in_flight += 1

    def _release(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _restart(self, broken: ProcessPoolExecutor) -> HTTPException:
        """A worker died (killed, out of memory): replace the pool once, report 500."""
        with self._lock:
            if self._executor is broken:
                self._executor = self._new_executor()
        return HTTPException(500, "a worker process stopped unexpectedly (out of memory?); it was restarted")
