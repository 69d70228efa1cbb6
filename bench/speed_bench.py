"""Speed of groundsum's default (extractive) pipeline, next to sumy's LexRank in the same run.

Two measurements:

1. Throughput on the aclsum papers, one process: documents per second end to end from the
   Markdown text (read → segment → summarize → verify → render JSON, via
   ``groundsum.summarize`` + ``render``), interleaved paper by paper with sumy LexRank (parse +
   rank), so both see the same machine load. A second pass times each stage alone.
2. Scaling: documents of 10k-200k words (distinct papers concatenated as sections), each
   summarized from a file in fresh subprocesses (best of ``--repeats``) that report the time
   end to end, each stage's time, and peak RSS. Goals: 200k words under 20 s and 2 GB;
   doubling the length costs under 2.3x the time.

    python bench/speed_bench.py                    # both, all 250 papers
    python bench/speed_bench.py --rounds 3 --sizes ''   # throughput only, median of 3 fresh runs
    python bench/speed_bench.py --limit 40 --sizes 10000,50000
    python bench/speed_bench.py --plot docs/img/extractive_scaling.png
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

from rouge_bench import lexrank_summary
from training.papers import MARKDOWN, long_document, papers

SIZES = (10_000, 50_000, 100_000, 200_000)
LONG_BUDGET = 300  # words, for the scaling documents


def stage_times(source: str | Path, words: int) -> dict[str, float]:
    """Seconds per pipeline stage for one document (models already loaded)."""
    from groundsum import load, render
    from groundsum.pipeline import summarize
    from groundsum.summarize import get_engine, make_budget, plan_units
    from groundsum.verify import verify

    times = {}
    start = time.perf_counter()
    doc = load(source, format=MARKDOWN)
    times["read+segment"] = time.perf_counter() - start
    start = time.perf_counter()
    units = plan_units(doc, "document", make_budget("document", words))
    drafts = get_engine("extractive").summarize(doc, units, "document")
    times["summarize"] = time.perf_counter() - start
    start = time.perf_counter()
    verify(doc, drafts)
    times["verify"] = time.perf_counter() - start
    summary = summarize(doc, words=words)
    start = time.perf_counter()
    render(summary, "json")
    times["render"] = time.perf_counter() - start
    return times


def end_to_end(source: str | Path, words: int) -> tuple[float, float]:
    """Wall and CPU seconds for read → segment → summarize → verify → render JSON.

    CPU time is reported next to wall time because the machine is shared: it shows how the
    work scales even when other jobs stretch the wall clock.
    """
    from groundsum import render, summarize

    return timed(lambda: render(summarize(source, words=words, format=MARKDOWN), "json"))


def timed(work) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


WARM_UP = "A short warm-up text. It loads the models."


def throughput(limit: int | None, rounds: int) -> dict:
    """The interleaved comparison, ``rounds`` times in fresh processes; the median round counts.

    Each round starts cold (groundsum's word caches empty), so rounds are alike; more than one
    shows how much a shared machine moves the ratio.
    """
    runs = [in_fresh_process("--round", str(limit or 0)) for _ in range(rounds)]
    median = sorted(runs, key=lambda run: run["ratio"])[len(runs) // 2]
    return {**median, "rounds": runs, "stage_ms_per_doc": in_fresh_process("--stages", str(limit or 0))}


def interleaved(limit: int | None) -> dict:
    """groundsum end to end and LexRank, interleaved paper by paper in this process."""
    chosen = papers(limit)
    end_to_end(WARM_UP, 5)  # load the models before timing
    lexrank_summary(chosen[0])
    ours, theirs = [], []
    for paper in chosen:
        ours.append(end_to_end(paper.markdown, paper.budget))
        theirs.append(timed(partial(lexrank_summary, paper)))
    ours_wall, ours_cpu = np.sum(ours, axis=0)
    theirs_wall, theirs_cpu = np.sum(theirs, axis=0)
    return {
        "papers": len(chosen),
        "groundsum_docs_per_s": len(chosen) / ours_wall,
        "lexrank_docs_per_s": len(chosen) / theirs_wall,
        "ratio": theirs_wall / ours_wall,
        "cpu_ratio": theirs_cpu / ours_cpu,
    }


def stage_breakdown(limit: int) -> dict[str, float]:
    """Milliseconds per paper in each stage, from a fresh process (caches as cold as above)."""
    chosen = papers(limit or None)
    end_to_end(WARM_UP, 5)
    stages = [stage_times(paper.markdown, paper.budget) for paper in chosen]
    return {name: 1000 * sum(s[name] for s in stages) / len(chosen) for name in stages[0]}


def measure_one(path: Path, mode: str) -> dict:
    """In a fresh process: one long document end to end (and peak RSS), or stage by stage."""
    start = time.perf_counter()
    end_to_end(WARM_UP, 5)
    warm_up = time.perf_counter() - start
    if mode == "stages":
        return {"stages_s": stage_times(path, LONG_BUDGET)}
    wall, cpu = end_to_end(path, LONG_BUDGET)
    return {"model_load_s": warm_up, "end_to_end_s": wall, "end_to_end_cpu_s": cpu, "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, because ``ru_maxrss`` carries the
    parent's peak over fork and exec, which would charge the benchmark's own memory here."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def scaling(sizes: list[int], repeats: int) -> list[dict]:
    """Each size ``repeats`` times in fresh processes; the fastest run of each kind counts."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"long-{size}.md"
            path.write_text(long_document(size), encoding="utf-8")
            totals = [in_fresh_process("--one", str(path)) for _ in range(repeats)]
            stages = [in_fresh_process("--one", str(path), "--mode", "stages")["stages_s"] for _ in range(repeats)]
            row = min(totals, key=lambda run: run["end_to_end_s"])
            row["peak_rss_mb"] = max(run["peak_rss_mb"] for run in totals)
            row["stages_s"] = {name: min(run[name] for run in stages) for name in stages[0]}
            row["size"] = size
            row["words"] = len(path.read_text(encoding="utf-8").split())
            rows.append(row)
    return rows


def report(speed: dict | None, rows: list[dict]) -> str:
    lines = []
    if speed:
        rounds = ", ".join(f"{run['ratio']:.1f}x" for run in speed["rounds"])
        lines += [
            f"Papers: {speed['papers']}; groundsum {speed['groundsum_docs_per_s']:.2f} docs/s, "
            f"sumy LexRank {speed['lexrank_docs_per_s']:.2f} docs/s: **{speed['ratio']:.1f}x** (goal >= 20x); "
            f"in CPU time {speed['cpu_ratio']:.1f}x",
            *([f"(median of {len(speed['rounds'])} rounds: {rounds})"] if len(speed["rounds"]) > 1 else []),
            "",
            "| stage | ms per paper |",
            "|---|---|",
            *(f"| {name} | {ms:.1f} |" for name, ms in speed["stage_ms_per_doc"].items()),
            "",
        ]
    if rows:
        names = list(rows[0]["stages_s"])
        lines += [
            "| words | end to end (s) | CPU (s) | "
            + " | ".join(f"{name} (s)" for name in names)
            + " | peak RSS (MB) | time / half size's | CPU / half size's |",
            "|---" * (len(names) + 6) + "|",
        ]
        by_size = {row["size"]: row for row in rows}
        for row in rows:
            half = by_size.get(row["size"] // 2)
            ratios = (
                f"{row['end_to_end_s'] / half['end_to_end_s']:.2f} | "
                f"{row['end_to_end_cpu_s'] / half['end_to_end_cpu_s']:.2f}"
                if half
                else "- | -"
            )
            cells = " | ".join(f"{row['stages_s'][name]:.2f}" for name in names)
            lines.append(
                f"| {row['words']:,} | {row['end_to_end_s']:.2f} | {row['end_to_end_cpu_s']:.2f} | {cells} | "
                f"{row['peak_rss_mb']:.0f} | {ratios} |"
            )
        lines.append(f"\nModel load (once per process): {np.mean([r['model_load_s'] for r in rows]):.2f} s")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    words = [row["words"] / 1000 for row in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(words, [row["end_to_end_s"] for row in rows], "o-", label="end to end")
    left.plot(words, [row["end_to_end_cpu_s"] for row in rows], "o:", label="end to end, CPU time")
    for name in rows[0]["stages_s"]:
        left.plot(words, [row["stages_s"][name] for row in rows], ".--", label=name)
    left.set(xlabel="document length (thousand words)", ylabel="seconds", title="time (goal: 200k words < 20 s)")
    left.legend(fontsize=8)
    right.plot(words, [row["peak_rss_mb"] for row in rows], "o-", color="tab:red")
    right.axhline(2048, color="grey", linewidth=0.8, linestyle=":")
    right.set(xlabel="document length (thousand words)", ylabel="MB", title="peak RSS (goal < 2 GB)", ylim=(0, None))
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N papers for throughput")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="words per scaling document ('' skips)")
    parser.add_argument("--repeats", type=int, default=3, help="fresh runs per size; the fastest counts")
    parser.add_argument("--no-papers", action="store_true", help="skip the throughput run")
    parser.add_argument("--rounds", type=int, default=1, help="throughput runs in fresh processes; the median counts")
    parser.add_argument("--plot", type=Path, default=None, help="write the scaling plot (PNG) here")
    parser.add_argument("--json", type=Path, default=None, help="write all figures here")
    parser.add_argument("--one", type=Path, default=None, help=argparse.SUPPRESS)  # child: one long document
    parser.add_argument("--mode", default="total", help=argparse.SUPPRESS)  # child: total | stages
    parser.add_argument("--stages", type=int, default=None, help=argparse.SUPPRESS)  # child: paper stages
    parser.add_argument("--round", type=int, default=None, help=argparse.SUPPRESS)  # child: one throughput run
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.mode)))
        return
    if args.round is not None:
        print(json.dumps(interleaved(args.round or None)))
        return
    if args.stages is not None:
        print(json.dumps(stage_breakdown(args.stages)))
        return
    speed = None if args.no_papers else throughput(args.limit, args.rounds)
    rows = scaling([int(size) for size in args.sizes.split(",") if size], args.repeats)
    print(report(speed, rows))
    if args.plot and rows:
        plot(rows, args.plot)
    if args.json:
        args.json.write_text(json.dumps({"papers": speed, "scaling": rows}, indent=1))


if __name__ == "__main__":
    main()
