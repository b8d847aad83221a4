"""Coding in the window, side by side with QualCoder's coding view (issue 19).

    python benchmarks/coding_bench.py --qualcoder-src DIR         # qcdesk and QualCoder, full scale
    python benchmarks/coding_bench.py --codings 200 --chars 300000 # quicker, qcdesk only
    python benchmarks/coding_bench.py --qualcoder-src DIR --json out.json --first qualcoder
    python benchmarks/coding_bench.py --qualcoder-src DIR --codings 50 --rounds 5   # medians of five rounds

The same generated transcripts for both (``Speaker: words`` turns with curly quotes, accents and dashes,
no characters outside the BMP, so both count the same positions), measured offscreen, each side in a
process of its own with Qt set up as its application sets it up (qcdesk paints on the window's thread,
:mod:`qcdesk.ui.paint_env`; QualCoder keeps Qt's defaults), each step until painted:

* **open** (``--open-repeats`` times, median): a ``--chars`` (1,000,000) character document with no
  codings, clicked in the documents list while another is shown, until its text, margin and codebook
  are painted;
* **select text and a code** (``--repeats`` times, median): on a ``--loop-chars`` (250,000) character
  transcript, a passage selected and a code clicked in the code tree (qcdesk: the codebook, until the
  segments panel and status are updated and painted; QualCoder: the code first, as clicking a code
  while text is selected codes it), once with no codings and once after the loop;
* **the whole loop**: ``--codings`` (2,000) codings, each a passage selected, a code clicked, the code
  applied (qcdesk: ``apply_current_code``, as Ctrl+E or the Apply button; QualCoder: the click codes the
  selection) and the result painted. Total and per-coding median.

QualCoder's side (``--qualcoder-src DIR``) is its own code, kept outside this repository (LGPL-3.0):
DIR holds ``qualcoder_coding.py``, QualCoder 4.0's DialogCodeText ported to PySide6 without its dialogs
(its docstring says what was taken and left out), with ``new_project(folder)``,
``add_text_source(project, name, text)``, ``add_codes(project, n)``, ``make_view(project, width, height)``,
``open_document(view, source_id)``, ``show_code(view, code_id)``, ``select_text_and_code(view, start,
end, code_id)``, ``select_and_code(view, start, end, code_id)``, ``paint(view)``,
``preload_codings(project, source_id, codings)``, ``codings_stored(project)`` and ``close(project, view)``.
QualCoder re-highlights every coding of the document, and compares every pair of them for overlaps,
after each click on a code: a coding costs it time in proportion to the square of the codings already
in the document. Its loop is therefore sampled (``--qualcoder-sample K``, default 5): at every
``--qualcoder-step`` (250) codings the codings before are stored directly (``preload_codings``), the
document reopened, and K real codings measured; the total is the sum of each level's median times the
step, printed as an estimate. ``--qualcoder-sample 0`` measures every coding (over an hour at 2,000).

The ratio printed is QualCoder's time / qcdesk's (above 1: qcdesk is faster), wall and CPU seconds
(``time.process_time``), with the load average before and after. ``--rounds N`` measures both sides N
times, the side that goes first alternating, and prints each row's low median (a figure one round
measured) with the ratio of every round.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # noqa: E402

QUALCODER_FUNCTIONS = ("new_project", "add_text_source", "add_codes", "make_view", "open_document", "show_code",
                       "select_text_and_code", "select_and_code", "paint", "preload_codings", "codings_stored",
                       "close")
SPEAKERS = ("Interviewer", "Participant", "Anna Müller", "José")
WORDS = ("we", "talked", "about", "the", "handover", "and", "the", "ward", "was", "busy", "so", "I", "said",
         "that", "it", "felt", "like", "a", "café", "naïve", "“really”", "hard", "—", "shift", "mentor", "week",
         "it’s", "señora", "patients", "families", "rota", "tired", "learnt", "a", "lot", "from", "her")
PALETTE = ("#f5b7b1", "#d7bde2", "#aed6f1", "#a9dfbf", "#f9e79f", "#fad7a0", "#d5dbdb", "#85c1e9", "#82e0aa",
           "#f8c471", "#bb8fce", "#e59866", "#73c6b6", "#7fb3d5", "#f0b27a", "#c39bd3", "#76d7c4", "#f1948a")
WIDTH, HEIGHT = 1280, 800


# ---------------------------------------------------------------------------- the material
def transcript(chars: int, seed: int) -> str:
    """At most ``chars`` characters of ``Speaker: words`` turns, a blank line between turns (as qcdesk stores
    a plain-text transcript, so both sides hold the same text)."""
    rnd = random.Random(seed)
    lines, n = [], 0
    while n < chars:
        line = f"{rnd.choice(SPEAKERS)}: " + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 80))) + "."
        lines.append(line)
        n += len(line) + 2
    return "\n\n".join(lines)[:chars].rstrip()


def passages(text: str, n: int, seed: int) -> list[tuple[int, int]]:
    """``n`` different passages of 40–400 characters, neither starting nor ending with white space."""
    rnd = random.Random(seed)
    out: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    while len(out) < n:
        start = rnd.randrange(0, len(text) - 450)
        end = start + rnd.randint(40, 400)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 20 and (start, end) not in seen:
            seen.add((start, end))
            out.append((start, end))
    return out


def cpu() -> float:
    return time.process_time()


class Clock:
    """Wall and CPU seconds of one measured stretch."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, cpu() - self.cpu


# ---------------------------------------------------------------------------- qcdesk
class QcdeskSide:
    name = "qcdesk"

    def __init__(self, folder: Path, big: str, loop: str, n_codes: int):
        from qcdesk.core.importing import import_files
        from qcdesk.core.project import Project

        folder.mkdir()
        files = []
        for name, text in (("a short note.txt", "Interviewer: hello.\n"), ("interview long.txt", big),
                           ("interview loop.txt", loop)):
            (folder / name).write_text(text, encoding="utf-8")
            files.append(folder / name)
        self.path = folder / "coding.qcdesk"
        project = Project.create(self.path)
        try:
            report = import_files(project, files)
            ids = {d.name: d.id for d in report.imported}
            self.small, self.big, self.loop = ids["a short note"], ids["interview long"], ids["interview loop"]
            for doc_id, text in ((self.big, big), (self.loop, loop)):
                if project.document_text(doc_id) != text:  # else the sides would select different passages
                    raise RuntimeError("qcdesk stored the generated transcript differently")
            self.codes = [project.codebook.add(f"code {i + 1:03d}", color=PALETTE[i % len(PALETTE)]).value.id
                          for i in range(n_codes)]
        finally:
            project.close()
        self.window = None

    def start(self) -> None:
        from PySide6.QtWidgets import QApplication

        from qcdesk.ui.main_window import MainWindow
        from qcdesk.ui.settings import Settings

        settings = Settings(Path(tempfile.mkdtemp(prefix="qcdesk-bench-settings-")) / "settings.ini")
        settings.set_coder_name("benchmark")
        self.window = MainWindow(settings)
        self.window.resize(WIDTH, HEIGHT)
        self.window.show()
        QApplication.instance().processEvents()
        if not self.window.open_project(self.path):
            raise RuntimeError(f"the window could not open {self.path}")
        if self.window.transcript.document_id in (self.big, self.loop):  # the coder was on the short note
            self.window.documents.select(self.small)
        self.paint()

    def paint(self, segments: bool = False) -> None:
        from PySide6.QtWidgets import QApplication

        app, w = QApplication.instance(), self.window
        app.processEvents()
        w.transcript.viewport().grab()
        w.transcript.margin.grab()
        w.codebook.view.viewport().grab()
        if segments:
            w.segments.tree.viewport().grab()
            w.statusBar().grab()
        app.processEvents()

    def open_document(self, doc_id: int) -> str:
        if not self.window.documents.select(doc_id):
            raise RuntimeError(f"document {doc_id} is not in the documents list")
        self.paint()
        return f"{len(self.window.transcript.text()):,} characters shown"

    def show_code(self, code_id: int) -> None:
        self.window.codebook.view.scrollTo(self.window.codebook.proxy_index(code_id))

    def click_code(self, code_id: int) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        view = self.window.codebook.view
        rect = view.visualRect(self.window.codebook.proxy_index(code_id))
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())

    def prepare_select(self, other_code: int) -> None:
        self.window.codebook.select_code(other_code)
        cursor = self.window.transcript.textCursor()
        cursor.clearSelection()
        self.window.transcript.setTextCursor(cursor)
        self.paint()

    def select(self, start: int, end: int, code_id: int) -> None:
        self.window.transcript.select_range(start, end)
        self.click_code(code_id)
        self.paint(segments=True)
        if self.window.codebook.current_code_id() != code_id:
            raise RuntimeError("the click did not select the code")

    def code(self, start: int, end: int, code_id: int) -> int:
        self.window.transcript.select_range(start, end)
        self.click_code(code_id)
        if not self.window.apply_current_code():
            raise RuntimeError("the window refused to apply the code")
        self.paint()
        return len(self.window.transcript.codings())

    def codings_stored(self) -> int:
        return len(self.window.project.codings_for_document(self.loop))

    def close(self) -> None:
        from PySide6.QtWidgets import QApplication

        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            QApplication.instance().processEvents()


# ---------------------------------------------------------------------------- QualCoder
class QualCoderSide:
    name = "QualCoder"

    def __init__(self, module, folder: Path, big: str, loop: str, n_codes: int):
        folder.mkdir()
        self.q = module
        self.project = module.new_project(folder)
        self.small = module.add_text_source(self.project, "a short note.txt", "Interviewer: hello.\n")
        self.big = module.add_text_source(self.project, "interview long.txt", big)
        self.loop = module.add_text_source(self.project, "interview loop.txt", loop)
        self.loop_text = loop
        self.codes = module.add_codes(self.project, n_codes)
        self.view = None

    def start(self) -> None:
        self.view = self.q.make_view(self.project, WIDTH, HEIGHT)
        self.paint()

    def paint(self, segments: bool = False) -> None:
        self.q.paint(self.view)

    def open_document(self, doc_id: int) -> str:
        shown = self.q.open_document(self.view, doc_id)
        self.paint()
        return f"{shown:,} characters shown"

    def show_code(self, code_id: int) -> None:
        self.q.show_code(self.view, code_id)

    def prepare_select(self, other_code: int) -> None:
        self.q.show_code(self.view, other_code)
        self.q.select_text_and_code(self.view, 0, 0, other_code)
        self.paint()

    def select(self, start: int, end: int, code_id: int) -> None:
        self.q.select_text_and_code(self.view, start, end, code_id)
        self.paint(segments=True)

    def code(self, start: int, end: int, code_id: int) -> int:
        shown = self.q.select_and_code(self.view, start, end, code_id)
        self.paint()
        return shown

    def preload(self, codings: list[tuple[int, int, int]]) -> None:
        """Store ``codings`` (start, end, code) directly and reopen the document (not measured)."""
        self.q.preload_codings(self.project, self.loop, [(s, e, c, self.loop_text[s:e]) for s, e, c in codings])
        self.q.open_document(self.view, self.big)
        self.q.open_document(self.view, self.loop)
        self.paint()

    def codings_stored(self) -> int:
        return self.q.codings_stored(self.project)

    def close(self) -> None:
        self.q.close(self.project, self.view)


# ---------------------------------------------------------------------------- the steps
def measure_select(side, plan: list[tuple[int, int, int]], repeats: int) -> dict:
    """Median of ``repeats`` selections (a passage and a code), each from another code."""
    walls, cpus = [], []
    for k in range(repeats):
        start, end, code_id = plan[k]
        other = side.codes[(side.codes.index(code_id) + 1) % len(side.codes)]
        side.show_code(other)
        side.prepare_select(other)
        side.show_code(code_id)
        with Clock() as c:
            side.select(start, end, code_id)
        walls.append(c.wall)
        cpus.append(c.cpu)
    return {"median_s": statistics.median(walls), "median_cpu_s": statistics.median(cpus), "repeats": repeats}


def measure_loop(side, plan: list[tuple[int, int, int]], step: int = 250) -> dict:
    """Every coding of ``plan`` measured, one after another; ``levels``: the median of each ``step``
    codings (to set beside a sampled loop's)."""
    walls, cpus = [], []
    for k, (start, end, code_id) in enumerate(plan):
        side.show_code(code_id)
        with Clock() as c:
            shown = side.code(start, end, code_id)
        if shown != k + 1:
            raise RuntimeError(f"{side.name} shows {shown} codings after coding {k + 1}")
        walls.append(c.wall)
        cpus.append(c.cpu)
    levels = [{"codings_before": at, "median_s": statistics.median(walls[at:at + step]),
               "median_cpu_s": statistics.median(cpus[at:at + step])} for at in range(0, len(walls), step)]
    return {"total_s": sum(walls), "total_cpu_s": sum(cpus), "median_s": statistics.median(walls),
            "last_s": walls[-1], "codings": len(plan), "estimated": False, "levels": levels}


def measure_loop_sampled(side, plan: list[tuple[int, int, int]], step: int, sample: int) -> dict:
    """The loop estimated from ``sample`` real codings at every ``step`` codings (see the docstring)."""
    levels = []
    total, total_cpu, done = 0.0, 0.0, 0
    for level in range(0, len(plan), step):
        side.preload(plan[done:level])
        done = level
        walls, cpus = [], []
        for k in range(sample):
            start, end, code_id = plan[level + k]
            side.show_code(code_id)
            with Clock() as c:
                shown = side.code(start, end, code_id)
            if shown != level + k + 1:
                raise RuntimeError(f"{side.name} shows {shown} codings after coding {level + k + 1}")
            walls.append(c.wall)
            cpus.append(c.cpu)
        done = level + sample
        span = min(step, len(plan) - level)
        levels.append({"codings_before": level, "median_s": statistics.median(walls),
                       "median_cpu_s": statistics.median(cpus)})
        total += statistics.median(walls) * span
        total_cpu += statistics.median(cpus) * span
    side.preload(plan[done:])  # the rest stored, so the next step finds every coding there
    per = [lv["median_s"] for lv in levels]
    return {"total_s": total, "total_cpu_s": total_cpu, "median_s": statistics.median(per), "last_s": per[-1],
            "codings": len(plan), "estimated": True, "levels": levels}


def run_side(side, args, loop_plan, select_plan) -> dict:
    from qcdesk.ui.paint_env import VARIABLE

    # which process, when, and the variable that switches Qt's GUI thread pool off (set, whatever its
    # value, the pool is off: Qt reads it once per process)
    out: dict = {"pid": os.getpid(), "started": time.time(), "qt_no_gui_threadpool": os.environ.get(VARIABLE)}
    side.start()
    walls, cpus = [], []
    for _ in range(args.open_repeats):
        side.open_document(side.small)  # the coder was on another document
        with Clock() as c:
            detail = side.open_document(side.big)
        walls.append(c.wall)
        cpus.append(c.cpu)
    out["open"] = {"s": statistics.median(walls), "cpu_s": statistics.median(cpus), "detail": detail,
                   "all_s": walls}
    side.open_document(side.loop)
    out["select_empty"] = measure_select(side, select_plan, args.repeats)
    if isinstance(side, QualCoderSide) and args.qualcoder_sample:
        # the selections above coded nothing; the loop starts from an empty document
        out["loop"] = measure_loop_sampled(side, loop_plan, args.qualcoder_step, args.qualcoder_sample)
    else:
        out["loop"] = measure_loop(side, loop_plan, args.qualcoder_step)
    out["codings_stored"] = side.codings_stored()
    out["select_coded"] = measure_select(side, select_plan, args.repeats)
    side.close()
    return out


def build_plan(text: str, n: int, codes: int, seed: int) -> list[tuple[int, int, int]]:
    """(start, end, code index) for ``n`` codings, each passage coded once."""
    rnd = random.Random(seed + 1)
    return [(s, e, rnd.randrange(codes)) for s, e in passages(text, n, seed)]


def run_all(args, qualcoder=None, sides: tuple[str, ...] = ("qcdesk", "QualCoder")) -> dict:
    """The steps for ``sides`` in this process (QualCoder's only with ``qualcoder``, its module)."""
    from steps import ensure_qapp

    ensure_qapp(as_qcdesk="qcdesk" in sides)
    big = transcript(args.chars, seed=args.seed)
    loop = transcript(args.loop_chars, seed=args.seed + 1)
    plan = build_plan(loop, args.codings, args.codes, args.seed)
    # selections pick passages and codes the loop does not use (the loop codes each passage once)
    select_plan = build_plan(loop, args.codings + args.repeats, args.codes, args.seed)[args.codings:]
    result: dict = {"chars": len(big), "loop_chars": len(loop), "codings": args.codings, "codes": args.codes,
                    "load": os.getloadavg(), "sides": {}}
    with tempfile.TemporaryDirectory(prefix="qcdesk-coding-bench-") as tmp:
        order = ["qcdesk", "QualCoder"] if args.first == "qcdesk" else ["QualCoder", "qcdesk"]
        for name in order:
            if name not in sides or (name == "QualCoder" and qualcoder is None):
                continue
            side = (QcdeskSide(Path(tmp) / "qcdesk", big, loop, args.codes) if name == "qcdesk"
                    else QualCoderSide(qualcoder, Path(tmp) / "qualcoder", big, loop, args.codes))
            by_id = [(s, e, side.codes[c]) for s, e, c in plan]
            selects = [(s, e, side.codes[c]) for s, e, c in select_plan]
            result["sides"][name] = run_side(side, args, by_id, selects)
    result["load_after"] = os.getloadavg()
    return result


def run_apart(args, argv: list[str]) -> dict:
    """Each side in a process of its own (the Qt each application sets up is decided once per
    process: qcdesk switches off Qt's GUI thread pool before painting), ``--rounds`` times, the side
    that goes first alternating from ``--first``. Each row is the (low) median of the rounds' figures,
    a figure one round measured; the loop is that round's. ``rounds`` keeps every round's figures."""
    from qcdesk.ui.paint_env import VARIABLE

    first = ["qcdesk", "qualcoder"] if args.first == "qcdesk" else ["qualcoder", "qcdesk"]
    merged: dict = {}
    rounds: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="qcdesk-coding-bench-sides-") as tmp:
        for number in range(args.rounds):
            order = first if number % 2 == 0 else first[::-1]
            this: dict = {"order": order, "sides": {}}
            for name in order:
                out = Path(tmp) / f"{name}-{number}.json"
                env = dict(os.environ)
                if name == "qualcoder":  # Qt's defaults, whatever the process starting the benchmark set
                    env.pop(VARIABLE, None)
                # the last --json and --side given win; the side's own table is not printed
                done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *argv, "--side", name,
                                       "--json", str(out)], stdout=subprocess.DEVNULL, env=env)
                if done.returncode:
                    raise SystemExit(f"coding_bench: {name}'s side failed in round {number + 1} of {args.rounds} "
                                     f"(exit status {done.returncode}; its error is above)")
                result = json.loads(out.read_text())
                merged = merged or result
                merged["load_after"] = result["load_after"]
                this["sides"].update(result["sides"])
            rounds.append(this)
    merged["sides"] = {name: median_side([r["sides"][name] for r in rounds]) for name in rounds[0]["sides"]}
    merged["rounds"] = rounds
    return merged


def median_side(figures: list[dict]) -> dict:
    """One side's figures over rounds: each row's low median (with an even number of rounds, the
    lower of the two middle figures: always one a round measured); the loop of the round whose total
    is that median. What belongs to one round (its process, its start, each opening's time) is
    listed per round."""
    out = json.loads(json.dumps(figures[0]))
    for _label, key, wall, cpu_key in ROWS:
        if key == "loop":
            totals = sorted(figures, key=lambda f: f["loop"]["total_s"])
            out["loop"] = totals[(len(totals) - 1) // 2]["loop"]
            continue
        for name in (wall, cpu_key):
            out[key][name] = statistics.median_low(f[key][name] for f in figures)
    out["open"]["all_s"] = [f["open"]["all_s"] for f in figures]
    for name in ("pid", "started", "qt_no_gui_threadpool"):
        out[name] = [f[name] for f in figures]
    return out


# ---------------------------------------------------------------------------- the table
ROWS = (("open a {chars:,}-character document, no codings, median", "open", "s", "cpu_s"),
        ("select text and a code (no codings yet), median", "select_empty", "median_s", "median_cpu_s"),
        ("select text and a code ({codings:,} codings), median", "select_coded", "median_s", "median_cpu_s"),
        ("{codings:,} codings, whole loop: total", "loop", "total_s", "total_cpu_s"),
        ("{codings:,} codings, whole loop: per coding, median", "loop", "median_s", None))


def table(result: dict) -> str:
    sides = result["sides"]
    names = [n for n in ("qcdesk", "QualCoder") if n in sides]
    head = ["step"] + [f"{n} {u}" for n in names for u in ("s", "CPU s")]
    if len(names) == 2:
        head += ["ratio wall", "ratio CPU"]
    rows = [head]
    for label, key, wall, cpu_key in ROWS:
        row = [label.format(**result)]
        values = []
        for n in names:
            fig = sides[n][key]
            w, c = fig[wall], fig.get(cpu_key) if cpu_key else None
            mark = "~" if fig.get("estimated") and key == "loop" else ""
            row += [f"{mark}{w:.4f}", f"{mark}{c:.4f}" if c is not None else "-"]
            values.append((w, c))
        if len(names) == 2:
            (qw, qc), (rw, rc) = values
            row += [f"{rw / qw:.2f}", f"{rc / qc:.2f}" if qc and rc is not None else "-"]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(v.ljust(widths[i]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(r)) for r in rows]
    for n in names:
        loop = sides[n]["loop"]
        lines.append(("~ " if loop.get("estimated") else "") + f"{n} per coding"
                     + (" (sampled)" if loop.get("estimated") else "") + ": " + ", ".join(
                         f"{x['median_s'] * 1000:.0f} ms after {x['codings_before']:,}" for x in loop["levels"]))
    if len(names) == 2:
        lines.append("ratio = QualCoder / qcdesk (above 1: qcdesk is faster)")
    rounds = result.get("rounds", [])
    if len(rounds) > 1:
        lines.append(f"{len(rounds)} rounds, each side in its own process, the first side alternating; each row is "
                     "the (low) median of the rounds (the loop: the round with that total). Ratio in each round:")
        for label, key, wall, _cpu in ROWS[:3]:
            ratios = [r["sides"]["QualCoder"][key][wall] / r["sides"]["qcdesk"][key][wall] for r in rounds]
            lines.append(f"  {label.format(**result).removesuffix(', median')}: " + ", ".join(f"{x:.2f}" for x in ratios))
    lines.append(f"load average before {result['load'][0]:.2f}, after {result['load_after'][0]:.2f} "
                 f"({os.cpu_count()} cores)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=1_000_000, help="the document opened")
    parser.add_argument("--loop-chars", type=int, default=250_000, help="the document coded")
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument("--codes", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=15, help="selections measured (median)")
    parser.add_argument("--open-repeats", type=int, default=5, help="openings measured (median)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--first", choices=("qcdesk", "qualcoder"), default="qcdesk", help="which side runs first")
    parser.add_argument("--qualcoder-src", type=Path, metavar="DIR",
                        help="also run QualCoder's coding view from DIR/qualcoder_coding.py (see above)")
    parser.add_argument("--qualcoder-sample", type=int, default=5,
                        help="QualCoder's loop: codings measured at each level (0: every coding)")
    parser.add_argument("--qualcoder-step", type=int, default=250, help="codings between sampled levels")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --qualcoder-src: measure both sides this many times, the first alternating")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--side", choices=("qcdesk", "qualcoder"), help=argparse.SUPPRESS)  # run_apart's
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    if args.qualcoder_sample > args.qualcoder_step:
        parser.error("--qualcoder-sample must not exceed --qualcoder-step")
    if args.rounds < 1 or (args.rounds > 1 and not args.qualcoder_src):
        parser.error("--rounds needs --qualcoder-src and must be at least 1")
    qualcoder = (import_bench.load_qualcoder(args.qualcoder_src, "qualcoder_coding", QUALCODER_FUNCTIONS)
                 if args.qualcoder_src and args.side != "qcdesk" else None)
    if qualcoder is not None and args.side is None:
        result = run_apart(args, argv)
    else:
        result = run_all(args, qualcoder, ("QualCoder",) if args.side == "qualcoder" else ("qcdesk",))
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
