"""Command line for recordings: ``import`` pairs them with transcripts (``--link-media`` links
instead of storing them inside); ``media PROJECT`` lists them, ``--relink ID PATH`` and
``--detach ID`` change one; ``code-time PROJECT DOCUMENT CODE START END`` codes a time range of
a document's recording (times as mm:ss or hh:mm:ss(.fff)) (no Qt)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qcdesk.cli.options import PROJECT
from qcdesk.cli.projects import open_project
from qcdesk.core.errors import OperationError

SUBCOMMANDS = {"media", "code-time"}


def add_import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--link-media", action="store_true",
                   help="link recordings by a path relative to the project instead of storing them inside")


def split(files: list[str]) -> tuple[list[Path], list[Path]]:
    """(recordings, transcripts) among the files named on the command line."""
    from qcdesk.core.media_import import split as split_paths

    return split_paths([Path(f) for f in files])


def import_recordings(project, report, recordings: list[Path], args: argparse.Namespace) -> int:
    """Attach the recordings after the transcripts were imported; print what happened; the
    number of recordings that failed."""
    if not recordings:
        return 0
    from qcdesk.core.media_import import attach_recordings

    done = attach_recordings(project, recordings, report, embed=not args.link_media)
    how = "linked" if args.link_media else "stored"
    for name, doc in done.attached:
        print(f"{how} recording {name} with {doc}")
    for name, doc in done.recordings:
        print(f"imported recording {name} as {doc} (no transcript)")
    for line in done.warnings:
        print(f"warning: {line}", file=sys.stderr)
    for name, reason in done.failed:
        print(f"error: {name}: {reason}", file=sys.stderr)
    if done.disk_full is not None:
        raise done.disk_full
    return len(done.failed)


def cmd_media(args: argparse.Namespace) -> int:
    from qcdesk.core.media import format_duration

    changing = args.relink or args.detach is not None
    with open_project(args.project, read_only=not changing) as project:
        media = project.media
        if args.relink:
            media_id, path = _media_id(media, args.relink[0]), args.relink[1]
            info = media.relink(media_id, path, accept_different=args.accept_different)
            print(f"relinked {info.name} to {info.link_path}")
            return 0
        if args.detach is not None:
            info = media.get(_media_id(media, args.detach))
            media.detach(info.id)
            print(f"detached {info.name} (the transcript stays)")
            return 0
        names = {d.id: d.name for d in project.documents()}
        rows = [{"id": m.id, "document": names.get(m.document_id), "name": m.name, "kind": m.kind,
                 "mime": m.mime, "duration_ms": m.duration_ms, "bytes": m.size, "storage": m.storage,
                 "link_path": m.link_path, "available": media.is_available(m.id)} for m in media.all()]
        if args.json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return 0
        if not rows:
            print("no recordings")
        for r in rows:
            where = "stored" if r["storage"] == "embedded" else f"linked {r['link_path']}"
            state = "available" if r["available"] else "MISSING"
            print(f"{r['id']}\t{r['document']}\t{r['name']}\t{r['kind']}\t"
                  f"{format_duration(r['duration_ms'])}\t{where}\t{state}")
        missing = [r for r in rows if not r["available"]]
        for r in missing:
            print(f"warning: {media.missing_message(r['id'])}", file=sys.stderr)
    return 0


def _media_id(media, text: str) -> int:
    try:
        media_id = int(text)
    except ValueError:
        raise OperationError(f"{text!r} is not a recording id; `qcdesk-cli media PROJECT` lists them.") from None
    media.get(media_id)
    return media_id


def cmd_code_time(args: argparse.Namespace) -> int:
    from qcdesk.core import retrieval_names as names
    from qcdesk.core.time_codings import citation, parse_time

    start, end = parse_time(args.start), parse_time(args.end)  # refused before the project is opened
    with open_project(args.project) as project:
        doc_id = names.document_id(project, args.document)
        code_id = names.code_id(project, args.code)
        if args.coder:
            project.set_coder(args.coder)
        before = {t.id for t in project.time_codings.for_document(doc_id)}
        made = project.time_codings.add(doc_id, code_id, start, end, memo=args.memo or "").value
        where = citation(project.document(doc_id).name, made.start_ms, made.end_ms)
        code = project.code(code_id).name
        if made.id in before:
            print(f"already coded: {where} with “{code}” (nothing changed)")
        else:
            print(f"coded {where} with “{code}”")
    return 0


def register(sub) -> None:
    p = sub.add_parser("code-time", parents=[PROJECT],
                       help="code a time range of a document's recording (a recording without a transcript, say)")
    p.add_argument("document", help="document name")
    p.add_argument("code", help="code name or path (Parent > Child)")
    p.add_argument("start", help="start time: mm:ss or hh:mm:ss, optionally with .fff")
    p.add_argument("end", help="end time: mm:ss or hh:mm:ss, optionally with .fff")
    p.add_argument("--memo", help="a note on this time range")
    p.add_argument("--coder", help="coder name recorded for this session")
    p.set_defaults(func=cmd_code_time)

    p = sub.add_parser("media", parents=[PROJECT], help="list the recordings (name, kind, duration, stored or "
                                                        "linked, available); relink or detach one")
    p.add_argument("--relink", nargs=2, metavar=("ID", "PATH"), help="point a linked recording at PATH")
    p.add_argument("--accept-different", action="store_true",
                   help="with --relink: accept a file that is not the same as the one linked")
    p.add_argument("--detach", metavar="ID", help="remove a recording (its transcript stays)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_media)
