"""Turning the bytes of a text file into ``str``, telling the user when a guess was needed.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; then BOM-less UTF-16
(NUL bytes on one side of the byte pairs, valid code units); then strict UTF-8;
then Windows-1252 when it reads as plausible Western text; then charset-normalizer's
best guess; last, Windows-1252 with undecodable bytes replaced. Line ends become ``\\n``.
"""

from __future__ import annotations

import codecs
import unicodedata

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

#: names people know, for the notice
_DISPLAY = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp932": "Shift-JIS (Japanese)",
    "shift_jis": "Shift-JIS (Japanese)",
    "gb2312": "GB2312 (Chinese)",
    "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Chinese)",
    "euc_kr": "EUC-KR (Korean)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "mac_roman": "Mac Roman",
    "utf_16_le": "UTF-16 LE",
    "utf_16_be": "UTF-16 BE",
}


def display_name(encoding: str) -> str:
    key = codecs.lookup(encoding).name.replace("-", "_")
    return _DISPLAY.get(key, _DISPLAY.get(encoding, encoding.upper()))


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes; return the text (``\\n`` line ends, no BOM) and notices."""
    text, notices = _decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    return normalize_newlines(text), notices


def _decode(data: bytes) -> tuple[str, list[str]]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(codec), []
            except UnicodeDecodeError:
                return body.decode(codec, errors="replace"), [
                    f"The file is marked as {label} but contains invalid bytes; they were replaced by �"]
    utf16 = bomless_utf16(data)  # before UTF-8: ASCII in UTF-16 is valid UTF-8 full of NULs
    if utf16:
        return data.decode(utf16), [f"Read as {display_name(utf16)} (the file has no byte-order mark)"]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    encoding = guess_legacy_encoding(data)
    try:
        text = data.decode(encoding)
        return text, [f"Read as {display_name(encoding)} because the file is not valid UTF-8"]
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", errors="replace"), [
            "Read as Windows-1252 because the file is not valid UTF-8; "
            "some bytes could not be read and were replaced by �"]


def utf16_codec(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` if the bytes are UTF-16 text, with or without a byte-order mark."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    return bomless_utf16(data)


def bomless_utf16(data: bytes) -> str | None:
    """The byte order of UTF-16 text written without a byte-order mark, or None.

    The high byte of every ASCII character (spaces, digits, punctuation, line ends,
    which every transcript has, whatever its script) is NUL, so NULs gather on one
    side of the byte pairs: the odd bytes for little-endian, the even ones for
    big-endian. The whole file must then decode as valid UTF-16 code units.
    """
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data[:65536]:
        return None
    sample = data[:65536]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.1 * pairs and odd > 4 * even:
        codec = "utf-16-le"
    elif even >= 0.1 * pairs and even > 4 * odd:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:  # unpaired surrogates: not UTF-16
        return None
    head = text[:32768]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\n\r\f")
    return codec if controls <= 0.02 * len(head) else None


def plausible_western(text: str) -> bool:
    """True if the text reads like Western European text.

    Mostly ASCII letters, and no symbol between two letters (``Za¿ó³æ`` is
    Polish read wrongly; ``Ïðèâåò`` is Russian read wrongly).
    """
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) >= 128)
    if accented > 0.4 * len(letters):
        return False
    for i in range(1, len(text) - 1):
        ch = text[i]
        if ord(ch) < 128 or unicodedata.category(ch).startswith(("L", "M")):
            continue
        if text[i - 1].isalpha() and text[i + 1].isalpha():
            return False
    return True


def guess_legacy_encoding(data: bytes) -> str:
    """Windows-1252 if it fits, else charset-normalizer's guess, else Windows-1252."""
    try:
        if plausible_western(data.decode("cp1252")):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
    except Exception:  # a detector failure must not stop the import
        best = None
    if best is not None and best.encoding:
        try:
            data.decode(best.encoding)
            return best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return "cp1252"
