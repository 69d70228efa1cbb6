"""Every signal about one claim, as the feature vector the learned model reads and as reasons
people read. Features are measured against the aligned *window* (where the claim should be
stated), its *context* (the window with two sentences either side, plus its section's
heading lines and letter metadata, where names and dates are introduced) and the whole source.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..embed import get_embedder
from ..model import Span
from ..tidy import tidy
from .align import EMBEDDER, Alignment, SectionContext, SourceIndex, align, citations, claim_weights
from .content import coverage, novel_words
from .entities import Mention, same_entity
from .numbers import Quantity, closest, describe, extract_quantities, is_supported
from .polarity import flips
from .roles import order_flips, relations, swapped
from .tokens import Token, embedding_text, tokenize

FEATURES = (
    "cover_source",  # rarity-weighted share of the claim's content words found anywhere in the source
    "window_misses",  # log(1 + content words the aligned window, with its section's headings, lacks)
    "novel_words",  # log(1 + content words the source never uses)
    "length",  # log(1 + content words)
    "names_missing",  # names the source never mentions
    "names_elsewhere",  # names the source has, but not near the window: sum of log(1 + units away)
    "numbers_missing",  # numbers and dates the source never states
    "numbers_elsewhere",  # ... stated in the source, but not near the window
    "negation_flips",
    "antonym_flips",
    "role_swaps",  # two names' roles reversed (who wrote to whom)
    "order_flips",  # words around a shared word in the reverse order of the source (A beat B / B beat A)
)
# Which way each feature may push the score: +1 more means better supported, -1 worse, 0 either.
# Training keeps every weight on its side, so no artifact of the synthetic training data can
# make, say, stronger lexical support count against a sentence.
DIRECTIONS = {name: -1 for name in FEATURES} | {"cover_source": 1, "length": 0}
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
    """(numbers and dates the source never states, those it states only away from the window)."""
    window = [q for i in alignment.window for q in index.quantities[i]]
    missing = elsewhere = 0
    for quantity in extract_quantities(claim, text):
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
    """(negation flips, antonym flips) against the window."""
    negations = antonyms = 0
    for flip in flips(claim, context.window):
        said = _snippet(index, context.window, flip.source_start, flip.source_end)
        if flip.kind == "negation":
            negations += 1
            findings.append(f"negation flipped: source says '{said}'")
        else:
            antonyms += 1
            findings.append(f"opposite meaning: source says '{said}' where this says '{flip.claim_word}'")
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
    reversals = order_flips(claim, context.window)
    if reversals and not swaps:
        quoted = _snippet(index, context.window, reversals[0].first, reversals[0].last)
        findings.append(f"roles swapped: source has '{quoted}'")
    return swaps, len(reversals)


def analyze_one(index: SourceIndex, text: str, claim: list[Token], alignment: Alignment) -> Analysis:
    """Features and findings of one claim, given where it aligns."""
    context = _Context.around(index, alignment)
    findings: list[str] = []
    names_missing, names_elsewhere, identified, recognized = _check_names(
        index, claim, text, alignment, context, findings
    )
    numbers_missing, numbers_elsewhere = _check_numbers(index, claim, text, alignment, context, findings)
    negations, antonyms = _check_polarity(index, claim, context, findings)
    swaps, reversals = _check_roles(index, claim, text, identified, context, findings)
    window_stems = frozenset().union(*(index.units[i].stems for i in alignment.window)) | context.section.stems
    novel = novel_words(claim, index.names.words, index.names.stems, skip=recognized)
    features = (
        coverage(claim_weights(index, claim), index.names.stems),
        math.log1p(sum(1 for t in claim if t.is_content and t.stem not in window_stems)),
        math.log1p(len(novel)),
        math.log1p(sum(t.is_content for t in claim)),
        float(names_missing),
        names_elsewhere,
        float(numbers_missing),
        float(numbers_elsewhere),
        float(negations),
        float(antonyms),
        float(swaps),
        float(reversals),
    )
    return Analysis(
        features=features,
        findings=tuple(dict.fromkeys(findings)),
        novel=tuple(dict.fromkeys(t.text for t in novel)),
        citations=citations(index, alignment),
        window=Span(*context.span),
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
        analyze_one(index, text, claims[k], align(index, claims[k], vectors[k], evidence[k] if evidence else ()))
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
