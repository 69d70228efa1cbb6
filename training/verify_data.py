"""The verify benchmark's labelled set and the source passages it is labelled against.

Sources are stored as references, not copies: a file path or an ACLSum paper id, plus the
character range of the passage inside the text rebuilt from it and that passage's SHA-256, so the
benchmark rebuilds exactly what the labels were written against (and says so loudly if it cannot).
The data stays in ``bench/data/verify/``; ``bench/verify_bench.py`` and ``bench/verify_build_set.py``
use it, and the tests check it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .papers import load_paper, paper_paths

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "verify"
SOURCES = DATA / "sources.jsonl"
LABELLED = DATA / "labelled.jsonl"
LABELS = ("supported", "unsupported")


@dataclass(frozen=True)
class SourceRef:
    """A passage: ``text[start:end]`` of a repo file (``file:``) or of an ACLSum paper's body (``aclsum:``)."""

    source_id: str
    ref: str  # "file:tests/fixtures/letters.md" or "aclsum:P01-1040"
    start: int
    end: int
    sha256: str
    title: str = ""

    def to_json(self) -> dict:
        return {"source_id": self.source_id, "ref": self.ref, "start": self.start, "end": self.end,
                "sha256": self.sha256, "title": self.title}


@cache
def full_text(ref: str) -> str:
    """The whole document a reference points into, rebuilt the way the labels saw it."""
    kind, _, name = ref.partition(":")
    if kind == "file":
        return (ROOT / name).read_text(encoding="utf-8")
    if kind == "aclsum":
        return load_paper(paper_file(name)).markdown
    raise ValueError(f"unknown source reference {ref!r}")


def paper_file(paper_id: str) -> Path:
    return next(path for path in paper_paths() if path.stem == paper_id)


def aclsum_test_ids() -> list[str]:
    """ACLSum's test papers: the only ones used here, since the verifier is tuned on the train split."""
    import aclsum

    return [paper.id for paper in aclsum.ACLSum("test").documents]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_source(source_id: str, ref: str, start: int = 0, end: int | None = None, title: str = "") -> SourceRef:
    text = full_text(ref)
    end = len(text) if end is None else end
    return SourceRef(source_id, ref, start, end, digest(text[start:end]), title)


def passage(source: SourceRef) -> str:
    text = full_text(source.ref)[source.start : source.end]
    if digest(text) != source.sha256:
        raise ValueError(f"{source.source_id}: rebuilt passage differs from the one labelled (sha256 mismatch)")
    return text


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def load_sources() -> dict[str, SourceRef]:
    return {row["source_id"]: SourceRef(**row) for row in read_jsonl(SOURCES)}


def load_labelled() -> list[dict]:
    """The labelled sentences; every one names a known source and one of the two labels."""
    rows = read_jsonl(LABELLED)
    sources = load_sources()
    for row in rows:
        if row["label"] not in LABELS or row["source_id"] not in sources:
            raise ValueError(f"{row['id']}: bad label or unknown source")
    return rows
