"""No network: a whole session (window offscreen and command line) opens no socket and never
loads Qt's network module. Runs in a fresh interpreter with an audit hook installed first, so
everything imported along the way is watched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.core

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(r'''
    import faulthandler, json, sys
    faulthandler.dump_traceback_later(240, exit=True)  # a blocked dialog shows where, not a hang
    seen = []
    WATCHED = {"socket.__new__", "socket.connect", "socket.getaddrinfo", "socket.bind",
               "socket.gethostbyname", "socket.sendto", "socket.sendmsg"}
    def hook(event, args):
        if event in WATCHED:
            seen.append([event, repr(args)[:200]])
    sys.addaudithook(hook)

    from pathlib import Path
    work = Path(sys.argv[1])
    from PySide6.QtWidgets import QApplication
    app = QApplication(["qcdesk"])
    from qcdesk.core.demo import build_demo_project
    from qcdesk.ui import dialogs
    from qcdesk.ui.commands import codings as coding_cmd
    from qcdesk.ui.main_window import MainWindow
    from qcdesk.ui.settings import Settings

    for name in ("error", "warning", "info"):
        setattr(dialogs, name, lambda *a, **k: None)
    dialogs.confirm = lambda *a, **k: True

    def wait(flow):
        while flow.busy():
            app.processEvents()

    demo = build_demo_project(work / "demo.qcdesk")
    settings = Settings(work / "settings.ini")
    settings.set_coder_name("Tester")
    win = MainWindow(settings)
    if hasattr(win, "team"):
        win.team._ask_coder = lambda *a, **k: "Tester"
    win.show()
    assert win.open_project(demo)
    win.imports.start([work / "extra.txt"])
    wait(win.imports)
    project = win.project
    doc = [d for d in project.documents() if d.name == "extra"][0]
    code = project.codes()[0]
    assert win.undo.run(coding_cmd.apply_code(project, doc.id, code.id, 0, 10))
    win.exports.start("segments-by-code", work / "report.docx")
    wait(win.exports)
    assert (work / "report.docx").exists()
    dialogs.ask_save_path = lambda *a, **k: str(work / "demo.qdpx")
    win.exchange.act_export_project.trigger()
    assert (work / "demo.qdpx").exists()
    win.close()

    from qcdesk.cli import main
    p = str(work / "cli.qcdesk")
    assert main(["new", p]) == 0
    assert main(["import", p, str(work / "extra.txt")]) == 0
    assert main(["stats", p]) == 0
    assert main(["export", p, "--out", str(work / "cli.docx")]) == 0
    assert main(["exchange", "export", p, str(work / "cli.qdpx")]) == 0
    assert main(["audit", p]) == 0
    assert main(["stats", p]) == 0
    print("RESULT " + json.dumps({"sockets": seen, "qtnetwork": "PySide6.QtNetwork" in sys.modules}),
          flush=True)
    import os
    os._exit(0)  # the verdict is in; interpreter teardown of Qt objects is not under test here
''')


def _run(tmp_path: Path, prefix: list[str]) -> subprocess.CompletedProcess:
    (tmp_path / "extra.txt").write_text("Interviewer: Hello.\nParticipant: Fine, thanks.\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), QCDESK_PASSPHRASE="correct horse battery")
    script = tmp_path / "session.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return subprocess.run([*prefix, sys.executable, str(script), str(tmp_path)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_full_session_opens_no_socket(tmp_path):
    done = _run(tmp_path, [])
    assert done.returncode == 0, done.stderr[-3000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")][-1]
    result = json.loads(line[len("RESULT "):])
    assert result["sockets"] == []
    assert result["qtnetwork"] is False


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_no_socket_system_call(tmp_path):
    """The kernel's view: no socket() or connect() by the process or any thread or child."""
    log = tmp_path / "strace.log"
    done = _run(tmp_path, ["strace", "-f", "-e", "trace=socket,connect", "-o", str(log)])
    if done.returncode != 0 and "ptrace" in done.stderr:
        pytest.skip("strace may not trace here: " + done.stderr.splitlines()[0])
    assert done.returncode == 0, done.stderr[-3000:]
    traced = log.read_text()
    assert "+++ exited with" in traced  # strace really followed the process
    calls = [x for x in traced.splitlines() if "socket(" in x or "connect(" in x]
    assert calls == []
