"""Paper roles in focused summaries: a focus that asks for a paper's problem, approach or outcome.

The role models were fitted on aclsum's train and val papers; these tests read its test split,
which they never saw.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from groundsum import summarize
from groundsum.errors import ConfigError
from groundsum.pipeline import load
from groundsum.summarize import focus, roles
from training.aspects import ASPECTS, QUESTIONS, load_items
from training.papers import MARKDOWN

LETTERS = Path(__file__).resolve().parent.parent / "examples" / "cuban-missile-crisis-letters.md"
PAPERS = 20  # of aclsum's test split


def test_a_focus_names_a_role_by_its_words_or_none():
    asked = {
        "the method the authors propose": "approach",
        "What does this paper propose?": "approach",
        "what problem does it address": "challenge",
        "the main results": "outcome",
        "inspections": None,
        "the tenant's obligations under the lease": None,
        "the model's accuracy": None,  # one approach word, one outcome word: no role wins
    }
    assert {text: focus.role_asked(text) for text in asked} == asked
    assert {focus.role_asked(QUESTIONS[aspect]) for aspect in ASPECTS} == set(roles.ROLES) == set(ASPECTS)


def test_roles_apply_only_to_documents_laid_out_as_papers(monkeypatch):
    letters = load(LETTERS)
    assert not roles.laid_out_as_paper(letters) and focus.role_for(letters, "what Khrushchev proposed") is None
    with_roles = summarize(LETTERS, focus="what Khrushchev proposed", words=60)
    monkeypatch.setattr(focus, "ROLE_CUES", {})
    without = summarize(LETTERS, focus="what Khrushchev proposed", words=60)
    assert [s.text for s in with_roles.sentences] == [s.text for s in without.sentences]


@pytest.fixture(scope="module")
def unseen_papers():
    return load_items(("test",), PAPERS)


def top_sentence_highlighted(items, aspect: str) -> float:
    """Share of papers whose top-ranked sentence for the aspect's question is one the annotators
    highlighted for it."""
    hits = []
    for item in items:
        doc = load(item.body, format=MARKDOWN)
        _, ranking = focus.relevance(doc, list(range(len(doc.sentences))), QUESTIONS[aspect])
        best = doc.sentences[int(np.argmax(ranking))]
        hits.append(item.highlighted_for(doc.text[best.start : best.end], aspect))
    return float(np.mean(hits))


def test_role_models_find_what_annotators_highlighted_on_papers_they_never_saw(unseen_papers, monkeypatch):
    doc = load(unseen_papers[0].body, format=MARKDOWN)
    assert roles.laid_out_as_paper(doc)
    with_roles = {aspect: top_sentence_highlighted(unseen_papers, aspect) for aspect in ASPECTS}
    monkeypatch.setattr(focus, "ROLE_CUES", {})
    topic_only = {aspect: top_sentence_highlighted(unseen_papers, aspect) for aspect in ASPECTS}
    assert sum(with_roles.values()) > sum(topic_only.values())
    assert all(with_roles[aspect] >= topic_only[aspect] for aspect in ASPECTS), (with_roles, topic_only)


def test_a_sentence_that_plays_the_role_is_retrieved_whatever_its_words(unseen_papers, monkeypatch):
    item = unseen_papers[0]
    summary = summarize(item.body, format=MARKDOWN, focus="the main results", words=60)
    assert summary.sentences and all(s.label == "supported" for s in summary.sentences)
    doc = summary.document
    chosen = sorted(i for i, s in enumerate(doc.sentences) if s.span in {c.citations[0] for c in summary.sentences})
    monkeypatch.setattr(focus, "ROLE_CUES", {})
    by_words, _ = focus.relevance(doc, list(range(len(doc.sentences))), "the main results")
    assert (by_words[chosen] < focus.THRESHOLD).any()  # the topic alone would not have retrieved one


def test_role_models_file_is_checked_and_unreadable_says_how_to_regenerate(tmp_path):
    shipped = json.loads(roles.FITTED_PATH.read_text(encoding="utf-8"))
    model = roles.fitted()
    doc = load(LETTERS)
    vectors = np.zeros((3, roles.WORDLLAMA_DIMENSIONS), dtype=np.float32)
    assert roles.features(doc, [0, 1, 2], vectors).shape == (3, roles.FEATURES)
    assert set(model.coefficients) == set(roles.ROLES) and shipped["fitted"]["command"] == roles.FIT_COMMAND
    fewer = tmp_path / "fewer.json"
    shipped["roles"]["outcome"]["coefficients"] = shipped["roles"]["outcome"]["coefficients"][:-1]
    fewer.write_text(json.dumps(shipped), encoding="utf-8")
    for path in (tmp_path / "missing.json", fewer):
        with pytest.raises(ConfigError, match=r"regenerate: python -m training\.roles"):
            roles.fitted(path)
