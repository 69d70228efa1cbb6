"""Options that several subcommands share: the generative engines' settings, and the judge.

Declared once here so ``summarize --engine`` and either command's ``--judge`` read the same
--model, --base-url, ... (this module adds no subcommand of its own).
"""

from __future__ import annotations

from typing import Any

import typer

from ..errors import ConfigError
from ..read import known_extensions
from ..registry import Registry
from ..summarize import PER_CHOICES, engine_registry, focus
from ..summarize.options import EngineOptions


def choices(registry: Registry[Any]) -> str:
    """A registry's names for a help text, so plugins show up there too."""
    return " | ".join(registry.names())


def extensions() -> str:
    """The file extensions the registered readers take, for a help text."""
    return ", ".join(ext.lstrip(".") for ext in known_extensions())


def engine_option(name: str, *flags: str) -> Any:
    """The command-line option for an ``EngineOptions`` field, with the help the HTTP API shows too."""
    flags = flags or ("--" + name.replace("_", "-"),)
    return typer.Option(None, *flags, help=EngineOptions.model_fields[name].description)


PER = typer.Option("document", "--per", help=" | ".join(PER_CHOICES))
FOCUS = typer.Option(None, "--focus", help=focus.HELP)
MODEL = engine_option("model", "--model", "-m")
BASE_URL = engine_option("base_url")
CONFIG = typer.Option(None, "--config", help="Settings file (TOML); default ~/.config/groundsum/config.toml.")
MAX_CONCURRENCY = engine_option("max_concurrency")
TIMEOUT = engine_option("timeout")
RETRIES = engine_option("retries")
CONTEXT = engine_option("context")
THREADS = engine_option("threads")
JUDGE = typer.Option(
    None,
    "--judge",
    help=f"Ask this generative engine ({choices(engine_registry)}; not extractive) Yes or No about each sentence "
    "verify is unsure of, over its cited passages; it takes --model, --base-url, ...",
)
JUDGE_BAND = typer.Option(
    None, "--judge-band", help="With --judge: also ask about sentences scored within LOW,HIGH, e.g. 0.2,0.5."
)


def engine_options(**given: Any) -> dict[str, Any]:
    """The engine options given on the command line, checked by the model the server and batch use too;
    unset ones (None) are left to the environment, the config file and the defaults."""
    return EngineOptions.parse(given).given()


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
