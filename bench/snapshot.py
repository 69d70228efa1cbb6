"""Snapshot groundsum's output, to show that a refactoring changed no byte of it.

Writes the JSON and Markdown renderings of the default (extractive) summaries of the bundled
letters (``examples/cuban-missile-crisis-letters.md``, per document, section and paragraph) and of
the 250 aclsum papers (``training/papers.py``, per document, at each abstract's word count, as
``rouge_bench.py`` runs them) into a folder, one file per document and format. The output holds no
timings, so two snapshots of the same code are identical; ``--compare`` lists what differs.

    .venv/bin/python bench/snapshot.py /tmp/snapshot-new               # --limit 20 for a quick look
    .venv/bin/python bench/snapshot.py --compare /tmp/snapshot-head /tmp/snapshot-new

To snapshot another commit, run this script with that commit's package first on the path:
``git worktree add /tmp/gs-head HEAD`` then ``PYTHONPATH=/tmp/gs-head/src .venv/bin/python
bench/snapshot.py /tmp/snapshot-head``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

import groundsum
from training.papers import papers

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "examples" / "cuban-missile-crisis-letters.md"
FORMATS = {"json": "json", "markdown": "md"}
PERS = ("document", "section", "paragraph")


def write_renderings(summary: groundsum.Summary, out: Path, name: str) -> None:
    for format, suffix in FORMATS.items():
        (out / f"{name}.{suffix}").write_text(groundsum.render(summary, format) + "\n", encoding="utf-8")


def snapshot(out: Path, limit: int | None) -> int:
    """Write every rendering into ``out``; the number of documents summarized."""
    (out / "aclsum").mkdir(parents=True, exist_ok=True)
    for per in PERS:
        write_renderings(groundsum.summarize(LETTERS, per=per), out, f"letters-{per}")
    chosen = papers(limit)
    for paper in chosen:
        summary = groundsum.summarize(paper.markdown, words=paper.budget, format="markdown")
        write_renderings(summary, out / "aclsum", paper.paper_id)
    return len(PERS) + len(chosen)


def differences(first: Path, second: Path) -> list[str]:
    """Files (relative paths) whose bytes differ, or that only one of the folders holds."""
    names = {
        str(path.relative_to(folder)) for folder in (first, second) for path in folder.rglob("*") if path.is_file()
    }
    return sorted(
        name
        for name in names
        if not ((first / name).is_file() and (second / name).is_file())
        or (first / name).read_bytes() != (second / name).read_bytes()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, help="folder to write the snapshot into")
    parser.add_argument("--limit", type=int, default=None, help="only the first N papers")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("DIR_A", "DIR_B"), help="list differing files")
    args = parser.parse_args(argv)
    if args.compare:
        missing = [str(folder) for folder in args.compare if not folder.is_dir()]
        if missing:
            parser.error(f"no such folder: {', '.join(missing)}")
        changed = differences(*args.compare)
        print("\n".join(changed) if changed else "identical", file=sys.stdout)
        print(f"{len(changed)} differing file(s)", file=sys.stderr)
        return 1 if changed else 0
    if args.out is None:
        parser.error("give a folder to write into, or --compare DIR_A DIR_B")
    started = time.perf_counter()
    count = snapshot(args.out, args.limit)
    print(f"{count} documents from {groundsum.__file__} in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
