"""The bundled demo project: built through the real import and coding operations."""

from __future__ import annotations

import json
import sys

import pytest

from qcdesk.core import demo
from qcdesk.core.project import Project
from qcdesk.paths import resource_path, user_data_dir

pytestmark = pytest.mark.core

EXPECTED_DOCUMENTS = ["P01_mentor", "P02_mentor", "P03_mentee", "P04_mentee_otter"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = demo.build_demo_project(tmp_path_factory.mktemp("demo") / "demo.qcdesk")
    project = Project.open(path)
    yield project
    project.close()


def _relative_luminance(color: str) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_demo_has_four_documents_in_fixed_order(built):
    docs = built.documents()
    assert [d.name for d in docs] == EXPECTED_DOCUMENTS
    assert all(d.char_count > 2000 for d in docs)
    assert built.coders()[0].name == "Demo coder"


def test_transcripts_are_utf8_with_non_ascii_and_emoji():
    texts = [p.read_text(encoding="utf-8") for p in demo.demo_transcripts()]
    assert len(texts) == 4
    for text in texts:
        assert 600 <= len(text.split()) <= 1200
        assert "Interviewer" in text
    joined = "".join(texts)
    assert "Núñez" in joined
    assert any(ord(ch) > 0xFFFF for ch in joined), "an emoji (non-BMP character) is expected"
    otter = resource_path("demo", "P04_mentee_otter.txt").read_text(encoding="utf-8")
    assert otter.startswith("Interviewer  0:03\n")


def test_imported_text_keeps_non_ascii_and_emoji(built):
    texts = {d.name: built.document_text(d.id) for d in built.documents()}
    assert "Dr Núñez" in texts["P03_mentee"]
    assert "💪" in texts["P04_mentee_otter"]


def test_codebook_tree_shape(built):
    tree = [(built.code_path(code.id), depth) for code, depth in built.codes_in_tree_order()]
    themes = [path[0] for path, depth in tree if depth == 0]
    assert themes == ["Mentoring relationship", "Belonging and identity",
                      "Workload and wellbeing", "Career plans"]
    assert max(depth for _, depth in tree) == 2
    paths = {"/".join(path) for path, _ in tree}
    assert "Mentoring relationship/Finding a mentor/Assigned mentor" in paths
    assert "Belonging and identity/Discrimination experienced/Microaggressions" in paths
    assert "Career plans/Specialty choice" in paths
    # exactly the codes of codebook.json, in its order within each parent
    book = demo.load_demo_codebook()
    assert sorted(paths) == sorted(c["path"] for c in book["codes"])
    assert [("/".join(p)) for p, _ in tree] == [c["path"] for c in book["codes"]]
    assert 12 <= len(tree) <= 16


def test_codebook_colours_and_descriptions(built):
    codes = built.codes()
    colours = [c.color for c in codes]
    assert len(set(colours)) == len(colours), "every demo code has its own colour"
    for code in codes:
        assert code.color.startswith("#") and len(code.color) == 7
        # WCAG contrast with black text of at least 7:1
        assert (_relative_luminance(code.color) + 0.05) / 0.05 >= 7, code.name
        assert code.description.strip().endswith("."), code.name


def test_every_demo_coding_lands_on_its_quote(built):
    docs = {d.source_name: d for d in built.documents()}
    items = demo.demo_codings()
    assert 20 <= len(items) <= 30
    codings = [c for d in built.documents() for c in built.codings_for_document(d.id)]
    assert len(codings) == len(items)
    path_of = {c.id: "/".join(built.code_path(c.id)) for c in built.codes()}
    placed = {(c.document_id, path_of[c.code_id], c.start, c.end) for c in codings}
    demo_coder = built.coders()[0]
    for item in items:
        doc = docs[item.document]
        text = built.document_text(doc.id)
        start = text.find(item.quote)
        assert start >= 0, item.quote
        assert (doc.id, item.code, start, start + len(item.quote)) in placed
    for coding in codings:
        text = built.document_text(coding.document_id)
        quote = text[coding.start:coding.end]
        assert any(quote == i.quote for i in items)
        assert coding.coder_id == demo_coder.id


def test_segments_of_demo_show_the_quotes(built):
    code_ids = [c.id for c in built.codes()]
    segments = built.segments(code_ids)
    assert {s.text for s in segments} == {i.quote for i in demo.demo_codings()}


def test_build_refuses_an_existing_path(tmp_path):
    target = tmp_path / "exists.qcdesk"
    target.write_bytes(b"keep me")
    with pytest.raises(demo.DemoError):
        demo.build_demo_project(target)
    assert target.read_bytes() == b"keep me"


def test_a_missing_quote_fails_loudly(tmp_path, monkeypatch):
    book = demo.load_demo_codebook()
    book["codings"].append({"document": "P01_mentor.txt", "code": "Career plans",
                            "quote": "a sentence nobody in the demo ever said"})
    monkeypatch.setattr(demo, "load_demo_codebook", lambda: book)
    with pytest.raises(demo.DemoError, match="not found"):
        demo.build_demo_project(tmp_path / "broken.qcdesk")


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    return tmp_path


def test_demo_project_path_is_under_user_data(data_home):
    path = demo.demo_project_path()
    assert path.name == "qcdesk-demo.qcdesk"
    assert path.parent.parent == user_data_dir()
    if sys.platform.startswith("linux"):
        assert path == data_home / "xdg" / "qcdesk" / "demo" / "qcdesk-demo.qcdesk"


def test_ensure_demo_project_is_idempotent(data_home):
    path = demo.ensure_demo_project()
    assert path == demo.demo_project_path() and path.exists()
    with Project.open(path) as project:
        project.documents.rename(project.documents()[0].id, "renamed by the user")
    stamp = path.stat().st_mtime_ns
    assert demo.ensure_demo_project() == path
    assert path.stat().st_mtime_ns == stamp
    with Project.open(path) as project:
        assert project.documents()[0].name == "renamed by the user"
    leftovers = [p.name for p in path.parent.iterdir() if p.name != path.name]
    assert leftovers == []


def test_ensure_demo_project_fresh_rebuilds(data_home):
    path = demo.ensure_demo_project()
    with Project.open(path) as project:
        project.documents.rename(project.documents()[0].id, "renamed by the user")
    assert demo.ensure_demo_project(fresh=True) == path
    with Project.open(path) as project:
        assert [d.name for d in project.documents()] == EXPECTED_DOCUMENTS
        assert project.stats()["codings"] == len(demo.demo_codings())
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_failed_build_leaves_no_half_built_demo(data_home, monkeypatch):
    def broken(path):
        with Project.create(path):
            pass
        raise demo.DemoError("simulated failure")

    monkeypatch.setattr(demo, "build_demo_project", broken)
    with pytest.raises(demo.DemoError):
        demo.ensure_demo_project()
    folder = demo.demo_project_path().parent
    assert list(folder.iterdir()) == []


def test_codebook_json_is_valid_and_quotes_are_unique():
    book = json.loads(resource_path("demo", "codebook.json").read_text(encoding="utf-8"))
    names = {p.name for p in demo.demo_transcripts()}
    for item in book["codings"]:
        assert item["document"] in names
        source = resource_path("demo", item["document"]).read_text(encoding="utf-8")
        assert source.count(item["quote"]) == 1, item["quote"]
    assert resource_path("demo", "README.md").read_text(encoding="utf-8").count("invented") >= 1


# ----------------------------------------------------------------- qcdesk.paths
def test_resource_path_from_checkout():
    path = resource_path("demo", "codebook.json")
    assert path.is_file()
    assert resource_path().name == "resources"


def test_resource_path_prefers_pyinstaller_bundle(tmp_path, monkeypatch):
    (tmp_path / "resources" / "demo").mkdir(parents=True)
    (tmp_path / "resources" / "demo" / "codebook.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("demo", "codebook.json") == tmp_path / "resources" / "demo" / "codebook.json"


def test_resource_path_falls_back_to_installed_share(tmp_path, monkeypatch):
    shared = tmp_path / "share" / "qcdesk" / "resources" / "only-installed.txt"
    shared.parent.mkdir(parents=True)
    shared.write_text("x", encoding="utf-8")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert resource_path("only-installed.txt") == shared


def test_resource_path_missing_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="no-such-resource.txt"):
        resource_path("no-such-resource.txt")


def test_user_data_dir_is_created_on_demand(data_home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    path = user_data_dir()
    assert path == data_home / "xdg" / "qcdesk" and path.is_dir()
    monkeypatch.setenv("XDG_DATA_HOME", "")
    assert user_data_dir() == data_home / "home" / ".local" / "share" / "qcdesk"
    monkeypatch.setattr(sys, "platform", "win32")
    assert user_data_dir() == data_home / "appdata" / "qcdesk"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert user_data_dir() == data_home / "home" / "Library" / "Application Support" / "qcdesk"
    assert user_data_dir().is_dir()


def test_demo_segments_carry_speaker_and_otter_times(built):
    """The importers detect the turns, so every demo quote (all participant speech) has a speaker."""
    segments = built.segments([c.id for c in built.codes()])
    for s in segments:
        participant = s.document_name[:3]  # "P01" ...
        assert s.speaker is not None and s.speaker.startswith(participant), (s.document_name, s.text)
        assert s.paragraph is not None and s.paragraph > 1
        if s.document_name == "P04_mentee_otter":
            assert s.time_start is not None and s.time_start > 0
        else:
            assert s.time_start is None
    by_doc = {d.name: built.speaker_turns(d.id) for d in built.documents()}
    assert all(len(turns) >= 20 for turns in by_doc.values())
    assert by_doc["P04_mentee_otter"][0].time_start == 3.0


def test_demo_has_participants_with_attributes_and_memos(built):

    names = [c.name for c in built.cases.all()]
    assert names == ["P01", "P02", "P03", "P04"]
    summary = {a.name: a for a in built.attributes.all()}
    assert summary["Role"].value_type == "choice"
    assert summary["Years in medicine"].value_type == "number"
    p03 = built.cases.by_name("P03")
    assert built.attributes.value(p03.id, summary["Role"].id) == "mentee"
    assert str(built.attributes.value(p03.id, summary["Interview date"].id)) == "2026-03-18"
    docs = {d.id: d.name for d in built.documents()}
    assert [docs[i] for i in built.cases.documents_of(p03.id)] == ["P03_mentee"]
    assert built.cases.coding_ids(p03.id)          # the case's codings follow its document
    assert built.memos.journal().body.startswith("Open coding")
    assert [h.memo.title for h in built.memos.search("random")] == ["Assigned vs self-found"]
