"""``import_bench.py --qualcoder-src DIR`` keeps working: a small stand-in for QualCoder's import code
(same contract as the real one, which stays outside this repository) is loaded from a folder, run on
the same files as qcdesk and printed as a ratio; a folder that does not hold the contract is refused.
No timing is asserted."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from qcdesk.core.importers import parallel

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import import_bench  # noqa: E402

#: what the driver needs from QualCoder's code: a project, an import returning (name, characters) per
#: stored source, a close; this stand-in reads the Word text the plain way and stores it with sqlite3
FAKE = '''
import os, re, sqlite3, zipfile

calls = []

def new_project(folder):
    conn = sqlite3.connect(os.path.join(str(folder), "data.qda"))
    conn.execute("create table source (id integer primary key, name text, fulltext text, unique(name))")
    return conn

def import_files(conn, paths):
    calls.append([str(p) for p in paths])
    for path in paths:
        xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
        text = "\\n\\n".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
        conn.execute("insert into source (name, fulltext) values (?, ?)", (os.path.basename(str(path)), text))
        conn.commit()
    return conn.execute("select name, length(fulltext) from source order by id").fetchall()

def close(conn):
    conn.close()
'''


@pytest.fixture
def fake_qualcoder(tmp_path):
    folder = tmp_path / "qualcoder-src"
    folder.mkdir()
    (folder / "qualcoder_import.py").write_text(textwrap.dedent(FAKE))
    return folder


def test_qualcoder_is_measured_on_the_same_files(fake_qualcoder, tmp_path, capsys):
    files = tmp_path / "files"
    assert import_bench.main(["--files", "2", "--chars", "3000", "--no-gui", "--folder", str(files),
                              "--qualcoder-src", str(fake_qualcoder)]) == 0
    out = capsys.readouterr().out
    assert "QualCoder (its import code, without Qt)" in out
    assert "QualCoder / qcdesk core: wall " in out and "(above 1: qcdesk is faster)" in out
    assert "load average" in out
    module = sys.modules["qualcoder_import"]
    assert module.calls == [[str(p) for p in sorted(files.glob("interview-*.docx"))]]


def test_the_result_names_what_qualcoder_stored(fake_qualcoder, tmp_path):
    module = import_bench.load_qualcoder(fake_qualcoder)
    result = import_bench.run_all(2, 3_000, gui=False, folder=tmp_path / "files", qualcoder=module)
    assert result["qualcoder_s"] > 0 and result["qualcoder_cpu_s"] >= 0
    assert result["qualcoder_detail"].startswith("2 sources, ")
    assert result["core_detail"].startswith("2 documents")
    ratio = [line.split(":")[0] for line in import_bench.table(result).splitlines()
             if line.startswith("QualCoder / qcdesk")]
    # no window row measured, so no window ratio; the core measured with warm workers too
    assert ratio == ["QualCoder / qcdesk core", "QualCoder / qcdesk core, workers warm"]
    assert "core_warm_detail" in result and not parallel.WARM.running()


def test_an_import_that_stores_less_than_it_was_given_is_an_error(fake_qualcoder, tmp_path):
    module = import_bench.load_qualcoder(fake_qualcoder)
    module.import_files = lambda conn, paths: [("one.docx", 10)]
    with pytest.raises(RuntimeError, match="stored"):
        import_bench.run_all(2, 3_000, gui=False, folder=tmp_path / "files", qualcoder=module)


def test_a_folder_without_the_contract_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="does not exist"):
        import_bench.load_qualcoder(tmp_path)
    (tmp_path / "qualcoder_import.py").write_text("def new_project(folder):\n    return None\n")
    with pytest.raises(SystemExit, match="lacks import_files, close"):
        import_bench.load_qualcoder(tmp_path)


def test_the_real_transcripts_must_all_be_there(tmp_path):
    (tmp_path / import_bench.REAL_TRANSCRIPTS[0]).write_text("Anna: hello\n")
    with pytest.raises(SystemExit, match="lacks noscribe_interview_de.txt"):
        import_bench.real_transcripts(tmp_path)
