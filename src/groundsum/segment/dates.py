"""Dates as written in letters and headings ("October 26, 1962", "26 Oct. 1962", "1962-10-26"),
turned into ISO 8601 so sections can be sorted and shown the same way."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",  # October 26, 1962
        rf"\b{_WEEKDAY}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b",  # 26 October 1962
        r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b",  # 1962-10-26
    )
)
# A line that is only a date, maybe after a place ("Havana, October 26, 1962").
_PLACE = r"(?:[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3},\s+)?"


def parse_date(text: str) -> str | None:
    """The first valid date in ``text`` as ISO 8601 ("1962-10-26"), or None."""
    found = [(m.start(), m) for pattern in _PATTERNS for m in [pattern.search(text)] if m]
    for _, match in sorted(found, key=lambda item: item[0]):
        iso = _iso(match)
        if iso:
            return iso
    return None


def date_line(line: str) -> str | None:
    """The ISO date if the whole line is a date (optionally after a place name), else None."""
    line = line.strip().rstrip(".")
    if len(line) > 60:
        return None
    for pattern in _PATTERNS:
        match = re.fullmatch(_PLACE + pattern.pattern, line, re.IGNORECASE)
        if match:
            return _iso(match)
    return None


def _iso(match: re.Match[str]) -> str | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        return date(int(match.group("year")), number, int(match.group("day"))).isoformat()
    except ValueError:
        return None
