"""The JSON shape of results. The web page, batch records and outside tools depend on it;
docs/json-schema.md documents it."""

from __future__ import annotations

from typing import Any

from ..model import CheckedSentence, CheckResult, Document, JudgeRun, Span, Summary, SummarySentence
from .grouping import document_says_nothing, says_nothing

SCHEMA_VERSION = 1


def span_dict(span: Span) -> dict[str, int]:
    return {"start": span.start, "end": span.end}


def document_dict(doc: Document) -> dict[str, Any]:
    return {
        "title": doc.title,
        "source": doc.source,
        "format": doc.format,
        "text": doc.text,
        "sections": [
            {
                "title": s.title,
                "kind": s.kind,
                "level": s.level,
                "date": s.date,
                "author": s.author,
                "recipient": s.recipient,
                "start": s.start,
                "end": s.end,
            }
            for s in doc.sections
        ],
    }


def sentence_dict(sentence: SummarySentence | CheckedSentence) -> dict[str, Any]:
    out: dict[str, Any] = {"text": sentence.text}
    if isinstance(sentence, SummarySentence):
        out["section"] = sentence.section
        out["origin"] = sentence.origin
        out["unit"] = sentence.unit
    out |= {
        "score": round(sentence.score, 4),
        "label": sentence.label,
        "reasons": list(sentence.reasons),
        "citations": [span_dict(c) for c in sentence.citations],
        "judged_by": sentence.judged_by,
    }
    return out


def judge_dict(run: JudgeRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"by": run.by, "asked": run.asked, "decided": run.decided, "error": run.error}


def summary_dict(summary: Summary) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "document": document_dict(summary.document),
        "per": summary.per,
        "focus": summary.focus,
        "says_nothing": document_says_nothing(summary),
        "units": [
            {
                "section": u.section,
                **span_dict(u.span),
                "says_nothing": says_nothing(summary, u) if u.off_focus else None,
            }
            for u in summary.units
        ],
        "summary": [sentence_dict(s) for s in summary.sentences],
        "dropped": [sentence_dict(s) for s in summary.dropped],
        "engine": {"name": summary.engine.name, "settings": summary.engine.settings},
        "judge": judge_dict(summary.judge),
    }


def check_dict(result: CheckResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "score": round(result.score, 4),
        "sentences": [sentence_dict(s) for s in result.sentences],
        "document": document_dict(result.source),
        "judge": judge_dict(result.judge),
    }


def to_dict(result: Summary | CheckResult) -> dict[str, Any]:
    return summary_dict(result) if isinstance(result, Summary) else check_dict(result)
