"""The MCP server: ``summarize`` and ``check`` as tools for agents (Model Context Protocol).

``groundsum mcp`` serves them over stdio, or streamable HTTP with ``--http``. Each tool runs the
same pipeline as the CLI and answers with the JSON of ``--format json`` as structured content
(and as text, for clients that only read text). A failure is a tool error whose text is the
one line the CLI prints after ``groundsum: error:``.

A ``source`` is text, or the path of a file inside a folder the user allowed with ``--root``
(a relative path is looked up in each root in turn). Whether a string is a path or text is
``read.named_file``'s guess, as everywhere else; a file outside every root, once symlinks and
``..`` are resolved, is refused. Inputs are held to the HTTP server's size limit
(``Limits.max_bytes``).

Only :func:`create_server` needs the ``mcp`` extra; :class:`Tools` is plain groundsum.
"""

# No ``from __future__ import annotations``: the SDK reads the tools' annotations at registration,
# and CallToolResult is imported inside create_server only.
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import orjson
from pydantic import Field

from .. import __version__
from ..errors import ConfigError, GroundsumError, InputError
from ..pipeline import check as run_check
from ..pipeline import summarize as run_summary
from ..read import named_file, read_path, read_text
from ..render import Result, render
from ..summarize import engine_registry, require_per
from ..summarize.focus import HELP as FOCUS_HELP
from .settings import Limits

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

INSTALL_HINT = "pip install 'groundsum[mcp]'"
logger = logging.getLogger("groundsum.mcp")

SourceArg = Annotated[
    str,
    Field(
        description=(
            "The document: its text, or the path of a file (txt, md, html, pdf, docx) inside a folder "
            "this server may read (its --root folders; a relative path is looked up in them)."
        )
    ),
]


@dataclass
class Tools:
    """What the tools do, without the protocol: read what they may, run the pipeline, render JSON."""

    roots: Sequence[Path]
    limits: Limits = field(default_factory=Limits)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        resolved = []
        for root in self.roots:
            path = Path(root).expanduser().resolve()
            if not path.is_dir():
                raise ConfigError(f"--root {root}: no such folder")
            resolved.append(path)
        if not resolved:
            raise ConfigError("give at least one --root folder")
        self.roots = tuple(resolved)

    # -- inputs -------------------------------------------------------------------------------

    def allowed_file(self, given: str) -> Path | None:
        """The file ``given`` names under one of the roots (resolved), or None when it is text.

        Raises InputError for a file outside every root, or one over the size limit.
        """
        for root in self.roots:
            path = named_file(given, base=root)
            if path is None:
                continue
            real = path.resolve()
            if not any(real.is_relative_to(allowed) for allowed in self.roots):
                raise InputError(
                    f"{given}: outside the folders this server may read "
                    f"({', '.join(map(str, self.roots))}); allow it with --root"
                )
            self._check_size(given, real.stat().st_size)
            return real
        return None

    def read_source(self, given: str):
        """The source Document: the allowed file ``given`` names, else ``given`` itself as text."""
        path = self.allowed_file(given)
        if path is not None:
            return read_path(path)
        self._check_size("source", len(given.encode("utf-8")))
        return read_text(given)

    def summary_text(self, given: str) -> str | Path:
        """The summary to check: an allowed file, or text (the final newline keeps ``check`` from
        taking a one-line text for a path again, as the HTTP server's jobs do)."""
        path = self.allowed_file(given)
        if path is not None:
            return path
        self._check_size("summary", len(given.encode("utf-8")))
        return given + "\n"

    def _check_size(self, what: str, size: int) -> None:
        if size > self.limits.max_bytes:
            raise InputError(
                f"{what}: {size:,} bytes, larger than this server's limit of {self.limits.max_bytes:,} bytes"
            )

    # -- tools --------------------------------------------------------------------------------

    def summarize(
        self, source: str, per: str = "document", words: int | None = None, engine: str = "extractive",
        focus: str | None = None,
    ) -> Result:
        return run_summary(self.read_source(source), per=require_per(per), words=words, engine=engine, focus=focus)

    def check(self, source: str, summary: str) -> Result:
        return run_check(self.read_source(source), self.summary_text(summary))

    def run(self, work: Callable[[], Result]) -> tuple[dict[str, Any] | None, str]:
        """(the JSON of ``--format json`` as data, its text), or (None, the one-line error)."""
        try:
            with self._lock:  # one pipeline run at a time: the models are shared, and CPU-bound
                text = render(work(), "json")
        except GroundsumError as exc:
            return None, str(exc)
        except Exception as exc:  # like the CLI: one line, the traceback only in the log
            if os.environ.get("GROUNDSUM_DEBUG"):
                logger.exception("tool failed")
            return None, (
                f"internal error: {type(exc).__name__}: {exc} (set GROUNDSUM_DEBUG=1 for a traceback in the log)"
            )
        return orjson.loads(text), text


def create_server(tools: Tools) -> "MCPServer":
    """The MCP server with the two tools. Needs the ``mcp`` extra (mcp >= 2)."""
    from mcp.server.mcpserver import MCPServer
    from mcp_types import CallToolResult, TextContent, ToolAnnotations

    server = MCPServer(
        "groundsum",
        version=__version__,
        instructions=(
            "Summaries in which every sentence is backed by the source, and audits of summaries: "
            "each sentence comes with citations (character spans into document.text) and a support "
            "label and score. Give a document as text or as a path inside the server's allowed folders."
        ),
        log_level="WARNING",
    )
    read_only = ToolAnnotations(
        read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    )

    def answer(work: Callable[[], Result]) -> CallToolResult:
        data, text = tools.run(work)
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content=data, is_error=data is None
        )

    @server.tool(annotations=read_only, structured_output=False)
    def summarize(
        source: SourceArg,
        per: Annotated[
            Literal["document", "section", "paragraph"],
            Field(
                description="What gets one summary: the whole document, each section (or letter), or each paragraph."
            ),
        ] = "document",
        words: Annotated[
            int | None, Field(description="Length budget in words per summary (at least 1); default: the engine's.")
        ] = None,
        engine: Annotated[
            str,
            Field(
                description=(
                    f"Summarization engine, one of {', '.join(engine_registry.names())}: extractive quotes source "
                    "sentences (offline); generative ones are set up by GROUNDSUM_* variables or the config file."
                )
            ),
        ] = "extractive",
        focus: Annotated[str | None, Field(description=FOCUS_HELP)] = None,
    ) -> CallToolResult:
        """Summarize a document; every summary sentence carries citations into document.text, a
        support score and a label. The result is groundsum's JSON (schema_version 1): document,
        per, units, summary[], dropped[] (sentences the source did not support), engine. With a
        focus, only what the document says about it; a unit that says nothing about it has
        units[i].says_nothing set instead of sentences."""
        return answer(lambda: tools.summarize(source, per, words, engine, focus))

    @server.tool(annotations=read_only, structured_output=False)
    def check(
        source: SourceArg,
        summary: Annotated[
            str,
            Field(
                description=(
                    "The summary to audit, one sentence or paragraph per line: its text, or the path of a "
                    "file inside the allowed folders."
                )
            ),
        ],
    ) -> CallToolResult:
        """Check every sentence of a summary against its source: label (supported, uncertain,
        unsupported), score, citations into document.text, and reasons (a date, number or name the
        source doesn't have, a flipped negation, ...). The result is groundsum's JSON: score,
        sentences[], document."""
        return answer(lambda: tools.check(source, summary))

    return server
