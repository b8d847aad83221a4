"""Help ▸ About qcdesk: the version, the licence, the bundled components with theirs, and the promise
that qcdesk makes no network connections.

Versions are read at run time from the components actually loaded (in an installer's bundle, the
copies inside it), so the dialog tells the truth about the installation it is shown from.
"""

from __future__ import annotations

import html
import platform
import sqlite3
from dataclasses import dataclass
from importlib import metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from qcdesk import APP_NAME, __version__

PROJECT_LICENCE = "GPL-3.0-or-later"
NO_NETWORK = ("qcdesk makes no network connections: your projects and transcripts stay on this "
              "computer, in the files you choose.")
LGPL_NOTE = ("Qt and Qt for Python are used under the GNU Lesser General Public License version 3 and "
             "are installed as separate shared libraries, which you may replace with versions of your own.")


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    role: str


def _dist_version(*dists: str) -> str:
    for dist in dists:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def _pyside_version() -> str:
    import PySide6

    return PySide6.__version__


def _sqlcipher() -> tuple[str, str]:
    """(SQLCipher library version, driver version), or "not installed" for both."""
    from qcdesk.core.storage.encryption import cipher_library_version

    library = cipher_library_version()
    if library is None:
        return "not installed", "not installed"
    return library, _dist_version("sqlcipher3-binary", "sqlcipher3-wheels", "sqlcipher3")


def components() -> list[Component]:
    """qcdesk and every component it runs on, with the versions loaded now and their licences."""
    cipher, driver = _sqlcipher()
    return [
        Component(APP_NAME, __version__, PROJECT_LICENCE, "this application"),
        Component("Python", platform.python_version(), "PSF-2.0", "language runtime"),
        Component("Qt", qVersion(), "LGPL-3.0", "user interface toolkit"),
        Component("Qt for Python (PySide6, Shiboken6)", _pyside_version(), "LGPL-3.0", "Qt bindings"),
        Component("SQLite", sqlite3.sqlite_version, "Public domain", "project file database"),
        Component("sqlite-utils", _dist_version("sqlite-utils"), "Apache-2.0", "database helpers"),
        Component("SQLCipher", cipher, "BSD-3-Clause", "encrypted project files"),
        Component("sqlcipher3", driver, "Zlib", "SQLCipher driver"),
        Component("OpenSSL (libcrypto)", "as bundled with sqlcipher3", "Apache-2.0", "SQLCipher's cryptography"),
        Component("python-docx", _dist_version("python-docx"), "MIT", "Word import and reports"),
        Component("lxml (libxml2, libxslt)", _dist_version("lxml"), "BSD-3-Clause; MIT", "XML for Word and ODT"),
        Component("charset-normalizer", _dist_version("charset-normalizer"), "MIT", "text encoding detection"),
        Component("pypdf", _dist_version("pypdf"), "BSD-3-Clause", "PDF import"),
    ]


def components_html(items: list[Component]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{html.escape(c.version)}</td>"
        f"<td>{html.escape(c.licence)}</td><td>{html.escape(c.role)}</td></tr>" for c in items)
    head = "<tr><th align=left>Component</th><th align=left>Version</th><th align=left>Licence</th>" \
           "<th align=left>Used for</th></tr>"
    return (f"<table cellspacing=0 cellpadding=3>{head}{rows}</table>"
            f"<p>{html.escape(LGPL_NOTE)}</p>")


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.resize(640, 520)
        layout = QVBoxLayout(self)

        header = QLabel()
        header.setObjectName("aboutHeader")
        header.setTextFormat(Qt.TextFormat.RichText)
        header.setWordWrap(True)
        header.setText(
            f"<h2>{APP_NAME} {html.escape(__version__)}</h2>"
            "<p>Qualitative coding of interview transcripts in one local project file.</p>"
            f"<p>Licensed under the GNU General Public License, version 3 or later ({PROJECT_LICENCE}).</p>"
            f"<p><b>{html.escape(NO_NETWORK)}</b></p>")
        icon = self.windowIcon()
        if not icon.isNull():
            picture = QLabel()
            picture.setPixmap(icon.pixmap(64, 64))
            layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(header)

        self.details = QTextBrowser()
        self.details.setObjectName("aboutComponents")
        self.details.setOpenLinks(False)
        self.details.setHtml(components_html(components()))
        layout.addWidget(self.details, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Show the About dialog without blocking (one at a time per parent); returns it."""
    existing = parent.findChild(AboutDialog, "aboutDialog") if parent is not None else None
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
