"""What was tried on the verify model's dev splits and left out, reproducibly: the rows of the ladder
that did not earn their place (docs/benchmarks.md, "Verify on public human-labelled sets").

Every variant is scored the way the ladder scores a step: 5-fold cross-validation over the
human-labelled dev summaries (FRANK valid, SummEdits evaluation; synthetic claims always in
training), mean of the three groups' AUCs; combiners are also scored leave-one-dataset-out on the
dev splits (fitted on the other two groups' dev summaries and the synthetic claims). Nothing here
reads a test split.

    .venv/bin/python bench/verify_tried.py          # ~1 min; writes bench/out/verify_tried.json
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from groundsum.pipeline import load  # noqa: E402
from groundsum.verify import SOFT_MIN_TEMPERATURE, exact_span, summary_score, summary_sentences  # noqa: E402
from groundsum.verify.combine import MODEL_PATH  # noqa: E402
from groundsum.verify.features import DIRECTIONS, FEATURES  # noqa: E402
from training.faithfulness import DEV_SPLITS, GROUPS, Bag, Row, bags, load_rows, words  # noqa: E402
from training.fit import HINGED, fit_bags  # noqa: E402
from training.metrics import roc_auc  # noqa: E402
from training.train_verify import FOLDS, cell_weights, fit_model, synthetic_rows  # noqa: E402

OUT = ROOT / "bench" / "out" / "verify_tried.json"
TRAINED = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["trained"]
L2, SEED = float(TRAINED["l2"]), int(TRAINED["seed"])  # the shipped model's (L2 chosen by its cross-validation)
Scorer = Callable[[np.ndarray], np.ndarray]
Fitter = Callable[[Sequence[Bag]], Scorer]
Aggregate = Callable[[Sequence[float]], float]


def fit_weights(
    training: Sequence[Bag], directions: Sequence[int], l2: float = L2, synthetic_weight: float = 1.0
) -> tuple[Scorer, np.ndarray]:
    """The multiple-instance logistic of train_verify over whatever columns the bags carry, and its weights."""
    usable = [b for b in training if len(b.features)]
    x = np.vstack([b.features for b in usable])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    weights = cell_weights(usable) * np.array([synthetic_weight if b.group == "synthetic" else 1.0 for b in usable])
    w, bias = fit_bags(usable, weights, np.array(directions, dtype=np.float64), l2, mean, scale)
    return (lambda rows: 1.0 / (1.0 + np.exp(-np.clip(((rows - mean) / scale) @ w + bias, -40, 40)))), w


def logistic(directions: Sequence[int], **options) -> Fitter:
    return lambda training: fit_weights(training, directions, **options)[0]


def shipped(training: Sequence[Bag]) -> Scorer:
    """The shipped model's fit (train_verify)."""
    return fit_model(training, L2).probability


def hinged(training: Sequence[Bag]) -> Scorer:
    return fit_model(training, L2, hinged=True).probability


def summary_scores(model: Scorer, bag_list: Sequence[Bag], aggregate: Aggregate = summary_score) -> np.ndarray:
    return np.array([aggregate([*model(b.features).tolist(), *[1.0] * b.quotes]) for b in bag_list])


def group_aucs(scores: np.ndarray, bag_list: Sequence[Bag]) -> dict[str, float]:
    labels, groups = np.array([b.label for b in bag_list]), np.array([b.group for b in bag_list])
    return {g: roc_auc(scores[groups == g], labels[groups == g]) for g in GROUPS}


def folds_of(human: Sequence[Bag], synthetic: Sequence[Bag], fitter: Fitter) -> list[tuple[Scorer, np.ndarray]]:
    """The ladder's folds: each fold model, fitted without its fold of the human-labelled summaries."""
    folds = np.random.default_rng(SEED).integers(0, FOLDS, len(human))
    return [
        (fitter([b for b, f in zip(human, folds) if f != k] + list(synthetic)), np.flatnonzero(folds == k))
        for k in range(FOLDS)
    ]


def out_of_fold(human: Sequence[Bag], synthetic: Sequence[Bag], fitter: Fitter) -> np.ndarray:
    """Each dev summary's score from the fold model that did not see it."""
    scores = np.zeros(len(human))
    for model, held in folds_of(human, synthetic, fitter):
        scores[held] = summary_scores(model, [human[i] for i in held])
    return scores


def cross_validated(
    human: Sequence[Bag], synthetic: Sequence[Bag], fitter: Fitter, aggregate: Aggregate = summary_score
) -> dict:
    """The ladder's figure: per-fold group AUCs, averaged over folds, then over groups."""
    per_fold = []
    for model, held in folds_of(human, synthetic, fitter):
        fold = [human[i] for i in held]
        per_fold.append(group_aucs(summary_scores(model, fold, aggregate), fold))
    aucs = {g: round(float(np.mean([f[g] for f in per_fold])), 4) for g in GROUPS}
    return {"auc": aucs, "mean": round(float(np.mean(list(aucs.values()))), 4)}


def left_out(human: Sequence[Bag], synthetic: Sequence[Bag], fitter: Fitter) -> dict:
    """Leave one dataset out, on the dev splits: fitted on the other groups, scored on this one."""
    aucs = {}
    for group in GROUPS:
        model = fitter([b for b in human if b.group != group] + list(synthetic))
        held = [b for b in human if b.group == group]
        aucs[group] = round(group_aucs(summary_scores(model, held), held)[group], 4)
    return {"auc": aucs, "mean": round(float(np.mean(list(aucs.values()))), 4)}


def with_columns(bag_list: Sequence[Bag], columns: Sequence[np.ndarray]) -> list[Bag]:
    return [replace(b, features=np.hstack([b.features, c])) for b, c in zip(bag_list, columns)]


# --- variants ----------------------------------------------------------------------------


def overlap_columns(rows: Sequence[Row]) -> list[np.ndarray]:
    """Per scored sentence: its bigram and unigram precision against the whole source, and
    log(1 + splices), the joins between copied runs of three or more source words."""
    out, doc, source_words = [], None, None
    for row in rows:
        if doc is None or doc.text != row.source:
            doc, source_words = load(row.source), words(row.source)
            bigrams, vocabulary = set(itertools.pairwise(source_words)), set(source_words)
            starts: dict[str, list[int]] = {}
            for i, w in enumerate(source_words):
                starts.setdefault(w, []).append(i)
        columns = []
        for text in summary_sentences(row.summary):
            if exact_span(doc, text) is not None:
                continue
            tokens = words(text)
            pairs = list(itertools.pairwise(tokens))
            runs, i = [], 0
            while i < len(tokens):  # greedy: the longest source run starting at each point
                longest = max((_run(source_words, p, tokens, i) for p in starts.get(tokens[i], ())), default=0)
                runs.append(longest)
                i += max(1, longest)
            columns.append([
                sum(p in bigrams for p in pairs) / len(pairs) if pairs else 1.0,
                sum(t in vocabulary for t in tokens) / len(tokens) if tokens else 1.0,
                math.log1p(max(0, sum(r >= 3 for r in runs) - 1)),
            ])
        out.append(np.array(columns, dtype=np.float64).reshape(-1, 3))
    return out


def _run(source: Sequence[str], at: int, tokens: Sequence[str], start: int) -> int:
    """How many words of ``tokens`` from ``start`` the source repeats from ``at``."""
    n = 0
    while start + n < len(tokens) and at + n < len(source) and source[at + n] == tokens[start + n]:
        n += 1
    return n


def product_columns(
    bag_list: Sequence[Bag], pairs: Sequence[tuple[int, int]], mean: np.ndarray, scale: np.ndarray
) -> list[np.ndarray]:
    out = []
    for b in bag_list:
        z = (b.features - mean) / scale
        out.append(np.stack([z[:, i] * z[:, j] for i, j in pairs], axis=1))
    return out


def soft_minimum(temperature: float) -> Aggregate:
    def aggregate(scores: Sequence[float]) -> float:
        s = np.asarray(scores, dtype=np.float64)
        low = float(s.min())
        return low - temperature * math.log(float(np.mean(np.exp(-(s - low) / temperature))))

    return aggregate


def main() -> None:
    human_rows = load_rows(DEV_SPLITS)
    human = bags(human_rows, "dev")
    synthetic_list = synthetic_rows(0, SEED)
    synthetic = bags(synthetic_list, f"synthetic-seed{SEED}-papers0")
    directions = [DIRECTIONS[name] for name in FEATURES]
    result: dict[str, dict] = {}

    def record(name: str, figures: dict) -> None:
        result[name] = figures
        print(f"{name}: {json.dumps(figures)}", flush=True)

    for name, fitter in (("shipped (ladder step 3)", shipped), ("+ hinges (ladder step 4)", hinged)):
        record(name, {"cv": cross_validated(human, synthetic, fitter), "lodo": left_out(human, synthetic, fitter)})

    human_overlap, synthetic_overlap = overlap_columns(human_rows), overlap_columns(synthetic_list)
    for name, column, direction in (("bigram precision", 0, 1), ("unigram precision", 1, 1), ("splices", 2, -1)):
        h = with_columns(human, [c[:, [column]] for c in human_overlap])
        s = with_columns(synthetic, [c[:, [column]] for c in synthetic_overlap])
        record(f"logistic + {name} of the sentence (declared {direction:+d})", {
            "cv": cross_validated(h, s, logistic([*directions, direction])),
            "weight": round(float(fit_weights(h + s, [*directions, direction])[1][-1]), 3),
            "weight_if_sign_free": round(float(fit_weights(h + s, [*directions, 0])[1][-1]), 3),
        })

    labels = np.array([b.label for b in human])
    groups = np.array([b.group for b in human])
    held_out = np.clip(out_of_fold(human, synthetic, shipped), 1e-6, 1 - 1e-6)
    logit = np.log(held_out / (1 - held_out))
    unblended = {g: round(roc_auc(held_out[groups == g], labels[groups == g]), 4) for g in GROUPS}
    bigram = np.array([float(np.mean(c[:, 0])) if len(c) else 1.0 for c in human_overlap])
    for a in (0.5, 1.0, 2.0):
        blended = logit + a * bigram
        aucs = {g: round(roc_auc(blended[groups == g], labels[groups == g]), 4) for g in GROUPS}
        record(
            f"shipped summary score blended with its sentences' bigram precision (x{a})",
            {"oof_auc": aucs, "oof_auc_unblended": unblended},
        )

    for temperature in (0.02, 0.05, SOFT_MIN_TEMPERATURE, 0.2, 0.5):
        figures = cross_validated(human, synthetic, shipped, soft_minimum(temperature))
        record(f"shipped, soft minimum over sentences at tau {temperature}", {"cv": figures})
    for weight in (0.0, 0.5, 2.0):
        figures = cross_validated(human, synthetic, logistic(directions, synthetic_weight=weight))
        record(f"logistic, synthetic claims weighted x{weight}", {"cv": figures})

    rows = np.vstack([b.features for b in list(human) + list(synthetic) if len(b.features)])
    mean, scale = rows.mean(axis=0), rows.std(axis=0) + 1e-9
    interacting = [FEATURES.index(n) for n in (*HINGED, "names_elsewhere", "names_missing", "numbers_missing")]
    pairs = list(itertools.combinations(interacting, 2)) + [(j, j) for j in interacting]
    h = with_columns(human, product_columns(human, pairs, mean, scale))
    s = with_columns(synthetic, product_columns(synthetic, pairs, mean, scale))
    free = logistic(directions + [0] * len(pairs))
    record(f"logistic + pairwise interactions and squares ({len(pairs)} terms, free sign)", {
        "cv": cross_validated(h, s, free), "lodo": left_out(h, s, free),
    })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
