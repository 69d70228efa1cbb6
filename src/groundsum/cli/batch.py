"""``groundsum batch``: summarize a corpus into a resumable JSON Lines file, locally or on Ray."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from ..batch import BatchOptions, BatchReport, ResultsLog, find_documents, make_runner, plan_batch, run_batch
from ..errors import ConfigError
from ..summarize import engine_registry
from . import app
from .options import FOCUS, PER, choices

EXIT_SOME_FAILED = 3  # the batch finished, but some documents have error records (2 is a usage error)


@app.command(
    "batch",
    context_settings={"ignore_unknown_options": True},
    epilog=(
        "Any other --name value (or --name=value) is an engine option, as `summarize` takes them, "
        "e.g. --embedder minilm."
    ),
)
def batch_command(
    sources: list[str] = typer.Argument(..., help="Folders (searched recursively), files, or quoted glob patterns."),
    output: Path = typer.Option(..., "--output", "-o", help="The JSON Lines results file; a rerun resumes it."),
    per: str = PER,
    focus: str | None = FOCUS,
    words: int | None = typer.Option(None, "--words", help="Length budget in words (per unit)."),
    sentences: int | None = typer.Option(None, "--sentences", help="Length budget in sentences (per unit)."),
    ratio: float | None = typer.Option(None, "--ratio", help="Length budget as a share of the unit's words."),
    engine: str = typer.Option("extractive", "--engine", "-e", help=choices(engine_registry)),
    unsupported: str = typer.Option("drop", "--unsupported", help="drop | flag | keep unsupported sentences."),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1,
        help="Worker processes (local: default the CPU count) or Ray actors (default: what the cluster fits).",
    ),
    runner: str = typer.Option("local", "--runner", help="local | ray"),
    address: str | None = typer.Option(
        None, "--address",
        help="Ray cluster: host:port, ray://host:10001, or auto (default: $RAY_ADDRESS, else a new local Ray).",
    ),
    worker_cpus: float = typer.Option(1.0, "--worker-cpus", help="CPUs each Ray actor reserves."),
    runtime_env: str | None = typer.Option(
        None, "--runtime-env", help='Ray runtime_env as JSON or a .json file, e.g. \'{"pip": ["groundsum"]}\'.'
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary table."),
) -> None:
    """Summarize every document of a corpus into one JSON line each; rerun to resume.

    Exit status: 0 when every document has a result, 3 when some failed (their errors are recorded and they are retried on the next run), 1 when the batch could not run at all.
    """  # noqa: E501 (Typer's help keeps a docstring's line breaks: one line is one paragraph on any terminal)
    paths, engine_options = split_engine_options(sources)
    options = BatchOptions.create(per, words, sentences, ratio, engine, unsupported, engine_options, focus)
    documents = find_documents(paths)
    if runner != "ray" and (address is not None or runtime_env is not None or worker_cpus != 1.0):
        raise ConfigError("--address, --worker-cpus and --runtime-env need --runner ray")
    ray_settings = {"address": address, "worker_cpus": worker_cpus, "runtime_env": parse_runtime_env(runtime_env)}
    chosen = make_runner(runner, options, jobs, **(ray_settings if runner == "ray" else {}))
    stderr = Console(stderr=True)
    with ResultsLog(output) as log:
        plan = plan_batch(documents, options, log.done)
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed[/]  {task.fields[remaining]} left"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=stderr,
            disable=quiet or not stderr.is_terminal,
            transient=True,
        ) as progress:
            bar = progress.add_task("summarizing", total=len(plan.todo), failed=0, remaining=len(plan.todo))

            def advance(report: BatchReport) -> None:
                progress.update(
                    bar, completed=report.done, failed=report.failed, remaining=len(plan.todo) - report.done
                )

            report = run_batch(plan, options, chosen, log, on_record=advance)
    if not quiet:
        print_report(report, output, Console())
    if report.failures:
        raise typer.Exit(EXIT_SOME_FAILED)


def split_engine_options(tokens: list[str]) -> tuple[list[str], dict[str, str]]:
    """Corpus sources apart from the engine's own options, as text: ``EngineOptions`` types and checks them.

    ``--name value`` and ``--name=value`` set ``name`` (dashes become underscores); a ``--name``
    followed by nothing or by another option is a flag set to true.
    """
    sources: list[str] = []
    options: dict[str, str] = {}
    rest = iter(enumerate(tokens))
    for index, token in rest:
        if token.startswith("--") and len(token) > 2:
            name, has_value, value = token[2:].partition("=")
            if not has_value:
                following = tokens[index + 1] if index + 1 < len(tokens) else None
                if following is None or following.startswith("-"):
                    value = "true"
                else:
                    value = following
                    next(rest)
            options[name.replace("-", "_")] = value  # typed by the engine options model
        elif token.startswith("-") and token != "-":
            raise ConfigError(f"no such option: {token}")
        else:
            sources.append(token)
    if not sources:
        raise ConfigError("give at least one folder, file or glob pattern to summarize")
    return sources, options


def parse_runtime_env(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        text = Path(value).read_text(encoding="utf-8") if os.path.isfile(value) else value
        parsed = json.loads(text)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"--runtime-env is neither JSON nor a readable JSON file: {exc}") from None
    if not isinstance(parsed, dict):
        raise ConfigError('--runtime-env must be a JSON object, e.g. {"pip": ["groundsum"]}')
    return parsed


def print_report(report: BatchReport, output: Path, console: Console) -> None:
    table = Table(title=f"groundsum batch → {output}", title_justify="left")
    table.add_column("documents", justify="right")
    table.add_column("ok", justify="right", style="green")
    table.add_column("failed", justify="right", style="red")
    table.add_column("skipped (already done)", justify="right")
    table.add_column("time", justify="right")
    table.add_column("docs/s", justify="right")
    table.add_row(
        str(report.total),
        str(report.ok),
        str(report.failed),
        str(report.skipped),
        f"{report.elapsed_s:.1f} s",
        f"{report.docs_per_s:.2f}",
    )
    console.print(table)
    for path, error in report.failures:
        message = error["message"] if error["message"].startswith(path) else f"{path}: {error['message']}"
        console.print(f"[red]failed[/] {message} ({error['type']})", highlight=False, soft_wrap=True)
