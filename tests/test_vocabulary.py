"""The shared token numbering and what is computed per token: same results as the plain way."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from groundsum.embed import get_embedder
from groundsum.summarize.salience import _WORD, content_term, keyword_centrality
from groundsum.vocabulary import Vocabulary, count_words, split_words

PIECES = ["a", "Bb", " ", "  ", "\n", "\t", "\xa0", "\u2003", "\u3000", "\x1c", "\x85", "é", ".", "\u200b", "x y"]


def random_text(rng: random.Random, most: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, most)))


def test_split_words_and_count_words_agree_with_str_split():
    rng = random.Random(7)
    for _ in range(2000):
        texts = [random_text(rng, 8) for _ in range(rng.randint(0, 6))]
        words, counts = split_words(texts)
        assert words == [word for text in texts for word in text.split()]
        assert counts.tolist() == [len(text.split()) for text in texts]
        text = random_text(rng, 20)
        spans = [(start, end) for start in range(len(text) + 1) for end in range(start, len(text) + 1)]
        starts, ends = np.array([s for s, _ in spans]), np.array([e for _, e in spans])
        assert count_words(text, starts, ends).tolist() == [len(text[s:e].split()) for s, e in spans]


def test_tokens_keep_their_numbers_until_the_table_starts_over():
    vocabulary = Vocabulary(limit=6)
    first = vocabulary.tokenize(["the cat", "the dog sat"])
    assert first.numbers.tolist() == [0, 1, 0, 2, 3]
    assert first.counts.tolist() == [2, 3]
    again = vocabulary.tokenize(["dog the"])
    assert again.table is first.table and again.numbers.tolist() == [2, 0]
    fresh = vocabulary.tokenize(["a b c d"])  # 4 + 4 tokens would pass the limit of 6
    assert fresh.table is not first.table and fresh.numbers.tolist() == [0, 1, 2, 3]
    assert first.table.tokens == ["the", "cat", "dog", "sat"]  # the old table is left as it was


def test_head_keeps_the_first_texts():
    tokenized = Vocabulary(limit=100).tokenize(["one two", "", "three", "four five six"])
    head = tokenized.head(3)
    assert list(head.texts) == ["one two", "", "three"]
    assert head.counts.tolist() == [2, 0, 1] and head.numbers.tolist() == [0, 1, 2]


def plain_keyword_centrality(texts: list[str]) -> np.ndarray:
    """The definition, written the slow and obvious way."""
    terms = [{term for word in _WORD.findall(text.lower()) if (term := content_term(word))} for text in texts]
    usage: dict[str, int] = {}
    for found in terms:
        for term in found:
            usage[term] = usage.get(term, 0) + 1
    return np.array([sum(np.log(usage[t]) for t in found) / np.sqrt(max(len(found), 1)) for found in terms])


KEYWORD_TEXTS = [
    "Models and/or agents: state-of-the-art models don't over-fit.",
    "The agents' models--and their 3d variants--are MODELS too.",
    "Agent/model/agent pairs; the models' scores (models, agents).",
    "",
    "Nothing here but stopwords and the a an.",
    "Keyword models keep coming back: models, models, agents.",
]


@pytest.mark.parametrize("limit", [1000, 8])
def test_keyword_centrality_matches_its_definition(limit):
    """Also across tables: a limit of 8 starts new ones while the same texts come back."""
    vocabulary = Vocabulary(limit=limit)
    for texts in (KEYWORD_TEXTS, KEYWORD_TEXTS[::-1], KEYWORD_TEXTS[2:]):
        expected = plain_keyword_centrality(texts)
        assert np.allclose(keyword_centrality(vocabulary.tokenize(texts)), expected, rtol=0, atol=1e-12)


def test_wordllama_vectors_match_the_library():
    """The per-token cache gives WordLlama.embed's own vectors, whatever table the tokens are in."""
    import wordllama
    from wordllama import WordLlama

    texts = [
        "The U.S. and the U.S.S.R. agreed on Oct. 28, 1962.",
        "A state-of-the-art model, trained on 3d data and/or text.",
        "naïve café — “quotes” and 'single' ones",
        "The U.S. agreed.",
    ]
    library = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    expected = library.embed(texts, norm=True)
    embedder = get_embedder("wordllama")
    assert np.abs(embedder.encode(texts) - expected).max() < 1e-5
    small = Vocabulary(limit=10)
    for _ in range(3):  # each call starts a new table
        assert np.abs(embedder.encode_tokenized(small.tokenize(texts)) - expected).max() < 1e-5


def test_per_token_arrays_grow_past_their_first_size():
    """Keyword codes start with room for 4,096 tokens and word vectors with room for a table's
    limit; both grow by copying when a table holds more, and keep every value."""
    from groundsum.embed import _WordSums

    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(6000)]
    texts = [" ".join(words[i : i + 12]) + " models and/or agents." for i in range(0, len(words), 12)]
    vocabulary = Vocabulary(limit=100_000)
    tokenized = vocabulary.tokenize(texts)
    assert np.allclose(keyword_centrality(tokenized), plain_keyword_centrality(texts), rtol=0, atol=1e-12)

    embedder = get_embedder("wordllama")
    small = tokenized.feature("wordllama-two-rows", lambda: _WordSums(embedder, 2))
    assert len(small.matrix) >= len(tokenized.table.tokens)
    assert np.array_equal(
        small.matrix[: small.size],
        tokenized.feature("wordllama", lambda: _WordSums(embedder, 10_000)).matrix[: small.size],
    )
