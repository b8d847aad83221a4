"""Reading a ``.qdpx`` package safely: a zip holding one ``.qde`` project and its source files.

Real packages name the folder ``sources/`` or ``Sources/``, and ATLAS.ti names the
project file after the project. Members are looked up without regard to case or
folder. Names that climb out of the package (``../``) or are absolute refuse the
whole file; members are read only up to the limits of :mod:`qcdesk.core.importers.safety`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import safety
from qcdesk.core.safe_names import shown_name

#: the most text the importer will unpack from one package
MAX_TOTAL_READ = safety.MAX_UNCOMPRESSED_BYTES
_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts


class Package:
    def __init__(self, path: Path):
        self.path = path
        self._file = safety.open_regular_file(path)  # the zip reads this handle, never the name again
        try:
            head = self._file.read(8)
        except OSError as exc:
            self._file.close()
            raise ImportFailed(str(path), f"the file cannot be read ({exc.strerror or exc})") from None
        try:
            if head.startswith(safety.OLE_MAGIC):
                raise ImportFailed(str(path), safety.ole_reason(head))
            if not head.startswith(safety.ZIP_MAGIC):
                raise ImportFailed(str(path), "the file is not a REFI-QDA project package (.qdpx): it is "
                                              "not a zip archive")
            try:
                self._file.seek(0)
                self.zip = zipfile.ZipFile(self._file)
                infos = self.zip.infolist()
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
                raise ImportFailed(str(path), "the file is damaged: it is not a valid zip archive") from None
            if len(infos) > safety.MAX_ZIP_MEMBERS:
                raise ImportFailed(str(path), f"the package holds {len(infos)} files, more than a project can")
            # the project XML is refused by its declared size and ratio before anything is read; other
            # members (texts, media that is never read) are checked when read
            safety.check_members(path, [i for i in infos if i.filename.lower().endswith(".qde")])
            self.members: dict[str, zipfile.ZipInfo] = {}
            self.by_basename: dict[str, list[zipfile.ZipInfo]] = {}
            for info in infos:
                if _unsafe(info.filename):
                    raise ImportFailed(str(path), "the package contains a file named "
                                                  f"“{shown_name(info.filename)}” that points outside the "
                                                  "package; it was not read for safety")
                key = info.filename.replace("\\", "/").lower()
                self.members[key] = info
                self.by_basename.setdefault(PurePosixPath(key).name, []).append(info)
        except ImportFailed:
            self._file.close()
            raise
        self._read_total = 0

    def close(self) -> None:
        self.zip.close()
        self._file.close()

    def project_member(self) -> zipfile.ZipInfo:
        top = [info for key, info in self.members.items() if key.endswith(".qde") and "/" not in key]
        if not top:
            top = [info for key, info in self.members.items() if key.endswith(".qde")]
        if not top:
            raise ImportFailed(str(self.path), "the package holds no project file (.qde); it is not a "
                                               "REFI-QDA project")
        top.sort(key=lambda i: (i.filename.lower() != "project.qde", i.filename))
        return top[0]

    def read(self, info: zipfile.ZipInfo) -> bytes:
        if self._read_total + info.file_size > MAX_TOTAL_READ:
            raise ImportFailed(str(self.path), "the package's texts would expand to more than "
                                               f"{MAX_TOTAL_READ // (1024 * 1024)} MB; it may be a zip bomb")
        data = safety.read_member(self.path, self.zip, info.filename, "REFI-QDA package")
        self._read_total += len(data)
        return data

    def find_source(self, ref: str) -> zipfile.ZipInfo | None:
        """The member a ``plainTextPath`` names: ``internal://x.txt``, ``x.txt`` or ``sources/x.txt``."""
        ref = ref.strip()
        if ref.lower().startswith("internal://"):
            ref = ref[len("internal://"):]
        ref = ref.replace("\\", "/").lstrip("/").lower()
        if not ref or _unsafe(ref):
            return None
        for key in (f"sources/{ref}", ref):
            if key in self.members:
                return self.members[key]
        candidates = self.by_basename.get(PurePosixPath(ref).name, [])
        return candidates[0] if len(candidates) == 1 else None
