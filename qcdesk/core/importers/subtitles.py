"""Subtitle formats: WebVTT (.vtt) and SubRip (.srt).

Cues become turns: the speaker comes from a ``<v Name>`` voice tag or a
``Name:`` prefix; a cue without one continues the previous speaker (SubRip
files name the speaker only on the first cue of a turn). Consecutive cues of
one speaker merge into one ``Speaker: utterance`` paragraph whose times span
them. Cues without any speaker in the file are grouped into paragraphs at
pauses. Every cue keeps its start time: where its text begins inside a longer
paragraph, that time is a sync point.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from qcdesk.core.importers.assemble import Piece, assemble, clean
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import NAME, valid_name
from qcdesk.core.importers.safety import fail
from qcdesk.core.importers.text import decode_checked
from qcdesk.core.safe_names import shown_name

#: a cue's timing line: two words around "-->" (the start found lazily, so a long line is one
#: pass); whether they are times is decided by cue_time, so a malformed one keeps the cue's text
_TIMING = re.compile(r"^\s*(?P<start>[^\s>]+?)\s*-->\s*(?P<end>\S+)(?:\s.*)?$")
_TIME = re.compile(r"(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,3}))?")
# a tag ends at the next "<" as well as at ">", so a cue full of "<v name" without ">" is
# scanned once, not from every "<" to its end
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:\s+(?P<name>[^<>]*))?>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^<>\n]*>|<\d[^<>\n]*>|</?\s*>")
_PREFIX = re.compile(rf"^(?P<name>{NAME})\s*:\s+(?P<rest>.+)$", re.S)
#: VTT entities; html.unescape handles the rest (named and numeric)
_ENTITIES = {"&lrm;": "\u200e", "&rlm;": "\u200f", "&nbsp;": " "}
#: a silence this long starts a new paragraph when the file names no speakers
PARAGRAPH_GAP = 2.0


@dataclass
class Cue:
    start: float | None  # None: the file's time for this cue cannot be right
    end: float | None
    text: str
    speaker: str | None = None


@dataclass
class BadTimes:
    """Cue times that were dropped, for one notice."""

    count: int = 0
    first: str = ""

    def add(self, value: str, cue_number: int) -> None:
        if not self.count:
            shown = value if len(value) <= 24 else value[:21] + "…"
            self.first = f"“{shown_name(shown)}” in cue {cue_number}"
        self.count += 1

    def notice(self) -> list[str]:
        if not self.count:
            return []
        many = self.count != 1
        return [f"{self.count} cue{'s' if many else ''} had a time that cannot be right ({self.first}); "
                f"{'their' if many else 'its'} text was kept without that time"]


def cue_time(value: str) -> float | None:
    """Seconds from ``[h:]mm:ss[.ttt]``, or None for a malformed or absurd time.

    Minutes and seconds past 59 (after hours) and hours past 999 cannot be right.
    """
    m = _TIME.fullmatch(value)
    if m is None:
        return None
    hours, minutes, seconds = int(m["h"] or 0), int(m["m"]), int(m["s"])
    if seconds > 59 or (m["h"] is not None and minutes > 59):
        return None
    return hours * 3600 + minutes * 60 + seconds + (int(m["f"].ljust(3, "0")) / 1000 if m["f"] else 0.0)


def _clean_cue_text(raw: str) -> tuple[str, str | None]:
    speaker = None
    voice = _VOICE.search(raw)
    if voice:
        # "<v Name:>" as some tools write it: the colon is the label's, not the name's
        name = (voice.group("name") or "").strip().lstrip("/").strip().rstrip(":").rstrip()
        # cleaned like the text the label is written into, so the two always agree
        speaker = " ".join(clean(name).split()) or None
    text = _TAG.sub("", raw)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = html.unescape(text)
    text = clean(" ".join(line.strip() for line in text.split("\n") if line.strip()))
    return text, speaker


def _blocks(text: str) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _cue_from_block(lines: list[str], number: int, bad: BadTimes) -> Cue | None:
    for i, line in enumerate(lines[:3]):
        m = _TIMING.match(line)
        if m and _has_digit(m.group("start")) and _has_digit(m.group("end")):
            start, end = cue_time(m.group("start")), cue_time(m.group("end"))
            if start is None:
                bad.add(m.group("start"), number)
                end = None
            elif end is None:
                bad.add(m.group("end"), number)
            if start is not None and (end is None or end < start):
                end = start  # a cue that ends before it starts: keep it, at its start time
            text, speaker = _clean_cue_text("\n".join(lines[i + 1:]))
            return Cue(start, end, text, speaker)
    return None


def parse_vtt_cues(text: str, bad: BadTimes | None = None) -> tuple[list[Cue], str]:
    """The cues and the header title (text after ``WEBVTT`` on its first line)."""
    blocks = _blocks(text)
    title = ""
    if blocks and blocks[0][0].startswith("WEBVTT"):
        title = blocks[0][0][6:].strip(" \t-")
        first = blocks.pop(0)
        # without a blank line after the header, the first cue runs on from it
        rest = first[1:]
        k = next((i for i, ln in enumerate(rest) if "-->" in ln), None)
        if k is not None:
            blocks.insert(0, rest[max(0, k - 1):])
    cues: list[Cue] = []
    for block in blocks:
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        cue = _cue_from_block(block, len(cues) + 1, bad if bad is not None else BadTimes())
        if cue is not None:
            cues.append(cue)
    return cues, title


def parse_srt_cues(text: str, bad: BadTimes | None = None) -> list[Cue]:
    cues: list[Cue] = []
    for block in _blocks(text):
        cue = _cue_from_block(block, len(cues) + 1, bad if bad is not None else BadTimes())
        if cue is not None:
            cues.append(cue)
    return cues


def _apply_prefixes(cues: list[Cue]) -> None:
    """Take ``Name: text`` prefixes as speakers when names recur (as in SubRip and Zoom files)."""
    found = []
    for cue in cues:
        if cue.speaker is None:
            m = _PREFIX.match(cue.text)
            if m and valid_name(m.group("name")):
                found.append((cue, " ".join(m.group("name").split()), m.group("rest").strip()))
    names = [name for _, name, _ in found]
    if len(found) < 2 and not (found and found[0][0] is cues[0]):
        return
    if len(set(names)) > max(3, len(names) // 2):
        return
    for cue, name, rest in found:
        cue.speaker, cue.text = name, rest


def cues_to_pieces(cues: list[Cue]) -> list[Piece]:
    """Paragraphs for the cues; every cue's start that is not its paragraph's own time
    becomes a sync point where the cue's text begins."""
    pieces: list[Piece] = []
    if any(c.speaker for c in cues):
        cur: Piece | None = None
        words: dict[int, list[str]] = {}  # a turn's cue texts, joined once at the end
        lengths: dict[int, int] = {}  # the joined length so far, for the cues' offsets
        for cue in cues:
            if not cue.text and cur is None:
                continue
            if cur is not None and cue.speaker in (None, cur.speaker):
                if cue.text:
                    if cue.start is not None:
                        cur.sync.append((lengths[id(cur)] + 1, cue.start))
                    words[id(cur)].append(cue.text)
                    lengths[id(cur)] += 1 + len(cue.text)
                if cue.end is not None:
                    cur.time_end = cue.end if cur.time_end is None else max(cur.time_end, cue.end)
                continue
            if cue.speaker is None:
                pieces.append(Piece(cue.text, sync=_own_time(cue)))
                continue
            cur = Piece(f"{cue.speaker}:", speaker=cue.speaker, time_start=cue.start, time_end=cue.end)
            words[id(cur)] = [cur.text] + ([cue.text] if cue.text else [])
            lengths[id(cur)] = len(" ".join(words[id(cur)]))
            pieces.append(cur)
        for piece in pieces:
            if id(piece) in words:
                piece.text = " ".join(words[id(piece)])
        return pieces
    para: Piece | None = None
    last_end = None
    for cue in cues:
        if not cue.text:
            continue
        pause = None if cue.start is None or last_end is None else cue.start - last_end
        if para is not None and (pause is None or pause < PARAGRAPH_GAP) and len(para.text) < 1000:
            if cue.start is not None:
                para.sync.append((len(para.text) + 1, cue.start))
            para.text += " " + cue.text
        else:
            para = Piece(cue.text, sync=_own_time(cue))
            pieces.append(para)
        last_end = cue.end if cue.end is not None else last_end
    return pieces


def _own_time(cue: Cue) -> list[tuple[int, float]]:
    """A paragraph that is one cue outside any turn keeps the cue's time at its start."""
    return [] if cue.start is None else [(0, cue.start)]


def read_vtt(path: Path, data: bytes) -> ParsedDocument:
    text, notices = decode_checked(path, data, "WebVTT subtitle")
    if not text.lstrip().startswith("WEBVTT"):
        if "-->" not in text:
            raise fail(path, "this is not a WebVTT file (it does not start with WEBVTT)")
        notices.append("The file does not start with WEBVTT; it was read as subtitles anyway")
    bad = BadTimes()
    cues, title = parse_vtt_cues(text, bad)
    if not cues:
        raise fail(path, "the subtitle file contains no cues (no lines with -->)")
    notices += bad.notice()
    _apply_prefixes(cues)
    pieces = ([Piece(title, "heading", 1)] if title else []) + cues_to_pieces(cues)
    return assemble(pieces, "vtt", notices)


def read_srt(path: Path, data: bytes) -> ParsedDocument:
    text, notices = decode_checked(path, data, "SubRip subtitle")
    bad = BadTimes()
    cues = parse_srt_cues(text, bad)
    if not cues:
        raise fail(path, "this is not a SubRip file: it contains no cues (no lines with -->)")
    _apply_prefixes(cues)
    return assemble(cues_to_pieces(cues), "srt", notices + bad.notice())
