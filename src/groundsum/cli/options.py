"""Options that several subcommands share: the generative engines' settings, and the judge.

Declared once here so ``summarize --engine`` and either command's ``--judge`` read the same
--model, --base-url, ... (this module adds no subcommand of its own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..errors import ConfigError
from ..read import reader_registry
from ..registry import Registry
from ..summarize import engine_registry


def choices(registry: Registry[Any]) -> str:
    """A registry's names for a help text, so plugins show up there too."""
    return " | ".join(registry.names())


def extensions() -> str:
    """The file extensions the registered readers take, for a help text."""
    found = {ext.lstrip(".") for _, reader in reader_registry.items() for ext in reader.extensions if ext}
    return ", ".join(sorted(found))


MODEL = typer.Option(None, "--model", "-m", help="Generative engines: GGUF file, model directory or served model name.")
BASE_URL = typer.Option(None, "--base-url", help="openai engine: the endpoint, e.g. http://127.0.0.1:11434/v1.")
CONFIG = typer.Option(None, "--config", help="Settings file (TOML); default ~/.config/groundsum/config.toml.")
MAX_CONCURRENCY = typer.Option(None, "--max-concurrency", help="openai engine: requests in flight at once.")
TIMEOUT = typer.Option(None, "--timeout", help="Generative engines: seconds to wait for one model reply.")
JUDGE = typer.Option(
    None,
    "--judge",
    help=f"Ask this generative engine ({choices(engine_registry)}; not extractive) Yes or No about each sentence "
    "verify is unsure of, over its cited passages; it takes --model, --base-url, ...",
)
JUDGE_BAND = typer.Option(
    None, "--judge-band", help="With --judge: also ask about sentences scored within LOW,HIGH, e.g. 0.2,0.5."
)


def generative_options(
    model: str | None, base_url: str | None, config: Path | None, max_concurrency: int | None, timeout: float | None
) -> dict[str, Any]:
    """The generative engine options given on the command line (unset ones left to env, file, defaults)."""
    given = {"model": model, "base_url": base_url, "config": config, "max_concurrency": max_concurrency, "timeout": timeout}
    return {name: value for name, value in given.items() if value is not None}


def parse_band(text: str | None, judge: str | None) -> tuple[float, float] | None:
    """'0.2,0.5' → (0.2, 0.5); the range itself is checked by the judge."""
    if text is None:
        return None
    if judge is None:
        raise ConfigError("--judge-band needs --judge ENGINE")
    parts = text.replace(":", ",").split(",")
    try:
        low, high = (float(part) for part in parts)
    except ValueError:
        raise ConfigError(f"--judge-band must be two scores LOW,HIGH such as 0.2,0.5, not '{text}'") from None
    return low, high
