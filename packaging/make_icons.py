#!/usr/bin/env python3
"""Render ``resources/icons/qcdesk.svg`` into the icon files each platform needs.

    .venv/bin/python packaging/make_icons.py

writes, next to the SVG:

- ``qcdesk-<N>.png`` for N in 16, 24, 32, 48, 64, 128, 256, 512 (Linux hicolor theme, window icon);
- ``qcdesk.ico`` (Windows: 16-256 px, PNG-compressed entries, as Windows Vista and later read them);
- ``qcdesk.icns`` (macOS: 16-1024 px, PNG entries including the @2x variants).

Rendering uses Qt's own SVG renderer (QtSvg, part of PySide6-Essentials), and the ICO and ICNS
containers are written here with :mod:`struct`, so no image library is needed. The outputs are
committed; run this again after changing the SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "qcdesk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's PNG-carrying icon types: OSType -> pixel size
ICNS_TYPES = (
    ("icp4", 16), ("ic11", 32),    # 16 pt @1x, @2x
    ("icp5", 32), ("ic12", 64),    # 32 pt
    ("ic07", 128), ("ic13", 256),  # 128 pt
    ("ic08", 256), ("ic14", 512),  # 256 pt
    ("ic09", 512), ("ic10", 1024),  # 512 pt
)


def render_png(size: int, svg: Path = SVG) -> bytes:
    """The SVG drawn into a transparent ``size`` x ``size`` image, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_png.app = QGuiApplication(sys.argv[:1])  # kept alive for the module's lifetime
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG image")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG-compressed 32-bit image per size."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + entries + payload


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding the PNG icon types of :data:`ICNS_TYPES`."""
    body = b"".join(ostype.encode("ascii") + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for ostype, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    wanted = set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = {size: render_png(size) for size in sorted(wanted)}
    for size in PNG_SIZES:
        (ICON_DIR / f"qcdesk-{size}.png").write_bytes(pngs[size])
    (ICON_DIR / "qcdesk.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (ICON_DIR / "qcdesk.icns").write_bytes(icns_bytes(pngs))
    written = [f"qcdesk-{s}.png" for s in PNG_SIZES] + ["qcdesk.ico", "qcdesk.icns"]
    print(f"wrote {len(written)} files to {ICON_DIR}: {', '.join(written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
