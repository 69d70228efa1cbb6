"""``groundsum mcp``: the tools as an agent sees them, through the MCP SDK's own client against a
real ``python -m groundsum mcp`` process (stdio, and streamable HTTP on loopback)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import pytest

needs_sdk = pytest.mark.skipif(
    find_spec("mcp") is None, reason="needs the mcp extra (mcp>=2): pip install 'groundsum[mcp]'"
)

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "tests" / "fixtures" / "letters.md"
FALSE_CLAIM = "Cuban forces mobilized forty anti-aircraft batteries on October 24."
MAX_BYTES = 20_000  # letters.md is under it; the oversized input is over it
CALL_TIMEOUT = 240  # seconds for one whole session: start, load the models, call


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The allowed folder, holding a copy of the letters; a secret file sits beside it, outside."""
    base = tmp_path_factory.mktemp("mcp")
    allowed = base / "allowed"
    allowed.mkdir()
    shutil.copy(LETTERS, allowed / "letters.md")
    (base / "secret.md").write_text("# Secret\n\nThe launch code is 0000. Nobody may read this file.\n")
    (allowed / "escape.md").symlink_to(base / "secret.md")
    return allowed


def call(root: Path, *calls: tuple[str, dict], max_bytes: int = MAX_BYTES):
    """Start ``groundsum mcp --root ROOT`` over stdio; list its tools, make ``calls``; close it."""

    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def session():
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "groundsum", "mcp", "--root", str(root), "--max-bytes", str(max_bytes)],
            cwd=str(ROOT),
            env={"PYTHONPATH": os.environ.get("PYTHONPATH", "")},
        )
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            listed = await client.list_tools()
            return listed.tools, [await client.call_tool(name, arguments) for name, arguments in calls]

    return asyncio.run(asyncio.wait_for(session(), CALL_TIMEOUT))


def cli_json(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "groundsum", *args, "--format", "json"], capture_output=True, timeout=300, cwd=ROOT
    )
    assert done.returncode in (0, 3), done.stderr.decode()
    return json.loads(done.stdout)


def error_text(result) -> str:
    assert result.is_error, result
    assert result.structured_content is None
    (content,) = result.content
    return content.text


@pytest.fixture(scope="module")
def session(root):
    """One server for the stdio tests: the tools it lists and its answer to each call."""
    calls = {
        "summary": ("summarize", {"source": str(root / "letters.md"), "per": "section"}),
        "relative": ("summarize", {"source": "letters.md", "per": "document", "words": 40}),
        "focused": ("summarize", {"source": "letters.md", "per": "section", "focus": "inspections"}),
        "check": ("check", {"source": str(root / "letters.md"), "summary": FALSE_CLAIM}),
        "outside": ("summarize", {"source": str(root.parent / "secret.md")}),
        "dotdot": ("check", {"source": "../secret.md", "summary": "The launch code is 0000."}),
        "symlink": ("summarize", {"source": "escape.md"}),
        "summary_outside": ("check", {"source": "letters.md", "summary": str(root.parent / "secret.md")}),
        "oversized": ("summarize", {"source": "The crisis lasted thirteen days. " * 1000}),
        "looks_like_path": ("summarize", {"source": "/no/such/folder/report.md"}),
        "bad_per": ("summarize", {"source": "letters.md", "per": "chapter"}),
        "bad_engine": ("summarize", {"source": "letters.md", "engine": "nonesuch"}),
    }
    tools, results = call(root, *calls.values())
    return {tool.name: tool for tool in tools}, dict(zip(calls, results))


@needs_sdk
def test_lists_the_two_tools_with_their_input_schemas(session):
    tools, _ = session
    assert set(tools) == {"summarize", "check"}
    summarize = tools["summarize"].input_schema
    assert summarize["required"] == ["source"]
    assert set(summarize["properties"]) == {"source", "per", "words", "engine", "focus"}
    assert summarize["properties"]["per"]["enum"] == ["document", "section", "paragraph"]
    assert summarize["properties"]["per"]["default"] == "document"
    assert summarize["properties"]["engine"]["default"] == "extractive"
    assert "--root" in summarize["properties"]["source"]["description"]
    check = tools["check"].input_schema
    assert sorted(check["required"]) == ["source", "summary"]
    assert set(check["properties"]) == {"source", "summary"}
    assert tools["check"].annotations.read_only_hint is True


@needs_sdk
def test_summarize_by_path_gives_the_json_of_the_cli(session, root):
    _, results = session
    result = results["summary"]
    assert not result.is_error, result.content
    data = result.structured_content
    assert data["schema_version"] == 1 and data["per"] == "section"
    text = data["document"]["text"]
    assert data["summary"], "no summary sentences"
    for sentence in data["summary"]:
        assert sentence["citations"], sentence
        for citation in sentence["citations"]:
            assert 0 <= citation["start"] < citation["end"] <= len(text)
        if sentence["origin"] == "extracted":
            assert any(sentence["text"] in text[c["start"] : c["end"]] for c in sentence["citations"]) or (
                sentence["label"] == "supported"
            )
    # exactly what `groundsum summarize --per section --format json` gives for the same file
    assert data == cli_json("summarize", str((root / "letters.md").resolve()), "--per", "section")
    assert json.loads(result.content[0].text) == data


@needs_sdk
def test_a_focused_summary_of_the_letters_says_which_letters_are_silent(session, root):
    _, results = session
    result = results["focused"]
    assert not result.is_error, result.content
    data = result.structured_content
    assert data["focus"] == "inspections"
    assert data["summary"] and all("inspection" in s["text"].lower() for s in data["summary"])
    spoken = {s["unit"] for s in data["summary"]}
    silent = [i for i, unit in enumerate(data["units"]) if unit["says_nothing"]]
    assert silent and not spoken & set(silent)
    assert all(data["units"][i]["says_nothing"].endswith("says nothing about inspections.") for i in silent)
    assert data == cli_json(
        "summarize", str((root / "letters.md").resolve()), "--per", "section", "--focus", "inspections"
    )


@needs_sdk
def test_a_relative_path_is_looked_up_in_the_root(session):
    _, results = session
    result = results["relative"]
    assert not result.is_error, result.content
    assert result.structured_content["per"] == "document"
    assert result.structured_content["document"]["title"] == "Cuban Missile Crisis: Khrushchev / Castro letters"


@needs_sdk
def test_check_labels_a_false_number_unsupported_with_its_reason(session, root):
    _, results = session
    result = results["check"]
    assert not result.is_error, result.content
    (sentence,) = result.structured_content["sentences"]
    assert sentence["text"] == FALSE_CLAIM
    assert sentence["label"] == "unsupported"
    assert "number 'forty' not in source (source has fifty)" in sentence["reasons"]
    claim = root.parent / "claim.txt"
    claim.write_text(FALSE_CLAIM + "\n")
    assert result.structured_content == cli_json("check", "--source", str((root / "letters.md").resolve()), str(claim))


@needs_sdk
@pytest.mark.parametrize("case", ["outside", "dotdot", "symlink", "summary_outside"])
def test_a_file_outside_the_roots_is_refused(session, root, case):
    _, results = session
    message = error_text(results[case])
    assert "\n" not in message
    assert "outside the folders this server may read" in message and "--root" in message
    assert str(root.resolve()) in message
    assert "0000" not in message  # nothing of the file itself


@needs_sdk
def test_an_oversized_input_is_refused(session):
    _, results = session
    message = error_text(results["oversized"])
    assert message == f"source: 33,000 bytes, larger than this server's limit of {MAX_BYTES:,} bytes"


@needs_sdk
def test_text_that_looks_like_a_path_is_text(session):
    """It names no file, so it is read as the document's text (never an error about a missing file)."""
    _, results = session
    result = results["looks_like_path"]
    assert not result.is_error, result.content
    assert result.structured_content["document"]["text"] == "/no/such/folder/report.md"
    assert result.structured_content["document"]["source"] is None


@needs_sdk
def test_groundsum_errors_are_one_line_tool_errors(session):
    _, results = session
    assert error_text(results["bad_engine"]).startswith("unknown engine 'nonesuch' (known: ")
    assert results["bad_per"].is_error  # refused by the input schema, before groundsum runs


@needs_sdk
def test_oversized_file_is_refused(root, tmp_path):
    big = "The crisis lasted thirteen days. " * 100
    (root / "big.md").write_text(big)
    try:
        _, (result,) = call(root, ("summarize", {"source": "big.md"}), max_bytes=1000)
    finally:
        (root / "big.md").unlink()
    assert error_text(result) == f"big.md: {len(big):,} bytes, larger than this server's limit of 1,000 bytes"


def test_the_root_must_be_a_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "groundsum", "mcp", "--root", str(tmp_path / "nowhere")],
        capture_output=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stderr.decode() == f"groundsum: error: --root {tmp_path / 'nowhere'}: no such folder\n"


def test_http_refuses_anything_but_loopback():
    done = subprocess.run(
        [sys.executable, "-m", "groundsum", "mcp", "--http", "--host", "0.0.0.0"],
        capture_output=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stderr.decode().startswith("groundsum: error: refusing to serve MCP on 0.0.0.0")


@needs_sdk
def test_streamable_http_on_loopback(root, tmp_path):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    log = tmp_path / "mcp.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "groundsum", "mcp", "--http", "--port", "0", "--root", str(root)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        url = None
        while url is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
            url = found and found.group(1)
            time.sleep(0.1)
        assert url, f"groundsum mcp --http did not start:\n{log.read_text(errors='replace')}"

        async def session():
            async with streamable_http_client(f"{url}/mcp") as (read, write), ClientSession(read, write) as client:
                await client.initialize()
                tools = await client.list_tools()
                checked = await client.call_tool("check", {"source": "letters.md", "summary": FALSE_CLAIM})
                refused = await client.call_tool("summarize", {"source": str(root.parent / "secret.md")})
                return tools.tools, checked, refused

        tools, checked, refused = asyncio.run(asyncio.wait_for(session(), CALL_TIMEOUT))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    assert {tool.name for tool in tools} == {"summarize", "check"}
    assert not checked.is_error, checked.content
    assert checked.structured_content["sentences"][0]["label"] == "unsupported"
    assert "outside the folders this server may read" in error_text(refused)


def test_without_the_sdk_says_how_to_install_it():
    """The base install runs every other command; this one says in one line what to install."""
    script = (
        "import sys; sys.modules['mcp'] = None; sys.argv = ['groundsum', 'mcp']; "
        "from groundsum.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 1
    message = done.stderr.decode()
    assert message.startswith("groundsum: error: groundsum mcp needs the MCP SDK, mcp>=2 (")
    assert message.endswith("): pip install 'groundsum[mcp]'\n") and message.count("\n") == 1
