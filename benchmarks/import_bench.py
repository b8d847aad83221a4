"""Importing Word transcripts, side by side with a plain-sqlite3 lower bound (issue 19).

    python benchmarks/import_bench.py                         # 20 x 250,000-character .docx
    python benchmarks/import_bench.py --files 4 --chars 50000 # quicker
    python benchmarks/import_bench.py --no-gui --json out.json

Three ways of importing the same files (written by ``docx_files.py``, not measured):

* **qcdesk, core**: ``import_files`` into a new project: each file parsed (text, paragraphs,
  speaker turns), checked for a duplicate and stored as one action (the readers' modules loaded
  before the clock starts, like QualCoder's code).
* **qcdesk, window**: a real main window (offscreen) with a document open, File › Import
  through ``ImportFlow`` (parsing in the worker pool, storing on the main thread, the documents
  list following), until the import's summary and the painted window.
* **plain sqlite3**: what a text-only importer does at the least: each file's paragraphs read
  with lxml (``w:t`` text joined, paragraphs by line ends) and inserted as one row, committed per
  file, under the same pragmas (WAL, ``synchronous=FULL``). No turns, paragraphs, duplicate check
  or search index: the ratio qcdesk / bound is what that extra work costs.

* **QualCoder** (``--qualcoder-src DIR``): QualCoder's own import code, run without Qt on the same
  files: DIR holds ``qualcoder_import.py`` (QualCoder's docx/odt/pdf/text conversion and its SQLite
  statements, taken from its ``manage_files.py``; kept outside this repository for its licence)
  with ``new_project(folder)``, ``import_files(project, paths)`` returning ``(name, characters)`` per
  stored source, and ``close(project)``. Left out there: QualCoder's dialogs and table filling, so
  the figure flatters QualCoder. The ratio printed is QualCoder's time / qcdesk's (above 1: qcdesk
  is faster).

``--corpus DIR`` measures the seven real transcripts of the shared test corpus
(:data:`REAL_TRANSCRIPTS`) instead of the generated Word files (no lower bound row: it reads Word only).

``--parse processes`` / ``threads`` forces where files are parsed (the default chooses, see
``qcdesk.core.importers.parallel.worth_processes``); CPU seconds include the worker processes.

Two more rows measure the import with the parsing workers already running (``parallel.warm_up``):
**core, workers warm** (as a script's second import finds them) and **window, workers started by
the Import dialog** (the window starts them when its Import dialog opens; the benchmark waits in
the "dialog" until they have loaded the readers, as a researcher takes a moment to choose files,
and starts the clock when the files are "chosen"). Their CPU seconds include what the workers
spent during the import (read from ``/proc``, Linux only: the workers outlive it); what starting
them cost is printed beside, not counted. On a machine without a core to spare no workers are
warmed and these rows say so.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx_files  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: the real transcripts of the shared corpus (``../shared/corpus``, see its README)
REAL_TRANSCRIPTS = ("qualcoder_transcript.txt", "noscribe_interview_de.txt", "noscribe_interview_de.vtt",
                    "podcastindex_buzzsprout_example.vtt", "podcastindex_buzzsprout_example.srt",
                    "pdpilot_P1_maxqda.pdf", "changelog-594.md")
QUALCODER_FUNCTIONS = ("new_project", "import_files", "close")


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and of its finished child processes (the parsing
    workers, which ``import_files`` waits for)."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def baseline_import(paths: list[Path], db_path: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) to import ``paths`` as text-only rows with the standard library and lxml."""
    from lxml import etree

    start, cpu = time.perf_counter(), cpu_seconds()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE source (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, fulltext TEXT, "
                 "date TEXT)")
    conn.commit()
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            root = etree.fromstring(zf.read("word/document.xml"),
                                    etree.XMLParser(remove_blank_text=True, resolve_entities=False))
        text = "\n".join("".join(p.itertext(f"{W}t")) for p in root.iter(f"{W}p"))
        with conn:
            conn.execute("INSERT INTO source (name, fulltext, date) VALUES (?, ?, datetime('now'))",
                         (path.stem, text))
    conn.close()
    return time.perf_counter() - start, cpu_seconds() - cpu


def load_qualcoder(folder: Path, module_name: str = "qualcoder_import",
                   functions: tuple[str, ...] = QUALCODER_FUNCTIONS):
    """QualCoder's code from ``folder/<module_name>.py`` (for the import: see the module's docstring;
    ``coding_bench.py`` loads ``qualcoder_coding``), refused unless it has ``functions``."""
    source = Path(folder) / f"{module_name}.py"
    if not source.is_file():
        raise SystemExit(f"--qualcoder-src: {source} does not exist")
    spec = importlib.util.spec_from_file_location(module_name, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    missing = [name for name in functions if not callable(getattr(module, name, None))]
    if missing:
        raise SystemExit(f"--qualcoder-src: {source} lacks {', '.join(missing)}")
    return module


def qualcoder_import(module, paths: list[Path], folder: Path) -> tuple[float, float, str]:
    """(seconds, CPU seconds, what was stored) for QualCoder's import of ``paths`` into a new project."""
    folder.mkdir()
    project = module.new_project(folder)
    try:
        start, cpu = time.perf_counter(), cpu_seconds()
        stored = module.import_files(project, paths)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    finally:
        module.close(project)
    stored = list(stored)
    if len(stored) != len(paths) or not all(chars for _, chars in stored):
        raise RuntimeError(f"QualCoder's import stored {stored!r} for {len(paths)} files")
    return seconds, cpu, f"{len(stored)} sources, {sum(c for _, c in stored):,} characters"


def warm_parallel():
    """The ``parallel`` module when it can warm workers (not the code before it could), else None."""
    try:
        from qcdesk.core.importers import parallel
    except ImportError:
        return None
    return parallel if hasattr(parallel, "WARM") else None


def workers_cpu(parallel) -> float:
    """CPU seconds the warm workers have used so far (Linux ``/proc``; 0 elsewhere)."""
    pool = parallel.WARM.lease()
    if pool is None:
        return 0.0
    try:
        pids = list(getattr(pool, "_processes", {}) or {})
    finally:
        parallel.WARM.release(pool)
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def warm_workers() -> tuple[bool, float]:
    """Start the parsing workers and wait until they have loaded the readers: (warmed, CPU s it took)."""
    parallel = warm_parallel()
    if parallel is None or not parallel.warm_up():
        return False, 0.0
    if not parallel.WARM.wait_ready(120):
        raise RuntimeError("the warm parsing workers did not start")
    return True, workers_cpu(parallel)


def core_import(paths: list[Path], project_path: Path, *, warm: bool = False) -> tuple[float, float, str]:
    from qcdesk.core.importers import dispatch
    from qcdesk.core.importing import import_files
    from qcdesk.core.project import Project

    # the readers' modules are loaded before the clock starts, as QualCoder's conversion code is
    # (and as the window's are by the file it imported first): loading the Word reader compiles
    # the layout patterns, about 17 ms once per process
    for suffix in sorted({p.suffix.lower() for p in paths}):
        dispatch.reader_for(suffix)
    project = Project.create(project_path)
    parallel = warm_parallel()
    warmed, warm_cpu = warm_workers() if warm else (False, 0.0)
    try:
        start, cpu = time.perf_counter(), cpu_seconds() + (workers_cpu(parallel) if warmed else 0.0)
        report = import_files(project, paths)
        end_cpu = cpu_seconds() + (workers_cpu(parallel) if warmed else 0.0)
        seconds, cpu = time.perf_counter() - start, end_cpu - cpu
        turns = sum(len(project.speaker_turns(d.id)) for d in report.imported)
        detail = f"{len(report.imported)} documents, {turns:,} speaker turns"
        if warm:
            detail += (f"; starting the workers took {warm_cpu:.2f} CPU s before" if warmed
                       else "; no workers warmed (no core to spare)")
        return seconds, cpu, detail
    finally:
        project.close()
        if warmed:
            parallel.WARM.shut_down()


def window_import(paths: list[Path], project_path: Path, opened: Path, *,
                  warm: bool = False) -> tuple[float, float, str]:
    """The window's import of ``paths``; ``warm``: through File › Import, whose dialog starts the
    parsing workers (the clock starts when the files are chosen, once the workers are ready)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from qcdesk.ui import dialogs
    from qcdesk.ui.main_window import MainWindow
    from qcdesk.ui.paint_env import paint_on_the_gui_thread
    from qcdesk.ui.settings import Settings

    paint_on_the_gui_thread()  # as the window's start-up
    parallel = warm_parallel() if warm else None
    clock: dict = {}

    def choose(*args, **kwargs) -> list[str]:
        """The Import dialog: the researcher takes a moment, then chooses the files."""
        clock["warmed"] = parallel is not None and parallel.WARM.running() and parallel.WARM.wait_ready(120)
        clock["warm_cpu"] = workers_cpu(parallel) if clock["warmed"] else 0.0
        clock["start"], clock["cpu"] = time.perf_counter(), cpu_seconds() + clock["warm_cpu"]
        return [str(p) for p in paths]

    app = QApplication.instance() or QApplication([])
    settings = Settings(Path(tempfile.mkdtemp(prefix="qcdesk-bench-settings-")) / "settings.ini")
    settings.set_coder_name("benchmark")
    window = MainWindow(settings)
    window.resize(1280, 800)
    window.show()
    if not window.new_project(project_path):
        raise RuntimeError(f"the window could not create {project_path}")

    def run(files: list[Path] | None):
        """Import ``files``, or through the Import dialog when None."""
        loop = QEventLoop()
        got = []
        window.imports.finished.connect(lambda report: (got.append(report), loop.quit()))
        if files is None:
            real_dialog, dialogs.ask_open_paths = dialogs.ask_open_paths, choose
            try:
                window.imports.ask_and_import()
            finally:
                dialogs.ask_open_paths = real_dialog
        else:
            window.imports.start(files)
        if not got:
            loop.exec()
        window.imports.finished.disconnect()
        return got[0]

    try:
        run([opened])  # the researcher has a transcript open while importing the others
        app.processEvents()
        start, cpu = time.perf_counter(), cpu_seconds()
        report = run(None if warm else paths)
        app.processEvents()
        window.transcript.viewport().grab()
        app.processEvents()
        end_cpu = cpu_seconds()
        if warm:
            start, cpu = clock["start"], clock["cpu"]
            end_cpu += workers_cpu(parallel) if clock["warmed"] else 0.0
        seconds, cpu = time.perf_counter() - start, end_cpu - cpu
        detail = f"{len(report.imported)} documents; the window shows {window.documents.names()[-1]}"
        if warm:
            detail += (f"; starting the workers took {clock['warm_cpu']:.2f} CPU s before" if clock["warmed"]
                       else "; no workers warmed (no core to spare)")
        return seconds, cpu, detail
    finally:
        if parallel is not None:
            parallel.WARM.shut_down()
        window.close()
        if window.project is not None:
            window.project.close()
        window.deleteLater()
        app.processEvents()


def real_transcripts(corpus: Path) -> list[Path]:
    """The corpus's real transcripts; all of them, or an error naming those missing."""
    paths = [Path(corpus) / name for name in REAL_TRANSCRIPTS]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise SystemExit(f"--corpus: {corpus} lacks {', '.join(missing)}")
    return paths


def run_all(files: int, chars: int, *, gui: bool = True, folder: Path | None = None, qualcoder=None,
            corpus: Path | None = None, warm: bool = True) -> dict:
    """Every row measured on the same files, one after another; ``qualcoder`` is the module
    :func:`load_qualcoder` returns, ``corpus`` the folder holding :data:`REAL_TRANSCRIPTS`;
    ``warm``: also the rows with the parsing workers started before (when this code can)."""
    warm = warm and warm_parallel() is not None
    with tempfile.TemporaryDirectory(prefix="qcdesk-import-bench-") as tmp:
        tmp_path = Path(tmp)
        if corpus is not None:
            paths = real_transcripts(corpus)
            files, chars = len(paths), 0
        else:
            folder = folder or tmp_path / "files"
            paths = sorted(folder.glob("interview-*.docx"))[:files] if folder.exists() else []
            if len(paths) < files or (paths and abs(docx_chars(paths[0]) - chars) > chars // 5):
                paths = docx_files.write_files(folder, files, chars)
        opened = docx_files.write_docx(tmp_path / "already-open.docx", chars or 250_000, seed=999)
        result: dict = {"files": files, "chars": chars, "load": os.getloadavg()}
        if corpus is None:
            result["baseline_s"], result["baseline_cpu_s"] = baseline_import(paths, tmp_path / "baseline.sqlite")
        if qualcoder is not None:
            result["qualcoder_s"], result["qualcoder_cpu_s"], result["qualcoder_detail"] = qualcoder_import(
                qualcoder, paths, tmp_path / "qualcoder")
        result["core_s"], result["core_cpu_s"], result["core_detail"] = core_import(paths, tmp_path / "core.qcdesk")
        if warm:
            result["core_warm_s"], result["core_warm_cpu_s"], result["core_warm_detail"] = core_import(
                paths, tmp_path / "core-warm.qcdesk", warm=True)
        if gui:
            result["window_s"], result["window_cpu_s"], result["window_detail"] = window_import(
                paths, tmp_path / "window.qcdesk", opened)
            if warm:
                result["window_warm_s"], result["window_warm_cpu_s"], result["window_warm_detail"] = window_import(
                    paths, tmp_path / "window-warm.qcdesk", opened, warm=True)
        result["load_after"] = os.getloadavg()
        return result


def docx_chars(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml")
    from lxml import etree

    return sum(len(t) for t in etree.fromstring(xml).itertext(f"{W}t"))


def table(result: dict) -> str:
    """Wall-clock seconds and CPU seconds (all threads and worker processes), each as a ratio to the
    lower bound; then QualCoder's times as ratios to qcdesk's, when QualCoder was measured."""
    base, base_cpu = result.get("baseline_s"), result.get("baseline_cpu_s")
    what = (f"{result['files']} real transcripts" if not result["chars"]
            else f"{result['files']} x {result['chars']:,}-character .docx")
    rows = [(f"import {what}", "seconds", "/ bound", "CPU s", "/ bound")]
    for label, key in (("plain sqlite3 lower bound (lxml, text only)", "baseline"),
                       ("QualCoder (its import code, without Qt)", "qualcoder"), ("qcdesk, core", "core"),
                       ("qcdesk, core, workers warm", "core_warm"), ("qcdesk, window", "window"),
                       ("qcdesk, window, workers started by the Import dialog", "window_warm")):
        if f"{key}_s" in result:
            s, cpu = result[f"{key}_s"], result[f"{key}_cpu_s"]
            rows.append((label, f"{s:.2f}", f"{s / base:.2f}" if base else "-", f"{cpu:.2f}",
                         f"{cpu / base_cpu:.2f}" if base_cpu else "-"))
    width = max(len(r[0]) for r in rows)
    lines = [f"{r[0]:<{width}}  {r[1]:>8}  {r[2]:>8}  {r[3]:>6}  {r[4]:>8}" for r in rows]
    if "qualcoder_s" in result:
        for label, key in (("core", "core"), ("core, workers warm", "core_warm"), ("window", "window"),
                           ("window, workers warm", "window_warm")):
            if f"{key}_s" in result:
                lines.append(f"QualCoder / qcdesk {label}: wall {result['qualcoder_s'] / result[f'{key}_s']:.2f}, "
                             f"CPU {result['qualcoder_cpu_s'] / max(result[f'{key}_cpu_s'], 1e-9):.2f} "
                             "(above 1: qcdesk is faster)")
    for key in ("core_warm", "window_warm"):
        if f"{key}_detail" in result:
            lines.append(f"{key.replace('_', ', ')}: {result[f'{key}_detail'].split('; ', 1)[-1]}")
    lines.append(f"load average before {result['load'][0]:.2f}, after {result['load_after'][0]:.2f} "
                 f"({os.cpu_count()} cores); parsing: {result.get('parse', 'auto')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--chars", type=int, default=250_000)
    parser.add_argument("--no-gui", action="store_true", help="leave out the window import")
    parser.add_argument("--folder", type=Path, help="keep the generated .docx files here (reused next time)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--parse", choices=("auto", "processes", "threads"), default="auto",
                        help="parse in worker processes or threads (auto: processes when they pay, "
                             "see qcdesk.core.importers.parallel.worth_processes)")
    parser.add_argument("--qualcoder-src", type=Path, metavar="DIR",
                        help="also run QualCoder's import code from DIR/qualcoder_import.py (see above)")
    parser.add_argument("--no-warm", action="store_true",
                        help="leave out the rows with the parsing workers started before the import")
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="import the real transcripts of this corpus folder instead of generated .docx")
    args = parser.parse_args(argv)
    qualcoder = load_qualcoder(args.qualcoder_src) if args.qualcoder_src else None
    if args.parse != "auto":
        try:
            from qcdesk.core.importers import parallel
        except ImportError:  # the code before issue 19's worker processes: threads only
            pass
        else:
            parallel.worth_processes = lambda paths: args.parse == "processes"
    result = run_all(args.files, args.chars, gui=not args.no_gui, folder=args.folder, qualcoder=qualcoder,
                     corpus=args.corpus, warm=args.parse != "threads" and not args.no_warm)
    result["parse"] = args.parse
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
