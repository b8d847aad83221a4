#!/usr/bin/env bash
# Build qcdesk's Linux installers: the PyInstaller one-folder bundle, a .deb, and an AppImage when
# appimagetool is available.
#
#   bash packaging/build_linux.sh            # uses .venv (created if missing) or $PYTHON
#
# Outputs: dist/qcdesk/ (bundle), dist/qcdesk_<version>_<arch>.deb, dist/qcdesk-<version>-<arch>.AppImage
# Needs: Python 3.11+, dpkg-deb (Debian/Ubuntu), and Qt's system libraries to run the bundle.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ -n "${PYTHON:-}" ]]; then
    PY="$PYTHON"
else
    if [[ ! -x .venv/bin/python ]]; then
        echo "[build] creating .venv"
        python3 -m venv .venv
    fi
    PY="$ROOT/.venv/bin/python"
fi

echo "[build] installing qcdesk with its packaging tools"
"$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[packaging]"

echo "[build] PyInstaller one-folder bundle -> dist/qcdesk"
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/qcdesk.spec

echo "[build] checking the bundle starts"
SMOKE_HOME="$(mktemp -d)"
trap 'rm -rf "$SMOKE_HOME"' EXIT
QT_QPA_PLATFORM=offscreen HOME="$SMOKE_HOME" XDG_CONFIG_HOME="$SMOKE_HOME/.config" \
    XDG_DATA_HOME="$SMOKE_HOME/.local/share" dist/qcdesk/qcdesk --smoke-test --demo

echo "[build] .deb"
"$PY" packaging/linux_package.py deb

echo "[build] AppImage"
"$PY" packaging/linux_package.py appimage

echo "[build] done:"
ls -l dist/*.deb dist/*.AppImage 2>/dev/null || true
