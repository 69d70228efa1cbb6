"""Time spans, compared in one unit: "one to three days" is "24 to 72 hours", "two weeks" is not.

A number checked alone says nothing about its unit: "two" is in the letters whatever it
counts. A span is a count ("two", "24", "a") or a range of counts ("24 to 72", "one-three",
"between two and three") before a unit of time; ages ("10-year-old") are left to the numbers.
Two spans agree when their ranges in hours overlap, within the slack of calendar units (a
month is 28 to 31 days).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .numbers import Quantity
from .tokens import Token

if TYPE_CHECKING:
    from .align import Passage

_HOURS = {"second": 1 / 3600, "minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "fortnight": 336}
_HOURS |= {"month": 730.5, "year": 8766, "decade": 87_660, "century": 876_600}
# "a second" is more often "another" than a span: only the plural counts seconds.
UNITS = {unit: hours for name, hours in _HOURS.items() for unit in (name, name + "s")} | {"centuries": 876_600}
del UNITS["second"]
_ONE = frozenset({"a", "an", "one"})
_RANGE_JOINS = frozenset({"to", "-", "–", "or", "and"})
_ORDINAL = ("st", "nd", "rd", "th")
_SLACK = 0.1  # relative: four weeks is a month, 365 days a year


@dataclass(frozen=True, slots=True)
class Duration:
    text: str
    low: float  # hours
    high: float
    start: int  # character span, for the quantities it covers
    end: int

    def agrees(self, other: Duration) -> bool:
        return self.low <= other.high * (1 + _SLACK) and other.low <= self.high * (1 + _SLACK)

    @property
    def readable(self) -> str:
        """The span in the largest unit that keeps it above one ("1–3 days")."""
        for name in ("century", "decade", "year", "month", "week", "day", "hour", "minute", "second"):
            if self.low >= _HOURS[name] or name == "second":
                low, high = self.low / _HOURS[name], self.high / _HOURS[name]
                amount = f"{low:g}" if low == high else f"{low:g}–{high:g}"
                return f"{amount} {name}{'' if high == 1 else 's'}"
        return self.text


def _count(tokens: Sequence[Token], k: int, numbers: dict[int, Quantity]) -> tuple[float, int] | None:
    """The count ending at token ``k``: (value, its first token)."""
    if tokens[k].norm in _ONE:
        return 1.0, k
    quantity = numbers.get(tokens[k].end)
    if quantity is None or tokens[k].norm.endswith(_ORDINAL):
        return None  # "18th century" is a time, not a span
    first = k
    while first > 0 and tokens[first - 1].start >= quantity.start:
        first -= 1
    return quantity.value, first


def durations(tokens: Sequence[Token], quantities: Sequence[Quantity], text: str, offset: int = 0) -> list[Duration]:
    """Time spans in ``tokens`` (whose quantities are given), with their ranges in hours."""
    numbers = {q.end: q for q in quantities if q.kind == "number"}
    found = []
    for u, token in enumerate(tokens):
        hours = UNITS.get(token.norm)
        if hours is None or u == 0 or (u + 1 < len(tokens) and tokens[u + 1].norm in ("old", "-")):
            continue
        k = u - 1 if tokens[u - 1].norm != "-" else u - 2  # "five-year"
        counted = _count(tokens, k, numbers) if k >= 0 else None
        if counted is None:
            continue
        high, first = counted
        low = high
        if first >= 2 and tokens[first - 1].norm in _RANGE_JOINS:
            before = _count(tokens, first - 2, numbers)
            if before is not None and before[0] < high:
                low, first = before
        start, end = tokens[first].start, token.end
        found.append(Duration(text[start - offset : end - offset], low * hours, high * hours, start, end))
    return found


def source_durations(units: Sequence[Passage], quantities: Sequence[Sequence[Quantity]], text: str) -> list[Duration]:
    """Every time span of a source, unit by unit (read only for a claim's span its passage lacks)."""
    return [d for unit, found in zip(units, quantities) for d in durations(unit.tokens, found, text)]
