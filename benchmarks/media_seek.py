"""Seeking latency of the player in a 1-hour recording, stored inside the project and linked.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/media_seek.py [--minutes 60] [--seeks 20]

For each storage it loads the recording in the player dock's QMediaPlayer (embedded: streamed
over the loopback by qcdesk.ui.media_stream from the project), then seeks to spread-out positions while playing
and times each from setPosition until the player has played on from the target (less the 100 ms
it played).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Q_ARG, QElapsedTimer, QEventLoop, QMetaObject, Qt, QUrl  # noqa: E402
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from qcdesk.ui.media_stream import recording_server  # noqa: E402
from tests.media_files import tone_wav  # noqa: E402


#: how far past the target the player must have played for a seek to count as done
PLAYED_MS = 100


def wait_until(app, predicate, timeout_s: float = 30.0) -> bool:
    deadline = time.perf_counter() + timeout_s
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return True


def measure(app, player: QMediaPlayer, duration_ms: int, seeks: int) -> list[float]:
    QMetaObject.invokeMethod(player, "play", Qt.ConnectionType.QueuedConnection)
    wait_until(app, lambda: player.position() > 0)
    rng = random.Random(18)
    out = []
    for _ in range(seeks):
        target = rng.randrange(0, duration_ms - 10_000)
        clock = QElapsedTimer()
        clock.start()
        QMetaObject.invokeMethod(player, "setPosition", Qt.ConnectionType.QueuedConnection, Q_ARG("qint64", target))
        # arrived when the player has played on from the target (its position alone is set at once)
        if not wait_until(app, lambda t=target: t + PLAYED_MS <= player.position() < t + 5000):
            raise SystemExit(f"seek to {target} ms did not arrive")
        out.append(clock.nsecsElapsed() / 1e6 - PLAYED_MS)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--seeks", type=int, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        t0 = time.perf_counter()
        wav = tone_wav(folder / "hour.wav", args.minutes * 60)
        print(f"wrote {wav.stat().st_size / 1e6:.1f} MB wav ({args.minutes:g} min, 8 kHz mono) "
              f"in {time.perf_counter() - t0:.1f} s")
        project = Project.create(folder / "study.qcdesk")
        doc = project.documents.add("Hour", ParsedDocument(text="P1: talk", source_format="txt"))
        doc2 = project.documents.add("Hour linked", ParsedDocument(text="P1: talk again", source_format="txt"))
        embedded = project.media.attach(doc.id, wav, embed=True)
        linked = project.media.attach(doc2.id, wav, embed=False)
        for label, info in (("embedded", embedded), ("linked", linked)):
            player = QMediaPlayer()
            audio = QAudioOutput()
            audio.setVolume(0)
            player.setAudioOutput(audio)
            t0 = time.perf_counter()
            stream = None
            if info.embedded:
                stream = recording_server().publish(project.media.open(info.id, own_connection=True), info.name)
                player.setSource(QUrl(stream.url))
            else:
                player.setSource(QUrl.fromLocalFile(str(project.media.local_path(info.id))))
            wait_until(app, lambda p=player: p.duration() > 0)
            loaded = (time.perf_counter() - t0) * 1000
            times = measure(app, player, player.duration(), args.seeks)
            print(f"{label:9} load {loaded:6.0f} ms; seek median {statistics.median(times):5.0f} ms, "
                  f"max {max(times):5.0f} ms over {len(times)} seeks")
            player.setSource(QUrl())
            if stream is not None:
                recording_server().withdraw(stream)
        project.close()


if __name__ == "__main__":
    main()
