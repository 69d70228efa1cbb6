"""A progress bar on stderr while scanned PDF pages go through OCR (seconds a page)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..read.ocr import progress


@contextmanager
def ocr_progress(quiet: bool) -> Iterator[None]:
    """Within this block, OCR shows a bar; it appears only once a page needs OCR, never when ``quiet``."""
    if quiet:
        yield
        return
    bar = Progress(
        TextColumn("OCR of scanned pages"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    )
    task: list[TaskID] = []

    def report(done: int, total: int) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("ocr", total=total))
        bar.update(task[0], completed=done, total=total)

    token = progress.set(report)
    try:
        yield
    finally:
        progress.reset(token)
        if task:
            bar.stop()
