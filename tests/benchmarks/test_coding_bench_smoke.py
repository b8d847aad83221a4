"""``coding_bench.py`` keeps working: at a tiny scale, qcdesk's side opens, selects and codes in a real window
and every coding is stored; QualCoder's side runs only where its code is (``QCDESK_QUALCODER_SRC``, a folder
holding ``qualcoder_coding.py``, kept outside this repository), else it is skipped saying why. No timing is
asserted."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import coding_bench  # noqa: E402

pytestmark = pytest.mark.gui

TINY = ["--chars", "20000", "--loop-chars", "12000", "--codings", "12", "--codes", "8", "--repeats", "2"]


def test_material_is_the_same_for_both_and_passages_are_clean():
    text = coding_bench.transcript(12_000, seed=3)
    assert text == coding_bench.transcript(12_000, seed=3) and len(text) <= 12_000
    assert "\n\n" in text and "\n\n\n" not in text and not text.endswith("\n")  # turns as qcdesk stores them
    assert all(ord(ch) < 0x10000 for ch in text) and any(ord(ch) > 127 for ch in text)
    assert text.splitlines()[0].split(": ")[0] in coding_bench.SPEAKERS
    spans = coding_bench.passages(text, 50, seed=3)
    assert len(set(spans)) == 50
    for start, end in spans:
        assert not text[start].isspace() and not text[end - 1].isspace() and 20 <= end - start <= 400


def test_qcdesk_side_codes_every_passage(qapp, capsys, tmp_path):
    out = tmp_path / "figures.json"
    assert coding_bench.main(TINY + ["--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "-character document, no codings" in printed and "load average" in printed
    assert "QualCoder" not in printed
    import json

    figures = json.loads(out.read_text())
    assert 19_500 < figures["chars"] <= 20_000 and 11_500 < figures["loop_chars"] <= 12_000
    sides = figures["sides"]
    assert list(sides) == ["qcdesk"]
    qc = sides["qcdesk"]
    assert qc["codings_stored"] == 12 and qc["loop"]["codings"] == 12 and not qc["loop"]["estimated"]
    assert qc["open"]["detail"].endswith("characters shown")
    assert qc["loop"]["total_s"] > 0 and qc["select_empty"]["repeats"] == 2
    assert "qcdesk per coding: " in printed and [lv["codings_before"] for lv in qc["loop"]["levels"]] == [0]


def test_a_folder_without_the_contract_is_refused(tmp_path):
    (tmp_path / "qualcoder_coding.py").write_text("def new_project(folder):\n    return None\n")
    with pytest.raises(SystemExit, match="lacks add_text_source"):
        coding_bench.main(TINY + ["--qualcoder-src", str(tmp_path)])


@pytest.mark.skipif(not os.environ.get("QCDESK_QUALCODER_SRC"),
                    reason="QualCoder's coding code is not in this repository (LGPL-3.0); set "
                           "QCDESK_QUALCODER_SRC to the folder holding qualcoder_coding.py")
def test_qualcoder_side_codes_the_same_passages(qapp, capsys, tmp_path):
    import json

    out = tmp_path / "figures.json"
    src = os.environ["QCDESK_QUALCODER_SRC"]
    assert coding_bench.main(TINY + ["--qualcoder-src", src, "--qualcoder-step", "4", "--qualcoder-sample", "2",
                                     "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ratio = QualCoder / qcdesk" in printed and "~ QualCoder per coding (sampled): " in printed
    sides = json.loads(out.read_text())["sides"]
    assert sides["QualCoder"]["codings_stored"] == sides["qcdesk"]["codings_stored"] == 12
    assert [lv["codings_before"] for lv in sides["QualCoder"]["loop"]["levels"]] == [0, 4, 8]


#: the contract of ``qualcoder_coding.py`` met by a plain text box, so that the two-process run is tested where
#: QualCoder's code is not
FAKE_QUALCODER = '''
from PySide6 import QtGui, QtWidgets


class Project:
    def __init__(self):
        self.texts, self.codings = {}, []


def new_project(folder):
    return Project()


def add_text_source(app, name, text):
    app.texts[len(app.texts) + 1] = text
    return len(app.texts)


def add_codes(app, n):
    return list(range(1, n + 1))


def make_view(app, width=1280, height=800):
    view = QtWidgets.QPlainTextEdit()
    view.app, view.source = app, None
    view.resize(width, height)
    view.show()
    return view


def open_document(view, source_id):
    view.setPlainText(view.app.texts[source_id])
    view.source = source_id
    return len(view.app.texts[source_id])


def show_code(view, code_id):
    pass


def select_text_and_code(view, start, end, code_id):
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QtGui.QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def select_and_code(view, start, end, code_id):
    select_text_and_code(view, start, end, code_id)
    view.app.codings.append((view.source, start, end, code_id))
    return sum(1 for c in view.app.codings if c[0] == view.source)


def paint(view):
    QtWidgets.QApplication.instance().processEvents()
    view.viewport().grab()


def preload_codings(app, source_id, codings):
    app.codings += [(source_id, s, e, c) for s, e, c, _text in codings]


def codings_stored(app):
    return len(app.codings)


def close(app, view=None):
    if view is not None:
        view.close()
'''


@pytest.mark.parametrize("set_here", [True, False], ids=["variable set here", "variable unset here"])
def test_each_side_runs_in_a_process_of_its_own_with_its_own_qt_set_up(tmp_path, capsys, monkeypatch, set_here):
    """qcdesk switches Qt's GUI thread pool off for its process (``qcdesk.ui.paint_env``); QualCoder does
    not, so the two sides cannot share a process: qcdesk's sets the variable itself, and QualCoder's keeps
    Qt's defaults even when the process starting the benchmark has it set."""
    from qcdesk.ui.paint_env import KEEP_POOL, VARIABLE

    (tmp_path / "qualcoder_coding.py").write_text(FAKE_QUALCODER)
    monkeypatch.delenv(KEEP_POOL, raising=False)
    if set_here:
        monkeypatch.setenv(VARIABLE, "1")
    else:
        monkeypatch.delenv(VARIABLE, raising=False)
    out = tmp_path / "figures.json"
    rounds = "3" if set_here else "1"
    assert coding_bench.main(TINY + ["--qualcoder-src", str(tmp_path), "--qualcoder-step", "4",
                                     "--qualcoder-sample", "2", "--first", "qualcoder", "--rounds", rounds,
                                     "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ratio = QualCoder / qcdesk" in printed
    assert ("3 rounds, each side in its own process" in printed) == set_here
    import json

    figures = json.loads(out.read_text())
    rounds = figures["rounds"]
    expected = [["qualcoder", "qcdesk"], ["qcdesk", "qualcoder"], ["qualcoder", "qcdesk"]][:len(rounds)]
    assert [r["order"] for r in rounds] == expected
    started = sorted((side["started"], name.lower()) for r in rounds for name, side in r["sides"].items())
    assert [name for _t, name in started] == [name for order in expected for name in order]  # as ordered
    pids = [side["pid"] for r in rounds for side in r["sides"].values()]
    assert len(set(pids)) == 2 * len(rounds) and os.getpid() not in pids
    for r in rounds:
        assert r["sides"]["qcdesk"]["qt_no_gui_threadpool"] == "1"
        assert r["sides"]["QualCoder"]["qt_no_gui_threadpool"] is None
        assert r["sides"]["QualCoder"]["codings_stored"] == r["sides"]["qcdesk"]["codings_stored"] == 12


def side_figures(k: int, loop_total: float) -> dict:
    """Made-up figures of one side in one round."""
    return {"pid": 100 + k, "started": float(k), "qt_no_gui_threadpool": "1", "codings_stored": 12,
            "open": {"s": 0.03 + k / 1000, "cpu_s": 0.02 + k / 1000, "detail": "x", "all_s": [k]},
            "select_empty": {"median_s": 0.010 - k / 1000, "median_cpu_s": 0.009 - k / 1000, "repeats": 2},
            "select_coded": {"median_s": 0.020 + (k % 2) / 1000, "median_cpu_s": 0.019, "repeats": 2},
            "loop": {"total_s": loop_total, "total_cpu_s": loop_total, "median_s": loop_total / 10, "levels": [k]}}


@pytest.mark.parametrize("totals", [[5.0, 3.0, 4.0], [5.0, 3.0, 4.0, 6.0]], ids=["three rounds", "four rounds"])
def test_each_row_is_a_figure_one_round_measured(totals):
    figures = [side_figures(k, total) for k, total in enumerate(totals)]
    merged = coding_bench.median_side(figures)
    middle = (len(totals) - 1) // 2
    for key, name in (("open", "s"), ("open", "cpu_s"), ("select_empty", "median_s"),
                      ("select_empty", "median_cpu_s"), ("select_coded", "median_s"), ("select_coded", "median_cpu_s")):
        values = sorted(f[key][name] for f in figures)
        assert merged[key][name] == values[middle], (key, name)
    assert merged["loop"] == figures[totals.index(sorted(totals)[middle])]["loop"]  # 4.0: the second lowest
    assert merged["open"]["all_s"] == [[k] for k in range(len(totals))]
    assert merged["pid"] == [100 + k for k in range(len(totals))]
    assert figures[0]["open"]["s"] == 0.03  # the rounds' own figures are left as they were


@pytest.mark.parametrize("rounds", ["0", "2"])
def test_rounds_need_both_sides_and_at_least_one(capsys, rounds, tmp_path):
    (tmp_path / "qualcoder_coding.py").write_text(FAKE_QUALCODER)
    with pytest.raises(SystemExit):
        coding_bench.main(TINY + ["--rounds", rounds] + (["--qualcoder-src", str(tmp_path)] if rounds == "0" else []))
    assert "--rounds needs --qualcoder-src and must be at least 1" in capsys.readouterr().err
