"""Settings for the generative engines, from the command line, the environment and a config file.

Precedence is CLI > environment > config file > defaults. The config file is TOML, at ``--config``
or ``$XDG_CONFIG_HOME/groundsum/config.toml`` (``~/.config/groundsum/config.toml``), with the
field names below as top-level keys::

    base_url = "http://127.0.0.1:11434/v1"
    model = "qwen2.5:7b"
    max_concurrency = 4

Every field can also be set as ``GROUNDSUM_<FIELD>`` (``GROUNDSUM_BASE_URL``, ``GROUNDSUM_MODEL``,
...), except the endpoint's key, which is ``GROUNDSUM_ENGINE_API_KEY`` (``GROUNDSUM_API_KEY`` is the
key of ``groundsum serve``); the key and base URL also come from ``OPENAI_API_KEY`` /
``OPENAI_BASE_URL`` as OpenAI's own clients read them. The API key is a ``SecretStr``: it never appears
in ``repr``, errors, logs or an engine's recorded settings.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from .errors import ConfigError

ENV_PREFIX = "GROUNDSUM_"
# GROUNDSUM_API_KEY is the key clients must send to ``groundsum serve``; the endpoint's own key
# gets another name, so a server can never forward its clients' key to a model endpoint.
ENV_NAMES: dict[str, tuple[str, ...]] = {
    "api_key": ("GROUNDSUM_ENGINE_API_KEY", "OPENAI_API_KEY"),
    "base_url": ("GROUNDSUM_BASE_URL", "OPENAI_BASE_URL"),
}


def env_names(field: str) -> tuple[str, ...]:
    """The environment variables a setting is read from, first found wins."""
    return ENV_NAMES.get(field, (ENV_PREFIX + field.upper(),))


class Settings(BaseModel):
    """What shapes a generative engine's output and how it reaches its model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str | None = Field(None, description="GGUF file, model directory, or the served model's name")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1")
    api_key: SecretStr | None = Field(None, description="bearer token for the endpoint")
    timeout: float = Field(120.0, gt=0, description="seconds to wait for one model reply")
    max_concurrency: int = Field(4, ge=1, le=64, description="requests in flight at once (openai)")
    retries: int = Field(3, ge=0, le=10, description="retries on 429, 5xx and connection errors")
    repair: bool = Field(False, description="regenerate each unsupported sentence once, with the reasons")
    context: int | None = Field(None, ge=256, description="context window in tokens; default: the model's")
    max_tokens: int | None = Field(None, ge=16, description="cap on tokens per reply; default: from the budget")
    temperature: float = Field(0.0, ge=0, le=2)
    seed: int = 0
    threads: int | None = Field(None, ge=1, description="CPU threads for in-process models")
    quiet: bool = Field(False, description="no progress bar")

    def public(self) -> dict[str, Any]:
        """The settings worth recording next to a summary: everything but secrets and display."""
        return self.model_dump(exclude={"api_key", "quiet"})


FIELDS: tuple[str, ...] = tuple(Settings.model_fields)
GENERATIVE_OPTIONS: tuple[str, ...] = (*FIELDS, "config")  # what a generative engine's factory takes


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "groundsum" / "config.toml"


def _from_file(path: Path | None) -> dict[str, Any]:
    """The file's settings; a missing default file is no error, a missing ``--config`` file is."""
    explicit = path is not None
    path = Path(path) if path is not None else default_config_path()
    if not path.is_file():
        if explicit:
            raise ConfigError(f"config file not found: {path}")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting(s) {', '.join(unknown)} (known: {', '.join(FIELDS)})")
    return data


def _from_env(environ: dict[str, str]) -> dict[str, str]:
    found = {}
    for name in FIELDS:
        for variable in env_names(name):
            if environ.get(variable):
                found[name] = environ[variable]
                break
    return found


def _describe(exc: ValidationError, name: Callable[[str], str]) -> str:
    """pydantic's errors in one line, each field named as its source spells it, never echoing values
    (they may be keys)."""
    return "; ".join(f"{name(str(e['loc'][0]))}: {e['msg'].lower()}" for e in exc.errors(include_input=False))


def load_settings(
    config: str | Path | None = None, environ: dict[str, str] | None = None, **options: Any
) -> Settings:
    """Merge CLI-style ``options`` (None means unset) over the environment, the config file and defaults."""
    unknown = sorted(set(options) - set(FIELDS))
    if unknown:
        raise ConfigError(f"unknown engine option(s) {', '.join(unknown)} (known: {', '.join(FIELDS)})")
    file = Path(config) if config is not None else default_config_path()
    layers: list[tuple[dict[str, Any], Callable[[str], str]]] = [
        (_from_file(Path(config) if config is not None else None), lambda field: f"{field} in {file}"),
        (_from_env(dict(os.environ) if environ is None else environ), lambda field: env_names(field)[0]),
        ({k: v for k, v in options.items() if v is not None}, lambda field: "--" + field.replace("_", "-")),
    ]
    merged: dict[str, Any] = {}
    for layer, name in layers:
        try:  # validate each layer on its own so an error names where the bad value came from
            Settings(**layer)
        except ValidationError as exc:
            raise ConfigError(_describe(exc, name)) from None
        merged |= layer
    return Settings(**merged)
