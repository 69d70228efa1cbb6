"""Certainty: "may" is not "will", and "possible" is not "certain". A claim that states as
certain what its source offers as a possibility (or the reverse) keeps every other word.

A modal word carries a level (possible < probable < certain) and qualifies the content words
after it ("may have emerged", "will resist with determination", "possible that such feelings
exist"), or before it when it closes a clause ("an attack was certain"). An adjective counts
only in those uses, not before a noun: "certain objectives" and "possible variants" are
determiners, not judgements. "would", "can" and "must" say other things (condition, ability,
duty) and carry no level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .polarity import CLAUSE_BREAKS, Flip, is_cue, join_tokens
from .tokens import SENTENCE_PUNCT, Token

_LEVELS = {"possible": 1, "probable": 2, "certain": 3}
_WORDS = """possible: may might could possibly perhaps maybe possible conceivably;
probable: probably likely probable;
certain: will certainly definitely surely certain sure inevitably inevitable undoubtedly"""
LEVEL = {
    word: _LEVELS[name.strip()]
    for name, words in (line.split(":") for line in _WORDS.split(";"))
    for word in words.split()
}
_ADJECTIVES = frozenset({"possible", "likely", "probable", "certain", "sure", "inevitable"})
_SCOPE = 4  # content words a modal qualifies
_SHARED = 2  # of which claim and source must share this many to speak of the same thing


@dataclass(frozen=True, slots=True)
class Modal:
    level: int
    at: int  # token index of the modal word
    scope: dict[str, int]  # content stem → token index


def _ends(token: Token) -> bool:
    return (token.kind == "punct" and token.norm in SENTENCE_PUNCT) or token.norm in CLAUSE_BREAKS


def _scope(tokens: Sequence[Token], i: int, step: int) -> dict[str, int]:
    scope: dict[str, int] = {}
    k = i + step
    while 0 <= k < len(tokens) and len(scope) < _SCOPE and not _ends(tokens[k]):
        if tokens[k].is_content and tokens[k].norm not in LEVEL:
            scope.setdefault(tokens[k].stem, k)
        k += step
    return scope


def modals(tokens: Sequence[Token]) -> list[Modal]:
    """Modal words with a level, unnegated, with what they qualify."""
    found = []
    for i, token in enumerate(tokens):
        level = LEVEL.get(token.norm)
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if level is None or (following is not None and (is_cue(tokens, i + 1) or following.kind == "number")):
            continue  # "will not" is the negation signal's; "May 5" is a date
        if i > 0 and is_cue(tokens, i - 1):
            continue
        if token.norm in _ADJECTIVES:
            if following is not None and following.norm in ("that", "to"):
                found.append(Modal(level, i, _scope(tokens, i, 1)))
            elif following is None or _ends(following):
                found.append(Modal(level, i, _scope(tokens, i, -1)))
            continue  # before a noun: a determiner ("certain objectives")
        found.append(Modal(level, i, _scope(tokens, i, 1)))
    return found


def certainty_flips(claim: Sequence[Token], source: Sequence[Token]) -> list[Flip]:
    """Claim modals whose statement the source makes only at another level of certainty."""
    theirs = modals(source)
    found = []
    for mine in modals(claim):
        same = [o for o in theirs if len(mine.scope.keys() & o.scope.keys()) >= _SHARED]
        if not same or any(o.level == mine.level for o in same):
            continue
        other = same[0]
        shared = mine.scope.keys() & other.scope.keys()
        theirs_last, mine_last = max(other.scope[w] for w in shared), max(mine.scope[w] for w in shared)
        said = join_tokens(claim[min(mine.at, mine_last) : max(mine.at, mine_last) + 1])
        found.append(Flip("certainty", said, min(other.at, theirs_last), max(other.at, theirs_last)))
    return found
