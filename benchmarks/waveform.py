"""The Recording dock's waveform (issue 18): the envelope of a 1-hour recording stored inside the
project, streamed from it as the window's worker does, and the same through ffmpeg (other formats).

    .venv/bin/python benchmarks/waveform.py                  # 1 hour, mono 16 kHz 16-bit (~115 MB)
    .venv/bin/python benchmarks/waveform.py --cd-quality     # 1 hour, stereo 44.1 kHz 16-bit (~635 MB)
    .venv/bin/python benchmarks/waveform.py --seconds 5      # a few seconds (a smoke run)

Prints one line per step (time and peak resident memory of the process during it).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import MB, measure  # noqa: E402
from media import write_wav  # noqa: E402

from qcdesk.core import peaks  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402


def run(seconds: int, rate: int, channels: int, folder: Path) -> list:
    wav = write_wav(folder / "diary.wav", seconds, rate=rate, channels=channels)
    path = folder / "diary.qcdesk"
    with Project.create(path) as project:
        doc = project.documents.add("Diary", ParsedDocument(text="", source_format="media"))
        info = project.media.attach(doc.id, wav, embed=True)
    figures, found = [], {}

    def embedded():
        with Project.open(path) as project, project.media.open(info.id, own_connection=True) as reader:
            found["wav"] = peaks.peaks(reader)
        return f"{len(found['wav'])} peaks, {len(found['wav']) * 2 / 1024:.0f} KB kept for the session"

    figures.append(measure("envelope, wav stored inside", embedded))
    if peaks.ffmpeg_program() is not None:
        def through_ffmpeg():
            found["ffmpeg"] = peaks.ffmpeg_peaks(wav)
            return f"{len(found['ffmpeg'])} peaks"

        figures.append(measure("envelope, through ffmpeg (any format)", through_ffmpeg))
    print(f"recording: {seconds} s, {channels} channel(s) at {rate} Hz, {wav.stat().st_size / MB:.1f} MB")
    for f in figures:
        print(f"{f.step:40s} {f.seconds:8.2f} s  peak RSS {f.rss_mb:7.1f} MB  {f.detail}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3600)
    parser.add_argument("--cd-quality", action="store_true", help="stereo 44.1 kHz instead of mono 16 kHz")
    args = parser.parse_args(argv)
    rate, channels = (44100, 2) if args.cd_quality else (16000, 1)
    folder = Path(tempfile.mkdtemp(prefix="qcdesk-waveform-bench-"))
    try:
        run(args.seconds, rate, channels, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
