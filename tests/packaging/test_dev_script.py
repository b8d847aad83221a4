"""packaging/dev.py test: which tests each of its two runs gets, and how their results combine."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dev():
    spec = importlib.util.spec_from_file_location("qcdesk_dev_script", ROOT / "packaging" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("given, x11", [
    ([], ["tests/ui"]),
    (["-p", "no:cacheprovider"], ["-p", "no:cacheprovider", "tests/ui"]),
    (["tests/ui", "-x"], ["tests/ui", "-x"]),
    (["tests/ui/test_shortcuts.py::test_documented_undo_and_redo_keys"],
     ["tests/ui/test_shortcuts.py::test_documented_undo_and_redo_keys"]),
    (["tests"], ["tests/ui"]),
    ([".", "-q"], ["tests/ui", "-q"]),
    (["tests/core", "-k", "coding"], None),
    (["tests/core", "tests/ui/test_about.py"], ["tests/ui/test_about.py"]),
    (["-m", "packaging"], ["-m", "packaging", "tests/ui"]),   # "packaging" is a folder, here a marker
    (["-k", "tests"], ["-k", "tests", "tests/ui"]),
    (["--basetemp", "/tmp/x"], ["--basetemp", "/tmp/x", "tests/ui"]),
])
def test_the_x11_run_gets_the_widget_tests_asked_for(dev, given, x11):
    assert dev.x11_arguments(given) == x11


class FakeXvfb:
    display = ":99"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def fake_x11(dev, monkeypatch, run_pytest) -> None:
    """dev.run_tests on a Linux machine with Xvfb, running pytest as ``run_pytest`` says."""
    monkeypatch.setattr(dev, "run_pytest", run_pytest)
    monkeypatch.setattr(dev, "Xvfb", FakeXvfb)
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev.sys, "platform", "linux")


@pytest.mark.parametrize("offscreen, x11, expected", [(0, 0, 0), (1, 0, 1), (0, 1, 1), (0, 5, 5), (5, 0, 5),
                                                      (2, 1, 2)])
def test_either_run_failing_fails_the_command(dev, monkeypatch, offscreen, x11, expected):
    calls = []

    def fake_pytest(py, args, env):
        calls.append((env["QT_QPA_PLATFORM"], env.get("DISPLAY"), args))
        return offscreen if env["QT_QPA_PLATFORM"] == "offscreen" else x11

    fake_x11(dev, monkeypatch, fake_pytest)
    monkeypatch.setenv("QCDESK_TEST_WORKERS", "1")
    assert dev.run_tests(Path("python"), ["-x"]) == expected
    assert calls == [("offscreen", None, ["-x"]), ("xcb", ":99", ["-x", "tests/ui"])]


def test_each_run_uses_a_process_per_worker_and_the_x11_run_a_server_each(dev, monkeypatch):
    calls, servers = [], []

    class FakeXvfb:
        def __enter__(self):
            servers.append(self)
            self.display = f":{len(servers) + 40}"
            return self

        def __exit__(self, *exc):
            servers.remove(self)

    def fake_pytest(py, args, env):
        calls.append((env["QT_QPA_PLATFORM"], env.get("QCDESK_X11_DISPLAYS"), args, len(servers)))
        return 0

    monkeypatch.setattr(dev, "run_pytest", fake_pytest)
    monkeypatch.setattr(dev, "Xvfb", FakeXvfb)
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev.sys, "platform", "linux")
    monkeypatch.setenv("QCDESK_TEST_WORKERS", "2")
    assert dev.run_tests(Path("python"), ["-q"]) == 0
    assert calls == [("offscreen", None, ["-n", "2", "-q"], 0), ("xcb", ":41,:42", ["-n", "2", "-q", "tests/ui"], 2)]
    assert servers == []  # every server stopped


@pytest.mark.parametrize("given", [["-n", "3"], ["-n3"], ["--numprocesses=3"], ["-p", "no:xdist"]])
def test_processes_chosen_on_the_command_line_are_kept(dev, given):
    assert dev.parallel(given, 2) == given
    assert dev.parallel(["-q"], 1) == ["-q"]


def test_the_workers_follow_the_cores_unless_told(dev, monkeypatch):
    monkeypatch.delenv("QCDESK_TEST_WORKERS", raising=False)
    assert dev.test_workers() >= 1
    monkeypatch.setenv("QCDESK_TEST_WORKERS", "3")
    assert dev.test_workers() == 3


@pytest.mark.parametrize("offscreen, expected", [(0, 0), (5, 5)])
def test_no_widget_test_to_run_on_x11_is_no_failure_but_no_test_at_all_is(dev, monkeypatch, offscreen, expected):
    """The X11 run leaves out tests that make no widget; when that leaves none (a marker or a
    path naming only such tests), the offscreen run has still run them."""
    seen = []

    def fake_pytest(py, args, env):
        seen.append(env.get("QCDESK_X11_RUN"))
        return offscreen if env["QT_QPA_PLATFORM"] == "offscreen" else 5

    monkeypatch.setenv("QCDESK_TEST_WORKERS", "1")
    monkeypatch.setattr(dev, "run_pytest", fake_pytest)
    monkeypatch.setattr(dev, "Xvfb", type("X", (), {"display": ":9", "__enter__": lambda s: s,
                                                    "__exit__": lambda s, *e: None}))
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev.sys, "platform", "linux")
    assert dev.run_tests(Path("python"), ["-m", "packaging"]) == expected
    assert dev.run_tests(Path("python"), ["tests/ui/test_help.py"]) == expected
    assert seen == [None, "1"] * 2


def test_each_phase_logs_its_wall_clock_and_cpu_time_and_the_load(dev, capsys):
    with dev.Phase("offscreen run"):
        subprocess.run([sys.executable, "-c", "sum(range(3_000_000))"], check=True)
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("[dev] time: offscreen run took ")
    words = line.split()
    wall, cpu = float(words[words.index("wall") - 2]), float(words[words.index("CPU") - 2])
    assert 0 <= cpu and 0 <= wall and "load average" in line


@pytest.mark.parametrize("x11_run", ["1", ""])
def test_the_x11_run_leaves_out_the_tests_that_make_no_widget(monkeypatch, x11_run):
    """tests/ui/conftest.py: with QCDESK_X11_RUN=1 only the tests of tests/ui taking qtbot or qapp
    (directly or through another fixture) are kept."""
    spec = importlib.util.spec_from_file_location("qcdesk_ui_conftest", ROOT / "tests" / "ui" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ui, core = ROOT / "tests" / "ui", ROOT / "tests" / "core"
    item = lambda name, folder, *fixtures: type("Item", (), {"name": name, "path": folder / "test_x.py",  # noqa: E731
                                                           "fixturenames": ["request", *fixtures]})()
    items = [item("window", ui, "qtbot", "window"), item("help", ui, "capsys"), item("app", ui, "qapp"),
             item("core", core, "tmp_path")]
    deselected = []
    config = type("Config", (), {"hook": type("Hook", (), {"pytest_deselected": lambda self, items: deselected.extend(items)})()})()
    monkeypatch.setenv("QCDESK_X11_RUN", x11_run)
    module.pytest_collection_modifyitems(config, items)
    assert [i.name for i in items] == (["window", "app", "core"] if x11_run else ["window", "help", "app", "core"])
    assert [i.name for i in deselected] == (["help"] if x11_run else [])


@pytest.mark.parametrize("required, expected", [("", 0), ("1", 1)])
def test_without_xvfb_it_says_so_and_fails_only_when_required(dev, monkeypatch, capsys, required, expected):
    ran = []
    monkeypatch.setattr(dev, "run_pytest", lambda py, args, env: ran.append(env["QT_QPA_PLATFORM"]) or 0)
    monkeypatch.setattr(dev.shutil, "which", lambda name: None)
    monkeypatch.setattr(dev.sys, "platform", "linux")
    monkeypatch.setenv("QCDESK_REQUIRE_X11", required)
    assert dev.run_tests(Path("python"), []) == expected
    assert ran == ["offscreen"]
    assert "OFFSCREEN ONLY" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("Xvfb") is None or not sys.platform.startswith("linux"),
                    reason="Xvfb is not installed")
def test_xvfb_server_accepts_a_qt_window_and_stops(dev):
    with dev.Xvfb() as server:
        assert server.display.startswith(":")
        code = "from PySide6.QtWidgets import QApplication; app = QApplication([]); print(app.platformName())"
        env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=server.display)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert out.stdout.strip() == "xcb", out.stderr
        process = server.process
    assert process.poll() is not None


def test_an_xvfb_that_does_not_start_fails_the_command(dev, monkeypatch, capsys):
    class BrokenXvfb:
        def __enter__(self):
            raise RuntimeError("Xvfb did not start: no screens found")

        def __exit__(self, *exc):
            pass

    monkeypatch.setattr(dev, "run_pytest", lambda py, args, env: 0)
    monkeypatch.setattr(dev, "Xvfb", BrokenXvfb)
    monkeypatch.setattr(dev.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(dev.sys, "platform", "linux")
    assert dev.run_tests(Path("python"), []) == 1
    assert "no screens found" in capsys.readouterr().out


def test_a_missing_libpulse_is_named_and_its_package_installed_as_root(dev, monkeypatch, tmp_path):
    """QtMultimedia fails to import without libpulse.so.0: as root, libpulse0 is installed."""
    installed: list[list[str]] = []
    monkeypatch.setattr(dev.sys, "platform", "linux")
    monkeypatch.setattr(dev, "missing_qt_libraries", lambda py: [])
    monkeypatch.setattr(dev, "multimedia_import_error", lambda py: (
        "ImportError: libpulse.so.0: cannot open shared object file: No such file or directory"))
    monkeypatch.setattr(dev.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(dev, "can_apt", lambda: True)
    monkeypatch.setattr(dev, "apt_install", installed.append)
    dev.ensure_system_libraries(tmp_path / "python", for_tests=True)
    assert installed and "libpulse0" in installed[0]


def test_xdotool_is_installed_as_root_for_the_tests_even_when_xvfb_is_there(dev, monkeypatch, tmp_path):
    """The X11 run's real key presses (tests/ui/test_x11_keys.py) need xdotool next to Xvfb."""
    installed: list[list[str]] = []
    monkeypatch.setattr(dev.sys, "platform", "linux")
    monkeypatch.setattr(dev, "missing_qt_libraries", lambda py: [])
    monkeypatch.setattr(dev, "multimedia_import_error", lambda py: None)
    monkeypatch.setattr(dev.shutil, "which", lambda name: None if name == "xdotool" else "/usr/bin/" + name)
    monkeypatch.setattr(dev, "can_apt", lambda: True)
    monkeypatch.setattr(dev, "apt_install", installed.append)
    dev.ensure_system_libraries(tmp_path / "python", for_tests=True)
    assert installed and "xdotool" in installed[0]


def test_qt_multimedia_imports_in_this_environment(dev):
    """The environment the tests run in can play media (CI installs libpulse0 through dev.py)."""
    assert dev.multimedia_import_error(Path(sys.executable)) is None
@pytest.mark.parametrize("stdout, code, expected", [
    ("", 0, 0),
    ("tests/ui/test_x.py:3: unused variable 'pytestmark' (60% confidence)\n", 3, 0),  # the tests only use code
    ("qcdesk/core/x.py:9: unused function 'old' (60% confidence)\n", 3, 1),
    ("", 1, 1),  # vulture could not read the code
])
def test_the_dead_code_check_counts_only_findings_in_qcdesk(dev, monkeypatch, capsys, stdout, code, expected):
    monkeypatch.setattr(dev.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, code, stdout, ""))
    assert dev.run_linter(Path("python"), "vulture", ["vulture"]) == expected
    assert ("qcdesk/core/x.py" in capsys.readouterr().out) == ("qcdesk/" in stdout)


@pytest.mark.parametrize("failing", [set(), {"ruff"}, {"mypy"}, {"vulture"}, {"ruff", "vulture"}])
def test_any_check_failing_fails_lint_and_test(dev, monkeypatch, capsys, failing):
    ran = []
    monkeypatch.setattr(dev, "run_linter", lambda py, name, args: ran.append(name) or int(name in failing))
    assert dev.run_lint(Path("python")) == (1 if failing else 0)
    assert ran == ["ruff", "mypy", "vulture"]  # every check runs, so one run shows every finding
    monkeypatch.setattr(dev, "ensure_venv", lambda: Path("python"))
    monkeypatch.setattr(dev, "ensure_system_libraries", lambda py, for_tests: None)
    monkeypatch.setattr(dev, "ensure_report_test_tools", lambda: None)
    monkeypatch.setattr(dev, "run_tests", lambda py, rest: 0)
    monkeypatch.delenv("QCDESK_SKIP_LINT", raising=False)
    assert dev.main(["test"]) == (1 if failing else 0)
    assert dev.main(["lint"]) == (1 if failing else 0)


@pytest.mark.parametrize("worker, display", [("gw0", ":5"), ("gw1", ":6"), ("gw2", ":5")])
def test_each_test_process_takes_its_own_x_server_and_user_folders(monkeypatch, tmp_path, worker, display):
    """tests/conftest.py: worker gwN gets the N-th Xvfb dev.py started, and XDG folders no other process has."""
    conftest = importlib.util.spec_from_file_location("qcdesk_tests_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(conftest)
    conftest.loader.exec_module(module)
    for name in ("DISPLAY", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, "untouched")  # restored after the test
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    monkeypatch.setenv("QCDESK_X11_DISPLAYS", ":5,:6")
    config = type("Config", (), {"stash": pytest.Stash()})()
    module.pytest_configure(config)
    assert os.environ["DISPLAY"] == display
    home = config.stash[module.USER_DIRS]
    assert os.environ["XDG_DATA_HOME"] == str(home / "xdg_data_home") and worker in home.name
    module.pytest_unconfigure(config)
    assert not home.exists()


@pytest.mark.parametrize("given, expected", [(["tests/ui/test_about.py"], 0), (["-k", "undo"], 0), (["-x"], 5),
                                             (["tests"], 5)])
def test_an_x11_run_collecting_nothing_fails_only_over_the_whole_widget_folder(dev, monkeypatch, given, expected):
    """A narrowed X11 run may hold no widget test (the offscreen run ran them); the whole of
    tests/ui collecting nothing on X11 means the widget tests were lost, and fails."""

    fake_x11(dev, monkeypatch, lambda py, args, env: 0 if env["QT_QPA_PLATFORM"] == "offscreen" else 5)
    monkeypatch.setenv("QCDESK_TEST_WORKERS", "1")
    assert dev.run_tests(Path("python"), given) == expected


class FakeVenv:
    """venv.EnvBuilder: the interpreter is made; with ``debian_without_pip``, installing pip then
    fails as Debian's venv does (a hint printed, then ``sys.exit(1)``)."""

    made: list = []
    debian_without_pip = False

    def __init__(self, **kwargs):
        pass

    def create(self, path):
        (Path(path) / "bin").mkdir(parents=True, exist_ok=True)
        (Path(path) / "bin" / "python").write_text("")
        FakeVenv.made.append(path)
        if FakeVenv.debian_without_pip:
            print("The virtual environment was not created successfully because ensurepip is not available.")
            raise SystemExit(1)


@pytest.fixture
def venv_dir(dev, monkeypatch, tmp_path):
    monkeypatch.setattr(dev, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(dev, "STAMP", tmp_path / ".venv" / ".qcdesk-installed")
    monkeypatch.setattr(dev.os, "name", "posix")
    monkeypatch.setattr(dev.venv, "EnvBuilder", FakeVenv)
    monkeypatch.setattr(FakeVenv, "made", [])
    monkeypatch.setattr(FakeVenv, "debian_without_pip", False)
    return tmp_path / ".venv"


def without_ensurepip(dev, monkeypatch, *, root: bool, system_python: bool = True) -> list:
    """This Python as Debian's without its venv package; returns the packages apt-get installs."""
    installed: list = []
    monkeypatch.setattr(dev, "can_install_pip", lambda: False)
    monkeypatch.setattr(dev, "can_apt", lambda: root)
    monkeypatch.setattr(dev.sys, "prefix", "/usr" if system_python else "/root/.pyenv/versions/3.11.7")
    monkeypatch.setattr(dev, "apt_install", installed.append)
    return installed


def test_without_the_venv_package_the_command_names_it_and_makes_nothing(dev, monkeypatch, venv_dir):
    installed = without_ensurepip(dev, monkeypatch, root=False)
    with pytest.raises(SystemExit) as stop:
        dev.create_venv()
    assert dev.venv_package() in str(stop.value) and dev.venv_package().endswith("-venv")
    assert not venv_dir.exists() and not FakeVenv.made and not installed


def test_as_root_the_venv_package_is_installed_before_the_venv_is_made(dev, monkeypatch, venv_dir):
    installed = without_ensurepip(dev, monkeypatch, root=True)
    dev.create_venv()
    assert installed == [[dev.venv_package()]] and len(FakeVenv.made) == 1
    assert (venv_dir / "bin" / "python").exists()


def test_apt_is_not_asked_for_a_python_it_did_not_install(dev, monkeypatch, venv_dir):
    installed = without_ensurepip(dev, monkeypatch, root=True, system_python=False)
    with pytest.raises(SystemExit):
        dev.create_venv()
    assert not installed and not FakeVenv.made


def test_a_venv_half_made_by_debian_s_venv_is_removed(dev, monkeypatch, venv_dir):
    monkeypatch.setattr(dev, "can_install_pip", lambda: True)  # it said it could; it exits instead
    FakeVenv.debian_without_pip = True
    with pytest.raises(SystemExit) as stop:
        dev.create_venv()
    assert dev.venv_package() in str(stop.value)
    assert FakeVenv.made and not venv_dir.exists()  # the next run does not take it for made


@pytest.mark.parametrize("ensurepip_works", [True, False])
def test_a_venv_without_pip_gets_pip_or_is_made_again(dev, monkeypatch, venv_dir, ensurepip_works):
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "bin" / "python").write_text("")
    (venv_dir / "lib-made-by-another-tool").write_text("")
    created, ran = [], []
    monkeypatch.setattr(dev, "has_pip", lambda py: False)
    monkeypatch.setattr(dev, "create_venv", lambda: (created.append(venv_dir.exists()), venv_dir.mkdir()))

    def run(cmd, **kwargs):
        ran.append(cmd)
        return subprocess.CompletedProcess(cmd, 0 if ensurepip_works or "ensurepip" not in cmd else 1)

    monkeypatch.setattr(dev.subprocess, "run", run)
    monkeypatch.setattr(dev, "wanted_stamp", lambda: "x")
    dev.ensure_venv()
    assert "ensurepip" in ran[0]
    if ensurepip_works:  # kept, pip added: what was installed in it stays
        assert created == [] and (venv_dir / "lib-made-by-another-tool").exists()
    else:  # removed, then made again
        assert created == [False] and not (venv_dir / "lib-made-by-another-tool").exists()
    assert "pip" in ran[-1] and (venv_dir / ".qcdesk-installed").read_text() == "x"


def test_a_venv_with_its_stamp_is_not_asked_about_pip(dev, monkeypatch, venv_dir):
    venv_dir.mkdir()
    (venv_dir / "bin").mkdir()
    (venv_dir / "bin" / "python").write_text("")
    (venv_dir / ".qcdesk-installed").write_text("x")
    monkeypatch.setattr(dev, "wanted_stamp", lambda: "x")

    def asked(py):
        raise AssertionError("a made environment was asked whether it has pip")

    monkeypatch.setattr(dev, "has_pip", asked)
    monkeypatch.setattr(dev, "create_venv", lambda: pytest.fail("a made environment was made again"))
    assert dev.ensure_venv() == venv_dir / "bin" / "python"
