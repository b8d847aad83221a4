"""A warm worker reads a made-up Word transcript (``parallel._rehearse``) before it says it is ready;
what that leaves in the readers' caches (the styles parts read, partly, in ``docx_reader``; the
speaker labels judged in ``layouts``; the texts' keys in ``base``) must not change what a real
file parses to afterwards, not even a file whose styles part is the made-up one's, byte for byte,
whose body names styles the rehearsal did not need."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from qcdesk.core.importers import base, docx_reader, layouts, parallel

pytestmark = pytest.mark.core

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _same_styles_part(body: str) -> bytes:
    """A Word file holding the made-up transcript's styles part and relationships as it stores them
    (the same compressed bytes: the same key in the cache of styles parts) and another body."""
    made_up = zipfile.ZipFile(io.BytesIO(parallel.rehearsal_docx(3)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in made_up.infolist():
            data = made_up.read(info)
            if info.filename == "word/document.xml":
                data = f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'.encode()
            zf.writestr(info.filename, data)
    return buf.getvalue()


def _p(text: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _files(tmp_path: Path) -> list[Path]:
    files = {
        "rehearsal.docx": parallel.rehearsal_docx(),
        "same-styles.docx": _same_styles_part(_p("Part one", "Heading1") + _p("Part two", "Heading2")
                                              + _p("Participant: yes") + _p("Interviewer: and?") * 2
                                              + _p("Participant: no") + _p("Closing", "Heading1")),
        "same-styles-unstyled.docx": _same_styles_part(_p("Interviewer: a") + _p("Participant: b") * 3),
        "labels.txt": b"Interviewer: how was it?\nParticipant: fine\nInterviewer: and then?\nParticipant: Note: no\n",
    }
    d = docx.Document()
    d.add_heading("Interview", level=1)
    for i in range(6):
        d.add_paragraph(f"{('Interviewer', 'Participant')[i % 2]}: said {i}")
    buf = io.BytesIO()
    d.save(buf)
    files["python-docx.docx"] = buf.getvalue()
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    paths += sorted(p for p in CORPUS.glob("*") if p.suffix in (".docx", ".odt", ".txt"))
    return paths


def _digest(path: Path):
    doc, why = parallel.parse_packed(path)
    assert doc is not None, why
    return doc.text, doc.block_rows(), doc.turn_rows(), doc.sync_points, doc.notices, base.content_hash(doc.text)


def _fresh_caches(monkeypatch) -> None:
    monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {})
    monkeypatch.setattr(layouts, "_VALID_NAMES", {})
    monkeypatch.setattr(base, "_hashes", {})


def test_files_parse_after_the_rehearsal_as_in_a_process_that_had_none(tmp_path, monkeypatch):
    paths = _files(tmp_path)
    alone = {}
    for path in paths:  # each one in a process of its own, as it were
        _fresh_caches(monkeypatch)
        alone[path] = _digest(path)
    doc, _ = parallel.parse_packed(tmp_path / "same-styles.docx")
    assert [(b.kind, b.level) for b in doc.blocks if b.kind == "heading"] == [("heading", 1)] * 2  # Heading2: not
    # defined in that part, no heading
    _fresh_caches(monkeypatch)
    parallel._rehearse()
    assert docx_reader._STYLES_SEEN and "Participant" in layouts._VALID_NAMES and base._hashes  # it left traces
    assert not any(s.complete for s in docx_reader._STYLES_SEEN.values())  # the part was read partly
    assert _digest(tmp_path / "same-styles.docx") == alone[tmp_path / "same-styles.docx"]
    assert len(docx_reader._STYLES_SEEN) == 1  # the same part (one key), read again to its end for it
    assert all(s.complete for s in docx_reader._STYLES_SEEN.values())
    for path in paths + paths[::-1]:
        assert _digest(path) == alone[path], path.name
