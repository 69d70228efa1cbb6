"""Output hygiene: a model's reply as sentences fit to verify, and the unit's length budget applied.

Preambles, headings, bullets, numbering, sentences cut off by the token limit, repeated sentences
and the prompt's own instructions echoed back are removed before anything is verified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...segment.sentences import split_sentences
from ...tidy import tidy
from ..prompts import Prompt
from .backend import Completion

_MARKUP_LINE = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*•+]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+(?=[A-Z]))")
_EMPHASIS = re.compile(r"\*\*|__|`")
_PREAMBLE = re.compile(
    r"^(?:(?:sure|certainly|of course|okay|ok|absolutely)\b[!,.]?\s*)?"
    r"(?:(?:here is|here's|here are|below is|the following is)\b[^.!?:\n]*[:.!]\s*)?",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^(?:in summary|to summarize|in short|in conclusion|summary|overall)\s*[,:\-–—]\s*", re.IGNORECASE
)
_SIGN_OFF = re.compile(r"^(?:let me know|i hope|feel free|if you (?:have|need|want)|hope this)\b", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^[^.!?]{0,60}:$")  # "Summary:", "Key points:"
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_WORD = re.compile(r"[a-z0-9]+")


def _lines(text: str) -> list[str]:
    """The reply's lines without markup, headings, label lines and preamble."""
    kept: list[str] = []
    for line in text.splitlines():
        line = _EMPHASIS.sub("", _MARKUP_LINE.sub("", line)).strip()
        line = _LEAD_IN.sub("", _PREAMBLE.sub("", line, count=1), count=1).strip()
        if not line or _LABEL_LINE.match(line):
            continue
        if not _TERMINAL.search(line) and len(line.split()) <= 8 and not kept:
            continue  # a title line before the summary proper
        kept.append(line)
    return kept


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def near_duplicate(a: str, b: str) -> bool:
    """Two sentences saying the same: most of the shorter one's words appear in the other."""
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return wa == wb
    shared = len(wa & wb)
    return shared / min(len(wa), len(wb)) >= 0.9 or shared / len(wa | wb) >= 0.7


def clean_sentences(text: str, truncated: bool, echoes: Sequence[str] = ()) -> list[str]:
    """The reply as sentences fit to show: no preamble or markup, nothing cut off, nothing repeated.

    ``echoes`` are the prompt's own instructions, which small models tend to repeat back.
    """
    joined = "\n".join(_lines(text))
    sentences = [tidy(joined[s:e]) for s, e in split_sentences(joined)]
    if truncated and sentences and not _TERMINAL.search(sentences[-1]):
        sentences.pop()  # cut off by the token limit
    out: list[str] = []
    for sentence in sentences:
        sentence = _LEAD_IN.sub("", sentence).strip()
        if len(words(sentence)) < 3 or _SIGN_OFF.match(sentence):
            continue
        if sentence[0].islower():
            sentence = sentence[0].upper() + sentence[1:]
        if any(near_duplicate(sentence, other) for other in (*out, *echoes)):
            continue
        out.append(sentence)
    return out


def reply_sentences(prompt: Prompt, completion: Completion) -> list[str]:
    """The completion's clean sentences, minus any that echo the prompt's instructions."""
    instructions = f"{prompt.system} {prompt.task}"
    echoes = [instructions[start:end] for start, end in split_sentences(instructions)]
    return clean_sentences(completion.text, completion.truncated, echoes)


def within_budget(sentences: Sequence[str], max_words: int | None, max_sentences: int | None) -> list[str]:
    """The leading sentences that fit the budget, by the extractive engine's rule (the first always fits)."""
    kept: list[str] = []
    used = 0
    for sentence in sentences:
        n = len(sentence.split())
        if max_sentences is not None and len(kept) >= max_sentences:
            break
        if max_words is not None and kept and used + n > max_words:
            break
        kept.append(sentence)
        used += n
    return kept
