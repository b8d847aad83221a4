"""A qcdesk process killed while it stores a recording leaves a sound project without any part
of that recording, and with every recording it finished before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import tone_wav  # noqa: E402

from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

REPO = Path(__file__).resolve().parents[2]

#: attaches the first recording, says "stored", then the second and says "chunk N" after each of
#: its chunks; the parent kills it after chunk ``sys.argv[4]``
CHILD = textwrap.dedent('''
    import sys
    from qcdesk.core.project import Project

    path, first, second, stop = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    project = Project.open(path)
    project.media.attach(project.documents()[0].id, first)
    print("stored", flush=True)

    def progress(done, total):
        print(f"chunk {done}", flush=True)
        if done >= stop:
            sys.stdin.readline()  # wait here, in the middle of the transaction, to be killed

    project.media.attach(project.documents()[1].id, second, progress=progress)
    print("finished", flush=True)
''')


@pytest.mark.parametrize("after_chunks", [1, 3, 6])
def test_killed_while_storing_a_recording(tmp_path, after_chunks):
    path = tmp_path / "p.qcdesk"
    with Project.create(path) as p:
        p.documents.add("One", ParsedDocument("A: one", "txt"))
        p.documents.add("Two", ParsedDocument("A: two", "txt"))
    first = tone_wav(tmp_path / "first.wav", 1.0)
    second = tone_wav(tmp_path / "second.wav", 240.0, rate=16000)  # 7.7 MB: 8 chunks
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(first), str(second),
                              str(after_chunks << 20)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env=env, cwd=tmp_path)
    try:
        lines = []
        while not (lines and lines[-1].startswith("chunk") and int(lines[-1].split()[1]) >= after_chunks << 20):
            line = child.stdout.readline()
            assert line, f"the child ended early: {lines}"
            lines.append(line.strip())
        assert lines[0] == "stored"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    with Project.open(path) as p:
        assert p.integrity_ok()
        one, two = p.documents()
        kept = p.media.for_document(one.id)
        assert kept is not None and p.media.for_document(two.id) is None
        assert p.db.execute("SELECT DISTINCT media_id FROM media_chunks").fetchall() == [(kept.id,)]
        with p.media.open(kept.id) as reader:
            assert reader.read() == first.read_bytes()
