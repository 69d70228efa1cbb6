"""Tokens every verify signal shares: surface, normalized form, stem and character offsets.

Summaries arrive as people write them and as models print them (lowercased, tokenized with
" ." " 's" "n't", acronyms as "u.s."). Normalizing both sides to the same tokens is what lets
the signals compare a claim with its source at all; ``spelling`` holds the tokenized spellings
and their plain forms, and every signal sees them only through these tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

import snowballstemmer

from ..vocabulary import FUNCTION_WORDS
from .spelling import DIGITS, SPELLED_PUNCT, number_norm, plain_text, punct_norm

Kind = Literal["word", "acronym", "number", "punct", "clitic"]

_TOKEN = re.compile(
    r"(?P<acronym>(?:[A-Za-z]\.){2,}(?:[A-Za-z](?![\w.]))?|[A-Za-z]\.[A-Za-z](?![\w.]))"  # U.S. U.S.S.R. U.S.A U.S
    rf"|(?P<number>{DIGITS}(?:(?:st|nd|rd|th|s)(?!\w))?)"  # 1,000  100 , 000  1950s  26th; glued: 1.5m
    r"|(?P<negation>n['’]t\b)"
    r"|(?P<clitic>['’](?:s|re|ve|ll|d|m)\b)"
    r"|(?P<word>[^\W\d_]+(?=n['’]t\b)|[^\W\d_]+)"
    rf"|(?P<spelled>{SPELLED_PUNCT})"  # `` '' -lrb- --, after the clitics so that "’s" stays one
    r"|(?P<punct>[^\w\s])"
)

# Contractions split as "ca n't", "wo n't": the first half is the auxiliary itself.
_CONTRACTED = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}

# Words whose presence in a claim asks nothing of the source: connectives, clitic and abbreviation
# fragments, and reporting verbs.
STOPWORDS = FUNCTION_WORDS | frozenset(
    """etc ought quite ones therefore moreover furthermore meanwhile nevertheless hence instead indeed already still
    s t ll re ve d m e.g i.e eg ie
    say says said saying tell tells told telling write writes wrote written writing according""".split()
)  # the last line: reporting verbs, with which any summary attributes what it restates

_STEMMER = snowballstemmer.stemmer("english")

# Irregular verb forms a suffix stemmer cannot join to their verb ("told" is "tell"). Forms that
# are just as often other words (left, found, ground, saw, bound, wound, rose, lay, lit) are left out.
_IRREGULAR_FORMS = """arise arose arisen; awake awoke awoken; bear bore borne; beat beaten; become became;
begin began begun; bend bent; bind bound; bite bit bitten; bleed bled; blow blew blown; break broke broken;
breed bred; bring brought; build built; burn burnt; buy bought; catch caught; choose chose chosen;
cling clung; come came; creep crept; deal dealt; dig dug; do did done; draw drew drawn; drink drank drunk;
drive drove driven; eat ate eaten; fall fell fallen; feed fed; feel felt; fight fought; flee fled;
fly flew flown; forbid forbade forbidden; forget forgot forgotten; forgive forgave forgiven;
freeze froze frozen; get got gotten; give gave given; go went gone; grow grew grown; hang hung; have had;
hear heard; hide hid hidden; hold held; keep kept; kneel knelt; know knew known; lead led; leap leapt;
lend lent; lose lost; make made; mean meant; meet met; pay paid; ride rode ridden; ring rang rung;
rise risen; run ran; say said; seek sought; sell sold; send sent; shake shook shaken; shine shone;
shoot shot; show shown; shrink shrank shrunk; sing sang sung; sink sank sunk; sit sat; sleep slept;
slide slid; speak spoke spoken; spend spent; spin spun; spring sprang sprung; stand stood; steal stole stolen;
stick stuck; sting stung; strike struck stricken; strive strove striven; swear swore sworn; sweep swept;
swim swam swum; swing swung; take took taken; teach taught; tear tore torn; tell told; think thought;
throw threw thrown; understand understood; undertake undertook undertaken; undergo underwent undergone;
overcome overcame; withdraw withdrew withdrawn; wake woke woken; wear wore worn; weep wept; win won;
write wrote written; be is was were been are am; see seen"""
IRREGULAR = {form: forms.split()[0] for forms in _IRREGULAR_FORMS.split(";") for form in forms.split()[1:]}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # surface form as written
    norm: str  # lowercased, spelled plainly: acronyms without dots, "n't" → "not", "``" → '"', "1 , 000" → "1000"
    stem: str
    start: int  # character offsets into the text that was tokenized
    end: int
    kind: Kind
    capitalized: bool

    @property
    def is_content(self) -> bool:
        """A word that carries a claim's content: not punctuation, not a function word."""
        if self.kind == "number" or self.kind == "acronym":
            return True
        return self.kind == "word" and len(self.norm) > 1 and self.norm not in STOPWORDS

    @property
    def is_wordlike(self) -> bool:
        return self.kind != "punct"


def _acronym_norm(text: str) -> str:
    return text.replace(".", "").lower()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text`` with offsets shifted by ``offset`` (the text's place in a document)."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        surface = match.group()
        start, end = match.start() + offset, match.end() + offset
        if kind == "acronym":
            norm = _acronym_norm(surface)
            tokens.append(Token(surface, norm, norm, start, end, "acronym", True))
            continue
        if kind == "negation":
            tokens.append(Token(surface, "not", "not", start, end, "word", False))
            continue
        if kind == "clitic":
            norm = surface[1:].lower()
            tokens.append(Token(surface, norm, norm, start, end, "clitic", False))
            continue
        if kind == "number":
            norm = number_norm(surface)
            tokens.append(Token(surface, norm, norm, start, end, "number", False))
            continue
        if kind == "word":
            norm = surface.lower()
            following = text[match.end() : match.end() + 4].lstrip().lower().replace("’", "'")[:3]
            if following == "n't" and norm in _CONTRACTED:
                norm = _CONTRACTED[norm]
            capitalized = surface[0].isupper()
            if 2 <= len(surface) <= 6 and surface.isupper() and surface.isalpha() and norm not in STOPWORDS:
                # USSR, NATO, UK: all-caps short words are acronyms (but a shouted "THE" is not).
                tokens.append(Token(surface, norm, norm, start, end, "acronym", True))
                continue
            tokens.append(Token(surface, norm, stem(IRREGULAR.get(norm, norm)), start, end, "word", capitalized))
            continue
        norm = punct_norm(surface)
        tokens.append(Token(surface, norm, norm, start, end, "punct", False))
    return tokens


SENTENCE_PUNCT = frozenset(".;:!?")


def content_stems(tokens: list[Token]) -> list[str]:
    return [t.stem for t in tokens if t.is_content]


def word_bigrams(tokens: list[Token]) -> set[tuple[str, str]]:
    """Adjacent word pairs (function words included, punctuation skipped): phrase-level overlap."""
    words = [t.stem for t in tokens if t.is_wordlike and t.kind != "clitic"]
    return set(pairwise(words))


def embedding_text(text: str) -> str:
    """One spelling for embeddings whatever the casing or tokenization of the input."""
    return plain_text(text).lower()
