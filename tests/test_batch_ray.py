"""``groundsum batch --runner ray`` against a real Ray head on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest

from test_batch import EXIT_SOME_FAILED, by_path, read_records, write_corpus

pytest.importorskip("ray")
pytestmark = pytest.mark.slow

RAY = Path(sys.executable).with_name("ray")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ray_processes(port: int) -> list[psutil.Process]:
    """The head's GCS server and raylet, which name the head's port on their command lines."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if f":{port}" in cmdline or f"--gcs_server_port={port}" in cmdline:
            found.append(process)
    return found


@pytest.fixture(scope="module")
def ray_head():
    """A one-node Ray cluster with 2 CPUs, stopped (and checked gone) however the tests end."""
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="gsray"))  # short: Ray's socket paths must stay under 108 bytes
    start = [
        str(RAY), "start", "--head", "--node-ip-address", "127.0.0.1", "--port", str(port), "--num-cpus", "2",
        "--include-dashboard=false", "--disable-usage-stats", "--object-store-memory", str(200 * 1024 * 1024),
        "--temp-dir", str(logs),
    ]
    # Ray turns token authentication on for `ray start` when ~/.ray/auth_token exists, and a
    # driver given an explicit address then needs the token too; keep this head independent of that.
    environment = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    try:
        subprocess.run(start, check=True, capture_output=True, timeout=120, env=environment)
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([str(RAY), "stop", "--force"], capture_output=True, timeout=120)
        _, alive = psutil.wait_procs(ray_processes(port), timeout=30)
        shutil.rmtree(logs, ignore_errors=True)
        assert not alive, f"Ray processes left running: {[p.pid for p in alive]}"


def comparable(records: list[dict]) -> set[tuple[str, str, str, str]]:
    """What must match between runners: everything but timing and the runner's name."""
    return {
        (
            r["path"],
            r["sha256"],
            json.dumps(r["options"], sort_keys=True),
            json.dumps(r.get("result", r.get("error")), sort_keys=True),
        )
        for r in records
    }


def test_ray_runner_records_match_the_local_runner(tmp_path, run_cli, ray_head):
    corpus = tmp_path / "corpus"
    documents = write_corpus(corpus, papers=6, bad=True)
    local_out, ray_out = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"

    on_ray = run_cli(
        "batch", corpus, "-o", ray_out, "--runner", "ray", "--address", ray_head, "--per", "section", timeout=170
    )
    assert on_ray.returncode == EXIT_SOME_FAILED, on_ray.stderr.decode()
    local = run_cli("batch", corpus, "-o", local_out, "--jobs", "2", "--per", "section")
    assert local.returncode == EXIT_SOME_FAILED, local.stderr.decode()

    ray_records = read_records(ray_out)
    assert set(by_path(ray_records)) == {str(p) for p in documents}
    assert {r["runner"] for r in ray_records} == {"ray"}
    assert comparable(ray_records) == comparable(read_records(local_out))

    # The driver resumes the same way: nothing left to do but retry the two bad documents.
    again = run_cli(
        "batch", corpus, "-o", ray_out, "--runner", "ray", "--address", ray_head, "--per", "section", "--jobs", "1"
    )
    assert again.returncode == EXIT_SOME_FAILED, again.stderr.decode()
    assert comparable(read_records(ray_out)) == comparable(ray_records)


def test_ray_runner_reports_an_engine_that_cannot_start(tmp_path, run_cli, ray_head, letters_path):
    out = tmp_path / "out.jsonl"
    result = run_cli(
        "batch", letters_path, "-o", out, "--runner", "ray", "--address", ray_head, "--model", "x.gguf"
    )  # an option of the generative engines: the extractive engine refuses it when a worker starts it
    stderr = result.stderr.decode()
    assert result.returncode == 1 and "could not start" in stderr and stderr.count("\n") == 1, stderr
    assert not out.exists()


def test_unreachable_ray_address_is_one_line_not_minutes_of_retries(tmp_path, run_cli, letters_path):
    address = f"127.0.0.1:{free_port()}"
    result = run_cli(
        "batch", letters_path, "-o", tmp_path / "out.jsonl", "--runner", "ray", "--address", address, timeout=60
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1 and stderr.count("\n") == 1, stderr
    assert stderr.startswith(f"groundsum: error: cannot connect to a Ray cluster at {address}")
