"""``groundsum check`` as a user runs it: every format, --fail-on exit codes, bad input."""

from __future__ import annotations

import json

import pytest

GOOD = "The Cuban people's morale is extremely high and the people will confront aggression heroically.\n"  # stated
BAD = "Cuban forces mobilized forty anti-aircraft batteries on October 24.\n"


@pytest.fixture
def summary(tmp_path):
    path = tmp_path / "summary.txt"
    path.write_text(GOOD + BAD, encoding="utf-8")
    return path


def test_check_json_keeps_the_schema(run_cli, letters_path, summary):
    done = run_cli("check", "--source", letters_path, summary, "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert {"score", "sentences", "document"} <= set(data)
    assert 0.0 <= data["score"] <= 1.0
    good, bad = data["sentences"]
    for sentence in (good, bad):
        assert set(sentence) == {"text", "label", "score", "reasons", "citations", "judged_by"}
        assert sentence["judged_by"] is None
        assert all(set(c) == {"start", "end"} for c in sentence["citations"])
    assert good["label"] == "supported" and bad["label"] == "unsupported"
    assert "number 'forty' not in source (source has fifty)" in bad["reasons"]
    text = data["document"]["text"]
    assert any("fifty anti-aircraft batteries" in text[c["start"] : c["end"]] for c in bad["citations"])


def test_check_markdown_marks_and_cites(run_cli, letters_path, summary):
    done = run_cli("check", "--source", letters_path, summary)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert out.startswith("# Check: support ")
    assert "| unsupported |" in out and "number 'forty' not in source" in out
    assert "## Sources" in out and "[1]: chars " in out


def test_check_text_one_row_per_sentence(run_cli, letters_path, summary):
    done = run_cli("check", "--source", letters_path, summary, "--format", "text")
    assert done.returncode == 0, done.stderr.decode()
    header, good, bad = done.stdout.decode().strip().split("\n")
    assert header.startswith("support\t")
    assert good.startswith("supported\t") and bad.startswith("unsupported\t")


def test_check_reads_the_summary_from_stdin(run_cli, letters_path):
    done = run_cli("check", "--source", letters_path, "-", "--format", "json", input=BAD.encode())
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["sentences"][0]["label"] == "unsupported"


@pytest.mark.parametrize(
    "fail_on, lines, code",
    [
        ("unsupported", GOOD + BAD, 3),
        ("unsupported", GOOD, 0),
        ("uncertain", GOOD + BAD, 3),
        ("never", GOOD + BAD, 0),
    ],
)
def test_fail_on_exit_code(run_cli, letters_path, tmp_path, fail_on, lines, code):
    path = tmp_path / "s.txt"
    path.write_text(lines, encoding="utf-8")
    done = run_cli("check", "--source", letters_path, path, "--format", "text", "--fail-on", fail_on)
    assert done.returncode == code, done.stderr.decode()
    assert done.stdout.decode().startswith("support\t")  # the report is printed either way


def test_drop_leaves_unsupported_out_of_the_report_but_not_the_score(run_cli, letters_path, summary):
    flagged = json.loads(run_cli("check", "--source", letters_path, summary, "-f", "json").stdout)
    dropped = run_cli(
        "check", "--source", letters_path, summary, "-f", "json", "--unsupported", "drop", "--fail-on", "unsupported"
    )
    assert dropped.returncode == 3  # the dropped sentence still fails the check
    data = json.loads(dropped.stdout)
    assert [s["label"] for s in data["sentences"]] == ["supported"]
    assert data["score"] == flagged["score"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--source", "tests/fixtures/letters.md", "missing-summary.txt"], "missing-summary.txt: no such file"),
        (["--source", "missing-source.md", "tests/fixtures/letters.md"], "missing-source.md"),
        (["--source", "tests/fixtures/letters.md", "tests/fixtures/letters.md", "--fail-on", "sometimes"], "--fail-on"),
        (
            ["--source", "tests/fixtures/letters.md", "tests/fixtures/letters.md", "--unsupported", "hide"],
            "--unsupported",
        ),
    ],
)
def test_bad_input_is_one_line(run_cli, args, message):
    done = run_cli("check", *args)
    assert done.returncode == 1
    err = done.stderr.decode().strip()
    assert err.startswith("groundsum: error: ") and message in err and "\n" not in err
