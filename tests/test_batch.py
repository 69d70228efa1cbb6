"""``groundsum batch`` on real files, real worker processes and real kills."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from groundsum.batch import ResultsLog
from groundsum.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXIT_SOME_FAILED = 3


def aclsum_paragraphs(count: int, limit: int | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(section, paragraph)]) of the first ``count`` aclsum papers, ``limit`` paragraphs each."""
    import aclsum

    folder = Path(aclsum.__file__).parent / "dataset" / "paper_jsons"
    papers = []
    for path in sorted(folder.glob("*.json"))[:count]:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = [(p.get("section") or "Body", " ".join(p["text"].split())) for p in data["pdf_parse"]["body_text"]]
        papers.append((" ".join(data["title"].split()), [b for b in body if b[1]][:limit]))
    return papers


def write_corpus(root: Path, papers: int, bad: bool = True, paragraphs: int | None = 8) -> list[Path]:
    """Real documents in varied formats: papers (cut to ``paragraphs``) as Markdown or plain
    text, the letters, and (with ``bad``) an empty file and a binary one."""
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for index, (title, body) in enumerate(aclsum_paragraphs(papers, paragraphs)):
        if index % 2:
            path = root / "papers" / f"paper-{index:02d}.md"
            parts, section = [f"# {title}"], None
            for name, text in body:
                if name != section:
                    parts.append(f"## {name}")
                    section = name
                parts.append(text)
        else:
            path = root / f"paper-{index:02d}.txt"
            parts = [title] + [text for _, text in body]
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        written.append(path)
    letters = root / "letters.md"
    letters.write_bytes((FIXTURES / "letters.md").read_bytes())
    written.append(letters)
    if bad:
        (root / "empty.txt").write_bytes(b"")
        (root / "binary.txt").write_bytes(random.Random(7).randbytes(3000) + b"\x00\x01\x02" * 50)
        written += [root / "empty.txt", root / "binary.txt"]
    return written


def batch_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "groundsum", "batch", *map(str, args)]


def read_records(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data.endswith(b"\n"), "the file ends with a complete line"
    return [json.loads(line) for line in data.splitlines()]


def count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def by_path(records: list[dict]) -> dict[str, dict]:
    paths = [r["path"] for r in records]
    assert len(paths) == len(set(paths)), f"a document appears more than once: {sorted(paths)}"
    return {r["path"]: r for r in records}


def spawned_workers(pid: int) -> list[psutil.Process]:
    return [p for p in psutil.Process(pid).children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]


def test_killed_batch_resumes_with_every_document_exactly_once(tmp_path):
    corpus = tmp_path / "corpus"
    documents = write_corpus(corpus, papers=27, paragraphs=None)  # whole papers: time to kill it mid-way
    assert len(documents) == 30
    out = tmp_path / "results.jsonl"
    batch = subprocess.Popen(batch_command(corpus, "-o", out, "--jobs", "2"), cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while count_lines(out) < 4 and batch.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = spawned_workers(batch.pid)
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(timeout=30)
    finally:
        if batch.poll() is None:
            batch.kill()
    done_before = count_lines(out)
    assert 4 <= done_before < len(documents), "the batch was killed part-way"
    _, alive = psutil.wait_procs(workers, timeout=30)
    for process in alive:
        process.kill()
    assert not alive, "workers of a killed batch exit with it"

    # What a kill in the middle of a write leaves behind: the first half of a line.
    before = out.read_bytes()
    torn = before.splitlines(keepends=True)[0][:150]
    with open(out, "ab") as file:
        file.write(torn)
    # finished: whole lines only; the kill itself may have torn the last one mid-write
    lines = before.splitlines(keepends=True)
    finished_before = {line for line in lines if b'"result":' in line and line.endswith(b"\n")}

    rerun = subprocess.run(batch_command(corpus, "-o", out, "--jobs", "2"), cwd=ROOT, capture_output=True, timeout=300)
    assert rerun.returncode == EXIT_SOME_FAILED, rerun.stderr.decode()
    records = by_path(read_records(out))
    assert set(records) == {str(path) for path in documents}
    assert finished_before <= set(out.read_bytes().splitlines(keepends=True)), "done documents were not redone"
    for path in documents:
        record = records[str(path)]
        assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert record["options"]["per"] == "document" and record["options"]["sentences"] == 5
    for bad in ("empty.txt", "binary.txt"):
        error = records[str(corpus / bad)]["error"]
        assert error["type"] == "InputError" and "\n" not in error["message"]
    good = [r for r in records.values() if not r["path"].endswith(("empty.txt", "binary.txt"))]
    assert all(r["result"]["summary"] and "error" not in r for r in good)
    output = rerun.stdout.decode()
    assert "empty.txt" in output and "binary.txt" in output, "failures are listed"


def test_record_result_is_the_json_format_and_reruns_key_on_content_and_options(tmp_path, run_cli):
    corpus = tmp_path / "corpus"
    documents = write_corpus(corpus, papers=2, bad=False)
    out = tmp_path / "out.jsonl"
    first = run_cli("batch", corpus, "-o", out, "--jobs", "1", "--per", "section")
    assert first.returncode == 0, first.stderr.decode()
    records = by_path(read_records(out))
    assert set(records) == {str(p) for p in documents}
    letters = records[str(corpus / "letters.md")]
    assert letters["options"] == {
        "per": "section", "words": None, "sentences": 3, "ratio": None, "engine": "extractive",
        "unsupported": "drop", "engine_options": {},
    }
    assert letters["runner"] == "local" and letters["groundsum_version"] and letters["elapsed_s"] > 0
    single = run_cli("summarize", corpus / "letters.md", "--per", "section", "--format", "json")
    assert single.returncode == 0, single.stderr.decode()
    assert letters["result"] == json.loads(single.stdout)

    # A renamed file has the same content: nothing to do. Same options spelled out: same key.
    (corpus / "letters.md").rename(corpus / "renamed.md")
    again = run_cli("batch", corpus, "-o", out, "--per", "section", "--sentences", "3")
    assert again.returncode == 0, again.stderr.decode()
    assert count_lines(out) == len(documents)
    assert "renamed.md" not in out.read_text(encoding="utf-8")

    # Other options are another summary: every document again. Unknown options go to the engine.
    other = run_cli("batch", corpus, "-o", out, "--sentences", "1", "--per-section", "3", "--quiet")
    assert other.returncode == 0 and not other.stdout, other.stderr.decode()
    records = read_records(out)
    assert len(records) == 2 * len(documents)
    assert sum(r["options"]["sentences"] == 1 for r in records) == len(documents)
    assert all(r["options"]["engine_options"] == {"per_section": 3} for r in records if r["options"]["sentences"] == 1)
    assert all(len(r["result"]["summary"]) == 1 for r in records if r["options"]["sentences"] == 1)


def test_failed_documents_are_retried_and_replaced(tmp_path, run_cli):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, papers=1, bad=True)
    out = tmp_path / "out.jsonl"
    first = run_cli("batch", corpus, "-o", out, "--jobs", "1")
    assert first.returncode == EXIT_SOME_FAILED
    assert "error" in by_path(read_records(out))[str(corpus / "empty.txt")]

    (corpus / "empty.txt").write_text(
        "The river rose in the night. By morning the bridge was gone.\n", encoding="utf-8"
    )
    (corpus / "binary.txt").unlink()
    second = run_cli("batch", corpus, "-o", out, "--jobs", "1")
    assert second.returncode == 0, second.stdout.decode() + second.stderr.decode()
    records = by_path(read_records(out))
    assert "result" in records[str(corpus / "empty.txt")]
    # The binary file is gone from the corpus; its old error record is left as it was.
    assert records[str(corpus / "binary.txt")]["error"]["type"] == "InputError"
    assert len(records) == 4


def test_glob_patterns_and_jobs(tmp_path, run_cli):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, papers=4, bad=True)
    out = tmp_path / "out.jsonl"
    result = run_cli("batch", f"{corpus}/papers/*.md", str(corpus / "letters.md"), "-o", out, "--jobs", "2")
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(Path(r["path"]).name for r in read_records(out)) == ["letters.md", "paper-01.md", "paper-03.md"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["{tmp}/missing", "-o", "{tmp}/out.jsonl"], "no such file or folder"),
        (["{tmp}/*.nothing", "-o", "{tmp}/out.jsonl"], "no files match"),
        (["{tmp}/emptydir", "-o", "{tmp}/out.jsonl"], "no documents found"),
        (["{letters}", "-o", "{tmp}/no/such/dir/out.jsonl"], "cannot write results"),
        (["{letters}", "-o", "{tmp}"], "cannot write results"),
        (["{letters}", "-o", "{tmp}/out.jsonl", "--engine", "nope"], "unknown engine"),
        (["{letters}", "-o", "{tmp}/out.jsonl", "--words", "10", "--ratio", "0.2"], "at most one of"),
        (["{letters}", "-o", "{tmp}/out.jsonl", "--model", "x.gguf"], "could not start"),  # not the extractive's
        (["{letters}", "-o", "{tmp}/out.jsonl", "--runner", "cloud"], "--runner must be"),
        (["{letters}", "-o", "{tmp}/out.jsonl", "--address", "127.0.0.1:6379"], "need --runner ray"),
        (["{letters}", "-o", "{tmp}/out.jsonl", "--runner", "ray", "--runtime-env", "[1]"], "must be a JSON object"),
    ],
)
def test_bad_arguments_fail_with_one_line(tmp_path, run_cli, letters_path, arguments, message):
    (tmp_path / "emptydir").mkdir()
    args = [a.format(tmp=tmp_path, letters=letters_path) for a in arguments]
    result = run_cli("batch", *args)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert stderr.startswith("groundsum: error:") and message in stderr and stderr.count("\n") == 1, stderr
    assert not (tmp_path / "out.jsonl").exists(), "a batch that could not run leaves no results file"


def test_a_killed_worker_costs_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    documents = write_corpus(corpus, papers=16, bad=False, paragraphs=None)
    out = tmp_path / "out.jsonl"
    batch = subprocess.Popen(batch_command(corpus, "-o", out, "--jobs", "2", "--quiet"), cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while count_lines(out) < 2 and batch.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    victims = spawned_workers(batch.pid)[:1]
    assert victims, "the batch runs worker processes"
    victims[0].kill()
    _, stderr = batch.communicate(timeout=300)
    assert batch.returncode == 0, stderr.decode()
    records = by_path(read_records(out))
    assert set(records) == {str(p) for p in documents}
    assert all("result" in r for r in records.values())


def test_results_log_repairs_a_torn_tail_and_refuses_foreign_lines(tmp_path):
    record = {"path": "a.txt", "sha256": "ab" * 32, "options": {"per": "document"}, "result": {"summary": []}}
    line = json.dumps(record) + "\n"
    path = tmp_path / "out.jsonl"
    path.write_text(line + line.replace("a.txt", "b.txt") + line[:40], encoding="utf-8")
    with ResultsLog(path) as log:
        assert [e.path for e in log.entries] == ["a.txt", "b.txt"]
        log.append({**record, "path": "c.txt", "sha256": "cd" * 32})
    assert [r["path"] for r in read_records(path)] == ["a.txt", "b.txt", "c.txt"]

    # another batch on the same file is refused while this one runs
    with ResultsLog(path), pytest.raises(ConfigError, match="another groundsum batch"):
        ResultsLog(path)

    path.write_text(line + "not json\n" + line, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"out.jsonl:2: not a groundsum batch record"):
        ResultsLog(path)


def test_workers_that_cannot_start_stop_the_batch_with_one_error(tmp_path, letters_path):
    """Spawned workers re-import ``__main__``, which a script read from stdin doesn't have."""
    script = f"""
from pathlib import Path
from groundsum.batch import BatchOptions, ResultsLog, find_documents, make_runner, plan_batch, run_batch
from groundsum.errors import EngineError

options = BatchOptions.create()
with ResultsLog(Path({str(tmp_path / "out.jsonl")!r})) as log:
    plan = plan_batch(find_documents([{str(letters_path)!r}]), options, log.done)
    try:
        run_batch(plan, options, make_runner("local", options, jobs=1), log)
    except EngineError as exc:
        print("EngineError:", exc)
"""
    result = subprocess.run(
        [sys.executable, "-"], input=script.encode(), capture_output=True, timeout=120, cwd=tmp_path
    )
    died = "EngineError: the worker processes died before finishing any document"
    assert died in result.stdout.decode(), result.stderr.decode()
    assert count_lines(tmp_path / "out.jsonl") == 0
