"""How well groundsum's verifier separates supported from unsupported summary sentences, and how fast.

Accuracy: every sentence of the labelled set (``bench/data/verify/labelled.jsonl``, built by
``verify_build_set.py``) is scored against its source passage by groundsum (``verify`` with the
sentence as a ``Draft`` without evidence, so the summary is never re-split) and, in the same run, by
three overlap baselines:

- unigram precision: share of the sentence's word tokens (``\\w+``, lowercased, stopwords kept) that
  occur in the source;
- bigram precision: the same for adjacent token pairs;
- entity overlap: share of the sentence's name-like tokens (a capital letter anywhere but at the
  start of the sentence, or all capitals) and numbers that occur in the source; 1.0 when it has none.

Reported: ROC AUC (with a bootstrap 95% interval) and balanced accuracy, overall, without the
sentences whose label note says "borderline" (the hand labeller's hard calls), and per slice.
groundsum's balanced accuracy is given for its own labels (``uncertain`` counted as unsupported)
and for ``score >= 0.5``; every method also gets the best threshold chosen on the whole labelled
set itself, which flatters the baselines (they have no threshold of their own) and is said so.

Speed: 100 summary sentences checked with ``groundsum.check`` against a 10,000-word source
(ACLSum test papers one after another, cut at a paragraph break), three runs on three different
sources after a warm-up call, median, as a ratio to ``groundsum.pipeline.load`` of the same
source (read + segment); plus one ``check`` in a fresh interpreter (what a one-shot CLI run pays).

    .venv/bin/python bench/verify_bench.py            # --no-speed, --bootstrap 1000

Writes ``bench/out/verify_bench.json`` (every figure, and every sentence's scores) and the ROC
curves to ``docs/img/verify_roc.png``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from groundsum.model import Draft
from groundsum.pipeline import check, load
from groundsum.verify import verify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

from training.metrics import balanced_accuracy, best_threshold, roc_auc
from training.verify_baselines import BASELINES
from training.verify_data import ROOT, aclsum_test_ids, full_text, load_labelled, load_sources, passage

OUT = ROOT / "bench" / "out" / "verify_bench.json"
PLOT = ROOT / "docs" / "img" / "verify_roc.png"
SLICES = ("smollm2", "human-written", "abstract", "tokenized-lowercased")
SPEED_WORDS = 10_000
SPEED_SENTENCES = 100
SPEED_RUNS = 3
SPEED_GOAL_S = 2.0
LOAD_REPEATS = 5
def bootstrap_auc(scores: np.ndarray, positive: np.ndarray, rounds: int, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(rounds):
        pick = rng.integers(0, len(scores), len(scores))
        value = roc_auc(scores[pick], positive[pick])
        if not np.isnan(value):
            values.append(value)
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def score_all(rows: list[dict]) -> tuple[dict[str, np.ndarray], list[str]]:
    """Every method's score for every row; groundsum verifies all sentences of one source in one call."""
    sources = load_sources()
    by_source: dict[str, list[int]] = defaultdict(list)
    for k, row in enumerate(rows):
        by_source[row["source_id"]].append(k)
    scores = {name: np.zeros(len(rows)) for name in ("groundsum", *BASELINES)}
    labels: list[str] = [""] * len(rows)
    started = time.perf_counter()
    for source_id, members in by_source.items():
        text = passage(sources[source_id])
        doc = load(text)
        verdicts = verify(doc, [Draft(rows[k]["summary_sentence"], evidence=(), origin="generated") for k in members])
        for k, verdict in zip(members, verdicts, strict=True):
            scores["groundsum"][k] = verdict.score
            labels[k] = verdict.label
            for name, baseline in BASELINES.items():
                scores[name][k] = baseline(text, rows[k]["summary_sentence"])
    print(f"scored {len(rows)} sentences over {len(by_source)} sources in {time.perf_counter() - started:.1f} s")
    return scores, labels


def evaluate(rows: list[dict], scores: dict[str, np.ndarray], labels: list[str], rounds: int) -> dict:
    positive = np.array([row["label"] == "supported" for row in rows])
    origin = np.array([row["origin"] for row in rows])
    cuts = {name: best_threshold(scores[name], positive) for name in ("groundsum", *BASELINES)}
    results: dict = {"thresholds_chosen_on_all_data": cuts, "slices": {}}
    variants = {row.get("variant_of") for row in rows}
    extra = {"all": np.ones(len(rows), bool),
             "all, clear-cut only": np.array(["borderline" not in row["note"] for row in rows]),
             "the same sentences as tokenized-lowercased, as written":
                 np.array([row["id"] in variants for row in rows])}
    for slice_name in ("all", "all, clear-cut only", *SLICES, *list(extra)[2:]):
        mask = extra.get(slice_name, origin == slice_name)
        pos = positive[mask]
        entry = {"sentences": int(mask.sum()), "supported": int(pos.sum()), "unsupported": int((~pos).sum()),
                 "methods": {}}
        for name in ("groundsum", *BASELINES):
            s = scores[name][mask]
            method = {"auc": roc_auc(s, pos), "auc_95": bootstrap_auc(s, pos, rounds) if rounds else None,
                      "balanced_accuracy_best_threshold": balanced_accuracy(s >= cuts[name], pos)}
            if name == "groundsum":
                own = np.array([labels[k] == "supported" for k in np.flatnonzero(mask)])
                method["balanced_accuracy_own_labels"] = balanced_accuracy(own, pos)
                method["balanced_accuracy_threshold_0.5"] = balanced_accuracy(s >= 0.5, pos)
                method["label_counts"] = {lab: int(sum(labels[k] == lab for k in np.flatnonzero(mask)))
                                          for lab in ("supported", "uncertain", "unsupported")}
            entry["methods"][name] = method
        results["slices"][slice_name] = entry
    return results


def speed_sources() -> list[str]:
    """SPEED_RUNS different sources of SPEED_WORDS words: test-split papers in dataset order, one after
    another, cut at paragraph breaks. A new document each run, so nothing cached per document helps."""
    sources, blocks, words = [], [], 0
    for paper in aclsum_test_ids():
        for block in full_text(f"aclsum:{paper}").split("\n\n"):
            blocks.append(block)
            words += len(block.split())
            if words >= SPEED_WORDS:
                sources.append("\n\n".join(blocks) + "\n")
                blocks, words = [], 0
                if len(sources) == SPEED_RUNS:
                    return sources
    raise ValueError(f"the test split holds fewer than {SPEED_RUNS} x {SPEED_WORDS} words")


def speed_sentences(rows: Sequence[dict]) -> list[str]:
    """SPEED_SENTENCES labelled sentences, spread over the set, each one line with no inner sentence end."""
    plain = [row["summary_sentence"] for row in rows if row["origin"] != "tokenized-lowercased"
             and not re.search(r"[.!?]\s", row["summary_sentence"])]
    step = len(plain) / SPEED_SENTENCES
    return [plain[int(k * step)] for k in range(SPEED_SENTENCES)]


def cold_check_s(source: str, summary: str) -> float:
    """One ``check`` in a fresh interpreter, files in, imports and model loading included: a one-shot CLI run."""
    with tempfile.TemporaryDirectory() as folder:
        source_path, summary_path = Path(folder) / "source.md", Path(folder) / "summary.txt"
        source_path.write_text(source, encoding="utf-8")
        summary_path.write_text(summary, encoding="utf-8")
        code = ("import sys, time; started = time.perf_counter(); from groundsum.pipeline import check; "
                "check(sys.argv[1], sys.argv[2]); print(time.perf_counter() - started)")
        done = subprocess.run([sys.executable, "-c", code, str(source_path), str(summary_path)],
                              capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def speed(rows: Sequence[dict]) -> dict:
    """Median over SPEED_RUNS sources of one warm ``check`` and of ``load`` (read + segment) of the
    same source. ``load`` takes tens of milliseconds, where scheduler noise on a shared machine is of
    the same size, so each run keeps the fastest of LOAD_REPEATS loads."""
    sources = speed_sources()
    summary = "\n".join(speed_sentences(rows))
    cold = cold_check_s(sources[0], summary)
    check(sources[0], summary)  # warm-up: models and embeddings loaded once per process
    check_times, load_times = [], []
    for source in sources:
        load_times.append(min(timed(load, source) for _ in range(LOAD_REPEATS)))
        started = time.perf_counter()
        result = check(source, summary)
        check_times.append(time.perf_counter() - started)
        if len(result.sentences) != SPEED_SENTENCES:
            raise SystemExit(f"check saw {len(result.sentences)} sentences, not {SPEED_SENTENCES}")
    check_s, load_s = statistics.median(check_times), statistics.median(load_times)
    return {"source_words": [len(source.split()) for source in sources], "sentences": SPEED_SENTENCES,
            "runs": SPEED_RUNS, "check_s_runs": check_times, "load_s_runs": load_times, "check_s": check_s,
            "load_s": load_s, "check_over_load": check_s / load_s, "cold_process_check_s": cold,
            "goal_s": SPEED_GOAL_S, "goal_met": check_s < SPEED_GOAL_S}


def timed(function: Callable, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def roc_points(scores: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """False- and true-positive rates at every cut, from "everything supported" down to "nothing"."""
    cuts = np.unique(scores)[::-1]
    fpr = [0.0] + [float(np.mean(scores[~positive] >= c)) for c in cuts]
    tpr = [0.0] + [float(np.mean(scores[positive] >= c)) for c in cuts]
    return np.array(fpr), np.array(tpr)


def plot(rows: list[dict], scores: dict[str, np.ndarray], path: Path) -> None:
    """ROC curves of every method on the whole set and on the SmolLM2 slice, side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    positive = np.array([row["label"] == "supported" for row in rows])
    origin = np.array([row["origin"] for row in rows])
    figure, axes = plt.subplots(1, 2, figsize=(10, 4.6))
    for axis, (title, mask) in zip(axes, [("all sentences", np.ones(len(rows), bool)),
                                          ("SmolLM2-135M outputs", origin == "smollm2")]):
        for name in ("groundsum", *BASELINES):
            fpr, tpr = roc_points(scores[name][mask], positive[mask])
            axis.plot(fpr, tpr, label=f"{name} (AUC {roc_auc(scores[name][mask], positive[mask]):.2f})")
        axis.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
        axis.set(title=f"{title}: {int(mask.sum())} ({int(positive[mask].sum())} supported)",
                 xlabel="unsupported sentences passed (FPR)", ylabel="supported sentences passed (TPR)")
        axis.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def table(results: dict) -> str:
    lines = ["| slice | n (sup/unsup) | method | ROC AUC [95% CI] | bal. acc. (best cut on this data) "
             "| bal. acc. (own labels / score ≥ 0.5) |",
             "|---|---|---|---|---|---|"]
    for slice_name, entry in results["slices"].items():
        for name, m in entry["methods"].items():
            ci = f" [{m['auc_95'][0]:.3f}–{m['auc_95'][1]:.3f}]" if m["auc_95"] else ""
            own = (f"{m['balanced_accuracy_own_labels']:.3f} / {m['balanced_accuracy_threshold_0.5']:.3f}"
                   if name == "groundsum" else "—")
            lines.append(f"| {slice_name} | {entry['sentences']} ({entry['supported']}/{entry['unsupported']}) "
                         f"| {name} | {m['auc']:.3f}{ci} | {m['balanced_accuracy_best_threshold']:.3f} | {own} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap rounds for the AUC interval (0: none)")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = parser.parse_args()
    rows = load_labelled()
    scores, labels = score_all(rows)
    results = evaluate(rows, scores, labels, args.bootstrap)
    print(table(results))
    plot(rows, scores, PLOT)
    print("thresholds chosen on the labelled set itself:",
          ", ".join(f"{k} {v:.3f}" for k, v in results["thresholds_chosen_on_all_data"].items()))
    if not args.no_speed:
        results["speed"] = speed(rows)
        s = results["speed"]
        print(f"speed: {s['sentences']} sentences vs sources of {s['source_words']} words: check {s['check_s']:.2f} s "
              f"(median of {s['runs']}), load {s['load_s']:.3f} s, ratio {s['check_over_load']:.1f}×, "
              f"fresh process (imports, models, check) {s['cold_process_check_s']:.2f} s, "
              f"goal < {s['goal_s']} s {'met' if s['goal_met'] else 'NOT met'}")
    results["per_sentence"] = [{"id": row["id"], "label": row["label"], "origin": row["origin"],
                                "groundsum_label": labels[k], **{name: float(scores[name][k]) for name in scores}}
                               for k, row in enumerate(rows)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} and {PLOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
