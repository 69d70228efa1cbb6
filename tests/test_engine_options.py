"""Engine options reach the CLI, the HTTP API and batch through one model (``summarize.options``),
each bad option is one line, and pool workers, the server's as the batch's, exit with their parent."""

from __future__ import annotations

import json
import os
import signal

import psutil
import pytest
from fastapi.testclient import TestClient

from groundsum.errors import ConfigError
from groundsum.server.app import create_app
from groundsum.server.settings import Limits
from groundsum.summarize.options import EngineOptions

CHOSEN = {"redundancy": 0.5, "per_section": 2}  # extractive options that change what is picked
RECORDED = {"embedder": "wordllama", **CHOSEN}  # the engine's settings as the JSON records them


def test_options_given_as_text_are_typed_and_unset_ones_left_out():
    given = EngineOptions.parse({"per_section": "3", "repair": "true", "config": "settings.toml", "model": None})
    assert given.given() == {"per_section": 3, "repair": True, "config": "settings.toml"}


def test_an_unknown_or_mistyped_option_is_one_config_error():
    with pytest.raises(ConfigError, match=r"^unknown engine option --colour$"):
        EngineOptions.parse({"colour": "red"})
    with pytest.raises(ConfigError, match=r"^--timeout: input should be a valid number"):
        EngineOptions.parse({"timeout": "soon"})


def test_http_api_and_batch_pass_engine_options_as_the_cli_does(letters_path, run_cli, tmp_path):
    text = letters_path.read_text(encoding="utf-8")
    with TestClient(create_app(Limits(workers=1))) as client:
        as_json = client.post("/v1/summarize", json={"text": text, **CHOSEN})
        assert as_json.status_code == 200, as_json.text
        form = {name: str(value) for name, value in CHOSEN.items()}
        upload = client.post("/v1/summarize", files={"file": ("letters.md", text.encode())}, data=form)
        assert upload.status_code == 200, upload.text
        refused = client.post("/v1/summarize", json={"text": text, "model": "/etc/passwd"})
    assert as_json.json()["engine"]["settings"] == upload.json()["engine"]["settings"] == RECORDED
    assert refused.status_code == 422 and any(error["field"] == "model" for error in refused.json()["errors"])

    out = tmp_path / "out.jsonl"
    batch = run_cli("batch", letters_path, "-o", out, "--redundancy", "0.5", "--per-section=2", "--quiet")
    assert batch.returncode == 0, batch.stderr.decode()
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["options"]["engine_options"] == CHOSEN
    assert record["result"]["engine"]["settings"] == RECORDED
    assert record["result"]["summary"] == as_json.json()["summary"], "batch and the HTTP API agree"

    cli = run_cli("summarize", letters_path, "--redundancy", "0.5", "--per-section", "2", "--format", "json")
    assert cli.returncode == 0, cli.stderr.decode()
    assert json.loads(cli.stdout)["engine"]["settings"] == RECORDED
    assert json.loads(cli.stdout)["summary"] == as_json.json()["summary"], "the CLI agrees too"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summarize", "{letters}", "--per", "chapter"], "--per must be one of document, section, paragraph"),
        (["batch", "{letters}", "-o", "{tmp}/out.jsonl", "--per", "chapter"], "--per must be one of"),
        (["batch", "{letters}", "-o", "{tmp}/out.jsonl", "--colour", "red"], "unknown engine option --colour"),
        (["batch", "{letters}", "-o", "{tmp}/out.jsonl", "--per-section", "many"], "--per-section: input should be"),
        (["check", "--source", "{letters}", "{letters}", "--threads", "2"], "--threads: options of the judge's engine"),
        (["summarize", "{letters}", "--per-section", "0"], "--per-section must be at least 1"),
        (["summarize", "{letters}", "--redundancy", "-1"], "--redundancy must be at least 0"),
    ],
)
def test_bad_options_are_one_line_before_any_work(run_cli, letters_path, tmp_path, args, message):
    done = run_cli(*(arg.format(letters=letters_path, tmp=tmp_path) for arg in args))
    stderr = done.stderr.decode()
    assert done.returncode == 1 and stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert message in stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_server_workers_exit_when_the_server_is_killed(serve_groundsum):
    server = serve_groundsum("--workers", "2")
    children = psutil.Process(server.process.pid).children(recursive=True)
    workers = [p for p in children if "spawn_main" in " ".join(p.cmdline())]
    assert len(workers) == 2, "the pool's workers run"
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=30)
    _, alive = psutil.wait_procs(workers, timeout=30)
    for process in alive:
        process.kill()
    assert not alive, "workers of a killed server exit with it"
