"""The ``groundsum`` command. Each subcommand is one module that adds itself to ``app``."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from ..errors import GroundsumError
from ..model import Document

app = typer.Typer(
    name="groundsum",
    help="Summarize long documents without making things up: every sentence cites its source.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Summarize long documents without making things up: every sentence cites its source."""


def _load_subcommands() -> None:
    """Each module of this package adds its subcommand to ``app`` when imported."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def main() -> None:
    try:
        _load_subcommands()  # help texts list the registries, so a broken plugin fails here, in one line
        app()  # click handles usage errors itself: a usage line, exit 2
    except GroundsumError as exc:
        fail_and_exit(str(exc))
    except KeyboardInterrupt:
        fail_and_exit("interrupted", 130)
    except Exception as exc:  # the last line of defence: no traceback unless asked for
        if os.environ.get("GROUNDSUM_DEBUG"):
            raise
        fail_and_exit(f"internal error: {type(exc).__name__}: {exc} (set GROUNDSUM_DEBUG=1 for a traceback)")


def warn(message: str) -> None:
    """One line on stderr for what went wrong without stopping the command (the exit status is unchanged)."""
    print(f"groundsum: warning: {message}", file=sys.stderr)


def warn_unread_pages(doc: Document) -> None:
    """Scanned pages of a PDF that also has text are skipped, not fatal, when OCR fails: say so."""
    unread = doc.metadata.get("pages_not_read")
    if unread:
        pages = ", ".join(map(str, unread))
        reason = doc.metadata.get("ocr_error", "OCR failed")
        warn(f"{doc.source or 'the PDF'}: page(s) {pages} have no text layer and were not read: {reason}")


def fail_and_exit(message: str, code: int = 1) -> None:
    """One line on stderr and a non-zero exit: how every user-facing error ends."""
    print(f"groundsum: error: {message}", file=sys.stderr)
    sys.exit(code)
