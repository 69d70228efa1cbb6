"""Helpers the human-readable renderers share: sentences grouped by unit, section headings."""

from __future__ import annotations

from ..model import Document, SummarySentence, Summary, Unit


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
