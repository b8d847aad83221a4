"""A large synthetic qcdesk project, the same for a given seed and scale.

    python benchmarks/generate.py OUT.qcdesk                 # the full scale of issue 9
    python benchmarks/generate.py OUT.qcdesk --small         # a quick one
    python benchmarks/generate.py OUT.qcdesk --documents 3 --words 500 --codes 20 --codings 100

Transcripts are written as ``.txt`` files (``[h:mm:ss] Speaker: words`` turns: one-to-one
interviews and focus groups) and go through the app's own importer (``parse_file`` then
``store_parsed``, as the import worker and the window do). Codes and codings are made with
``project.codebook.add`` / ``project.codings.apply``. Memos, cases and attributes are written in
bulk by :func:`add_memos_and_cases` with sqlite-utils directly, for speed, not through
``project.memos`` and ``project.cases``: that is benchmark-only SQL, kept here on purpose and never
in ``qcdesk/``.

The middle document is a long focus group (``--long-words``) so that "open the largest document"
crosses the 300,000-character size at which other tools are reported to slow down (it is not the
first one, which the window shows on opening a project).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from qcdesk.core.importers import parse_file
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importing import ImportReport, store_parsed
from qcdesk.core.project import Project


@dataclass(frozen=True)
class Scale:
    documents: int = 200
    words: int = 10_000
    #: words of the middle document, a long focus group (0: as long as the others)
    long_words: int = 50_000
    codes: int = 500
    codings: int = 50_000
    memos: int = 1_000
    cases: int = 150
    seed: int = 9
    #: codings written with one executemany (benchmark-only SQL) instead of ``apply_code`` each:
    #: what makes the 250,000 codings of the "scale" preset quick to generate
    bulk_codings: bool = False

    @property
    def attributes(self) -> int:
        return len(ATTRIBUTES)


PRESETS = {
    "full": Scale(),
    "small": Scale(documents=20, words=2_000, long_words=8_000, codes=60, codings=2_000, memos=60, cases=15),
    # issue 19: 1,000 transcripts (about 50 million characters), 1,000 codes, 250,000 codings
    "scale": Scale(documents=1_000, words=7_500, long_words=50_000, codes=1_000, codings=250_000, memos=5_000,
                   cases=750, bulk_codings=True),
}

# ----------------------------------------------------------------------------- vocabulary
_SUBJECTS = ("I", "we", "my supervisor", "the registrar", "the consultant", "the students", "our team",
             "the nurses", "my mentor", "the programme", "the patient", "the educator", "my peers")
_VERBS = ("felt", "noticed", "wanted", "learned", "struggled with", "talked about", "remember",
          "worried about", "valued", "questioned", "relied on", "avoided", "reflected on", "changed")
_OBJECTS = ("the feedback", "the night shifts", "the assessment", "a sense of belonging", "the workload",
            "the ward round", "simulation training", "the handover", "our portfolio", "the rota",
            "the case discussion", "that difficult conversation", "the exam", "the clinic",
            "the placement", "role modelling", "the debrief", "imposter feelings", "the curriculum")
_TAILS = ("at first", "later on", "every week", "after the incident", "in the second year",
          "when nobody was watching", "because of the pressure", "with some hesitation",
          "more than I expected", "on reflection", "in hindsight", "during the pandemic",
          "without much support", "in the café", "with the whole team", "as a junior doctor")
_FILLERS = ("you know,", "I mean,", "honestly,", "well,", "to be fair,", "sort of", "I suppose")
_QUESTIONS = ("Can you tell me more about that?", "How did that make you feel?",
              "What happened next?", "Who supported you then?", "Was that typical?",
              "How would you describe the culture there?", "What would you change?",
              "Could you give an example?", "How did the team respond?")
_THEMES = ("Feedback", "Belonging", "Workload", "Assessment", "Identity", "Supervision", "Wellbeing",
           "Hierarchy", "Learning climate", "Patient safety", "Career choice", "Reflection",
           "Peer support", "Professionalism", "Uncertainty", "Equity")
_ASPECTS = ("timing", "tone", "sources", "barriers", "enablers", "consequences", "strategies",
            "expectations", "emotions", "norms", "turning points", "relationships")
_LEAF_WORDS = ("delayed", "public", "written", "informal", "formal", "peer", "senior", "silent",
               "humiliating", "constructive", "rushed", "unexpected", "repeated", "absent", "shared")
#: (name, type, choices) of the case attributes
ATTRIBUTES = (("role", "choice", ("student", "resident", "consultant", "nurse")),
              ("year of training", "number", ()), ("site", "choice", ("urban", "rural", "regional")),
              ("gender", "choice", ("woman", "man", "non-binary", "not stated")),
              ("age", "number", ()), ("interview date", "date", ()))


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)]
    if rng.random() < 0.6:
        words.append(rng.choice(_TAILS))
    if rng.random() < 0.3:
        words.insert(0, rng.choice(_FILLERS))
    if rng.random() < 0.25:
        words += ["and", rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)]
    text = " ".join(words)
    if rng.random() < 0.05:
        text += " — it’s hard to explain"
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "…"))


def _clock(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}"


def transcript(rng: random.Random, words: int, focus_group: bool, number: int) -> str:
    """About ``words`` words of ``[h:mm:ss] Speaker: …`` turns."""
    lead = "Facilitator" if focus_group else "Interviewer"
    people = [f"P{number:03d}{chr(65 + i)}" for i in range(rng.randint(4, 8))] if focus_group \
        else [f"P{number:03d}"]
    lines, count, clock = [], 0, rng.randint(0, 40)
    emoji_at = rng.randrange(max(words, 1)) if rng.random() < 0.3 else -1
    while count < words:
        speaker = lead if (not lines or rng.random() < (0.25 if focus_group else 0.45)) else rng.choice(people)
        if speaker == lead:
            body = rng.choice(_QUESTIONS)
        else:
            body = " ".join(_sentence(rng) for _ in range(rng.randint(1, 7)))
        if emoji_at >= 0 and count >= emoji_at:
            body += " 😀"
            emoji_at = -1
        count += len(body.split())
        lines.append(f"[{_clock(clock)}] {speaker}: {body}")
        clock += 2 + len(body.split()) // 2 + rng.randint(0, 6)
    return "\n\n".join(lines) + "\n"


def write_transcripts(folder: Path, scale: Scale) -> list[Path]:
    """The transcripts as .txt files in ``folder`` (the middle one is the long focus group)."""
    rng = random.Random(scale.seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(scale.documents):
        long_one = i == scale.documents // 2 and scale.long_words > 0
        focus = long_one or rng.random() < 0.3
        words = scale.long_words if long_one else max(50, int(scale.words * rng.uniform(0.7, 1.3)))
        kind = "focus group" if focus else "interview"
        path = folder / f"{i + 1:03d} {kind}.txt"
        path.write_text(transcript(rng, words, focus, i + 1), encoding="utf-8")
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------- import
def parse_all(paths: list[Path]) -> list[tuple[Path, ParsedDocument]]:
    """What the import worker does: parse each file (no project involved)."""
    return [(p, parse_file(p)) for p in paths]


def store_all(project: Project, parsed: list[tuple[Path, ParsedDocument]]) -> ImportReport:
    """What the window does with each parsed file: one action per document."""
    report = ImportReport()
    for path, doc in parsed:
        store_parsed(project, path, doc, report)
    if report.failed or report.skipped:
        raise RuntimeError(f"import left files out: {report.failed + report.skipped}")
    return report


# ----------------------------------------------------------------------------- codebook
def level_sizes(n: int) -> tuple[int, int, int]:
    """Codes per level (themes, aspects, leaves) adding up to ``n``, in three levels when n >= 3."""
    if n < 3:
        return n, 0, 0
    top = max(1, round(n / 50))
    mid = max(1, round(n * 0.14))
    return top, mid, n - top - mid


def add_codebook(project: Project, scale: Scale) -> list[int]:
    """``scale.codes`` codes in three levels, as one action; returns their ids (themes first)."""
    rng = random.Random(scale.seed + 1)
    top, mid, leaves = level_sizes(scale.codes)
    ids: list[int] = []
    with project.action():
        themes = [project.codebook.add(f"{_THEMES[i % len(_THEMES)]}" + (f" {i // len(_THEMES) + 1}"
                                                                     if i >= len(_THEMES) else ""),
                                   description=f"Everything participants say about {_THEMES[i % len(_THEMES)].lower()}.").value
                  for i in range(top)]
        aspects = [project.codebook.add(f"{_ASPECTS[i % len(_ASPECTS)]} {i // len(_ASPECTS) + 1}",
                                    parent_id=themes[i % len(themes)].id).value for i in range(mid)]
        parents = aspects or themes
        leaf_codes = [project.codebook.add(f"{rng.choice(_LEAF_WORDS)} {rng.choice(_OBJECTS).split()[-1]} {i + 1}",
                                       parent_id=parents[i % len(parents)].id if parents else None).value
                      for i in range(leaves)]
        ids = [c.id for c in themes + aspects + leaf_codes]
    return ids


def _split_counts(total: int, weights: list[int]) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainder), summing exactly."""
    whole = sum(weights) or 1
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[:total - sum(counts)]:
        counts[i] += 1
    return counts


def add_codings(project: Project, scale: Scale, code_ids: list[int], progress=None) -> int:
    """``scale.codings`` codings spread over documents by length, codes drawn Zipf-like
    (a few codes carry many segments, as in real codebooks); one action per document."""
    rng = random.Random(scale.seed + 2)
    docs = project.documents()
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(code_ids))]
    order = code_ids[:]
    rng.shuffle(order)
    made = 0
    for n, (doc, count) in enumerate(zip(docs, _split_counts(scale.codings, [d.char_count for d in docs]))):
        text = project.document_text(doc.id)
        turns = [t for t in project.speaker_turns(doc.id) if t.end - t.start > 1] or None
        seen: set[tuple[int, int, int]] = set()
        with project.action():
            while len(seen) < count:
                code = rng.choices(order, weights)[0]
                start, end = _coded_range(rng, text, turns)
                if (code, start, end) in seen:
                    continue
                seen.add((code, start, end))
                project.codings.apply(doc.id, code, start, end)
        made += len(seen)
        if progress:
            progress(n + 1, len(docs))
    return made


def add_codings_bulk(project: Project, scale: Scale, code_ids: list[int]) -> int:
    """The same kind of codings as :func:`add_codings`, written in one transaction with
    ``executemany`` (benchmark-only SQL, like :func:`add_memos_and_cases`): the rows the app
    would write, without its per-coding checks, so that a project of 250,000 codings takes
    seconds to make. The full-text index is not involved (it holds texts, not codings)."""
    rng = random.Random(scale.seed + 2)
    docs = project.documents()
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(code_ids))]
    cum = list(itertools.accumulate(weights))
    order = code_ids[:]
    rng.shuffle(order)
    coder = project.coder.id if project.coder else None
    stamp = "2024-01-01T00:00:00+00:00"
    rows: list[tuple] = []
    for doc, count in zip(docs, _split_counts(scale.codings, [d.char_count for d in docs])):
        text = project.document_text(doc.id)
        turns = [t for t in project.speaker_turns(doc.id) if t.end - t.start > 1] or None
        seen: set[tuple[int, int, int]] = set()
        while len(seen) < count:
            code = rng.choices(order, cum_weights=cum)[0]
            start, end = _coded_range(rng, text, turns)
            if (code, start, end) not in seen:
                seen.add((code, start, end))
                rows.append((doc.id, code, start, end, coder, stamp))
    with project.db.atomic():
        project.db.conn.executemany(
            'INSERT INTO codings (document_id, code_id, start, "end", coder_id, created) VALUES (?, ?, ?, ?, ?, ?)',
            rows)
    return len(rows)


def _coded_range(rng: random.Random, text: str, turns) -> tuple[int, int]:
    """A sentence, part of a turn, a whole turn or two turns."""
    if not turns:
        start = rng.randrange(len(text) - 1)
        return start, min(len(text), start + rng.randint(1, 400))
    i = rng.randrange(len(turns))
    turn = turns[i]
    pick = rng.random()
    if pick < 0.15 and i + 1 < len(turns):
        return turn.start, turns[i + 1].end
    if pick < 0.45:
        return turn.start, turn.end
    a = rng.randrange(turn.start, turn.end - 1)
    stop = text.find(". ", a, turn.end)
    end = stop + 1 if stop > a else min(turn.end, a + rng.randint(20, 300))
    return a, max(end, a + 1)


# ----------------------------------------------------------------------------- memos, cases
def add_memos_and_cases(project: Project, scale: Scale) -> dict[str, int]:
    """Memos on the project, documents, codes and codings; cases (participants) with attributes.

    Benchmark-only bulk SQL: the app has no memo or case operation yet, so these synthetic rows
    are written with sqlite-utils directly, in one transaction, into the tables of the schema.
    """
    rng = random.Random(scale.seed + 3)
    db = project.db
    stamp = "2024-01-01T00:00:00+00:00"
    docs = project.documents()
    codes = [c.id for c in project.codes()]
    coding_ids = [r[0] for r in db.execute("SELECT id FROM codings ORDER BY id").fetchall()]
    memos = []
    for i in range(scale.memos):
        target = rng.choice(("document", "code", "coding", "coding", None))
        row = {"title": f"Memo {i + 1}", "body": " ".join(_sentence(rng) for _ in range(rng.randint(2, 12))),
               "created": stamp, "modified": stamp}
        if target == "document" and docs:
            row["document_id"] = rng.choice(docs).id
        elif target == "code" and codes:
            row["code_id"] = rng.choice(codes)
        elif target == "coding" and coding_ids:
            row["coding_id"] = rng.choice(coding_ids)
        memos.append(row)
    cases = [{"id": i + 1, "name": f"Participant {i + 1:03d}", "description": ""} for i in range(scale.cases)]
    links = sorted({(c["id"], docs[(c["id"] - 1) % len(docs)].id) for c in cases} if docs else set())
    attributes = [{"id": i + 1, "name": name, "value_type": kind, "choices": repr(list(choices)).replace("'", '"')}
                  for i, (name, kind, choices) in enumerate(ATTRIBUTES)]
    values = []
    for case in cases:
        for attr, (_name, kind, choices) in zip(attributes, ATTRIBUTES):
            value = (rng.choice(choices) if kind == "choice" else str(rng.randint(1, 60)) if kind == "number"
                     else f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            values.append({"case_id": case["id"], "attribute_id": attr["id"], "value": value})
    with db.atomic():
        db["memos"].insert_all(memos)
        db["cases"].insert_all(cases)
        db["case_documents"].insert_all({"case_id": c, "document_id": d} for c, d in links)
        db["attributes"].insert_all(attributes)
        db["case_attributes"].insert_all(values)
    return {"memos": len(memos), "cases": len(cases), "attributes": len(attributes)}


# ----------------------------------------------------------------------------- all together
def generate(out: Path, scale: Scale, *, workdir: Path | None = None, echo=None) -> dict[str, float]:
    """Create ``out`` at ``scale``; return seconds per phase. ``out`` must not exist."""
    say = echo or (lambda _msg: None)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        t = time.perf_counter()
        paths = write_transcripts(Path(tmp), scale)
        timings["write transcripts"] = time.perf_counter() - t
        say(f"wrote {len(paths)} transcripts")
        t = time.perf_counter()
        parsed = parse_all(paths)
        timings["parse"] = time.perf_counter() - t
    with Project.create(out) as project:
        t = time.perf_counter()
        store_all(project, parsed)
        timings["store documents"] = time.perf_counter() - t
        del parsed
        say("stored documents")
        t = time.perf_counter()
        ids = add_codebook(project, scale)
        (add_codings_bulk if scale.bulk_codings else add_codings)(project, scale, ids)
        timings["codebook + codings"] = time.perf_counter() - t
        say("coded")
        t = time.perf_counter()
        add_memos_and_cases(project, scale)
        timings["memos + cases"] = time.perf_counter() - t
    return timings


def scale_from_args(args: argparse.Namespace, preset: str | None = None) -> Scale:
    base = PRESETS[preset or ("small" if getattr(args, "small", False) else "full")]
    given = {k: getattr(args, k) for k in ("documents", "words", "long_words", "codes", "codings", "memos",
                                           "cases", "seed") if getattr(args, k) is not None}
    return replace(base, **given)


def add_scale_options(parser: argparse.ArgumentParser, *, small: bool = True) -> None:
    if small:
        parser.add_argument("--small", action="store_true", help="the quick preset (20 documents, 2,000 codings)")
    for name, help_ in (("documents", "transcripts"), ("words", "words per transcript (±30%%)"),
                        ("long-words", "words of the middle document, a long focus group (0: none)"),
                        ("codes", "codes, in three levels"), ("codings", "codings"), ("memos", "memos"),
                        ("cases", "cases (participants) with attributes"), ("seed", "random seed")):
        parser.add_argument(f"--{name}", type=int, help=help_)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the project file to create (must not exist)")
    add_scale_options(parser)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; choose a new file")
    scale = scale_from_args(args)
    print("scale:", asdict(scale))
    timings = generate(args.out, scale, echo=print)
    for phase, seconds in timings.items():
        print(f"{phase:<22} {seconds:8.2f} s")
    with Project.open(args.out, read_only=True) as project:
        print("stats:", project.stats())
    return 0


if __name__ == "__main__":
    sys.exit(main())
