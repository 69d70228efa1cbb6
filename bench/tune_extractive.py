"""Tune the extractive engine's weights on aclsum papers 0-99 only (papers 100-249 stay held out).

Coordinate ascent on the mean of ROUGE-1 and ROUGE-2 F1 (rouge-score, Porter stemming): each
weight in turn is moved up and down by ``--step`` of its size, and a move is kept when it gains
more than 0.03 points. Documents are read, segmented and embedded once; each trial only
re-weights and re-selects, so a sweep takes minutes. The result is printed as JSON, in the
shape ``make_extractive`` takes (``weights``, ``redundancy``); the engine's defaults are a
rounded copy of such a run.

    python bench/tune_extractive.py
    python bench/tune_extractive.py --sweeps 3 --step 0.3 --start previous.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aclsum_docs import papers  # noqa: E402
from rouge_bench import MARKDOWN, TUNED_ON, sentences_of  # noqa: E402

import groundsum  # noqa: E402
from groundsum.summarize import make_budget, plan_units  # noqa: E402
from groundsum.summarize.engines.extractive import (  # noqa: E402
    REDUNDANCY,
    SENTENCE_WEIGHTS,
    UNIT_WEIGHTS,
    SentenceTable,
    make_extractive,
)

GAIN = 0.03  # ROUGE points a move must add to be kept


def prepare(limit: int) -> list[tuple]:
    """Per paper: the document, its one unit, its sentence table and the reference."""
    prepared = []
    for paper in papers(limit):
        doc = groundsum.load(paper.markdown, format=MARKDOWN)
        (unit,) = plan_units(doc, "document", make_budget("document", paper.budget))
        table = SentenceTable.build(doc, sorted(unit.sentences), "wordllama")
        prepared.append((doc, unit, table, "\n".join(sentences_of(paper.abstract))))
    return prepared


def evaluate(prepared: list[tuple], params: dict) -> tuple[float, float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    engine = make_extractive(**params)
    r1 = r2 = 0.0
    for doc, unit, table, reference in prepared:
        rows = engine.choose(table, table.prior(engine.weights), unit, hierarchical=True)
        summary = "\n".join(doc.cite(doc.sentences[int(table.indices[row])].span) for row in rows)
        scores = scorer.score(reference, summary)
        r1 += scores["rouge1"].fmeasure
        r2 += scores["rouge2"].fmeasure
    return 100 * r1 / len(prepared), 100 * r2 / len(prepared)


def trials(value: float, step: float) -> list[float]:
    move = abs(value) * step if value else 0.25
    return [value - move, value + move, value - 2 * move, value + 2 * move] + ([0.0] if value else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweeps", type=int, default=2)
    parser.add_argument("--step", type=float, default=0.5, help="relative size of a move")
    parser.add_argument("--start", type=Path, default=None, help="JSON with weights/redundancy to start from")
    args = parser.parse_args()
    params = {"weights": {**UNIT_WEIGHTS, **SENTENCE_WEIGHTS}, "redundancy": REDUNDANCY}
    if args.start:
        params |= json.loads(args.start.read_text())
    prepared = prepare(TUNED_ON)
    best = evaluate(prepared, params)
    print(f"start: R1 {best[0]:.2f} R2 {best[1]:.2f}", file=sys.stderr)
    for sweep in range(args.sweeps):
        improved = False
        for name in ["redundancy", *params["weights"]]:
            current = params["redundancy"] if name == "redundancy" else params["weights"][name]
            for value in trials(current, args.step):
                if name == "redundancy" and value < 0:
                    continue
                trial = {**params, "weights": dict(params["weights"])}
                if name == "redundancy":
                    trial["redundancy"] = value
                else:
                    trial["weights"][name] = round(value, 4)
                scores = evaluate(prepared, trial)
                if sum(scores) > sum(best) + 2 * GAIN:
                    best, params, improved = scores, trial, True
                    print(f"  {name} = {value:.4g}: R1 {scores[0]:.2f} R2 {scores[1]:.2f}", file=sys.stderr)
        print(f"sweep {sweep}: R1 {best[0]:.2f} R2 {best[1]:.2f}", file=sys.stderr)
        if not improved:
            break
    print(json.dumps(params, indent=1))


if __name__ == "__main__":
    main()
