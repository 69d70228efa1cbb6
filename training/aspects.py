"""aclsum's aspect summaries: per paper, a reference summary of its challenge, approach and outcome,
and the sentences its annotators highlighted for each. What ``--focus`` is measured on
(``bench/focus_bench.py``) and what the paper-role models learn from (``training.roles``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .papers import load_paper

ASPECTS = ("challenge", "approach", "outcome")
QUESTIONS = {  # one fixed question per aspect, the same for every paper; worded on train+val (docs/benchmarks.md)
    "challenge": "previous work fails to address the problem",
    "approach": "in this paper we propose introduce present a novel method model approach",
    "outcome": "results show our method significantly improves outperforms state-of-the-art",
}
MATCH = 0.7  # word Jaccard at which a body sentence is taken for an annotated one
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Item:
    """One aclsum paper: its body, its three references, and the sentences highlighted per aspect."""

    paper_id: str
    body: str
    references: dict[str, str]
    highlighted: dict[str, list[frozenset[str]]]  # aspect → word sets of the highlighted sentences
    sentences: list[frozenset[str]]  # word sets of every annotated sentence

    def highlighted_for(self, sentence: str, aspect: str) -> bool:
        """Whether a body sentence is one the annotators highlighted for the aspect: its words match
        (Jaccard ≥ ``MATCH``) an annotated sentence's, and that sentence is highlighted."""
        found = words_of(sentence)
        best = max(self.sentences, key=lambda other: jaccard(found, other), default=frozenset())
        return jaccard(found, best) >= MATCH and any(jaccard(best, h) == 1.0 for h in self.highlighted[aspect])


def words_of(text: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(text.lower()))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def load_items(splits: Iterable[str], limit: int | None = None) -> list[Item]:
    """The papers of aclsum's ``splits`` (train, val, test), the first ``limit`` of each."""
    import aclsum
    from aclsum import ACLSum

    folder = Path(aclsum.__file__).parent / "dataset" / "paper_jsons"
    items = []
    for split in splits:
        for document in ACLSum(split).documents[:limit]:
            paper = load_paper(folder / f"{document.id}.json")
            highlighted = {
                aspect: [words_of(s) for s in document.get_all_highlighted_sentences(aspect)] for aspect in ASPECTS
            }
            words = [words_of(s) for s in document.get_all_sentences()]
            items.append(Item(document.id, paper.markdown, dict(document.summaries), highlighted, words))
    return items
