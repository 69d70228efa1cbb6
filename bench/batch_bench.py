"""Batch throughput on the aclsum long-document set: local runner with 1 and 2 jobs, and Ray.

Every configuration summarizes the same papers (written as Markdown files) into a fresh results
file, timed from the call to the last record, so worker start-up and model loading count, as
they do for a user. The Ray runner connects to a 2-CPU head that this script starts on
127.0.0.1 (head start-up is not counted: a real cluster is already up) and stops at the end.
"Documents in progress" is the time spent summarizing, summed over documents, divided by the
wall time: how many workers were busy on average (start-up and the driver's share lower it).
A last line times a rerun with everything already done: the resume check alone.

    .venv/bin/python bench/batch_bench.py --papers 60 --repeats 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

from groundsum.batch import BatchOptions, ResultsLog, find_documents, make_runner, plan_batch, run_batch
from training.papers import papers

RAY = Path(sys.executable).with_name("ray")


def write_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for paper in papers(count):
        (folder / f"{paper.paper_id}.md").write_text(paper.markdown, encoding="utf-8")
    return find_documents([str(folder)])


def timed_batch(documents: list[Path], output: Path, runner: str, jobs: int, **ray_settings) -> tuple[float, int, int]:
    """(wall seconds, documents summarized, documents skipped) for one run into ``output``."""
    options = BatchOptions.create()
    start = time.perf_counter()
    with ResultsLog(output) as log:
        plan = plan_batch(documents, options, log.done)
        report = run_batch(plan, options, make_runner(runner, options, jobs, **ray_settings), log)
    seconds = time.perf_counter() - start
    if report.failures:
        raise SystemExit(f"{runner}: {report.failed} documents failed, e.g. {report.failures[0]}")
    return seconds, report.ok, report.skipped


def summarizing_seconds(output: Path) -> float:
    """Time workers spent inside ``summarize``, summed over documents (the records' elapsed_s)."""
    return sum(json.loads(line)["elapsed_s"] for line in output.read_text(encoding="utf-8").splitlines())


def start_ray_head(temp_dir: Path) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run(
        [str(RAY), "start", "--head", "--node-ip-address", "127.0.0.1", "--port", str(port), "--num-cpus", "2",
         "--include-dashboard=false", "--disable-usage-stats", "--temp-dir", str(temp_dir)],
        check=True, capture_output=True, env={**os.environ, "RAY_AUTH_MODE": "disabled"},  # see docs/batch.md
    )
    return f"127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=2, help="runs per configuration; the median is reported")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gsbatch"))
    documents = write_corpus(work / "corpus", args.papers)
    configs = [("local", 1, {}), ("local", 2, {})]
    address = None
    if not args.no_ray:
        address = start_ray_head(work / "ray")
        configs.append(("ray", 2, {"address": address}))
    rows = []
    try:
        for runner, jobs, settings in configs:
            times, busy = [], []
            for repeat in range(args.repeats):
                output = work / f"{runner}-{jobs}-{repeat}.jsonl"
                seconds, ok, _ = timed_batch(documents, output, runner, jobs, **settings)
                assert ok == len(documents)
                times.append(seconds)
                busy.append(summarizing_seconds(output) / seconds)
            rows.append((runner, jobs, statistics.median(times), statistics.median(busy)))
        resume_s, ok, skipped = timed_batch(documents, work / "local-2-0.jsonl", "local", 2)
        assert ok == 0 and skipped == len(documents)
    finally:
        if address:
            subprocess.run([str(RAY), "stop", "--force"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    baseline = rows[0][2]
    print(f"{len(documents)} aclsum papers, extractive engine, --per document; median of {args.repeats} runs\n")
    print("| runner | jobs | wall s | docs/s | speed vs local 1 job | documents in progress (mean) |")
    print("|---|---:|---:|---:|---:|---:|")
    for runner, jobs, seconds, busy in rows:
        print(
            f"| {runner} | {jobs} | {seconds:.1f} | {len(documents) / seconds:.2f} | {baseline / seconds:.2f}x "
            f"| {busy:.2f} |"
        )
    wall = {(runner, jobs): seconds for runner, jobs, seconds, _ in rows}
    local2 = wall["local", 2]
    if address:
        ray2 = wall["ray", 2]
        print(
            f"\nRay overhead against local, 2 workers each: {ray2 / local2:.2f}x the wall time "
            f"({ray2 - local2:+.1f} s)"
        )
    print(f"Resume check with all {len(documents)} done (hash + scan, nothing to run): {resume_s:.2f} s")


if __name__ == "__main__":
    main()
