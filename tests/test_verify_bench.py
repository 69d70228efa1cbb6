"""The verify benchmark's labelled set loads and rebuilds its sources, and its baselines compute."""

from __future__ import annotations

from collections import Counter

import numpy as np

from training.metrics import balanced_accuracy, best_threshold, roc_auc
from training.verify_baselines import BASELINES
from training.verify_data import aclsum_test_ids, load_labelled, load_sources, passage


def test_labelled_set_is_large_and_has_both_labels():
    rows = load_labelled()
    labels = Counter(row["label"] for row in rows)
    assert len(rows) >= 300
    assert min(labels["supported"], labels["unsupported"]) >= 0.35 * len(rows)
    assert sum(row["origin"] == "smollm2" for row in rows) >= 150
    assert all(row["note"] and row["summary_sentence"].strip() for row in rows)
    assert len({row["id"] for row in rows}) == len(rows)


def test_every_source_rebuilds_exactly_and_papers_are_test_split_only():
    sources = load_sources()
    used = {row["source_id"] for row in load_labelled()}
    assert used <= set(sources)
    test_papers = set(aclsum_test_ids())
    for source in sources.values():
        assert passage(source)  # raises when the rebuilt text differs from the labelled one
        kind, _, name = source.ref.partition(":")
        assert kind == "file" or name in test_papers


def test_baselines_compute_on_the_labelled_set():
    rows = load_labelled()[:120]
    sources = load_sources()
    positive = np.array([row["label"] == "supported" for row in rows])
    for name, baseline in BASELINES.items():
        scores = np.array([baseline(passage(sources[row["source_id"]]), row["summary_sentence"]) for row in rows])
        assert ((scores >= 0) & (scores <= 1)).all(), name
        assert 0 <= roc_auc(scores, positive) <= 1
        assert balanced_accuracy(scores >= best_threshold(scores, positive), positive) >= 0.5


def test_baselines_tell_a_copied_claim_from_an_invented_one():
    source = "Castro wrote to Khrushchev on October 26, 1962, expecting an attack within 72 hours."
    copied = "Castro wrote to Khrushchev on October 26, 1962."
    invented = "Kennedy phoned Brezhnev in Moscow on May 3, 1970."
    for name, baseline in BASELINES.items():
        assert baseline(source, copied) == 1.0, name
        assert baseline(source, invented) < 0.5, name


def test_metrics_on_known_cases():
    positive = np.array([True, True, False, False])
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), positive) == 1.0
    assert roc_auc(np.array([0.5, 0.5, 0.5, 0.5]), positive) == 0.5
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), positive) == 0.0
    assert balanced_accuracy(np.array([True, False, False, False]), positive) == 0.75
