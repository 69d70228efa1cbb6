"""Every signal about one claim, as the feature vector the learned model reads and as reasons
people read. Claims are compared with the aligned *window* (where the claim should be stated),
its *context* (the window with two sentences either side, plus its section's heading lines and
letter metadata, where names and dates are introduced) and the whole source.

The checks here (names, numbers, polarity, roles) run once per claim and write the reasons; the
signals in ``signals/`` read their counts, one file a signal, and make the feature vector.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from ..embed import get_embedder
from ..model import Span
from ..tidy import tidy
from .align import EMBEDDER, Alignment, SectionContext, SourceIndex, align, citations
from .content import novel_words
from .degrees import degree_flips
from .durations import Duration, durations, source_durations
from .entities import Mention, same_entity
from .modality import certainty_flips
from .numbers import Quantity, closest, describe, extract_quantities, is_supported
from .polarity import flips
from .roles import addressed, letter_relation, order_flips, relations, swapped
from .signals import signal_registry
from .stance import stance_flips
from .tokens import Token, embedding_text, tokenize

_CONTEXT_RADIUS = 2  # sentences either side of the window where names/numbers count as near
_FAR = 5  # units beyond that context: a name this far away is reported
_QUOTE = 100


@dataclass(frozen=True)
class Analysis:
    features: tuple[float, ...]  # in the order of FEATURES
    findings: tuple[str, ...]  # specific problems, for people
    novel: tuple[str, ...]  # content words the source never uses
    citations: tuple[Span, ...]
    window: Span  # the best aligned passage


def _near_units(index: SourceIndex, alignment: Alignment) -> list[int]:
    section = index.units[alignment.primary].section
    low = max(0, min(alignment.window) - _CONTEXT_RADIUS)
    high = min(len(index.units), max(alignment.window) + _CONTEXT_RADIUS + 1)
    return [i for i in range(low, high) if index.units[i].section == section]


def _distance(index: SourceIndex, alignment: Alignment, identity: str, head: str) -> int:
    """How many units beyond the window's neighbourhood the nearest mention of a name is."""

    def mentions_it(i: int) -> bool:
        return any(identity == other or same_entity(identity, other) for _, other in index.mentions[i]) or any(
            t.norm == head for t in index.units[i].tokens
        )

    low, high = min(alignment.window) - _CONTEXT_RADIUS, max(alignment.window) + _CONTEXT_RADIUS
    for distance in range(1, len(index.units)):
        if (low - distance >= 0 and mentions_it(low - distance)) or (
            high + distance < len(index.units) and mentions_it(high + distance)
        ):
            return distance
    return len(index.units)


def _quote(text: str) -> str:
    text = tidy(text)
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1].rstrip() + "…"


def _snippet(index: SourceIndex, tokens: Sequence[Token], first: int, last: int) -> str:
    return tidy(index.doc.text[tokens[first].start : tokens[last].end])


@dataclass(frozen=True)
class _Context:
    """What a claim is compared with: the window, the units near it and its section's headings."""

    window: list[Token]
    span: tuple[int, int]
    near: list[int]
    section: SectionContext
    identities: set[str]
    words: set[str]
    quantities: list[Quantity]

    @classmethod
    def around(cls, index: SourceIndex, alignment: Alignment) -> _Context:
        units = index.units
        section = index.section_context(units[alignment.primary].section)
        near = _near_units(index, alignment)
        return cls(
            window=[t for i in alignment.window for t in units[i].tokens],
            span=(units[alignment.window[0]].start, units[alignment.window[-1]].end),
            near=near,
            section=section,
            identities={identity for i in near for _, identity in index.mentions[i]} | section.identities,
            words={t.norm for i in near for t in units[i].tokens} | section.words,
            quantities=[q for i in near for q in index.quantities[i]] + section.quantities,
        )


def _check_names(
    index: SourceIndex, claim: list[Token], text: str, alignment: Alignment, context: _Context, findings: list[str]
) -> tuple[int, float, list[tuple[Mention, str]], set[int]]:
    """(names missing, summed log-distance of names far away, mentions with identities, their tokens)."""
    names = index.names
    missing, elsewhere = 0, 0.0
    identified: list[tuple[Mention, str]] = []
    recognized: set[int] = set()  # tokens of names the source has (perhaps spelled otherwise)
    for mention in names.mentions(claim, text):
        status, identity, lacking = names.match(mention, claim)
        identified.append((mention, identity))
        if status == "missing":
            missing += 1
            findings.append(f"'{mention.text}' matches no name in the source")
            continue
        recognized |= set(range(mention.first, mention.last))
        if lacking:
            findings.append(f"'{', '.join(lacking)}' (in '{mention.text}') is not in the source")
        near = (
            identity in context.words
            or mention.head in context.words
            or any(same_entity(identity, other) for other in context.identities)
        )
        if not near:
            distance = _distance(index, alignment, identity, mention.head)
            elsewhere += math.log1p(distance)
            if distance >= _FAR:
                findings.append(f"'{mention.text}' is in the source, but not near the passage this sentence matches")
    return missing, elsewhere, identified, recognized


def _check_numbers(
    index: SourceIndex, claim: list[Token], text: str, alignment: Alignment, context: _Context, findings: list[str]
) -> tuple[int, int]:
    """(numbers and dates the source never states, those it states only away from the window).

    Time spans are compared with their units first, since a bare "two" is in most sources: a
    span the source states ("one to three days" for "24 to 72 hours") is supported, one the
    passage states otherwise ("two weeks") is missing, and the numbers of a span settled either
    way are not checked again on their own."""
    window = [q for i in alignment.window for q in index.quantities[i]]
    quantities = extract_quantities(claim, text)
    settled: list[Duration] = []
    nearby = [
        d
        for i in sorted(context.near, key=lambda i: i not in alignment.window)
        for d in durations(index.units[i].tokens, index.quantities[i], index.doc.text)
    ]
    missing = elsewhere = 0
    for span in durations(claim, quantities, text):
        if any(span.agrees(d) for d in nearby) or any(
            span.agrees(d) for d in source_durations(index.units, index.quantities, index.doc.text)
        ):
            settled.append(span)
        elif nearby:
            settled.append(span)
            missing += 1
            said = nearby[0]
            findings.append(
                f"time span differs: source says '{said.text}' ({said.readable}), this says '{span.text}'"
            )
    for quantity in quantities:
        if any(span.start <= quantity.start and quantity.end <= span.end for span in settled):
            continue
        if not is_supported(quantity, index.all_quantities):
            missing += 1
            nearest = closest(quantity, [window, context.quantities, index.all_quantities])
            having = f" (source has {describe(nearest, quantity)})" if nearest else ""
            findings.append(f"{quantity.label} '{quantity.text}' not in source{having}")
        elif not quantity.casual and not is_supported(quantity, context.quantities):
            elsewhere += 1
            findings.append(
                f"{quantity.label} '{quantity.text}' is in the source, but not in the passage this sentence matches"
            )
    return missing, elsewhere


def _check_polarity(index: SourceIndex, claim: list[Token], context: _Context, findings: list[str]) -> tuple[int, int]:
    """(negation flips, antonym flips) against the window. A reversed stance, comparison or
    degree of certainty counts as an antonym: each says the opposite in the source's words.
    A passage contradicted once counts once, whichever signals see it."""
    clashes = {"stance": "stance reversed", "comparison": "comparison reversed", "certainty": "certainty differs"}
    negations = antonyms = 0
    plain = flips(claim, context.window, index.names.stems)
    found = [flip for flip in plain if flip.kind == "negation"]
    quoted = [(flip.source_start, flip.source_end) for flip in found]
    for flip in (  # the specific clashes name a passage before a bare antonym ("less" for "more") does
        stance_flips(claim, context.window)
        + degree_flips(claim, context.window)
        + certainty_flips(claim, context.window)
        + [flip for flip in plain if flip.kind == "antonym"]
    ):
        if not any(start <= flip.source_end and flip.source_start <= end for start, end in quoted):
            quoted.append((flip.source_start, flip.source_end))
            found.append(flip)
    for flip in found:
        said = _snippet(index, context.window, flip.source_start, flip.source_end)
        if flip.kind == "negation":
            negations += 1
            findings.append(f"negation flipped: source says '{said}'")
        elif flip.kind == "antonym":
            antonyms += 1
            findings.append(f"opposite meaning: source says '{said}' where this says '{flip.claim_word}'")
        else:
            antonyms += 1
            findings.append(f"{clashes[flip.kind]}: source says '{said}', this says '{flip.claim_word}'")
    return negations, antonyms


def _check_roles(
    index: SourceIndex,
    claim: list[Token],
    text: str,
    identified: list[tuple[Mention, str]],
    context: _Context,
    findings: list[str],
) -> tuple[int, int]:
    """(names whose roles are reversed, words reversed around a shared word) against the source."""
    swaps = 0
    for relation in relations(claim, identified, text):
        other = swapped(relation, index.relations, context.span, same_entity)
        if other is not None:
            swaps += 1
            quoted = tidy(index.doc.text[other.start : other.end])
            where = f" ('{quoted}')" if quoted else " (letter metadata)"
            findings.append(f"roles swapped: source has {other.agent_text} → {other.patient_text}{where}")
    sections = [s.start for s in index.doc.sections if s.start <= context.span[0] < s.end]
    letter = letter_relation(index.relations, max(sections)) if sections else None
    if letter is not None:
        for mention, identity in addressed(claim, identified):
            if same_entity(identity, letter.agent) or identity == letter.agent:
                swaps += 1
                findings.append(
                    f"roles swapped: the letter is from {letter.agent_text} to {letter.patient_text}, "
                    f"but this has its writer addressing '{mention.text}'"
                )
    reversals = order_flips(claim, context.window)
    if reversals and not swaps:
        quoted = _snippet(index, context.window, reversals[0].first, reversals[0].last)
        findings.append(f"roles swapped: source has '{quoted}'")
    return swaps, len(reversals)


class NameCheck(NamedTuple):
    missing: int  # names the source never mentions
    elsewhere: float  # summed log-distance of names the source has only far from the window
    identified: list[tuple[Mention, str]]  # the claim's name mentions with their identities
    recognized: set[int]  # tokens of names the source has (perhaps spelled otherwise)


class NumberCheck(NamedTuple):
    missing: int  # numbers, dates and time spans the source never states, or states otherwise nearby
    elsewhere: int  # stated in the source, but not near the window


class PolarityCheck(NamedTuple):
    negations: int
    antonyms: int  # antonyms, reversed stances, comparisons and certainty


class RoleCheck(NamedTuple):
    swaps: int  # names whose roles are reversed
    reversals: int  # words reversed around a shared word


@dataclass
class Claim:
    """One claim where it aligns, with the checks the signals read, each run once on first use.
    Checks append their reasons to ``findings`` in the order they run."""

    index: SourceIndex
    text: str
    tokens: list[Token]
    vector: np.ndarray  # the claim's sentence embedding (unit length), as alignment used it
    alignment: Alignment
    context: _Context
    findings: list[str] = field(default_factory=list)

    @cached_property
    def names(self) -> NameCheck:
        return NameCheck(*_check_names(self.index, self.tokens, self.text, self.alignment, self.context, self.findings))

    @cached_property
    def numbers(self) -> NumberCheck:
        args = (self.index, self.tokens, self.text, self.alignment, self.context, self.findings)
        return NumberCheck(*_check_numbers(*args))

    @cached_property
    def polarity(self) -> PolarityCheck:
        return PolarityCheck(*_check_polarity(self.index, self.tokens, self.context, self.findings))

    @cached_property
    def roles(self) -> RoleCheck:
        args = (self.index, self.tokens, self.text, self.names.identified, self.context, self.findings)
        return RoleCheck(*_check_roles(*args))

    @cached_property
    def novel(self) -> list[Token]:
        """Content words the source never uses, names it has (in any spelling) excepted."""
        return novel_words(self.tokens, self.index.names.words, self.index.names.stems, skip=self.names.recognized)

    @cached_property
    def window_stems(self) -> frozenset[str]:
        units = self.index.units
        return frozenset().union(*(units[i].stems for i in self.alignment.window)) | self.context.section.stems

    def check(self) -> None:
        """Run every check in reading order (names, numbers, polarity, roles), so reasons come in it."""
        _ = (self.names, self.numbers, self.polarity, self.roles)


SIGNALS = tuple(signal for _, signal in signal_registry.items())
FEATURES = tuple(signal.name for signal in SIGNALS)
DIRECTIONS = {signal.name: signal.direction for signal in SIGNALS}


def analyze_one(
    index: SourceIndex, text: str, tokens: list[Token], vector: np.ndarray, alignment: Alignment
) -> Analysis:
    """Features and findings of one claim, given where it aligns."""
    claim = Claim(index, text, tokens, vector, alignment, _Context.around(index, alignment))
    claim.check()
    return Analysis(
        features=tuple(float(signal.measure(claim)) for signal in SIGNALS),
        findings=tuple(dict.fromkeys(claim.findings)),
        novel=tuple(dict.fromkeys(t.text for t in claim.novel)),
        citations=citations(index, alignment),
        window=Span(*claim.context.span),
    )


def analyze(
    index: SourceIndex, texts: Sequence[str], evidence: Sequence[Sequence[Span]] | None = None
) -> list[Analysis]:
    """Analyses of many claims against one source (the claims embedded in one batch)."""
    if not texts:
        return []
    vectors = get_embedder(EMBEDDER).encode([embedding_text(t) for t in texts])
    claims = [tokenize(text) for text in texts]
    return [
        analyze_one(
            index, text, claims[k], vectors[k], align(index, claims[k], vectors[k], evidence[k] if evidence else ())
        )
        for k, text in enumerate(texts)
    ]


def describe_unsupported(index: SourceIndex, analysis: Analysis) -> list[str]:
    """What to tell people when no specific finding explains a low score."""
    window = analysis.window
    reasons = []
    if analysis.novel:
        words = ", ".join(f"'{w}'" for w in analysis.novel[:5])
        reasons.append(f"not in the source: {words}")
    quote = _quote(index.doc.text[window.start : window.end])
    reasons.append(f'no source passage states this; closest: "{quote}" [chars {window.start}–{window.end}]')
    return reasons
