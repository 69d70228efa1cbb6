"""Sections from headings and letters, and the role of every paragraph in them.

Sections are flat and non-overlapping, in document order; ``Section.level`` keeps the nesting
(the reader's heading level; an implicit heading, level 0, sits one below the heading that
encloses it). A letter is a section of its own, found from a title line ("Letter to X from
Y ...") or, without one, from its date, salutation and closing. Only paragraphs whose role is
"body" are prose worth summarizing; the rest are headings, letter formalities or references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..model import Document, Paragraph, ParagraphRole, Section, SectionKind
from .dates import date_line
from .letters import (
    LetterTitle,
    is_closing,
    is_salutation,
    is_url_line,
    leading_name,
    letter_title,
    looks_like_name,
    recipient_from_salutation,
)
from .paragraphs import RawParagraph, raw_paragraphs

_REFERENCES_TITLE = re.compile(
    r"^(?:[\dIVX]+\.?\s+)?(?:sources?|references?|bibliography|works\s+cited|literature(?:\s+cited)?|"
    r"citations|further\s+reading|external\s+links|endnotes|footnotes|notes\s+and\s+references|"
    r"references\s+and\s+notes)\s*:?$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+\S")
_SMALL_WORDS = frozenset(
    "a an the of and or in on at to for by with from vs via as into over under per nor but".split()
)
_TERMINAL = ".!?…"
_HEAD_REGION = 6  # pieces a letter's date, address and salutation may take before its body
_SHORT_WORDS = 16  # at most this many words on a line of a letter's head or signature
# reader kinds that keep their kind as role and get no sentences
_APART: tuple[Literal["code", "table", "note", "caption"], ...] = ("code", "table", "note", "caption")


@dataclass(frozen=True, slots=True)
class _Head:
    """A piece that starts a section, and what kind of section it starts."""

    kind: Literal["section", "letter", "references"]
    level: int  # the reader's heading level; 0 for an implicit heading
    title: str
    letter: LetterTitle | None = None


@dataclass(slots=True)
class _Group:
    """The pieces of one section while its boundaries and roles are being worked out."""

    head: _Head | None
    pieces: list[int]  # indices into the piece list; the head piece first when there is one
    level: int = 1
    kind: SectionKind | None = None  # forced kind (references split off a section)


def find_sections(doc: Document) -> tuple[list[Section], list[Paragraph]]:
    """Sections, and every paragraph with its section and role, from the reader's blocks."""
    pieces = raw_paragraphs(doc)
    explicit = any(block.kind == "heading" for block in doc.blocks)
    heads = _find_heads(pieces, explicit)
    groups = _split_letters_and_links(pieces, _group_by_heads(pieces, heads))
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    for group in groups:
        roles, section = _describe(doc, pieces, group, single=len(groups) == 1)
        index = len(sections)
        sections.append(section)
        for piece_index, role in zip(group.pieces, roles, strict=True):
            piece = pieces[piece_index]
            paragraphs.append(Paragraph(piece.start, piece.end, index, piece.kind, role))
    return sections, paragraphs


# --- headings -------------------------------------------------------------------------------


def _find_heads(pieces: list[RawParagraph], explicit: bool) -> list[_Head | None]:
    heads: list[_Head | None] = []
    for i, piece in enumerate(pieces):
        text = piece.plain
        if piece.kind == "heading" and not (piece.level == 0 and _formality(pieces, i)):
            heads.append(_head_for(text, piece.level))
        elif piece.lines == 1 and piece.kind == "paragraph" and (_is_references_title(text) or _is_letter_title(text)):
            heads.append(_head_for(text, 0))
        else:
            heads.append(None)
    if not explicit:
        _add_text_headings(pieces, heads)
    return heads


def _formality(pieces: list[RawParagraph], i: int) -> bool:
    """A line set in bold that is a letter's date, salutation, closing or signature, not a heading."""
    text = pieces[i].plain
    if _letter_part(text) or is_closing(text):
        return True
    if not looks_like_name(text):
        return False
    signed_off = i > 0 and is_closing(pieces[i - 1].plain)
    last = i + 1 == len(pieces) or pieces[i + 1].kind == "heading" or _is_letter_title(pieces[i + 1].plain)
    return signed_off or (last and i > 0 and pieces[i - 1].kind != "heading")


def _head_for(text: str, level: int) -> _Head:
    title = text.replace("\n", " ").strip()
    letter = letter_title(title) if not title.endswith(".") else None
    if letter:
        return _Head("letter", level, title, letter)
    if _is_references_title(title):
        return _Head("references", level, title.rstrip(":").strip())
    return _Head("section", level, title)


def _is_letter_title(text: str) -> bool:
    return not text.endswith(".") and letter_title(text) is not None


def _is_references_title(text: str) -> bool:
    return not text.endswith(".") and bool(_REFERENCES_TITLE.match(text))  # a cheap no for sentences


def _add_text_headings(pieces: list[RawParagraph], heads: list[_Head | None]) -> None:
    """Headings in plain text: short title-case lines without final punctuation that introduce
    body text, alone or as a run (a title over a subtitle), or that open the document."""
    candidates = [heads[i] is None and _heading_like(pieces, heads, i) for i in range(len(pieces))]
    i = 0
    while i < len(pieces):
        if not candidates[i]:
            i += 1
            continue
        end = i
        while end < len(pieces) and candidates[end]:
            end += 1
        following = pieces[end] if end < len(pieces) else None
        opens = i == 0 or heads[i - 1] is not None
        if following is not None and heads[end] is None and not _letter_part(following.plain):
            accept = not _is_link_list(following)  # followed by body text
        else:
            accept = opens and following is not None
        if accept:
            for j in range(i, end):
                heads[j] = _Head("section", 0, pieces[j].plain)
        i = end


def _heading_like(pieces: list[RawParagraph], heads: list[_Head | None], i: int) -> bool:
    piece = pieces[i]
    text = piece.plain
    if piece.kind != "paragraph" or piece.lines > 1 or len(text) > 90:
        return False
    words = text.split()
    if not 1 <= len(words) <= 12:
        return False
    if text[-1] in _TERMINAL + ",;:" or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _letter_part(text) or is_url_line(text):
        return False
    if i > 0 and is_closing(pieces[i - 1].plain):
        return False  # a signature
    for j in range(i + 1, min(i + 4, len(pieces))):
        if heads[j] is not None:
            break
        if is_salutation(pieces[j].plain):
            return False  # an address line above a salutation
    if text.isupper() or _NUMBERED.match(text):
        return True
    significant = [w for w in words if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    return bool(significant) and sum(w[0].isupper() for w in significant) / len(significant) >= 0.6


def _letter_part(text: str) -> bool:
    return bool(date_line(text)) or is_salutation(text)


# --- grouping -------------------------------------------------------------------------------


def _group_by_heads(pieces: list[RawParagraph], heads: list[_Head | None]) -> list[_Group]:
    groups: list[_Group] = []
    enclosing = 0  # level of the nearest explicit heading that is not a letter or references
    for i, head in enumerate(heads):
        if head is None:
            if not groups:
                groups.append(_Group(None, [], 1))
            groups[-1].pieces.append(i)
            continue
        if head.level:
            level = head.level
            if head.kind == "section":
                enclosing = head.level
        else:
            level = enclosing + 1
        groups.append(_Group(head, [i], level))
    return groups


def _split_letters_and_links(pieces: list[RawParagraph], groups: list[_Group]) -> list[_Group]:
    """Cut a section where an untitled letter starts, and where a trailing list of links starts."""
    out: list[_Group] = []
    for group in groups:
        current = group
        content = _content(group)
        for anchor in _letter_anchors(pieces, content):
            own = _content(current)
            if anchor in own and any(_prose(pieces[j]) for j in own[: own.index(anchor)]):
                cut = current.pieces.index(anchor)
                nested = current.head is not None and current.head.kind == "section"
                child_level = current.level + 1 if nested else current.level
                out.append(_Group(current.head, current.pieces[:cut], current.level, current.kind))
                current = _Group(None, current.pieces[cut:], child_level)
        out.extend(_split_links(pieces, current))
    return [group for group in out if group.pieces]


def _letter_anchors(pieces: list[RawParagraph], content: list[int]) -> list[int]:
    """Where each letter's head starts: its date line, or else its salutation (after any short
    address lines), for every salutation among ``content``."""
    anchors = []
    for position, index in enumerate(content):
        if not is_salutation(pieces[index].plain):
            continue
        anchor = index
        for back in range(position - 1, max(position - 5, -1), -1):
            candidate = content[back]
            text = pieces[candidate].plain
            if not _headish(pieces[candidate]) or is_closing(text):
                break
            if back > 0 and is_closing(pieces[content[back - 1]].plain):
                break  # a signature under the previous letter's closing
            anchor = candidate
            if date_line(text):
                break
        anchors.append(anchor)
    return anchors


def _split_links(pieces: list[RawParagraph], group: _Group) -> list[_Group]:
    """A list of bare links ending a section is its own references section."""
    content = _content(group)
    links = 0
    while links < len(content) and _is_link_list(pieces[content[-1 - links]]):
        links += 1
    if not links or group.kind == "references" or (group.head and group.head.kind == "references"):
        return [group]
    if links == len(content):
        return [_Group(group.head, group.pieces, group.level, "references")]
    cut = len(group.pieces) - links
    return [
        _Group(group.head, group.pieces[:cut], group.level, group.kind),
        _Group(None, group.pieces[cut:], group.level, "references"),
    ]


def _content(group: _Group) -> list[int]:
    return group.pieces[1:] if group.head else group.pieces


def _headish(piece: RawParagraph) -> bool:
    """Short enough to be a line of a letter's head or signature rather than body text."""
    if piece.kind not in ("paragraph", "heading") or piece.lines != 1:
        return False
    return len(piece.plain.split(maxsplit=_SHORT_WORDS)) <= _SHORT_WORDS  # splits no further than it must


def _prose(piece: RawParagraph) -> bool:
    """Sentences rather than the name, title and address lines around a letter."""
    if not _headish(piece):
        return True
    words = piece.plain.split()
    lowercase = sum(word[:1].islower() for word in words)
    return piece.plain[-1] in _TERMINAL and lowercase >= 3 and lowercase >= 0.4 * len(words)


def _is_link_list(piece: RawParagraph) -> bool:
    if piece.lines == 1:  # most pieces: one line, never blank (a piece has words)
        return is_url_line(piece.plain)
    return all(is_url_line(line) for line in piece.plain.split("\n") if line.strip())


# --- roles and section details ----------------------------------------------------------------


def _describe(
    doc: Document, pieces: list[RawParagraph], group: _Group, *, single: bool
) -> tuple[list[ParagraphRole], Section]:
    """The role of each piece of a group, and the Section it makes."""
    head = group.head
    content = _content(group)
    texts = [pieces[i].plain for i in content]
    roles: list[ParagraphRole] = ["body"] * len(content)
    kind: SectionKind | None = group.kind or (head.kind if head and head.kind == "references" else None)
    details: dict[str, str | None] = {"date": None, "author": None, "recipient": None}
    if kind == "references":
        roles = ["reference"] * len(content)
    else:
        is_letter = _letter_roles(pieces, content, roles, head)
        if is_letter:
            kind = "letter"
            details = _letter_details(texts, roles, head.letter if head else None)
        elif roles and roles[0] == "date":
            details["date"] = date_line(texts[0])
        for position, index in enumerate(content):
            piece = pieces[index]
            if roles[position] != "body":
                continue
            if piece.kind in _APART:
                roles[position] = piece.kind
            elif _is_link_list(piece):
                roles[position] = "reference"
        if kind is None:
            kind = "section" if "body" in roles else "front"
    if head:
        roles.insert(0, "title" if head.kind == "letter" else "heading")
    first, last = pieces[group.pieces[0]], pieces[group.pieces[-1]]
    title = head.title if head else (doc.title if single else None)
    section = Section(first.start, last.end, title, kind, group.level, **details)
    return roles, section


def _letter_roles(
    pieces: list[RawParagraph], content: list[int], roles: list[ParagraphRole], head: _Head | None
) -> bool:
    """Mark a letter's date, address, salutation, closing and signature; is it a letter?"""
    texts = [pieces[i].plain for i in content]
    salutation = None
    for position in range(min(_HEAD_REGION, len(content))):
        if is_salutation(texts[position]):
            salutation = position
            break
        if not _headish(pieces[content[position]]):
            break
    if salutation is not None:
        for position in range(salutation):
            roles[position] = "date" if date_line(texts[position]) else "address"
        roles[salutation] = "salutation"
        body_start = salutation + 1
    else:
        body_start = 0
        while body_start < len(texts) and date_line(texts[body_start]):
            roles[body_start] = "date"
            body_start += 1
    is_letter = salutation is not None or bool(head and head.kind == "letter")
    closing = _closing(pieces, content, body_start)
    if closing is not None:
        roles[closing] = "closing"
        position = closing + 1
        while position < len(content) and position <= closing + 3 and _signature_line(pieces[content[position]]):
            roles[position] = "signature"
            position += 1
        return is_letter or body_start > 0
    last = len(content) - 1
    if (is_letter or body_start > 0) and last >= body_start and looks_like_name(texts[last]):
        roles[last] = "signature"
        return True
    return is_letter


def _closing(pieces: list[RawParagraph], content: list[int], body_start: int) -> int | None:
    """The position of the closing line ("Fraternally,") near the end, if there is one."""
    for position in range(len(content) - 1, max(body_start, len(content) - 6) - 1, -1):
        text = pieces[content[position]].plain
        if not _headish(pieces[content[position]]):
            continue
        signed = position + 1 < len(content) and looks_like_name(pieces[content[position + 1]].plain)
        if is_closing(text) and (signed or position == len(content) - 1):
            return position
        if is_closing(text, generic=True) and signed:
            return position
    return None


def _signature_line(piece: RawParagraph) -> bool:
    """A signature and the title lines under it ("Fidel Castro", "Prime Minister")."""
    text = piece.plain
    return (_headish(piece) and len(text.split()) <= 8 and text[-1] not in _TERMINAL) or looks_like_name(text)


def _letter_details(
    texts: list[str], roles: list[ParagraphRole], title: LetterTitle | None
) -> dict[str, str | None]:
    """Date, author and recipient: from the title first, then the date line, signature, salutation."""
    date = title.date if title else None
    author = title.author if title else None
    recipient = title.recipient if title else None
    for text, role in zip(texts, roles, strict=True):
        if role == "date" and not date:
            date = date_line(text)
        elif role == "signature" and not author:
            author = leading_name(text)
        elif role == "salutation" and not recipient:
            recipient = recipient_from_salutation(text)
    return {"date": date, "author": author, "recipient": recipient}
