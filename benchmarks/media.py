"""Recordings in a project (issue 18): attaching a 1-hour recording stored inside and linked,
random seeks through ``MediaReader``, and the project's size with the recording inside.

    .venv/bin/python benchmarks/media.py                  # 1 hour, mono 16 kHz 16-bit (~115 MB)
    .venv/bin/python benchmarks/media.py --cd-quality     # 1 hour, stereo 44.1 kHz 16-bit (~635 MB)
    .venv/bin/python benchmarks/media.py --encrypted      # the same into an encrypted project
    .venv/bin/python benchmarks/media.py --seconds 5      # a few seconds (the smoke test)

Prints one line per step (time and peak resident memory of the process during it). The
recording is a generated tone (a WAV, written one second at a time); everything goes into a
temporary folder (``--out`` keeps it).
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import statistics
import struct
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import MB, measure  # noqa: E402

from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.models import SpeakerTurn  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def write_wav(path: Path, seconds: int, *, rate: int, channels: int) -> Path:
    one = b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * 220 * i / rate))) * channels
                   for i in range(rate))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        for _ in range(seconds):
            w.writeframes(one)
    return path


def _transcript(seconds: int) -> ParsedDocument:
    turns, parts, pos = [], [], 0
    for i, t in enumerate(range(0, seconds, 30)):
        line = f"{'AB'[i % 2]}: words of turn {i}\n"
        turns.append(SpeakerTurn("AB"[i % 2], pos, pos + len(line) - 1, float(t), float(min(t + 30, seconds))))
        parts.append(line)
        pos += len(line)
    return ParsedDocument("".join(parts), "vtt", turns=turns)


def run(seconds: int, rate: int, channels: int, *, encrypted: bool, folder: Path, seeks: int = 1000) -> list:
    wav = write_wav(folder / "interview.wav", seconds, rate=rate, channels=channels)
    size = wav.stat().st_size
    passphrase = PASSPHRASE if encrypted else None
    figures = []
    results: dict = {}

    def attach(embed: bool):
        def step():
            path = folder / f"{'embedded' if embed else 'linked'}.qcdesk"
            with Project.create(path, passphrase=passphrase) as p:
                doc = p.documents.add("Interview", _transcript(seconds))
                info = p.media.attach(doc.id, wav, embed=embed)
                results[embed] = (path, info)
            return f"{size / MB:.0f} MB recording"
        return step

    figures.append(measure("attach, stored inside (incl. close)", attach(True)))
    figures.append(measure("attach, linked (hash only)", attach(False)))
    path, info = results[True]
    project_size = path.stat().st_size

    def seek_step():
        rng = random.Random(7)
        times = []
        with Project.open(path, passphrase=passphrase) as p, p.media.open(info.id) as reader:
            for _ in range(seeks):
                start = time.perf_counter()
                reader.seek(rng.randrange(0, max(1, size - 65536)))
                reader.read(65536)
                times.append(time.perf_counter() - start)
        times.sort()
        results["seek"] = times
        return (f"{seeks} random seek+64 KB reads: median {statistics.median(times) * 1000:.2f} ms, "
                f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms")

    figures.append(measure("random seeks (embedded)", seek_step))

    def read_all():
        with Project.open(path, passphrase=passphrase) as p, p.media.open(info.id) as reader:
            while reader.read(1 << 20):
                pass
        return "whole recording, 1 MB reads"

    figures.append(measure("read through once (embedded)", read_all))
    print(f"recording: {seconds} s, {channels} channel(s) at {rate} Hz, {size / MB:.1f} MB; "
          f"{'encrypted' if encrypted else 'plain'} project")
    print(f"project size with the recording inside: {project_size / MB:.1f} MB "
          f"({project_size / size:.3f} x the recording); linked: "
          f"{results[False][0].stat().st_size / MB:.2f} MB")
    for f in figures:
        print(f"{f.step:40s} {f.seconds:8.2f} s  peak RSS {f.rss_mb:7.1f} MB  {f.detail}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3600)
    parser.add_argument("--cd-quality", action="store_true", help="stereo 44.1 kHz instead of mono 16 kHz")
    parser.add_argument("--encrypted", action="store_true")
    parser.add_argument("--seeks", type=int, default=1000)
    parser.add_argument("--out", type=Path, help="keep the files in this folder")
    args = parser.parse_args(argv)
    rate, channels = (44100, 2) if args.cd_quality else (16000, 1)
    folder = args.out or Path(tempfile.mkdtemp(prefix="qcdesk-media-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        run(args.seconds, rate, channels, encrypted=args.encrypted, folder=folder, seeks=args.seeks)
    finally:
        if args.out is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
