"""Recordings in REFI-QDA packages: ``<AudioSource>`` / ``<VideoSource>`` with the file in
``sources/``, the transcript as a ``<Transcript>`` (the same text file as the document's
``<TextSource>``, so its codings travel as they always did) with a ``<SyncPoint>`` at each
speaker turn's time. A recording without a transcript is a media source of its own.

The files are copied into and out of the zip in 1 MiB pieces: a recording is never held in
memory whole. On import each recording is unpacked into a private temporary folder (refused
if it would expand more than a stored or lightly compressed file can) and attached.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from qcdesk.core.errors import ImportFailed, QcdeskError
from qcdesk.core.interchange import xml_names as xn
from qcdesk.core.interchange.package import Package
from qcdesk.core.project import Project

_PIECE = 1 << 20
_EXT = {"audio/wav": ".wav", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/ogg": ".ogg",
        "video/ogg": ".ogv", "audio/flac": ".flac", "video/mp4": ".mp4", "video/quicktime": ".mov",
        "video/webm": ".webm", "audio/webm": ".webm", "video/x-matroska": ".mkv"}
#: a recording member compressed more than this is not a recording (they hardly compress)
MAX_MEDIA_RATIO = 50


def media_only(project: Project, doc_id: int, char_count: int) -> bool:
    """A recording with no transcript: written as a media source only, not as an empty text."""
    return char_count == 0 and project.media.for_document(doc_id) is not None


def write_sources(sources: etree._Element, project: Project, ids, sub, report) -> dict[str, int]:
    """Add a media source for every recording under ``<Sources>``; return member name -> media id."""
    files: dict[str, int] = {}
    for info in project.media.all():
        if not project.media.is_available(info.id):
            report.warn(f"The recording {info.name} is missing, so it was not exported "
                        "(its transcript was).", group="missing recordings")
            continue
        guid = ids("media", info.id)
        member = f"{guid}{_EXT.get(info.mime, PurePosixPath(info.name).suffix or '.bin')}"
        tag = "VideoSource" if info.kind == "video" else "AudioSource"
        doc = project.document(info.document_id) if info.document_id is not None else None
        src = sub(sources, tag, guid=guid, name=(doc.name if doc else info.name), path=f"internal://{member}")
        if doc is not None and doc.char_count:
            transcript = sub(src, "Transcript", guid=ids("transcript", doc.id), name=doc.name,
                             plainTextPath=f"internal://{ids('document', doc.id)}.txt")
            for turn in project.speaker_turns(doc.id):
                if turn.time_start is not None:
                    sub(transcript, "SyncPoint", guid=ids("syncpoint", (doc.id, turn.start)),
                        timeStamp=str(int(round(turn.time_start * 1000))), position=str(turn.start))
        files[member] = info.id
        report.wrote("recordings")
    return files


def write_files(zf: zipfile.ZipFile, project: Project, files: dict[str, int]) -> None:
    """Copy each recording into ``sources/`` (stored: recordings are compressed already)."""
    for member, media_id in files.items():
        entry = zipfile.ZipInfo(f"sources/{member}")
        entry.compress_type = zipfile.ZIP_STORED
        with project.media.open(media_id) as reader, zf.open(entry, "w", force_zip64=True) as out:
            shutil.copyfileobj(reader, out, _PIECE)


def import_media(project: Project, path: Path, root: etree._Element, docs: dict[str, int], report) -> None:
    """Attach each media source's file: to the document of its transcript (found by the text file
    both name), else as a recording of its own. Runs inside the import's action."""
    sources = xn.child(root, "Sources")
    elems = [e for e in (sources if sources is not None else []) if xn.local(e.tag) in ("AudioSource", "VideoSource")]
    if not elems:
        return
    by_text = {_key(e.get("plainTextPath") or ""): docs[xn.norm_guid(e.get("guid") or "")]
               for e in sources if xn.local(e.tag) == "TextSource"
               and xn.norm_guid(e.get("guid") or "") in docs and e.get("plainTextPath")}
    package = Package(path)
    scratch = Path(tempfile.mkdtemp(prefix="qcdesk-qdpx-media-"))  # 0700: this user only
    try:
        for elem in elems:
            name = (elem.get("name") or "").strip() or "Recording"
            ref = elem.get("path") or elem.get("currentPath") or ""
            member = package.find_source(ref) if ref else None
            if member is None:
                report.warn(f"The recording of “{name}” is not inside the package ({ref or 'no path'}); "
                            "it was not imported.", group="recordings not in the package")
                report.unmapped_item("recordings outside the package")
                continue
            doc_id = None
            for transcript in xn.children(elem, "Transcript"):
                doc_id = by_text.get(_key(transcript.get("plainTextPath") or ""))
                if doc_id is not None:
                    break
            if doc_id is None and xn.children(elem, "Transcript"):
                report.warn(f"The transcript inside the media source “{name}” was not imported (qcdesk reads "
                            "transcripts given as text sources); the recording was.", group="transcripts")
                report.unmapped_item("transcripts inside media sources")
            local = scratch / (PurePosixPath(member.filename).name or "recording")
            _unpack(path, package.zip, member, local)
            try:
                if doc_id is not None and project.media.for_document(doc_id) is None:
                    project.media.attach(doc_id, local)
                else:
                    project.media.add_recording(local, name=name)
            except QcdeskError as exc:
                report.warn(f"The recording of “{name}” was not imported: {exc}", group="recordings refused")
                report.unmapped_item("recordings refused")
                continue
            finally:
                local.unlink(missing_ok=True)
            report.add("recordings")
    finally:
        package.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _key(ref: str) -> str:
    ref = ref.strip()
    if ref.lower().startswith("internal://"):
        ref = ref[len("internal://"):]
    return PurePosixPath(ref.replace("\\", "/")).name.lower()


def _unpack(path: Path, zf: zipfile.ZipFile, member: zipfile.ZipInfo, out: Path) -> None:
    """Copy a member out in pieces, stopping at its declared size (a lying header is a bomb)."""
    if member.compress_size and member.file_size > max(1 << 20, member.compress_size * MAX_MEDIA_RATIO):
        raise ImportFailed(str(path), f"the recording {member.filename} is compressed more than a "
                                      "recording can be; it may be a zip bomb")
    written = 0
    with zf.open(member) as src, open(out, "wb") as dst:
        for piece in iter(lambda: src.read(_PIECE), b""):
            written += len(piece)
            if written > member.file_size:
                raise ImportFailed(str(path), f"the recording {member.filename} is larger than the "
                                              "package says; it may be a zip bomb")
            dst.write(piece)

