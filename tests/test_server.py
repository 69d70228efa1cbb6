"""``groundsum serve``: the HTTP API, its limits and its API-key rule, against the real app.

Most tests use FastAPI's TestClient on the real app (real worker processes, real models);
the limits that depend on sockets and timing (413 while streaming, 503, 504) run against a
real ``groundsum serve`` on a free 127.0.0.1 port.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from groundsum.server.app import create_app
from groundsum.server.settings import Limits

ROOT = Path(__file__).resolve().parent.parent
LETTERS = Path(__file__).resolve().parent / "fixtures" / "letters.md"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Limits(workers=1))) as test_client:
        yield test_client


def assert_problem(response: httpx.Response, status: int) -> dict:
    """The response is RFC 9457 problem details with this status and a useful detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"] == "about:blank" and problem["title"]
    assert isinstance(problem["detail"], str) and len(problem["detail"]) > 10
    return problem


def assert_cites_its_document(result: dict) -> None:
    """Every citation is a span of document.text, and extracted sentences quote what they cite."""
    text = result["document"]["text"]
    assert result["summary"], "empty summary"
    for sentence in result["summary"]:
        assert sentence["citations"]
        for citation in sentence["citations"]:
            assert 0 <= citation["start"] < citation["end"] <= len(text)


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Letters from October 1962", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(paragraphs: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 10, "Letters from October 1962")
    pdf.set_font("Helvetica", "", 11)
    for paragraph in paragraphs:
        pdf.ln(4)
        pdf.multi_cell(0, 6, paragraph)
    return bytes(pdf.output())


def letter_paragraphs() -> list[str]:
    """Body paragraphs of the seed letters that Helvetica (latin-1) can print."""
    blocks = [" ".join(b.split()) for b in LETTERS.read_text(encoding="utf-8").split("\n\n")]
    return [b for b in blocks if len(b.split()) > 25 and b.isascii()][:8]


# --- the endpoints --------------------------------------------------------------------------------


def test_healthz_reports_load_and_limits(client):
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["in_flight"] == 0 and health["max_concurrency"] == 8 and health["workers"] == 1
    assert health["api_key_required"] is False


def test_openapi_docs_describe_both_request_bodies(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/summarize"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert "file" in body["multipart/form-data"]["schema"]["properties"]
    properties = set(body["application/json"]["schema"]["properties"])
    assert {"text", "per", "words", "sentences", "ratio", "engine", "unsupported"} <= properties
    assert "/v1/check" in spec["paths"]
    assert PROBLEM in spec["paths"]["/v1/summarize"]["post"]["responses"]["413"]["content"]


def test_summarize_upload_is_the_cli_json(client, run_cli):
    """Same file, same options: the API answers exactly what ``--format json`` prints."""
    response = client.post(
        "/v1/summarize",
        files={"file": ("letters.md", LETTERS.read_bytes(), "text/markdown")},
        data={"per": "section", "sentences": "2"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    api = response.json()
    cli = run_cli("summarize", LETTERS, "--per", "section", "--sentences", "2", "--format", "json")
    assert cli.returncode == 0, cli.stderr.decode()
    expected = json.loads(cli.stdout)
    assert api["document"].pop("source") == "letters.md"
    assert expected["document"].pop("source") == str(LETTERS)
    assert api == expected


def test_summarize_json_text_with_options(client):
    text = LETTERS.read_text(encoding="utf-8")
    response = client.post("/v1/summarize", json={"text": text, "per": "paragraph", "words": 30, "format": "markdown"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["per"] == "paragraph" and result["document"]["format"] == "markdown"
    assert_cites_its_document(result)
    assert len({s["unit"] for s in result["summary"]}) > 5  # one summary per paragraph


@pytest.mark.parametrize("kind", ["md", "docx", "pdf"])
def test_summarize_uploaded_files(client, tmp_path, kind):
    paragraphs = letter_paragraphs()
    path = tmp_path / f"letters.{kind}"
    if kind == "md":
        path.write_text("# Letters from October 1962\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    else:
        path.write_bytes(make_docx(paragraphs) if kind == "docx" else make_pdf(paragraphs))
    with path.open("rb") as upload:
        response = client.post("/v1/summarize", files={"file": (path.name, upload)}, data={"sentences": "3"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["document"]["format"] == {"md": "markdown", "docx": "docx", "pdf": "pdf"}[kind]
    assert result["document"]["source"] == path.name
    assert_cites_its_document(result)
    assert 1 <= len(result["summary"]) <= 3
    text = result["document"]["text"]
    first_words = " ".join(paragraphs[0].split()[:6])
    assert first_words in " ".join(text.split())


def test_text_naming_a_file_is_summarized_as_text_never_read(client):
    path = str(LETTERS)  # a real, readable file on this machine
    response = client.post("/v1/summarize", json={"text": path})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["document"]["text"] == path
    assert "Khrushchev" not in response.text.replace(path, "")


def test_upload_file_name_is_only_a_label(client):
    """A path-like upload name is cut to its base name and never opened."""
    content = b"The uploaded bytes are the document. Nothing else is read from disk."
    response = client.post("/v1/summarize", files={"file": ("../../../../etc/hostname", content)})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["document"]["source"] == "hostname"
    assert result["document"]["text"] == content.decode()


def test_check_answers_the_cli_check_json(client, run_cli, tmp_path):
    summary = (
        "Castro considered an attack to be almost imminent, within 24 to 72 hours.\n"
        "Khrushchev promised to send ten thousand troops to Havana.\n"
    )
    body = {"source": LETTERS.read_text(encoding="utf-8"), "summary": summary, "format": "markdown"}
    response = client.post("/v1/check", json=body)
    assert response.status_code == 200, response.text
    api = response.json()
    summary_file = tmp_path / "summary.txt"
    summary_file.write_text(summary, encoding="utf-8")
    cli = run_cli("check", summary_file, "--source", LETTERS, "--format", "json")
    assert cli.returncode == 0, cli.stderr.decode()
    expected = json.loads(cli.stdout)
    assert api["document"].pop("source") is None
    assert expected["document"].pop("source") == str(LETTERS)
    assert api == expected
    assert len(api["sentences"]) == 2 and 0 <= api["score"] <= 1
    text = api["document"]["text"]
    cited = " ".join(text[c["start"] : c["end"]] for c in api["sentences"][0]["citations"])
    assert "imminent" in cited


def test_check_summary_naming_a_file_is_checked_as_text(client):
    source = "The letters are kept in a file. Nobody reads them from a request."
    response = client.post("/v1/check", json={"source": source, "summary": str(LETTERS)})
    assert response.status_code == 200, response.text
    assert [s["text"] for s in response.json()["sentences"]] == [str(LETTERS)]


# --- errors as problem details ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Some text.", "words": 0}, "words"),
        ({"text": "Some text.", "per": "chapter"}, "per"),
        ({"text": "Some text.", "ratio": 1.5}, "ratio"),
        ({"text": "Some text.", "colour": "red"}, "colour"),
        ({"per": "section"}, "text"),
    ],
)
def test_invalid_options_are_422_naming_the_field(client, body, field):
    problem = assert_problem(client.post("/v1/summarize", json=body), 422)
    assert any(error["field"] == field for error in problem["errors"])
    assert field in problem["detail"]


@pytest.mark.parametrize(
    ("request_kwargs", "detail"),
    [
        ({"json": {"text": "Some text here.", "words": 20, "sentences": 2}}, "at most one of"),
        ({"json": {"text": "Some text here.", "engine": "no-such-engine"}}, "unknown engine 'no-such-engine'"),
        ({"json": {"text": "   \n  "}}, "empty"),
        ({"files": {"file": ("blank.txt", b"")}}, "blank.txt: the document is empty"),
        ({"files": {"file": ("blob", bytes(range(256)) * 8)}}, "binary"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "JSON"),
    ],
)
def test_unreadable_documents_and_bad_settings_are_422(client, request_kwargs, detail):
    problem = assert_problem(client.post("/v1/summarize", **request_kwargs), 422)
    assert detail in problem["detail"]


def test_encrypted_pdf_is_422(client):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(letter_paragraphs()[:2]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    problem = assert_problem(client.post("/v1/summarize", files={"file": ("locked.pdf", locked.getvalue())}), 422)
    assert "locked.pdf" in problem["detail"] and "encrypted" in problem["detail"]


def test_unsupported_media_and_file_types_are_415(client):
    problem = assert_problem(
        client.post("/v1/summarize", content=b"hello", headers={"content-type": "text/plain"}), 415
    )
    assert "text/plain" in problem["detail"]
    problem = assert_problem(client.post("/v1/summarize", files={"file": ("setup.exe", b"MZ\x90\x00")}), 415)
    assert "'.exe'" in problem["detail"] and ".pdf" in problem["detail"]
    assert_problem(client.post("/v1/check", data={"source": "a", "summary": "b"}), 415)


def test_unknown_route_is_a_problem_too(client):
    assert_problem(client.get("/v2/nothing-here"), 404)


# --- the API key --------------------------------------------------------------------------------


def test_api_key_is_required_when_configured():
    text = {"text": "A key guards this server. Only callers who present it may summarize."}
    with TestClient(create_app(Limits(workers=1), api_key="s3cret-key")) as keyed:
        assert keyed.get("/healthz").json()["api_key_required"] is True
        wrong = ({}, {"Authorization": "Bearer wrong"}, {"X-API-Key": "s3cret-ke"}, {"Authorization": "s3cret-key"})
        for headers in wrong:
            response = keyed.post("/v1/summarize", json=text, headers=headers)
            assert_problem(response, 401)
            assert response.headers["www-authenticate"] == "Bearer"
        assert_problem(keyed.post("/v1/check", json={"source": "a", "summary": "b"}), 401)
        assert keyed.post("/v1/summarize", json=text, headers={"Authorization": "Bearer s3cret-key"}).status_code == 200
        assert keyed.post("/v1/summarize", json=text, headers={"X-API-Key": "s3cret-key"}).status_code == 200
        assert keyed.get("/").status_code == 200  # the page itself holds no data


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "example.org"])
def test_non_loopback_host_without_key_refuses_to_start(host):
    env = {k: v for k, v in os.environ.items() if k != "GROUNDSUM_API_KEY"}
    done = subprocess.run(
        [sys.executable, "-m", "groundsum", "serve", "--host", host, "--port", "0"],
        capture_output=True, timeout=60, cwd=ROOT, env=env,
    )
    assert done.returncode != 0
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1, done.stderr.decode()
    assert lines[0].startswith("groundsum: error: refusing to serve on") and "GROUNDSUM_API_KEY" in lines[0]
    assert b"Uvicorn running" not in done.stdout + done.stderr


def test_invalid_limits_are_refused_with_one_line(run_cli):
    done = run_cli("serve", "--max-concurrency", "0")
    assert done.returncode != 0
    assert done.stderr.decode().strip() == "groundsum: error: --max-concurrency must be at least 1"


# --- the page's headers ------------------------------------------------------------------------


def test_page_is_served_with_a_strict_content_security_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script src=\"/static/app.js\"" in page.text
    assert page.text.count("<script") == 1  # no inline script anywhere
    assert "http://" not in page.text and "https://" not in page.text  # nothing from other origins
    script = client.get("/static/app.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text
    assert client.get("/static/app.css").status_code == 200


# --- limits on a real server: 413 by size, 503 when busy, 504 when slow --------------------------


@pytest.fixture(scope="module")
def busy_server(serve_groundsum):
    """One worker, one request at a time, 1 s per request, 3 MB per body."""
    return serve_groundsum("--workers", "1", "--max-concurrency", "1", "--timeout", "1", "--max-bytes", "3000000")


def big_document() -> bytes:
    """About 2.8 MB of letters, just under the 3 MB body limit: summarized per paragraph, about
    1.7 s of work on this machine, past the 1 s limit (per document, 1.7 MB took only 0.8 s)."""
    return ("\n\n".join([LETTERS.read_text(encoding="utf-8")] * 170)).encode()


def test_declared_oversize_body_is_refused_before_it_is_sent(busy_server):
    """413 from the Content-Length header alone: the server never waits for the body."""
    address = urlsplit(busy_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            b"POST /v1/summarize HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000000\r\n\r\n"
        )
        reply = b""
        while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert b"content-type: application/problem+json" in head.lower()
    assert json.loads(body)["detail"] == "the request body is larger than this server's limit of 3,000,000 bytes"


def test_streamed_oversize_body_is_refused_while_streaming(busy_server):
    """A chunked upload (no Content-Length) is counted as it arrives."""

    def chunks():
        for _ in range(47):  # 47 × 64 KiB ≈ 3.08 MB, just over the limit
            yield b"a" * 65536

    response = httpx.post(
        f"{busy_server.url}/v1/summarize", content=chunks(), headers={"content-type": "application/json"}, timeout=30
    )
    assert_problem(response, 413)


def test_busy_server_answers_503_and_slow_requests_504(busy_server):
    """A slow request holds the only slot: it gets 504 at its limit, a concurrent one 503 at once."""
    results: dict[str, httpx.Response] = {}

    def slow_request() -> None:
        with httpx.Client(timeout=60) as http:
            results["slow"] = http.post(
                f"{busy_server.url}/v1/summarize", files={"file": ("big.md", big_document())}, data={"per": "paragraph"}
            )

    slow = threading.Thread(target=slow_request)
    slow.start()
    with httpx.Client(base_url=busy_server.url, timeout=30) as http:
        deadline = time.monotonic() + 30
        while http.get("/healthz").json()["in_flight"] < 1:
            assert time.monotonic() < deadline, "the slow request never started"
            time.sleep(0.02)
        started = time.monotonic()
        refused = http.post("/v1/summarize", json={"text": "A short note. It should wait its turn."})
        refused_after = time.monotonic() - started
        slow.join(timeout=60)
        assert http.get("/healthz").json()["status"] == "ok"  # still serving
    problem = assert_problem(refused, 503)
    assert "already handling 1 request," in problem["detail"]
    assert refused.headers["retry-after"] == "1"
    assert refused_after < 1.0  # refused at once, not queued
    problem = assert_problem(results["slow"], 504)
    assert "limit of 1 s" in problem["detail"]
