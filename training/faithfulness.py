"""The human-labelled faithfulness sets, their features, and the scores the verify model is judged by.

The sets (FRANK, SummEdits) live in ``shared/data/faithfulness/``, one summary a row with a
summary-level label: 1 when annotators found no factual error. Training fits on their dev
splits (FRANK ``valid``, SummEdits ``evaluation``); the benchmark reports on ``test``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from groundsum.pipeline import load
from groundsum.verify import exact_span, summary_sentences
from groundsum.verify.align import source_index
from groundsum.verify.features import FEATURES, analyze

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("GROUNDSUM_FAITHFULNESS_DATA", ROOT.parent / "shared" / "data" / "faithfulness"))
CACHE = Path(__file__).resolve().parent / "cache"
DEV_SPLITS = ("valid", "evaluation")
TEST_SPLITS = ("test",)
# The groups of the leave-one-dataset-out report: each is a kind of summary a user may bring.
GROUPS = ("frank-cnndm", "frank-bbc", "summedits")


@dataclass(frozen=True)
class Row:
    id: str
    dataset: str  # cnndm, bbc, summedits-<domain>
    split: str
    source: str
    summary: str
    label: int  # 1: consistent

    @property
    def group(self) -> str:
        if self.dataset.startswith("summedits"):
            return "summedits"
        return self.dataset if self.dataset == "synthetic" else f"frank-{self.dataset}"


def data_files() -> list[Path]:
    files = sorted(DATA.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no faithfulness sets in {DATA} (set GROUNDSUM_FAITHFULNESS_DATA)")
    return files


def load_rows(splits: Sequence[str]) -> list[Row]:
    rows = []
    for path in data_files():
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            if record["split"] in splits:
                fields = {k: record[k] for k in ("id", "dataset", "split", "source", "summary", "label")}
                rows.append(Row(**fields))
    return rows


def data_digest() -> str:
    """What the data was: a hash over the files, for the model's provenance."""
    digest = hashlib.sha256()
    for path in data_files():
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


# --- features ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bag:
    """One summary as the model sees it: a feature row per sentence that is not a word-for-word quote
    (quotes are supported outright), and the summary's label."""

    features: np.ndarray  # (sentences to score, len(FEATURES))
    quotes: int  # sentences the source states word for word: supported outright, score 1.0
    label: int
    group: str
    dataset: str


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The code that features depend on, as this process imported it: a change invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "groundsum").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _indexed(source: str):
    """Rows that share a source (synthetic claims about one paper) come together: index it once."""
    doc = load(source)
    return doc, source_index(doc)


def summary_features(source: str, claims: Sequence[str]) -> tuple[np.ndarray, int]:
    """Feature rows of the claims that ``check`` would score, and how many it takes as quotes."""
    doc, index = _indexed(source)
    claims = [text for text in claims if text.strip()]
    pending = [text for text in claims if exact_span(doc, text) is None]
    if not pending:
        return np.zeros((0, len(FEATURES))), len(claims)
    analyses = analyze(index, pending)
    return np.array([a.features for a in analyses], dtype=np.float64), len(claims) - len(pending)


def bags(rows: Sequence[Row], name: str) -> list[Bag]:
    """Bags of ``rows``, cached under training/cache/ by the code that made them."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}-{_code_digest()}.npz"
    if path.exists():
        stored = np.load(path, allow_pickle=False)
        lengths, flat, quotes = stored["lengths"], stored["features"], stored["quotes"]
        splits = np.split(flat, np.cumsum(lengths)[:-1]) if len(lengths) else []
    else:
        made = [summary_features(row.source, summary_sentences(row.summary)) for row in rows]
        splits, quotes = [f for f, _ in made], np.array([q for _, q in made])
        lengths = np.array([len(s) for s in splits])
        flat = np.vstack(splits) if splits else np.zeros((0, len(FEATURES)))
        np.savez_compressed(path, lengths=lengths, features=flat, quotes=quotes)
    return [
        Bag(f.reshape(-1, len(FEATURES)), int(q), row.label, row.group, row.dataset)
        for f, q, row in zip(splits, quotes, rows)
    ]


# --- scores ------------------------------------------------------------------------------


_PTB = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lowercased alphanumeric runs: the baselines' tokens, the same however the text was tokenized."""
    return _PTB.findall(text.lower().replace("n't", " not"))


def ngram_precision(source: str, summary: str, n: int) -> float:
    """Share of the summary's n-grams found in the source: the lexical baseline."""
    src, out = words(source), words(summary)
    have = {tuple(src[i : i + n]) for i in range(len(src) - n + 1)}
    grams = [tuple(out[i : i + n]) for i in range(len(out) - n + 1)]
    return sum(g in have for g in grams) / len(grams) if grams else 1.0


def by_group(rows: Iterable[Row]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for k, row in enumerate(rows):
        out.setdefault(row.dataset, []).append(k)
    return out
