"""``groundsum check``: audit a summary someone (or some model) wrote against its source."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import ConfigError, InputError
from ..pipeline import apply_policy, require_policy
from ..pipeline import check as run_check
from ..render import render, renderer_registry
from ..render.grouping import judge_summary
from . import app, options, warn, warn_unread_pages
from .ocr_progress import ocr_progress
from .summarize import read_input

FAIL_EXIT_CODE = 3  # distinct from 1 (errors) and 2 (usage)
_LEVELS = {"unsupported": ("unsupported",), "uncertain": ("unsupported", "uncertain"), "never": ()}


def _summary(path: str) -> str | Path:
    """The summary's text from stdin, or its file (never the argument taken as text)."""
    if path == "-":
        return sys.stdin.read()
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file" if not Path(path).exists() else f"{path}: is not a file")
    return Path(path)


@app.command()
def check(
    summary: str = typer.Argument(
        ..., help="Summary to check: a text file, one sentence or paragraph per line; - for stdin."
    ),
    source: str = typer.Option(..., "--source", "-s", help="The document the summary claims to summarize."),
    format: str = typer.Option("markdown", "--format", "-f", help=options.choices(renderer_registry)),
    fail_on: str = typer.Option(
        "never",
        "--fail-on",
        help=f"unsupported | uncertain | never: exit {FAIL_EXIT_CODE} when a sentence is at or below it.",
    ),
    unsupported: str = typer.Option(
        "flag",
        "--unsupported",
        help="flag | drop | keep: drop leaves unsupported sentences out of the report (not the score).",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    judge: str | None = options.JUDGE,
    judge_band: str | None = options.JUDGE_BAND,
    model: str | None = options.MODEL,
    base_url: str | None = options.BASE_URL,
    config: Path | None = options.CONFIG,
    max_concurrency: int | None = options.MAX_CONCURRENCY,
    timeout: float | None = options.TIMEOUT,
    retries: int | None = options.RETRIES,
    context: int | None = options.CONTEXT,
    threads: int | None = options.THREADS,
) -> None:
    """Check every sentence of a summary against its source: label, score, citations, reasons.

    Exit status: 0 when done, 3 when --fail-on is met, 1 on errors, 2 on bad usage.
    """
    if fail_on not in _LEVELS:
        raise ConfigError(f"--fail-on must be one of {', '.join(_LEVELS)}")
    require_policy(unsupported)
    if source == "-" and summary == "-":
        raise InputError("only one of the summary and --source can be read from stdin")
    generative = options.engine_options(
        model=model, base_url=base_url, config=config, max_concurrency=max_concurrency, timeout=timeout,
        retries=retries, context=context, threads=threads,
    )
    if generative and judge is None:
        given = ", ".join("--" + name.replace("_", "-") for name in generative)
        raise ConfigError(f"{given}: options of the judge's engine; add --judge ENGINE")
    band = options.parse_band(judge_band, judge)
    with ocr_progress(quiet=False):
        full = run_check(
            read_input(source), _summary(summary), unsupported="flag", judge=judge, judge_band=band, **generative
        )
    warn_unread_pages(full.source)
    if full.judge and full.judge.error:
        warn(judge_summary(full.judge))
    text = render(apply_policy(full, unsupported), format)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    if any(s.label in _LEVELS[fail_on] for s in full.sentences):
        raise typer.Exit(FAIL_EXIT_CODE)
