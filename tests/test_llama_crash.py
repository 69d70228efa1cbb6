"""A llama.cpp build that crashes on this CPU gives one line with the fix, never a segfault.

A build compiled with ``-march=native`` elsewhere dies at its first decode on a CPU without the
same instructions. That can't be compiled on purpose for the CPU running these tests, so a
``llama_cpp`` package stands in for it whose decode dereferences a null pointer: a real SIGSEGV in
the process that decodes, as the broken build gives.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from groundsum.errors import EngineError
from groundsum.summarize.engines.llama_cpp import check_llama_runs

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "tests" / "fixtures" / "letters.md"
CRASHING_BUILD = '''
import ctypes


class Llama:
    def __init__(self, model_path, vocab_only=False, **options):
        self.metadata = {"general.architecture": "llama", "llama.context_length": "2048"}

    def tokenize(self, text, add_bos=False, special=False):
        return [1, 2]

    def eval(self, tokens):
        ctypes.string_at(0)  # SIGSEGV, where a build for another CPU dies
'''


@pytest.fixture
def crashing_build(tmp_path, monkeypatch) -> Path:
    package = tmp_path / "site" / "llama_cpp"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(CRASHING_BUILD, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(package.parent), os.environ.get("PYTHONPATH")])))
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    return model


def test_the_probe_names_the_crash_and_the_rebuild(crashing_build):
    with pytest.raises(EngineError) as raised:
        check_llama_runs(crashing_build)
    message = str(raised.value)
    assert message.startswith("llama.cpp crashes on this CPU (SIGSEGV); rebuild it portable:")
    assert "-DGGML_NATIVE=OFF" in message and "--no-cache-dir" in message and "\n" not in message


def test_summarize_with_a_crashing_build_exits_with_one_line(crashing_build):
    done = subprocess.run(
        [
            sys.executable, "-m", "groundsum", "summarize", str(LETTERS),
            "--engine", "llama-cpp", "--model", str(crashing_build),
        ],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert done.returncode not in (0, -11) and done.returncode > 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("groundsum: error: llama.cpp crashes on this CPU (SIGSEGV)")
    assert "Traceback" not in done.stderr and "Segmentation fault" not in done.stderr
