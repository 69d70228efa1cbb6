"""Assemble the verify benchmark's labelled set from its hand-written parts.

Inputs, all in ``bench/data/verify/`` and all written or checked by hand:

- ``smollm2_<batch>_raw.jsonl`` + ``smollm2_<batch>_sources.jsonl``: SmolLM2-135M summary sentences and
  the passages they summarize (from ``verify_generate_smollm2.py``);
- ``labels_smollm2.jsonl``: a label and a note for each of those sentences, written by reading the
  passage (``label: null`` drops a sentence that makes no claim: a question, a fragment, an echo);
- ``human_written.jsonl``: paraphrases and plausible false claims about the letters and some papers;
- ``abstract.jsonl``: abstract sentences of ACLSum test papers, labelled against the paper's body.

Output: ``labelled.jsonl`` (every sentence once, plus a lowercased, Treebank-tokenized copy of a
balanced subset, the look of CNN/DM- and XSum-style model outputs) and ``sources.jsonl``.

    .venv/bin/python bench/verify_build_set.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from nltk.tokenize import TreebankWordTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

from training.verify_data import DATA, LABELLED, SOURCES, full_text, make_source, read_jsonl, write_jsonl

LETTERS = "file:tests/fixtures/letters.md"
BATCHES = ("sections", "paragraphs")
_TOKENIZER = TreebankWordTokenizer()


def tokenized_lowercased(sentence: str) -> str:
    """``Castro's letter didn't.`` → ``castro 's letter did n't .``"""
    return " ".join(_TOKENIZER.tokenize(sentence)).lower()


def smollm2_rows() -> tuple[list[dict], list[dict]]:
    labels = {row["id"]: row for row in read_jsonl(DATA / "labels_smollm2.jsonl")}
    rows, sources = [], []
    for batch in BATCHES:
        sources += read_jsonl(DATA / f"smollm2_{batch}_sources.jsonl")
        refs = {source["source_id"]: source["ref"] for source in sources}
        for raw in read_jsonl(DATA / f"smollm2_{batch}_raw.jsonl"):
            label = labels[raw["id"]]
            if label["label"] is None:
                continue
            rows.append({"id": raw["id"], "source_id": raw["source_id"], "source_path_or_ref": refs[raw["source_id"]],
                         "summary_sentence": raw["summary_sentence"], "label": label["label"], "origin": "smollm2",
                         "note": label["note"], "batch": batch})
    return rows, sources


def whole_document_source(source_id: str) -> dict:
    """``letters-all`` is the whole seed file; ``aclsum-<id>`` a whole paper body."""
    ref = LETTERS if source_id == "letters-all" else f"aclsum:{source_id.removeprefix('aclsum-')}"
    return make_source(source_id, ref, title=source_id).to_json()


def tokenized_slice(rows: list[dict]) -> list[dict]:
    """Every human-written sentence, every supported SmolLM2 sentence and as many unsupported ones (every k-th)."""
    human = [row for row in rows if row["origin"] == "human-written"]
    smol_supported = [row for row in rows if row["origin"] == "smollm2" and row["label"] == "supported"]
    smol_unsupported = [row for row in rows if row["origin"] == "smollm2" and row["label"] == "unsupported"]
    step = max(1, len(smol_unsupported) // max(1, len(smol_supported)))
    picked = human + smol_supported + smol_unsupported[::step][: len(smol_supported)]
    return [{**row, "id": f"tok-{row['id']}", "summary_sentence": tokenized_lowercased(row["summary_sentence"]),
             "origin": "tokenized-lowercased", "variant_of": row["id"]} for row in picked]


def main() -> None:
    rows, sources = smollm2_rows()
    written = read_jsonl(DATA / "human_written.jsonl") + read_jsonl(DATA / "abstract.jsonl")
    for source_id in dict.fromkeys(row["source_id"] for row in written):
        sources.append(whole_document_source(source_id))
    refs = {source["source_id"]: source["ref"] for source in sources}
    rows += [{**row, "source_path_or_ref": refs[row["source_id"]]} for row in written]
    rows += tokenized_slice(rows)
    if len({row["id"] for row in rows}) != len(rows):
        raise SystemExit("duplicate ids in the labelled set")
    for source in sources:  # fail now, not in the benchmark, if a passage cannot be rebuilt
        full_text(source["ref"])
    write_jsonl(SOURCES, sources)
    write_jsonl(LABELLED, rows)
    supported = sum(row["label"] == "supported" for row in rows)
    print(
        f"{len(rows)} sentences ({supported} supported, {len(rows) - supported} unsupported) "
        f"over {len(sources)} sources"
    )


if __name__ == "__main__":
    main()
