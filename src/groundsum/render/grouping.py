"""Helpers the human-readable renderers share: sentences grouped by unit, section headings, the judge's say."""

from __future__ import annotations

from ..model import CheckedSentence, Document, JudgeRun, Summary, SummarySentence, Unit


def group_by_unit(summary: Summary) -> list[tuple[Unit, list[SummarySentence]]]:
    """Each unit with its sentences, in order; a document or section off the focus comes with none,
    to say so (a paragraph off the focus is the rule, not news: it is left out)."""
    silent = [i for i, unit in enumerate(summary.units) if unit.off_focus and summary.per != "paragraph"]
    groups: dict[int, list[SummarySentence]] = {i: [] for i in silent}
    for sentence in summary.sentences:
        groups.setdefault(sentence.unit, []).append(sentence)
    return [(summary.units[i], groups[i]) for i in sorted(groups)]


def document_says_nothing(summary: Summary) -> str | None:
    """'The document says nothing about inspections.' when every unit is off the focus, else None."""
    if summary.focus is not None and all(unit.off_focus for unit in summary.units):
        return f"The document says nothing about {summary.focus}."
    return None


def empty_note(summary: Summary) -> str:
    """What a summary without a sentence shows: nothing about the focus, or nothing verified."""
    return document_says_nothing(summary) or "No sentence of the summary could be verified against the source."


def says_nothing(summary: Summary, unit: Unit) -> str:
    """'Section 3 says nothing about inspections.': what a unit off the focus shows instead of sentences."""
    doc = summary.document
    if summary.per == "document":
        name = "The document"
    elif summary.per == "section":
        index = unit.section
        if index is None:
            name = "The text before the first section"
        else:
            name = doc.sections[index].title or f"Section {index + 1}"
    else:
        name = f"Paragraph {next(i for i, p in enumerate(doc.paragraphs) if p.span == unit.span) + 1}"
    return f"{name} says nothing about {summary.focus}."


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
