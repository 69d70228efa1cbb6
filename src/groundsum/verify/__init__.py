"""Verify: align each sentence to source spans, score its support, and label it.

Signals (one module each): ``align`` (BM25 + embedding retrieval of supporting passages),
``content`` (rarity-weighted word coverage, words the source never uses), ``entities`` (names,
aliases, spelling variants), ``numbers`` (numbers, dates, decades), ``polarity`` (negation and
antonym flips), ``roles`` (who did what to whom). ``features`` turns them into one vector and
readable findings; ``combine`` holds the logistic model trained by ``train`` on corrupted
sentences. A sentence's score is the model's probability that the source supports it; a
sentence the source states word for word (an extractive draft) is supported with score 1.0
without any of that.

``verify`` serves the pipeline (every engine's drafts); ``assess`` scores any claims, which is how
``groundsum.check`` (in ``pipeline``, beside ``summarize``) audits a written summary. Either can ask
a language model for a second opinion on the sentences it is unsure of (``judge``, off by default).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from ..model import Document, Draft, Span, Verdict
from ..segment import split_sentences
from .align import source_index
from .combine import load_model
from .features import analyze, describe_unsupported
from .injection import is_instruction

SOFT_MIN_TEMPERATURE = 0.1
_WORD_CHAR = re.compile(r"\w")
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,3}[.)])\s+")


def _bounded(text: str, start: int, end: int) -> bool:
    """A match that neither starts nor ends inside a word."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (_WORD_CHAR.match(before) and _WORD_CHAR.match(text[start])) and not (
        _WORD_CHAR.match(after) and _WORD_CHAR.match(text[end - 1])
    )


def _inside_instruction(doc: Document, span: Span) -> bool:
    """Is this span in a passage that speaks to a model? What such text asks to be said is no claim,
    so a copy of it is scored like any other sentence instead of passing as a quotation."""
    line_start = doc.text.rfind("\n", 0, span.start) + 1
    line_end = doc.text.find("\n", span.end)
    return is_instruction(doc.text[line_start : len(doc.text) if line_end < 0 else line_end])


def exact_span(doc: Document, text: str, evidence: Sequence[Span] = ()) -> Span | None:
    """Where the source states ``text`` word for word (spacing aside), evidence spans first."""
    text = text.strip()
    if not text:
        return None
    found_span = None
    for region in [*evidence, Span(0, len(doc.text))]:
        found = doc.text.find(text, region.start, region.end)
        while found >= 0 and not _bounded(doc.text, found, found + len(text)):
            found = doc.text.find(text, found + 1, region.end)
        if found >= 0:
            found_span = Span(found, found + len(text))
            break
    words = text.split()
    if found_span is None and len(words) >= 3:
        match = re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", doc.text)
        if match:
            found_span = Span(match.start(), match.end())
    if found_span is None or _inside_instruction(doc, found_span):
        return None
    return found_span


def assess(doc: Document, texts: Sequence[str], evidence: Sequence[Sequence[Span]]) -> list[Verdict]:
    """Verdicts for claims: word-for-word copies are supported outright, the rest are scored."""
    verdicts: list[Verdict | None] = []
    pending = []
    for k, text in enumerate(texts):
        span = exact_span(doc, text, evidence[k])
        if span is not None:
            verdicts.append(Verdict("supported", 1.0, (span,)))
        elif not text.strip():
            verdicts.append(Verdict("unsupported", 0.0, (), ("empty sentence",)))
        else:
            verdicts.append(None)
            pending.append(k)
    if pending:
        index = source_index(doc)
        model = load_model()
        analyses = analyze(index, [texts[k] for k in pending], [evidence[k] for k in pending])
        scores = model.probability(np.array([a.features for a in analyses]))
        for k, analysis, score in zip(pending, analyses, scores, strict=True):
            label = model.label(float(score))
            reasons = list(analysis.findings)
            if label != "supported" and not reasons:
                reasons = describe_unsupported(index, analysis)
            verdicts[k] = Verdict(label, float(score), analysis.citations, tuple(reasons))
    return [v for v in verdicts if v is not None]


def verify(doc: Document, drafts: Sequence[Draft]) -> list[Verdict]:
    """One verdict per draft: its label, support score, citations and reasons."""
    return assess(doc, [d.text for d in drafts], [d.evidence for d in drafts])


def summary_score(scores: Sequence[float]) -> float:
    """Summary-level support: a soft minimum of the sentence scores,

        score = -τ · ln( mean_i exp(-s_i / τ) ),   τ = 0.1,

    which lies between the lowest and the mean score and sits close to the lowest: nine
    sentences at 0.95 and one at 0.01 give 0.24, where the mean would give 0.86.
    """
    if not scores:
        return 0.0
    s = np.asarray(scores, dtype=np.float64)
    low = float(s.min())  # shifted by the minimum so the exponentials cannot underflow
    value = low - SOFT_MIN_TEMPERATURE * math.log(float(np.mean(np.exp(-(s - low) / SOFT_MIN_TEMPERATURE))))
    return min(1.0, max(0.0, value))


def summary_sentences(text: str) -> list[str]:
    """A summary's sentences. Each line is a paragraph (summarizers print one per line) unless
    it plainly runs on: no closing mark and a lowercase start on the next line."""
    paragraphs: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = _BULLET.sub("", line).strip()
        if not line:
            paragraphs.append("")
            continue
        if (
            paragraphs
            and paragraphs[-1]
            and not paragraphs[-1].endswith((".", "!", "?", '"', "”", "'"))
            and line[0].islower()
        ):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    sentences = []
    for paragraph in filter(None, paragraphs):
        paragraph = " ".join(paragraph.split())
        sentences += [paragraph[a:b] for a, b in split_sentences(paragraph)]
    return [s for s in sentences if any(c.isalnum() for c in s)]


__all__ = ["assess", "exact_span", "summary_score", "summary_sentences", "verify"]
