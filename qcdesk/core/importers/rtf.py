"""Rich Text Format (.rtf): a small converter from RTF to paragraphs of plain text.

Handles groups, destinations that hold no body text (font and colour tables,
style sheet, info, pictures, ``{\\*...}`` groups, headers, footnotes,
comments, field instructions), ``\\par`` ``\\line`` ``\\tab`` ``\\cell``
``\\row``, ``\\'hh`` escapes in the document's ``\\ansicpg`` code page (or the
current font's charset), ``\\uN`` with ``\\ucN`` skip counts (surrogate pairs
joined), ``\\bin``, and raw UTF-8 bytes that some programs write unescaped.
Headings come from ``\\outlinelevelN``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from pathlib import Path

from qcdesk.core.importers.assemble import HEADING, PARAGRAPH, TABLE_ROW, Unit
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import assemble_units
from qcdesk.core.importers.safety import fail

_TOKEN = re.compile(
    rb"\\(?P<word>[a-zA-Z]{1,32})(?P<arg>-?\d{1,10})? ?"
    rb"|\\'(?P<hex>[0-9a-fA-F]{2})"
    rb"|\\(?P<sym>[^a-zA-Z'])"
    rb"|(?P<brace>[{}])"
    rb"|(?P<newline>[\r\n]+)"
    rb"|(?P<text>[^\\{}\r\n]+)"
    rb"|(?P<other>[\s\S])"
)

#: destinations whose content is not body text
_SKIP_DEST = {
    b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"fldinst", b"header",
    b"headerl", b"headerr", b"headerf", b"footer", b"footerl", b"footerr", b"footerf", b"footnote",
    b"annotation", b"atnid", b"atnauthor", b"atndate", b"atnref", b"themedata", b"colorschememapping",
    b"datastore", b"latentstyles", b"xmlnstbl", b"listtable", b"listoverridetable", b"rsidtbl",
    b"generator", b"filetbl", b"revtbl", b"pgdsctbl", b"mmathPr", b"nonshppict", b"shppict",
    b"bkmkstart", b"bkmkend", b"xe", b"tc", b"txe", b"private", b"operator", b"author", b"title",
    b"subject", b"keywords", b"comment", b"doccomm", b"company", b"fchars", b"lchars", b"wgrffmtfilter",
    b"listtext", b"pntext", b"pntxta", b"pntxtb", b"sp", b"sn", b"sv", b"userprops", b"passwordhash",
}
_SYMBOL_WORDS = {
    b"emdash": "\u2014", b"endash": "\u2013", b"lquote": "\u2018", b"rquote": "\u2019",
    b"ldblquote": "\u201c", b"rdblquote": "\u201d", b"bullet": "\u2022", b"emspace": "\u2003",
    b"enspace": "\u2002", b"qmspace": "\u2005", b"zwj": "\u200d", b"zwnj": "\u200c",
    b"ltrmark": "\u200e", b"rtlmark": "\u200f", b"tab": "\t", b"line": "\n",
}
_CHARSET_CODEPAGE = {
    0: None, 1: None, 2: None, 77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab",
    134: "gbk", 136: "big5", 161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255",
    178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250", 254: "cp437",
}
MAX_DEPTH = 1000


class RtfTooDeep(Exception):
    """Groups nested beyond MAX_DEPTH: no real document does this."""


@dataclass(frozen=True)
class _State:
    skip: bool = False
    uc: int = 1
    codepage: str | None = None
    in_fonttbl: bool = False


class _Converter:
    def __init__(self, default_codepage: str) -> None:
        self.default_codepage = default_codepage
        self.fonts: dict[int, str] = {}
        self.default_font: int | None = None
        self.units: list[Unit] = []
        self.cur: list[str] = []
        self.row: list[str] = []
        self.table_no = 0
        self.last_was_row = False
        self.in_table = False
        self.level = 0
        self.left_out: dict[str, int] = {}
        self.pending = bytearray()  # \'hh bytes waiting to be decoded together
        self.pending_cp: str | None = None
        self.high_surrogate: int | None = None

    # -- text output -------------------------------------------------------
    def flush_bytes(self) -> None:
        if self.pending:
            codepage = self.pending_cp or self.default_codepage
            try:
                self.cur.append(bytes(self.pending).decode(codepage))
            except (UnicodeDecodeError, LookupError):
                self.cur.append(bytes(self.pending).decode("cp1252", errors="replace"))
            self.pending.clear()

    def emit(self, text: str) -> None:
        self.flush_bytes()
        if self.high_surrogate is not None:
            self.cur.append("\ufffd")
            self.high_surrogate = None
        self.cur.append(text)

    def emit_unicode(self, value: int) -> None:
        self.flush_bytes()
        if value < 0:
            value += 65536
        if 0xD800 <= value <= 0xDBFF:
            self.high_surrogate = value
            return
        if 0xDC00 <= value <= 0xDFFF and self.high_surrogate is not None:
            value = 0x10000 + ((self.high_surrogate - 0xD800) << 10) + (value - 0xDC00)
            self.high_surrogate = None
        elif 0xD800 <= value <= 0xDFFF:
            value = 0xFFFD
        if self.high_surrogate is not None:
            self.cur.append("\ufffd")
            self.high_surrogate = None
        self.cur.append(chr(value) if value else "")

    def end_paragraph(self) -> None:
        self.flush_bytes()
        text = "".join(self.cur)
        self.cur = []
        if self.in_table:
            self.row.append(text)
            return
        kind = HEADING if self.level else PARAGRAPH
        self.units.append(Unit(text, kind, min(self.level, 6)))
        self.last_was_row = False

    def end_cell(self) -> None:
        self.flush_bytes()
        self.row.append("".join(self.cur))
        self.cur = []
        self.row.append("\x00")  # cell boundary

    def end_row(self) -> None:
        self.flush_bytes()
        if self.cur:
            self.row.append("".join(self.cur))
            self.cur = []
        cells: list[str] = []
        part: list[str] = []
        for piece in self.row:
            if piece == "\x00":
                cells.append(" ".join(p.strip() for p in part if p.strip()))
                part = []
            else:
                part.append(piece)
        if part and any(p.strip() for p in part):
            cells.append(" ".join(p.strip() for p in part if p.strip()))
        self.row = []
        if not self.last_was_row:
            self.table_no += 1
        if any(cells):
            self.units.append(Unit(" | ".join(cells), TABLE_ROW, group=self.table_no))
        self.last_was_row = True
        self.in_table = False

    def leave_out(self, what: str) -> None:
        self.left_out[what] = self.left_out.get(what, 0) + 1


def _codepage_name(number: int) -> str | None:
    name = "cp932" if number == 932 else f"cp{number}"
    if number == 65001:
        name = "utf-8"
    elif number == 10000:
        name = "mac_roman"
    try:
        codecs.lookup(name)
        return name
    except LookupError:
        return None


def convert(data: bytes) -> tuple[list[Unit], dict[str, int]]:
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    default = (_codepage_name(int(m.group(1))) if m else None) or "cp1252"
    conv = _Converter(default)
    state = _State()
    stack: list[_State] = []
    skip_chars = 0
    group_start = False  # just after "{": the next control word may name a destination
    star = False
    font_entry: list = []  # [font number, charset] while inside the font table
    pos = 0
    n = len(data)
    while pos < n:
        tok = _TOKEN.match(data, pos)
        assert tok is not None and tok.lastgroup is not None  # "other" matches any byte left
        pos = tok.end()
        kind: str = tok.lastgroup  # the alternative that matched ("arg" closes last in a control word)
        if kind == "arg":
            kind = "word"
        if kind == "brace":
            conv.flush_bytes()
            if tok.group("brace") == b"{":
                if len(stack) >= MAX_DEPTH:
                    raise RtfTooDeep
                stack.append(state)
                group_start, star = True, False
            else:
                if state.in_fonttbl and font_entry and font_entry[0] is not None:
                    conv.fonts[font_entry[0]] = _CHARSET_CODEPAGE.get(font_entry[1]) or ""
                    font_entry[:] = [None, 0]
                if stack:
                    state = stack.pop()
                group_start, star = False, False
                skip_chars = 0
            continue
        if kind == "newline":
            continue
        if kind == "word":
            word, arg = tok.group("word"), tok.group("arg")
            num = int(arg) if arg is not None else None
            if group_start and (star or word in _SKIP_DEST):
                if word == b"footnote":
                    conv.leave_out("footnote")
                elif word == b"annotation":
                    conv.leave_out("comment")
                elif word.startswith((b"header", b"footer")):
                    conv.leave_out("header")
                if word == b"fonttbl":
                    state = replace(state, in_fonttbl=True, skip=True)
                    font_entry = [None, 0]
                else:
                    state = replace(state, skip=True)
                group_start = False
                continue
            group_start = False
            if state.in_fonttbl:
                if word == b"f" and num is not None:
                    font_entry[:] = [num, 0]
                elif word == b"fcharset" and num is not None:
                    font_entry[1] = num
                continue
            if word == b"bin" and num:
                pos += max(0, num)
                continue
            if word == b"uc" and num is not None:
                state = replace(state, uc=max(0, num))
                continue
            if state.skip:
                continue
            if word == b"u" and num is not None:
                skip_chars = 0  # writers put the next \u right after the fallback; never swallow it
            if skip_chars:
                skip_chars -= 1
                continue
            if word == b"u" and num is not None:
                conv.emit_unicode(num)
                skip_chars = state.uc
            elif word in (b"par", b"sect", b"page"):
                conv.end_paragraph()
            elif word == b"pard":
                conv.level = 0
                conv.in_table = False
            elif word == b"intbl":
                conv.in_table = True
            elif word == b"cell" or word == b"nestcell":
                conv.end_cell()
            elif word == b"row" or word == b"nestrow":
                conv.end_row()
            elif word == b"outlinelevel" and num is not None:
                conv.level = num + 1 if 0 <= num < 6 else 0
            elif word == b"f" and num is not None:
                state = replace(state, codepage=conv.fonts.get(num) or None)
            elif word == b"deff" and num is not None:
                conv.default_font = num
            elif word in _SYMBOL_WORDS:
                conv.emit(_SYMBOL_WORDS[word])
            continue
        group_start = False
        if kind == "sym":
            sym = tok.group("sym")
            if sym == b"*":
                group_start = True
                star = True
                continue
            if state.skip:
                continue
            if skip_chars:
                skip_chars -= 1
                continue
            if sym in (b"\\", b"{", b"}"):
                conv.emit(sym.decode())
            elif sym == b"~":
                conv.emit("\u00a0")
            elif sym == b"_":
                conv.emit("\u2011")
            elif sym in (b"\n", b"\r"):
                conv.end_paragraph()
            continue
        if kind == "hex":
            if state.skip:
                continue
            if skip_chars:
                skip_chars -= 1
                continue
            cp = state.codepage
            if conv.pending and conv.pending_cp != cp:
                conv.flush_bytes()
            conv.pending_cp = cp
            conv.pending.append(int(tok.group("hex"), 16))
            continue
        # plain text (or a stray byte)
        raw = tok.group(kind)
        if state.skip:
            continue
        if skip_chars:
            cut = min(skip_chars, len(raw))
            raw = raw[cut:]
            skip_chars -= cut
            if not raw:
                continue
        conv.emit(_decode_raw(raw, state.codepage or default))
    conv.flush_bytes()
    if conv.cur or conv.row:
        conv.in_table = False
        conv.end_paragraph()
    return conv.units, conv.left_out


def _decode_raw(raw: bytes, codepage: str) -> str:
    """Literal text: ASCII as it should be, but some writers put UTF-8 bytes in raw."""
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(codepage, errors="replace")


def read_rtf(path: Path, data: bytes) -> ParsedDocument:
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"{\\rtf"):
        raise fail(path, "this is not an RTF file (it does not start with {\\rtf)")
    try:
        units, left_out = convert(start)
    except RtfTooDeep:
        raise fail(path, "the RTF file is nested too deeply to be a real document; it may be damaged") from None
    notices = []
    parts = []
    for key, word in (("footnote", "footnote"), ("comment", "comment")):
        if left_out.get(key):
            count = left_out[key]
            parts.append(f"{count} {word}{'' if count == 1 else 's'}")
    if left_out.get("header"):
        parts.append("page headers/footers")
    if parts:
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        single = len(parts) == 1 and listed.startswith("1 ")
        notices.append(f"{listed} {'was' if single else 'were'} not imported")
    if not any(u.text.strip() for u in units):
        raise fail(path, "the RTF file contains no text")
    return assemble_units(units, "rtf", notices, soft_join="\n")
