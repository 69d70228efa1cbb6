"""Third-party plugins, as a user installs them: real packages, real entry points, the real CLI.

Each package in tests/plugins/ is installed with pip into its own temporary folder, never into the
shared environment: the broken and duplicate ones would break every other test there, a killed run
would leave them behind, and the example one would change the registries other tests list. The
subprocesses that use a package get its folder on PYTHONPATH, where importlib.metadata finds its
entry points exactly as in site-packages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import LETTERS, ROOT

PLUGINS = Path(__file__).resolve().parent / "plugins"
Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """pip-installs a package of tests/plugins/ into a folder of its own, once per session; returns the folder.

    It is built from a copy, so the build leaves nothing in tests/plugins/."""
    folders: dict[str, Path] = {}

    def install(name: str) -> Path:
        if name not in folders:
            work = tmp_path_factory.mktemp(name)
            shutil.copytree(PLUGINS / name, work / "source")
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                 "--target", str(work / "site"), str(work / "source")],
                check=True, capture_output=True, timeout=300,
            )
            folders[name] = work / "site"
        return folders[name]

    return install


@pytest.fixture(scope="session")
def with_plugin(installed: Callable[[str], Path]) -> Callable[..., subprocess.CompletedProcess]:
    """Runs ``groundsum ARGS`` with one plugin package installed."""

    def run(plugin: str, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed(plugin)), os.environ.get("PYTHONPATH", "")])}
        return subprocess.run(
            [sys.executable, "-m", "groundsum", *map(str, args)],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
        )

    return run


def test_a_plugin_reader_and_engine_summarize_end_to_end(with_plugin: Run, tmp_path: Path) -> None:
    text = LETTERS.read_text(encoding="utf-8").replace("#", "").replace("*", "")
    source = tmp_path / "letters.example"
    source.write_text(text, encoding="utf-8")
    done = with_plugin("groundsum-example-plugin", "summarize", source, "--engine", "first-sentences",
                       "--sentences", "2", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["document"]["format"] == "example"
    assert result["engine"]["name"] == "first-sentences"
    sentences = [s["text"] for s in result["summary"]]
    assert len(sentences) == 2 and all(s["label"] == "supported" for s in result["summary"])
    assert text.index(sentences[0]) < text.index(sentences[1]) < len(text) // 4  # the leading ones


def test_plugins_lists_each_name_with_its_distribution(with_plugin: Run) -> None:
    done = with_plugin("groundsum-example-plugin", "plugins", "--format", "json")
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    readers = {p["name"]: p for p in listing["readers"]["plugins"]}
    engines = {p["name"]: p for p in listing["engines"]["plugins"]}
    assert readers["example"] == {"name": "example", "module": "groundsum_example_plugin",
                                  "distribution": "groundsum-example-plugin", "version": "0.1.0"}
    assert engines["first-sentences"]["module"] == "groundsum_example_plugin.engine"
    assert engines["first-sentences"]["distribution"] == "groundsum-example-plugin"
    assert engines["extractive"] == {"name": "extractive", "module": "groundsum.summarize.engines.extractive",
                                     "distribution": None, "version": None}
    assert {"readers", "engines", "formats", "signals"} <= set(listing)
    text = with_plugin("groundsum-example-plugin", "plugins").stdout
    assert "groundsum-example-plugin 0.1.0 (groundsum_example_plugin.engine)" in text
    assert "built-in (groundsum.read.formats.markdown)" in text


def test_help_lists_plugin_engines(with_plugin: Run) -> None:
    done = with_plugin("groundsum-example-plugin", "summarize", "--help")
    assert done.returncode == 0, done.stderr
    assert "first-sentences" in done.stdout and "example" in done.stdout  # the engine, and the reader's extension


def test_a_plugin_that_fails_to_import_is_named_in_one_line(with_plugin: Run) -> None:
    done = with_plugin("groundsum-broken-plugin", "plugins")
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "'broken = groundsum_broken_plugin'" in lines[0]
    assert "groundsum.engines" in lines[0] and "groundsum-broken-plugin 0.1.0" in lines[0]
    assert "ModuleNotFoundError" in lines[0] and "groundsum_library_that_is_not_installed" in lines[0]


def test_a_duplicate_name_is_refused_naming_both_sources(with_plugin: Run) -> None:
    done = with_plugin("groundsum-duplicate-plugin", "plugins")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "groundsum: error: output format 'json' is registered twice: by built-in (groundsum.render.formats.json) "
        "and by groundsum-duplicate-plugin 0.2.0 (groundsum_duplicate_plugin)"
    )
