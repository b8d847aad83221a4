"""Importing transcripts and recordings together: a recording goes to the transcript of the
same name (``interview.vtt`` + ``interview.m4a``), one without a transcript becomes a
recording-only source (an audio diary). Used by the command line and the window alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qcdesk.core.errors import DiskFullError, QcdeskError
from qcdesk.core.importing import ImportReport, document_name
from qcdesk.core.media_formats import EXTENSIONS
from qcdesk.core.project import Project
from qcdesk.core.safe_names import shown_name


def is_recording(path: Path) -> bool:
    """Whether a file is taken for a recording (by its extension; its content decides the rest)."""
    return Path(path).suffix.lower() in EXTENSIONS


def split(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(recordings, other files), each in the order given."""
    recordings = [Path(p) for p in paths if is_recording(Path(p))]
    return recordings, [Path(p) for p in paths if not is_recording(Path(p))]


@dataclass
class MediaImportReport:
    #: (recording file, document name) for recordings attached to a transcript
    attached: list[tuple[str, str]] = field(default_factory=list)
    #: (recording file, document name) for recordings that became sources of their own
    recordings: list[tuple[str, str]] = field(default_factory=list)
    #: (recording file, why) for recordings refused
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: things to tell (a recording shorter than its transcript)
    warnings: list[str] = field(default_factory=list)
    disk_full: DiskFullError | None = None


def _stem_key(name: str) -> str:
    return Path(name).stem.casefold()


def attach_recordings(project: Project, recordings: list[Path], report: ImportReport | None = None,
                      *, embed: bool = True) -> MediaImportReport:
    """Attach each recording to the transcript of the same name (imported just now in ``report``,
    else already in the project without a recording), or add it as a source of its own."""
    out = MediaImportReport()
    fresh = {_stem_key(d.source_name or d.name): d for d in (report.imported if report else [])}
    for path in recordings:
        shown = shown_name(path.name)
        try:
            doc = fresh.get(_stem_key(path.name)) or _existing_transcript(project, path)
            if doc is not None:
                info = project.media.attach(doc.id, path, embed=embed)
                out.attached.append((shown, doc.name))
            else:
                doc_id, info = project.media.add_recording(path, name=document_name(path), embed=embed)
                out.recordings.append((shown, project.document(doc_id).name))
            warning = project.media.timing_warning(info.id)
            if warning:
                out.warnings.append(warning)
        except DiskFullError as exc:
            out.disk_full = exc.saying(f"{shown} was not stored; nothing of it was kept")
            break
        except QcdeskError as exc:
            out.failed.append((shown, str(exc)))
    return out


def _existing_transcript(project: Project, path: Path):
    key = _stem_key(path.name)
    for doc in project.documents():
        if _stem_key(doc.source_name or doc.name) == key and doc.char_count and \
                project.media.for_document(doc.id) is None:
            return doc
    return None
