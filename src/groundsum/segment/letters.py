"""The parts of a letter, recognized line by line: title, salutation, closing, signature.

Collections of correspondence are summarized letter by letter, so each letter must become its
own section with its author, recipient and date, and the formulaic lines around the body
("Dear Comrade Khrushchev:", "Fraternally,", the signature) must stay out of its summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import date_line, parse_date

_PARTICLES = frozenset("de da di du la le van von der den del della bin ibn al el y dos das".split())
_LETTER_NOUN = (
    r"(?:(?:an?|the)\s+)?(?:(?:open|personal|private|secret|confidential|official|urgent|last|first|"
    r"final|farewell|second|third|reply|follow-up)\s+)?"
    r"(?:letters?|message|telegram|cable|note|memorandum|memo|e-?mail|dispatch|communiqu[ée]|epistle|"
    r"postcard)"
)
_TITLE = re.compile(
    rf"^(?:(?P<owner>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}})['’]s?\s+)?{_LETTER_NOUN}\s+"
    r"(?P<rest>(?:to|from)\s+.*)$",
    re.IGNORECASE,
)
_FROM_TO = re.compile(r"^from\s+\S.*\sto\s+[A-Z]", re.IGNORECASE)
# Every title form above names a party after "to" or "from": a line without one is no title.
_TO_OR_FROM = re.compile(r"\s(?:to|from)\s", re.IGNORECASE)
_NAME_TO_NAME = re.compile(r"^(?P<author>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s+to\s+(?P<rest>.*)$")
_SALUTATION_OPENER = re.compile(r"^(?:my\s+)?(?:dear(?:est)?|beloved)\b", re.IGNORECASE)
_SALUTATION_OTHER = re.compile(
    r"^(?:to\s+whom\s+it\s+may\s+concern|(?:ladies\s+and\s+)?gentlemen|sirs?|madam|hello|hi|greetings|"
    r"esteemed|respected|honou?red|your\s+(?:excellency|majesty|holiness|highness)|comrades?|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?)\b.*[:,]$",
    re.IGNORECASE,
)
_CLOSINGS = frozenset(
    """
    fraternally|faternally|sincerely|sincerely yours|yours sincerely|yours truly|very truly yours|
    truly yours|yours faithfully|faithfully yours|faithfully|respectfully|respectfully yours|
    yours respectfully|very respectfully|cordially|cordially yours|yours cordially|best|best regards|
    best wishes|kind regards|kindest regards|warm regards|warmest regards|regards|with regards|
    with best wishes|with best regards|with kind regards|with respect|with deep respect|
    with fraternal greetings|fraternal greetings|with comradely greetings|comradely greetings|
    affectionately|affectionately yours|yours affectionately|love|with love|all my love|yours|
    ever yours|yours ever|as ever|cheers|thanks|thank you|many thanks|with thanks|all the best|
    take care|in friendship|in solidarity|in haste|your friend|your obedient servant|
    yours fraternally|your faithful servant|your humble servant|yours in struggle|
    with revolutionary greetings|revolutionary greetings|salud|adieu|farewell
    """.replace("\n", "").split("|")
)
_CLOSING_WORD = re.compile(r"^[A-Z][a-z]+ly,$")  # "Fraternally," and its misspellings
_HONORIFICS = re.compile(r"^(?:(?:comrade|mr\.?|mrs\.?|ms\.?|miss|dr\.?|prof\.?|sir|madam|dear)\s+)+", re.IGNORECASE)
_LEADING_MARKUP = re.compile(r"[#>\s]+")
_EMPHASIS = re.compile(r"[*_`]+")
_URL = re.compile(r"^(?:[-*+•]\s+)?(?:<?(?:https?://|ftp://|www\.)\S+?>?|\[[^\]]*\]\(\S+\))[.,;]?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LetterTitle:
    author: str | None
    recipient: str | None
    date: str | None


def plain(text: str) -> str:
    """A line as people read it: Markdown heading marks and emphasis removed, spaces collapsed.

    Called on every line of a document, so each step skips work it does not need.
    """
    if lead := _LEADING_MARKUP.match(text):
        text = text[lead.end() :]
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # the only printable whitespace is " ", and no run or end has it: nothing to collapse
    return " ".join(text.split())


def letter_title(line: str) -> LetterTitle | None:
    """'Letter to Nikita Khrushchev from Fidel Castro regarding ...' → who wrote to whom, when."""
    if "\n" in line or len(line) > 240 or line.endswith(("?", "!")) or not _TO_OR_FROM.search(line):
        return None
    match = _TITLE.match(line)
    if match:
        author, tokens, bare = match.group("owner"), match.group("rest").split(), False
    elif _FROM_TO.match(line):
        author, tokens, bare = None, line.split(), True
    elif (match := _NAME_TO_NAME.match(line)) and parse_date(line):
        author, tokens, bare = match.group("author"), ["to", *match.group("rest").split()], True
    else:
        return None
    date = parse_date(line)
    parties, rest = _parties(tokens)
    if bare:
        named = len(parties) + (author is not None)
        if named < 2 or (rest and not date_line(" ".join(rest).strip(",:;–—- "))):
            return None  # "From A to B" is a letter title only with nothing but a date after it
    recipient, author = parties.get("to"), parties.get("from") or author
    if not (recipient or author):
        return None
    return LetterTitle(author, recipient, date)


def _parties(tokens: list[str]) -> tuple[dict[str, str], list[str]]:
    """({'to': ..., 'from': ...}, the tokens left) from tokens like 'to X Y from Z regarding ...'."""
    found: dict[str, str] = {}
    while len(tokens) > 1 and (word := tokens[0].lower()) in ("to", "from") and word not in found:
        name, used = _name_tokens(tokens[1:])
        if not name:
            break
        found[word] = " ".join(name)
        tokens = tokens[1 + used :]
        if tokens and tokens[0] in (",", "and", "&"):
            tokens = tokens[1:]
    return found, tokens


def leading_name(text: str) -> str | None:
    """The run of capitalized words (initials and particles allowed) that ``text`` starts with."""
    name, _ = _name_tokens(text.split())
    return " ".join(name) or None


def _name_tokens(tokens: list[str]) -> tuple[list[str], int]:
    """The name at the start of ``tokens`` and how many tokens it used (with its punctuation)."""
    name: list[str] = []
    used = 0
    for i, token in enumerate(tokens):
        core = token.rstrip(",;:)")
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if core.lower() in _PARTICLES and name and following[:1].isupper():
            name.append(core)
            used += 1
            continue
        if not core[:1].isupper() or any(ch.isdigit() for ch in core):
            break
        used += 1
        if core.endswith(".") and not _is_initial(core):
            name.append(core.rstrip("."))
            break
        name.append(core)
        if core != token:
            break
    while name and name[-1].lower() in _PARTICLES:
        name.pop()
        used -= 1
    return name, used


def _is_initial(token: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr)\.", token))


def is_salutation(line: str) -> bool:
    """'Dear Comrade Khrushchev:', 'Sir,', 'To whom it may concern:'."""
    if "\n" in line or line.endswith((".", "?")) or len(line.split(maxsplit=10)) > 10:
        return False
    if _SALUTATION_OPENER.match(line):
        return True
    return bool(_SALUTATION_OTHER.match(line))


def recipient_from_salutation(line: str) -> str | None:
    """'Dear Comrade Fidel Castro:' → 'Fidel Castro'; 'Dear Mr. President:' → 'President'."""
    body = _SALUTATION_OPENER.sub("", line).strip().rstrip(":,!").strip()
    body = _HONORIFICS.sub("", body)
    return leading_name(body)


def is_closing(line: str, *, generic: bool = False) -> bool:
    """'Fraternally,', 'Sincerely yours,', 'Faternally,' (sic). With ``generic``, any short line
    ending in a comma counts: the caller knows a signature follows it."""
    if "\n" in line:
        return False
    key = line.strip().rstrip(",.!").strip().lower()
    if key in _CLOSINGS or _CLOSING_WORD.match(line.strip()):
        return True
    return generic and line.rstrip().endswith(",") and 0 < len(line.split()) <= 5


def looks_like_name(line: str) -> bool:
    """'Fidel Castro', 'N. Khrushchev', 'J. F. Kennedy' — a signature or an addressee line."""
    tokens = line.split(maxsplit=6)  # seven pieces mean more than six words: no need to split them all
    if not 1 <= len(tokens) <= 6 or "\n" in line:
        return False
    capitalized = 0
    for i, token in enumerate(tokens):
        if token.lower() in _PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if not token[:1].isupper() or any(ch.isdigit() for ch in token):
            return False
        if token.endswith(".") and not _is_initial(token):
            return False
        capitalized += 1
    return capitalized > 0


def is_url_line(line: str) -> bool:
    return bool(_URL.match(line.strip()))
