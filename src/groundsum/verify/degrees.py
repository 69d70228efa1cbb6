"""Degrees: the same word, turned up or down. "the first and most probable one is an air attack
... the second, though less probable, ... is a full invasion": a claim that calls the invasion
the most probable variant repeats the source's words and reverses its comparison. "almost
imminent" and "imminent" differ the same way: a hedge dropped or added.

A word's degree is the comparative or hedge just before it ("most probable", "less firmness",
"almost certain"; "more than 300" grades the number). A claim's graded word is compared with
the occurrence of that word in the source whose surroundings best match the claim's, so that a
passage that grades the word twice ("most probable ... less probable") is read per occurrence.
"""

from __future__ import annotations

from collections.abc import Sequence

from .numbers import is_number_word
from .polarity import Flip, join_tokens
from .tokens import SENTENCE_PUNCT, Token

_UP, _DOWN, _HEDGE = "up", "down", "hedge"
DEGREES = {"more": _UP, "most": _UP, "less": _DOWN, "least": _DOWN, "fewer": _DOWN, "fewest": _DOWN} | {
    w: _HEDGE for w in ("almost", "nearly", "virtually", "practically")
}
_OPPOSITE = {_UP: _DOWN, _DOWN: _UP}
_REACH = 10  # tokens either side, within the sentence, whose shared words tell occurrences apart


def _graded(tokens: Sequence[Token]) -> dict[int, tuple[str, int]]:
    """Index of each graded word → (its degree, index of the degree word)."""
    found = {}
    for i, token in enumerate(tokens[:-1]):
        if token.norm not in DEGREES:
            continue
        j = i + 2 if tokens[i + 1].norm == "than" and i + 2 < len(tokens) else i + 1
        if tokens[j].is_content and tokens[j].norm not in DEGREES:
            found[j] = (DEGREES[token.norm], i)
    return found


def _near(tokens: Sequence[Token], i: int, others: Sequence[int]) -> dict[str, int]:
    """Content stems within reach of ``i`` in its sentence → their distance from it; a word
    nearer another occurrence of the same word (``others``) describes that one instead."""
    near: dict[str, int] = {}
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(tokens) and abs(k - i) <= _REACH and not (
            tokens[k].kind == "punct" and tokens[k].norm in SENTENCE_PUNCT
        ):
            if tokens[k].is_content and tokens[k].norm not in DEGREES and all(abs(k - o) > abs(k - i) for o in others):
                near[tokens[k].stem] = min(near.get(tokens[k].stem, _REACH), abs(k - i))
            k += step
    near.pop(tokens[i].stem, None)
    return near


def _clash(mine: str | None, theirs: str | None, word: Token) -> bool:
    """More against less; a hedge against none (a hedged number is only rounded, so not those)."""
    if {mine, theirs} == {_UP, _DOWN}:
        return True
    numeric = word.kind != "word" or is_number_word(word.norm)
    return not numeric and _HEDGE in (mine, theirs) and None in (mine, theirs)


def _positions(tokens: Sequence[Token]) -> dict[str, list[int]]:
    where: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        if token.is_content:
            where.setdefault(token.stem, []).append(i)
    return where


def _restated(
    claim: Sequence[Token], i: int, mine: list[int], source: Sequence[Token], theirs: list[int]
) -> int | None:
    """The source occurrence whose surroundings share most with the claim's, if one does."""
    around = _near(claim, i, [k for k in mine if k != i])
    scores = {}
    for j in theirs:
        shared = around.keys() & _near(source, j, [k for k in theirs if k != j]).keys()
        scores[j] = sum(1 / (1 + around[w]) for w in shared)
    best = sorted(scores, key=lambda j: -scores[j])
    if not best or scores[best[0]] == 0 or (len(best) > 1 and scores[best[1]] == scores[best[0]]):
        return None
    return best[0]


def _described(source: Sequence[Token], j: int, claim: Sequence[Token]) -> int:
    """End of the source quote: the last word within reach after ``j`` that the claim shares,
    so that the quote shows what the source grades ("less probable, ... is a full invasion")."""
    words = {t.stem for t in claim if t.is_content} - {source[j].stem}
    end = j
    for k in range(j + 1, min(len(source), j + 1 + _REACH)):
        if source[k].kind == "punct" and source[k].norm in SENTENCE_PUNCT:
            break
        if source[k].is_content and source[k].stem in words:
            end = k
    return end


def degree_flips(claim: Sequence[Token], source: Sequence[Token]) -> list[Flip]:
    """Claim words graded otherwise than the source occurrence they restate. Where no single
    occurrence is restated ("firmness and more firmness"), a comparison the source only makes
    the other way round still counts."""
    graded_claim, graded_source = _graded(claim), _graded(source)
    if not graded_claim and not graded_source:
        return []
    claim_words, source_words = _positions(claim), _positions(source)
    found = []
    for i, token in enumerate(claim):
        theirs = source_words.get(token.stem, [])
        if not token.is_content or not (i in graded_claim or any(j in graded_source for j in theirs)):
            continue
        mine = graded_claim[i][0] if i in graded_claim else None
        j = _restated(claim, i, claim_words[token.stem], source, theirs)
        if j is None:
            directions = {graded_source[k][0]: k for k in theirs if k in graded_source}
            if mine not in _OPPOSITE or mine in directions or _OPPOSITE[mine] not in directions:
                continue
            j = directions[_OPPOSITE[mine]]
        degree = graded_source[j][0] if j in graded_source else None
        if _clash(mine, degree, token):
            start = graded_claim[i][1] if i in graded_claim else i
            source_start = graded_source[j][1] if j in graded_source else j
            kind = "certainty" if _HEDGE in (mine, degree) else "comparison"  # a hedge is about how sure
            found.append(Flip(kind, join_tokens(claim[start : i + 1]), source_start, _described(source, j, claim)))
    return found
