"""Subtitle formats: WebVTT (.vtt) and SubRip (.srt).

Cues become turns: the speaker comes from a ``<v Name>`` voice tag or a
``Name:`` prefix; a cue without one continues the previous speaker (SubRip
files name the speaker only on the first cue of a turn). Consecutive cues of
one speaker merge into one ``Speaker: utterance`` paragraph whose times span
them. Cues without any speaker in the file are grouped into paragraphs at
pauses.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from qcdesk.core.importers.assemble import Piece, assemble, clean
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import NAME, parse_time, valid_name
from qcdesk.core.importers.safety import fail
from qcdesk.core.importers.text import decode_checked

_TS = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^\s*(?P<start>{_TS})\s*-->\s*(?P<end>{_TS})(?P<settings>.*)$")
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
    start: float
    end: float
    text: str
    speaker: str | None = None


def _clean_cue_text(raw: str) -> tuple[str, str | None]:
    speaker = None
    voice = _VOICE.search(raw)
    if voice:
        name = (voice.group("name") or "").strip().lstrip("/").strip()
        # cleaned like the text the label is written into, so the two always agree
        speaker = " ".join(clean(name).split()) or None
    text = _TAG.sub("", raw)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = html.unescape(text)
    text = " ".join(line.strip() for line in text.split("\n") if line.strip())
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


def _cue_from_block(lines: list[str]) -> Cue | None:
    for i, line in enumerate(lines[:3]):
        m = _TIMING.match(line)
        if m:
            start = parse_time(m.group("start")) or 0.0
            end = parse_time(m.group("end"))
            if end is None or end < start:
                end = start  # a cue that ends before it starts: keep it, at its start time
            text, speaker = _clean_cue_text("\n".join(lines[i + 1:]))
            return Cue(start, end, text, speaker)
    return None


def parse_vtt_cues(text: str) -> tuple[list[Cue], str]:
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
    cues = []
    for block in blocks:
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        cue = _cue_from_block(block)
        if cue is not None:
            cues.append(cue)
    return cues, title


def parse_srt_cues(text: str) -> list[Cue]:
    cues = []
    for block in _blocks(text):
        cue = _cue_from_block(block)
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
    pieces: list[Piece] = []
    if any(c.speaker for c in cues):
        cur: Piece | None = None
        words: dict[int, list[str]] = {}  # a turn's cue texts, joined once at the end
        for cue in cues:
            if not cue.text and cur is None:
                continue
            if cur is not None and cue.speaker in (None, cur.speaker):
                if cue.text:
                    words[id(cur)].append(cue.text)
                cur.time_end = max(cur.time_end or cue.end, cue.end)
                continue
            if cue.speaker is None:
                pieces.append(Piece(cue.text))
                continue
            cur = Piece(f"{cue.speaker}:", speaker=cue.speaker, time_start=cue.start, time_end=cue.end)
            words[id(cur)] = [cur.text] + ([cue.text] if cue.text else [])
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
        if para is not None and last_end is not None and cue.start - last_end < PARAGRAPH_GAP \
                and len(para.text) < 1000:
            para.text += " " + cue.text
        else:
            para = Piece(cue.text)
            pieces.append(para)
        last_end = cue.end
    return pieces


def read_vtt(path: Path, data: bytes) -> ParsedDocument:
    text, notices = decode_checked(path, data, "WebVTT subtitle")
    if not text.lstrip().startswith("WEBVTT"):
        if "-->" not in text:
            raise fail(path, "this is not a WebVTT file (it does not start with WEBVTT)")
        notices.append("The file does not start with WEBVTT; it was read as subtitles anyway")
    cues, title = parse_vtt_cues(text)
    if not cues:
        raise fail(path, "the subtitle file contains no cues (no lines with -->)")
    _apply_prefixes(cues)
    pieces = ([Piece(title, "heading", 1)] if title else []) + cues_to_pieces(cues)
    return assemble(pieces, "vtt", notices)


def read_srt(path: Path, data: bytes) -> ParsedDocument:
    text, notices = decode_checked(path, data, "SubRip subtitle")
    cues = parse_srt_cues(text)
    if not cues:
        raise fail(path, "this is not a SubRip file: it contains no cues (no lines with -->)")
    _apply_prefixes(cues)
    return assemble(cues_to_pieces(cues), "srt", notices)
