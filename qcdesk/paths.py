"""Where qcdesk finds its bundled resources and keeps per-user data (no Qt here).

``resource_path("demo", "codebook.json")`` works the same from a source checkout,
a PyInstaller bundle and an installed package; ``user_data_dir()`` is the
per-user folder for things qcdesk creates itself (the demo project, ...).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "qcdesk"


def _resource_roots() -> list[Path]:
    """Candidate ``resources`` folders, most specific first."""
    roots: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller one-file / one-folder bundle
        roots.append(Path(bundle) / "resources")
    # source checkout (or editable install): <repo>/qcdesk/paths.py -> <repo>/resources
    roots.append(Path(__file__).resolve().parent.parent / "resources")
    # installed data files: <prefix>/share/qcdesk/resources
    roots.append(Path(sys.prefix) / "share" / APP_DIR_NAME / "resources")
    return roots


def resource_path(*parts: str) -> Path:
    """The path of a bundled resource, e.g. ``resource_path("demo", "codebook.json")``.

    With no ``parts`` this is the resources folder itself. Raises
    :class:`FileNotFoundError` naming every place looked in when it is absent.
    """
    roots = _resource_roots()
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    wanted = "/".join(parts) or "the resources folder"
    looked = ", ".join(str(r) for r in roots)
    raise FileNotFoundError(
        f"qcdesk resource {wanted!r} is missing from this installation (looked in: {looked})."
    )


def user_data_dir() -> Path:
    """The per-user qcdesk data folder, created on demand.

    Linux and other Unix: ``$XDG_DATA_HOME/qcdesk`` (default ``~/.local/share/qcdesk``);
    Windows: ``%APPDATA%\\qcdesk``; macOS: ``~/Library/Application Support/qcdesk``.
    """
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        base = os.environ.get("XDG_DATA_HOME", "")
        # the XDG spec says relative values are invalid and must be ignored
        root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "share"
    path = root / APP_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path
