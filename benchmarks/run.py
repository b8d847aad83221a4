"""The qcdesk benchmark: time and peak memory of each step on a large project, against the targets.

    python benchmarks/run.py                       # generate the full-scale project, then measure
    python benchmarks/run.py --scale small         # a quick run
    python benchmarks/run.py --project P.qcdesk    # measure an existing project (it is not changed)

Steps run in this process, the window offscreen (``QT_QPA_PLATFORM=offscreen`` unless set).
Each pass works on a fresh copy of the project: the first gives times and peak RSS, the second
(skipped with ``--no-tracemalloc``) the Python allocation peak of each step. The storage steps are
then done again with plain ``sqlite3`` (``sqlite_baseline.py``) and the ratio qcdesk/sqlite3 shown.
Figures are printed as a table and written as JSON to ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import sqlite_baseline  # noqa: E402
import steps as steps_mod  # noqa: E402
from measure import Figure, measure  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
#: generated projects kept between runs (``--cache``; always for ``--scale scale``)
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "qcdesk-bench-cache"


def copy_project(source: Path, target: Path) -> Path:
    """A consistent copy (SQLite's online backup, so a pending WAL is included); source untouched."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dest = sqlite3.connect(str(target))
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()
    return target


def generation_figures(base: Path, scale: generate.Scale, tmp: Path) -> list[Figure]:
    """Create ``base`` at ``scale``, each phase measured; the import is split the way the app
    splits it (the worker parses, the window stores one action per file)."""
    from qcdesk.core.project import Project

    state: dict = {}
    n = scale.documents

    def write() -> str:
        state["paths"] = generate.write_transcripts(tmp / "transcripts", scale)
        size = sum(p.stat().st_size for p in state["paths"])
        return f"{n} .txt files, {size / 1024 / 1024:.1f} MB"

    def parse() -> str:
        state["parsed"] = generate.parse_all(state.pop("paths"))
        return f"{sum(len(d.turns) for _, d in state['parsed']):,} speaker turns"

    def store() -> str:
        with Project.create(base) as project:
            generate.store_all(project, state.pop("parsed"))
        return "one action per document"

    def code() -> str:
        with Project.open(base) as project:
            ids = generate.add_codebook(project, scale)
            if scale.bulk_codings:
                made = generate.add_codings_bulk(project, scale, ids)
                return f"{len(ids)} codes, {made:,} codings, one executemany"
            made = generate.add_codings(project, scale, ids)
        return f"{len(ids)} codes, {made:,} codings, one action per document"

    def extras() -> str:
        with Project.open(base) as project:
            made = generate.add_memos_and_cases(project, scale)
        return ", ".join(f"{v} {k}" for k, v in made.items())

    plan = [
        ("generate transcript files", write, None),
        (f"import: parse {n} transcripts", parse, None),
        (f"import: store {n} documents", store, "insert documents"),
        ("codebook + codings (project operations)", code, "insert codes + codings"),
        ("memos, cases, attributes (bulk SQL)", extras, None),
    ]
    figures = []
    for name, fn, baseline in plan:
        fig = measure(name, fn)
        fig.extra["baseline"] = baseline
        fig.extra["group"] = "generate"
        figures.append(fig)
    return figures


def run_pass(base: Path, out_dir: Path, tmp: Path, *, gui: bool, use_tracemalloc: bool, label: str,
             seen: list, targets: steps_mod.Targets | None = None) -> list[Figure]:
    """Every step once, on a fresh copy of ``base``."""
    work = copy_project(base, tmp / f"{label}.qcdesk")
    session = steps_mod.Session(work, out_dir, gui=gui, targets=targets or steps_mod.Targets())
    figures: list[Figure] = []
    with contextlib.ExitStack() as stack:
        if gui:
            steps_mod.ensure_qapp()
            stack.enter_context(steps_mod.never_block_on_dialogs(seen))
            session.make_window()
        stack.callback(session.close)
        for step in session.steps():
            try:
                if step.prepare is not None:
                    step.prepare()
                fig = measure(step.name, step.run, target_s=step.target_s, use_tracemalloc=use_tracemalloc,
                              target_mb=step.memory_mb)
            except Exception as exc:  # noqa: BLE001 - one broken step must not hide the others
                fig = Figure(step.name, target_s=step.target_s, skipped=f"failed: {type(exc).__name__}: {exc}")
            fig.extra["baseline"] = step.baseline
            figures.append(fig)
    return figures


def cached_project(scale: generate.Scale, cache_dir: Path) -> Path:
    """Where a generated project of ``scale`` is kept between runs (the same scale and seed
    always generate the same project; a new schema version makes a new one)."""
    from qcdesk.core.storage.schema import SCHEMA_VERSION

    # a project of an older format would be upgraded (and backed up) by every pass
    key = hashlib.sha256(json.dumps([asdict(scale), SCHEMA_VERSION], sort_keys=True).encode()).hexdigest()[:12]
    return cache_dir / f"bench-{key}.qcdesk"


def run_benchmark(*, project: Path | None = None, scale: generate.Scale | None = None,
                  out_dir: Path = DEFAULT_OUT, gui: bool = True, use_tracemalloc: bool = True,
                  baseline: bool = True, label: str = "custom", echo=print,
                  targets: steps_mod.Targets | None = None, cache_dir: Path | None = None) -> dict:
    """Generate (unless ``project`` is given, or ``cache_dir`` holds one of this scale), measure,
    compare; return the figures as a dict."""
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = targets or steps_mod.Targets()
    seen: list = []
    with tempfile.TemporaryDirectory(prefix="qcdesk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        generated: list[Figure] = []
        if project is None and cache_dir is not None:
            scale = scale or generate.PRESETS["full"]
            cached = cached_project(scale, cache_dir)
            if not cached.is_file():
                cache_dir.mkdir(parents=True, exist_ok=True)
                echo(f"generating {cached} (kept for the next run) …")
                partial = cached.with_name(cached.stem + "-partial.qcdesk")
                for stale in cache_dir.glob(partial.stem + "*"):
                    stale.unlink()
                generated = generation_figures(partial, scale, tmp)
                copy_project(partial, cached)
                cached.chmod(0o600)  # as qcdesk keeps project files (synthetic text, same habit)
                for done in cache_dir.glob(partial.stem + "*"):
                    done.unlink()
            else:
                echo(f"reusing {cached}")
            project = cached
        if project is None:
            scale = scale or generate.PRESETS["full"]
            base = out_dir / f"bench-{label}.qcdesk"
            for stale in out_dir.glob(f"bench-{label}.qcdesk*"):
                stale.unlink()
            echo(f"generating {base} …")
            generated = generation_figures(base, scale, tmp)
        else:
            base = Path(project)
            if not base.is_file():
                raise SystemExit(f"{base} is not a file")
        echo("measuring (pass 1: time and RSS) …")
        figures = run_pass(base, out_dir, tmp, gui=gui, use_tracemalloc=False, label="pass1", seen=seen,
                           targets=targets)
        if use_tracemalloc:
            echo("measuring (pass 2: Python allocations with tracemalloc) …")
            traced = run_pass(base, out_dir, tmp, gui=gui, use_tracemalloc=True, label="pass2", seen=seen,
                              targets=targets)
            for fig, again in zip(figures, traced):
                fig.python_mb = again.python_mb
        ratios, side = {}, None
        if baseline:
            echo("measuring the plain-sqlite3 baseline …")
            base_figs = sqlite_baseline.run(base, workdir=tmp)
            for fig in generated + figures:
                key = fig.extra.get("baseline")
                if key in base_figs and fig.seconds:
                    fig.extra["sqlite3_s"] = base_figs[key]["seconds"]
                    fig.extra["ratio"] = fig.seconds / max(base_figs[key]["seconds"], 1e-9)
            ratios = base_figs
            echo("applying codings side by side with plain sqlite3 …")
            side = sqlite_baseline.compare_coding(base, workdir=tmp)
        from qcdesk.core.project import Project

        with Project.open(base, read_only=True) as p:
            stats = p.stats()
    measured = [f for f in figures if f.rss_mb is not None]
    peak = max((f.rss_mb for f in measured), default=None)
    memory = Figure("peak memory of the measured steps (RSS)", rss_mb=peak)
    memory.extra["target_mb"] = targets.memory_mb
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "project": str(base),
        "stats": stats,
        "scale": asdict(scale) if scale else None,
        "generate": [asdict(f) | {"status": f.status} for f in generated],
        "steps": [asdict(f) | {"status": f.status} for f in figures],
        "memory": {"peak_rss_mb": peak, "target_mb": targets.memory_mb,
                   "status": "" if peak is None else ("PASS" if peak <= targets.memory_mb else "MISS")},
        "baseline": ratios,
        "coding_side_by_side": side,
        "dialogs": seen,
    }


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}


# ----------------------------------------------------------------------------- printing
def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mb(mb: float | None) -> str:
    if mb is None:
        return "—"
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:.0f} MB"


def table(result: dict) -> str:
    head = ("step", "time", "target", "", "peak RSS", "Python peak", "sqlite3", "ratio", "detail")
    rows = []
    for group in ("generate", "steps"):
        for f in result[group]:
            if f["skipped"]:
                rows.append((f["step"], f["skipped"], "", "", "", "", "", "", f["detail"]))
                continue
            ratio = f["extra"].get("ratio")
            target = " and ".join(x for x in (fmt_time(f["target_s"]) if f["target_s"] else "",
                                                fmt_mb(f["target_mb"]) if f.get("target_mb") else "") if x)
            rows.append((f["step"], fmt_time(f["seconds"]), target,
                         f["status"], fmt_mb(f["rss_mb"]), fmt_mb(f["python_mb"]) if f["python_mb"] is not None
                         else "", fmt_time(f["extra"].get("sqlite3_s")) if "sqlite3_s" in f["extra"] else "",
                         f"{ratio:.1f}×" if ratio is not None else "", f["detail"]))
    mem = result["memory"]
    rows.append(("peak memory of the measured steps (RSS)", fmt_mb(mem["peak_rss_mb"]),
                 fmt_mb(mem["target_mb"]), mem["status"], "", "", "", "", ""))
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head) - 1)]
    lines = []
    for r in [head, *rows]:
        cells = [str(c).ljust(w) if i in (0, 8) else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells + [str(r[-1])]).rstrip())
        if r is head:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, help="measure this existing project instead of generating one")
    parser.add_argument("--scale", choices=sorted(generate.PRESETS), default="full")
    generate.add_scale_options(parser, small=False)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the project, report and JSON")
    parser.add_argument("--no-gui", action="store_true", help="leave out the window steps")
    parser.add_argument("--no-tracemalloc", action="store_true", help="one pass only, no Python peaks")
    parser.add_argument("--no-baseline", action="store_true", help="leave out the plain-sqlite3 comparison")
    parser.add_argument("--cache", type=Path, nargs="?", const=DEFAULT_CACHE,
                        help=f"keep the generated project in this folder and reuse it (default {DEFAULT_CACHE}; "
                             "always on for --scale scale)")
    args = parser.parse_args(argv)
    scale = generate.scale_from_args(args, args.scale)
    label = args.scale if scale == generate.PRESETS[args.scale] else "custom"
    cache = args.cache or (DEFAULT_CACHE if args.scale == "scale" else None)
    targets = steps_mod.TARGETS["issue 19" if args.scale == "scale" else "issue 9"]
    started = time.perf_counter()
    result = run_benchmark(project=args.project, scale=None if args.project else scale, out_dir=args.out,
                           gui=not args.no_gui, use_tracemalloc=not args.no_tracemalloc,
                           baseline=not args.no_baseline, label=label, targets=targets,
                           cache_dir=None if args.project else cache)
    print()
    print(f"project: {result['project']}")
    print("contents: " + ", ".join(f"{v:,} {k}" for k, v in result["stats"].items()))
    m = result["machine"]
    print(f"machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, SQLite {m['sqlite']}")
    print()
    print(table(result))
    side = result["coding_side_by_side"]
    if side:
        print(f"\napply a coding (core), side by side: qcdesk {side['qcdesk_s'] * 1000:.2f} ms, plain sqlite3 "
              f"{side['sqlite3_s'] * 1000:.2f} ms: {side['ratio']:.1f}× (medians of {side['repeats']})")
    if result["dialogs"]:
        print("\nthe window showed messages:", *result["dialogs"], sep="\n  ")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out / f"bench-{label}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nfigures written to {out} ({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
