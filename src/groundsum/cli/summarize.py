"""``groundsum summarize``: read a document, print its verified summary."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import typer

from ..errors import InputError
from ..pipeline import require_policy
from ..pipeline import summarize as run_summary
from ..read import read_bytes
from ..render import render, renderer_registry
from ..render.grouping import judge_summary
from ..summarize import engine_registry, require_per
from . import app, options, warn, warn_unread_pages
from .ocr_progress import ocr_progress


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
    per: str = options.PER,
    focus: str | None = options.FOCUS,
    words: int | None = typer.Option(None, "--words", help="Length budget in words (per unit)."),
    sentences: int | None = typer.Option(None, "--sentences", help="Length budget in sentences (per unit)."),
    ratio: float | None = typer.Option(None, "--ratio", help="Length budget as a share of the unit's words."),
    format: str = typer.Option("markdown", "--format", "-f", help=options.choices(renderer_registry)),
    engine: str = typer.Option("extractive", "--engine", "-e", help=options.choices(engine_registry)),
    unsupported: str = typer.Option("drop", "--unsupported", help="drop | flag | keep unsupported sentences."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    model: str | None = options.MODEL,
    base_url: str | None = options.BASE_URL,
    config: Path | None = options.CONFIG,
    max_concurrency: int | None = options.MAX_CONCURRENCY,
    timeout: float | None = options.TIMEOUT,
    repair: bool | None = typer.Option(
        None, "--repair/--no-repair", help="Regenerate unsupported sentences once, with the reasons."
    ),
    max_tokens: int | None = options.engine_option("max_tokens"),
    temperature: float | None = options.engine_option("temperature"),
    seed: int | None = options.engine_option("seed"),
    retries: int | None = options.RETRIES,
    context: int | None = options.CONTEXT,
    threads: int | None = options.THREADS,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    embedder: str | None = options.engine_option("embedder"),
    redundancy: float | None = options.engine_option("redundancy"),
    per_section: int | None = options.engine_option("per_section"),
    judge: str | None = options.JUDGE,
    judge_band: str | None = options.JUDGE_BAND,
) -> None:
    """Summarize a document; every sentence carries citations and a support score.

    Generative engines also read GROUNDSUM_* variables and the config file; options here win.
    `groundsum plugins` lists the engines, readers and output formats.
    """
    engine_options = options.engine_options(
        model=model, base_url=base_url, config=config, max_concurrency=max_concurrency, timeout=timeout,
        repair=repair, max_tokens=max_tokens, temperature=temperature, seed=seed, retries=retries, context=context,
        threads=threads, quiet=quiet or None, embedder=embedder, redundancy=redundancy, per_section=per_section,
    )
    with ocr_progress(quiet):
        summary = run_summary(
            read_input(path), per=require_per(per), words=words, sentences=sentences, ratio=ratio,
            engine=engine, unsupported=require_policy(unsupported), focus=focus,
            judge=judge, judge_band=options.parse_band(judge_band, judge),
            **engine_options,
        )
    warn_unread_pages(summary.document)
    if summary.judge and summary.judge.error:
        warn(judge_summary(summary.judge))
    write_output(render(summary, format), output)
