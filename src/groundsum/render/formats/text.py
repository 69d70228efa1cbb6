"""Plain text: the summary alone, for pipes. Unverified sentences keep a visible tag."""

from __future__ import annotations

from ...model import Summary
from .. import Result, renderer_registry
from ..grouping import group_by_unit, section_heading


def _line(text: str, label: str) -> str:
    return text if label == "supported" else f"[{label}] {text}"


@renderer_registry.register("text")
def render_text(result: Result) -> str:
    if not isinstance(result, Summary):
        rows = [f"{s.label}\t{s.score:.2f}\t{s.text}\t{'; '.join(s.reasons)}" for s in result.sentences]
        return f"support\t{result.score:.2f}\n" + "\n".join(rows) + "\n"
    blocks = []
    for unit, sentences in group_by_unit(result):
        body = " ".join(_line(s.text, s.label) for s in sentences)
        if result.per == "section":
            body = f"{section_heading(result.document, unit.section)}\n{body}"
        blocks.append(body)
    return ("\n" if result.per == "paragraph" else "\n\n").join(blocks) + "\n"
