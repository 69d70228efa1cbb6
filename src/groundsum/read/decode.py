"""Bytes → str with a detected encoding, and the text normalization every reader shares."""

from __future__ import annotations

import codecs
import itertools
import math
import re
import unicodedata

from charset_normalizer import from_bytes

from ..errors import InputError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_INVISIBLE = str.maketrans({"\u00a0": " ", "\ufeff": None, "\u00ad": None, "\u200b": None})
_INVISIBLE_CHARS = tuple(map(chr, _INVISIBLE))
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 8192
_GUESSES = 5
_SCORED_CHARS = 65536
# Tried besides charset-normalizer's guesses.
_LEGACY_CODECS = ("cp1252", "cp1250", "cp1251", "koi8_r", "cp1253", "cp1254", "cp1257")
_COMMON_NON_ASCII = re.compile(
    "[àáâäçèéêëíîïñóôöùúûüßÀÁÂÄÇÈÉÊËÍÎÏÑÓÔÖÙÚÛÜãõåæøœÃÕÅÆØŒýÿÝ"  # Western European
    "ąćčďęěłńňőřśšťůűźżžĄĆČĎĘĚŁŃŇŐŘŚŠŤŮŰŹŻŽğışİĞŞ"  # Central European, Turkish
    "“”‘’„–—…€£«»¿¡°§©®·•"  # typography
    "\u0386-\u03ce\u0401-\u045f"  # Greek, Cyrillic
    "\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]"  # kana, CJK ideographs, Hangul
)
_WORD = re.compile(r"\w+")


def bom_codec(data: bytes) -> str | None:
    """The codec a byte-order mark announces, if the data starts with one."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def decode(data: bytes, declared: str | None = None) -> str:
    """BOM, then the encoding the document declares, then UTF-8, then charset detection.

    Never raises: a wrong declaration is ignored and undecodable bytes become U+FFFD.
    """
    codec = bom_codec(data)
    if codec is not None:
        return data.decode(codec, errors="replace")
    for codec in (declared, "utf-8") if declared else ("utf-8",):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    codec = _detected_codec(data)
    return data.decode(codec or "utf-8", errors="replace")


def _detected_codec(data: bytes) -> str | None:
    """The legacy encoding whose decoding reads most like real text.

    charset-normalizer alone often picks a wrong single-byte code page for short Western
    text (cp1250 or cp775 for French cp1252), so its guesses compete with the common
    legacy code pages on how plausible their decodings look.
    """
    guesses = [match.encoding for match in from_bytes(data)][:_GUESSES]
    best, best_score = None, -math.inf
    for codec in dict.fromkeys(("cp1252", *guesses, *_LEGACY_CODECS)):  # cp1252 wins ties: the most used
        try:
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        score = _plausibility(text[:_SCORED_CHARS])
        if score > best_score:
            best, best_score = codec, score
    return best


def _plausibility(text: str) -> int:
    """Common accented letters and typographic marks count for, rare symbols and mixed-up words against."""
    score = 0
    for char in text:
        if char.isascii():
            continue
        score += 1 if _COMMON_NON_ASCII.match(char) else -2
    for word in _WORD.findall(text):
        scripts = {_script(char) for char in word if char.isalpha()}
        if len(scripts) > 1 or any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
            score -= 2  # "Dﻠjﻓ", "рТЙЧЕФ": decoded with the wrong table
    return score


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250:
        return "latin"
    if 0x370 <= code < 0x400:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    return "other"


def head_text(data: bytes, size: int = _SAMPLE) -> str:
    """The first ``size`` bytes decoded, without counting a character cut at the end as an error."""
    head = data[:size]
    codec = bom_codec(head)
    if codec is not None:
        return head.decode(codec, errors="replace")
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return decode(head)


def looks_binary(data: bytes) -> bool:
    """Images, executables, archives: NUL bytes (outside UTF-16/32) or mostly unprintable."""
    head = data[:_SAMPLE]
    if bom_codec(head) is None and b"\x00" in head:
        return True
    text = head_text(head)
    if not text:
        return False
    return _readable(text) / len(text) < 0.95 or text.count("\ufffd") / len(text) >= 0.05


def _readable(text: str) -> int:
    """How many characters are printable or line controls: all of them, in almost any text."""
    bare = text.replace("\n", "").replace("\r", "").replace("\t", "").replace("\f", "")
    if bare.isprintable():
        return len(text)
    return sum(ch.isprintable() or ch in "\n\r\t\f" for ch in text)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode a text format's bytes; binary data is an error, not garbage text."""
    if looks_binary(data):
        raise InputError("looks like binary data, not a text document")
    return decode(data, declared)


def normalize(text: str) -> str:
    """Unify newlines, drop control and invisible characters, collapse runs of blank lines.

    NFC keeps composed characters composed so offsets count what people see.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # ASCII has no line separators, invisible characters or anything to compose
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
        if any(char in text for char in _INVISIBLE_CHARS):  # translate is slow on non-ASCII text
            text = text.translate(_INVISIBLE)
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # control characters are not printable: most text skips the regex
        text = _CONTROL.sub("", text)
    if "\n" not in text:  # a single line, as most paragraphs are
        return text.rstrip()
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n")
