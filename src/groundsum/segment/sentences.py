"""Sentence boundaries as character offsets: rule-based, abbreviation-aware, linear time.

Each candidate boundary (terminal punctuation followed by space, or a line break) is decided
from its immediate context only: the token before it and the token after it. That keeps the
splitter linear and predictable, and lets it handle what statistical splitters trained on news
get wrong here: tokenized model output (``States . The``), lowercased text, letters and lists.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

import numpy as np

# Abbreviations that never end a sentence: what follows always belongs to the same sentence.
NEVER_FINAL = frozenset(
    """
    mr mrs ms messrs mme mlle dr prof rev hon gen col lt sgt capt cmdr adm maj brig
    gov sen rep pres supt insp det amb e.g i.e cf vs v viz approx ca fig figs eq eqs
    pp p vol vols sec secs tab ch chap op incl resp esp w.r.t a.k.a aka nr
    """.split()
)
# Abbreviations before a number ("No. 5", "Oct. 26"): no boundary when a digit follows.
BEFORE_NUMBER = frozenset(
    """
    no nos n n° nr fig figs vol vols p pp sec secs ch chap art arts eq eqs tab ref refs op para
    paras app approx ca c v vs ver pt pts col cols l ll fn tel ph ed eds ser suppl eqn eqns
    sect thm lem prop alg appx cor tbl ex exs
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
# Abbreviations that can end a sentence ("... in the U.S. The next day"): a boundary only
# when a word that typically opens a sentence follows.
MAYBE_FINAL = frozenset(
    """
    etc al inc ltd co corp jr sr bros llc plc st ave rd blvd dept univ govt assn est
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat
    a.m p.m u.s u.k u.n u.s.a u.s.s.r e.u ph.d b.c a.d b.a m.a m.d d.c
    """.split()
)
# Capitalized words that open sentences far more often than they continue a name.
STARTERS = frozenset(
    """
    the a an this that these those it its he she we they i you his her our their my your
    there here in on at as for but and or so yet if when while after before since because
    although though however thus therefore then now also what who why how where which many
    most some all each every both such even still later finally meanwhile moreover
    furthermore instead today yesterday tomorrow according during with from to despite under
    over one another other not only nevertheless nonetheless indeed hence once following
    last next first second third further again similarly likewise besides otherwise unlike
    within without until among between through throughout whether let please yes do does did
    is are was were has have had will would can could should may might must shall of by
    mr mrs ms dr
    """.split()
)
# Lowercase words that are an unmistakable sentence start even after an abbreviation.
STRONG_STARTERS = frozenset(
    "i we he she they you it there however meanwhile moreover furthermore therefore nevertheless".split()
)

_OPENERS = "\"'“‘«([{*_`"
_BULLETS = "-*+•‣◦▪●⁃·"
CLOSERS = "\"'”’»)]}*_"  # quotes, brackets and emphasis marks that may follow a sentence's end
_INLINE_BULLETS = "•‣◦▪●⁃"
_WORD_OPENERS = _OPENERS + _BULLETS
# Terminal punctuation (its first mark, the rest, closing quotes and brackets) before space; a
# line break; or an inline bullet after space. The pattern opens with one character class so
# that the regex engine skips straight from one candidate character to the next.
_CANDIDATE = re.compile(
    r"[.!?…\n•‣◦▪●⁃]"
    r"(?:(?<=[.!?…])[.!?…]*(?P<close>(?:[\"'”’»)\]}*_]|\s+'')*)(?=\s|\Z)"
    r"|(?<=\n)"
    r"|(?<=[ \t][•‣◦▪●⁃])(?=[ \t]?[^\W_]))"
)
_NEXT_TOKEN = re.compile(r"\s*(?:``|-lrb-\s|[\"'“‘«(\[{*_`])*\s*(?P<token>[^\s\"'”’»)\]}*_.,;:!?]*)(?P<after>\S?)")
_BULLET_ITEM = re.compile(r"[-*+•‣◦▪●⁃·]\s")
_LIST_MARKER = re.compile(r"\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s")
_ENUMERATION = re.compile(r"(?:\d{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,5})\Z")
_TOKENIZED = re.compile(r"\w \.(?=\s|\Z)")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
_CONTINUATION_END = re.compile(r"(?:[,;:\-–—(/&]|\b(?:and|or|of|the|a|an|to|in|on|for|with|by|at|from|that|as))\Z")
_WHITESPACE = " \t\n\r\f\v"
_CASE_SAMPLE = 50_000
_ASCII_CAPITALS = string.ascii_uppercase.encode()


def is_cased(text: str, start: int = 0, end: int | None = None) -> bool:
    """Does the text use capitals normally? Lowercased text (common in tokenized model output)
    carries no case signal, so lowercase after a period must not block a boundary there."""
    chunk = text[start : len(text) if end is None else end]
    if len(chunk) > _CASE_SAMPLE:
        chunk = chunk[:: len(chunk) // _CASE_SAMPLE + 1]  # an even sample keeps this cheap
    # Usual text settles it from its ASCII capitals alone, counted in C (in UTF-8 an ASCII byte
    # is always an ASCII character): one per 300 characters meets the threshold below
    # (capitals / letters >= 0.003) however few of the characters are letters.
    encoded = chunk.encode("utf-8", "surrogatepass")
    ascii_capitals = len(encoded) - len(encoded.translate(None, _ASCII_CAPITALS))
    if ascii_capitals and ascii_capitals * 300 >= len(chunk):
        return True
    # Count each distinct character once, then ask Python about the few distinct ones.
    counts = np.bincount(np.frombuffer(chunk.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))
    present = [(chr(code), int(counts[code])) for code in np.flatnonzero(counts).tolist()]
    upper = sum(count for char, count in present if char.isupper())
    if upper == 0:
        return False
    letters = sum(count for char, count in present if char.isalpha())
    return letters < 200 or upper / letters >= 0.003


def split_sentences(
    text: str, start: int = 0, end: int | None = None, *, cased: bool | None = None
) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as (start, end) offsets, stripped of surrounding space.

    ``cased`` says whether the text uses capitals normally; when None it is judged from the span.
    """
    end = len(text) if end is None else end
    if cased is None:
        cased = is_cased(text, start, end)
    splitter = _Splitter(text, start, end, cased)
    spans: list[tuple[int, int]] = []
    cursor = start
    # A candidate with only space after it is never a boundary (the span's end closes that
    # sentence anyway), so the scan stops at the last visible character: a paragraph's final
    # full stop, about one candidate in four, then costs nothing.
    stop = end
    while stop > start and text[stop - 1] in _WHITESPACE:
        stop -= 1
    for match in _CANDIDATE.finditer(text, start, stop):
        if match.end() == stop:
            break
        boundary = splitter.boundary(match)
        if boundary is not None:
            spans.append((cursor, boundary))
            cursor = splitter.sentence_start = boundary
    spans.append((cursor, end))
    out = []
    for s, e in spans:
        while s < e and text[s] in _WHITESPACE:
            s += 1
        while e > s and text[e - 1] in _WHITESPACE:
            e -= 1
        if e > s:
            out.append((s, e))
    return out


class _Splitter:
    """Decides each candidate boundary of one span from the tokens around it."""

    def __init__(self, text: str, start: int, end: int, cased: bool) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.cased = cased
        self._line_width: int | None = None
        self._tokenized: bool | None = None
        self.sentence_start = start

    def boundary(self, match: re.Match[str]) -> int | None:
        """The offset where the sentence ends, or None if this candidate is not a boundary."""
        first = self.text[match.start()]
        if first == "\n":
            return match.start() if self._line_break(match.start()) else None
        if first in _INLINE_BULLETS:
            return match.start()  # an inline list item ("• one • two") starts a sentence
        if self._plain_full_stop(match):
            return match.end()
        nxt = _NEXT_TOKEN.match(self.text, match.end(), self.end)
        token = nxt.group("token") if nxt else ""
        following = token[:1] or (nxt.group("after") if nxt else "")
        if not following:
            return None  # nothing after it in this span: the span end closes the sentence anyway
        punct, close = self.text[match.start() : match.start("close")], match.group("close")
        gap = self.text[match.end() : nxt.start("token")] if nxt else ""
        if self._decide(match.start(), punct, close.strip(), token, following, self._paragraph_break(gap)):
            return match.end()
        return None

    def _plain_full_stop(self, match: re.Match[str]) -> bool:
        """The commonest boundary, "...an ordinary word. The next" (or "...word . The" in
        tokenized text), recognized before the general rules: a lone full stop after a word that
        is no abbreviation, initial or list number, or after a space that ends no ellipsis, then
        one space and a capital. ``_decide`` says yes to every such case; the rest go to it."""
        text = self.text
        pos = match.start()
        after = match.end()
        if not (
            after == pos + 1
            and text[pos] == "."
            and after + 1 < self.end
            and text[after] == " "
            and text[after + 1].isupper()
            and pos > self.start
        ):
            return False
        if text[pos - 1] in _WHITESPACE:
            return text[after + 1].isalnum() and (pos - 2 < self.start or text[pos - 2] != ".")
        return _ordinary_word(self._word_before(pos))

    def _paragraph_break(self, gap: str) -> bool:
        """A blank line, an indented new line, or any new line in tokenized model output (one
        summary per line) separates sentences even after an abbreviation ("the U.S.\n Castro")."""
        if "\n" not in gap:
            return False
        return "\n\n" in gap or "\n " in gap or "\n\t" in gap or self._is_tokenized()

    def _is_tokenized(self) -> bool:
        if self._tokenized is None:
            self._tokenized = _TOKENIZED.search(self.text, self.start, self.end) is not None
        return self._tokenized

    def _decide(self, pos: int, punct: str, close: str, token: str, following: str, paragraph_break: bool) -> bool:
        text = self.text
        lower_next = following.islower()
        if "?" in punct or "!" in punct:
            return not (self.cased and lower_next)
        spaced = pos > self.start and text[pos - 1] in _WHITESPACE
        if len(punct) > 1 or punct == "…" or (spaced and pos - 2 >= self.start and text[pos - 2] == "."):
            return self._ellipsis_ends(pos, punct, token, following)
        if following in ".,;:":
            return False
        if spaced:
            # Tokenized text separates only sentence-final periods: "United States . The".
            return following.isalnum() or following in _OPENERS
        word = self._word_before(pos)
        key = word.lower()
        if close:
            if self._enumeration(pos, word):
                return False
            return following.isupper() or following.isdigit() or (not self.cased and following.isalpha())
        if following.isdigit():
            return not (_known_abbreviation(word) or len(word) == 1 or self._enumeration(pos, word))
        if lower_next:
            if key in NEVER_FINAL:
                return False
            if key in MAYBE_FINAL or _abbreviation_like(word):
                return not self.cased and token.lower() in STRONG_STARTERS
            if len(word) == 1:
                return False
            return (not self.cased) or token.lower() in STRONG_STARTERS
        if not word or self._enumeration(pos, word):
            return False
        if key in NEVER_FINAL:
            return False
        if len(word) == 1 and word.isalpha():
            # An initial ("John F. Kennedy", "J. R. R. Tolkien") unless a lowercase word precedes
            # it and a sentence opener follows ("vitamin D. The").
            return token.lower() in STARTERS and self._lowercase_word_before(pos)
        if key in MAYBE_FINAL or _abbreviation_like(word):
            return token.lower() in STARTERS or paragraph_break
        return True

    def _ellipsis_ends(self, pos: int, punct: str, token: str, following: str) -> bool:
        """An ellipsis ends a sentence only before a capital, and not before "I" unless a full
        stop follows it ("that.... She"); "[...]" marks an omission; ". . ." is one token."""
        text = self.text
        if not following.isupper() or (pos > self.start and text[pos - 1] == "["):
            return False
        dots = 3 if punct == "…" else len(punct)
        cursor = pos
        while cursor - 2 >= self.start and text[cursor - 1] == " " and text[cursor - 2] == ".":
            dots += 1
            cursor -= 2
        return dots > 3 or token != "I"

    def _word_before(self, pos: int) -> str:
        """The token that ends at ``pos``, without opening quotes or brackets."""
        near = self.text[max(self.start, pos - 64) : pos]
        # What follows the last space, line break or tab: three partitions cost less than three searches.
        return near.rpartition(" ")[2].rpartition("\n")[2].rpartition("\t")[2].lstrip(_WORD_OPENERS)

    def _lowercase_word_before(self, pos: int) -> bool:
        """Is the word before the one ending at ``pos`` an ordinary lowercase word?"""
        text = self.text
        lo = max(self.start, pos - 64)
        space = max(text.rfind(" ", lo, pos), text.rfind("\n", lo, pos))
        if space < 0:
            return False
        previous = text[max(self.start, space - 32) : space].rsplit(None, 1)
        return bool(previous) and previous[-1][:1].islower() and previous[-1].isalpha() and len(previous[-1]) > 1

    def _enumeration(self, pos: int, word: str) -> bool:
        """A list number opening a line or a sentence ("... done. 2. Shuffle the ...", "• 10.")
        is not a sentence end."""
        if not _ENUMERATION.match(word):
            return False
        before = pos - len(word)
        line_start = self.text.rfind("\n", self.start, before) + 1 or self.start
        ignorable = _WHITESPACE + _OPENERS + _BULLETS
        if not self.text[max(line_start, self.sentence_start) : before].strip(ignorable):
            return True
        preceding = self.text[max(line_start, before - 8) : before].rstrip(ignorable)
        if not preceding or preceding[-1] not in ".:;!?":
            return False
        previous = self._word_before(self.text.rfind(preceding[-1], 0, before))
        return not (_known_abbreviation(previous) or len(previous) == 1)

    def _line_break(self, pos: int) -> bool:
        """A line break ends a sentence before a list item, or after a short unpunctuated line
        (an address, a title, a line of a list) in an otherwise wrapped paragraph."""
        text = self.text
        line_start = text.rfind("\n", self.start, pos) + 1 or self.start
        line = text[line_start:pos].strip()
        if not line:
            return False
        rest = pos + 1
        while rest < self.end and text[rest] in _WHITESPACE:
            rest += 1
        if rest >= self.end:
            return False
        if line[-1] in ".!?…" or (line[-1] in CLOSERS and len(line) > 1 and line[-2] in ".!?"):
            return False  # a punctuation candidate decides this one
        if _BULLET_ITEM.match(text, rest, self.end):
            return True
        if self._is_tokenized():
            # Model output is never hard-wrapped: each line is a summary of its own.
            return not (self.cased and text[rest].islower())
        if _CONTINUATION_END.search(line):
            return False
        if _LIST_MARKER.match(text, rest, self.end):
            return True
        following = text[rest]
        if not (following.isupper() or following.isdigit() or following in _OPENERS):
            return False
        width = self._width()
        return width >= 40 and len(line) < 0.5 * width

    def _width(self) -> int:
        if self._line_width is None:
            self._line_width = max((len(line) for line in self.text[self.start : self.end].split("\n")), default=0)
        return self._line_width


def _known_abbreviation(word: str) -> bool:
    key = word.lower()
    return key in NEVER_FINAL or key in MAYBE_FINAL or key in BEFORE_NUMBER or _abbreviation_like(word)


@lru_cache(maxsize=8192)
def _ordinary_word(word: str) -> bool:
    """Not a list number, an initial or an abbreviation: a full stop after it, before a capital,
    ends a sentence. Cached: the same words end sentence after sentence ("results", "2019)")."""
    return len(word) > 1 and not _ENUMERATION.match(word) and not _known_abbreviation(word)


def _abbreviation_like(word: str) -> bool:
    """Dotted ("U.S", "Ph.D") or short and vowelless ("Mr", "Dr", "Ltd", "Bldg")."""
    core = word.rstrip(".")
    if "." in core:
        return any(ch.isalpha() for ch in core) and "/" not in core and "@" not in core and len(core) <= 12
    return 1 < len(core) <= 4 and core.isalpha() and not _VOWEL.search(core)
