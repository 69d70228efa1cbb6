"""``groundsum summarize``: read a document, print its verified summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..pipeline import summarize as run_summary
from ..read import read_bytes
from ..render import render
from . import app


def read_input(path: str):
    """A path, or '-' for standard input (the reader is then chosen by content)."""
    if path == "-":
        return read_bytes(sys.stdin.buffer.read(), name=None)
    return Path(path)


@app.command()
def summarize(
    path: str = typer.Argument(..., help="Document to summarize (txt, md, html, pdf, docx), or - for stdin."),
    per: str = typer.Option("document", "--per", help="document | section | paragraph"),
    words: Optional[int] = typer.Option(None, "--words", help="Length budget in words (per unit)."),
    sentences: Optional[int] = typer.Option(None, "--sentences", help="Length budget in sentences (per unit)."),
    ratio: Optional[float] = typer.Option(None, "--ratio", help="Length budget as a share of the unit's words."),
    format: str = typer.Option("markdown", "--format", "-f", help="markdown | json | text | html"),
    engine: str = typer.Option("extractive", "--engine", "-e", help="Summarization engine."),
    unsupported: str = typer.Option("drop", "--unsupported", help="drop | flag | keep unsupported sentences."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Summarize a document; every sentence carries citations and a support score."""
    summary = run_summary(
        read_input(path), per=per, words=words, sentences=sentences, ratio=ratio,
        engine=engine, unsupported=unsupported,
    )
    text = render(summary, format)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
