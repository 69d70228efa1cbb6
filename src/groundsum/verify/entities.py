"""Names in a claim, and whether the source mentions them.

A name the source never mentions is the strongest single sign of an invented claim, and
summarizers mangle names ("U.K.R.", "U.S.R.") as readily as they invent them. Names are
capitalized runs and acronyms; in lowercased text, words the source itself writes as names.
They match the source exactly, through an alias (U.S. = United States = America), or through
a close spelling (Krushchev = Khrushchev); acronyms never match fuzzily.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .tokens import SENTENCE_PUNCT, STOPWORDS, Token

_ALIAS_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # canonical: (acronyms, word phrases)
    "United States": (("us", "usa"), ("united states", "united states of america", "america", "american", "americans")),
    "Soviet Union": (
        ("ussr",),
        (
            "soviet union",
            "soviets",
            "soviet",
            "union of soviet socialist republics",
            "union of socialist soviet republics",
        ),
    ),
    "United Kingdom": (("uk", "gb"), ("united kingdom", "britain", "great britain", "british")),
    "United Nations": (("un",), ("united nations",)),
    "European Union": (("eu",), ("european union",)),
    "NATO": (("nato",), ("north atlantic treaty organization",)),
}
_ALIAS_ACRONYMS = {acr: canon for canon, (acrs, _) in _ALIAS_GROUPS.items() for acr in acrs}
_ALIAS_PHRASES = {tuple(p.split()): canon for canon, (_, phrases) in _ALIAS_GROUPS.items() for p in phrases}
_LONGEST_ALIAS = max(len(p) for p in _ALIAS_PHRASES)

TITLES = frozenset(
    """president prime minister mr mrs ms dr comrade sir general gen king queen prince princess senator sen
    governor gov secretary chairman premier pope saint st lord lady professor prof rev judge justice captain
    colonel lieutenant sergeant officer mayor chancellor ambassador minister chief""".split()
)
_CONNECTORS = frozenset({"of", "the", "de", "da", "van", "von", "der", "del", "la", "le", "al", "bin", "&"})
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday i dear yesterday today tomorrow mr mrs""".split()
)

MatchStatus = Literal["exact", "alias", "fuzzy", "missing"]


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    start: int  # character offsets
    end: int
    first: int  # token indices, [first, last)
    last: int
    keys: tuple[str, ...]  # normalized words that identify it (titles and connectors left out)
    alias: str | None  # canonical name when it is a known alias
    acronym: bool

    @property
    def head(self) -> str:
        return self.keys[-1] if self.keys else ""


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ish", "")


def demonym_forms(word: str) -> set[str]:
    """A place name's adjective forms and back: Cuba / Cuban, Italy / Italian, Japan / Japanese."""
    forms = {word + e for e in _DEMONYM_ENDINGS if e} | {word[:-1] + e for e in _DEMONYM_ENDINGS if word[-1:] in "aye"}
    for ending in _DEMONYM_ENDINGS[:-1]:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            root = word[: -len(ending)]
            forms |= {root} | {root + v for v in "aye"}
    forms.discard(word)
    return {f for f in forms if len(f) >= 4}


def spelling_variant(a: str, b: str) -> bool:
    """Khrushchev / Krushchev / Khrushche: one edit in a short name, two in a long one."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0] or not (a.isalpha() and b.isalpha()):
        return False
    limit = 1 if min(len(a), len(b)) < 8 else 2
    return edit_distance(a, b, limit) <= limit


def _sentence_initial(tokens: Sequence[Token], i: int) -> bool:
    j = i - 1  # opening marks before the word, quotes in their normalized form
    while j >= 0 and tokens[j].kind == "punct" and tokens[j].norm in "\"'([*#-_–—":
        j -= 1
    return j < 0 or (tokens[j].kind == "punct" and tokens[j].norm in SENTENCE_PUNCT)


def _namey(token: Token) -> bool:
    if token.kind == "acronym":
        return token.norm not in ("eg", "ie", "am", "pm", "etc")
    return token.kind == "word" and token.capitalized and token.norm not in STOPWORDS and token.norm not in _NOT_NAMES


def alias_of(tokens: Sequence[Token]) -> str | None:
    """The canonical name when ``tokens`` spell a known alias (U.S., America, the Soviets...)."""
    if len(tokens) == 1 and tokens[0].kind == "acronym":
        return _ALIAS_ACRONYMS.get(tokens[0].norm)
    words = tuple(t.norm for t in tokens if t.kind == "word" and t.norm != "the")
    return _ALIAS_PHRASES.get(words)


def aliases_in(tokens: Sequence[Token]) -> set[str]:
    """Canonical names of every alias spelled anywhere in ``tokens``."""
    found = set()
    for i, token in enumerate(tokens):
        if token.kind == "acronym" and token.norm in _ALIAS_ACRONYMS:
            found.add(_ALIAS_ACRONYMS[token.norm])
        elif token.kind == "word" and (n := _alias_phrase_at(tokens, i)):
            found.add(_ALIAS_PHRASES[tuple(t.norm for t in tokens[i : i + n])])
    return found


def _alias_phrase_at(tokens: Sequence[Token], i: int) -> int:
    """Length of the longest alias phrase ("soviet union", "america") starting at ``i``, or 0."""
    for n in range(_LONGEST_ALIAS, 0, -1):
        words = tuple(t.norm for t in tokens[i : i + n])
        if len(words) == n and words in _ALIAS_PHRASES:
            return n
    return 0


def _mention(tokens: Sequence[Token], text: str, offset: int, first: int, last: int) -> Mention:
    run = tokens[first:last]
    keys = tuple(t.norm for t in run if t.norm not in TITLES and t.norm not in _CONNECTORS and len(t.norm) > 1)
    start, end = run[0].start, run[-1].end
    acronym = len(run) == 1 and run[0].kind == "acronym"
    core = list(run)
    while len(core) > 1 and (core[0].norm in TITLES or core[0].norm in _CONNECTORS):
        core.pop(0)  # "Prime Minister of the Union of ..." is the Union's alias
    alias = alias_of(core)
    return Mention(
        text[start - offset : end - offset], start, end, first, last, keys or (run[-1].norm,), alias, acronym
    )


def find_mentions(
    tokens: Sequence[Token],
    text: str,
    offset: int = 0,
    *,
    proper: Callable[[str], bool] = lambda word: False,
    lowercased: bool = False,
) -> list[Mention]:
    """Names in ``tokens``. ``proper`` says which words the source writes as names: that is how
    names are found in lowercased text and how a capitalized first word of a sentence is told apart."""
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if lowercased and token.kind == "word":
            phrase = _alias_phrase_at(tokens, i)
            if phrase:
                mentions.append(_mention(tokens, text, offset, i, i + phrase))
                i += phrase
                continue
        if lowercased:
            starts = token.kind == "acronym" or (
                token.kind == "word" and proper(token.norm) and token.norm not in STOPWORDS
            )
        else:
            starts = _namey(token) and (
                token.kind == "acronym" or not _sentence_initial(tokens, i) or proper(token.norm)
            )
            if (
                not starts
                and _namey(token)
                and i + 1 < len(tokens)
                and _namey(tokens[i + 1])
                and token.norm not in TITLES
            ):
                starts = token.norm not in STOPWORDS  # "Fidel Castro wrote": a name run opening a sentence
        if not starts:
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            nxt = tokens[j]
            if lowercased:
                ok = nxt.kind == "word" and proper(nxt.norm) and nxt.norm not in STOPWORDS
            else:
                ok = _namey(nxt) and nxt.kind != "acronym" and token.kind != "acronym"
            if ok:
                j += 1
            elif (
                not lowercased
                and nxt.norm in _CONNECTORS
                and j + 1 < len(tokens)
                and _namey(tokens[j + 1])
                and tokens[j + 1].kind != "acronym"
            ):
                j += 2
            else:
                break
        if any(t.norm not in TITLES and t.norm not in _CONNECTORS for t in tokens[i:j]):
            mentions.append(_mention(tokens, text, offset, i, j))  # a title alone names no one
        i = j
    return mentions


def is_lowercased(tokens: Sequence[Token]) -> bool:
    """Text whose case carries no information: no capitalized word inside a sentence."""
    return not any(
        t.kind == "word" and t.capitalized and not _sentence_initial(tokens, i) for i, t in enumerate(tokens)
    )


@dataclass(frozen=True)
class SourceNames:
    """What a source calls things: the inventory claims' names are matched against."""

    proper: frozenset[str]  # words the source writes capitalized mid-sentence and rarely otherwise
    words: frozenset[str]  # every normalized word of the source
    stems: frozenset[str]
    acronyms: frozenset[str]
    aliases: frozenset[str]
    by_initial: dict[str, tuple[str, ...]]  # name words by first letter, for spelling variants

    @classmethod
    def build(cls, tokens: Sequence[Token]) -> SourceNames:
        capitalized: Counter[str] = Counter()
        lower: Counter[str] = Counter()
        acronyms = set()
        name_words = set()
        for i, token in enumerate(tokens):
            if token.kind == "acronym":
                acronyms.add(token.norm)
                name_words.add(token.norm)
            elif token.kind == "word":
                if token.capitalized:
                    name_words.add(token.norm)
                    if not _sentence_initial(tokens, i):
                        capitalized[token.norm] += 1
                else:
                    lower[token.norm] += 1
        proper = frozenset(
            w for w, n in capitalized.items() if n > lower[w] and w not in STOPWORDS and w not in _NOT_NAMES
        )
        # initials of multi-word names: "Central Intelligence Agency" also answers to "CIA"
        run: list[str] = []
        for token in [*tokens, Token("", "", "", 0, 0, "punct", False)]:
            if token.kind == "word" and token.capitalized and token.norm not in STOPWORDS:
                run.append(token.norm)
            elif token.norm in ("of", "and") and run:
                continue
            else:
                if len(run) >= 2:
                    acronyms.add("".join(w[0] for w in run))
                run = []
        by_initial: dict[str, list[str]] = {}
        for word in name_words:
            if len(word) >= 5 and word.isalpha():
                by_initial.setdefault(word[0], []).append(word)
        return cls(
            proper=proper,
            words=frozenset(t.norm for t in tokens if t.kind != "punct"),
            stems=frozenset(t.stem for t in tokens if t.kind != "punct"),
            acronyms=frozenset(acronyms),
            aliases=frozenset(aliases_in(tokens)),
            by_initial={k: tuple(sorted(v)) for k, v in by_initial.items()},
        )

    def is_name(self, word: str) -> bool:
        """Does the source write ``word`` (or a close spelling of it) as a name?"""
        if word in self.proper:
            return True
        variant = self.variant_of(word) if word not in self.words else None
        return variant is not None and variant in self.proper

    def mentions(
        self, tokens: Sequence[Token], text: str, offset: int = 0, *, lowercased: bool | None = None
    ) -> list[Mention]:
        """Names in ``tokens`` as this source would recognize them."""
        if lowercased is None:
            lowercased = is_lowercased(tokens)
        return find_mentions(tokens, text, offset, proper=self.is_name, lowercased=lowercased)

    def variant_of(self, word: str) -> str | None:
        """The source's spelling of a name written slightly differently, if there is one."""
        for candidate in self.by_initial.get(word[:1], ()):
            if spelling_variant(word, candidate):
                return candidate
        return None

    def match_word(self, token_norm: str, token_stem: str) -> tuple[MatchStatus, str]:
        if token_norm in self.words or token_stem in self.stems:
            return "exact", token_norm
        related = sorted(demonym_forms(token_norm) & self.proper)
        if related:
            return "exact", related[0]
        variant = self.variant_of(token_norm)
        return ("fuzzy", variant) if variant else ("missing", token_norm)

    def match(self, mention: Mention, tokens: Sequence[Token]) -> tuple[MatchStatus, str, tuple[str, ...]]:
        """(status, identity, key words the source lacks). Identity is what roles compare."""
        if mention.alias and mention.alias in self.aliases:
            return "alias", mention.alias, ()
        if mention.acronym:
            norm = mention.keys[-1]
            return ("exact", norm, ()) if norm in self.acronyms else ("missing", norm, ())
        run = tokens[mention.first : mention.last]
        stems = {t.norm: t.stem for t in run}
        results = {key: self.match_word(key, stems.get(key, key)) for key in mention.keys}
        status, identity = results[mention.head]
        lacking = tuple(k for k, (s, _) in results.items() if s == "missing" and k != mention.head and len(k) > 2)
        return status, identity, lacking


def identities(mentions: Iterable[tuple[Mention, str]]) -> set[str]:
    return {identity for _, identity in mentions}


def same_entity(a: str, b: str) -> bool:
    return a == b or spelling_variant(a, b) or b in demonym_forms(a)
