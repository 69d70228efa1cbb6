"""``groundsum plugins``: every reader, engine, output format and verify signal, and where it came from.

Built-ins and installed plugins are discovered the same way (``groundsum.registry``), so this is
also how a plugin author checks that an entry point was found, and which package a name comes from.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from ..errors import ConfigError
from ..read import reader_registry
from ..registry import Registry
from ..render import renderer_registry
from ..summarize import engine_registry
from ..verify.signals import signal_registry
from . import app

REGISTRIES: dict[str, Registry[Any]] = {
    "readers": reader_registry,
    "engines": engine_registry,
    "formats": renderer_registry,
    "signals": signal_registry,
}


@app.command()
def plugins(format: str = typer.Option("text", "--format", "-f", help="text | json")) -> None:
    """List the readers, engines, output formats and verify signals, each with its module or distribution."""
    if format not in ("text", "json"):
        raise ConfigError("--format must be one of text, json")
    listing = {
        kind: {
            "entry_point_group": registry.group,
            "plugins": [
                {"name": name, "module": origin.module, "distribution": origin.distribution, "version": origin.version}
                for name, origin in registry.origins()
            ],
        }
        for kind, registry in REGISTRIES.items()
    }
    if format == "json":
        sys.stdout.write(json.dumps(listing, indent=2) + "\n")
        return
    for kind, registry in REGISTRIES.items():
        origins = registry.origins()
        width = max((len(name) for name, _ in origins), default=0)
        print(f"{kind} ({registry.group})")
        for name, origin in origins:
            print(f"  {name:<{width}}  {origin}")
