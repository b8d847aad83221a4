#!/usr/bin/env python3
"""Set up a development environment and run qcdesk or its tests: the README's two commands.

    python3 packaging/dev.py demo   # make .venv, install qcdesk, open the demo project
    python3 packaging/dev.py test   # make .venv, install qcdesk and test tools, run all tests

Only the standard library is used here. The virtual environment lives in ``.venv``
at the project root and is reinstalled whenever ``pyproject.toml`` changes. On a
Linux machine where we are root and Qt's system libraries are missing, they are
installed with apt-get (CI machines start bare).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".qcdesk-installed"
# Debian packages providing the libraries Qt's xcb/offscreen platforms load.
QT_SYSTEM_PACKAGES = [
    "libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1", "libfreetype6",
    "libglib2.0-0", "libdbus-1-3", "libx11-xcb1", "libxcb-cursor0", "libxcb-icccm4",
    "libxcb-keysyms1", "libxcb-shape0", "libxcb-xinerama0", "libxcb-randr0", "libxcb-render-util0",
    "libxcb-image0", "fonts-dejavu-core",
]
# Debian packages the report tests print with (LibreOffice to PDF, pdftotext); tests skip without them.
REPORT_TEST_PACKAGES = ["libreoffice-writer-nogui", "poppler-utils"]


def log(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> Path:
    py = venv_python()
    if not py.exists():
        log(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != wanted_stamp():
        log("installing qcdesk and its test tools (pip install -e .[test])")
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted_stamp())
    return py


def missing_qt_libraries(py: Path) -> list[str]:
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    code = "import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent)"
    pyside = Path(subprocess.run([str(py), "-c", code], capture_output=True, text=True,
                                 check=True).stdout.strip())
    libs = [pyside / "Qt/lib/libQt6Gui.so.6", pyside / "Qt/lib/libQt6Widgets.so.6",
            pyside / "Qt/plugins/platforms/libqoffscreen.so", pyside / "Qt/plugins/platforms/libqxcb.so"]
    missing = set()
    for lib in libs:
        if lib.exists():
            out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True).stdout
            missing.update(line.split()[0] for line in out.splitlines() if "not found" in line)
    return sorted(missing)


def ensure_system_libraries(py: Path) -> None:
    missing = missing_qt_libraries(py)
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log("Qt needs system libraries that are missing: " + ", ".join(missing))
        log("install them with your package manager (Debian/Ubuntu: "
            + " ".join(QT_SYSTEM_PACKAGES) + ")")
        return
    log("installing Qt's system libraries with apt-get: " + ", ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *QT_SYSTEM_PACKAGES],
                   check=True, env=env)


def ensure_report_test_tools() -> None:
    """LibreOffice and poppler for the tests that print reports to PDF, when we may install them."""
    if shutil.which("soffice") and shutil.which("pdftotext"):
        return
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("apt-get"):
        log("report PDF tests will be skipped: install " + " ".join(REPORT_TEST_PACKAGES) + " to run them")
        return
    log("installing the report tests' tools with apt-get: " + ", ".join(REPORT_TEST_PACKAGES))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *REPORT_TEST_PACKAGES],
                   check=True, env=env)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "setup"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    py = ensure_venv()
    ensure_system_libraries(py)
    if command == "setup":
        return 0
    if command == "demo":
        return subprocess.call([str(py), "-m", "qcdesk", "--demo", *rest], cwd=ROOT)
    ensure_report_test_tools()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
