"""Plain text: the summary alone, for pipes. Unverified sentences keep a visible tag."""

from __future__ import annotations

from ...model import Summary, SummarySentence
from .. import Result, renderer_registry
from ..grouping import empty_note, group_by_unit, judge_note, judge_summary, says_nothing, section_heading


def _line(sentence: SummarySentence) -> str:
    tags: list[str] = [sentence.label] if sentence.label != "supported" else []
    tags += [judge_note(sentence)] if sentence.judged_by else []
    return "".join(f"[{tag}] " for tag in tags) + sentence.text


@renderer_registry.register("text")
def render_text(result: Result) -> str:
    if not isinstance(result, Summary):
        rows = [
            f"{s.label}\t{s.score:.2f}\t{s.text}\t"
            f"{'; '.join([*s.reasons, judge_note(s)] if s.judged_by else s.reasons)}"
            for s in result.sentences
        ]
        footer = f"# {judge_summary(result.judge)}\n" if result.judge else ""
        return f"support\t{result.score:.2f}\n" + "\n".join(rows) + "\n" + footer
    blocks = []
    for unit, sentences in group_by_unit(result):
        body = " ".join(_line(s) for s in sentences) or says_nothing(result, unit)
        if result.per == "section":
            body = f"{section_heading(result.document, unit.section)}\n{body}"
        blocks.append(body)
    if not blocks and result.focus is not None:
        blocks.append(empty_note(result))
    return ("\n" if result.per == "paragraph" else "\n\n").join(blocks) + "\n"
