"""The ``openai`` engine against a real OpenAI-compatible server: llama-cpp-python's, serving SmolLM2.

Covers requests in flight at once, timeouts, a server that dies mid-run, an unknown model name
(which llama_cpp.server itself would silently accept), the API key never shown, and the progress bar.
"""

from __future__ import annotations

import json
import os
import pty
import re
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from groundsum.errors import EngineError
from groundsum.pipeline import load
from groundsum.summarize import get_engine, make_budget, plan_units

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "tests" / "fixtures" / "letters.md"
KEY = "sk-groundsum-test-8c41d2e07f"
ALIAS = "smollm2"
ONE_LINE = re.compile(rb"groundsum: error: [^\n]+\n")


class LlamaServer:
    """``python -m llama_cpp.server`` on a free port of 127.0.0.1, with an API key."""

    def __init__(self, gguf: Path, log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log
        command = [
            sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", ALIAS,
            "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "2048", "--n_threads", "2",
            "--api_key", KEY,
        ]
        with log.open("wb") as out:
            env = os.environ | {"OMP_WAIT_POLICY": "PASSIVE"}
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                models = httpx.get(f"{self.url}/models", headers={"Authorization": f"Bearer {KEY}"}, timeout=2)
                if models.status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not start:\n{log.read_text(errors='replace')[-2000:]}")

    def chat_requests(self) -> int:
        """Chat completions the server has answered, from its access log."""
        return self.log.read_text(errors="replace").count("POST /v1/chat/completions HTTP/1.1\" 200")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(smollm2_gguf, tmp_path_factory):
    running = LlamaServer(smollm2_gguf, tmp_path_factory.mktemp("llama-server") / "server.log")
    yield running
    running.stop()


@pytest.fixture
def cli_env(server, monkeypatch, tmp_path):
    """The subprocess CLI reaches the server through the environment; no user config file interferes."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.setenv("GROUNDSUM_BASE_URL", server.url)
    monkeypatch.setenv("GROUNDSUM_MODEL", ALIAS)
    monkeypatch.setenv("GROUNDSUM_CONTEXT", "2048")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("GROUNDSUM_ENGINE_API_KEY", raising=False)
    return server


def _memo(tmp_path: Path, paragraphs: int = 3) -> Path:
    """A short document of a few paragraphs, for runs that only need a few quick requests."""
    text = [
        "Castro wrote to Khrushchev on October 26, 1962. He expected an American attack within three days.",
        "Khrushchev answered that the Soviet Union would help defend Cuba. He urged Castro to stay calm.",
        "Both leaders agreed that the crisis was dangerous. They feared a nuclear war.",
        "The letters were published decades later. Historians still study them.",
    ]
    path = tmp_path / "memo.md"
    path.write_text("# Memo\n\n" + "\n\n".join(text[:paragraphs]) + "\n", encoding="utf-8")
    return path


def test_chunks_are_summarized_concurrently_and_come_back_in_order(server):
    engine = get_engine(
        "openai", base_url=server.url, api_key=KEY, model=ALIAS, context=2048, max_concurrency=4, quiet=True
    )
    doc = load(LETTERS)
    units = plan_units(doc, "section", make_budget("section"))
    before = server.chat_requests()
    drafts = engine.summarize(doc, units, "section")
    assert engine.usage.peak_in_flight >= 2, "several requests were in flight at once"
    assert server.chat_requests() - before == engine.usage.calls >= len(units)
    assert drafts, "the model wrote something"
    for draft in drafts:  # each reply landed with its own unit's chunks
        assert draft.origin == "generated" and draft.evidence
        assert all(units[draft.unit].span.contains(span) for span in draft.evidence)
    assert [d.unit for d in drafts] == sorted(d.unit for d in drafts)
    assert engine.settings()["model"] == ALIAS and KEY not in json.dumps(engine.settings())


def test_an_unknown_model_name_is_refused_before_any_work(server, run_cli, cli_env):
    # llama_cpp.server answers chat requests for any model name with the one it serves:
    with httpx.Client(headers={"Authorization": f"Bearer {KEY}"}) as client:
        reply = client.post(f"{server.url}/chat/completions", json={"model": "gpt-9", "max_tokens": 2,
                                                                    "messages": [{"role": "user", "content": "hi"}]})
    assert reply.status_code == 200
    # so the engine checks /v1/models first:
    done = run_cli("summarize", LETTERS, "--engine", "openai", "--model", "gpt-9")
    assert done.returncode == 1
    assert ONE_LINE.fullmatch(done.stderr)
    assert f"model 'gpt-9' is not served at {server.url} (served: {ALIAS})".encode() in done.stderr


def test_the_api_key_is_used_but_never_shown(server, run_cli, cli_env, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-" + KEY[::-1])
    refused = run_cli("summarize", _memo(tmp_path, 1), "--engine", "openai")
    assert refused.returncode == 1 and ONE_LINE.fullmatch(refused.stderr)
    assert b"HTTP 401" in refused.stderr and b"check the API key" in refused.stderr
    assert KEY[::-1].encode() not in refused.stderr + refused.stdout
    config = tmp_path / "groundsum.toml"
    config.write_text(f'api_key = "{KEY}"\n')
    monkeypatch.delenv("OPENAI_API_KEY")
    done = run_cli("summarize", _memo(tmp_path, 1), "--engine", "openai", "--config", config, "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    assert KEY.encode() not in done.stdout + done.stderr
    assert json.loads(done.stdout)["engine"]["settings"]["base_url"] == server.url


class FlakyProxy:
    """A real HTTP proxy to the server that first answers each chat request with an error status."""

    def __init__(self, upstream: str, status: int, failures: int, retry_after: str | None = None) -> None:
        self.seen: list[tuple[float, int]] = []  # (time, status) of each chat request
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _relay(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                failing = self.path.endswith("/chat/completions") and len(proxy.seen) < failures
                if self.path.endswith("/chat/completions"):
                    proxy.seen.append((time.monotonic(), status if failing else 200))
                if failing:
                    self.send_response(status)
                    if retry_after:
                        self.send_header("Retry-After", retry_after)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps({"error": {"message": "slow down"}}).encode())
                    return
                reply = httpx.request(method, upstream + self.path.removeprefix("/v1"), content=body, timeout=300,
                                      headers={"Authorization": self.headers.get("Authorization", ""),
                                               "Content-Type": "application/json"})
                self.send_response(reply.status_code)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(reply.content)

            def do_GET(self) -> None:
                self._relay("GET")

            def do_POST(self) -> None:
                self._relay("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_rate_limits_and_server_errors_are_retried_after_the_servers_delay(server, tmp_path):
    doc = load(_memo(tmp_path, 1))
    units = plan_units(doc, "document", make_budget("document", sentences=1))
    limited = FlakyProxy(server.url, 429, failures=2, retry_after="1")
    try:
        engine = get_engine("openai", base_url=limited.url, api_key=KEY, model=ALIAS, context=2048, quiet=True)
        assert engine.summarize(doc, units, "document")
    finally:
        limited.close()
    assert [status for _, status in limited.seen] == [429, 429, 200]
    assert all(later - earlier >= 0.95 for (earlier, _), (later, _) in zip(limited.seen, limited.seen[1:])), \
        "Retry-After: 1 was respected"
    failing = FlakyProxy(server.url, 503, failures=10)
    try:
        engine = get_engine(
            "openai", base_url=failing.url, api_key=KEY, model=ALIAS, context=2048, retries=2, quiet=True
        )
        with pytest.raises(EngineError, match=r"failed a chat request \(HTTP 503\): slow down$"):
            engine.summarize(doc, units, "document")
    finally:
        failing.close()
    assert len(failing.seen) == 3, "the first attempt and two retries"
    gaps = [later - earlier for (earlier, _), (later, _) in zip(failing.seen, failing.seen[1:])]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.5, "backoff grows (0.5 s then 1 s, each ±50% jitter)"


def test_a_reply_slower_than_the_timeout_is_a_clear_error(run_cli, cli_env, tmp_path):
    output = tmp_path / "out.md"
    done = run_cli("summarize", _memo(tmp_path), "--engine", "openai", "--timeout", "0.01", "--max-concurrency", "1",
                   "-o", output)
    assert done.returncode == 1
    assert ONE_LINE.fullmatch(done.stderr)
    assert b"sent no reply within 0.01s (raise --timeout)" in done.stderr
    assert not output.exists()


def test_a_server_stopped_mid_run_fails_cleanly_and_writes_nothing(smollm2_gguf, tmp_path, monkeypatch):
    doomed = LlamaServer(smollm2_gguf, tmp_path / "doomed.log")
    try:
        output = tmp_path / "summary.md"
        env = os.environ | {"OPENAI_API_KEY": KEY, "GROUNDSUM_CONTEXT": "2048", "XDG_CONFIG_HOME": str(tmp_path)}
        run = subprocess.Popen(
            [sys.executable, "-m", "groundsum", "summarize", str(LETTERS), "--per", "section", "--engine", "openai",
             "--base-url", doomed.url, "--model", ALIAS, "--max-concurrency", "1", "-o", str(output)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
        )
        deadline = time.monotonic() + 300
        while doomed.chat_requests() < 1 and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
        assert doomed.chat_requests() >= 1 and run.poll() is None, "the run was under way"
        doomed.stop()
        _, stderr = run.communicate(timeout=120)
    finally:
        doomed.stop()
    assert run.returncode == 1
    assert ONE_LINE.fullmatch(stderr), stderr
    unreachable = rf"cannot reach {re.escape(doomed.url)}: (connection refused|server disconnected)"
    assert re.search(unreachable.encode(), stderr)
    assert not output.exists()
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".summary.md*")) == []


def test_an_endpoint_that_is_down_is_one_line(run_cli, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run_cli("summarize", LETTERS, "--engine", "openai", "--base-url", f"http://127.0.0.1:{port}", "--model", "x")
    assert done.returncode == 1
    assert done.stderr == f"groundsum: error: cannot reach http://127.0.0.1:{port}/v1: connection refused\n".encode()
    with pytest.raises(EngineError, match="connection refused"):
        get_engine("openai", base_url=f"http://127.0.0.1:{port}/v1", retries=0)


def test_a_progress_bar_shows_on_a_terminal_unless_quiet(cli_env, tmp_path):
    memo = _memo(tmp_path, 2)

    def stderr_on_a_terminal(*extra: str) -> str:
        leader, follower = pty.openpty()
        run = subprocess.Popen(
            [sys.executable, "-m", "groundsum", "summarize", str(memo), "--per", "paragraph", "--engine", "openai",
             "--sentences", "1", *extra],
            stdout=subprocess.DEVNULL, stderr=follower, cwd=ROOT, env=os.environ | {"COLUMNS": "100"},
        )
        os.close(follower)
        chunks = []
        while True:  # read as it comes, so the bar's redraws never fill the terminal's buffer
            try:
                data = os.read(leader, 65536)
            except OSError:  # the run ended and closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(leader)
        assert run.wait(timeout=300) == 0
        return b"".join(chunks).decode(errors="replace")

    assert "summarizing" in stderr_on_a_terminal()
    assert "summarizing" not in stderr_on_a_terminal("--quiet")
