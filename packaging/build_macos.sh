#!/usr/bin/env bash
# Build qcdesk's macOS installer: qcdesk.app (PyInstaller, with the .qcdesk document type in its
# Info.plist) and a .dmg to drag it into Applications.
#
#   bash packaging/build_macos.sh            # uses .venv (created if missing) or $PYTHON
#
# Outputs: dist/qcdesk.app, dist/qcdesk-<version>-macos-<arch>.dmg
# The .app is signed ad hoc (as PyInstaller leaves it), not notarised: the first start needs
# right-click ▸ Open, until a Developer ID signature and notarisation are added
# (set CODESIGN_IDENTITY to sign with an identity from the keychain).
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
VERSION="$("$PY" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")"
ARCH="$(uname -m)"

echo "[build] PyInstaller bundle -> dist/qcdesk.app"
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/qcdesk.spec

APP="dist/qcdesk.app"
PLIST="$APP/Contents/Info.plist"
echo "[build] checking Info.plist declares the .qcdesk document type"
/usr/bin/plutil -lint "$PLIST"
/usr/bin/plutil -extract CFBundleDocumentTypes.0.CFBundleTypeExtensions.0 raw "$PLIST" | grep -qx qcdesk
/usr/bin/plutil -extract CFBundleShortVersionString raw "$PLIST" | grep -qx "$VERSION"

if [[ -n "${CODESIGN_IDENTITY:-}" ]]; then
    echo "[build] signing with $CODESIGN_IDENTITY"
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
fi
codesign --verify --deep --strict "$APP"

echo "[build] checking the app starts"
SMOKE_HOME="$(mktemp -d)"
trap 'rm -rf "$SMOKE_HOME"' EXIT
QT_QPA_PLATFORM=offscreen HOME="$SMOKE_HOME" "$APP/Contents/MacOS/qcdesk" --smoke-test --demo

echo "[build] .dmg"
STAGE="build/dmg"
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="dist/qcdesk-$VERSION-macos-$ARCH.dmg"
rm -f "$DMG"
hdiutil create -volname "qcdesk $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
hdiutil verify "$DMG"
echo "[build] built $DMG"
