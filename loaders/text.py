"""Bytes → clean text, and the width-folding every parser uses.

``fold`` maps full-width punctuation, digits and the ideographic space to their half-width forms one
character for one character, so offsets in folded text are offsets in the original: parsers match on
the folded text and slice the original, and the user always sees the file's own characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

_FULL = "，（）：；．！？［］　０１２３４５６７８９"
_HALF = ",():;.!?[] 0123456789"
_FOLD_MAP = dict(zip(_FULL, _HALF, strict=True))
_FULL_RE = re.compile("[" + re.escape(_FULL) + "]")

#: ANSI/VT escape sequences (CSI, OSC, single-character escapes).
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
#: C0/C1 control characters other than newline and tab, plus zero-width and BOM characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")


#: Besides GB18030, the encodings a Chinese notice without a BOM may come in.
_CJK_ENCODINGS = ("big5", "big5hkscs", "cp950")

#: Frequent characters that only traditional writing uses (none is in GB2312): three distinct ones in a
#: text's opening mark it as traditional.
_TRADITIONAL_HINTS = re.compile(
    "[們這個為與來對時會說國發經關點進過還區縣黨員組織務現實問題將應導設計種讓認紀從書總檢監據視當歷饋況"
    "級領幹責開門專業條長東車馬見軍農辦規則議鄉鎮廣葉劃]"
)
_HINT_SPAN = 6000


class DecodeError(ValueError):
    """Raised when bytes cannot be read as text; the message is the one-line reason."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text read from a file, with the encoding it was read in."""

    text: str
    encoding: str
    truncated: bool = False
    """True when the bytes ended in the middle of a character (the partial character was dropped)."""


def fold(text: str) -> str:
    """Map full-width punctuation/digits/spaces to half-width, one character for one character."""
    # one regex scan finds whether there is anything to fold (most lines: nothing); str.translate on CJK
    # text is ~20x slower than this
    if _FULL_RE.search(text) is None:
        return text
    return _FULL_RE.sub(lambda match: _FOLD_MAP[match.group()], text)


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in traditional characters (several traditional-only characters)."""
    return len(set(_TRADITIONAL_HINTS.findall(text, 0, _HINT_SPAN))) >= 3


@cache
def _t2s() -> OpenCC:
    from opencc import OpenCC  # loads only for traditional notices

    return OpenCC("t2s")


def _convert(text: str) -> str:
    converted: str = _t2s().convert(text)
    return converted


@cache
def _char_t2s(char: str) -> str:
    converted = _convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """Traditional → simplified characters, one for one, so offsets in the result are offsets in ``text``.

    Whole lines go through OpenCC's phrase-aware ``t2s``; a line whose length would change (a phrase
    conversion that is not one-for-one) is converted character by character instead.
    """
    out: list[str] = []
    for line in text.split("\n"):
        converted = _convert(line)
        if len(converted) != len(line):
            converted = "".join(_char_t2s(char) for char in line)
        out.append(converted)
    return "\n".join(out)


def parse_view(text: str) -> str:
    """What parsers match on: width-folded and, for a traditional text, simplified (offsets unchanged)."""
    folded = fold(text)
    return to_simplified(folded) if is_traditional(folded) else folded


def clean(text: str) -> str:
    """Normalise newlines and strip terminal escapes and control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", text)


def _is_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > max(8, len(head) // 20)


def _decode_strict(raw: bytes, encoding: str) -> DecodedText:
    """Decode ``raw`` strictly, tolerating only a character cut off at the very end."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    text = decoder.decode(raw, final=False)
    pending = decoder.getstate()[0]
    return DecodedText(text, encoding, truncated=bool(pending))


def _first_bad_offset(raw: bytes, encoding: str) -> int:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return len(raw)


def _is_common(char: str) -> bool:
    """True for a character of GB2312's first level (the 3,755 most common simplified characters)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def _common_characters(decoded: DecodedText) -> int:
    """How many of the first 4,000 characters are common Chinese ones (traditional read as simplified)."""
    sample = decoded.text[:4000]
    if is_traditional(sample):
        sample = to_simplified(sample)
    return sum(1 for char in sample if _is_common(char))


def decode_bytes(raw: bytes) -> DecodedText:
    """Decode a notice file's bytes: BOMs, UTF-8, GBK/GB18030 or Big5 (detected, not guessed).

    Raises:
        DecodeError: ``empty file``, ``binary data`` or ``undecodable bytes at offset N``.
    """
    if not raw.strip():
        raise DecodeError("empty file")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            try:
                return _decode_strict(raw[len(bom) :], encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable bytes at offset {exc.start + len(bom)}") from None
    if _is_binary(raw):
        raise DecodeError("binary data")
    try:
        return _decode_strict(raw, "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    candidates: list[str] = []
    if best is not None and best.encoding:
        name = codecs.lookup(best.encoding).name
        # GB2312 and GBK are subsets of GB18030: decode as the superset.  Notices are Chinese, so a
        # single-byte Western guess (cp1252 decodes anything) is no answer.
        if name in ("gb2312", "gbk", "gb18030", "hz"):
            candidates.append("gb18030")
        elif name in _CJK_ENCODINGS:
            candidates.append(name)
    candidates.append("gb18030")
    decoded: list[DecodedText] = []
    for encoding in dict.fromkeys([*candidates, "cp950"]):
        try:
            decoded.append(_decode_strict(raw, encoding))
        except UnicodeDecodeError:
            continue
    if decoded:
        # Big5 bytes often decode as (meaningless) GB18030 too: keep the reading with the most common
        # characters, the detector's first choice on a tie.
        return max(decoded, key=_common_characters)
    offset = max(_first_bad_offset(raw, "utf-8"), _first_bad_offset(raw, "gb18030"))
    raise DecodeError(f"undecodable bytes at offset {offset}")
