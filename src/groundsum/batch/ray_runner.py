"""The Ray runner: the same workers as Ray actors, spread over a cluster, one engine per actor.

The driver reads every document and ships its bytes, since workers on other machines can't see
the driver's disk, and stays the only writer of the results file. Each actor keeps at most two
documents in flight, so the driver holds only a few documents' bytes at a time.
"""

from __future__ import annotations

import logging
import socket
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError, EngineError
from .options import BatchOptions
from .worker import Outcome, Payload, Worker, WorkerCrash

IN_FLIGHT_PER_ACTOR = 2  # one running, one waiting: no actor idles between documents
CONNECT_TIMEOUT_S = 10


class RayRunner:
    name = "ray"

    def __init__(
        self,
        options: BatchOptions,
        jobs: int | None = None,
        address: str | None = None,
        worker_cpus: float = 1.0,
        runtime_env: dict[str, Any] | None = None,
    ) -> None:
        if worker_cpus <= 0:
            raise ConfigError("--worker-cpus must be more than 0")
        self.options = options
        self.jobs = jobs
        self.address = address
        self.worker_cpus = worker_cpus
        self.runtime_env = runtime_env

    def run(self, paths: Iterable[Path]) -> Iterator[Outcome]:
        todo = deque(paths)
        if not todo:
            return
        ray = _import_ray()
        self._connect(ray)
        try:
            actor_class = ray.remote(num_cpus=self.worker_cpus, max_restarts=2, max_task_retries=1)(Worker)
            count = min(self._actor_count(ray), len(todo))
            actors = {index: actor_class.remote(self.options) for index in range(count)}
            yield from self._dispatch(ray, actors, todo)
        finally:
            ray.shutdown()

    def _connect(self, ray: Any) -> None:
        """``address=None`` follows Ray's own rules: $RAY_ADDRESS, a cluster started here, or a new one."""
        if self.address:
            _check_reachable(self.address)
        try:
            ray.init(
                address=self.address,
                runtime_env=self.runtime_env,
                logging_level=logging.ERROR,
                log_to_driver=False,
            )
        except Exception as exc:  # ConnectionError, ValueError, RuntimeError, depending on what is wrong
            where = f"at {self.address}" if self.address else "(no --address given)"
            raise EngineError(f"cannot connect to a Ray cluster {where}: {_first_line(exc)}") from None

    def _actor_count(self, ray: Any) -> int:
        """``--jobs`` when given (an autoscaler may add room); otherwise as many as the cluster fits now."""
        if self.jobs is not None:
            return max(1, self.jobs)
        fits = int(ray.cluster_resources().get("CPU", 0) // self.worker_cpus)
        if fits < 1:
            raise ConfigError(
                f"the Ray cluster has no room for a worker of {self.worker_cpus:g} CPUs (see --worker-cpus)"
            )
        return fits

    def _dispatch(self, ray: Any, actors: dict[int, Any], todo: deque[Path]) -> Iterator[Outcome]:
        from ray.exceptions import ActorDiedError, RayError

        load = dict.fromkeys(actors, 0)
        in_flight: dict[Any, tuple[int, Payload]] = {}
        while todo or in_flight:
            for index in list(load):
                while todo and load[index] < IN_FLIGHT_PER_ACTOR:
                    payload = Payload.load(todo.popleft())
                    in_flight[actors[index].summarize.remote(payload)] = (index, payload)
                    load[index] += 1
            (ref,), _ = ray.wait(list(in_flight), num_returns=1)
            index, payload = in_flight.pop(ref)
            if index in load:
                load[index] -= 1
            try:
                outcome = ray.get(ref)
            except RayError as exc:  # the actor died (and Ray's retry on a restarted one failed too)
                outcome = Outcome.failed(payload, WorkerCrash(payload.path, _first_line(exc)))
                if isinstance(exc, ActorDiedError) and load.pop(index, None) is not None and not load:
                    raise EngineError(f"every Ray worker died; the last one: {_first_line(exc)}") from None
            yield outcome


def _check_reachable(address: str) -> None:
    """Fail in seconds on a wrong address; Ray itself retries for minutes, logging as it goes."""
    host, separator, port = address.removeprefix("ray://").rpartition(":")
    if not separator or not port.isdigit():
        return  # "auto", "local": Ray resolves those itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise EngineError(f"cannot connect to a Ray cluster at {address}: {exc.strerror or exc}") from None


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("--runner ray needs the ray extra: pip install 'groundsum[ray]'") from None
    return ray


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
