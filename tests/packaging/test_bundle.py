"""The Linux installer, built and used as a researcher would: the .deb unpacked, its desktop entry,
MIME type and icons in place, and the bundled app started on a project and closed again.

Slow (it runs PyInstaller and dpkg-deb, about a minute), so it is marked ``packaging`` and left out
of default runs: ``python3 packaging/dev.py test -m packaging`` runs it alone. A bundle and .deb
newer than every source file are reused.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from qcdesk.core.importing import import_files
from qcdesk.core.project import Project

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb is built on Linux"),
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BUNDLE_EXE = ROOT / "dist" / "qcdesk" / "qcdesk"
SOURCES = [ROOT / "qcdesk", ROOT / "resources", ROOT / "packaging" / "qcdesk.spec",
           ROOT / "packaging" / "linux_package.py", ROOT / "packaging" / "linux", ROOT / "pyproject.toml"]
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SMOKE_LINE = re.compile(r"^qcdesk-smoke: opened (.+) in (\d+\.\d{3}) s$", re.M)


def _newest_source() -> float:
    newest = 0.0
    for source in SOURCES:
        files = [source] if source.is_file() else [p for p in source.rglob("*")
                                                    if p.is_file() and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


def _deb_path() -> Path:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    return ROOT / "dist" / f"qcdesk_{VERSION}_{arch}.deb"


@pytest.fixture(scope="module")
def deb() -> Path:
    """The .deb, built with packaging/build_linux.sh unless an up-to-date one is there."""
    deb = _deb_path()
    fresh = deb.exists() and BUNDLE_EXE.exists() and deb.stat().st_mtime > _newest_source()
    if not fresh:
        result = subprocess.run(["bash", str(ROOT / "packaging" / "build_linux.sh")], cwd=ROOT,
                                env=dict(os.environ, PYTHON=sys.executable),
                                capture_output=True, text=True, timeout=1200)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert deb.exists()
    return deb


@pytest.fixture(scope="module")
def installed(deb: Path, tmp_path_factory) -> Path:
    """The .deb unpacked as dpkg would install it, under a temporary root."""
    root = tmp_path_factory.mktemp("debroot")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home),
                XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_package_fields(deb):
    fields = {name: subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                                   check=True).stdout.strip()
              for name in ("Package", "Version", "Depends", "Installed-Size")}
    assert fields["Package"] == "qcdesk"
    assert fields["Version"] == VERSION
    assert "libc6 (>= " in fields["Depends"] and "libegl1" in fields["Depends"]
    assert int(fields["Installed-Size"]) > 10_000  # KiB: the whole bundle, not an empty shell


def test_desktop_entry_opens_qcdesk_files_with_the_installed_command(installed):
    entry_file = installed / "usr/share/applications/qcdesk.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(entry_file, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "qcdesk"
    assert entry["Exec"] == "qcdesk %f"
    assert entry["Icon"] == "qcdesk"
    assert "application/x-qcdesk" in entry["MimeType"].split(";")
    assert entry["Terminal"] == "false"
    command = installed / "usr/bin/qcdesk"
    assert command.is_symlink() and os.readlink(command) == "/opt/qcdesk/qcdesk"
    assert os.access(installed / "opt/qcdesk/qcdesk", os.X_OK)
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(entry_file)], capture_output=True, text=True)
        assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def test_mime_type_claims_the_qcdesk_suffix(installed):
    xml = installed / "usr/share/mime/packages/qcdesk.xml"
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.parse(xml).getroot().find("m:mime-type", ns)
    assert mime.get("type") == "application/x-qcdesk"
    assert [g.get("pattern") for g in mime.findall("m:glob", ns)] == ["*.qcdesk"]
    # the SQLite magic bytes must not beat the glob: the type is declared a kind of SQLite file
    assert mime.find("m:sub-class-of", ns).get("type") == "application/vnd.sqlite3"
    if shutil.which("update-mime-database"):  # compile it as the shared-mime-info trigger would
        subprocess.run(["update-mime-database", str(xml.parent.parent)], check=True, capture_output=True)
        globs = (xml.parent.parent / "globs2").read_text(encoding="utf-8")
        assert re.search(r"^\d+:application/x-qcdesk:\*\.qcdesk$", globs, re.M), globs


def test_icons_in_every_hicolor_size(installed):
    hicolor = installed / "usr/share/icons/hicolor"
    for size in ICON_SIZES:
        for icon in (hicolor / f"{size}x{size}/apps/qcdesk.png",
                     hicolor / f"{size}x{size}/mimetypes/application-x-qcdesk.png"):
            assert _png_size(icon) == (size, size), icon
    assert (hicolor / "scalable/apps/qcdesk.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (installed / "usr/share/doc/qcdesk/copyright").read_text(encoding="utf-8").count("License:") >= 5


def test_bundle_carries_resources_and_the_sqlcipher_driver(installed):
    internal = installed / "opt/qcdesk/_internal"
    assert (internal / "resources/icons/qcdesk-256.png").exists()
    assert sorted(p.name for p in (internal / "resources/demo").glob("*.txt"))
    assert list((internal / "sqlcipher3").glob("_sqlite3*.so"))
    assert not list(internal.rglob("libgtk-3.so*")), "the build machine's GTK must not be bundled"


def test_bundle_carries_qt_multimedia_and_its_ffmpeg_backend(installed):
    internal = installed / "opt/qcdesk/_internal"
    assert list(internal.rglob("QtMultimedia.*.so")) or list(internal.rglob("QtMultimedia.abi3.so"))
    assert list(internal.rglob("plugins/multimedia/libffmpegmediaplugin.so")), "the player needs the FFmpeg plugin"


def test_installed_app_opens_a_project_and_closes_cleanly(installed, tmp_path):
    (tmp_path / "P01.txt").write_text("Interviewer: How did you meet?\nP01: At a conference.\n", encoding="utf-8")
    project_file = tmp_path / "Mentoring study.qcdesk"
    with Project.create(project_file) as project:
        assert len(import_files(project, [tmp_path / "P01.txt"]).imported) == 1
    result = subprocess.run([str(installed / "opt/qcdesk/qcdesk"), "--smoke-test", str(project_file)],
                            env=_env(tmp_path / "home"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    match = SMOKE_LINE.search(result.stdout)
    assert match, result.stdout + result.stderr
    assert match.group(1) == "Mentoring study.qcdesk with 1 documents"
    assert not Path(f"{project_file}-wal").exists()  # the project was closed, not abandoned
    assert "Traceback" not in result.stderr


def test_installed_app_builds_and_opens_the_demo_in_a_new_home(installed, tmp_path):
    # a fresh home: the demo is built from the bundle's resources by the bundle's own file readers
    result = subprocess.run([str(installed / "opt/qcdesk/qcdesk"), "--smoke-test", "--demo"],
                            env=_env(tmp_path / "home"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert SMOKE_LINE.search(result.stdout).group(1) == "qcdesk-demo.qcdesk with 4 documents"


def test_installed_command_line_reads_a_project(installed, tmp_path):
    project_file = tmp_path / "cli.qcdesk"
    Project.create(project_file).close()
    result = subprocess.run([str(installed / "opt/qcdesk/qcdesk"), "stats", str(project_file), "--json"],
                            env=_env(tmp_path / "home"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert '"documents": 0' in result.stdout


def test_appimage_folder_runs_the_app(deb, tmp_path):
    """The AppDir handed to appimagetool: desktop entry, icon, and an AppRun that starts the bundle.

    appimagetool itself is not installed here (no Debian or PyPI package has it); a stand-in records
    what it was given, and the AppDir is run directly, as the AppImage's runtime would run it.
    """
    tool = tmp_path / "appimagetool"
    tool.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/args"\ntouch "$3"\n', encoding="utf-8")
    tool.chmod(0o755)
    work, out = tmp_path / "work", tmp_path / "out"
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "linux_package.py"), "appimage",
                             "--work", str(work), "--out", str(out)],
                            env=dict(os.environ, APPIMAGETOOL=str(tool)), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    appdir = work / "qcdesk.AppDir"
    args = (tmp_path / "args").read_text(encoding="utf-8").split()
    assert args == ["--no-appstream", str(appdir), str(out / f"qcdesk-{VERSION}-{os.uname().machine}.AppImage")]
    assert (appdir / "qcdesk.desktop").read_text(encoding="utf-8").count("Exec=qcdesk %f") == 1
    assert _png_size(appdir / "qcdesk.png") == (256, 256)
    run = subprocess.run([str(appdir / "AppRun"), "--smoke-test"], env=_env(tmp_path / "home"),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert SMOKE_LINE.search(run.stdout).group(1) == "the window without a project"
