"""Markdown: the summary with [n] citation markers, then the numbered source passages.

Unsupported and uncertain sentences are visibly marked, never shown as plain fact.
"""

from __future__ import annotations

from ...model import CheckResult, Document, Span, Summary, SummarySentence
from ...tidy import tidy
from .. import Result, renderer_registry
from ..grouping import empty_note, group_by_unit, judge_note, judge_summary, says_nothing, section_heading

MARKS = {"unsupported": "⚠ **unsupported**", "uncertain": "❓ **uncertain**"}
QUOTE_LIMIT = 300


def _quote(doc: Document, span: Span) -> str:
    text = tidy(doc.cite(span))
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"


class _Sources:
    """Numbers each distinct cited span once, in order of first use."""

    def __init__(self) -> None:
        self.numbers: dict[Span, int] = {}

    def markers(self, spans: tuple[Span, ...]) -> str:
        return "".join(f"[{self.numbers.setdefault(span, len(self.numbers) + 1)}]" for span in spans)

    def listing(self, doc: Document) -> list[str]:
        return [f"[{n}]: chars {s.start}–{s.end} — “{_quote(doc, s)}”" for s, n in self.numbers.items()]


GENERATED = "†"  # written by a language model (and verified), not copied from the source


def _sentence(sentence: SummarySentence, sources: _Sources) -> str:
    mark = GENERATED if sentence.origin == "generated" else ""
    text = f"{sentence.text}{mark} {sources.markers(sentence.citations)}".rstrip()
    if sentence.judged_by:
        text += f" *({judge_note(sentence)})*"
    if sentence.label in MARKS:
        why = f" ({'; '.join(sentence.reasons)})" if sentence.reasons else ""
        text = f"{MARKS[sentence.label]}{why}: {text}"
    return text


def render_summary(summary: Summary) -> str:
    doc = summary.document
    sources = _Sources()
    lines = [f"# Summary{': ' + tidy(doc.title) if doc.title else ''}", ""]
    grouped = group_by_unit(summary)
    for unit, sentences in grouped:
        if summary.per == "section":
            lines += [f"## {section_heading(doc, unit.section)}", ""]
        body = [_sentence(s, sources) for s in sentences] or [f"*{says_nothing(summary, unit)}*"]
        if summary.per == "paragraph":
            lines.append("- " + " ".join(body))
        else:
            lines += [" ".join(body), ""]
    if not grouped:
        lines += [f"*{empty_note(summary)}*", ""]
    if any(s.origin == "generated" for s in summary.sentences):
        lines += ["", f"*{GENERATED} written by the model and checked against the cited passages; "
                  "the other sentences are quoted from the source.*"]
    if summary.dropped:
        lines += ["", f"*{len(summary.dropped)} sentence(s) dropped: the source does not support them.*"]
    if summary.judge:
        lines += ["", f"*{judge_summary(summary.judge)}.*"]
    lines += ["", "## Sources", "", *sources.listing(doc)]
    return "\n".join(lines).rstrip() + "\n"


def render_check(result: CheckResult) -> str:
    sources = _Sources()
    lines = [
        f"# Check: support {result.score:.2f}",
        "",
        "| # | verdict | score | sentence | reasons |",
        "|---|---|---|---|---|",
    ]
    for i, s in enumerate(result.sentences, 1):
        reasons = "; ".join(s.reasons).replace("|", "\\|")
        text = f"{s.text} {sources.markers(s.citations)}".replace("|", "\\|")
        verdict = f"{s.label}: {judge_note(s)}" if s.judged_by else s.label
        lines.append(f"| {i} | {verdict} | {s.score:.2f} | {text} | {reasons} |")
    if result.judge:
        lines += ["", f"*{judge_summary(result.judge)}.*"]
    lines += ["", "## Sources", "", *sources.listing(result.source)]
    return "\n".join(lines).rstrip() + "\n"


@renderer_registry.register("markdown")
def render_markdown(result: Result) -> str:
    return render_summary(result) if isinstance(result, Summary) else render_check(result)
