"""Typed access to the user's settings (one wrapper over QSettings, one place for the keys)."""

from __future__ import annotations

import getpass
import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10
SETTINGS_VERSION = 1


class Settings:
    """Recent projects, window layout, coder name. Pass ``path`` to keep them in an INI file (tests)."""

    def __init__(self, path: str | Path | None = None):
        if path is None:
            self.qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "qcdesk", "qcdesk")
        else:
            self.qs = QSettings(str(path), QSettings.Format.IniFormat)
        if int(self.qs.value("settings_version", 0) or 0) < SETTINGS_VERSION:
            self.qs.setValue("settings_version", SETTINGS_VERSION)

    # recent projects -------------------------------------------------------
    def recent_projects(self) -> list[str]:
        value = self.qs.value("recent_projects", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent_project(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        items = [path] + [p for p in self.recent_projects() if p != path]
        self.qs.setValue("recent_projects", items[:MAX_RECENT])

    def remove_recent_project(self, path: str | Path) -> None:
        path = str(path)
        self.qs.setValue("recent_projects", [p for p in self.recent_projects() if p != path])

    def clear_recent_projects(self) -> None:
        self.qs.setValue("recent_projects", [])

    # window ----------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = self.qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self.qs.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qs.setValue("window/geometry", geometry)
        self.qs.setValue("window/state", state)

    # people and places -----------------------------------------------------
    def coder_name(self) -> str:
        value = self.qs.value("coder_name", "")
        if value:
            return str(value)
        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name on some systems
            return "coder"

    def set_coder_name(self, name: str) -> None:
        self.qs.setValue("coder_name", name)

    def snap_to_words(self) -> bool:
        """Whether mouse selections in the transcript widen to whole words (on unless turned off)."""
        return str(self.qs.value("snap_to_words", "true")).lower() not in ("false", "0")

    def set_snap_to_words(self, on: bool) -> None:
        self.qs.setValue("snap_to_words", "true" if on else "false")

    def last_folder(self) -> str:
        return str(self.qs.value("last_folder", str(Path.home())))

    def set_last_folder(self, folder: str | Path) -> None:
        self.qs.setValue("last_folder", str(folder))

    # clean-close seals, per project (qcdesk.core.clean_close) --------------------
    def clean_close_seal(self, project_path: str | Path) -> str | None:
        """The project file's seal from when this machine last closed it cleanly after a full check."""
        value = self.qs.value(self._project_key(project_path).replace("exports/", "seals/", 1), "")
        return str(value) if value else None

    def set_clean_close_seal(self, project_path: str | Path, seal: str | None) -> None:
        key = self._project_key(project_path).replace("exports/", "seals/", 1)
        if seal:
            self.qs.setValue(key, seal)
        else:
            self.qs.remove(key)
        self.qs.sync()

    # report exports, per project ---------------------------------------------
    @staticmethod
    def _project_key(project_path: str | Path) -> str:
        """A settings group for one project file (a digest: no file or folder names in the settings)."""
        resolved = str(Path(project_path).resolve())
        return "exports/" + hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:20]

    def export_folder(self, project_path: str | Path) -> str:
        """Where this project's reports were last saved; at first, the project's own folder."""
        value = self.qs.value(self._project_key(project_path) + "/folder", "")
        return str(value) if value else str(Path(project_path).resolve().parent)

    def set_export_folder(self, project_path: str | Path, folder: str | Path) -> None:
        self.qs.setValue(self._project_key(project_path) + "/folder", str(folder))

    def export_options(self, project_path: str | Path) -> dict:
        """The export dialog's choices last used for this project (report, format, …); {} at first."""
        raw = self.qs.value(self._project_key(project_path) + "/options", "")
        try:
            value = json.loads(str(raw)) if raw else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def set_export_options(self, project_path: str | Path, options: dict) -> None:
        self.qs.setValue(self._project_key(project_path) + "/options", json.dumps(options))

    # backups ---------------------------------------------------------------
    def backup_interval_minutes(self) -> int:
        """Minutes between automatic backups of a changed project; 0 turns them off."""
        from qcdesk.core.backups import DEFAULT_INTERVAL_MINUTES

        return _int(self.qs.value("backups/interval_minutes", DEFAULT_INTERVAL_MINUTES), DEFAULT_INTERVAL_MINUTES)

    def backup_keep(self) -> int:
        from qcdesk.core.backups import DEFAULT_KEEP

        return max(1, _int(self.qs.value("backups/keep", DEFAULT_KEEP), DEFAULT_KEEP))

    def set_backup_policy(self, interval_minutes: int, keep: int) -> None:
        self.qs.setValue("backups/interval_minutes", max(0, int(interval_minutes)))
        self.qs.setValue("backups/keep", max(1, int(keep)))

    def sync(self) -> None:
        self.qs.sync()


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
