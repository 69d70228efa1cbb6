"""Run every benchmark in turn with its default settings (what docs/benchmarks.md reports).

    .venv/bin/python bench/run_all.py [--only rouge,speed,...]

Each benchmark is its own script, run in a fresh process so one's warm caches don't help another.
The heavy ones take a while on 2 cores: the ROUGE run over 250 papers and the abstractive run
(SmolLM2 on CPU) take the longest.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = {
    "segment": ["segment_sentences.py"],
    "read": ["read_formats.py"],
    "rouge": ["rouge_bench.py"],
    "focus": ["focus_bench.py"],
    "speed": ["speed_bench.py"],
    "verify": ["verify_bench.py"],
    "faithfulness": ["faithfulness_bench.py", "--lodo", "--ladder"],
    "abstractive": ["abstractive_bench.py"],
    "batch": ["batch_bench.py"],
    "server": ["server_bench.py"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(SCRIPTS)}")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(SCRIPTS)
    unknown = sorted(set(chosen) - set(SCRIPTS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    failed = []
    for name in chosen:
        script, *extra = SCRIPTS[name]
        print(f"== {name}: {script}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(BENCH / script), *extra])
        print(f"== {name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
