"""Help ▸ About qcdesk: version, licences of the bundled components, the no-network promise."""

from __future__ import annotations

import sqlite3
from importlib import metadata

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QTextBrowser

from qcdesk import __version__
from qcdesk.ui.about import AboutDialog, components
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window(exposed=True)


def open_about(qtbot, win: MainWindow) -> AboutDialog:
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if a.objectName() == "actionAbout")
    assert action.text() == "&About qcdesk"
    action.trigger()
    dialog = win.findChild(AboutDialog, "aboutDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_about_shows_version_licences_and_no_network_promise(qtbot, window):
    dialog = open_about(qtbot, window)
    assert dialog.windowTitle() == "About qcdesk"
    header = dialog.findChild(QLabel, "aboutHeader")
    assert f"qcdesk {__version__}" in header.text()
    assert "GPL-3.0-or-later" in header.text()
    assert "makes no network connections" in header.text()

    table = dialog.findChild(QTextBrowser, "aboutComponents").toPlainText()
    for expected in (f"Qt\n{qVersion()}\nLGPL-3.0", f"{pyside_version}\nLGPL-3.0",
                     f"SQLite\n{sqlite3.sqlite_version}\nPublic domain",
                     f"sqlite-utils\n{metadata.version('sqlite-utils')}\nApache-2.0",
                     f"python-docx\n{metadata.version('python-docx')}\nMIT",
                     "SQLCipher", "Zlib", "BSD-3-Clause"):
        assert expected in table, (expected, table)
    assert "GNU Lesser General Public License" in table


def test_about_opens_once_and_closes_with_its_button(qtbot, window):
    first = open_about(qtbot, window)
    assert open_about(qtbot, window) is first
    close = first.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    with qtbot.waitSignal(first.destroyed, timeout=30000):
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
    assert window.findChild(AboutDialog, "aboutDialog") is None


def test_components_name_the_running_versions_and_a_licence_each():
    items = components()
    assert items[0].name == "qcdesk" and items[0].version == __version__
    assert all(c.licence and c.version for c in items)
    cipher = next(c for c in items if c.name == "SQLCipher")
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        assert cipher.version == "not installed"
    else:  # the driver is a dependency: its library reports a version such as "4.6.1 community"
        assert cipher.version[0].isdigit(), cipher.version
