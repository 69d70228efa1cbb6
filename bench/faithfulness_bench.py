"""groundsum's verifier on public human-labelled faithfulness sets (FRANK, SummEdits), with baselines.

Every summary of the chosen split is audited with ``groundsum.check(source, summary)``; its
summary score is ranked against the annotators' label (1: no factual error). In the same run:

- ``v1``: the verifier as it was at commit ``V1_COMMIT`` (before Verify 2.0), run from that
  commit's own source in a subprocess;
- ``bigram`` and ``unigram``: the share of the summary's word bigrams / words found in the source.

Reported per dataset (FRANK CNN/DM and XSum/BBC, the 8 SummEdits domains):
- ROC AUC of each method's summary score;
- balanced accuracy at the shipped thresholds: a summary counts as called consistent when every
  sentence is labelled supported (v1 and v2; the baselines have no thresholds of their own);
- the precision of "supported": of the summaries whose every sentence is called supported, the
  share that annotators found consistent, with the share of summaries so called.
With ``--lodo``, leave-one-dataset-out: the model is refitted on the dev splits of all groups but
one (and the synthetic claims), and scored on that group's test split.

    .venv/bin/python bench/faithfulness_bench.py                 # test splits; --split dev, --lodo

Writes ``bench/out/faithfulness.json``. Nothing here fits on a test split.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from groundsum.pipeline import check  # noqa: E402
from groundsum.verify.combine import load_model  # noqa: E402
from groundsum.verify.features import FEATURES  # noqa: E402
from training.faithfulness import (  # noqa: E402
    DEV_SPLITS,
    GROUPS,
    TEST_SPLITS,
    Row,
    bags,
    load_rows,
    ngram_precision,
)
from training.metrics import balanced_accuracy, roc_auc, supported_precision  # noqa: E402

V1_COMMIT = "08ad015"
OUT = ROOT / "bench" / "out" / "faithfulness.json"
V1_SCRIPT = """
import json, sys
from groundsum.verify import check  # v1 kept check() in verify
for line in sys.stdin:
    row = json.loads(line)
    result = check(row["source"], row["summary"])
    labels = [s.label for s in result.sentences]
    print(json.dumps({"score": result.score, "all_supported": all(l == "supported" for l in labels)}), flush=True)
"""


def v2_scores(rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    scores, called = [], []
    for row in rows:
        result = check(row.source, row.summary)
        scores.append(result.score)
        called.append(all(s.label == "supported" for s in result.sentences))
    return np.array(scores), np.array(called)


def v1_scores(rows: list[Row], commit: str) -> tuple[np.ndarray, np.ndarray]:
    """The verifier at ``commit``, from that commit's own files, in a subprocess."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "v1.tar"
        subprocess.run(["git", "archive", "-o", str(archive), commit, "src/groundsum"], cwd=ROOT, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(scratch, filter="data")
        feed = "".join(json.dumps({"source": r.source, "summary": r.summary}) + "\n" for r in rows)
        done = subprocess.run(
            [sys.executable, "-c", V1_SCRIPT], input=feed, capture_output=True, text=True, check=True,
            env={"PYTHONPATH": str(Path(scratch) / "src"), "PATH": "/usr/bin:/bin"}, cwd=scratch,
        )
    out = [json.loads(line) for line in done.stdout.splitlines()]
    return np.array([o["score"] for o in out]), np.array([o["all_supported"] for o in out])


def report(rows: list[Row], v1_commit: str | None) -> dict:
    labels = np.array([r.label for r in rows])
    started = time.perf_counter()
    methods: dict[str, tuple[np.ndarray, np.ndarray | None]] = {"v2": v2_scores(rows)}
    print(f"v2 checked {len(rows)} summaries in {time.perf_counter() - started:.0f} s", flush=True)
    if v1_commit:
        methods["v1"] = v1_scores(rows, v1_commit)
    methods["bigram"] = (np.array([ngram_precision(r.source, r.summary, 2) for r in rows]), None)
    methods["unigram"] = (np.array([ngram_precision(r.source, r.summary, 1) for r in rows]), None)
    by_dataset: dict[str, dict] = {}
    for dataset in sorted({r.dataset for r in rows}):
        mask = np.array([r.dataset == dataset for r in rows])
        entry: dict = {"summaries": int(mask.sum()), "consistent": int(labels[mask].sum())}
        for name, (scores, called) in methods.items():
            entry[name] = {"auc": round(roc_auc(scores[mask], labels[mask]), 4)}
            if called is not None:
                entry[name] |= {
                    "balanced_accuracy": round(balanced_accuracy(called[mask], labels[mask]), 4),
                    "supported_precision": round(supported_precision(called[mask], labels[mask]), 4),
                    "called_supported": round(float(called[mask].mean()), 4),
                }
        by_dataset[dataset] = entry
    summedits = [k for k in by_dataset if k.startswith("summedits")]
    summary = {}
    for name in methods:
        aucs = [by_dataset[k][name]["auc"] for k in summedits]
        if aucs:
            summary[name] = {"summedits_mean_auc": round(float(np.mean(aucs)), 4), "summedits_min_auc": min(aucs)}
    return {"datasets": by_dataset, "summedits": summary}


def leave_one_dataset_out(test_rows: list[Row]) -> dict:
    """For each group: fit on the other groups' dev summaries and the synthetic claims, score its test split."""
    from training.train_verify import fit_model, summary_scores, synthetic_rows

    l2 = float(json.loads((ROOT / "src/groundsum/verify/model.json").read_text())["trained"]["l2"])
    dev_rows = load_rows(DEV_SPLITS)
    dev, test = bags(dev_rows, "dev"), bags(test_rows, "test")
    seed = int(json.loads((ROOT / "src/groundsum/verify/model.json").read_text())["trained"]["seed"])
    synthetic = bags(synthetic_rows(0, seed), f"synthetic-seed{seed}-papers0")
    out = {}
    for group in GROUPS:
        model = fit_model([b for b in dev if b.group != group] + synthetic, l2)  # AUC needs no thresholds
        held = [b for b in test if b.group == group]
        scores = summary_scores(model, held)
        labels = np.array([b.label for b in held])
        datasets = np.array([b.dataset for b in held])
        aucs = {d: round(roc_auc(scores[datasets == d], labels[datasets == d]), 4) for d in sorted(set(datasets))}
        out[group] = {"auc_by_dataset": aucs, "mean_auc": round(float(np.mean(list(aucs.values()))), 4)}
        print(f"leave out {group}: {out[group]}", flush=True)
    return out


V1_SIGNALS = (  # novel_words was v1's too; refitted on human labels it got no weight and was left out
    "cover_source", "window_misses", "length", "names_missing", "names_elsewhere", "numbers_missing",
    "numbers_elsewhere", "negation_flips", "antonym_flips", "role_swaps", "order_flips",
)
LADDER = (  # (step, the signals it keeps (None: all), fitted on human labels too, with hinges)
    ("v1's signals (with the new normalization and contradiction checks inside), fitted on synthetic claims only",
     V1_SIGNALS, False, False),
    ("the same signals, fitted on human-labelled dev summaries too (multiple-instance)", V1_SIGNALS, True, False),
    ("+ embedding similarity of the claim to its window (all signals)", None, True, False),
    ("+ graded signals also piecewise-linear (monotone hinges at deciles)", None, True, True),
)


def only(bag_list, keep: tuple[str, ...] | None):
    """Bags whose other signals are held constant: exactly a model without them (a constant column
    standardizes to zero and carries no weight)."""
    if keep is None:
        return list(bag_list)
    drop = [j for j, name in enumerate(FEATURES) if name not in keep]
    out = []
    for bag in bag_list:
        features = bag.features.copy()
        features[:, drop] = 0.0
        out.append(replace(bag, features=features))
    return out


def ladder() -> list[dict]:
    """What each step bought on the dev splits: mean AUC over FRANK CNN/DM, FRANK BBC and SummEdits,
    5-fold cross-validated over the human-labelled dev summaries (synthetic claims always train)."""
    from training.train_verify import FOLDS, fit_model, group_auc, synthetic_rows

    trained = json.loads((ROOT / "src/groundsum/verify/model.json").read_text())["trained"]
    l2, seed = float(trained["l2"]), int(trained["seed"])
    dev = bags(load_rows(DEV_SPLITS), "dev")
    synthetic = bags(synthetic_rows(0, seed), f"synthetic-seed{seed}-papers0")
    folds = np.random.default_rng(seed).integers(0, FOLDS, len(dev))
    steps = []
    for name, keep, human, hinged in LADDER:
        human_bags, synthetic_bags = only(dev, keep), only(synthetic, keep)
        if human:  # AUC needs no thresholds: the fitted weights are enough
            per_fold = [
                group_auc(
                    fit_model([b for b, f in zip(human_bags, folds) if f != k] + synthetic_bags, l2, hinged),
                    [b for b, f in zip(human_bags, folds) if f == k],
                )
                for k in range(FOLDS)
            ]
        else:
            per_fold = [group_auc(fit_model(synthetic_bags, l2, hinged), human_bags)]
        aucs = {g: round(float(np.mean([f[g] for f in per_fold])), 4) for g in per_fold[0]}
        steps.append({"step": name, "auc": aucs, "mean_auc": round(float(np.mean(list(aucs.values()))), 4)})
        print(f"{steps[-1]['mean_auc']:.3f} {aucs} {name}", flush=True)
    return steps


def print_table(result: dict) -> None:
    names = [n for n in ("v2", "v1", "bigram", "unigram") if n in next(iter(result["datasets"].values()))]
    print("| dataset | n | " + " | ".join(f"AUC {n}" for n in names) + " | BA v2 | prec. supported v2 (called) |")
    print("|---|---|" + "---|" * len(names) + "---|---|")
    for dataset, entry in result["datasets"].items():
        aucs = " | ".join(f"{entry[n]['auc']:.3f}" for n in names)
        v2 = entry["v2"]
        print(f"| {dataset} | {entry['summaries']} | {aucs} | {v2['balanced_accuracy']:.3f} | "
              f"{v2['supported_precision']:.3f} ({v2['called_supported']:.2f}) |")
    for name, figures in result["summedits"].items():
        print(f"SummEdits {name}: mean AUC {figures['summedits_mean_auc']:.3f}, min {figures['summedits_min_auc']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--v1", default=V1_COMMIT, help="commit of the v1 verifier ('' to skip it)")
    parser.add_argument("--lodo", action="store_true", help="also leave-one-dataset-out (test split)")
    parser.add_argument("--ladder", action="store_true", help="also what each step bought on the dev splits")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = load_rows(TEST_SPLITS if args.split == "test" else DEV_SPLITS)
    model = load_model()
    result = {
        "split": args.split,
        "thresholds": {"supported_at": model.supported_at, "unsupported_below": model.unsupported_below},
        **report(rows, args.v1 or None),
    }
    if args.ladder:
        result["ladder_dev"] = ladder()
    if args.lodo:
        result["leave_one_dataset_out"] = leave_one_dataset_out(load_rows(TEST_SPLITS))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print_table(result)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
