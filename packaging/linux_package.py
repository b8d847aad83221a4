#!/usr/bin/env python3
"""Wrap the one-folder bundle (``dist/qcdesk``) into Linux installers: a ``.deb`` and an AppImage.

    python3 packaging/linux_package.py deb       # dist/qcdesk_<version>_<arch>.deb (dpkg-deb)
    python3 packaging/linux_package.py appimage  # dist/qcdesk-<version>-<arch>.AppImage (appimagetool)

The .deb installs the bundle in ``/opt/qcdesk`` with ``/usr/bin/qcdesk`` pointing at it, a desktop
entry, the icon in every hicolor size, and the MIME type ``application/x-qcdesk`` (``*.qcdesk``) so a
double-clicked project opens in qcdesk. Debian's triggers (desktop-file-utils, shared-mime-info,
hicolor-icon-theme) refresh the desktop's caches, so the package needs no maintainer scripts.
Only the standard library is used; run it after PyInstaller (``packaging/build_linux.sh`` does both).
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
APP = "qcdesk"
MIME_TYPE = "application/x-qcdesk"
INSTALL_DIR = "opt/qcdesk"
DEFAULT_MAINTAINER = "qcdesk developers <noreply@qcdesk.invalid>"
# Libraries the bundle takes from the system (everything else travels inside it): OpenGL/EGL
# through glvnd, the X and Wayland client libraries, and the C library itself.
SYSTEM_DEPENDS = ["libegl1", "libgl1", "libxcb1", "libwayland-client0", "libwayland-cursor0",
                  "libwayland-egl1", "libdrm2"]
RECOMMENDS = ["fonts-dejavu-core | fonts-liberation2 | fonts-noto-core", "shared-mime-info",
              "desktop-file-utils", "hicolor-icon-theme"]


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def deb_architecture() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)


def glibc_version() -> str:
    """The build machine's C library version: the bundle's binaries need at least this one."""
    version = os.confstr("CS_GNU_LIBC_VERSION") or "glibc 2.31"
    return version.split()[-1]


def copy_tree(src: Path, dst: Path) -> None:
    """Copy ``src`` into ``dst`` keeping symlinks, with plain permissions (0755 dirs and executables, 0644 files)."""
    shutil.copytree(src, dst, symlinks=True, dirs_exist_ok=True)
    for path in [dst, *dst.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            executable = path.stat().st_mode & stat.S_IXUSR
            path.chmod(0o755 if executable else 0o644)


def install_file(src: Path, dst: Path, mode: int = 0o644) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    dst.chmod(mode)


def install_desktop_integration(root: Path) -> None:
    """Desktop entry, MIME type and icons under ``root/usr/share``."""
    share = root / "usr" / "share"
    install_file(LINUX / "qcdesk.desktop", share / "applications" / f"{APP}.desktop")
    install_file(LINUX / "qcdesk-mime.xml", share / "mime" / "packages" / f"{APP}.xml")
    mime_icon = MIME_TYPE.replace("/", "-")
    for size in ICON_SIZES:
        folder = share / "icons" / "hicolor" / f"{size}x{size}"
        install_file(ICONS / f"qcdesk-{size}.png", folder / "apps" / f"{APP}.png")
        install_file(ICONS / f"qcdesk-{size}.png", folder / "mimetypes" / f"{mime_icon}.png")
    scalable = share / "icons" / "hicolor" / "scalable"
    install_file(ICONS / "qcdesk.svg", scalable / "apps" / f"{APP}.svg")
    install_file(ICONS / "qcdesk.svg", scalable / "mimetypes" / f"{mime_icon}.svg")
    install_file(LINUX / "copyright", share / "doc" / APP / "copyright")


def installed_size_kib(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024 + 1


def control_text(version: str, arch: str, size_kib: int) -> str:
    depends = [f"libc6 (>= {glibc_version()})", *SYSTEM_DEPENDS]
    return "\n".join([
        f"Package: {APP}",
        f"Version: {version}",
        f"Architecture: {arch}",
        f"Maintainer: {os.environ.get('QCDESK_MAINTAINER', DEFAULT_MAINTAINER)}",
        f"Installed-Size: {size_kib}",
        f"Depends: {', '.join(depends)}",
        f"Recommends: {', '.join(RECOMMENDS)}",
        "Section: science",
        "Priority: optional",
        "Description: qualitative coding of interview transcripts, offline",
        " qcdesk imports interview transcripts (Word, text, subtitles and more) into one",
        " local project file, lets researchers tag passages with codes from a codebook,",
        " and exports coded segments to Word. It makes no network connections.",
        "",
    ])


def build_deb(bundle: Path, out_dir: Path, work: Path) -> Path:
    """Stage the package tree in ``work`` and build it with dpkg-deb; returns the .deb path."""
    if not (bundle / APP).is_file():
        raise SystemExit(f"no bundle at {bundle}: run PyInstaller first (packaging/build_linux.sh)")
    version, arch = project_version(), deb_architecture()
    root = work / f"{APP}_{version}_{arch}"
    if root.exists():
        shutil.rmtree(root)
    copy_tree(bundle, root / INSTALL_DIR)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / APP).symlink_to(f"/{INSTALL_DIR}/{APP}")
    install_desktop_integration(root)
    control = root / "DEBIAN"
    control.mkdir(mode=0o755)
    (control / "control").write_text(control_text(version, arch, installed_size_kib(root)), encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{APP}_{version}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    return deb


def build_appimage(bundle: Path, out_dir: Path, work: Path) -> Path | None:
    """An AppImage of the bundle when ``appimagetool`` is at hand (``$APPIMAGETOOL`` or on PATH)."""
    tool = os.environ.get("APPIMAGETOOL") or shutil.which("appimagetool")
    if not tool:
        print("appimagetool is not installed (no Debian or PyPI package provides it): "
              "skipping the AppImage. Set APPIMAGETOOL to its path to build one.")
        return None
    version, arch = project_version(), os.uname().machine
    appdir = work / f"{APP}.AppDir"
    if appdir.exists():
        shutil.rmtree(appdir)
    copy_tree(bundle, appdir / "usr" / "lib" / APP)
    install_desktop_integration(appdir)
    install_file(LINUX / "qcdesk.desktop", appdir / f"{APP}.desktop")
    install_file(ICONS / "qcdesk-256.png", appdir / f"{APP}.png")
    apprun = appdir / "AppRun"
    apprun.write_text('#!/bin/sh\nHERE="$(dirname "$(readlink -f "$0")")"\n'
                      f'exec "$HERE/usr/lib/{APP}/{APP}" "$@"\n', encoding="utf-8")
    apprun.chmod(0o755)
    out_dir.mkdir(parents=True, exist_ok=True)
    image = out_dir / f"{APP}-{version}-{arch}.AppImage"
    subprocess.run([tool, "--no-appstream", str(appdir), str(image)], check=True,
                   env=dict(os.environ, ARCH=arch))
    return image


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["deb", "appimage"])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / APP, help="the PyInstaller one-folder output")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the installer is written")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "linux", help="staging folder")
    args = parser.parse_args(argv)
    if args.kind == "deb":
        print(f"built {build_deb(args.bundle, args.out, args.work)}")
    else:
        image = build_appimage(args.bundle, args.out, args.work)
        if image:
            print(f"built {image}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
