"""Whitespace tokens, numbered once per process, and what is computed once per token.

Long documents, and many documents, repeat their vocabulary. Work that depends on a token
alone (the embedder's word vectors, salience's keyword terms) is therefore done once per
distinct token and kept in arrays indexed by the token's number: a document then costs one
dictionary lookup per token, shared by all such work, and numpy gathers.

Splitting many texts at once is faster than one by one, too: one split of the texts joined by
spaces gives the same tokens as ``str.split()`` on each, and how many belong to each text is
counted with numpy from where tokens start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Protocol, TypeVar

import numpy as np

# English function words: they name no topic and make no claim. Salience and verify each add the
# words their own task must also pass over (``salience.STOPWORDS``, ``verify.tokens.STOPWORDS``).
FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each either else even ever every few for
    from further had has have having he her here hers herself him himself his how however i if in into is it
    its itself just may me might more most must my myself neither no nor not now of off on once one only or
    other our ours ourselves out over own per rather same shall she should so some such than that the their
    theirs them themselves then there these they this those though through thus to too under until up upon
    us very via was we were what when where whether which while who whom whose why will with within without
    would yet you your yours yourself yourselves""".split()
)

# str.split()'s whitespace by code point (none lies above U+3000); the last entry stands for all above.
_IS_SPACE = np.array([chr(code).isspace() for code in range(0x3001)] + [False])


def split_words(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """All texts' whitespace tokens in order, and how many each text has (``len(text.split())``)."""
    joined = " ".join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths + 1) - 1
    return joined.split(), count_words(joined, ends - lengths, ends)


def count_words(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``len(text[start:end].split())`` for every span, counted without splitting."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    space = np.concatenate((_IS_SPACE[np.minimum(codes, len(_IS_SPACE) - 1)], [True]))
    begins = ~space & np.concatenate(([True], space[:-1]))  # a token starts here
    before = np.concatenate(([0], np.cumsum(begins)))  # tokens begun before each position
    cut = ~space[starts] & ~begins[starts] & (starts < ends)  # a span starting inside a token
    return before[ends] - before[starts] + cut


class TokenFeature(Protocol):
    """Values computed per token and kept by token number (rows of a matrix, codes, ...)."""

    size: int  # how many tokens have values: always the table's first ``size``

    def extend(self, tokens: list[str]) -> None:
        """Compute the values of ``tokens``, which are the table's tokens from ``size`` on."""
        ...


Feature = TypeVar("Feature", bound=TokenFeature)


class TokenTable:
    """One numbering of tokens and the features computed for them.

    Numbers and values are only ever appended, so whoever holds a table can read it while other
    threads add to it; a vocabulary that has grown too large starts a new table instead.
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.tokens: list[str] = []
        self.features: dict[str, TokenFeature] = {}
        self.lock = threading.Lock()  # over numbering and extending features

    def number(self, words: list[str]) -> np.ndarray:
        """Each word's number, numbering the words not seen before."""
        with self.lock:
            numbers = np.fromiter(map(self.numbers.get, words, repeat(-1)), dtype=np.int64, count=len(words))
            missing = np.flatnonzero(numbers < 0).tolist()
            if missing:
                unseen = list(dict.fromkeys(words[i] for i in missing))
                self.numbers.update(zip(unseen, range(len(self.tokens), len(self.tokens) + len(unseen))))
                self.tokens.extend(unseen)
                numbers[missing] = [self.numbers[words[i]] for i in missing]
        return numbers


@dataclass(frozen=True)
class Tokenized:
    """Texts as token numbers: ``numbers`` holds all texts' tokens in order, ``counts`` says
    how many belong to each text."""

    texts: Sequence[str]
    numbers: np.ndarray
    counts: np.ndarray
    table: TokenTable

    def head(self, count: int) -> Tokenized:
        """The first ``count`` texts alone."""
        tokens = int(self.counts[:count].sum())
        return Tokenized(self.texts[:count], self.numbers[:tokens], self.counts[:count], self.table)

    def feature(self, name: str, make: Callable[[], Feature]) -> Feature:
        """The table's feature ``name`` (made on first use), with values for all these tokens."""
        with self.table.lock:
            feature = self.table.features.get(name)
            if feature is None:
                feature = self.table.features[name] = make()
            if feature.size < len(self.table.tokens):
                feature.extend(self.table.tokens[feature.size :])
        return feature  # type: ignore[return-value]


class Vocabulary:
    """The process's token numbering: a new table starts before one would pass ``limit`` tokens
    (unless a single call brings more)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._table = TokenTable()
        self._lock = threading.Lock()

    def tokenize(self, texts: Sequence[str]) -> Tokenized:
        words, counts = split_words(texts)
        with self._lock:
            if self._table.tokens and len(self._table.tokens) + len(words) > self.limit:
                self._table = TokenTable()
            table = self._table
        return Tokenized(texts, table.number(words), counts, table)


VOCABULARY = Vocabulary(limit=100_000)  # the embedder keeps a 1 KB row per token: about 100 MB
tokenize = VOCABULARY.tokenize
