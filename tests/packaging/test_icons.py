"""The committed app icon files: every size each platform asks for, in containers they can read.

Fast (it only reads files), so it runs in the default suite.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


def test_png_icons_at_every_size():
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size((ICONS / f"qcdesk-{size}.png").read_bytes()) == (size, size)


def test_svg_source_is_square_svg():
    root = ET.parse(ICONS / "qcdesk.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 512 512"


def test_windows_ico_holds_16_to_256_pixel_images():
    data = (ICONS / "qcdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _, _, planes, bpp, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        image = data[offset:offset + length]
        assert len(image) == length and bpp == 32 and planes == 1
        real = png_size(image)
        assert real == ((width or 256), (height or 256))  # 0 stands for 256
        sizes.append(real[0])
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_macos_icns_holds_every_point_size_at_1x_and_2x():
    data = (ICONS / "qcdesk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, pos = {}, 8
    while pos < len(data):
        ostype, length = data[pos:pos + 4].decode("ascii"), struct.unpack(">I", data[pos + 4:pos + 8])[0]
        found[ostype] = png_size(data[pos + 8:pos + length])[0]
        pos += length
    assert pos == len(data)
    assert found == {"icp4": 16, "ic11": 32, "icp5": 32, "ic12": 64, "ic07": 128, "ic13": 256,
                     "ic08": 256, "ic14": 512, "ic09": 512, "ic10": 1024}
