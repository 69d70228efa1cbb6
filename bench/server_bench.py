"""Server latency: ``POST /v1/summarize`` of a 5,000-word document under 8 concurrent clients.

For each ``--workers`` setting this starts a real ``groundsum serve`` on a free loopback port and
warms it up; then an asyncio httpx load generator drives the servers in ``--rounds`` interleaved
rounds (so load from other jobs on a shared machine falls on every configuration alike):
``--clients`` closed-loop clients, each sending its next request as soon as the last one is
answered, until the round's share of ``--requests`` is done or of ``--duration`` has passed. It
reports latency p50/p95 over all rounds, throughput, the error rate (anything but 200) and the
peak memory of each server's process tree (RSS of the server and its worker processes, sampled
every 50 ms with psutil; shared pages count once per process, so this overstates).

Peers in the same run: the same server with a single client (latency without queueing), and
the pipeline called in-process (the work itself, without HTTP or queueing).

    python bench/server_bench.py                      # workers 1 and 2, 8 clients, 5,000 words
    python bench/server_bench.py --workers 2 4 --requests 800
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

from training.papers import long_document

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


@dataclass
class LoadResult:
    workers: int
    clients: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    mean_ms: float
    throughput_rps: float
    peak_rss_mb: float

    @property
    def error_rate(self) -> float:
        return self.errors / max(1, self.requests)


class Server:
    """``groundsum serve`` in its own process group, on a free 127.0.0.1 port."""

    def __init__(self, *args: str) -> None:
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (the server writes it until stop(), which deletes it)
            prefix="groundsum-serve-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "groundsum", "serve", "--port", "0", *args],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
        )
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            found = re.search(r"running on (http://127\.0\.0\.1:\d+)", Path(self.log.name).read_text(errors="replace"))
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start:\n" + Path(self.log.name).read_text(errors="replace"))

    def tree_rss(self) -> int:
        try:
            parent = psutil.Process(self.process.pid)
            processes = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        os.unlink(self.log.name)


class PeakMemory:
    """Samples the server tree's RSS every 50 ms while the load runs."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.tree_rss())
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def drive(url: str, body: dict, clients: int, requests: int, duration: float) -> tuple[list[float], int, float]:
    """``clients`` closed-loop clients; returns (latencies in s, errors, wall seconds)."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.monotonic() + duration

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors, issued
        while issued < requests and time.monotonic() < deadline:
            issued += 1
            started = time.perf_counter()
            try:
                response = await http.post("/v1/summarize", json=body)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


@dataclass
class Runs:
    """One configuration's load runs, pooled over the rounds."""

    workers: int
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def add(self, url: str, body: dict, requests: int, duration: float) -> None:
        latencies, errors, seconds = asyncio.run(drive(url, body, self.clients, requests, duration))
        self.latencies += latencies
        self.errors += errors
        self.seconds += seconds

    def result(self, peak_rss: int) -> LoadResult:
        return LoadResult(
            workers=self.workers,
            clients=self.clients,
            requests=len(self.latencies),
            errors=self.errors,
            seconds=round(self.seconds, 2),
            p50_ms=round(1000 * percentile(self.latencies, 50), 1),
            p95_ms=round(1000 * percentile(self.latencies, 95), 1),
            mean_ms=round(1000 * statistics.fmean(self.latencies), 1),
            throughput_rps=round(len(self.latencies) / self.seconds, 2),
            peak_rss_mb=round(peak_rss / 2**20, 1),
        )


def in_process_ms(text: str, repeats: int = 5) -> float:
    """The pipeline alone, in this process: the floor any server latency sits on."""
    from groundsum.pipeline import summarize
    from groundsum.read import read_text

    summarize(read_text(text))  # load models first
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        summarize(read_text(text))
        times.append(time.perf_counter() - started)
    return round(1000 * statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=5000, help="document length in words")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=400, help="loaded requests per configuration (at most)")
    parser.add_argument("--duration", type=float, default=120, help="loaded seconds per configuration (at most)")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds the requests are split into")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="server --workers settings to compare")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)

    text = long_document(args.words)
    body = {"text": text, "per": "document"}
    print(f"document: {len(text.split())} words, {len(text):,} characters; {os.cpu_count()} CPUs", flush=True)
    pipeline_ms = in_process_ms(text)
    print(f"in-process pipeline: {pipeline_ms} ms per summary (median of 5)", flush=True)

    servers = [Server("--workers", str(w), "--max-concurrency", str(args.clients)) for w in args.workers]
    memories = [PeakMemory(server) for server in servers]
    runs = {w: (Runs(w, 1), Runs(w, args.clients)) for w in args.workers}
    try:
        for server, workers in zip(servers, args.workers):
            for _ in range(2 * workers):  # every worker has served once before timing starts
                httpx.post(f"{server.url}/v1/summarize", json=body, timeout=300).raise_for_status()
        with contextlib.ExitStack() as sampling:
            for memory in memories:
                sampling.enter_context(memory)
            # Rounds interleave the configurations, so other jobs' load on the machine falls on all alike.
            for round_number in range(args.rounds):
                for server, workers in zip(servers, args.workers):
                    single, loaded = runs[workers]
                    single.add(
                        server.url, body, max(5, args.requests // (10 * args.rounds)), args.duration / args.rounds / 3
                    )
                    loaded.add(server.url, body, args.requests // args.rounds, args.duration / args.rounds)
                print(f"round {round_number + 1}/{args.rounds} done", flush=True)
    finally:
        for server in servers:
            server.stop()
    results = [run.result(memory.peak) for memory, w in zip(memories, args.workers) for run in runs[w]]
    for result in results:
        print(json.dumps(asdict(result)), flush=True)

    print()
    print("| workers | clients | requests | errors | p50 ms | p95 ms | p50 / in-process | req/s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.workers} | {r.clients} | {r.requests} | {r.errors} ({100 * r.error_rate:.0f}%) "
            f"| {r.p50_ms} | {r.p95_ms} "
            f"| {r.p50_ms / pipeline_ms:.1f}× | {r.throughput_rps} | {r.peak_rss_mb} |"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    record = {"words": args.words, "pipeline_ms": pipeline_ms, "results": [asdict(r) for r in results]}
    (OUT / "server_bench.json").write_text(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
