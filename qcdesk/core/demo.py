"""The bundled demo project: invented transcripts, a small codebook and codings (no Qt).

The demo is built from ``resources/demo`` through the same operations a user's
project goes through (import, codebook, apply code), so it always matches what
the current importers produce. Codings are stored in ``codebook.json`` as quotes,
not offsets; each is looked up in the imported text, and a quote that cannot be
found is an error (a broken demo must fail loudly, not open half-coded).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qcdesk.core.errors import QcdeskError
from qcdesk.core.importing import import_files
from qcdesk.core.project import Project
from qcdesk.paths import resource_path, user_data_dir

DEMO_CODER = "Demo coder"
DEMO_FILE_NAME = "qcdesk-demo.qcdesk"


class DemoError(QcdeskError):
    """The bundled demo material is inconsistent (a missing file, code or quote)."""


@dataclass(frozen=True)
class DemoCoding:
    document: str
    code: str
    quote: str


def demo_dir() -> Path:
    return resource_path("demo")


def demo_transcripts() -> list[Path]:
    """The demo transcripts in their fixed import order (by file name)."""
    return sorted(demo_dir().glob("*.txt"), key=lambda p: p.name)


def load_demo_codebook() -> dict:
    """``codebook.json`` as read: ``{"codes": [...], "codings": [...]}``."""
    return json.loads(resource_path("demo", "codebook.json").read_text(encoding="utf-8"))


def demo_codings() -> list[DemoCoding]:
    return [DemoCoding(c["document"], c["code"], c["quote"]) for c in load_demo_codebook()["codings"]]


def _split_path(path: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in path.split("/"))
    if not parts or not all(parts):
        raise DemoError(f"The demo codebook has an invalid code path {path!r}.")
    return parts


def build_demo_project(path: Path) -> Path:
    """Create the demo project at ``path`` (which must not exist) and return ``path``."""
    path = Path(path)
    if path.exists():
        raise DemoError(f"{path} already exists; the demo is only built into a new file.")
    book = load_demo_codebook()
    files = demo_transcripts()
    if not files:
        raise DemoError(f"No demo transcripts were found in {demo_dir()}.")
    with Project.create(path) as project:
        report = import_files(project, files, skip_duplicates=False)
        if report.failed or len(report.imported) != len(files):
            problems = "; ".join(f"{name}: {why}" for name, why in [*report.failed, *report.skipped])
            raise DemoError(f"The demo transcripts could not all be imported ({problems}).")
        docs = {source: doc for source, doc in zip((f.name for f in files), report.imported)}
        project.set_coder(DEMO_CODER)

        code_ids: dict[tuple[str, ...], int] = {}
        for entry in book["codes"]:
            parts = _split_path(entry["path"])
            parent = parts[:-1]
            if parent and parent not in code_ids:
                raise DemoError(f"Demo code {entry['path']!r} is listed before its parent.")
            code = project.codebook.add(parts[-1], parent_id=code_ids[parent] if parent else None,
                                    color=entry["color"], description=entry.get("description", "")).value
            code_ids[parts] = code.id

        for item in demo_codings():
            doc = docs.get(item.document)
            if doc is None:
                raise DemoError(f"Demo coding refers to {item.document!r}, which is not a demo transcript.")
            code_id = code_ids.get(_split_path(item.code))
            if code_id is None:
                raise DemoError(f"Demo coding refers to the unknown code {item.code!r}.")
            start = project.document_text(doc.id).find(item.quote)
            if start < 0 or not item.quote:
                raise DemoError(f"Demo quote not found in {item.document}: {item.quote!r}")
            project.codings.apply(doc.id, code_id, start, start + len(item.quote))
        _add_cases_and_memos(project, docs, code_ids)
        project.set_info("demo", "1")
    return path


def _add_cases_and_memos(project: Project, docs: dict, code_ids: dict[tuple[str, ...], int]) -> None:
    """Participants with typed attributes, the journal and a code memo, from ``cases.json``."""

    book = json.loads(resource_path("demo", "cases.json").read_text(encoding="utf-8"))
    attr_ids = {}
    for entry in book["attributes"]:
        attr = project.attributes.define(entry["name"], entry["type"], entry.get("choices", ()))
        attr_ids[entry["name"]] = attr.id
    for entry in book["cases"]:
        doc = docs.get(entry["document"])
        if doc is None:
            raise DemoError(f"Demo case {entry['name']!r} refers to {entry['document']!r}, "
                            "which is not a demo transcript.")
        case = project.cases.add(entry["name"], entry.get("description", "")).value
        project.cases.link_documents(case.id, [doc.id])
        for name, value in entry["values"].items():
            if name not in attr_ids:
                raise DemoError(f"Demo case {entry['name']!r} sets the undefined attribute {name!r}.")
            project.attributes.set_value(case.id, attr_ids[name], value)
    for entry in book["memos"]:
        target = {}
        if "code" in entry:
            code_id = code_ids.get(_split_path(entry["code"]))
            if code_id is None:
                raise DemoError(f"Demo memo refers to the unknown code {entry['code']!r}.")
            target["code_id"] = code_id
        project.memos.create(entry["title"], entry["body"], **target)


def demo_project_path() -> Path:
    """Where the demo project lives: ``user_data_dir()/demo/qcdesk-demo.qcdesk``."""
    return user_data_dir() / "demo" / DEMO_FILE_NAME


def _remove_project_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def ensure_demo_project(fresh: bool = False) -> Path:
    """Return the demo project's path, building it if it is missing (or always, if ``fresh``).

    The project is built under a temporary name in the same folder and moved into
    place with :func:`os.replace`, so an interrupted build never leaves a
    half-built demo where the app would open it.
    """
    target = demo_project_path()
    if target.exists() and not fresh:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".building-", suffix=".qcdesk", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # build_demo_project wants a new file; the name stays ours to use
    try:
        build_demo_project(tmp)
        # a replaced demo's stale WAL must not be applied to the new file
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(target) + suffix).unlink()
        os.replace(tmp, target)
    finally:
        _remove_project_files(tmp)
    return target
