"""Recordings in REFI-QDA packages: ``<AudioSource>`` / ``<VideoSource>`` with the file in
``sources/``, the transcript as a ``<Transcript>`` (the same text file as the document's
``<TextSource>``, so its codings travel as they always did) with a ``<SyncPoint>`` at each
speaker turn's time. A recording without a transcript is a media source of its own. On import,
a transcript's ``<SyncPoint>``s become the document's sync points (what citations and the player
ask :mod:`qcdesk.core.timing` for), their positions counted as the package counts its selections.

The files are copied into and out of the zip in 1 MiB pieces: a recording is never held in
memory whole. On import each recording is unpacked into a private temporary folder (refused
if it would expand more than a stored or lightly compressed file can) and attached.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from qcdesk.core.errors import ImportFailed, QcdeskError
from qcdesk.core.interchange import xml_names as xn
from qcdesk.core import timing
from qcdesk.core.interchange.package import Package
from qcdesk.core.project import Project
from qcdesk.core.time_codings import format_range

_PIECE = 1 << 20
_EXT = {"audio/wav": ".wav", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/ogg": ".ogg",
        "video/ogg": ".ogv", "audio/flac": ".flac", "video/mp4": ".mp4", "video/quicktime": ".mov",
        "video/webm": ".webm", "audio/webm": ".webm", "video/x-matroska": ".mkv"}
#: a recording member compressed more than this is not a recording (they hardly compress)
MAX_MEDIA_RATIO = 50


def media_only(project: Project, doc_id: int, char_count: int) -> bool:
    """A recording with no transcript: written as a media source only, not as an empty text."""
    return char_count == 0 and project.media.for_document(doc_id) is not None


def write_sources(sources: etree._Element, project: Project, ids, sub, report, descriptions=None,
                  doc_notes=None, written_as_description: set[int] | None = None) -> dict[str, int]:
    """Add a media source for every recording under ``<Sources>``; return member name -> media id.

    A recording with a transcript gets its own GUID and a ``<Transcript>`` naming the text file of
    the document's ``<TextSource>``; a recording without one *is* the document: it takes the
    document's GUID, description (``descriptions``: document id -> memo) and notes."""
    files: dict[str, int] = {}
    descriptions, doc_notes = descriptions or {}, doc_notes or {}
    for info in project.media.all():
        if not project.media.is_available(info.id):
            report.warn(f"The recording {info.name} is missing, so it was not exported "
                        "(its transcript was).", group="missing recordings")
            continue
        doc = project.document(info.document_id) if info.document_id is not None else None
        alone = doc is None or not doc.char_count
        guid = ids("document", doc.id) if doc is not None and alone else ids("media", info.id)
        member = f"{guid}{_EXT.get(info.mime, PurePosixPath(info.name).suffix or '.bin')}"
        tag = "VideoSource" if info.kind == "video" else "AudioSource"
        src = sub(sources, tag, guid=guid, name=(doc.name if doc else info.name), path=f"internal://{member}")
        if doc is not None and alone:
            memo = descriptions.get(doc.id)
            if memo is not None:
                sub(src, "Description").text = memo.body
                if written_as_description is not None:
                    written_as_description.add(memo.id)
            write_time_selections(src, project, doc.id, info.kind, ids, sub, report)
            for note in doc_notes.get(doc.id, []):
                sub(src, "NoteRef", targetGUID=note)
        elif doc is not None:
            transcript = sub(src, "Transcript", guid=ids("transcript", doc.id), name=doc.name,
                             plainTextPath=f"internal://{ids('document', doc.id)}.txt")
            seen: set[int] = set()
            for position, seconds in timing.time_points(project, doc.id):  # turns' starts and cue/stamp times
                if position not in seen:
                    seen.add(position)
                    sub(transcript, "SyncPoint", guid=ids("syncpoint", (doc.id, position)),
                        timeStamp=str(int(round(seconds * 1000))), position=str(position))
            write_time_selections(src, project, doc.id, info.kind, ids, sub, report)
        files[member] = info.id
        report.wrote("recordings")
    return files


def write_time_selections(src: etree._Element, project: Project, doc_id: int, kind: str, ids, sub, report) -> None:
    """The document's time codings as ``<AudioSelection>``/``<VideoSelection>`` (begin and end in
    milliseconds), one per range, each with its ``<Coding>``s; a time coding's memo is the
    selection's ``<Description>`` (the first one's, as for text selections)."""
    from qcdesk.core.interchange.refi_export import _when, _xml_safe  # noqa: PLC0415 - it imports this module

    coders = {c.id for c in project.coders()}
    by_range: dict[tuple[int, int], list] = {}
    for item in project.time_codings.for_document(doc_id):
        by_range.setdefault((item.start_ms, item.end_ms), []).append(item)
    tag = "VideoSelection" if kind == "video" else "AudioSelection"
    for (begin, end), items in sorted(by_range.items()):
        first = items[0]
        sel = sub(src, tag, guid=ids("time selection", (doc_id, begin, end)), name=format_range(begin, end),
                  begin=str(begin), end=str(end),
                  creatingUser=ids("coder", first.coder_id) if first.coder_id in coders else None,
                  creationDateTime=_when(first.created_at))
        memo = next((i.memo for i in items if i.memo.strip()), "")
        if memo:
            sub(sel, "Description").text = _xml_safe(memo)
        for item in items:
            coding = sub(sel, "Coding", guid=ids("time coding", item.id),
                         creatingUser=ids("coder", item.coder_id) if item.coder_id in coders else None,
                         creationDateTime=_when(item.created_at))
            sub(coding, "CodeRef", targetGUID=ids("code", item.code_id))
            report.wrote("time codings")


def import_time_selections(project: Project, elem: etree._Element, doc_id: int, name: str, writer, report) -> None:
    """Code the recording of ``doc_id`` with the ``<Coding>``s of the media source's time
    selections (``writer``: the import's code GUIDs and coders). A selection the recording cannot
    hold, or a coding of an unknown code, is left out with a line in the report."""
    from qcdesk.core.interchange.refi_export import _when  # noqa: PLC0415 - it imports this module

    for sel in [*xn.children(elem, "AudioSelection"), *xn.children(elem, "VideoSelection")]:
        codings = xn.children(sel, "Coding")
        description = xn.child(sel, "Description")
        memo = (description.text or "").strip() if description is not None else ""
        try:
            begin, end = int(sel.get("begin") or ""), int(sel.get("end") or "")
        except ValueError:
            begin, end = -1, -1
        for i, coding in enumerate(codings):
            ref = xn.child(coding, "CodeRef")
            code_id = writer.code_ids.get(xn.norm_guid(ref.get("targetGUID") or "")) if ref is not None else None
            if code_id is None:
                report.warn(f"A time coding of the recording “{name}” refers to a code that is not in the "
                            "codebook; it was left out.", group="codings of unknown codes")
                report.unmapped_item("codings of unknown codes")
                continue
            user = coding.get("creatingUser") or sel.get("creatingUser")
            when = coding.get("creationDateTime") or sel.get("creationDateTime")
            try:
                before = {t.id for t in project.time_codings.for_document(doc_id)}
                made = project.time_codings.add(
                    doc_id, code_id, begin, end, memo=memo if i == 0 else "",
                    coder_id=writer.coder(xn.norm_guid(user) if user else None),
                    created_at=when if _when(when) else None, from_file=True).value
            except QcdeskError as exc:
                report.warn(f"A time selection {sel.get('begin')}–{sel.get('end')} ms of the recording “{name}” "
                            f"was not imported: {exc}", group="time selections refused")
                report.unmapped_item("time selections refused")
                break
            if made.id in before:
                report.match("time codings")
            else:
                report.add("time codings")
        if not codings:
            report.warn(f"A time selection without a code of the recording “{name}” was not kept.",
                        group="time selections without codes")
            report.unmapped_item("time selections without codes")


def standalone(elem: etree._Element, text_paths: set[str]) -> bool:
    """Whether a media source is a document of its own: none of its transcripts is the text of a
    ``<TextSource>`` (whose keys, from :func:`text_key`, are ``text_paths``)."""
    return not any(text_key(t.get("plainTextPath") or "") in text_paths for t in xn.children(elem, "Transcript"))


def write_files(zf: zipfile.ZipFile, project: Project, files: dict[str, int]) -> None:
    """Copy each recording into ``sources/`` (stored: recordings are compressed already)."""
    for member, media_id in files.items():
        entry = zipfile.ZipInfo(f"sources/{member}")
        entry.compress_type = zipfile.ZIP_STORED
        with project.media.open(media_id) as reader, zf.open(entry, "w", force_zip64=True) as out:
            shutil.copyfileobj(reader, out, _PIECE)


def import_media(project: Project, path: Path, root: etree._Element, docs: dict[str, int], report,
                 writer=None) -> None:
    """Attach each media source's file: to the document of its transcript (found by the text file
    both name), or to the document the reader made of a media source of its own (under the
    source's GUID). Runs inside the import's action."""
    sources = xn.child(root, "Sources")
    elems = [e for e in (sources if sources is not None else []) if xn.local(e.tag) in ("AudioSource", "VideoSource")]
    if not elems:
        return
    assert sources is not None
    by_text = {text_key(e.get("plainTextPath") or ""): docs[xn.norm_guid(e.get("guid") or "")]
               for e in sources if xn.local(e.tag) == "TextSource"
               and xn.norm_guid(e.get("guid") or "") in docs and e.get("plainTextPath")}
    # a text file's key -> its text source's GUID -> what the reader made of it (its positions)
    text_specs = {text_key(e.get("plainTextPath") or ""): xn.norm_guid(e.get("guid") or "")
                  for e in sources if xn.local(e.tag) == "TextSource" and e.get("plainTextPath")}
    specs = {s.guid: s for s in writer.r.sources} if writer is not None else {}
    package = Package(path)
    scratch = Path(tempfile.mkdtemp(prefix="qcdesk-qdpx-media-"))  # 0700: this user only
    try:
        for elem in elems:
            name = (elem.get("name") or "").strip() or "Recording"
            doc_id = None
            transcript = None
            for candidate in xn.children(elem, "Transcript"):
                doc_id = by_text.get(text_key(candidate.get("plainTextPath") or ""))
                if doc_id is not None:
                    transcript = candidate
                    break
            if doc_id is None:
                doc_id = docs.get(xn.norm_guid(elem.get("guid") or ""))
                transcript = _own_transcript(elem)
            if writer is not None and transcript is not None and doc_id is not None:
                spec = specs.get(text_specs.get(text_key(transcript.get("plainTextPath") or ""), "")) \
                    or specs.get(xn.norm_guid(elem.get("guid") or ""))
                if spec is not None:
                    import_sync_points(project, transcript, doc_id, spec.positions, writer.scheme, name, report)
            ref = elem.get("path") or elem.get("currentPath") or ""
            member = package.find_source(ref) if ref else None
            if member is None:
                report.warn(f"The recording of “{name}” is not inside the package ({ref or 'no path'}); "
                            "it was not imported.", group="recordings not in the package")
                report.unmapped_item("recordings outside the package")
                _time_selections_lost(elem, name, report)
                continue
            local = scratch / (PurePosixPath(member.filename).name or "recording")
            try:
                sha = _unpack(path, package.zip, member, local)
                have = project.media.for_document(doc_id) if doc_id is not None else None
                if have is not None and have.sha256 == sha:
                    report.match("recordings")
                elif doc_id is not None and have is None:
                    project.media.attach(doc_id, local)
                    report.add("recordings")
                else:
                    doc_id, _info = project.media.add_recording(local, name=name)
                    report.add("recordings")
            except QcdeskError as exc:
                report.warn(f"The recording of “{name}” was not imported: {exc}", group="recordings refused")
                report.unmapped_item("recordings refused")
                _time_selections_lost(elem, name, report)
                continue
            finally:
                local.unlink(missing_ok=True)
            if writer is not None:
                assert doc_id is not None  # attached to it, or made by add_recording
                import_time_selections(project, elem, doc_id, name, writer, report)
    finally:
        package.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _own_transcript(elem: etree._Element) -> etree._Element | None:
    """The transcript whose text a media source of its own was given (the first with a text,
    as the reader takes it)."""
    for transcript in xn.children(elem, "Transcript"):
        content = xn.child(transcript, "PlainTextContent")
        if (content is not None and content.text) or transcript.get("plainTextPath"):
            return transcript
    return None


def import_sync_points(project: Project, transcript: etree._Element, doc_id: int, positions, scheme: str,
                       name: str, report) -> None:
    """Store the ``<SyncPoint>``s of ``transcript`` as sync points of ``doc_id`` (positions mapped
    by ``positions``, a :class:`~qcdesk.core.interchange.positions.PositionMap`, under the
    package's ``scheme``). A position that already has a time (a turn's start, a sync point: the
    same package imported again) keeps it; one outside the text or without a time is left out
    with a line in the report."""
    known = {p for p, _s in timing.time_points(project, doc_id)}
    new: dict[int, float] = {}
    for point in xn.children(transcript, "SyncPoint"):
        try:
            ms, raw = int(point.get("timeStamp") or ""), int(point.get("position") or "")
        except ValueError:
            ms, raw = -1, -1
        mapped = positions.map(scheme, raw, raw) if ms >= 0 else None
        if mapped is None:
            report.warn(f"A sync point of the transcript of “{name}” ({point.get('timeStamp')} ms at "
                        f"{point.get('position')}) lies outside its text or has no time; it was left out.",
                        group="sync points left out")
            report.unmapped_item("sync points outside the text or without a time")
            continue
        if mapped[0] in known:
            report.match("sync points")
        elif mapped[0] not in new:
            new[mapped[0]] = ms / 1000
            report.add("sync points")
    project.documents.add_sync_points(doc_id, sorted(new.items()))


def text_key(ref: str) -> str:
    """A text file reference reduced to its file name, for matching (``internal://X.txt`` -> ``x.txt``)."""
    ref = ref.strip()
    if ref.lower().startswith("internal://"):
        ref = ref[len("internal://"):]
    return PurePosixPath(ref.replace("\\", "/")).name.lower()


def _unpack(path: Path, zf: zipfile.ZipFile, member: zipfile.ZipInfo, out: Path) -> str:
    """Copy a member out in pieces, stopping at its declared size (a lying header is a bomb);
    return its SHA-256."""
    if member.compress_size and member.file_size > max(1 << 20, member.compress_size * MAX_MEDIA_RATIO):
        raise ImportFailed(str(path), f"the recording {member.filename} is compressed more than a "
                                      "recording can be; it may be a zip bomb")
    written, digest = 0, hashlib.sha256()
    with zf.open(member) as src, open(out, "wb") as dst:
        for piece in iter(lambda: src.read(_PIECE), b""):
            written += len(piece)
            digest.update(piece)
            if written > member.file_size:
                raise ImportFailed(str(path), f"the recording {member.filename} is larger than the "
                                              "package says; it may be a zip bomb")
            dst.write(piece)
    return digest.hexdigest()



def _time_selections_lost(elem: etree._Element, name: str, report) -> None:
    selections = len(xn.children(elem, "AudioSelection")) + len(xn.children(elem, "VideoSelection"))
    if selections:
        report.warn(f"{selections} time selection(s) of the recording “{name}” were not imported: the "
                    "recording was not.", group="time selections")
        report.unmapped_item("time selections", selections)
