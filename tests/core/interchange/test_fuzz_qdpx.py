"""Malformed REFI-QDA packages: a clear qcdesk error and an unchanged project, or a correct import.

A valid package exported by qcdesk is damaged at random: bytes of the zip flipped or cut, the
project XML flipped or cut, its text positions replaced by odd numbers. Hand-picked bad
packages are in test_refi_import.py; this explores around them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.errors import QcdeskError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.interchange import export_file, import_file
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = ("Interviewer: How did the first night shift go?\n"
        "Resident: Honestly 😅 terrible. Nobody told me where the crash cart was.\n"
        "Interviewer: And the café handover?\n"
        "Resident: The registrar was kind — she walked me through every patient.")


class _Package:
    """The members of a good package (kept out of failure reports' reprs)."""

    def __init__(self, members: dict[str, bytes]):
        self.members = members

    def __repr__(self) -> str:
        return f"<good package: {sorted(self.members)}>"

    def write(self, path: Path, **replace: bytes) -> Path:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in {**self.members, **replace}.items():
                zf.writestr(name, data)
        return path


def _parsed(text: str) -> ParsedDocument:
    blocks, turns, pos = [], [], 0
    for line in text.split("\n"):
        blocks.append(Block("paragraph", pos, pos + len(line)))
        turns.append(SpeakerTurn(line.split(":")[0], pos, pos + len(line)))
        pos += len(line) + 1
    return ParsedDocument(text=text, source_format="txt", blocks=blocks, turns=turns)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> _Package:
    folder = tmp_path_factory.mktemp("qdpx")
    with empty_project(folder / "source.qcdesk") as project:
        doc = project.documents.add("Resident 01", _parsed(TEXT))
        other = project.documents.add("Resident 02", _parsed(TEXT.replace("café", "cafe")))
        theme = project.codebook.add("Support", description="Help from others").value
        leaf = project.codebook.add("Seniors", parent_id=theme.id).value
        for d in (doc, other):
            project.codings.apply(d.id, leaf.id, 130, 160)
            project.codings.apply(d.id, theme.id, 60, 75)
        export_file(project, folder / "good.qdpx")
    with zipfile.ZipFile(folder / "good.qdpx") as zf:
        return _Package({name: zf.read(name) for name in zf.namelist()})


def _state(project: Project) -> tuple:
    counts = project.stats()
    codings = sorted((c.document_id, c.code_id, c.start, c.end) for d in project.documents()
                     for c in project.codings_for_document(d.id))
    return counts, [(c.name, c.parent_id) for c in project.codes()], codings


def check(folder: Path, path: Path) -> str:
    """Import into a project that already holds work; judge the outcome."""
    project_file = folder / "target.qcdesk"
    for leftover in folder.glob("target.qcdesk*"):
        leftover.unlink()
    with empty_project(project_file) as project:
        project.documents.add("Own interview", _parsed("Interviewer: Hello?\nP9: Hello."))
        project.codebook.add("Own code")
        before = _state(project)
        try:
            import_file(project, path)
        except QcdeskError as exc:
            assert str(exc), "the error says what is wrong"
            assert _state(project) == before, "a refused import leaves the project as it was"
            return "refused"
        assert project.integrity_ok()
        for doc in project.documents():
            for coding in project.codings_for_document(doc.id):
                assert 0 <= coding.start < coding.end <= doc.char_count
        assert project.stats()["documents"] >= before[0]["documents"]
        return "imported"


def test_the_good_package_imports(tmp_path, package):
    assert check(tmp_path, package.write(tmp_path / "good.qdpx")) == "imported"


@_SETTINGS
@given(data=st.data())
def test_flipped_or_cut_zip_bytes(tmp_path, package, data):
    raw = bytearray(package.write(tmp_path / "p.qdpx").read_bytes())
    for offset, mask in data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(1, 255)),
                                           max_size=6)):
        raw[offset] ^= mask
    raw = raw[: data.draw(st.integers(0, len(raw)))] if data.draw(st.booleans()) else raw
    path = tmp_path / "damaged.qdpx"
    path.write_bytes(bytes(raw))
    check(tmp_path, path)


@_SETTINGS
@given(data=st.data())
def test_damaged_project_xml(tmp_path, package, data):
    xml = bytearray(package.members["project.qde"])
    for offset, mask in data.draw(st.lists(st.tuples(st.integers(0, len(xml) - 1), st.integers(1, 255)),
                                           max_size=4)):
        xml[offset] ^= mask
    if data.draw(st.booleans()):
        xml = xml[: data.draw(st.integers(0, len(xml)))]
    check(tmp_path, package.write(tmp_path / "damaged.qdpx", **{"project.qde": bytes(xml)}))


_POSITION = re.compile(rb'(startPosition|endPosition)="(\d+)"')


@_SETTINGS
@given(data=st.data())
def test_odd_text_positions(tmp_path, package, data):
    """Positions past the text, reversed, negative, huge or not numbers at all."""
    xml = package.members["project.qde"]
    odd = st.one_of(st.integers(-5, 400).map(str), st.sampled_from(["", "x", "1e3", "99999999999999999999", " 7", "3.5"]))

    def swap(match: re.Match) -> bytes:
        value = data.draw(odd) if data.draw(st.booleans()) else match.group(2).decode()
        return match.group(1) + b'="' + value.encode() + b'"'

    outcome = check(tmp_path, package.write(tmp_path / "odd.qdpx", **{"project.qde": _POSITION.sub(swap, xml)}))
    assert outcome in ("refused", "imported")
