"""Numbers, dates and quantities, normalized so that "fifty" = 50 and "Oct. 26" = "26 October".

A summary that changes a number or a date is wrong however fluent it reads, and summarizers
invent dates with confidence ("the early 1950s"). Each claim quantity is looked for in the
aligned passage and in the whole source; the closest source value goes into the reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..segment.dates import MONTHS
from .spelling import plain_text
from .tokens import Token

QuantityKind = Literal["number", "percent", "year", "date", "decade"]

_MONTH_NAMES = ["", "January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_UNITS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "mln": 1_000_000}
_DECADE_PARTS = {"early": (0, 3), "mid": (3, 7), "late": (7, 9)}
_ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")


@dataclass(frozen=True, slots=True)
class Quantity:
    kind: QuantityKind
    text: str  # the surface as written
    start: int
    end: int
    value: float = math.nan  # number, percent, year
    tolerance: float = 0.0  # half a unit of the last written digit: "3.5" covers 3.45-3.55
    month: int | None = None
    day: int | None = None
    year: int | None = None
    low: int = 0  # decade range, inclusive
    high: int = 0

    @property
    def label(self) -> str:
        return "date" if self.kind in ("year", "date", "decade") else "number"

    @property
    def casual(self) -> bool:
        """A small count written in words ("two concepts"): paraphrases move these about freely."""
        return self.kind == "number" and self.value <= 10 and not any(c.isdigit() for c in self.text)


def _digits_value(norm: str) -> tuple[float, float, bool] | None:
    """(value, tolerance, is_ordinal) of a digit token, or None for clock times and the like."""
    ordinal = norm.endswith(_ORDINAL_SUFFIXES)
    core = norm[:-2] if ordinal else norm.rstrip("s")
    if core.count(":") or core.count(".") > 1 or not core:
        return None
    try:
        value = float(core)
    except ValueError:
        return None
    decimals = len(core.split(".")[1]) if "." in core else 0
    return value, 0.5 * 10 ** (-decimals), ordinal


def _is_year(value: float, surface: str) -> bool:
    return value.is_integer() and 1000 <= value <= 2100 and len(surface) == 4


def is_number_word(word: str) -> bool:
    """Spelled numbers are compared as numbers, not as words."""
    return word in _UNITS or word in _TENS or word in _SCALES or word == "one"


def _joins_number_words(tokens: Sequence[Token], j: int) -> bool:
    """The "-" of "forty-two" and the "and" of "two hundred and fifty"."""
    if j == 0 or j + 1 >= len(tokens):
        return False
    before, after = tokens[j - 1].norm, tokens[j + 1].norm
    if tokens[j].norm == "-":
        return before in _TENS and (after in _UNITS or after == "one")
    return tokens[j].norm == "and" and before in _SCALES and (after in _UNITS or after in _TENS or after == "one")


def _word_number(tokens: Sequence[Token], i: int) -> tuple[float, int] | None:
    """A number spelled in words starting at ``i``: (value, index after it)."""
    total, current, j, seen = 0, 0, i, False
    while j < len(tokens):
        norm = tokens[j].norm
        if norm in _UNITS:
            current += _UNITS[norm]
        elif norm in _TENS:
            current += _TENS[norm]
        elif norm == "one" and (seen or (j + 1 < len(tokens) and tokens[j + 1].norm in _SCALES)):
            current += 1  # "one" alone is a pronoun far more often than a count
        elif norm in _SCALES and seen:
            scale = _SCALES[norm]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        elif _joins_number_words(tokens, j):
            pass
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return float(total + current), j


def _skip(tokens: Sequence[Token], j: int, marks: str) -> int:
    while j < len(tokens) and tokens[j].kind == "punct" and tokens[j].norm in marks:
        j += 1
    return j


def _day_at(tokens: Sequence[Token], j: int) -> int | None:
    if j < len(tokens) and tokens[j].kind == "number":
        parsed = _digits_value(tokens[j].norm)
        if parsed and parsed[0].is_integer() and 1 <= parsed[0] <= 31 and len(tokens[j].norm.rstrip("stndrh")) <= 2:
            return int(parsed[0])
    return None


def _year_at(tokens: Sequence[Token], j: int) -> int | None:
    if j < len(tokens) and tokens[j].kind == "number":
        parsed = _digits_value(tokens[j].norm)
        if parsed and not parsed[2] and _is_year(parsed[0], tokens[j].text):
            return int(parsed[0])
    return None


def extract_quantities(tokens: Sequence[Token], text: str, offset: int = 0) -> list[Quantity]:
    """Quantities in ``tokens``; ``text[start - offset:end - offset]`` is each one's surface."""
    found: list[Quantity] = []
    i = 0

    def make(kind: QuantityKind, first: int, last: int, **fields) -> Quantity:
        start, end = tokens[first].start, tokens[last].end
        return Quantity(kind, text[start - offset : end - offset], start, end, **fields)

    while i < len(tokens):
        token = tokens[i]
        month = MONTHS.get(token.norm) if token.kind == "word" else None
        if month:
            j = _skip(tokens, i + 1, ".")
            day = _day_at(tokens, j)
            if day is not None:
                k = _skip(tokens, j + 1, ",")
                year = _year_at(tokens, k)
                last = k if year is not None else j
                found.append(make("date", i, last, month=month, day=day, year=year))
                i = last + 1
                continue
            year = _year_at(tokens, j)
            if year is not None:
                found.append(make("date", i, j, month=month, year=year))
                i = j + 1
                continue
        if token.kind == "number":
            parsed = _digits_value(token.norm)
            if parsed is None:
                i += 1
                continue
            value, tolerance, ordinal = parsed
            j = i + 1
            if j < len(tokens) and tokens[j].norm == "of":
                j += 1
            month = MONTHS.get(tokens[j].norm) if j < len(tokens) and tokens[j].kind == "word" else None
            if month and value.is_integer() and 1 <= value <= 31:
                k = _skip(tokens, j + 1, ",")
                year = _year_at(tokens, k)
                last = k if year is not None else j
                found.append(make("date", i, last, month=month, day=int(value), year=year))
                i = last + 1
                continue
            if token.norm.endswith("0s") and len(token.norm) == 5 and value.is_integer():
                first = i - 1 if i and tokens[i - 1].norm in _DECADE_PARTS else i
                low_offset, high_offset = _DECADE_PARTS.get(tokens[first].norm, (0, 9))
                decade = int(value)
                found.append(make("decade", first, i, low=decade + low_offset, high=decade + high_offset))
                i += 1
                continue
            if not ordinal and _is_year(value, token.text):
                found.append(make("year", i, i, value=value, year=int(value)))
                i += 1
                continue
            last = i
            if i + 1 < len(tokens) and tokens[i + 1].norm in _SCALES:
                scale = _SCALES[tokens[i + 1].norm]
                value, tolerance, last = value * scale, tolerance * scale, i + 1
            kind: QuantityKind = "number"
            if last + 1 < len(tokens) and tokens[last + 1].norm in ("%", "percent"):
                kind, last = "percent", last + 1
            elif last + 2 < len(tokens) and tokens[last + 1].norm == "per" and tokens[last + 2].norm == "cent":
                kind, last = "percent", last + 2
            found.append(make(kind, i, last, value=value, tolerance=tolerance))
            i = last + 1
            continue
        if token.kind == "word":
            spelled = _word_number(tokens, i)
            if spelled is not None:
                value, after = spelled
                kind = "number"
                last = after - 1
                if after < len(tokens) and tokens[after].norm in ("%", "percent"):
                    kind, last = "percent", after
                found.append(make(kind, i, last, value=value, tolerance=0.5))
                i = last + 1
                continue
        i += 1
    return found


def _values_match(claim: float, tolerance: float, source: float) -> bool:
    return abs(claim - source) <= max(tolerance, 1e-9 * max(1.0, abs(claim)))


def _source_values(source: Quantity) -> Iterable[float]:
    """Every number a source quantity states: a date states its day and its year."""
    if source.kind in ("number", "percent", "year"):
        yield source.value
    if source.day is not None:
        yield float(source.day)
    if source.year is not None and source.kind != "year":
        yield float(source.year)


def _years(pool: Sequence[Quantity]) -> set[int]:
    return {q.year for q in pool if q.year is not None}


def is_supported(claim: Quantity, pool: Sequence[Quantity]) -> bool:
    """Does some quantity of ``pool`` (source quantities) state ``claim``?"""
    if claim.kind in ("number", "percent", "year"):
        return any(_values_match(claim.value, claim.tolerance, v) for s in pool for v in _source_values(s))
    if claim.kind == "decade":
        return any(claim.low <= y <= claim.high for y in _years(pool)) or any(
            s.kind == "decade" and s.low <= claim.high and claim.low <= s.high for s in pool
        )
    # a date: the same month (and day), and its year stated with it or somewhere near
    same = [
        s for s in pool if s.kind == "date" and s.month == claim.month and (claim.day is None or s.day == claim.day)
    ]
    if claim.year is None:
        return bool(same)
    return any(s.year == claim.year for s in same) or (any(s.year is None for s in same) and claim.year in _years(pool))


def _year_gap(claim: Quantity, source: Quantity) -> float:
    """Years between a claimed year/decade and a source quantity that states a year."""
    years = [source.year] if source.year is not None else [source.low, source.high] if source.kind == "decade" else []
    if not years:
        return math.inf
    if claim.kind == "decade":
        return min(0 if claim.low <= y <= claim.high else min(abs(y - claim.low), abs(y - claim.high)) for y in years)
    return min(abs(y - (claim.year or 0)) for y in years)


def _distance(claim: Quantity, source: Quantity) -> float:
    """How far apart two quantities of comparable kind are; infinite when not comparable."""
    if claim.kind in ("number", "percent"):
        return abs(claim.value - source.value) if source.kind == claim.kind else math.inf
    if claim.kind == "date" and claim.month:
        if source.kind != "date" or not source.month:
            return math.inf
        gap = abs(claim.month - source.month) * 31 + abs((claim.day or 15) - (source.day or 15))
        if claim.year is not None and source.year is not None:
            gap += abs(claim.year - source.year) * 400
        return gap
    return _year_gap(claim, source)


def closest(claim: Quantity, pools: Sequence[Sequence[Quantity]]) -> Quantity | None:
    """The source quantity most like ``claim``: searched in the first pool with a candidate."""
    for pool in pools:
        ranked = sorted(((d, s.start, s) for s in pool if (d := _distance(claim, s)) < math.inf), key=lambda x: x[:2])
        if ranked:
            return ranked[0][2]
    return None


def iso_date(text: str) -> Quantity | None:
    """A date written YYYY-MM-DD (as metadata stores it) as a Quantity."""
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        return Quantity("date", text, 0, 0, month=int(parts[1]), day=int(parts[2]), year=int(parts[0]))
    return None


def describe(quantity: Quantity, claim: Quantity | None = None) -> str:
    """How a source quantity is named in a reason: in the terms of the claim it answers (a year
    for a claimed year), else its own words written plainly ("100 , 000" as "100,000") or a
    normalized date."""
    if claim is not None and claim.kind in ("year", "decade") and quantity.year is not None:
        return str(quantity.year)
    if quantity.kind == "date" and quantity.month:
        month = _MONTH_NAMES[quantity.month]
        if quantity.day is None:
            return f"{month} {quantity.year}" if quantity.year else month
        return f"{month} {quantity.day}" + (f", {quantity.year}" if quantity.year else "")
    return plain_text(quantity.text)
