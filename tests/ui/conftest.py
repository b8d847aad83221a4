"""Shared by the widget tests: nothing may ever wait on a modal message box.

``packaging/dev.py test`` runs these tests twice, offscreen and then on X11 (``QCDESK_X11_RUN=1``).
The X11 run leaves out the tests that take neither ``qtbot`` nor ``qapp`` (directly or through a
fixture): they make no widget, or make one only in a subprocess forced offscreen, so a second run
on X11 would test nothing the first did not.
"""

from __future__ import annotations

import os
from array import array
from collections import Counter
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QStyle, QStyleOptionButton

from builders import empty_project
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.paint_env import paint_on_the_gui_thread

paint_on_the_gui_thread()  # the widgets paint as in the window (before the QApplication exists)

#: how long an unpatched modal dialog may stay open in a test before it is rejected
DIALOG_GRACE_MS = 3000
CODEBOOK_TEXT = "Participant: the bus took an hour, and then the clinic kept us waiting. " * 4

#: the fixtures through which a test gets a QApplication (every widget needs one)
QT_FIXTURES = {"qtbot", "qapp"}
HERE = Path(__file__).resolve().parent


def makes_widgets(item: pytest.Item) -> bool:
    return bool(QT_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the X11 run, leave out the widget-folder tests that make no widget."""
    if os.environ.get("QCDESK_X11_RUN", "") in {"", "0"}:
        return
    kept, left_out = [], []
    for item in items:
        (kept if makes_widgets(item) or HERE not in Path(str(item.path)).parents else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(autouse=True)
def no_modal_message_boxes(monkeypatch):
    """Static QMessageBox calls answer at once: "No" to questions, "Ok" to the rest.

    A test that needs another answer patches the method again (its patch wins).
    """
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))


@pytest.fixture
def messages(monkeypatch):
    """Records what the window tells the user through qcdesk.ui.dialogs: (kind, title, text).

    Questions (``confirm``) answer "yes"; a test wanting "no" patches ``dialogs.confirm`` again.
    """
    from qcdesk.ui import dialogs

    seen: list[tuple[str, str, str]] = []
    for kind in ("error", "warning", "info"):
        monkeypatch.setattr(dialogs, kind, lambda parent, title, text, _k=kind: seen.append((_k, title, text)))
    monkeypatch.setattr(dialogs, "confirm",
                        lambda parent, title, text: seen.append(("confirm", title, text)) or True)
    return seen


@pytest.fixture(autouse=True)
def no_coder_question(monkeypatch):
    """Opening a project does not stop to ask "Who is coding?": the coder comes from the settings.

    A test of that question patches ``TeamFeature._ask_coder`` again (its patch wins).
    """
    from qcdesk.ui.team import TeamFeature

    monkeypatch.setattr(TeamFeature, "_ask_coder", lambda self, names, suggested: None)


@pytest.fixture(autouse=True)
def no_dialog_waits_forever(monkeypatch):
    """A safety net: ``QDialog.exec()`` runs a local event loop that ends by itself.

    A test that drives the dialog (with a timer, or by patching the method that shows it)
    is unaffected. A dialog nobody answers is rejected after :data:`DIALOG_GRACE_MS` and
    the test fails naming it, instead of the whole run hanging on an invisible window.
    """
    stuck: list[str] = []

    def exec_(self) -> int:
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        self.open()

        def give_up() -> None:
            if shiboken6.isValid(self) and self.isVisible():  # answered and deleted: nothing to do
                stuck.append(f"{type(self).__name__} {self.windowTitle()!r}")
                self.reject()

        QTimer.singleShot(DIALOG_GRACE_MS, give_up)
        if self.isVisible():
            loop.exec()
        return self.result()

    def menu_exec(self, *args, **kwargs):
        """A context menu nobody picks from closes after the grace time and fails the test."""
        loop = QEventLoop()
        self.aboutToHide.connect(loop.quit)
        chosen: list = []
        self.triggered.connect(chosen.append)
        self.popup(args[0] if args and not isinstance(args[0], list) else self.pos())

        def give_up() -> None:
            if self.isVisible():
                stuck.append(f"menu {self.title() or self.objectName() or 'context menu'}")
                self.close()

        QTimer.singleShot(DIALOG_GRACE_MS, give_up)
        if self.isVisible():
            loop.exec()
        return chosen[0] if chosen else None

    monkeypatch.setattr(QDialog, "exec", exec_)
    monkeypatch.setattr(QMenu, "exec", menu_exec)
    yield
    assert not stuck, f"a modal dialog was left for the user to answer: {stuck}"


@pytest.fixture
def codebook_project(tmp_path, qapp):
    """Barriers > {Access > {Travel, Waiting}, Communication > {Jargon}}, Identity > {Role models}."""
    p = empty_project(tmp_path / "p.qcdesk")
    ids = {}
    ids["Barriers"] = p.codebook.add("Barriers", color="#ff0000", description="Anything in the way").value.id
    ids["Access"] = p.codebook.add("Access", parent_id=ids["Barriers"]).value.id
    ids["Travel"] = p.codebook.add("Travel", parent_id=ids["Access"], description="Getting there").value.id
    ids["Waiting"] = p.codebook.add("Waiting", parent_id=ids["Access"]).value.id
    ids["Communication"] = p.codebook.add("Communication", parent_id=ids["Barriers"]).value.id
    ids["Jargon"] = p.codebook.add("Jargon", parent_id=ids["Communication"]).value.id
    ids["Identity"] = p.codebook.add("Identity").value.id
    ids["Role models"] = p.codebook.add("Role models", parent_id=ids["Identity"]).value.id
    doc = p.documents.add("Interview 1", ParsedDocument(text=CODEBOOK_TEXT, source_format="txt"))
    p.codings.apply(doc.id, ids["Travel"], 0, 20)
    p.codings.apply(doc.id, ids["Travel"], 30, 40)
    p.codings.apply(doc.id, ids["Waiting"], 50, 70)
    p.ids = ids
    p.doc_id = doc.id
    yield p
    p.close()


@pytest.fixture
def captured(project):
    """The Changes of every committed action of the module's ``project`` from now on."""
    seen = []
    project.subscribe(seen.append)
    return seen


@pytest.fixture
def activate(qtbot):
    """``activate(widget)`` makes the widget's window the active one and waits until it is.

    Window shortcuts (Ctrl+E, Ctrl+Z, …) reach only the active window. Offscreen a shown
    window happens to be active; on X11 it is not until activated (as a click would), and
    a window shown by an earlier test may still hold the focus.
    """
    def activate_(widget):
        window = widget.window()
        window.raise_()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return activate_


@pytest.fixture
def click_check_box(qtbot):
    """``click_check_box(box)`` clicks the middle of a QCheckBox's square, wherever the style and
    the fonts put it (the widget's centre may be past the end of a short label)."""
    def click(box):
        option = QStyleOptionButton()
        box.initStyleOption(option)
        square = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        assert square.isValid() and box.rect().contains(square.center()), square
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=square.center())

    return click


@pytest.fixture
def ink():
    """``ink(widget, rect=None)``: how many pixels of the widget as drawn (inside ``rect``, in the
    widget's coordinates) differ from the colour most of that area has: 0 when nothing but the
    background is there. Whatever the fonts, text and drawings leave ink where they are shown."""
    def count(widget, rect=None) -> int:
        image = widget.grab(widget.rect() if rect is None else rect).toImage()
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        if image.isNull():
            return 0
        pixels = array("I", bytes(image.constBits())[:image.sizeInBytes()])
        [(_background, most)] = Counter(pixels).most_common(1)
        return len(pixels) - most

    return count


@pytest.fixture
def make_window(qtbot, tmp_path, request):
    """``make_window(project=None, *, new=None, size=None, coder=None, settings=None, ...)``: a shown
    MainWindow, closed after the test. The one way the widget tests build a window.

    ``project`` is opened (the test fails, naming what the window said, when it does not open);
    ``new`` creates a project there instead. ``size`` (width, height) resizes before showing;
    ``coder`` is the settings' coder name; ``settings`` a Settings of the test's own (default: a
    fresh ``settings.ini`` in ``tmp_path``, or ``settings_file`` there). ``show=False`` leaves it
    hidden; ``exposed`` waits until it is on screen; ``active`` activates it (window shortcuts reach
    only the active window). ``teardown``: "close" closes the window (its settings are saved),
    "project" closes only the project.
    """
    from qcdesk.ui.main_window import MainWindow
    from qcdesk.ui.settings import Settings

    made: list[tuple[MainWindow, str]] = []

    def said() -> list:
        """What the window told the user, when the test records it (the ``messages`` fixture)."""
        return request.getfixturevalue("messages") if "messages" in request.fixturenames else []

    def make(project=None, *, new=None, size=None, coder=None, settings=None, settings_file="settings.ini",
             show=True, exposed=False, active=False, teardown="close") -> MainWindow:
        if settings is None:
            settings = Settings(tmp_path / settings_file)
        if coder is not None:
            settings.set_coder_name(coder)
        win = MainWindow(settings)
        qtbot.addWidget(win)
        made.append((win, teardown))
        if size is not None:
            win.resize(*size)
        if show:
            win.show()
        if exposed:
            qtbot.waitExposed(win)
        if project is not None:
            assert win.open_project(project), said()
        if new is not None:
            assert win.new_project(new), said()
        if active:
            win.raise_()
            win.activateWindow()
            qtbot.waitUntil(win.isActiveWindow)
        return win

    yield make
    for win, teardown in reversed(made):
        if shiboken6.isValid(win):
            win.close() if teardown == "close" else win.close_project()


@pytest.fixture
def window(make_window, project_path, messages):
    """The usual window: ``project_path`` (a fixture of the test module) open in a shown 1200×800
    window; what it tells the user is recorded in ``messages``."""
    return make_window(project_path, size=(1200, 800), exposed=True)
