"""Render: a Summary or CheckResult → Markdown, JSON, plain text or HTML.

Each format is one module registering a function ``(result) -> str``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import CheckResult, Summary
from ..registry import Registry

Result = Summary | CheckResult
renderer_registry: Registry[Callable[[Result], str]] = Registry(
    "output format", "groundsum.render.formats", "groundsum.renderers"
)


def render(result: Result, format: str = "markdown") -> str:
    return renderer_registry.get(format)(result)
