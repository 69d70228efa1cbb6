"""The web page at / and the ``--format html`` report, in headless Chromium against a real server.

Chromium is Debian's (``make browser``); Playwright can't download its own here. Screenshots go
to test-output/ for people to look at.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LETTERS = Path(__file__).resolve().parent / "fixtures" / "letters.md"
SHOTS = ROOT / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
XSS = '<script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def server(serve_groundsum):
    return serve_groundsum("--workers", "1")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page plus what it did: errors it raised or logged, and every URL it requested."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("request", lambda request: self.requests.append(request.url))


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert not watched.errors, watched.errors


def merged(spans: list[dict]) -> list[tuple[int, int]]:
    """Overlapping citations merged, as the page shows them: one highlight per merged span."""
    out: list[list[int]] = []
    for span in sorted((s["start"], s["end"]) for s in spans if s["end"] > s["start"]):
        if out and span[0] < out[-1][1]:
            out[-1][1] = max(out[-1][1], span[1])
        else:
            out.append(list(span))
    return [(start, end) for start, end in out]


def highlighted(page) -> list[str]:
    return page.eval_on_selector_all("mark.evidence", "marks => marks.map(m => m.textContent)")


def assert_click_highlights_citations(page, result: dict, pane: str, sentences: list[dict]) -> int:
    """Click each sentence that cites something: the highlights are exactly the cited text."""
    text = result["document"]["text"]
    checked = 0
    for index, sentence in enumerate(sentences):
        if not sentence["citations"]:
            continue
        page.click(f"{pane} .sentence[data-id='{index}']")
        expected = [text[start:end] for start, end in merged(sentence["citations"])]
        assert highlighted(page) == expected
        assert page.eval_on_selector(f"{pane} .sentence[data-id='{index}']", "n => n.classList.contains('active')")
        checked += 1
    return checked


def summarize_in_page(page, click: str = "#summarize-button") -> dict:
    with page.expect_response("**/v1/summarize") as response:
        page.click(click)
    assert response.value.ok, response.value.text()
    page.wait_for_selector("#summarize-result .sentence")
    return response.value.json()


def test_uploaded_letters_per_section_highlight_their_citations(server, watched):
    page = watched.page
    page.goto(server.url)
    page.set_input_files("#file", str(LETTERS))
    assert "letters.md" in page.text_content("#file-name")
    page.click("label:has(input[value=section])")
    result = summarize_in_page(page)
    assert result["per"] == "section" and result["document"]["source"] == "letters.md"

    clicked = assert_click_highlights_citations(page, result, "#summarize-result", result["summary"])
    assert clicked == len(result["summary"])
    # a source passage that is cited can be clicked too: it selects a sentence citing it
    page.click("#summarize-result .source-text .cited >> nth=0")
    assert highlighted(page)

    # one heading per summarized section, with the letter's date and author → recipient
    sections = result["document"]["sections"]
    summarized = list(dict.fromkeys(s["section"] for s in result["summary"]))
    headings = page.eval_on_selector_all(
        ".unit-heading", "hs => hs.map(h => [h.querySelector('.unit-title').textContent, h.textContent])"
    )
    assert [title for title, _ in headings] == [sections[i]["title"] for i in summarized]
    for (_, heading), index in zip(headings, summarized):
        section = sections[index]
        if section["date"]:
            assert section["date"] in heading
        if section["author"] and section["recipient"]:
            assert f"{section['author']} → {section['recipient']}" in heading

    # the coverage strip: one mark per citation, and a share of the text
    citations = sum(len(s["citations"]) for s in result["summary"])
    assert page.locator(".strip-cite").count() == citations
    assert "% of the text" in page.text_content(".strip-caption")
    assert page.locator(".badge").count() >= len(result["summary"])

    page.click(f"#summarize-result .sentence[data-id='{len(result['summary']) // 2}']")
    page.wait_for_timeout(500)  # let the smooth scroll settle for the picture
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "web-summary-per-section.png"), full_page=True)
    assert all(url.startswith(server.url) or url.startswith("data:") for url in watched.requests), watched.requests


def test_offsets_survive_astral_characters_before_citations(server, watched):
    """Python offsets count code points, JS strings UTF-16 units: emoji must not shift highlights."""
    text = (
        "Launch day 🚀 began with a countdown 😀 at dawn. The rocket 𝒳-1 carried three crew members to orbit. "
        "Engineers in 🇨🇺 watched the telemetry closely.\n\n"
        "The crew returned after nine days 🌍 in orbit. Mission control praised the smooth landing on Tuesday."
    )
    page = watched.page
    page.goto(server.url)
    page.fill("#text", text)
    page.select_option("#length-unit", "sentences")
    page.fill("#length", "4")
    result = summarize_in_page(page)
    assert result["document"]["text"] == text
    assert assert_click_highlights_citations(page, result, "#summarize-result", result["summary"]) >= 3
    # the source pane is the document, character for character
    assert page.text_content("#summarize-result .source-text") == text


def test_document_markup_is_shown_as_text_and_never_runs(server, watched):
    text = f"This source tries to inject markup: {XSS} into the page. The page must show it as plain text."
    page = watched.page
    page.goto(server.url)
    page.fill("#text", text)
    page.fill("#length", "2")
    result = summarize_in_page(page)
    assert "<script>" in result["document"]["text"]
    assert page.text_content("#summarize-result .source-text") == result["document"]["text"]
    texts = page.eval_on_selector_all(".sentence-text", "ns => ns.map(n => n.textContent)")
    assert any("<img src=x" in s for s in texts)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#summarize-result img, #summarize-result script").count() == 0


def test_check_tab_shows_each_sentence_verdict(server, watched):
    source = LETTERS.read_text(encoding="utf-8")
    summary = (
        "Castro considered an attack to be almost imminent, within 24 to 72 hours. "
        f"Khrushchev promised to send ten thousand troops to Havana. {XSS}"
    )
    page = watched.page
    page.goto(server.url)
    page.click("#tab-check")
    assert page.is_hidden("#panel-summarize") and page.is_visible("#panel-check")
    page.fill("#check-summary", summary)
    page.fill("#check-source", source)
    with page.expect_response("**/v1/check") as response:
        page.click("#check-button")
    assert response.value.ok, response.value.text()
    result = response.value.json()
    page.wait_for_selector("#check-result .sentence")
    items = page.locator("#check-result .sentence")
    assert items.count() == len(result["sentences"])
    for i, sentence in enumerate(result["sentences"]):
        assert items.nth(i).locator(".badge-label").text_content() == sentence["label"]
        assert items.nth(i).locator(".badge-score").text_content() == f"{sentence['score']:.2f}"
        for reason in sentence["reasons"]:
            assert reason in items.nth(i).text_content()
    assert f"{result['score']:.2f}" in page.text_content("#check-result .overall")
    assert assert_click_highlights_citations(page, result, "#check-result", result["sentences"]) >= 1
    assert page.evaluate("window.__pwned") is None
    page.wait_for_timeout(500)  # let the smooth scroll settle for the picture
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "web-check.png"), full_page=True)


def test_api_problems_are_shown_to_the_reader(server, watched, tmp_path):
    page = watched.page
    page.goto(server.url)
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00 not a document")
    page.set_input_files("#file", str(program))
    with page.expect_response("**/v1/summarize") as response:
        page.click("#summarize-button")
    assert response.value.status == 415
    page.wait_for_selector("#summarize-status.problem")
    assert "415" in page.text_content("#summarize-status") and "'.exe'" in page.text_content("#summarize-status")
    watched.errors.clear()  # Chromium logs the failed fetch itself; that error is the point here


def test_html_report_is_standalone_and_interactive(browser, run_cli, tmp_path):
    report = tmp_path / "report.html"
    source = tmp_path / "letters.md"
    source.write_text(LETTERS.read_text(encoding="utf-8") + f"\n\nA postscript: {XSS} stays text.\n", encoding="utf-8")
    done = run_cli("summarize", source, "--per", "section", "--format", "html", "--output", report)
    assert done.returncode == 0, done.stderr.decode()
    done = run_cli("summarize", source, "--per", "section", "--format", "json")
    result = json.loads(done.stdout)

    html = report.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html  # escaped inside the data block
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    watched = Watched(context.new_page())
    page = watched.page
    page.goto(report.as_uri())
    page.wait_for_selector("#report .sentence")
    assert page.text_content("#report .source-text") == result["document"]["text"]
    assert assert_click_highlights_citations(page, result, "#report", result["summary"]) == len(result["summary"])
    page.hover("#report .sentence[data-id='0']")
    assert highlighted(page) == [result["document"]["text"][a:b] for a, b in merged(result["summary"][0]["citations"])]
    assert page.evaluate("window.__pwned") is None
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "report-per-section.png"))
    assert watched.requests == [report.as_uri()]  # nothing fetched: everything is inline
    assert not watched.errors, watched.errors  # a CSP violation would be logged here
    context.close()


def test_html_check_report_shows_each_verdict(browser, run_cli, tmp_path):
    summary = tmp_path / "summary.txt"
    summary.write_text("Castro considered an attack almost imminent.\nKhrushchev sent ten thousand troops.\n")
    report = tmp_path / "check.html"
    done = run_cli("check", summary, "--source", LETTERS, "--format", "html", "--output", report)
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(run_cli("check", summary, "--source", LETTERS, "--format", "json").stdout)
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    page.goto(report.as_uri())
    page.wait_for_selector("#report .sentence")
    labels = page.eval_on_selector_all("#report .sentence .badge-label", "ns => ns.map(n => n.textContent)")
    assert labels == [s["label"] for s in result["sentences"]]
    assert f"{result['score']:.2f}" in page.text_content("#report .overall")
    assert assert_click_highlights_citations(page, result, "#report", result["sentences"]) >= 1
    assert not watched.errors, watched.errors
    context.close()


def is_loopback(url: str) -> bool:
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def test_every_served_page_works_with_the_network_cut_off(server, browser):
    """/, /docs and a summary page, with every non-loopback request blocked: none is made."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    blocked: list[str] = []

    def only_loopback(route) -> None:
        if is_loopback(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_loopback)
    watched = Watched(context.new_page())
    page = watched.page

    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".opblock-summary-path[data-path='/v1/summarize']", timeout=30_000)
    assert page.locator(".opblock").count() >= 3  # /v1/summarize, /v1/check, /healthz
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "docs-offline.png"))

    page.goto(server.url)
    page.fill("#text", LETTERS.read_text(encoding="utf-8"))
    result = summarize_in_page(page)
    assert result["summary"] and page.locator("#summarize-result .sentence").count() == len(result["summary"])

    context.close()
    assert not blocked, f"requests that tried to leave the machine: {blocked}"
    assert watched.requests and [url for url in watched.requests if not is_loopback(url)] == []
    assert not watched.errors, watched.errors
