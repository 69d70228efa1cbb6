"""ROUGE of groundsum's extractive summaries next to peers, on the aclsum long-document set.

Every system gets the same papers and the same word budget (the abstract's length), in the
same run:

- ``groundsum``: ``groundsum.summarize(markdown, words=budget)``, the sentences it returns.
- ``lead``: the document's first sentences.
- ``textrank``: summa's TextRank, ``summa.summarizer.summarize(text, words=budget)``.
- ``lexrank``: sumy's LexRank (Porter stemmer, English stop words).

Peers get the body as plain paragraphs without the heading lines (which they would otherwise
take for sentences). Lead and LexRank stop by summa's rule, the one groundsum also follows:
take sentences in rank order until the next one would land farther from the budget than
stopping. Scores are ROUGE-1/2/Lsum F1 (rouge-score, Porter stemming; for Lsum, sentences
one per line). The weights of groundsum's extractive engine were tuned on papers 0-99 only,
so the table splits the scores into that tuning part and the held-out rest.

    python bench/rouge_bench.py                # all 250 papers
    python bench/rouge_bench.py --limit 20     # a quick look
    python bench/rouge_bench.py --jobs 2 --json results.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from multiprocessing import Pool
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

import groundsum
from groundsum.segment.sentences import split_sentences
from training.papers import MARKDOWN, TUNED_ON, Paper, papers, sentences_of

SYSTEMS = ("groundsum", "lead", "textrank", "lexrank")
METRICS = ("rouge1", "rouge2", "rougeLsum")
T = TypeVar("T")


def plain_text(markdown: str) -> str:
    """The paragraphs without heading lines: what the peers summarize."""
    return "\n\n".join(block for block in markdown.split("\n\n") if not block.startswith("#"))


def closest_to_budget(ranked: Sequence[T], budget: int, text: Callable[[T], str] = str) -> list[T]:
    """summa's rule: take sentences in rank order while that gets nearer the budget."""
    taken: list[T] = []
    used = 0
    for sentence in ranked:
        words = len(text(sentence).split())
        if abs(budget - used - words) > abs(budget - used):
            break
        taken.append(sentence)
        used += words
    return taken


class SentenceTokenizer:
    """sumy's tokenizer interface (``to_sentences``, ``to_words``) without NLTK data."""

    _word = re.compile(r"\w+(?:[-']\w+)*")

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph[start:end] for start, end in split_sentences(paragraph)]

    def to_words(self, sentence: str) -> list[str]:
        return self._word.findall(sentence)


def groundsum_summary(paper: Paper, embedder: str) -> list[str]:
    summary = groundsum.summarize(paper.markdown, words=paper.budget, format=MARKDOWN, embedder=embedder)
    return [sentence.text for sentence in summary.sentences]


def lead_summary(paper: Paper) -> list[str]:
    return closest_to_budget(sentences_of(plain_text(paper.markdown)), paper.budget)


def textrank_summary(paper: Paper) -> list[str]:
    import summa.summarizer

    return summa.summarizer.summarize(plain_text(paper.markdown), words=paper.budget, split=True)


def lexrank_summary(paper: Paper) -> list[str]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    document = PlaintextParser(plain_text(paper.markdown), SentenceTokenizer()).document
    # Given a callable count, sumy passes it the sentences ranked best first; it returns those to keep.
    picked = summarizer(document, lambda ranked: closest_to_budget(ranked, paper.budget, lambda r: str(r.sentence)))
    return [str(sentence) for sentence in picked]


def score_paper(job: tuple[Paper, str, Sequence[str]]) -> dict[str, list[float]]:
    from rouge_score import rouge_scorer

    paper, embedder, systems = job
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    makers: dict[str, Callable[[Paper], list[str]]] = {
        "groundsum": lambda p: groundsum_summary(p, embedder),
        "lead": lead_summary,
        "textrank": textrank_summary,
        "lexrank": lexrank_summary,
    }
    row = {}
    for system in systems:
        summary = makers[system](paper)
        scores = scorer.score(paper.reference, "\n".join(summary))
        length = sum(len(sentence.split()) for sentence in summary) / paper.budget
        row[system] = [100 * scores[metric].fmeasure for metric in METRICS] + [length]
    return row


def table(rows: list[dict[str, list[float]]], systems: Sequence[str], label: str) -> str:
    lines = [f"| {label} ({len(rows)} papers) | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | length / budget |", "|---" * 5 + "|"]
    for system in systems:
        values = np.array([row[system] for row in rows])
        r1, r2, rl, length = values.mean(axis=0)
        lines.append(f"| {system} | {r1:.1f} | {r2:.1f} | {rl:.1f} | {length:.2f} |")
    return "\n".join(lines)


def plot(rows: list[dict[str, list[float]]], systems: Sequence[str], path: Path) -> None:
    """Grouped bars: each system's mean ROUGE-1/2/Lsum over all papers and the held-out ones."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    parts = [("all papers", rows)] + ([("held out (100-)", rows[TUNED_ON:])] if len(rows) > TUNED_ON else [])
    figure, axes = plt.subplots(1, len(parts), figsize=(5.5 * len(parts), 3.8), squeeze=False)
    for axis, (label, part) in zip(axes[0], parts):
        means = np.array([np.mean([row[system] for row in part], axis=0)[:3] for system in systems])
        for k, metric in enumerate(("ROUGE-1", "ROUGE-2", "ROUGE-Lsum")):
            bars = axis.bar(np.arange(len(systems)) + (k - 1) * 0.27, means[:, k], 0.27, label=metric)
            axis.bar_label(bars, fmt="%.1f", fontsize=7)
        axis.set_xticks(np.arange(len(systems)), systems)
        axis.set(title=f"{label}: {len(part)} papers", ylabel="F1")
        axis.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N papers")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--embedder", default="wordllama", help="groundsum's embedder: wordllama | minilm | path")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of " + ", ".join(SYSTEMS))
    parser.add_argument("--json", type=Path, default=None, help="write per-paper scores here")
    parser.add_argument("--plot", type=Path, default=None, help="write a bar chart (PNG) here")
    args = parser.parse_args()
    systems = [name for name in args.systems.split(",") if name]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    chosen = papers(args.limit)
    jobs = [(paper, args.embedder, systems) for paper in chosen]
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            rows = pool.map(score_paper, jobs, chunksize=4)
    else:
        rows = [score_paper(job) for job in jobs]
    print(table(rows, systems, "all"))
    if len(rows) > TUNED_ON:
        print()
        print(table(rows[:TUNED_ON], systems, f"papers 0-{TUNED_ON - 1}, tuning"))
        print()
        print(table(rows[TUNED_ON:], systems, f"papers {TUNED_ON}-{len(rows) - 1}, held out"))
    if args.plot:
        plot(rows, systems, args.plot)
    if args.json:
        per_paper = [{"paper": paper.paper_id, **row} for paper, row in zip(chosen, rows)]
        args.json.write_text(json.dumps({"metrics": [*METRICS, "length_ratio"], "papers": per_paper}, indent=1))


if __name__ == "__main__":
    main()
