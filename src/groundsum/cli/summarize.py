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
from ..render import render, renderer_registry
from ..render.grouping import judge_summary
from ..summarize import engine_registry
from . import app, options, warn


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
    path: str = typer.Argument(..., help=f"Document to summarize ({options.extensions()}), or - for stdin."),
    per: str = typer.Option("document", "--per", help="document | section | paragraph"),
    words: Optional[int] = typer.Option(None, "--words", help="Length budget in words (per unit)."),
    sentences: Optional[int] = typer.Option(None, "--sentences", help="Length budget in sentences (per unit)."),
    ratio: Optional[float] = typer.Option(None, "--ratio", help="Length budget as a share of the unit's words."),
    format: str = typer.Option("markdown", "--format", "-f", help=options.choices(renderer_registry)),
    engine: str = typer.Option("extractive", "--engine", "-e", help=options.choices(engine_registry)),
    unsupported: str = typer.Option("drop", "--unsupported", help="drop | flag | keep unsupported sentences."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    model: Optional[str] = options.MODEL,
    base_url: Optional[str] = options.BASE_URL,
    config: Optional[Path] = options.CONFIG,
    max_concurrency: Optional[int] = options.MAX_CONCURRENCY,
    timeout: Optional[float] = options.TIMEOUT,
    repair: Optional[bool] = typer.Option(None, "--repair/--no-repair", help="Regenerate unsupported sentences once, with the reasons."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    embedder: Optional[str] = typer.Option(None, "--embedder", help="extractive engine: wordllama | minilm | model path."),
    judge: Optional[str] = options.JUDGE,
    judge_band: Optional[str] = options.JUDGE_BAND,
) -> None:
    """Summarize a document; every sentence carries citations and a support score.

    Generative engines also read GROUNDSUM_* variables and the config file; options here win.
    `groundsum plugins` lists the engines, readers and output formats.
    """
    generative = options.generative_options(model, base_url, config, max_concurrency, timeout)
    extra = {"repair": repair, "quiet": quiet or None, "embedder": embedder}
    summary = run_summary(
        read_input(path), per=per, words=words, sentences=sentences, ratio=ratio,
        engine=engine, unsupported=unsupported, judge=judge, judge_band=options.parse_band(judge_band, judge),
        **generative, **{key: value for key, value in extra.items() if value is not None},
    )
    if summary.judge and summary.judge.error:
        warn(judge_summary(summary.judge))
    write_output(render(summary, format), output)
