"""What the worker processes run. Results come back as JSON bytes, the CLI's ``--format json``.

Requests carry text or uploaded bytes, never paths: these functions read only what they are
given (``read_text``/``read_bytes``), so a request can't make the server open a local file.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ..pipeline import check, summarize
from ..read import read_bytes, read_text
from ..render.schema import to_dict
from ..workers import follow_parent

WARM_UP_TEXT = (
    "Workers load their models before the first request. This short text makes them do it. "
    "It is summarized once per worker process, when the server starts."
)


def prepare_worker() -> None:
    """Each worker: leave Ctrl-C to the server, exit with it, and load the default models now."""
    follow_parent()
    try:
        summarize(read_text(WARM_UP_TEXT))
    except Exception:  # a failing warm-up must not break the pool; the first request will say why
        logging.getLogger("groundsum.server").exception("worker warm-up failed")


def ready() -> bool:
    return True


def summarize_document(source: str | bytes, name: str | None, options: dict[str, Any]) -> bytes:
    """``source`` is pasted text or an uploaded file's bytes; ``name`` the upload's file name."""
    format = options.pop("format", None)
    doc = read_text(source, format=format) if isinstance(source, str) else read_bytes(source, name=name, format=format)
    return _json(summarize(doc, **options))


def check_summary(source: str, summary: str, format: str | None) -> bytes:
    # check() reads a one-line str naming an existing file as a path; a final newline keeps
    # request text text (it only ends the last line).
    return _json(check(read_text(source, format=format), summary + "\n"))


def _json(result: Any) -> bytes:
    return json.dumps(to_dict(result), ensure_ascii=False).encode("utf-8")
