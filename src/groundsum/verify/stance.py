"""Stance: for or against the same thing. "Castro agreed to allow inspections" against "we are
opposed, by principle, to inspections" shares the words that matter and differs only in which
side the verb takes.

Verbs of will carry a sign (agree, allow, offer: for; oppose, refuse, forbid: against). Verbs
in a chain multiply ("refused to allow" is against, like "opposed"), and a negation cue just
before or inside the chain turns it round ("did not oppose" is for). A chain's object is the
content words that follow it in its sentence; a claim's stance clashes with the source's when
the source takes only the other side on an object they share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .polarity import CLAUSE_BREAKS, Flip, is_cue, join_tokens
from .tokens import SENTENCE_PUNCT, Token, stem

_FOR = "agree accept allow permit support approve welcome consent offer endorse"
_AGAINST = "oppose refuse reject forbid prohibit prevent ban veto resist"
STANCE: dict[str, int] = {stem(w): 1 for w in _FOR.split()} | {stem(w): -1 for w in _AGAINST.split()}
_GAP = 2  # function words ("to", "not") allowed between two verbs of one chain
_CUE_REACH = 3  # tokens before a chain where a negation cue still governs it
_OBJECT_WORDS = 5  # content words after a chain that make its object
_LEAD = 2  # words before a source chain quoted with it ("we are opposed")
_QUOTED = 2  # shared object words quoted after it


@dataclass(frozen=True, slots=True)
class Stance:
    sign: int  # +1 for, -1 against
    start: int  # first token of the chain (its negation cue included)
    end: int  # last verb of the chain
    objects: dict[str, int]  # content stem → its token index


def _breaks(token: Token) -> bool:
    """Where a chain's object ends: the sentence, or a new clause (commas do not end it)."""
    if token.kind == "punct" and token.norm in SENTENCE_PUNCT:
        return True
    return token.norm in CLAUSE_BREAKS and token.norm != ","


def stances(tokens: Sequence[Token]) -> list[Stance]:
    """The chains of verbs of will in ``tokens``, each with its sign and object."""
    found = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind != "word" or tokens[i].stem not in STANCE:
            i += 1
            continue
        sign, start, end = STANCE[tokens[i].stem], i, i
        for j in range(i - 1, max(-1, i - 1 - _CUE_REACH), -1):
            if _breaks(tokens[j]) or tokens[j].norm == ",":
                break
            if is_cue(tokens, j):
                sign, start = -sign, j
                break
        k = i + 1
        while k < len(tokens) and k - end <= _GAP + 1:
            token = tokens[k]
            if token.kind == "word" and token.stem in STANCE:
                sign *= STANCE[token.stem]
                end = k
            elif is_cue(tokens, k):
                sign = -sign
            elif token.is_content or _breaks(token):
                break
            k += 1
        objects: dict[str, int] = {}
        k = end + 1
        while k < len(tokens) and len(objects) < _OBJECT_WORDS and not _breaks(tokens[k]):
            if tokens[k].is_content and tokens[k].stem not in STANCE:
                objects.setdefault(tokens[k].stem, k)
            k += 1
        found.append(Stance(sign, start, end, objects))
        i = end + 1
    return found


def _lead(tokens: Sequence[Token], start: int) -> int:
    """Start of a source quote: up to two words before the chain, within its clause."""
    for _ in range(_LEAD):
        if start == 0 or tokens[start - 1].norm in CLAUSE_BREAKS or not tokens[start - 1].is_wordlike:
            break
        start -= 1
    return start


def stance_flips(claim: Sequence[Token], source: Sequence[Token]) -> list[Flip]:
    """Claim stances that the source takes only the other way on a shared object.

    ``claim_word`` is the claim's chain up to the shared object ("agreed to allow inspections").
    """
    theirs = stances(source)
    found = []
    for mine in stances(claim):
        sharing = [(other, mine.objects.keys() & other.objects.keys()) for other in theirs]
        sharing = [(other, shared) for other, shared in sharing if shared]
        if not sharing or any(other.sign == mine.sign for other, _ in sharing):
            continue
        other, shared = max(sharing, key=lambda pair: len(pair[1]))
        said = join_tokens(claim[mine.start : sorted(mine.objects[w] for w in shared)[:_QUOTED][-1] + 1])
        end = sorted(other.objects[w] for w in shared)[:_QUOTED][-1]
        found.append(Flip("stance", said, _lead(source, other.start), end))
    return found
