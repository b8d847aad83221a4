"""A real, small disk that tests can fill: a tmpfs of a few megabytes mounted in the test's folder.

Writes to it fail as on a full USB stick or laptop disk (ENOSPC from the kernel, SQLITE_FULL or
an I/O error from SQLite), with nothing patched. Mounting needs root (tests and CI run as root);
where it is not allowed, the tests using it are skipped with the reason.

Use: ``from disk_space import small_disk  # noqa: F401`` in a test module, then the fixture.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

#: the disk's size: room for a small project, its journal files and a backup
SIZE = "4m"


class SmallDisk:
    def __init__(self, root: Path):
        self.root = root
        self.filler = root / "filler.bin"

    def free(self) -> int:
        return shutil.disk_usage(self.root).free

    def fill(self) -> None:
        """Take every free byte (down to the last one) with a filler file."""
        with open(self.filler, "ab", buffering=0) as fh:
            for chunk in (1 << 16, 1 << 12, 1 << 9, 1):
                block = b"\0" * chunk
                while True:
                    try:
                        if fh.write(block) < chunk:
                            break
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        assert self.free() == 0

    def make_room(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path: Path):
    root = tmp_path / "small disk"
    root.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("a small tmpfs disk needs root and the mount command")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0777", "tmpfs", str(root)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"a small tmpfs disk cannot be mounted here: {done.stderr.strip()}")
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], capture_output=True)
