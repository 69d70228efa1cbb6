"""groundsum: summaries of long documents in which every sentence is backed by the source.

The pipeline, one package per stage::

    read → segment → summarize → verify → render

The Python API is ``summarize``, ``check``, ``load`` and ``render``.
"""

from __future__ import annotations

from .errors import GroundsumError, InputError
from .model import CheckResult, Document, Span, Summary
from .pipeline import check, load, summarize
from .render import render

__version__ = "0.1.0"

__all__ = [
    "CheckResult",
    "Document",
    "GroundsumError",
    "InputError",
    "Span",
    "Summary",
    "check",
    "load",
    "render",
    "summarize",
]
