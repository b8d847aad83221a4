"""The measured steps, run against a working copy of a generated project.

Core steps use :class:`~qcdesk.core.project.Project` as the window and the workers do; window
steps drive a real :class:`~qcdesk.ui.main_window.MainWindow` offscreen in this process and
count a step done only once the event queue is empty and the transcript's viewport has been
painted (grabbed). Steps whose feature is not in this qcdesk yet raise
:class:`~measure.FeatureMissing`; they are found by name (see ``QDPX_EXPORTERS``), never
imitated. The merge step calls :meth:`qcdesk.core.codebook.CodebookService.merge` and the search step
:func:`qcdesk.core.search.search` (all hits, as the Search panel asks for them).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from measure import FeatureMissing

from qcdesk.core.models import NO_CODINGS
from qcdesk.core.project import Project

#: (package to look through, function names) for a QDPX exporter: ``function(project, out_path)``
QDPX_EXPORTERS = (("qcdesk.core.interchange", ("export_project_package", "export_qdpx", "write_qdpx")),
                  ("qcdesk.core", ("export_qdpx", "write_qdpx")))
#: a word that occurs in every generated transcript
SEARCH_QUERY = "handover"
#: the second search's word (a researcher's next search, once the texts are folded)
SEARCH_QUERY_WARM = "mentor"

#: the targets of issue 9 (seconds; memory in MB)
TARGET_OPEN = 0.5
TARGET_CODING = 0.05
TARGET_SEARCH = 0.1
TARGET_REPORT = 30.0
#: issue 16: the matrices report of 500 codes x 200 interviews (and under 200 MB, see peak RSS)
TARGET_MATRICES = 10.0
TARGET_MEMORY_MB = 500.0


@dataclass(frozen=True)
class Targets:
    open: float | None = TARGET_OPEN
    coding: float | None = TARGET_CODING
    search: float | None = TARGET_SEARCH
    report: float | None = TARGET_REPORT
    matrices: float | None = TARGET_MATRICES
    memory_mb: float = TARGET_MEMORY_MB
    #: the matrices report with every code level as rows (1,000 x 1,000 at the "scale" preset)
    every_level: bool = True


#: issue 9 for the "full" and "small" presets; issue 19 for "scale" (1,000 transcripts,
#: 1,000 codes, 250,000 codings): open < 1 s, a coding shown < 50 ms, search < 200 ms,
#: the full segments report < 2 min, memory < 600 MB
TARGETS = {
    "issue 9": Targets(),
    "issue 19": Targets(open=1.0, coding=0.05, search=0.2, report=120.0, matrices=None, memory_mb=600.0,
                        every_level=False),
}


@dataclass
class Step:
    name: str
    run: Callable[[], str | None]
    target_s: float | None = None
    #: the matching step of the plain-sqlite3 baseline, if any
    baseline: str | None = None
    #: run just before, not measured (what the user does before the measured action)
    prepare: Callable[[], None] | None = None
    #: peak RSS the step must stay under (MB), if any
    memory_mb: float | None = None


@dataclass
class Session:
    """One pass over a working copy of the project: the state the steps share."""

    path: Path
    out_dir: Path
    gui: bool = True
    core: Project | None = None
    window: object = None
    largest: int | None = None
    #: the leaf code with most codings (what a coder applies most) and the theme with most segments
    busy_leaf: int | None = None
    busy_theme: int | None = None
    applied: int | None = None
    notes: dict = field(default_factory=dict)
    targets: Targets = field(default_factory=Targets)

    # ------------------------------------------------------------------ helpers
    def settle(self) -> None:
        """Let the window finish: events processed, the transcript laid out and painted."""
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        app.processEvents()
        self.window.transcript.viewport().grab()
        self.window.transcript.margin.grab()
        app.processEvents()

    def close(self) -> None:
        if self.window is not None and self.core is self.window.project:
            self.core = None  # the window closes it
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            from PySide6.QtWidgets import QApplication

            QApplication.instance().processEvents()
            self.window = None
        if self.core is not None:
            self.core.close()
            self.core = None

    # ------------------------------------------------------------------ core steps
    def open_core(self) -> str:
        self.core = Project.open(self.path)
        docs, codes, counts = self.core.documents(), self.core.codes(), self.core.code_counts()
        self.largest = max(docs, key=lambda d: d.char_count).id
        by_id = {c.id: c for c in codes}
        leaves = [c for c in codes if not any(o.parent_id == c.id for o in codes)]
        self.busy_leaf = max(leaves, key=lambda c: counts.get(c.id, NO_CODINGS).segments).id
        totals: dict[int, int] = {}
        for code in codes:
            top = code
            while top.parent_id is not None:
                top = by_id[top.parent_id]
            totals[top.id] = totals.get(top.id, 0) + counts.get(code.id, NO_CODINGS).segments
        self.busy_theme = max(totals, key=totals.get)
        return f"{len(docs)} documents, {len(codes)} codes"

    def load_document_core(self) -> str:
        text = self.core.document_text(self.largest)
        codings = self.core.codings_for_document(self.largest)
        return f"{len(text):,} characters, {len(codings)} codings"

    def retrieve_core(self) -> str:
        """As the retrieval panel asks: the theme with sub-codes, each passage with its speaker,
        time, paragraph and speaker-turn context."""
        from qcdesk.core.retrieval import Query, retrieve

        found = retrieve(self.core, Query([self.busy_theme], include_subcodes=True))
        return f"“{self.core.code(self.busy_theme).name}” with sub-codes: {len(found)} passages"

    def insert_coding_core(self) -> str:
        start, end = self._free_range(self.busy_leaf, skip=1)
        coding = self.core.codings.apply(self.largest, self.busy_leaf, start, end).value
        return f"coding {coding.id} ({end - start} characters)"

    def _free_range(self, code_id: int, skip: int = 0) -> tuple[int, int]:
        """A speaker turn near the top of the largest document not yet coded with ``code_id``."""
        project = self.core
        taken = {(c.start, c.end) for c in project.codings_for_document(self.largest) if c.code_id == code_id}
        turns = [t for t in project.speaker_turns(self.largest) if t.end - t.start > 20]
        free = [(t.start, t.end) for t in turns[:40] if (t.start, t.end) not in taken]
        return free[min(skip, len(free) - 1)]

    # ------------------------------------------------------------------ window steps
    def make_window(self) -> None:
        """An empty main window, shown (not measured: the app is already running)."""
        from qcdesk.ui.main_window import MainWindow
        from qcdesk.ui.settings import Settings

        settings_dir = tempfile.mkdtemp(prefix="qcdesk-bench-settings-")
        settings = Settings(Path(settings_dir) / "settings.ini")
        # a coder who has already said who they are: opening a project asks nothing
        settings.set_coder_name("benchmark")
        self.window = MainWindow(settings)
        self.window.resize(1280, 800)
        self.window.show()
        from PySide6.QtWidgets import QApplication

        QApplication.instance().processEvents()

    def open_window(self) -> str:
        # one writer per project file: the window takes over from the core steps' connection
        seal = None
        if self.core is not None:
            self.core.close()
            # closed cleanly after opening's full check: as when the coder reopens yesterday's
            # project, the window opens it without the blocking check (qcdesk.core.clean_close)
            seal = getattr(self.core, "closed_seal", None)
            self.core = None
        if seal is not None:
            self.window.settings.set_clean_close_seal(self.path, seal)
        if not self.window.open_project(self.path):
            raise RuntimeError(f"the window could not open {self.path}")
        self.core = self.window.project
        self.settle()
        deferred = getattr(self.core, "check_deferred", False)
        return (f"first document shown: {self.window.transcript.document().characterCount():,} UTF-16 units"
                + ("; integrity check in the background" if deferred else ""))

    def check_texts_window(self) -> str:
        """The check of every text against its fingerprint that opening starts in the background,
        run again and waited for (the window stays usable meanwhile)."""
        from PySide6.QtCore import QEventLoop

        checker = getattr(self.window, "text_check", None)
        if checker is None:
            raise FeatureMissing("no background text check in this window")
        loop = QEventLoop()
        checker.done.connect(loop.quit)
        checker.failed.connect(loop.quit)
        try:
            checker.start()
            loop.exec()
        finally:
            checker.done.disconnect(loop.quit)
            checker.failed.disconnect(loop.quit)
        damaged = checker.last_result
        return "not finished" if damaged is None else f"{len(damaged)} damaged"

    def open_largest(self) -> str:
        if not self.window.documents.select(self.largest):
            raise RuntimeError("the largest document is not in the documents list")
        self.settle()
        view = self.window.transcript
        return f"{view.document().characterCount():,} UTF-16 units, {len(view.codings())} codings shown"

    def prepare_coding(self) -> None:
        """Not measured: the coder selects words and a code before pressing Ctrl+E."""
        start, end = self._free_range(self.busy_leaf)
        self.window.transcript.select_range(start, end)
        self.window.codebook.select_code(self.busy_leaf)
        self.settle()
        self.notes["coding range"] = (start, end)

    def apply_coding(self) -> str:
        before = len(self.window.transcript.codings())
        if not self.window.apply_current_code():
            raise RuntimeError("the window refused to apply the code")
        self.settle()
        after = len(self.window.transcript.codings())
        if after != before + 1:
            raise RuntimeError(f"the transcript shows {after} codings, expected {before + 1}")
        return f"{after} codings shown; segments panel lists {self.window.segments.row_count()}"

    def undo_coding(self) -> str:
        before = len(self.window.transcript.codings())
        self.window.act_undo.trigger()
        self.settle()
        after = len(self.window.transcript.codings())
        if after != before - 1:
            raise RuntimeError(f"the transcript shows {after} codings after undo, expected {before - 1}")
        return f"{after} codings shown"

    def prepare_select(self) -> None:
        """Not measured: the coder is on another code (the theme of the busiest leaf's sibling)."""
        self.window.codebook.select_code(self.busy_theme)
        self.settle()

    def select_code(self) -> str:
        """Clicking the code to apply (issue 19: "select text and a code before coding"): the
        segments panel lists the busiest leaf code's segments."""
        self.window.codebook.select_code(self.busy_leaf)
        self.settle()
        self.window.segments.tree.viewport().grab()
        return self.window.segments.title.text()

    def create_code(self) -> str:
        """A new sub-code of the busiest leaf, as the codebook's Sub-code does, until shown."""
        before = self.window.codebook.model.rowCount()
        code = self.core.codebook.add("benchmark new code", parent_id=self.busy_leaf).value
        self.settle()
        if not self.window.codebook.model.index_for_code(code.id).isValid():
            raise RuntimeError("the new code is not in the codebook")
        return f"{len(self.core.codes())} codes ({before} themes)"

    def retrieve_panel(self) -> str:
        self.window.codebook.select_code(self.busy_theme)
        self.settle()
        return self.window.segments.title.text()

    # ------------------------------------------------------------------ features that may be missing
    def search(self, query: str = SEARCH_QUERY) -> str:
        try:
            from qcdesk.core.search import search
        except ImportError as exc:
            raise FeatureMissing("no qcdesk.core.search") from exc
        hits = search(self.core, query)
        # as the Search panel counts them (an older search returned a plain list)
        documents = getattr(hits, "document_ids", None) or {h.document_id for h in hits}
        return f"“{query}”: {len(hits)} hits in {len(documents)} documents"

    def search_warm(self) -> str:
        """A second search, another word: the texts were read and folded by the first."""
        return self.search(SEARCH_QUERY_WARM)

    def forget_searches(self) -> None:
        """Not measured: what an earlier search learnt about the texts (the Search panel's, in
        the window's project) is forgotten, so the core search starts as on a project just opened."""
        from qcdesk.core import search

        search._indexes.pop(self.core, None)

    def prepare_search_panel(self) -> None:
        """Not measured: Analysis ▸ Search text opens the panel and the word is typed."""
        self.window.search.show()
        self.window.search.panel.query.setText(SEARCH_QUERY)
        self.settle()

    def search_panel(self) -> str:
        """Return pressed in the Search panel until its count is shown and its list painted
        (each row's context is read as the row is painted)."""
        panel = self.window.search.panel
        panel.query.returnPressed.emit()
        self.settle()
        panel.table.viewport().grab()
        return panel.status.text()

    def merge(self) -> str:
        codes = self.core.codes()
        counts = self.core.code_counts()
        leaves = sorted((c for c in codes if c.id != self.busy_leaf and not any(o.parent_id == c.id for o in codes)),
                        key=lambda c: -counts.get(c.id, NO_CODINGS).segments)
        source, target = leaves[0].id, leaves[1].id
        self.core.codebook.merge([source], target)
        return f"merged {counts.get(source, (0, 0))[0]} codings into a code with {counts.get(target, (0, 0))[0]}"

    def word_report(self) -> str:
        from qcdesk.core.reports import write_report

        out = self.out_dir / "report-all-segments.docx"
        # as the export worker does: its own read-only connection
        with Project.open(self.path, read_only=True) as project:
            write_report(project, "segments-by-code", out)
        return f"{out.name}: {out.stat().st_size / 1024 / 1024:.1f} MB"

    def matrices_report(self, max_level: int | None = None) -> str:
        from qcdesk.core.reports import ReportOptions, write_report

        name = "report-matrices.docx" if max_level is None else f"report-matrices-{max_level}-levels.docx"
        out = self.out_dir / name
        with Project.open(self.path, read_only=True) as project:
            write_report(project, "matrices", out, ReportOptions(include_charts=False, max_level=max_level))
        return f"{out.name}: {out.stat().st_size / 1024 / 1024:.1f} MB"

    def qdpx_export(self) -> str:
        exporter = find_qdpx_exporter()
        if exporter is None:
            raise FeatureMissing("no export_qdpx/write_qdpx function in qcdesk.core")
        out = self.out_dir / "export.qdpx"
        with Project.open(self.path, read_only=True) as project:
            exporter(project, out)
        return f"{out.name}: {out.stat().st_size / 1024 / 1024:.1f} MB"

    # ------------------------------------------------------------------ the list
    def steps(self) -> list[Step]:
        t = self.targets
        out = [
            Step("open project (core)", self.open_core, baseline="open"),
            Step("load largest document + codings (core)", self.load_document_core, baseline="load document"),
            Step("retrieve one code's segments (core)", self.retrieve_core, baseline="retrieve code"),
            Step("insert one coding (core)", self.insert_coding_core, baseline="insert coding"),
        ]
        if self.gui:
            out += [
                Step("open project (window)", self.open_window, t.open),
                Step("check every text (window, in the background)", self.check_texts_window),
                Step("open largest document, codings shown", self.open_largest, TARGET_OPEN),
                Step("select a code (segments panel)", self.select_code, prepare=self.prepare_select),
                Step("apply one coding, shown", self.apply_coding, t.coding, prepare=self.prepare_coding,
                     baseline="insert coding"),
                Step("undo that coding, shown", self.undo_coding, t.coding),
                Step("create a code, shown", self.create_code),
                Step("retrieve one code (segments panel)", self.retrieve_panel),
                Step("full-text search (Search panel, after the text check primed it)", self.search_panel,
                     t.search, prepare=self.prepare_search_panel),
            ]
        out += [
            Step("full-text search (core, cold: every text read)", self.search, prepare=self.forget_searches),
            Step("full-text search (core, warm: a second word)", self.search_warm, t.search),
            Step("merge two codes", self.merge),
            Step("Word report, all segments", self.word_report, t.report, memory_mb=t.memory_mb),
            Step("Word report, matrices", self.matrices_report, t.matrices),
        ]
        if t.every_level:
            out.append(Step("Word report, matrices, every code level", lambda: self.matrices_report(max_level=99),
                            t.matrices))
        out.append(Step("QDPX export", self.qdpx_export, memory_mb=t.memory_mb))
        return out


def _first_attr(obj: object, names: tuple[str, ...]):
    for name in names:
        found = getattr(obj, name, None)
        if callable(found):
            return found
    return None


def find_qdpx_exporter():
    """The QDPX export function, if this qcdesk has one."""
    for package, names in QDPX_EXPORTERS:
        try:
            pkg = importlib.import_module(package)
        except ImportError:
            continue
        modules = [pkg]
        if package != "qcdesk.core" and hasattr(pkg, "__path__"):
            for info in pkgutil.iter_modules(pkg.__path__, package + "."):
                try:
                    modules.append(importlib.import_module(info.name))
                except Exception:  # noqa: BLE001 - a half-built module is not an exporter
                    continue
        for module in modules:
            found = _first_attr(module, names)
            if found is not None:
                return found
    return None


def ensure_qapp(as_qcdesk: bool = True):
    """The QApplication for window steps, offscreen unless a platform was chosen; ``as_qcdesk``:
    Qt set up as qcdesk's start-up sets it (another application's side keeps Qt's defaults)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if as_qcdesk:
        from qcdesk.ui.paint_env import paint_on_the_gui_thread

        paint_on_the_gui_thread()
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


@contextlib.contextmanager
def never_block_on_dialogs(seen: list):
    """A benchmark must never wait on a modal box: record what the window would have said
    (as (kind, title, text) in ``seen``) while the window steps run; restored afterwards."""
    from qcdesk.ui import dialogs

    saved = {name: getattr(dialogs, name) for name in ("error", "warning", "info", "confirm")}
    for kind in ("error", "warning", "info"):
        setattr(dialogs, kind, lambda parent, title, text, _k=kind: seen.append((_k, title, text)))
    dialogs.confirm = lambda parent, title, text: seen.append(("confirm", title, text)) or True
    try:
        yield seen
    finally:
        for name, fn in saved.items():
            setattr(dialogs, name, fn)
