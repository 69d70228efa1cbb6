"""``groundsum mcp``: summarize and check as tools for agents, over the Model Context Protocol."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import ConfigError
from ..server.settings import DEFAULT_MAX_BYTES, Limits, is_loopback
from . import app


@app.command()
def mcp(
    root: list[Path] | None = typer.Option(
        None, "--root", help="A folder whose files the tools may read (repeatable; default: the current folder)."
    ),
    http: bool = typer.Option(False, "--http", help="Serve streamable HTTP (at /mcp) instead of stdio."),
    host: str = typer.Option("127.0.0.1", "--host", help="With --http: address to bind (loopback only)."),
    port: int = typer.Option(8000, "--port", help="With --http: port to listen on (0: any free port)."),
    max_bytes: int = typer.Option(
        DEFAULT_MAX_BYTES, "--max-bytes", help="Largest document or summary accepted, in bytes (as groundsum serve)."
    ),
) -> None:
    """Serve the tools summarize and check to MCP clients (Claude Desktop, IDEs, agents).

    Results are the JSON of --format json. A source is text, or a path inside a --root folder.
    """
    limits = Limits(max_bytes=max_bytes)
    if http and not is_loopback(host):  # the tools read local files and have no authentication
        raise ConfigError(f"refusing to serve MCP on {host}: it has no authentication; bind 127.0.0.1")
    from ..server.mcp import INSTALL_HINT, Tools, create_server

    tools = Tools(root or [Path.cwd()], limits)
    try:
        server = create_server(tools)
    except ImportError as exc:
        raise ConfigError(f"groundsum mcp needs the MCP SDK, mcp>=2 ({exc.name} is missing): {INSTALL_HINT}") from None
    if not http:
        server.run("stdio")
        return
    import uvicorn
    from mcp.server.transport_security import DEFAULT_MAX_REQUEST_BODY_SIZE

    # A body holds one document of up to --max-bytes (the tools refuse larger ones with their own
    # one-line error) plus the protocol's JSON around it, for which the SDK's own limit is kept.
    body = limits.max_bytes + DEFAULT_MAX_REQUEST_BODY_SIZE
    web = server.streamable_http_app(host=host, max_request_body_size=body)  # DNS-rebinding checks on loopback
    uvicorn.run(web, host=host, port=port, log_level="info")
