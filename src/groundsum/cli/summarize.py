"""``groundsum summarize``: read a document, print its verified summary."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from ..pipeline import summarize as run_summary
from ..read import read_bytes
from ..render import render
from . import app


def read_input(path: str):
    """A path, or '-' for standard input (the reader is then chosen by content)."""
    if path == "-":
        return read_bytes(sys.stdin.buffer.read(), name=None)
    return Path(path)


def write_output(text: str, output: Path | None) -> None:
    """stdout, or the file written whole or not at all: a temporary file renamed over the target."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide the summary from the user's group
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, output)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from None


@app.command()
def summarize(
    path: str = typer.Argument(..., help="Document to summarize (txt, md, html, pdf, docx), or - for stdin."),
    per: str = typer.Option("document", "--per", help="document | section | paragraph"),
    words: Optional[int] = typer.Option(None, "--words", help="Length budget in words (per unit)."),
    sentences: Optional[int] = typer.Option(None, "--sentences", help="Length budget in sentences (per unit)."),
    ratio: Optional[float] = typer.Option(None, "--ratio", help="Length budget as a share of the unit's words."),
    format: str = typer.Option("markdown", "--format", "-f", help="markdown | json | text | html"),
    engine: str = typer.Option("extractive", "--engine", "-e", help="Summarization engine."),
    unsupported: str = typer.Option("drop", "--unsupported", help="drop | flag | keep unsupported sentences."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Generative engines: GGUF file, model directory or served model name."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="openai engine: the endpoint, e.g. http://127.0.0.1:11434/v1."),
    config: Optional[Path] = typer.Option(None, "--config", help="Settings file (TOML); default ~/.config/groundsum/config.toml."),
    max_concurrency: Optional[int] = typer.Option(None, "--max-concurrency", help="openai engine: requests in flight at once."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Generative engines: seconds to wait for one model reply."),
    repair: Optional[bool] = typer.Option(None, "--repair/--no-repair", help="Regenerate unsupported sentences once, with the reasons."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    embedder: Optional[str] = typer.Option(None, "--embedder", help="extractive engine: wordllama | minilm | model path."),
) -> None:
    """Summarize a document; every sentence carries citations and a support score.

    Generative engines (llama-cpp, openai, transformers) also read GROUNDSUM_* variables and the
    config file; options given here win over both.
    """
    generative = {"model": model, "base_url": base_url, "config": config, "max_concurrency": max_concurrency,
                  "timeout": timeout, "repair": repair, "quiet": quiet or None}
    summary = run_summary(
        read_input(path), per=per, words=words, sentences=sentences, ratio=ratio,
        engine=engine, unsupported=unsupported,
        **{key: value for key, value in {**generative, "embedder": embedder}.items() if value is not None},
    )
    write_output(render(summary, format), output)
