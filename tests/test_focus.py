"""``--focus``: summaries of what a document says about one thing, through every interface.

The letters (examples/cuban-missile-crisis-letters.md) speak of inspections in one sentence of
one letter: Castro's of 28 October. The other letters say nothing about them, and must say so.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from groundsum import summarize
from groundsum.model import Document
from groundsum.pipeline import load
from groundsum.render import render
from groundsum.render.schema import to_dict
from groundsum.summarize import get_engine, make_budget, plan_units
from groundsum.summarize.focus import THRESHOLD, focus_units, lexical, relevance, with_neighbours
from groundsum.summarize.prompts import summarize_task

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "examples" / "cuban-missile-crisis-letters.md"
FOCUS = "inspections"
INSPECTIONS = "we are opposed, by principle, to inspections on our territory"


def silent_units(data: dict) -> list[int]:
    return [i for i, unit in enumerate(data["units"]) if unit["says_nothing"]]


@pytest.fixture(scope="module")
def per_letter():
    return summarize(LETTERS, per="section", focus=FOCUS)


def test_each_letter_says_what_it_says_about_the_focus_or_that_it_says_nothing(per_letter):
    summary = per_letter
    assert summary.focus == FOCUS
    assert [s.text for s in summary.sentences] == [
        "I also wish to inform you that we are opposed, by principle, to inspections on our territory."
    ]
    (sentence,) = summary.sentences
    assert sentence.label == "supported" and summary.document.cite(sentence.citations[0]) == sentence.text
    castro = summary.document.sections[sentence.section]
    assert castro.date == "1962-10-28" and castro.author == "Fidel Castro"
    silent = [unit for unit in summary.units if unit.off_focus]
    assert len(silent) == len(summary.units) - 1 >= 2
    markdown = render(summary, "markdown")
    for unit in silent:
        title = summary.document.sections[unit.section].title
        assert f"*{title} says nothing about inspections.*" in markdown
    text = render(summary, "text")
    assert text.count("says nothing about inspections.") == len(silent)
    data = to_dict(summary)
    assert data["focus"] == FOCUS and len(silent_units(data)) == len(silent)
    assert data["units"][sentence.unit]["says_nothing"] is None


def test_a_document_about_nothing_of_the_focus_is_not_padded(run_cli):
    summary = summarize(LETTERS, focus="the recipe's baking temperature")
    assert summary.sentences == () and summary.dropped == ()
    assert [unit.off_focus for unit in summary.units] == [True]
    assert "The document says nothing about the recipe's baking temperature." in render(summary, "markdown")
    done = run_cli("summarize", LETTERS, "--focus", "the recipe's baking temperature", "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    nothing = "The document says nothing about the recipe's baking temperature."
    assert data["summary"] == [] and data["says_nothing"] == data["units"][0]["says_nothing"] == nothing


def test_per_paragraph_lists_only_what_is_said_not_every_silent_paragraph():
    summary = summarize(LETTERS, per="paragraph", focus=FOCUS)
    assert len(summary.sentences) == 1 and sum(unit.off_focus for unit in summary.units) > 20
    markdown = render(summary, "markdown")
    assert INSPECTIONS in markdown and "says nothing" not in markdown
    assert len(silent_units(to_dict(summary))) == sum(unit.off_focus for unit in summary.units)  # JSON keeps them all
    nothing = summarize(LETTERS, per="paragraph", focus="the recipe's baking temperature")
    assert render(nothing, "text") == "The document says nothing about the recipe's baking temperature.\n"


def test_focus_changes_what_the_extractive_engine_picks_not_only_filters():
    generic = summarize(LETTERS, sentences=3)
    focused = summarize(LETTERS, sentences=3, focus="the danger of a nuclear war")
    assert {s.text for s in focused.sentences} != {s.text for s in generic.sentences}
    assert len(focused.sentences) == 3 and all(s.label == "supported" for s in focused.sentences)
    doc = focused.document
    indices = list(focused.units[0].sentences)
    score = dict(zip(indices, focused.units[0].relevance))
    picked = [i for i in indices if doc.sentences[i].span in {s.citations[0] for s in focused.sentences}]
    assert np.mean([score[i] for i in picked]) > np.mean(list(score.values()))  # the more relevant ones
    assert any("nuclear" in s.text.lower() or "war" in s.text.lower() for s in focused.sentences)


def test_relevance_is_lexical_and_embedding_and_borrows_from_neighbours_within_a_section():
    texts = ["Inspections were refused.", "The weather was fine.", "Soup was served at noon."]
    scores = lexical(texts, "inspections")
    assert scores[0] == pytest.approx(scores.max()) and scores[0] > 0.5 and scores[1] == scores[2] == 0
    lifted = with_neighbours(np.array([1.0, 0.0, 0.0, 0.0]), np.array([0, 0, 1, 1]))
    assert lifted[1] > 0 and lifted[2] == lifted[3] == 0  # the neighbour in another section gets nothing

    doc = load(LETTERS)
    everything = list(range(len(doc.sentences)))
    own, in_context = relevance(doc, everything, FOCUS)
    best = int(np.argmax(own))
    assert INSPECTIONS in doc.cite(doc.sentences[best].span) and own[best] >= THRESHOLD
    assert (in_context >= own).all() and (own >= THRESHOLD).sum() == 1  # neighbours rank, never retrieve
    # embedding retrieval alone finds a paraphrase that shares no word with the focus
    paraphrase = Document("Observers may visit the bases to verify the dismantling. The harvest was good.")
    paraphrase = load(paraphrase)
    found, _ = relevance(paraphrase, [0, 1], "inspection of missile sites")
    assert found[0] > found[1]


def test_empty_focus_is_a_one_line_error_everywhere(run_cli):
    done = run_cli("summarize", LETTERS, "--focus", "   ")
    assert done.returncode != 0
    assert done.stderr.decode().strip() == "groundsum: error: --focus must name something, e.g. --focus inspections"
    batch = run_cli("batch", LETTERS, "-o", ROOT / "test-output" / "never.jsonl", "--focus", "")
    assert batch.returncode != 0 and b"Traceback" not in batch.stderr
    assert "--focus must name something" in batch.stderr.decode()


def test_cli_per_section_focus_markdown_and_exit_code(run_cli):
    done = run_cli("summarize", LETTERS, "--per", "section", "--focus", FOCUS)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert INSPECTIONS in out
    assert out.count("says nothing about inspections.") == 3


def test_http_api_takes_focus_in_json_and_in_uploads():
    from fastapi.testclient import TestClient

    from groundsum.server.app import create_app
    from groundsum.server.settings import Limits

    with TestClient(create_app(Limits(workers=1))) as client:
        text = LETTERS.read_text(encoding="utf-8")
        answer = client.post("/v1/summarize", json={"text": text, "per": "section", "focus": FOCUS})
        assert answer.status_code == 200, answer.text
        data = answer.json()
        assert data["focus"] == FOCUS and len(silent_units(data)) == 3
        expected = summarize(LETTERS, per="section", focus=FOCUS)
        assert [s["text"] for s in data["summary"]] == [s.text for s in expected.sentences]
        upload = client.post(
            "/v1/summarize",
            files={"file": ("letters.md", LETTERS.read_bytes(), "text/markdown")},
            data={"per": "section", "focus": FOCUS},
        )
        assert upload.status_code == 200, upload.text
        assert upload.json()["summary"] == data["summary"]
        empty = client.post("/v1/summarize", json={"text": text, "focus": " "})
        assert 400 <= empty.status_code < 500 and "--focus must name something" in empty.json()["detail"]


def test_batch_records_the_focus_and_the_focused_result(tmp_path, run_cli):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "letters.md").write_bytes(LETTERS.read_bytes())
    out = tmp_path / "out.jsonl"
    done = run_cli("batch", corpus, "-o", out, "--jobs", "1", "--per", "section", "--focus", FOCUS, "--quiet")
    assert done.returncode == 0, done.stderr.decode()
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["options"]["focus"] == FOCUS
    single = run_cli("summarize", corpus / "letters.md", "--per", "section", "--focus", FOCUS, "--format", "json")
    assert record["result"] == json.loads(single.stdout)
    # the same corpus without a focus is another summary, keyed apart
    again = run_cli("batch", corpus, "-o", out, "--jobs", "1", "--per", "section", "--quiet")
    assert again.returncode == 0, again.stderr.decode()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 and "focus" not in records[1]["options"]


def test_generative_prompts_ask_about_the_focus():
    task = summarize_task(40, None, FOCUS)
    assert '"inspections"' in task and "40 words" in task
    assert "inspections" not in summarize_task(40, None)


@pytest.fixture(scope="module")
def llama(smollm2_gguf):
    return get_engine("llama-cpp", model=str(smollm2_gguf), context=2048, threads=2, seed=0, quiet=True)


@pytest.mark.slow
def test_llama_cpp_summarizes_only_the_retrieved_passages_and_is_verified(llama):
    doc = load(LETTERS)
    units = focus_units(doc, plan_units(doc, "document", make_budget("document", words=40)), "the defence of Cuba")
    (unit,) = units
    assert 0 < len(unit.sentences) < len(doc.sentences) / 2
    drafts = llama.summarize(doc, units, "document")
    assert drafts
    for draft in drafts:  # the model read the retrieved sentences and nothing between them
        for span in draft.evidence:
            read = {i for i, s in enumerate(doc.sentences) if s.start < span.end and span.start < s.end}
            assert read and read <= set(unit.sentences), (draft, span)
    summary = summarize(LETTERS, engine=llama, words=40, focus="the defence of Cuba")
    assert summary.sentences and all(s.label == "supported" for s in summary.sentences)
    silent = summarize(LETTERS, engine=llama, focus="the recipe's baking temperature")
    assert silent.sentences == () and silent.units[0].off_focus


@pytest.mark.slow
def test_web_page_focus_field_shows_what_each_letter_says(serve_groundsum):
    from playwright.sync_api import sync_playwright

    server = serve_groundsum("--workers", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url)
            page.set_input_files("#file", str(LETTERS))
            page.click("label:has(input[value=section])")
            page.fill("#focus", FOCUS)
            with page.expect_response("**/v1/summarize") as response:
                page.click("#summarize-button")
            assert response.value.ok, response.value.text()
            page.wait_for_selector("#summarize-result .sentence")
            assert INSPECTIONS in page.text_content("#summarize-result .summary-body")
            notes = page.locator("#summarize-result .off-focus").all_text_contents()
            assert len(notes) == 3 and all(note.endswith("says nothing about inspections.") for note in notes)
            (ROOT / "test-output").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "test-output" / "web-focus.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()

