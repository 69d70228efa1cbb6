"""Helpers the human-readable renderers share: sentences grouped by unit, section headings, the judge's say."""

from __future__ import annotations

from ..model import CheckedSentence, Document, JudgeRun, SummarySentence, Summary, Unit


def group_by_unit(summary: Summary) -> list[tuple[Unit, list[SummarySentence]]]:
    groups: dict[int, list[SummarySentence]] = {}
    for sentence in summary.sentences:
        groups.setdefault(sentence.unit, []).append(sentence)
    return [(summary.units[i], groups[i]) for i in sorted(groups)]


def section_heading(doc: Document, index: int | None) -> str:
    """'Title — 1962-10-26, Fidel Castro → Nikita Khrushchev' from what the section knows."""
    if index is None:
        return doc.title or "Document"
    section = doc.sections[index]
    title = section.title or f"Section {index + 1}"
    people = " → ".join(p for p in (section.author, section.recipient) if p)
    details = ", ".join(d for d in (section.date, people) if d)
    return f"{title} — {details}" if details else title


def judge_note(sentence: SummarySentence | CheckedSentence) -> str:
    """'judge (openai smollm2): yes' for a sentence whose label a judge set; '' for verify's own."""
    if sentence.judged_by is None:
        return ""
    return f"judge ({sentence.judged_by}): {'yes' if sentence.label == 'supported' else 'no'}"


def judge_summary(run: JudgeRun | None) -> str:
    """One line on what the judge did, or why it could not; '' when none was asked for."""
    if run is None:
        return ""
    if run.error:
        return f"judge ({run.by}) failed: {run.error}; verify's verdicts stand for the sentences it did not answer"
    return f"judge ({run.by}): asked about {run.asked} sentence(s) verify was unsure of, answered {run.decided}"
