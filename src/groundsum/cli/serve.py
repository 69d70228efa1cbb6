"""``groundsum serve``: the HTTP API and the web page, on uvicorn."""

from __future__ import annotations

import os

import typer

from ..errors import ConfigError
from ..server.settings import (
    API_KEY_ENV,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_TIMEOUT,
    Limits,
    default_workers,
    is_loopback,
)
from . import app

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs an API key."),
    port: int = typer.Option(8000, "--port", help="Port to listen on (0: any free port)."),
    max_bytes: int = typer.Option(
        DEFAULT_MAX_BYTES, "--max-bytes", help="Largest request body, in bytes (413 beyond)."
    ),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds one request may take (504 beyond)."),
    max_concurrency: int = typer.Option(
        DEFAULT_MAX_CONCURRENCY, "--max-concurrency", help="Requests handled at once, running or waiting (503 beyond)."
    ),
    workers: int = typer.Option(default_workers(), "--workers", help="Pipeline processes (CPUs, at most 4)."),
    log_level: str = typer.Option("info", "--log-level", help=" | ".join(LOG_LEVELS)),
) -> None:
    """Serve the API (/v1/summarize, /v1/check, /docs) and the web page (/).

    Set GROUNDSUM_API_KEY to require that key from clients (Authorization: Bearer <key>, or X-API-Key).
    """
    limits = Limits(max_bytes=max_bytes, timeout=timeout, max_concurrency=max_concurrency, workers=workers)
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"--log-level must be one of {' | '.join(LOG_LEVELS)}")
    api_key = os.environ.get(API_KEY_ENV) or None
    if api_key is None and not is_loopback(host):
        raise ConfigError(f"refusing to serve on {host} without an API key: set {API_KEY_ENV}, or bind 127.0.0.1")
    try:
        import uvicorn

        from ..server.app import create_app
    except ImportError as exc:
        raise ConfigError(
            f"groundsum serve needs the server extra ({exc.name} is missing): pip install 'groundsum[server]'"
        ) from exc
    uvicorn.run(create_app(limits, api_key=api_key), host=host, port=port, log_level=log_level)
