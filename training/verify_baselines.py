"""The verify benchmark's baselines: word overlap scores a claim without any model
(the figures they are reported with are in ``metrics``).

- unigram precision: share of the sentence's word tokens (``\\w+``, lowercased, stopwords kept) that
  occur in the source;
- bigram precision: the same for adjacent token pairs;
- entity overlap: share of the sentence's name-like tokens (a capital letter anywhere but at the
  start of the sentence, or all capitals) and numbers that occur in the source; 1.0 when it has none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def unigram_precision(source: str, sentence: str) -> float:
    words = tokens(sentence)
    vocabulary = set(tokens(source))
    return sum(w in vocabulary for w in words) / len(words) if words else 1.0


def bigram_precision(source: str, sentence: str) -> float:
    words = tokens(sentence)
    source_words = tokens(source)
    pairs = list(itertools.pairwise(words))
    known = set(itertools.pairwise(source_words))
    return sum(p in known for p in pairs) / len(pairs) if pairs else unigram_precision(source, sentence)


def entity_overlap(source: str, sentence: str) -> float:
    """Names and numbers only: the first word counts only when it is all capitals or has a digit."""
    found = []
    for k, match in enumerate(_WORD.finditer(sentence)):
        word = match.group()
        if any(c.isdigit() for c in word) or word[1:] != word[1:].lower() or (k > 0 and word[0].isupper()):
            found.append(word.lower())
    vocabulary = set(tokens(source))
    return sum(w in vocabulary for w in found) / len(found) if found else 1.0


BASELINES: dict[str, Callable[[str, str], float]] = {
    "unigram precision": unigram_precision,
    "bigram precision": bigram_precision,
    "entity overlap": entity_overlap,
}
