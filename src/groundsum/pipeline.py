"""The one pipeline: read → segment → summarize → verify, returning a Summary (or, for ``check``, a
CheckResult) to render.

It sits above every stage and is the only module that joins them: engines get verify as a
parameter of ``settle``, and ``check`` lives here beside ``summarize`` rather than in verify,
so no stage ever imports a later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from .config import GENERATIVE_OPTIONS
from .errors import ConfigError, InputError
from .model import CheckedSentence, CheckResult, Document, EngineInfo, Per, Summary, SummarySentence
from .read import named_file, read
from .read.decode import decode, normalize
from .segment import segment
from .summarize import Engine, get_engine, make_budget, plan_units
from .summarize.focus import focus_units, require_focus
from .summarize.generative.repair import accepted
from .tidy import tidy
from .verify import assess, summary_score, summary_sentences, verify
from .verify.judge import JudgeEngine, judge_verdicts

Policy = Literal["drop", "flag", "keep"]
POLICIES: tuple[Policy, ...] = ("drop", "flag", "keep")


def load(source: str | Path | bytes | Document, *, format: str | None = None) -> Document:
    """Read and segment a source; the Document every later stage takes."""
    doc = segment(read(source, format=format))
    if not doc.sentences:
        raise InputError(f"{doc.source or 'input'}: no sentences found to summarize")
    return doc


def summarize(
    source: str | Path | bytes | Document,
    *,
    per: Per = "document",
    words: int | None = None,
    sentences: int | None = None,
    ratio: float | None = None,
    engine: str | Engine = "extractive",
    unsupported: Policy = "drop",
    format: str | None = None,
    judge: str | Engine | None = None,
    judge_band: Sequence[float] | None = None,
    focus: str | None = None,
    **engine_options: Any,
) -> Summary:
    """Summarize a path, text, bytes or Document; every sentence verified against the source.

    ``engine`` is a registered name, or an Engine already built (batch workers build theirs once).
    ``judge`` (a generative engine, or its name) answers Yes or No for the drafts verify is unsure
    of, before repair and fallback see them; see ``verify.judge``.
    ``focus`` ("inspections") summarizes only what the source says about it (``summarize.focus``);
    engines never see the units that say nothing about it, which stay in the Summary to say so.
    """
    require_policy(unsupported)
    focus = require_focus(focus)
    budget = make_budget(per, words, sentences, ratio)
    doc = load(source, format=format)
    engine_options, judge_options = route_options(engine, judge, engine_options)
    summarizer = get_engine(engine, **engine_options) if isinstance(engine, str) else engine
    units = plan_units(doc, per, budget)
    if focus is not None:
        units = focus_units(doc, units, focus)
    active = [i for i, unit in enumerate(units) if unit.sentences]  # engine unit number → units index
    engine_units = [units[i] for i in active]
    drafts = summarizer.summarize(doc, engine_units, per)
    verdicts = verify(doc, drafts)
    run = None
    if judge is not None:
        judging = summarizer if judge == engine else judge
        verdicts, run = judge_verdicts(doc, [d.text for d in drafts], verdicts, judging, judge_options, judge_band)
    drafts, verdicts = summarizer.settle(doc, engine_units, per, drafts, verdicts, verify)
    kept: list[SummarySentence] = []
    dropped: list[SummarySentence] = []
    for draft, verdict in zip(drafts, verdicts, strict=True):
        sentence = SummarySentence(
            text=tidy(draft.text),
            citations=verdict.citations,
            score=verdict.score,
            label=verdict.label,
            section=draft.section,
            origin=draft.origin,
            reasons=verdict.reasons,
            unit=active[draft.unit],
            judged_by=verdict.judged_by,
        )
        (dropped if unsupported == "drop" and not accepted(draft, verdict) else kept).append(sentence)
    info = EngineInfo(summarizer.name, summarizer.settings())
    return Summary(doc, tuple(kept), per, info, tuple(units), tuple(dropped), run, focus)


def route_options(
    engine: str | Engine, judge: str | Engine | None, options: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Engine options → (the summarizer's, the judge's). A judge named apart from the engine takes the
    generative options (--model, --base-url, ...); a summarizer named by string keeps the rest. Two
    different generative engines cannot share one --model, so that pairing needs built engines."""
    if not isinstance(judge, str) or judge == engine:
        return options, {}
    if isinstance(engine, str) and engine != "extractive":
        raise ConfigError(
            f"--judge {judge} with --engine {engine}: both would take the same --model; "
            f"judge with the summarizing engine itself (--judge {engine}) or summarize with --engine extractive"
        )
    rest = {k: v for k, v in options.items() if k not in GENERATIVE_OPTIONS}
    return rest, {k: v for k, v in options.items() if k in GENERATIVE_OPTIONS}


def require_policy(unsupported: str) -> Policy:
    if unsupported not in POLICIES:
        raise ConfigError(f"--unsupported must be one of {', '.join(POLICIES)}")
    return unsupported


def apply_policy(result: CheckResult, unsupported: str) -> CheckResult:
    """``drop`` removes unsupported sentences from the report (the score still counts them);
    ``flag`` and ``keep`` both list every sentence with its label: a check always labels."""
    if require_policy(unsupported) != "drop":
        return result
    return replace(result, sentences=tuple(s for s in result.sentences if s.label != "unsupported"))


def _summary_text(summary: str | Path) -> str:
    """A summary given as a path (a str naming an existing file counts) or as text."""
    path: Path | None
    if isinstance(summary, Path):
        path = summary
    else:
        path = named_file(summary)
        if path is None:
            return summary
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return normalize(decode(path.read_bytes()))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def check(
    source: str | Path | bytes | Document,
    summary: str | Path,
    *,
    unsupported: str = "flag",
    judge: JudgeEngine | str | None = None,
    judge_band: Sequence[float] | None = None,
    **judge_options: Any,
) -> CheckResult:
    """Audit ``summary`` against ``source``: every sentence labelled, scored and cited.

    ``judge`` (a generative engine, or its name built with ``judge_options``) answers Yes or No for
    the sentences verify labels uncertain, and for those scored within ``judge_band`` (low, high).
    """
    require_policy(unsupported)
    doc = load(source)
    sentences = summary_sentences(_summary_text(summary))
    if not sentences:
        raise InputError("summary: no sentences to check")
    verdicts = assess(doc, sentences, [()] * len(sentences))
    run = None
    if judge is not None:
        verdicts, run = judge_verdicts(doc, sentences, verdicts, judge, judge_options, judge_band)
    checked = tuple(
        CheckedSentence(tidy(text), v.label, v.score, v.citations, v.reasons, v.judged_by)
        for text, v in zip(sentences, verdicts)
    )
    result = CheckResult(summary_score([s.score for s in checked]), checked, doc, run)
    return apply_policy(result, unsupported)
