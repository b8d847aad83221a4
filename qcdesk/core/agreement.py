"""Inter-coder agreement between two or more coders, and where they disagree.

Units (the choice NVivo and QualCoder make): every character of a document is a unit that each
coder either coded with a code or not; a coder's overlapping codings of one code count once.

* **Percent agreement** and **Cohen's kappa** come from the 2×2 table of characters (both coded,
  only the first, only the second, neither). A code's figure pools the tables of all compared
  documents (as NVivo's average weighted by document size does for percent agreement); the
  overall figure pools every code and document (each character × code is a unit). With three or
  more coders both are the mean over all pairs of coders (Light's kappa).
* **Krippendorff's unitized alpha** (uα, Krippendorff 1995; *Content Analysis* 2004, §11.6 and
  2013/2019 editions) for one code as a single category on the continuum of the documents:
  observed disagreement from the squared differences of the coders' segment boundaries,
  expected disagreement from all ways the same units could lie in the same gaps. Documents are
  laid end to end, but a gap never runs across a document boundary. The overall alpha is
  ``1 - ΣDo / ΣDe`` over the codes (Krippendorff's uα over all categories).

A figure that is not defined (no coded characters at all, so chance agreement is certain) is
``None``; the window and the command line show it as "–".

Documents compared, unless given: those in which every chosen coder made at least one coding
(a document one coder has not started would otherwise count as disagreement everywhere).
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from dataclasses import dataclass, field

from qcdesk.core import coding_rules, tables
from qcdesk.core.errors import OperationError
from qcdesk.core.intervals import intersect, union
from qcdesk.core.project import Project
from qcdesk.core.storage import agreement as sql
from qcdesk.core.storage import codings as coding_sql
from qcdesk.core.storage import schema
from qcdesk.core.undo import Done, Undo, touched

Interval = tuple[int, int]


# ================================================================ intervals
def covered(intervals: list[Interval]) -> int:
    return sum(b - a for a, b in intervals)


def intersection(a: list[Interval], b: list[Interval]) -> int:
    """Characters in both of two unions."""
    return covered(intersect(a, b))


# ================================================================ Cohen's kappa
@dataclass(frozen=True)
class Table:
    """Characters coded by both coders, by the first only, by the second only, by neither."""

    both: int = 0
    first: int = 0
    second: int = 0
    neither: int = 0

    def __add__(self, other: "Table") -> "Table":
        return Table(self.both + other.both, self.first + other.first,
                     self.second + other.second, self.neither + other.neither)

    @property
    def total(self) -> int:
        return self.both + self.first + self.second + self.neither

    def percent(self) -> float | None:
        return 100.0 * (self.both + self.neither) / self.total if self.total else None

    def kappa(self) -> float | None:
        n = self.total
        if not n:
            return None
        observed = (self.both + self.neither) / n
        yes_1, yes_2 = self.both + self.first, self.both + self.second
        expected = (yes_1 * yes_2 + (n - yes_1) * (n - yes_2)) / (n * n)
        if expected >= 1.0:
            return None  # both coders all "yes" or all "no": chance explains everything
        return (observed - expected) / (1.0 - expected)


def table(a: list[Interval], b: list[Interval], length: int) -> Table:
    both = intersection(a, b)
    first, second = covered(a) - both, covered(b) - both
    return Table(both, first, second, length - both - first - second)


# ================================================================ Krippendorff's u-alpha
def _segments(units: list[Interval], length: int) -> list[tuple[int, int, bool]]:
    """(begin, length, is_unit) pieces covering ``[0, length)``: units and the gaps between them."""
    out, pos = [], 0
    for a, b in units:
        if a > pos:
            out.append((pos, a - pos, False))
        out.append((a, b - a, True))
        pos = b
    if pos < length:
        out.append((pos, length - pos, False))
    return out


def _distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's squared distance δ² between a segment of one coder and one of another."""
    bg, lg, ug = g
    bh, lh, uh = h
    diff = bg - bh
    if ug and uh and -lg < diff < lh:
        return diff * diff + (diff + lg - lh) ** 2
    if ug and not uh and bh <= bg and bg + lg <= bh + lh:
        return lg * lg  # a unit lying wholly in the other coder's gap
    if uh and not ug and bg <= bh and bh + lh <= bg + lg:
        return lh * lh
    return 0


def _pair_disagreement(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> int:
    """Σ δ² over the overlapping segments of two coders on one continuum (a sweep)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        total += _distance(a[i], b[j])
        if a[i][0] + a[i][1] <= b[j][0] + b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass
class AlphaParts:
    """Observed and expected disagreement of one code; parts add up across codes."""

    observed: float = 0.0
    expected: float = 0.0

    def __add__(self, other: "AlphaParts") -> "AlphaParts":
        return AlphaParts(self.observed + other.observed, self.expected + other.expected)

    def alpha(self) -> float | None:
        if self.expected <= 0:
            return None
        return 1.0 - self.observed / self.expected


def alpha_parts(continua: list[tuple[int, list[list[Interval]]]]) -> AlphaParts:
    """uα's disagreements for one category: ``continua`` are (length, one union per coder)."""
    if not continua:
        return AlphaParts()
    m = len(continua[0][1])
    total_length = sum(length for length, _ in continua)
    if m < 2 or total_length <= 0:
        return AlphaParts()
    observed = 0
    unit_lengths: list[int] = []
    gap_lengths: list[int] = []
    for length, coders in continua:
        segments = [_segments(units, length) for units in coders]
        for s in segments:
            unit_lengths += [seg[1] for seg in s if seg[2]]
            gap_lengths += [seg[1] for seg in s if not seg[2]]
        for x, y in itertools.combinations(range(m), 2):
            observed += 2 * _pair_disagreement(segments[x], segments[y])
    d_o = observed / (m * (m - 1) * total_length * total_length)
    n_units = len(unit_lengths)
    gaps = sorted(gap_lengths)
    suffix = [0] * (len(gaps) + 1)  # suffix[k] = sum of gaps[k:]
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    numerator = 0.0
    for length in unit_lengths:
        within = (n_units - 1) * (2 * length ** 3 - 3 * length ** 2 + length) / 3
        k = bisect_left(gaps, length)  # gaps at least as long as the unit
        placements = suffix[k] - (length - 1) * (len(gaps) - k)
        numerator += within + length * length * placements
    denominator = m * total_length * (m * total_length - 1) - sum(n * (n - 1) for n in unit_lengths)
    d_e = (2.0 / total_length) * numerator / denominator if denominator > 0 else 0.0
    return AlphaParts(d_o, d_e)


# ================================================================ figures for a project
@dataclass(frozen=True)
class Figures:
    percent: float | None
    kappa: float | None
    alpha: float | None


@dataclass
class CodeAgreement:
    code_id: int
    figures: Figures
    by_document: dict[int, Figures] = field(default_factory=dict)


@dataclass
class AgreementResult:
    coder_ids: tuple[int, ...]
    document_ids: tuple[int, ...]
    codes: list[CodeAgreement]
    overall: Figures
    #: unweighted mean of the codes' kappas (each code counts once, whatever its size)
    mean_kappa: float | None


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _pairwise(tables: dict[tuple[int, int], Table]) -> tuple[float | None, float | None]:
    return _mean(t.percent() for t in tables.values()), _mean(t.kappa() for t in tables.values())


class _Data:
    """Each chosen coder's union of codings per (code, document)."""

    def __init__(self, project: Project, coder_ids, code_ids, document_ids):
        coder_ids = list(dict.fromkeys(coder_ids))
        if len(coder_ids) < 2:
            raise OperationError("Choose at least two coders to compare.")
        known = {c.id for c in project.coders()}
        missing = [c for c in coder_ids if c not in known]
        if missing:
            raise OperationError(f"There is no coder with id {missing[0]} in this project.")
        self.coders = tuple(coder_ids)
        db = project.db
        if document_ids is None:
            document_ids = sql.documents_coded_by_all(db, coder_ids)
        self.documents = tuple(document_ids)
        lengths = sql.document_lengths(db)
        self.lengths = {d: lengths[d] for d in self.documents if d in lengths}
        raw: dict[tuple[int, int, int], list[Interval]] = {}
        for c in sql.codings_of_coders(db, coder_ids, list(self.documents)):
            if c.coder_id is None:  # never: the rows are chosen by coder
                continue
            raw.setdefault((c.code_id, c.document_id, c.coder_id), []).append((c.start, c.end))
        self.units = {key: union(v) for key, v in raw.items()}
        used = {key[0] for key in self.units}
        order = [code.id for code, _ in project.codes_in_tree_order()]
        wanted = set(code_ids) if code_ids is not None else used
        self.codes = [cid for cid in order if cid in wanted]

    def of(self, code_id: int, doc_id: int, coder_id: int) -> list[Interval]:
        return self.units.get((code_id, doc_id, coder_id), [])


def agreement(project: Project, coder_ids, code_ids=None, document_ids=None) -> AgreementResult:
    """Percent agreement, Cohen's kappa and uα per code (overall and per document) and overall."""
    data = _Data(project, coder_ids, code_ids, document_ids)
    pairs = list(itertools.combinations(data.coders, 2))
    overall_tables = {p: Table() for p in pairs}
    overall_alpha = AlphaParts()
    results = []
    for code_id in data.codes:
        code_tables = {p: Table() for p in pairs}
        continua = []
        by_document = {}
        for doc_id, length in data.lengths.items():
            unions = [data.of(code_id, doc_id, c) for c in data.coders]
            doc_tables = {(x, y): table(data.of(code_id, doc_id, x), data.of(code_id, doc_id, y), length)
                          for x, y in pairs}
            for p, t in doc_tables.items():
                code_tables[p] += t
            continua.append((length, unions))
            percent, kappa = _pairwise(doc_tables)
            by_document[doc_id] = Figures(percent, kappa, alpha_parts([(length, unions)]).alpha())
        parts = alpha_parts(continua)
        overall_alpha += parts
        for p, t in code_tables.items():
            overall_tables[p] += t
        results.append(CodeAgreement(code_id, Figures(*_pairwise(code_tables), parts.alpha()), by_document))
    overall = Figures(*_pairwise(overall_tables), overall_alpha.alpha())
    return AgreementResult(data.coders, tuple(data.lengths), results, overall,
                           _mean(r.figures.kappa for r in results))


# ================================================================ disagreements
@dataclass(frozen=True)
class Disagreement:
    """A stretch of text one code covers for some of the coders and not for the others."""

    document_id: int
    code_id: int
    start: int
    end: int
    coded_by: tuple[int, ...]
    not_coded_by: tuple[int, ...]


def disagreements(project: Project, coder_ids, code_ids=None, document_ids=None) -> list[Disagreement]:
    """Every maximal range where the chosen coders differ on a code, in document and text order."""
    data = _Data(project, coder_ids, code_ids, document_ids)
    out: list[Disagreement] = []
    for doc_id in data.lengths:
        for code_id in data.codes:
            unions = {c: data.of(code_id, doc_id, c) for c in data.coders}
            cuts = sorted({p for u in unions.values() for iv in u for p in iv})
            current: tuple[tuple[int, ...], int, int] | None = None
            for a, b in zip(cuts, cuts[1:]):
                who = tuple(c for c in data.coders if any(s <= a and b <= e for s, e in unions[c]))
                if current and current[0] == who and current[2] == a:
                    current = (who, current[1], b)
                    continue
                if current and 0 < len(current[0]) < len(data.coders):
                    out.append(_disagreement(doc_id, code_id, current, data.coders))
                current = (who, a, b)
            if current and 0 < len(current[0]) < len(data.coders):
                out.append(_disagreement(doc_id, code_id, current, data.coders))
    order = {doc_id: i for i, doc_id in enumerate(data.lengths)}
    out.sort(key=lambda d: (order[d.document_id], d.start, d.end, d.code_id))
    return out


def _disagreement(doc_id: int, code_id: int, current, coders: tuple[int, ...]) -> Disagreement:
    who, start, end = current
    return Disagreement(doc_id, code_id, start, end, who, tuple(c for c in coders if c not in who))


# ================================================================ settling
DECISIONS = ("accept", "reject")


def settle(project: Project, disagreement: Disagreement, decision: str, *,
           as_coder: int | None = None) -> Done[dict]:
    """Resolve one disagreement as one action; the value is what changed, the undo gives every
    coding its former range back (and its own undo settles again, under the same ids).

    ``accept`` codes the range for the coders who did not (or, with ``as_coder``, for that one
    coder only: an "agreed" coder); codings that touch the range are extended rather than
    doubled. ``reject`` removes the range from the codings of the coders who coded it, trimming
    or splitting codings that reach beyond it.
    """
    if decision not in DECISIONS:
        raise OperationError(f"“{decision}” is not a decision; use accept or reject.")
    d = disagreement
    project.document(d.document_id)
    project.code(d.code_id)
    snap: dict = {"added": [], "removed": [], "changed": [],
                  "code_id": d.code_id, "document_id": d.document_id}
    with project.action() as changes:
        if decision == "accept":
            for coder in ((as_coder,) if as_coder is not None else d.not_coded_by):
                _accept_for(project, d, coder, snap)
        else:
            for coder in d.coded_by:
                _reject_for(project, d, coder, snap)
        _note(changes, snap)
    return Done(snap, _unsettling(project, snap))


def _own(project: Project, d: Disagreement, coder: int) -> list:
    return [c for c in sql.codings_of_coders(project.db, [coder], [d.document_id]) if c.code_id == d.code_id]


def _change(project: Project, snap: dict, coding, start: int, end: int) -> None:
    snap["changed"].append((coding.id, coding.start, coding.end))
    sql.set_range(project.db, coding.id, start, end)


def _remove(project: Project, snap: dict, coding) -> None:
    snap["removed"].append(coding_sql.snapshot(project.db, [coding.id]))
    coding_sql.delete(project.db, coding.id)


def _add(project: Project, snap: dict, item: coding_rules.NewCoding) -> None:
    """Add a coding by the rules every path follows; only one that was really added is undone."""
    [(coding, added)] = coding_rules.add_codings(project.db, [item])
    if added:
        snap["added"].append(coding.id)


def _accept_for(project: Project, d: Disagreement, coder: int, snap: dict) -> None:
    own = _own(project, d, coder)
    if any(c.start <= d.start and d.end <= c.end for c in own):
        return  # this coder already covers the range
    left = next((c for c in own if c.end == d.start), None)
    right = next((c for c in own if c.start == d.end), None)
    if left is not None and right is not None:
        _change(project, snap, left, left.start, right.end)
        _remove(project, snap, right)
    elif left is not None:
        _change(project, snap, left, left.start, d.end)
    elif right is not None:
        _change(project, snap, right, d.start, right.end)
    else:
        _add(project, snap, coding_rules.NewCoding(d.document_id, d.code_id, d.start, d.end, coder, schema.now()))


def _reject_for(project: Project, d: Disagreement, coder: int, snap: dict) -> None:
    for c in _own(project, d, coder):
        if c.end <= d.start or c.start >= d.end:
            continue
        keep_left, keep_right = c.start < d.start, c.end > d.end
        if keep_left and keep_right:
            _change(project, snap, c, c.start, d.start)
            _add(project, snap, coding_rules.NewCoding(c.document_id, c.code_id, d.end, c.end, c.coder_id,
                                                       c.created))
        elif keep_left:
            _change(project, snap, c, c.start, d.start)
        elif keep_right:
            _change(project, snap, c, d.end, c.end)
        else:
            _remove(project, snap, c)


def _note(changes, snap: dict) -> None:
    changes.codings.update(snap["added"] + [r["codings"][0]["id"] for r in snap["removed"]]
                           + [c[0] for c in snap["changed"]])
    changes.codes.add(snap["code_id"])
    changes.coded_documents.add(snap["document_id"])


def _touched(snap: dict):
    return touched("codings", snap["added"] + [r["codings"][0]["id"] for r in snap["removed"]]
                   + [c[0] for c in snap["changed"]])


def _unsettling(project: Project, snap: dict) -> Undo:
    """The undo of a settling: drop what it added, give back old ranges, restore what it removed."""

    def run() -> Undo:
        return _resettling(project, _unsettle(project, snap))

    return Undo("Unsettle", run, _touched(snap))


def _unsettle(project: Project, snap: dict) -> dict:
    """Undo a settling as one action; return what settling again puts back (the added codings'
    rows, the settled ranges, the ids it removed)."""
    redo: dict = {"code_id": snap["code_id"], "document_id": snap["document_id"],
                  "removed": [r["codings"][0]["id"] for r in snap["removed"]]}
    with project.action() as changes:
        redo["added"] = coding_sql.snapshot(project.db, snap["added"]) if snap["added"] else {}
        ranges = {}
        for coding_id, _start, _end in snap["changed"]:
            now = coding_sql.get(project.db, coding_id)
            if now is not None and coding_id not in ranges:
                ranges[coding_id] = (now.start, now.end)
        redo["changed"] = [(i, *r) for i, r in ranges.items()]
        for coding_id in snap["added"]:
            coding_sql.delete(project.db, coding_id)
        for coding_id, start, end in reversed(snap["changed"]):
            sql.set_range(project.db, coding_id, start, end)
        for item in snap["removed"]:
            coding_sql.restore(project.db, item)
        _note(changes, snap)
    return redo


def _resettling(project: Project, redo: dict) -> Undo:
    """The undo of an unsettling: settle again exactly as before, under the same ids."""

    def run() -> Undo:
        snap: dict = {"added": [r["id"] for r in redo["added"].get("codings", [])], "removed": [], "changed": [],
                      "code_id": redo["code_id"], "document_id": redo["document_id"]}
        with project.action() as changes:
            if snap["added"]:
                coding_sql.restore(project.db, redo["added"])
            for coding_id, start, end in redo["changed"]:
                coding = coding_sql.get(project.db, coding_id)
                if coding is not None:
                    _change(project, snap, coding, start, end)
            for coding_id in redo["removed"]:
                coding = coding_sql.get(project.db, coding_id)
                if coding is not None:
                    _remove(project, snap, coding)
            _note(changes, snap)
        return _unsettling(project, snap)

    return Undo("Settle again", run, touched("codings", redo["removed"] + [c[0] for c in redo["changed"]]))


# ================================================================ as a table
def as_table(project: Project, result: AgreementResult) -> tables.Table:
    """The agreement figures as a neutral table (codes, each with its documents, then overall)."""
    docs = {d.id: d.name for d in project.documents()}
    coders = {c.id: c.name for c in project.coders()}
    headers, levels, cells = [], [], []

    def row(header: str, level: int, fig: Figures) -> None:
        headers.append(header)
        levels.append(level)
        cells.append([None if fig.percent is None else round(fig.percent, 2),
                      None if fig.kappa is None else round(fig.kappa, 4),
                      None if fig.alpha is None else round(fig.alpha, 4)])

    for code in result.codes:
        row(" / ".join(project.code_path(code.code_id)), 0, code.figures)
        for doc_id, fig in code.by_document.items():
            row(docs.get(doc_id, str(doc_id)), 1, fig)
    row("Overall", 0, result.overall)
    notes = [f"Coders: {', '.join(coders.get(c, str(c)) for c in result.coder_ids)}.",
             "Units are characters; kappa and percent agreement pool each code's documents "
             "(the mean over pairs of coders when there are more than two); alpha is Krippendorff's "
             "unitized alpha. An empty cell: not defined (nothing coded).",
             "Mean kappa over codes: " + ("–" if result.mean_kappa is None else f"{result.mean_kappa:.4f}")]
    return tables.Table(title="Inter-coder agreement", column_headers=["% agreement", "Kappa", "Alpha"],
                        row_headers=headers, cells=cells, notes=notes, row_levels=levels, corner="Code")
