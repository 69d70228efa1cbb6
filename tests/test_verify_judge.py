"""The judge: a language model's Yes or No on the sentences verify is unsure of, with real components.

The slow tests run SmolLM2 behind llama-cpp-python's OpenAI-compatible server (as in
test_abstractive_openai) and in-process. Which claims verify is unsure of shifts whenever its model
is retrained, so each test asks verify first and derives what the judge must see from that.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import groundsum
from groundsum.errors import ConfigError
from groundsum.model import CheckedSentence, CheckResult, Verdict
from groundsum.pipeline import load, summarize
from groundsum.render import render
from groundsum.summarize import get_engine
from groundsum.verify.judge import check_band, judge_prompt, needs_judge, parse_answer, passages
from test_abstractive_openai import ALIAS, KEY, LlamaServer

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "tests" / "fixtures" / "letters.md"
EXACT = "The Cuban people's morale is extremely high and the people will confront aggression heroically."
CLAIMS = [  # paraphrases, near misses and inventions about the letters; the first is a word-for-word quote
    EXACT,
    "Castro expected an attack on Cuba within a few days.",
    "Khrushchev advised Castro to remain patient and firm.",
    "Castro said Cuba opposes inspections of its territory.",
    "The United States promised not to invade Cuba.",
    "Castro thanked the Soviet people for their generosity.",
    "The Soviet Union agreed to remove its missiles from Cuba.",
    "Castro praised Khrushchev as a defender of peace.",
    "The Cuban people's morale was very low.",
    "Khrushchev wrote that a thermonuclear war could have broken out.",
    "Khrushchev considered Castro's proposal of a first nuclear strike mistaken.",
    "Khrushchev believed that communism would eventually win worldwide.",
    "Cuban forces mobilized forty anti-aircraft batteries on October 24.",
]
WIDE = (0.0, 0.99)  # a band that sends every sentence not quoted word for word


def verdict(sentence: CheckedSentence) -> Verdict:
    return Verdict(sentence.label, sentence.score, sentence.citations, sentence.reasons)


def unsure(result: CheckResult, band: tuple[float, float] | None) -> list[int]:
    """Indices of the sentences the judge must be asked about: verify's own rule, applied to a check without judge."""
    return [k for k, s in enumerate(result.sentences) if needs_judge(verdict(s), band)]


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> tuple[Path, CheckResult, tuple[float, float] | None]:
    """The claims as a summary file, verify's verdicts on them, and the band that guarantees the judge
    gets some: none while some claim is uncertain, else every one not quoted."""
    path = tmp_path_factory.mktemp("judge") / "claims.txt"
    path.write_text("\n".join(CLAIMS) + "\n", encoding="utf-8")
    fast = groundsum.check(LETTERS, path)
    band = None if unsure(fast, None) else WIDE
    assert unsure(fast, band), "no claim is left for a judge: add claims verify is unsure of"
    return path, fast, band


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- pure parts, no model


@pytest.mark.parametrize(
    "reply, answer",
    [
        ("Yes", True), ("No.", False), (" yes, the document says so", True), ("NO", False),
        ("Answer: Yes. Although no date is given", True), ("The claim is not supported.", None),
        ("Nobody knows", None), ("", None), ("The claim is partially supported by the document", None),
    ],
)
def test_the_first_yes_or_no_is_the_answer(reply, answer):
    assert parse_answer(reply) is answer


def test_exact_quotes_and_sure_sentences_never_need_a_judge(claims):
    _, fast, _ = claims
    quote = verdict(fast.sentences[0])
    assert quote.score == 1.0 and not needs_judge(quote, WIDE)
    for sentence in fast.sentences:
        assert needs_judge(verdict(sentence)) == (sentence.label == "uncertain" and bool(sentence.citations))
    sure = Verdict("supported", 0.5, fast.sentences[1].citations)
    assert needs_judge(sure, (0.4, 0.6)) and not needs_judge(sure, (0.6, 0.9))
    assert not needs_judge(Verdict("uncertain", 0.25, ())), "no cited passage to judge it by"


def test_the_prompt_holds_the_cited_passages_only(claims):
    _, fast, band = claims
    doc = load(LETTERS)
    k = unsure(fast, band)[0]
    sentence = fast.sentences[k]
    text = passages(doc, sentence.citations, lambda t: len(t) // 4, 1024)
    for span in sentence.citations:
        assert " ".join(doc.cite(span).split()) in text
    assert "Fidel Castro" in text, "each passage comes under its letter's heading"
    assert len(text) < len(doc.text) / 4, "never the whole document"


def test_bands_are_checked():
    assert check_band((0.2, 0.5)) == (0.2, 0.5) and check_band(None) is None
    for bad in ((0.5, 0.2), (-0.1, 0.3), (0.2, 1.5)):
        with pytest.raises(ConfigError, match="--judge-band"):
            check_band(bad)


def test_an_extractive_summary_never_reaches_the_judge():
    dead = f"http://127.0.0.1:{free_port()}/v1"
    summary = summarize(LETTERS, per="section", judge="openai", base_url=dead, model="nobody")
    assert summary.judge is not None and summary.judge.asked == 0 and summary.judge.error is None
    assert all(s.judged_by is None and s.score == 1.0 for s in summary.sentences)
    assert json.loads(render(summary, "json"))["judge"] == {
        "by": "openai nobody", "asked": 0, "decided": 0, "error": None
    }


def test_a_judge_needs_a_model_that_takes_instructions(claims):
    path, _, band = claims
    with pytest.raises(ConfigError, match="cannot judge"):
        groundsum.check(LETTERS, path, judge="extractive", judge_band=band)
    with pytest.raises(ConfigError, match="both would take the same --model"):
        summarize(LETTERS, engine="llama-cpp", judge="openai", model="x.gguf")


# ---------------------------------------------------------------- failing endpoints


@pytest.fixture
def quiet_env(monkeypatch, tmp_path):
    """No user config file, no retries: a failing endpoint fails at once."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.setenv("GROUNDSUM_RETRIES", "0")
    for name in (
        "GROUNDSUM_BASE_URL", "OPENAI_BASE_URL", "GROUNDSUM_MODEL", "OPENAI_API_KEY", "GROUNDSUM_ENGINE_API_KEY"
    ):
        monkeypatch.delenv(name, raising=False)


def _assert_fast_verdicts_kept(run_cli, claims, judged, fail_on: str) -> None:
    path, _, _ = claims
    plain = run_cli("check", "--source", LETTERS, path, "--format", "json", "--fail-on", fail_on)
    assert judged.returncode == plain.returncode, "the judge's failure leaves the exit status alone"
    assert json.loads(judged.stdout)["sentences"] == json.loads(plain.stdout)["sentences"]
    assert b"Traceback" not in judged.stderr
    lines = judged.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("groundsum: warning: judge (openai smollm2) failed: "), lines


def test_a_dead_endpoint_is_one_warning_and_the_fast_verdicts_stand(run_cli, claims, quiet_env):
    path, _, band = claims
    dead = f"http://127.0.0.1:{free_port()}/v1"
    args = ["--judge", "openai", "--base-url", dead, "--model", "smollm2"]
    args += ["--judge-band", "0,0.99"] if band else []
    for fail_on in ("never", "uncertain"):
        judged = run_cli("check", "--source", LETTERS, path, "--format", "json", "--fail-on", fail_on, *args)
        _assert_fast_verdicts_kept(run_cli, claims, judged, fail_on)
        assert f"cannot reach {dead}: connection refused".encode() in judged.stderr
        report = json.loads(judged.stdout)["judge"]
        assert report["error"].startswith(f"cannot reach {dead}") and report["decided"] == 0


class BrokenModelServer:
    """A real HTTP server that lists one model and answers every chat request with HTTP 500."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: dict) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body).encode())

            def do_GET(self) -> None:
                self._send(200, {"data": [{"id": ALIAS}]})

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self._send(500, {"error": {"message": "model crashed"}})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_an_http_error_is_one_warning_and_the_fast_verdicts_stand(run_cli, claims, quiet_env):
    path, _, band = claims
    broken = BrokenModelServer()
    try:
        args = ["--judge", "openai", "--base-url", broken.url, "--model", ALIAS]
        args += ["--judge-band", "0,0.99"] if band else []
        judged = run_cli("check", "--source", LETTERS, path, "--format", "json", *args)
    finally:
        broken.close()
    _assert_fast_verdicts_kept(run_cli, claims, judged, "never")
    assert b"(HTTP 500): model crashed" in judged.stderr


# ---------------------------------------------------------------- SmolLM2, served and in-process


@pytest.fixture(scope="module")
def server(smollm2_gguf, tmp_path_factory):
    running = LlamaServer(smollm2_gguf, tmp_path_factory.mktemp("judge-server") / "server.log")
    yield running
    running.stop()


def _assert_judged_only(fast: CheckResult, judged: CheckResult, asked: list[int], by: str) -> None:
    """Sentences outside ``asked`` are exactly as verify left them; asked ones carry the judge where it answered."""
    assert judged.judge is not None and judged.judge.by == by and judged.judge.asked == len(asked)
    assert judged.judge.error is None
    decided = [k for k, s in enumerate(judged.sentences) if s.judged_by is not None]
    assert set(decided) <= set(asked) and len(decided) == judged.judge.decided
    for k, (before, after) in enumerate(zip(fast.sentences, judged.sentences, strict=True)):
        if k not in decided:
            assert after == before
            continue
        assert after.judged_by == by and after.score == before.score and after.citations == before.citations
        assert after.label in ("supported", "unsupported")
        assert (after.label == "unsupported") == ("judge said no" in after.reasons)


@pytest.mark.slow
def test_only_sentences_verify_is_unsure_of_reach_a_served_judge(server, claims):
    path, fast, band = claims
    engine = get_engine("openai", base_url=server.url, api_key=KEY, model=ALIAS, context=2048, quiet=True)
    before = server.chat_requests()
    judged = groundsum.check(LETTERS, path, judge=engine, judge_band=band)
    asked = unsure(fast, band)
    sent = server.chat_requests() - before
    print(f"\njudge: {sent} of {len(CLAIMS)} sentences sent, {judged.judge.decided} answered")
    assert sent == len(asked)
    _assert_judged_only(fast, judged, asked, f"openai {ALIAS}")
    assert judged.sentences[0].score == 1.0 and judged.sentences[0].judged_by is None


@pytest.mark.slow
def test_the_cli_shows_who_decided(server, claims, run_cli, monkeypatch, tmp_path):
    path, fast, _ = claims
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    args = ["--judge", "openai", "--base-url", server.url, "--model", ALIAS, "--judge-band", "0,0.99"]
    done = run_cli("check", "--source", LETTERS, path, "--format", "json", *args)
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()
    data = json.loads(done.stdout)
    asked = unsure(fast, WIDE)
    assert data["judge"]["by"] == f"openai {ALIAS}" and data["judge"]["asked"] == len(asked)
    assert data["judge"]["decided"] >= 1, "SmolLM2 answers some of the claims with a plain Yes or No"
    for k, sentence in enumerate(data["sentences"]):
        assert sentence["judged_by"] in (None, f"openai {ALIAS}")
        if sentence["judged_by"]:
            assert k in asked and sentence["label"] in ("supported", "unsupported")
        else:
            assert sentence["label"] == fast.sentences[k].label


@pytest.mark.slow
def test_the_in_process_llama_cpp_engine_judges_too(smollm2_gguf, claims):
    path, fast, _ = claims
    engine = get_engine("llama-cpp", model=str(smollm2_gguf), context=2048, threads=2, seed=0, quiet=True)
    judged = groundsum.check(LETTERS, path, judge=engine, judge_band=WIDE)
    by = f"llama-cpp {smollm2_gguf.name}"
    _assert_judged_only(fast, judged, unsure(fast, WIDE), by)
    assert judged.judge.decided >= 1
    markdown = render(judged, "markdown")
    assert f"judge ({by}): " in markdown and f"*judge ({by}): asked about {judged.judge.asked} sentence(s)" in markdown
    text = render(judged, "text")
    assert f"judge ({by}): " in text
    prompt = judge_prompt(load(LETTERS), CLAIMS[1], verdict(fast.sentences[1]), engine.backend)
    assert prompt.task.startswith(
        f"Claim: {CLAIMS[1]}\nIs the claim fully supported by the document? Answer Yes or No."
    )
