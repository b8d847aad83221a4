"""What a recording is, from its bytes: kind (audio or video), MIME type and duration.

The extension is not trusted: the first bytes decide the container (wav, mp3, m4a/mp4/mov,
ogg, flac, webm/mkv); the duration is read with :mod:`wave` (wav), ``mutagen`` (mp3, mp4
family, ogg, flac) or a small EBML reader (webm). A file whose container is recognised but
cannot be parsed is corrupt; anything else is unsupported. Only headers and indexes are read,
never a whole recording.
"""

from __future__ import annotations

import io
import math
import re
import struct
import wave
from dataclasses import dataclass
from typing import BinaryIO

#: the extensions offered in file dialogs and recognised by the command-line import
EXTENSIONS = (".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".mp4", ".m4v", ".mov", ".webm",
              ".mkv")
#: the most of an MP4 ``moov`` box (the index) read to find a video track
_MAX_MOOV = 64 * 1024 * 1024


class FormatError(Exception):
    """The bytes are not a recording qcdesk can use; ``str()`` says why, in words."""


@dataclass(frozen=True)
class Detected:
    kind: str  # 'audio' | 'video'
    mime: str
    duration_ms: int | None


def _ms(seconds: float | None) -> int | None:
    if seconds is None or math.isnan(seconds) or seconds < 0:
        return None
    return int(round(seconds * 1000))


def _skip_id3(head: bytes) -> int:
    if head[:3] == b"ID3" and len(head) >= 10:
        size = 0
        for b in head[6:10]:
            size = (size << 7) | (b & 0x7F)
        return 10 + size + (10 if head[5] & 0x10 else 0)
    return 0


def detect(fh: BinaryIO) -> Detected:
    """Kind, MIME type and duration of the recording open in ``fh`` (binary, seekable)."""
    fh.seek(0)
    head = fh.read(64)
    if not head:
        raise FormatError("the file is empty")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _wav(fh)
    if head[4:8] == b"ftyp":
        return _isobmff(fh, head)
    if head[:4] == b"OggS":
        return _ogg(fh)
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return _ebml(fh)
    offset = _skip_id3(head)
    if offset:
        fh.seek(offset)
        after = fh.read(4)
        if after == b"fLaC":
            return _mutagen(fh, "flac", "audio", "audio/flac")
        return _mutagen(fh, "mp3", "audio", "audio/mpeg")
    if head[:4] == b"fLaC":
        return _mutagen(fh, "flac", "audio", "audio/flac")
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return _mutagen(fh, "mp3", "audio", "audio/mpeg")
    raise FormatError("it is not a recording qcdesk can play (wav, mp3, m4a, ogg, flac, mp4, mov "
                      "or webm)")


def _wav(fh: BinaryIO) -> Detected:
    fh.seek(0)
    try:
        with wave.open(fh) as w:
            rate, frames = w.getframerate(), w.getnframes()
    except (wave.Error, EOFError, struct.error, RuntimeError, ValueError, OverflowError) as exc:
        raise FormatError(f"the WAV file is damaged or uses an encoding qcdesk cannot read ({exc})") from None
    if rate <= 0:
        raise FormatError("the WAV file is damaged (its sample rate is 0)")
    return Detected("audio", "audio/wav", _ms(frames / rate))


def _mutagen(fh: BinaryIO, fmt: str, kind: str, mime: str) -> Detected:
    import mutagen
    from mutagen.flac import FLAC
    from mutagen.mp3 import MP3
    from mutagen.mp4 import MP4
    from mutagen.oggflac import OggFLAC
    from mutagen.oggopus import OggOpus
    from mutagen.oggspeex import OggSpeex
    from mutagen.oggtheora import OggTheora
    from mutagen.oggvorbis import OggVorbis

    fh.seek(0)
    try:
        if fmt == "ogg":
            parsed = mutagen.File(fh, options=[OggVorbis, OggOpus, OggFLAC, OggSpeex, OggTheora])
            if parsed is None:
                raise FormatError("the Ogg file holds no audio qcdesk can read")
        else:
            parsed = {"mp3": MP3, "flac": FLAC, "mp4": MP4}[fmt](fh)
        length = parsed.info.length
    except FormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - mutagen raises many kinds for a damaged file
        what = {"mp3": "MP3", "flac": "FLAC", "mp4": "MP4", "ogg": "Ogg"}[fmt]
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise FormatError(f"the {what} file is damaged or incomplete ({detail})") from None
    if fmt == "mp3" and not length:
        raise FormatError("the MP3 file holds no audio frames")
    return Detected(kind, mime, _ms(length))


def _isobmff(fh: BinaryIO, head: bytes) -> Detected:
    brand = head[8:12]
    video = _mp4_has_video(fh)
    kind = "video" if video else "audio"
    if brand == b"qt  ":
        mime = "video/quicktime"
    else:
        mime = "video/mp4" if video else "audio/mp4"
    return _mutagen(fh, "mp4", kind, mime)


def _mp4_has_video(fh: BinaryIO) -> bool:
    """Whether the ``moov`` box declares a video track (a ``hdlr`` of type ``vide``)."""
    fh.seek(0, io.SEEK_END)
    end = fh.tell()
    pos = 0
    while pos + 8 <= end:
        fh.seek(pos)
        header = fh.read(16)
        if len(header) < 8:
            break
        size, box = struct.unpack(">I4s", header[:8])
        body = 8
        if size == 1 and len(header) >= 16:
            size, body = struct.unpack(">Q", header[8:16])[0], 16
        elif size == 0:
            size = end - pos
        if size < body:
            raise FormatError("the MP4 file is damaged (a box of impossible size)")
        if box == b"moov":
            if size > _MAX_MOOV:
                raise FormatError("the MP4 file's index is implausibly large")
            fh.seek(pos + body)
            return re.search(rb"hdlr.{8}vide", fh.read(size - body), re.DOTALL) is not None
        pos += size
    raise FormatError("the MP4 file is incomplete: its index (moov) is missing; the recording may "
                      "have been cut off while it was being written or copied")


def _ogg(fh: BinaryIO) -> Detected:
    fh.seek(0)
    first = fh.read(4096)
    if b"\x80theora" in first:
        parsed = _mutagen(fh, "ogg", "video", "video/ogg")
        return parsed
    return _mutagen(fh, "ogg", "audio", "audio/ogg")


# ---------------------------------------------------------------------- webm / matroska
_EBML, _SEGMENT, _INFO, _TRACKS = 0x1A45DFA3, 0x18538067, 0x1549A966, 0x1654AE6B
_DOCTYPE, _TIMESCALE, _DURATION, _TRACK_ENTRY, _TRACK_TYPE = 0x4282, 0x2AD7B1, 0x4489, 0xAE, 0x83
_UNKNOWN = -1


def _vint(fh: BinaryIO, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer: (value, bytes read); value -1 for 'unknown size'."""
    first = fh.read(1)
    if not first:
        raise EOFError
    b = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not b & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise FormatError("the WebM file is damaged (a bad element header)")
    rest = fh.read(length - 1)
    if len(rest) < length - 1:
        raise EOFError
    value = b if keep_marker else b & (mask - 1)
    for x in rest:
        value = (value << 8) | x
    if not keep_marker and value == (1 << (7 * length)) - 1:
        value = _UNKNOWN
    return value, length


def _ebml(fh: BinaryIO) -> Detected:
    fh.seek(0, io.SEEK_END)
    end = fh.tell()
    fh.seek(0)
    doctype, scale, duration, video, audio_tracks = None, 1_000_000, None, False, 0
    try:
        ident, _ = _vint(fh, keep_marker=True)
        size, _ = _vint(fh, keep_marker=False)
        header_end = fh.tell() + size
        while fh.tell() < header_end:
            ident, _ = _vint(fh, keep_marker=True)
            size, _ = _vint(fh, keep_marker=False)
            data = fh.read(size)
            if ident == _DOCTYPE:
                doctype = data.rstrip(b"\0").decode("ascii", "replace")
        if doctype not in ("webm", "matroska"):
            raise FormatError(f"it is an EBML file of type {doctype!r}, not a WebM or Matroska recording")
        ident, _ = _vint(fh, keep_marker=True)
        size, _ = _vint(fh, keep_marker=False)
        if ident != _SEGMENT:
            raise FormatError("the WebM file is damaged (no segment after its header)")
        segment_end = end if size == _UNKNOWN else min(end, fh.tell() + size)
        seen_tracks = seen_info = False
        while fh.tell() < segment_end and not (seen_tracks and seen_info):
            ident, _ = _vint(fh, keep_marker=True)
            size, _ = _vint(fh, keep_marker=False)
            start = fh.tell()
            if size == _UNKNOWN:
                break  # a cluster streamed without a size: the header part is over
            if ident == _INFO:
                seen_info = True
                while fh.tell() < start + size:
                    sub, _ = _vint(fh, keep_marker=True)
                    sub_size, _ = _vint(fh, keep_marker=False)
                    data = fh.read(sub_size)
                    if sub == _TIMESCALE:
                        scale = int.from_bytes(data, "big") or scale
                    elif sub == _DURATION and len(data) in (4, 8):
                        duration = struct.unpack(">f" if len(data) == 4 else ">d", data)[0]
            elif ident == _TRACKS:
                seen_tracks = True
                body = fh.read(size)
                for kind in _track_types(body):
                    video = video or kind == 1
                    audio_tracks += kind == 2
            fh.seek(start + size)
    except EOFError:
        raise FormatError("the WebM file is incomplete (it ends inside its header)") from None
    if not (video or audio_tracks):
        raise FormatError("the WebM file is damaged or holds no audio or video track")
    seconds = None if duration is None else duration * scale / 1e9
    mime = ("video/webm" if video else "audio/webm") if doctype == "webm" else "video/x-matroska"
    return Detected("video" if video else "audio", mime, _ms(seconds))


def _track_types(body: bytes) -> list[int]:
    """The TrackType of every TrackEntry in a Tracks element's body."""
    out = []
    fh = io.BytesIO(body)
    while fh.tell() < len(body):
        ident, _ = _vint(fh, keep_marker=True)
        size, _ = _vint(fh, keep_marker=False)
        data = fh.read(size)
        if ident == _TRACK_ENTRY:
            inner = io.BytesIO(data)
            while inner.tell() < len(data):
                sub, _ = _vint(inner, keep_marker=True)
                sub_size, _ = _vint(inner, keep_marker=False)
                value = inner.read(sub_size)
                if sub == _TRACK_TYPE:
                    out.append(int.from_bytes(value, "big"))
    return out
