"""Fit the paper-role models of ``groundsum.summarize.roles``: ``python -m training.roles``
(deterministic; writes src/groundsum/summarize/roles.json).

Data: aclsum's train and val papers (150); the test split is never read. A body sentence plays a
role when aclsum's annotators highlighted it for that aspect (``training/aspects.py``). One
logistic regression per role (scikit-learn, balanced class weights) over ``roles.features``.

Choice: 5-fold cross-validation over the papers. For each regularization ``C`` and each way of
ranking with the role scores (``cut``, ``weight``; ``context`` is held at 0.25, the best of
0 / 0.25 / 0.5 / 1 / 2 in a first run), the held-out papers are summarized through
``groundsum.summarize`` with each aspect's question as the focus, at the reference's length, and
scored by ROUGE-2 F1 against the reference. The best mean over the three aspects wins; the models
are then fitted on all 150 papers with its ``C``.

    python -m training.roles                      # the grid, then the final fit; writes roles.json
    python -m training.roles --out /tmp/roles.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
from dataclasses import dataclass

import numpy as np
from rouge_score import rouge_scorer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

import groundsum
from groundsum.embed import get_embedder
from groundsum.summarize import roles

from .aspects import ASPECTS, QUESTIONS, Item, load_items
from .papers import MARKDOWN

SPLITS = ("train", "val")
FOLDS = 5
GRID = {"C": (0.3, 1.0, 3.0), "cut": (0.0, -1.0, -2.0), "weight": (1.0, 3.0, 10.0), "context": (0.25,)}
assert ASPECTS == roles.ROLES  # a role is fitted on the aspect of the same name


@dataclass(frozen=True)
class Prepared:
    """A paper with its sentences' role features and, per role, which sentences were highlighted."""

    item: Item
    features: np.ndarray
    labels: dict[str, np.ndarray]


def prepare(items: list[Item]) -> list[Prepared]:
    embedder = get_embedder("wordllama")
    prepared = []
    for item in items:
        doc = groundsum.load(item.body, format=MARKDOWN)
        texts = [doc.text[s.start : s.end] for s in doc.sentences]
        indices = list(range(len(texts)))
        features = roles.features(doc, indices, embedder.encode(texts))
        labels = {role: np.array([item.highlighted_for(text, role) for text in texts]) for role in roles.ROLES}
        prepared.append(Prepared(item, features, labels))
    return prepared


def fit(prepared: list[Prepared], c: float, ranking: dict[str, float]) -> roles.RoleModel:
    features = np.vstack([paper.features for paper in prepared])
    coefficients, intercepts = {}, {}
    for role in roles.ROLES:
        labels = np.concatenate([paper.labels[role] for paper in prepared])
        model = LogisticRegression(C=c, max_iter=4000, class_weight="balanced").fit(features, labels)
        coefficients[role], intercepts[role] = model.coef_[0].astype(np.float64), float(model.intercept_[0])
    return roles.RoleModel(coefficients, intercepts, **ranking)


def focused_rouge2(prepared: list[Prepared], model: roles.RoleModel) -> dict[str, list[float]]:
    """ROUGE-2 F1 (points) of each paper's focused summary per aspect, with ``model`` as the role models."""
    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    shipped = roles.fitted
    roles.fitted = lambda: model  # what focus.relevance reads; restored below
    try:
        found: dict[str, list[float]] = {aspect: [] for aspect in ASPECTS}
        for paper in prepared:
            for aspect in ASPECTS:
                reference = paper.item.references[aspect]
                summary = groundsum.summarize(
                    paper.item.body, words=len(reference.split()), format=MARKDOWN, focus=QUESTIONS[aspect]
                )
                text = " ".join(s.text for s in summary.sentences)
                found[aspect].append(100 * scorer.score(reference, text)["rouge2"].fmeasure)
        return found
    finally:
        roles.fitted = shipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(roles.FITTED_PATH))
    args = parser.parse_args()
    prepared = prepare(load_items(SPLITS))
    folds = list(KFold(FOLDS, shuffle=True, random_state=0).split(prepared))
    names = ("cut", "weight", "context")
    rankings = [dict(zip(names, values)) for values in itertools.product(*(GRID[name] for name in names))]
    results = []
    for c in GRID["C"]:
        scores: list[dict[str, list[float]]] = [{aspect: [] for aspect in ASPECTS} for _ in rankings]
        for fitted_on, held_out in folds:
            fold_model = fit([prepared[i] for i in fitted_on], c, rankings[0])
            for ranking, score in zip(rankings, scores):
                model = roles.RoleModel(fold_model.coefficients, fold_model.intercepts, **ranking)
                for aspect, values in focused_rouge2([prepared[i] for i in held_out], model).items():
                    score[aspect].extend(values)
        for ranking, score in zip(rankings, scores):
            per_aspect = {aspect: round(statistics.fmean(values), 2) for aspect, values in score.items()}
            row = {"C": c, **ranking, **per_aspect, "r2": round(statistics.fmean(per_aspect.values()), 2)}
            print(json.dumps(row), flush=True)
            results.append(row)
    best = max(results, key=lambda row: row["r2"])
    print("best:", json.dumps(best))
    ranking = {name: best[name] for name in ("cut", "context", "weight")}
    model = fit(prepared, best["C"], ranking)
    shipped = {
        "roles": {
            role: {"coefficients": model.coefficients[role].round(6).tolist(), "intercept": model.intercepts[role]}
            for role in roles.ROLES
        },
        "ranking": ranking,
        "fitted": {
            "command": roles.FIT_COMMAND,
            "data": f"aclsum {' + '.join(SPLITS)}, {len(prepared)} papers (test never read); labels: the "
            "sentences its annotators highlighted for each aspect",
            "C": best["C"],
            "objective": f"{FOLDS}-fold cross-validated mean ROUGE-2 F1 of the focused summaries of the held-out "
            "papers for the three aspect questions",
            "questions": QUESTIONS,
            "grid": {name: list(values) for name, values in GRID.items()},
            "results": results,
        },
    }
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(json.dumps(shipped, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
