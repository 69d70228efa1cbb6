"""render/: the Markdown, JSON, HTML and text of real summaries and checks of the bundled letters.

The default Markdown of the letters is kept as a golden file, ``tests/fixtures/letters-summary.md``.
A deliberate change (to the engine, the verifier's scores, the renderer) changes it; after checking
the difference by eye, regenerate it with

    GROUNDSUM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py -k golden
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

import groundsum
from groundsum.render.schema import SCHEMA_VERSION, to_dict
from groundsum.tidy import tidy

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "examples" / "cuban-missile-crisis-letters.md"
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "letters-summary.md"
SOURCE_LINE = re.compile(r"^\[(\d+)\]: chars (\d+)–(\d+) — “(.*)”$")
HOSTILE = "# Notes\n\nThe <script>alert('x')</script> tag & the </script> end tag are text here. They must stay text.\n"


@pytest.fixture(scope="module")
def summary() -> groundsum.Summary:
    return groundsum.summarize(LETTERS)


@pytest.fixture(scope="module")
def checked() -> groundsum.CheckResult:
    claims = "Castro expected an attack on Cuba. Kennedy phoned | Brezhnev in 1970."
    return groundsum.check(LETTERS, claims)


def sources_listed(markdown: str) -> dict[int, tuple[int, int, str]]:
    """The "## Sources" listing: number → (start, end, quoted text)."""
    listing = markdown.split("\n## Sources\n", 1)[1]
    found = {}
    for line in filter(None, listing.splitlines()):
        number, start, end, quote = SOURCE_LINE.match(line).groups()
        found[int(number)] = (int(start), int(end), quote)
    return found


def test_default_markdown_of_the_letters_matches_the_golden_file(summary):
    rendered = groundsum.render(summary)
    if os.environ.get("GROUNDSUM_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert rendered == GOLDEN.read_text(encoding="utf-8"), (
        "the letters' Markdown changed; if that is deliberate, regenerate: "
        "GROUNDSUM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py -k golden"
    )


def test_markdown_markers_resolve_to_the_cited_source_text(summary):
    rendered = groundsum.render(summary, "markdown")
    body, _ = rendered.split("\n## Sources\n", 1)
    listed = sources_listed(rendered)
    assert sorted(int(n) for n in re.findall(r"\[(\d+)\]", body)) == sorted(listed)
    cited = [span for sentence in summary.sentences for span in sentence.citations]
    assert [(start, end) for start, end, _ in listed.values()] == [(s.start, s.end) for s in dict.fromkeys(cited)]
    for start, end, quote in listed.values():
        assert quote == tidy(summary.document.text[start:end])
    for sentence in summary.sentences:
        assert f"{sentence.text} [" in body  # every sentence, followed by its markers


def test_markdown_marks_sentences_that_are_not_supported(summary):
    first, *rest = summary.sentences
    doubted = replace(first, label="unsupported", reasons=("date '1970' not in source",))
    rendered = groundsum.render(replace(summary, sentences=(doubted, *rest)), "markdown")
    assert f"⚠ **unsupported** (date '1970' not in source): {first.text} [1]" in rendered
    assert rendered.count("⚠") == 1


def test_markdown_per_section_heads_each_letter_with_its_date_and_correspondents():
    summary = groundsum.summarize(LETTERS, per="section")
    rendered = groundsum.render(summary, "markdown")
    headings = [line for line in rendered.splitlines() if line.startswith("## ") and line != "## Sources"]
    letters = [section for section in summary.document.sections if section.kind == "letter"]
    assert len(letters) == 4 and len(headings) == 4
    for heading, letter in zip(headings, letters):
        assert heading == f"## {letter.title} — {letter.date}, {letter.author} → {letter.recipient}"


def test_markdown_check_table_escapes_pipes_and_lists_every_verdict(checked):
    rendered = groundsum.render(checked, "markdown")
    rows = [line for line in rendered.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert [row.split(" | ")[1] for row in rows] == [s.label for s in checked.sentences]
    assert "Kennedy phoned \\| Brezhnev" in rendered  # a pipe in a sentence cannot break the table
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)


def test_json_has_the_documented_shape_and_citations_slice_the_text(summary):
    data = json.loads(groundsum.render(summary, "json"))
    assert data == json.loads(json.dumps(to_dict(summary)))
    assert data["schema_version"] == SCHEMA_VERSION and data["per"] == "document"
    assert data["engine"]["name"] == "extractive" and data["dropped"] == []
    text = data["document"]["text"]
    assert text == summary.document.text
    for sentence in data["summary"]:
        (citation,) = sentence["citations"]
        assert sentence["text"] == tidy(text[citation["start"] : citation["end"]])  # extractive: a quote
        assert sentence["label"] == "supported" and 0 <= sentence["score"] <= 1
    for unit in data["units"]:
        assert 0 <= unit["start"] < unit["end"] <= len(text)


def test_json_keeps_non_ascii_and_markup_as_plain_strings():
    summary = groundsum.summarize(HOSTILE + "Café “quotes” cost 5 €.\n", format="markdown", sentences=3)
    rendered = groundsum.render(summary, "json")
    assert "Café “quotes” cost 5 €." in rendered  # not \\u-escaped
    assert json.loads(rendered)["document"]["text"] == summary.document.text


class _Page(HTMLParser):
    """The parts of the report page the checks need: meta CSP, inline styles and scripts by type."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = ""
        self.title = ""
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.policy = attributes["content"] or ""
        if tag in ("script", "style", "title"):
            self._open = (tag, attributes)

    def handle_data(self, data: str) -> None:
        if self._open is None:
            return
        tag, attributes = self._open
        if tag == "script":
            self.scripts.append((attributes, data))
        elif tag == "style":
            self.styles.append(data)
        else:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def parsed(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_html_report_embeds_the_json_and_allows_only_its_own_inline_code(summary):
    page = parsed(groundsum.render(summary, "html"))
    (data_attributes, data), (code_attributes, code) = page.scripts
    assert data_attributes == {"type": "application/json", "id": "groundsum-data"} and code_attributes == {}
    assert json.loads(data) == json.loads(groundsum.render(summary, "json"))
    (style,) = page.styles
    assert f"script-src {sha256_source(code)};" in page.policy and f"style-src {sha256_source(style)};" in page.policy
    assert page.policy.startswith("default-src 'none';")
    assert page.title == "Summary: Cuban Missile Crisis: Khrushchev / Castro letters — groundsum"


def test_html_report_keeps_document_markup_inert():
    summary = groundsum.summarize(HOSTILE, format="markdown", sentences=2)
    rendered = groundsum.render(summary, "html")
    page = parsed(rendered)
    assert len(page.scripts) == 2, "the document's <script> stayed inside the JSON data block"
    assert "</script> end tag" not in rendered and "<script>alert" not in rendered
    assert json.loads(page.scripts[0][1])["document"]["text"] == summary.document.text


def test_html_check_report_is_titled_as_a_check(checked):
    page = parsed(groundsum.render(checked, "html"))
    assert page.title.startswith("Check: ")
    assert json.loads(page.scripts[0][1])["score"] == round(checked.score, 4)


def test_text_is_the_sentences_alone_with_tags_for_doubt(summary, checked):
    rendered = groundsum.render(summary, "text")
    assert rendered == " ".join(s.text for s in summary.sentences) + "\n"
    lines = groundsum.render(checked, "text").splitlines()
    assert lines[0] == f"support\t{checked.score:.2f}"
    assert [line.split("\t")[0] for line in lines[1:]] == [s.label for s in checked.sentences]
