#!/usr/bin/env python3
"""Set up a development environment and run qcdesk or its tests: the README's two commands.

    python3 packaging/dev.py demo   # make .venv, install qcdesk, open the demo project
    python3 packaging/dev.py test   # make .venv, install qcdesk and test tools, lint, run all tests
    python3 packaging/dev.py lint   # only the checks: ruff, mypy on qcdesk/core, vulture (dead code)

Only the standard library is used here. The virtual environment lives in ``.venv``
at the project root and is reinstalled whenever ``pyproject.toml`` changes. On a
Linux machine where we are root and Qt's system libraries are missing, they are
installed with apt-get (CI machines start bare).

``test`` first runs the checks of ``lint`` (ruff, mypy on ``qcdesk/core`` and the vulture dead-code
check, configured in pyproject.toml; ``QCDESK_SKIP_LINT=1`` skips them for a quick local run), then
pytest twice: everything with ``QT_QPA_PLATFORM=offscreen``, then the widget
tests (``tests/ui``, or the part of them named on the command line) on the real X11
platform (``xcb``) in Xvfb servers started here, because shortcuts, focus and key
bindings differ between the two. Each run uses one pytest process per core (pytest-xdist ``-n``;
``QCDESK_TEST_WORKERS=1`` or an ``-n`` of your own overrides it), and the X11 run one Xvfb per
process. The X11 run (``QCDESK_X11_RUN=1``) leaves out the tests of ``tests/ui`` that make no
widget (tests/ui/conftest.py). It fails when the checks or either run fail; pytest's exit code 5
(no tests collected) is a failure of the offscreen run, and of an X11 run over the whole widget
folder; an X11 run narrowed by paths or ``-k``/``-m`` that collects nothing means none of the tests
asked for makes a widget (the offscreen run ran them all).
Without Xvfb (not root, no apt-get) it says so loudly and runs offscreen only; with ``QCDESK_REQUIRE_X11=1`` (CI) that is a failure.
Each phase (checks, offscreen run, X11 run) ends with a line giving its wall-clock time, the CPU
time of its processes and the load average, so a slow run shows where the time went.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".qcdesk-installed"
# Debian packages providing the libraries Qt's xcb/offscreen platforms load.
QT_SYSTEM_PACKAGES = [
    "libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1", "libfreetype6",
    "libglib2.0-0", "libdbus-1-3", "libx11-xcb1", "libxcb-cursor0", "libxcb-icccm4",
    "libxcb-keysyms1", "libxcb-shape0", "libxcb-xinerama0", "libxcb-randr0", "libxcb-render-util0",
    "libxcb-image0", "libxcb-render0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0", "libxcb-xkb1",
    "libxcb-util1", "fonts-dejavu-core",
]
#: QtMultimedia (the media player) loads PulseAudio's client library; without it the import fails
#: with "libpulse.so.0: cannot open shared object file"
MULTIMEDIA_PACKAGES = ["libpulse0"]
#: the X server the widget tests run on a second time (Xvfb brings xkbcomp and the keymaps), and
#: xdotool, which presses keys through that server as a real keyboard does (tests/ui/test_x11_keys.py)
X11_TEST_PACKAGES = ["xvfb", "xauth", "xdotool"]
XVFB_SCREEN = "1280x800x24"
#: pytest's "no tests collected"
NO_TESTS = 5
#: pytest options whose value is the next argument (that value is never a test path)
VALUE_OPTIONS = {"-k", "-m", "-p", "-c", "-o", "-W", "-r", "--tb", "--maxfail", "--deselect", "--ignore",
                 "--ignore-glob", "--basetemp", "--rootdir", "--confcutdir", "--durations", "--junitxml",
                 "--junit-xml", "--log-level", "--import-mode", "--override-ini", "--hypothesis-seed",
                 "-n", "--numprocesses", "--dist", "--maxprocesses"}
# Debian packages the report tests print with (LibreOffice to PDF, pdftotext); tests skip without them.
REPORT_TEST_PACKAGES = ["libreoffice-writer-nogui", "poppler-utils"]


def log(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


class Phase:
    """Times a phase of the command: ``with Phase("offscreen run"):`` logs, when it ends, its
    wall-clock time, the CPU time of the child processes it waited for, and the load average."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> "Phase":
        self.wall, self.cpu = time.monotonic(), self.children_cpu()
        return self

    def __exit__(self, *exc) -> None:
        wall, cpu = time.monotonic() - self.wall, self.children_cpu() - self.cpu
        load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
        log(f"time: {self.name} took {wall:.0f} s wall clock, {cpu:.0f} s CPU (user and system, "
            f"all processes), load average {load}")

    @staticmethod
    def children_cpu() -> float:
        """CPU seconds used by the child processes waited for so far (pytest and its workers)."""
        times = os.times()
        return times.children_user + times.children_system


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def venv_package() -> str:
    """The Debian and Ubuntu package holding what Python's venv module needs to install pip (ensurepip)."""
    return f"python{sys.version_info.major}.{sys.version_info.minor}-venv"


def has_pip(py: Path) -> bool:
    return subprocess.run([str(py), "-m", "pip", "--version"], capture_output=True).returncode == 0


def can_install_pip() -> bool:
    """Whether this Python's venv module can put pip in a new environment: Debian and Ubuntu ship
    its ``ensurepip`` in a package of its own (their venv then prints a hint and exits)."""
    return importlib.util.find_spec("ensurepip") is not None


def create_venv() -> None:
    """Make ``VENV`` with pip: where this Python lacks ``ensurepip`` (a Debian or Ubuntu system
    Python without its venv package), the package is installed when we may, else named."""
    if not can_install_pip():
        if not (can_apt() and sys.prefix.startswith("/usr")):  # only the system's Python gets it from apt
            raise SystemExit(f"[dev] cannot create {VENV}: this Python's venv module cannot install pip "
                             f"(no ensurepip). On Debian or Ubuntu: apt-get install {venv_package()}, then run "
                             "this again.")
        log(f"this Python's venv module cannot install pip; installing {venv_package()} with apt-get")
        apt_install([venv_package()])
    log(f"creating virtual environment in {VENV}")
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    except (subprocess.CalledProcessError, OSError, SystemExit) as exc:  # Debian's venv exits
        shutil.rmtree(VENV, ignore_errors=True)  # half made: the next run would take it for made
        raise SystemExit(f"[dev] could not create {VENV} with pip ({exc!r}); on Debian or Ubuntu: "
                         f"apt-get install {venv_package()}") from exc


def ensure_venv() -> Path:
    py = venv_python()
    if py.exists() and not STAMP.exists() and not has_pip(py):
        # made without pip (another tool), or an earlier creation failed half way: pip is put in
        # if this Python can, else the environment is made again
        log(f"{VENV} has no pip: adding it")
        if subprocess.run([str(py), "-m", "ensurepip", "--default-pip"], capture_output=True).returncode:
            shutil.rmtree(VENV)
    if not py.exists():
        create_venv()
    if not STAMP.exists() or STAMP.read_text() != wanted_stamp():
        log("installing qcdesk and its test tools (pip install -e .[test])")
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted_stamp())
    return py


def missing_qt_libraries(py: Path) -> list[str]:
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    code = "import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent)"
    pyside = Path(subprocess.run([str(py), "-c", code], capture_output=True, text=True,
                                 check=True).stdout.strip())
    libs = [pyside / "Qt/lib/libQt6Gui.so.6", pyside / "Qt/lib/libQt6Widgets.so.6",
            pyside / "Qt/plugins/platforms/libqoffscreen.so", pyside / "Qt/plugins/platforms/libqxcb.so",
            pyside / "Qt/lib/libQt6XcbQpa.so.6"]
    missing = set()
    for lib in libs:
        if lib.exists():
            out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True).stdout
            missing.update(line.split()[0] for line in out.splitlines() if "not found" in line)
    return sorted(missing)


def multimedia_import_error(py: Path) -> str | None:
    """Why ``PySide6.QtMultimedia`` cannot be imported (its last error line), or None when it can."""
    result = subprocess.run([str(py), "-c", "import PySide6.QtMultimedia"], capture_output=True, text=True)
    if result.returncode == 0:
        return None
    return (result.stderr.strip().splitlines() or ["import failed"])[-1]


def can_apt() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(packages: list[str]) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                   check=True, env=env)


def ensure_system_libraries(py: Path, *, for_tests: bool = False) -> None:
    """Qt's system libraries, and for the tests the X server; installed when we may."""
    missing = missing_qt_libraries(py)
    multimedia = multimedia_import_error(py) if sys.platform.startswith("linux") else None
    if multimedia and "libpulse" in multimedia:
        missing.append("libpulse.so.0")
    want_xvfb = for_tests and sys.platform.startswith("linux") and not all(map(shutil.which, ("Xvfb", "xdotool")))
    if not missing and not want_xvfb:
        return
    packages = QT_SYSTEM_PACKAGES + MULTIMEDIA_PACKAGES + (X11_TEST_PACKAGES if want_xvfb else [])
    if not can_apt():
        if missing:
            log("Qt needs system libraries that are missing: " + ", ".join(missing))
        if multimedia:
            log(f"the media player cannot load Qt Multimedia ({multimedia}); its tests will be skipped")
        if want_xvfb:
            log("the widget tests' X11 run needs Xvfb and xdotool (real key presses), not both installed")
        log("install them with your package manager (Debian/Ubuntu: " + " ".join(packages) + ")")
        return
    log("installing with apt-get: " + ", ".join(missing + (["Xvfb", "xdotool"] if want_xvfb else [])))
    apt_install(packages)


class Xvfb:
    """An Xvfb server on a free display, for the duration of a ``with`` block."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.display = ""
        self.log = None

    def __enter__(self) -> "Xvfb":
        self.log = tempfile.TemporaryFile()  # the server's messages, shown if it does not start
        read_end, write_end = os.pipe()
        try:
            # -displayfd: the server picks a free display and writes its number once it accepts clients
            self.process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", XVFB_SCREEN, "-nolisten", "tcp"],
                pass_fds=(write_end,), stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        finally:
            os.close(write_end)
        number = b""
        with os.fdopen(read_end, "rb") as pipe:
            while not number.endswith(b"\n"):
                ready, _, _ = select.select([pipe], [], [], 60)
                chunk = os.read(pipe.fileno(), 16) if ready else b""
                if not chunk:
                    break
                number += chunk
        if not number.strip().isdigit():
            self.log.seek(0)
            said = self.log.read().decode(errors="replace")[-2000:]
            self.__exit__(None, None, None)
            raise RuntimeError(f"Xvfb did not start: {said}")
        self.display = ":" + number.decode().strip()
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()


def repository_path(arg: str) -> Path | None:
    """The file or folder of the repository that a pytest argument names (None: not one)."""
    if arg.startswith("-"):
        return None
    where = (ROOT / arg.split("::")[0]).resolve()
    inside = where == ROOT or ROOT in where.parents
    return where if inside and where.exists() else None


def x11_arguments(rest: list[str]) -> list[str] | None:
    """pytest's arguments for the X11 run: the widget tests among those asked for (None: none asked).

    No path given: tests/ui. A path inside tests/ui is kept, one holding it (tests, .) becomes
    tests/ui, and other paths are left out; options and their values are kept in place.
    """
    ui = ROOT / "tests" / "ui"
    out: list[str] = []
    asked = chosen = 0
    for i, arg in enumerate(rest):
        where = None if i and rest[i - 1] in VALUE_OPTIONS else repository_path(arg)
        if where is None:
            out.append(arg)
            continue
        asked += 1
        if where == ui or ui in where.parents:
            out.append(arg)
            chosen += 1
        elif where in ui.parents and "tests/ui" not in out:
            out.append("tests/ui")
            chosen += 1
    if not asked:
        return [*out, "tests/ui"]
    return out if chosen else None


#: the checks (their settings are in pyproject.toml): name, and the arguments after ``python -m``
LINTERS = [
    ("ruff", ["ruff", "check", "qcdesk", "tests", "benchmarks", "packaging"]),
    ("mypy", ["mypy"]),
    ("vulture", ["vulture"]),
]
#: vulture's exit code when it found dead code (1 and 2: it could not read the code or its arguments)
VULTURE_FOUND = 3


def run_linter(py: Path, name: str, args: list[str]) -> int:
    if name != "vulture":
        return subprocess.call([str(py), "-m", *args], cwd=ROOT)
    # vulture reads the tests and benchmarks as users of the code; only findings in qcdesk/ count
    done = subprocess.run([str(py), "-m", *args], cwd=ROOT, capture_output=True, text=True)
    findings = [line for line in done.stdout.splitlines() if line.startswith("qcdesk/")]
    for line in findings:
        print(line)
    if done.returncode not in (0, VULTURE_FOUND):
        print(done.stdout + done.stderr, end="")
        return done.returncode
    return 1 if findings else 0


def run_lint(py: Path) -> int:
    failed = []
    for name, args in LINTERS:
        log(f"{name}: python -m {' '.join(args)}")
        if run_linter(py, name, args) != 0:
            failed.append(name)
    log("checks: " + (f"FAILED ({', '.join(failed)})" if failed else "passed"))
    return 1 if failed else 0


def test_workers() -> int:
    """How many pytest processes each run uses: one per core this process may run on, or
    ``QCDESK_TEST_WORKERS`` (1: a single process, as before pytest-xdist)."""
    asked = os.environ.get("QCDESK_TEST_WORKERS", "").strip()
    if asked.isdigit() and int(asked) > 0:
        return int(asked)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, cores)


def parallel(args: list[str], workers: int) -> list[str]:
    """pytest's arguments with ``-n workers`` (pytest-xdist) in front, unless the caller chose
    the processes already (``-n``, ``--numprocesses``, ``-p no:xdist``) or there is only one."""
    chosen = any(a in {"-n", "--numprocesses", "no:xdist", "-pno:xdist"} or a.startswith(("-n", "--numprocesses="))
                 for a in args)
    return args if chosen or workers < 2 else ["-n", str(workers), *args]


def run_pytest(py: Path, args: list[str], env: dict[str, str]) -> int:
    return subprocess.call([str(py), "-m", "pytest", *args], cwd=ROOT, env=env)


def loud(msg: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n[dev] {msg}\n{bar}\n", flush=True)


def run_tests(py: Path, rest: list[str]) -> int:
    base = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}}
    workers = test_workers()
    log(f"pytest with QT_QPA_PLATFORM=offscreen ({workers} process{'es' if workers > 1 else ''})")
    with Phase("offscreen run"):
        results = {"offscreen": run_pytest(py, parallel(rest, workers), dict(base, QT_QPA_PLATFORM="offscreen"))}
    x11_args = x11_arguments(rest)
    required = os.environ.get("QCDESK_REQUIRE_X11", "") not in {"", "0"}
    if x11_args is None:
        log("no widget tests (tests/ui) among the paths given: no X11 run")
    elif not sys.platform.startswith("linux"):
        log("not Linux: the widget tests ran offscreen only")
    elif shutil.which("Xvfb") is None:
        loud("Xvfb is not installed, so the widget tests ran OFFSCREEN ONLY, not on X11. "
             "Install it (Debian/Ubuntu: apt-get install " + " ".join(X11_TEST_PACKAGES) + ") or run this as root.")
        if required:
            results["X11 (required by QCDESK_REQUIRE_X11)"] = 1
    else:
        try:
            # one server per pytest process: focus, the active window and the keyboard map
            # (tests/ui/test_x11_keys.py presses real keys) are the server's, so two processes
            # sharing one would steal each other's focus; tests/conftest.py gives each its own
            with Phase("X11 run"), contextlib.ExitStack() as stack:
                servers = [stack.enter_context(Xvfb()) for _ in range(workers)]
                displays = [server.display for server in servers]
                log(f"pytest {' '.join(x11_args)} with QT_QPA_PLATFORM=xcb on Xvfb {', '.join(displays)} ({XVFB_SCREEN})")
                code = run_pytest(py, parallel(x11_args, workers),
                                  dict(base, QT_QPA_PLATFORM="xcb", DISPLAY=displays[0],
                                       QCDESK_X11_DISPLAYS=",".join(displays), QCDESK_X11_RUN="1"))
        except RuntimeError as exc:
            loud(str(exc))
            code = 1
        narrowed = "tests/ui" not in x11_args or any(a in {"-k", "-m"} or a.startswith(("-k", "-m"))
                                                      for a in x11_args)
        if code == NO_TESTS and narrowed:
            # the offscreen run collected these paths and selections; none of them makes a widget
            # (the whole widget folder collecting nothing stays a failure)
            log("X11 run: none of the tests asked for makes a widget")
            code = 0
        results["X11 (Xvfb)"] = code
    for name, code in results.items():
        log(f"{name}: " + ("passed" if code == 0 else f"FAILED (pytest exit code {code})"))
    return next((code for code in results.values() if code != 0), 0)


def ensure_report_test_tools() -> None:
    """LibreOffice and poppler for the tests that print reports to PDF, when we may install them."""
    if shutil.which("soffice") and shutil.which("pdftotext"):
        return
    if not sys.platform.startswith("linux") or not can_apt():
        log("report PDF tests will be skipped: install " + " ".join(REPORT_TEST_PACKAGES) + " to run them")
        return
    log("installing the report tests' tools with apt-get: " + ", ".join(REPORT_TEST_PACKAGES))
    apt_install(REPORT_TEST_PACKAGES)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "setup", "lint"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    py = ensure_venv()
    if command == "lint":
        return run_lint(py)
    ensure_system_libraries(py, for_tests=command in {"test", "setup"})
    if command == "setup":
        return 0
    if command == "demo":
        return subprocess.call([str(py), "-m", "qcdesk", "--demo", *rest], cwd=ROOT)
    ensure_report_test_tools()
    if os.environ.get("QCDESK_SKIP_LINT", "") not in {"", "0"}:
        linted = 0
    else:
        with Phase("checks"):
            linted = run_lint(py)
    tested = run_tests(py, rest)  # the tests run even when a check failed: one run shows both
    if linted and not tested:
        log("the tests passed, but the checks failed (see above)")
    return tested or linted


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
