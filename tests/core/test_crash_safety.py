"""A qcdesk process killed at any moment leaves a sound project holding every action it finished.

A child process imports transcripts (one large) and codes in bursts, printing a line after
each action has committed. The parent kills it with SIGKILL at random moments, in the middle
of storing a large file and in the middle of a burst, then reopens the project: SQLite's
integrity check passes, the project opens, everything the child reported is there, and no
document is there by halves (its text, paragraphs and turns all stored, or nothing).
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from qcdesk.core.project import Project

pytestmark = [pytest.mark.core, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

REPO = Path(__file__).resolve().parents[2]

#: the child: ``python -c CHILD project seed``; prints "doc id name", "code id ..." after each commit
CHILD = textwrap.dedent('''
    import random, sys
    from qcdesk.core.importers.base import ParsedDocument
    from qcdesk.core.models import Block, SpeakerTurn
    from qcdesk.core.project import Project

    def transcript(name, turns):
        lines = [f"{'Interviewer' if i % 2 == 0 else 'P1'}: {name} turn {i} " + "words " * (i % 40)
                 for i in range(turns)]
        text = "\\n".join(lines)
        blocks, speaker_turns, pos = [], [], 0
        for line in lines:
            blocks.append(Block("paragraph", pos, pos + len(line)))
            speaker_turns.append(SpeakerTurn(line.split(":")[0], pos, pos + len(line)))
            pos += len(line) + 1
        return ParsedDocument(text=text, source_format="txt", blocks=blocks, turns=speaker_turns)

    def say(line):
        print(line, flush=True)

    path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    project = Project.open(path)
    code = project.codes()[0].id
    say("ready")
    for round_ in range(1000):
        big = round_ % 3 == 0
        name = f"s{seed}-r{round_}-{'big' if big else 'small'}-{30000 if big else 200}"
        say(f"importing {name}")
        doc = project.documents.add(name, transcript(name, 30000 if big else 200))
        say(f"doc {doc.id} {name}")
        say("burst")
        for _ in range(rng.randint(20, 80)):
            start = rng.randrange(0, doc.char_count - 10)
            coding = project.codings.apply(doc.id, code, start, start + rng.randint(1, 10)).value
            say(f"coding {coding.id} {doc.id} {coding.start} {coding.end}")
''')


def run_child_and_kill(path: Path, seed: int, kill_after: str, delay: float) -> list[str]:
    """Start the child, wait for the line starting ``kill_after``, SIGKILL it ``delay`` s later;
    return every line it printed (each one an action it had committed)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(seed)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=REPO)
    lines: list[str] = []
    buffer = b""
    deadline = time.monotonic() + 120  # a generous wait for the line, not a speed check
    kill_at = None
    try:
        while time.monotonic() < deadline:
            if kill_at is not None and time.monotonic() >= kill_at:
                break
            ready, _, _ = select.select([proc.stdout], [], [], 0.005)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                *complete, buffer = buffer.split(b"\n")
                for raw in complete:
                    line = raw.decode()
                    lines.append(line)
                    if kill_at is None and line.startswith(kill_after):
                        kill_at = time.monotonic() + delay
        assert kill_at is not None, (lines[-3:], proc.stderr.read1() if proc.poll() is not None else "")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    # lines printed before the kill are still in the pipe
    # (a last line without its newline was cut by the kill: not counted)
    lines += [raw.decode() for raw in (buffer + proc.stdout.read()).split(b"\n")[:-1]]
    proc.stdout.close()
    proc.stderr.close()
    return [line for line in lines if line]


def check_project(path: Path, reported: list[str]) -> dict[str, int]:
    with Project.open(path) as project:
        assert project.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert project.db.execute("PRAGMA foreign_key_check").fetchall() == []
        docs = {d.id: d for d in project.documents()}
        codings = {c.id: c for doc_id in docs for c in project.codings_for_document(doc_id)}
        for doc in docs.values():  # whole or absent
            turns = int(doc.name.rsplit("-", 1)[1])
            assert len(project.blocks(doc.id)) == turns, doc.name
            assert len(project.speaker_turns(doc.id)) == turns, doc.name
            assert len(project.document_text(doc.id)) == doc.char_count
            assert project.document_text(doc.id).startswith(f"Interviewer: {doc.name} turn 0")
        # the FTS index agrees with the table
        indexed = {r[0] for r in project.db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'turn'")}
        assert indexed == set(docs)
        for line in reported:
            kind, *fields = line.split()
            if kind == "doc":
                assert int(fields[0]) in docs and docs[int(fields[0])].name == fields[1], line
            elif kind == "coding":
                coding_id, doc_id, start, end = map(int, fields)
                found = codings.get(coding_id)
                assert found is not None and (found.document_id, found.start, found.end) == (doc_id, start, end), line
        return {"documents": len(docs), "codings": len(codings)}


def test_killed_mid_import_and_mid_burst_loses_nothing_reported(tmp_path):
    path = tmp_path / "crash.qcdesk"
    with Project.create(path) as project:
        project.codebook.add("Theme")
    rng = random.Random(int(os.environ.get("QCDESK_CRASH_SEED", "9")))
    moments = [("importing s1-r0-big", rng.uniform(0.0, 0.4)),   # while the large file is stored
               ("burst", rng.uniform(0.0, 0.05)),                 # among the codings
               ("importing s3-r0-big", rng.uniform(0.05, 0.3)),
               ("coding", rng.uniform(0.0, 0.02)),
               ("importing s5-r1-small", rng.uniform(0.0, 0.01))]
    before = {"documents": 0, "codings": 0}
    for seed, (after, delay) in enumerate(moments, start=1):
        reported = run_child_and_kill(path, seed, after, delay)
        assert "ready" in reported
        counts = check_project(path, reported)
        assert counts["documents"] >= before["documents"] and counts["codings"] >= before["codings"]
        before = counts
    assert before["documents"] >= 1
