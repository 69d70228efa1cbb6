"""The server's settings, kept free of web imports so the CLI can show them without the extra."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field

from ..errors import ConfigError

API_KEY_ENV = "GROUNDSUM_API_KEY"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_CONCURRENCY = 8


def default_workers() -> int:
    """One pipeline process per CPU this process may use, at most 4 (each holds its own models)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, 4))


@dataclass(frozen=True)
class Limits:
    """On by default, so one large or slow request can't take the server down."""

    max_bytes: int = DEFAULT_MAX_BYTES  # largest request body accepted (413 beyond)
    timeout: float = DEFAULT_TIMEOUT  # seconds a client waits for one summary or check (504 beyond)
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY  # requests admitted at once, running or waiting (503 beyond)
    workers: int = field(default_factory=default_workers)  # pipeline processes

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise ConfigError("--max-bytes must be at least 1")
        if not self.timeout > 0:
            raise ConfigError("--timeout must be more than 0 seconds")
        if self.max_concurrency < 1:
            raise ConfigError("--max-concurrency must be at least 1")
        if self.workers < 1:
            raise ConfigError("--workers must be at least 1")


def is_loopback(host: str) -> bool:
    """Only loopback is private to this machine; every other address is reachable by others."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
