"""Tune the extractive engine's weights: ``python -m training.tune_extractive`` (deterministic;
writes src/groundsum/summarize/engines/extractive.json).

Data: aclsum papers 0-99 only (``training/papers.py``); papers 100-249 are held out, scored here
but never tuned on. Objective: the mean of ROUGE-1 and ROUGE-2 F1 (rouge-score, Porter stemming)
of the whole-document summary at the abstract's word count against the abstract. Coordinate
ascent: each weight in turn (and the redundancy) is moved up and down by ``--step`` of its size,
and a move is kept when it gains more than 0.03 points. Documents are read, segmented and
embedded once; each trial only re-weights and re-selects, so a sweep takes minutes.

    python -m training.tune_extractive                # start from the shipped weights, 2 sweeps
    python -m training.tune_extractive --sweeps 0     # only re-score the shipped weights
    python -m training.tune_extractive --sweeps 3 --step 0.3 --start previous.json --out /tmp/tuned.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import groundsum
from groundsum.model import Document, Unit
from groundsum.summarize import make_budget, plan_units
from groundsum.summarize.engines.extractive import TUNE_COMMAND, TUNED_PATH, SentenceTable, make_extractive

from .papers import MARKDOWN, TUNED_ON, Paper, papers

GAIN = 0.03  # ROUGE points a move must add to be kept
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Prepared:
    """A paper read, segmented and embedded once: its one unit, its sentence table, its reference."""

    doc: Document
    unit: Unit
    table: SentenceTable
    reference: str


def prepare(chosen: tuple[Paper, ...]) -> list[Prepared]:
    prepared = []
    for paper in chosen:
        doc = groundsum.load(paper.markdown, format=MARKDOWN)
        (unit,) = plan_units(doc, "document", make_budget("document", paper.budget))
        table = SentenceTable.build(doc, sorted(unit.sentences), "wordllama")
        prepared.append(Prepared(doc, unit, table, paper.reference))
    return prepared


def evaluate(prepared: list[Prepared], params: dict) -> tuple[float, float]:
    """Mean ROUGE-1 and ROUGE-2 F1, in points, of the summaries ``params`` choose."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    engine = make_extractive(**params)
    r1 = r2 = 0.0
    for paper in prepared:
        rows = engine.choose(paper.table, paper.table.prior(engine.weights), paper.unit, hierarchical=True)
        summary = "\n".join(paper.doc.cite(paper.doc.sentences[int(paper.table.indices[row])].span) for row in rows)
        scores = scorer.score(paper.reference, summary)
        r1 += scores["rouge1"].fmeasure
        r2 += scores["rouge2"].fmeasure
    return 100 * r1 / len(prepared), 100 * r2 / len(prepared)


def trials(value: float, step: float) -> list[float]:
    move = abs(value) * step if value else 0.25
    return [value - move, value + move, value - 2 * move, value + 2 * move] + ([0.0] if value else [])


def ascend(prepared: list[Prepared], params: dict, sweeps: int, step: float) -> tuple[dict, list[str]]:
    """Coordinate ascent from ``params``: the best parameters found, and the moves kept."""
    best = evaluate(prepared, params)
    print(f"start: R1 {best[0]:.2f} R2 {best[1]:.2f}", file=sys.stderr)
    moves: list[str] = []
    for sweep in range(sweeps):
        improved = False
        for name in ["redundancy", *params["weights"]]:
            current = params["redundancy"] if name == "redundancy" else params["weights"][name]
            for value in trials(current, step):
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
                    moves.append(
                        f"sweep {sweep}: {name} {current:.4g} -> {value:.4g} (R1 {scores[0]:.2f} R2 {scores[1]:.2f})"
                    )
                    print(f"  {moves[-1]}", file=sys.stderr)
        print(f"sweep {sweep}: R1 {best[0]:.2f} R2 {best[1]:.2f}", file=sys.stderr)
        if not improved:
            break
    return params, moves


def shown(path: Path) -> str:
    return str(path.resolve().relative_to(ROOT)) if path.resolve().is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=TUNE_COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweeps", type=int, default=2)
    parser.add_argument("--step", type=float, default=0.5, help="relative size of a move")
    parser.add_argument("--start", type=Path, default=TUNED_PATH, help="JSON with weights/redundancy to start from")
    parser.add_argument("--out", type=Path, default=TUNED_PATH)
    args = parser.parse_args(argv)
    started = time.time()
    start = json.loads(args.start.read_text(encoding="utf-8"))
    params = {"weights": start["weights"], "redundancy": start["redundancy"]}
    all_papers = papers()
    tuning, held_out = prepare(all_papers[:TUNED_ON]), prepare(all_papers[TUNED_ON:])
    params, moves = ascend(tuning, params, args.sweeps, args.step)
    scores = {
        part: dict(zip(("rouge1_f", "rouge2_f"), (round(score, 2) for score in evaluate(prepared, params))))
        for part, prepared in (("tuning", tuning), ("held_out", held_out))
    }
    given = {"sweeps": args.sweeps, "step": args.step}
    options = [f"--{name} {value}" for name, value in given.items() if value != parser.get_default(name)]
    options += [f"--start {shown(args.start)}"] if args.start != TUNED_PATH else []
    provenance = {
        "command": " ".join([TUNE_COMMAND, *options]),
        "data": f"aclsum papers 0-{TUNED_ON - 1} (training/papers.py: body as Markdown, abstract as reference, "
        "its word count as budget)",
        "held_out": f"aclsum papers {TUNED_ON}-{len(all_papers) - 1}: scored, never tuned on",
        "objective": f"mean of ROUGE-1 and ROUGE-2 F1 (rouge-score, Porter stemming); coordinate ascent, moves of "
        f"{args.step} x |value| kept when they gain more than {GAIN} points",
        "scores": scores,
        "moves": moves,
        "started_from": {"file": shown(args.start), "tuned": start.get("tuned")},
    }
    tuned = {**params, "tuned": provenance}
    args.out.write_text(json.dumps(tuned, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({time.time() - started:.0f}s): {scores}", file=sys.stderr)


if __name__ == "__main__":
    main()
