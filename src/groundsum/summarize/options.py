"""Engine options as a user gives them: one model for the CLI, the HTTP API and batch.

Every field is an option of some engine: the generative engines' settings (declared, with their
limits, in ``config.Settings``) or the extractive engine's. None means unset, so the environment,
the config file and each engine's defaults still apply; the engine itself checks the values.
``RequestEngineOptions`` are those a remote request may set: none of them names a file, a model
or an endpoint for the server to open, nor changes what one request may cost it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import Settings
from ..errors import ConfigError


def _generative(name: str) -> str:
    """A setting's description, as every interface shows it."""
    return f"Generative engines: {Settings.model_fields[name].description or name.replace('_', ' ')}."


class RequestEngineOptions(BaseModel):
    """The engine options a request to the server may set."""

    model_config = ConfigDict(extra="forbid")

    repair: bool | None = Field(None, description=_generative("repair"))
    max_tokens: int | None = Field(None, description=_generative("max_tokens"))
    temperature: float | None = Field(None, description=_generative("temperature"))
    seed: int | None = Field(None, description=_generative("seed"))
    redundancy: float | None = Field(
        None, description="extractive engine: relevance lost per unit of similarity to a chosen sentence."
    )
    per_section: int | None = Field(
        None, description="extractive engine: sentences each section shortlists for the document."
    )

    @classmethod
    def parse(cls, options: dict[str, Any]) -> Self:
        """The options checked: a misspelled or mistyped one is a one-line ConfigError."""
        try:
            return cls.model_validate(options)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None

    def given(self) -> dict[str, Any]:
        """The options that are set, as JSON values: for ``get_engine`` and for the record."""
        return self.model_dump(mode="json", exclude_none=True)


class EngineOptions(RequestEngineOptions):
    """Every engine option a local user may set: the CLI's and batch's."""

    model: str | None = Field(None, description=_generative("model"))
    base_url: str | None = Field(None, description=_generative("base_url"))
    config: Path | None = Field(None, description="Generative engines: settings file (TOML).")
    timeout: float | None = Field(None, description=_generative("timeout"))
    max_concurrency: int | None = Field(None, description=_generative("max_concurrency"))
    retries: int | None = Field(None, description=_generative("retries"))
    context: int | None = Field(None, description=_generative("context"))
    threads: int | None = Field(None, description=_generative("threads"))
    quiet: bool | None = Field(None, description=_generative("quiet"))
    embedder: str | None = Field(None, description="extractive engine: wordllama | minilm | model path.")


def _describe(exc: ValidationError) -> str:
    """pydantic's errors in one line, each option spelled as on the command line."""
    problems = []
    for error in exc.errors(include_input=False):
        name = "--" + str(error["loc"][0]).replace("_", "-")
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown engine option {name}")
        else:
            problems.append(f"{name}: {error['msg'].lower()}")
    return "; ".join(problems)
