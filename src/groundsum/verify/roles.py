"""Roles: who did what to whom. "Khrushchev wrote to Castro" and "Castro wrote to Khrushchev"
share every word, so only the direction between the two names tells them apart.

A relation is two names close together in one clause with a verb or preposition between:
"X wrote to Y", "X's letter to Y", "a letter to Y from X", "Y was attacked by X", "X attacked Y".
"by" points back to the earlier name, and so does "from" when it marks who a message came from.
A letter's author/recipient metadata is a relation too. A claim's relation is compared with the
nearest source relation between the same two entities that shares a word of the link (or the
to/from direction).

Names are not needed for the commonest swap, two arguments around a verb: ``order_flips``
finds words on opposite sides of a shared word in the source and the claim.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .entities import Mention
from .tokens import SENTENCE_PUNCT, Token, stem

_MAX_LINK = 6  # words between the two names
_COORDINATION = frozenset({"and", "or", "nor", ",", "&", "/", "both", "-", "(", ")", "the", "of", "'s", "s"})
_DIRECTED = frozenset({"to", "from", "toward", "towards", "against", "into"})
_COMMUNICATION = frozenset(
    stem(w)
    for w in """letter message cable telegram note reply answer send sent receive call
speak talk appeal warn warning request invitation greeting address""".split()
)
_COMMUNICATION_VERBS = frozenset("write writes wrote written writing tell tells told say says said".split())
DIRECTION = "→"  # the cue shared by every to/from link


@dataclass(frozen=True, slots=True)
class Relation:
    agent: str  # entity identities
    patient: str
    cues: frozenset[str]  # stems of the link words, plus DIRECTION for to/from links
    start: int  # character span covering both names (for quoting)
    end: int
    agent_text: str
    patient_text: str


def relations(
    tokens: Sequence[Token], mentions: Sequence[tuple[Mention, str]], text: str, offset: int = 0
) -> list[Relation]:
    """Directed relations between consecutive names of ``tokens`` (mentions with identities)."""
    found = []
    for (first, first_id), (second, second_id) in pairwise(mentions):
        if first_id == second_id:
            continue
        link = tokens[first.last : second.first]
        words = [t for t in link if t.is_wordlike]
        if len(words) > _MAX_LINK or any(t.kind == "punct" and t.norm in SENTENCE_PUNCT for t in link):
            continue
        if all(t.norm in _COORDINATION for t in link):
            continue  # "X and Y", "X of Y": no direction
        norms = {t.norm for t in link}
        cues = {t.stem for t in link if t.is_content}
        # to/from give a direction only when they link people directly ("to X from Y") or
        # carry a communication ("wrote to", "a letter from"); "bases from Cuba" is a place.
        communicates = len(words) == 1 or bool(cues & _COMMUNICATION) or bool(norms & _COMMUNICATION_VERBS)
        if norms & _DIRECTED and communicates:
            cues.add(DIRECTION)
        if not cues:
            continue
        backward = "by" in norms or ("from" in norms and communicates)
        agent, patient = (second, first) if backward else (first, second)
        agent_id, patient_id = (second_id, first_id) if agent is second else (first_id, second_id)
        found.append(Relation(agent_id, patient_id, frozenset(cues), first.start, second.end, agent.text, patient.text))
    return found


def swapped(
    claim: Relation,
    source: Sequence[Relation],
    window: tuple[int, int],
    same: Callable[[str, str], bool],
) -> Relation | None:
    """The source relation that runs the other way, if the nearest comparable one does.

    Nearest to the aligned passage: a relation inside it, else the closest one before it (a
    letter's heading governs the letter), else after it.
    """
    start, end = window

    def distance(r: Relation) -> int:
        if r.end > start and r.start < end:
            return 0
        return start - r.end if r.end <= start else 2 * (r.start - end)

    comparable = [
        r
        for r in source
        if r.cues & claim.cues
        and (
            (same(r.agent, claim.agent) and same(r.patient, claim.patient))
            or (same(r.agent, claim.patient) and same(r.patient, claim.agent))
        )
    ]
    if not comparable:
        return None
    nearest = min(comparable, key=lambda r: (distance(r), r.start))
    if same(nearest.agent, claim.patient) and same(nearest.patient, claim.agent):
        return nearest
    return None


@dataclass(frozen=True, slots=True)
class OrderFlip:
    """Two words on opposite sides of a shared word, the other way round in the source."""

    first: int  # source token indices spanning the flipped stretch
    last: int


_PIVOT_REACH = 3  # content words either side of a pivot, in the claim and in the source


def _one_sentence(tokens: Sequence[Token], first: int, last: int) -> bool:
    return not any(t.kind == "punct" and t.norm in SENTENCE_PUNCT for t in tokens[first:last])


def order_flips(claim: Sequence[Token], source: Sequence[Token]) -> list[OrderFlip]:
    """ "A beat B" against a source saying "B beat A", names or not: a pivot word the claim and
    the source share, right next to two other shared words (at most one content word between),
    one before it and one after it, that the source has on the opposite sides. Only words that
    occur once on each side count, so that a sentence assembled from words spread over the
    passage proves nothing; a moved phrase does not count either: it leaves the words around
    any pivot on their sides."""
    words = [t.stem for t in claim if t.is_content]
    counts = Counter(words)
    source_words = [(i, t.stem) for i, t in enumerate(source) if t.is_content]
    source_counts = Counter(w for _, w in source_words)
    order = {w: k for k, (_, w) in enumerate(source_words) if source_counts[w] == 1 and counts[w] == 1}
    found = []
    names = {t.stem for t in source if t.is_content and (t.capitalized or t.kind == "acronym")}
    for k, pivot in enumerate(words):
        if pivot not in order or pivot in names:
            continue  # the pivot is what links the two: a verb or preposition, never part of a name
        before = [order[w] for w in words[max(0, k - _PIVOT_REACH) : k] if w in order]
        after = [order[w] for w in words[k + 1 : k + 1 + _PIVOT_REACH] if w in order]
        p = order[pivot]
        flipped = [
            (b, a)
            for a in before
            for b in after
            if p - _PIVOT_REACH <= b < p < a <= p + _PIVOT_REACH
            and _one_sentence(source, source_words[b][0], source_words[a][0])
        ]
        if flipped:
            first, last = min(flipped, key=lambda x: x[1] - x[0])
            found.append(OrderFlip(source_words[first][0], source_words[last][0]))
    return found


_FIRST_PERSON = frozenset({"i", "we"})
_SALUTATION = frozenset({"dear", "comrade"})  # "Mr. X, the premier, said" is no address; "Comrade X," is
_ADDRESS_REACH = 8  # tokens between a first-person writer and the "to" of whom they write to


def addressed(tokens: Sequence[Token], mentions: Sequence[tuple[Mention, str]]) -> list[tuple[Mention, str]]:
    """Names a text's writer speaks to: the name it opens with ("Comrade Fidel Castro, ...") and
    whoever "I" or "we" write or send to ("we have decided to send a letter to X"). In a letter
    both must be its recipient; its author there is a swap that no third-person relation shows."""
    found = []
    for mention, identity in mentions:
        opening = mention.first == 1 and tokens[0].norm in _SALUTATION
        if opening and mention.last < len(tokens) and tokens[mention.last].norm == ",":
            found.append((mention, identity))
            continue
        if mention.first < 2 or tokens[mention.first - 1].norm != "to":
            continue
        communicates = False
        for k in range(mention.first - 2, max(-1, mention.first - 2 - _ADDRESS_REACH), -1):
            token = tokens[k]
            if token.kind == "punct" and token.norm in SENTENCE_PUNCT:
                break
            communicates |= token.stem in _COMMUNICATION or token.norm in _COMMUNICATION_VERBS
            if token.norm in _FIRST_PERSON and communicates:
                found.append((mention, identity))
                break
    return found


def letter_relation(source: Sequence[Relation], section_start: int) -> Relation | None:
    """The author → recipient of the letter starting at ``section_start``: the relation its
    metadata gives, which has no span of text (it starts and ends where the letter does)."""
    return next((r for r in source if r.start == r.end == section_start and r.cues == {DIRECTION}), None)
