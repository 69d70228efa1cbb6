"""Shared test fixtures: paths to the shipped fixtures and a way to run the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LETTERS = FIXTURES / "letters.md"  # the seed: four 1962 Castro/Khrushchev letters


@pytest.fixture
def letters_path() -> Path:
    return LETTERS


@pytest.fixture
def run_cli():
    """Run ``groundsum`` as a user would, in a subprocess; returns the CompletedProcess."""

    def run(*args: str, input: bytes | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "groundsum", *map(str, args)],
            input=input,
            capture_output=True,
            timeout=timeout,
            cwd=ROOT,
        )

    return run
