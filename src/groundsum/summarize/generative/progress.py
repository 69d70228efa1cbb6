"""A progress bar for multi-call work, on stderr when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Advance:
    """Moves a progress bar, or nothing when there is none."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar, self._task = bar, task

    def step(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def grow(self, calls: int) -> None:
        if self._bar is not None:
            total = next(task.total for task in self._bar.tasks if task.id == self._task) or 0
            self._bar.update(self._task, total=total + calls)


@contextmanager
def progress_bar(quiet: bool, calls: int) -> Iterator[Advance]:
    """A progress bar on stderr for multi-call work; off with ``quiet`` or when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=sys.stderr)
    if quiet or calls <= 1 or not console.is_terminal:
        yield Advance()
        return
    columns = (TextColumn("summarizing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        yield Advance(bar, bar.add_task("summarizing", total=calls))
