"""The "coded-transcript" report: each transcript as the app shows it, codings in the margin.

Every document starts on a new page with its name, then its paragraphs as stored
(speaker labels in bold, times muted). Coded passages are shaded in their code's
colour, lightened so black text stays readable on paper, and each coding becomes
one margin comment naming the code's path, the coder and any memo on the coding.

Codings overlap freely, so the text is cut at every coding and paragraph boundary
into :class:`Mark` s: each mark lies under one fixed set of codings, and each
comment opens on the first mark of its coding and closes on the last.
"""

from __future__ import annotations

import colorsys
from collections import defaultdict

from qcdesk.core import timing
from qcdesk.core.models import Code, Coding, Document
from qcdesk.core.reports.selection import Progress, ReportOptions, Selection, new_report, select
from qcdesk.core.reports.structure import (
    Annotated, Block, Comment, Heading, Mark, PageBreak, Paragraph, Report, Run, Swatch,
    format_time, plural,
)

KIND = "coded-transcript"
TITLE = "Coded transcripts"
PATH_SEPARATOR = " › "
#: how far a code's colour moves toward white for the shading (0 keeps it, 1 is white)
PRINT_LIGHTEN = 0.6
#: codes closer than this (redmean RGB distance) get a new colour in the transcript
MIN_COLOR_DISTANCE = 90


def lighten(color: str, amount: float = PRINT_LIGHTEN) -> str:
    """``#c0392b`` -> a paler ``#rrggbb`` of the same hue, for shading behind black text."""
    raw = color.lstrip("#")
    if len(raw) != 6:
        return "#ffffff"
    r, g, b = (int(raw[i:i + 2], 16) for i in (0, 2, 4))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    return "".join(p[0].upper() for p in parts[:3]) or "?"


def _paragraphs(project, doc: Document, text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the document's paragraphs; line by line when it has no blocks."""
    blocks = project.blocks(doc.id)
    if blocks:
        return [(b.start, b.end, b.kind) for b in blocks if b.end > b.start]
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line), "paragraph"))
        pos += len(line) + 1
    return out


def _label(project, doc_id: int, start: int, text: str,
           synced: dict[int, float] | None = None) -> tuple[list[Mark], int]:
    """The speaker label (and time) shown before a paragraph that starts a turn.

    Where the stored text itself begins with "Speaker:" that prefix is set in bold instead of
    being repeated; returns the marks to show first and how many characters of the text they
    stand for (0 when the label is not part of the text).
    """
    turn = project.turn_at(doc_id, start)
    if turn is None or turn.start != start:
        # a paragraph with a time of its own (a subtitle cue, a stamp that stood before it)
        known = (synced or {}).get(start)
        return ([Mark(f"[{format_time(known)}] ", muted=True)] if known is not None else []), 0
    marks: list[Mark] = []
    if turn.time_start is not None:
        marks.append(Mark(f"[{format_time(turn.time_start)}] ", muted=True))
    prefix = f"{turn.speaker}:"
    if text.startswith(prefix, start):
        return marks, len(prefix)
    marks.append(Mark(f"{turn.speaker}: ", bold=True))
    return marks, 0


class _Comments:
    """Comment texts for codings: code path, coder, memos."""

    def __init__(self, selection: Selection, coders: dict[int, str], memos: dict[int, list[str]]):
        self.selection, self.coders, self.memos = selection, coders, memos
        self.next_key = 0

    def make(self, coding: Coding) -> Comment:
        code = self.selection.code_by_id[coding.code_id]
        coder = self.coders.get(coding.coder_id or -1, "")
        lines = [PATH_SEPARATOR.join(self.selection.path(code))]
        lines.append(f"Coder: {coder}" if coder else "Coder: not recorded")
        lines += [f"Memo: {m}" for m in self.memos.get(coding.id, ())]
        self.next_key += 1
        return Comment(self.next_key, "\n".join(lines), author=coder or "qcdesk",
                       initials=initials(coder) if coder else "QC", date=coding.created or "")


def distinct_colors(codes: list[Code]) -> dict[int, str]:
    """Code id -> colour, each code its own: a code keeps its colour unless an earlier code
    has one too close to it; then it gets a new hue, spread by the golden angle so that even
    dozens of codes stay apart on paper."""
    out: dict[int, str] = {}
    taken: list[tuple[int, int, int]] = []
    used: set[str] = set()
    k = 0
    for code in codes:
        rgb = _rgb(code.color)
        while True:
            spelled = "#" + "".join(f"{c:02x}" for c in rgb) if rgb is not None else ""
            # past a few hundred tries (hundreds of codes) close colours are allowed, equal ones never
            if rgb is not None and spelled not in used and (
                    k > 400 or all(_distance(rgb, t) >= MIN_COLOR_DISTANCE for t in taken)):
                break
            hue = (k * 0.381966) % 1.0
            light = (0.45, 0.35, 0.55)[(k // 7) % 3]
            rgb = tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, light, (0.75, 0.5)[(k // 21) % 2]))
            k += 1
        taken.append(rgb)
        used.add(spelled)
        out[code.id] = spelled
    return out


def _rgb(color: str):
    raw = (color or "").lstrip("#")
    if len(raw) != 6:
        return None
    try:
        return tuple(int(raw[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return None


def _distance(a, b) -> float:
    """A cheap perceptual distance (redmean) between two RGB colours."""
    r = (a[0] + b[0]) / 2
    dr, dg, db = a[0] - b[0], a[1] - b[1], a[2] - b[2]
    return ((2 + r / 256) * dr * dr + 4 * dg * dg + (2 + (255 - r) / 256) * db * db) ** 0.5


def document_blocks(project, doc: Document, codings: list[Coding], selection: Selection,
                    comments: _Comments, palette: dict[int, str] | None = None) -> list[Block]:
    """The paragraphs of one document, cut at every coding boundary, with comments; each
    paragraph numbered as quotes cite it, with the codes over it named in the margin."""
    text = project.document_text(doc.id)
    palette = palette or {cid: code.color for cid, code in selection.code_by_id.items()}
    colors = {cid: lighten(color) for cid, color in palette.items()}
    names = {cid: PATH_SEPARATOR.join(selection.path(code)) for cid, code in selection.code_by_id.items()}
    starts: dict[int, list[Coding]] = defaultdict(list)
    ends: dict[int, list[Coding]] = defaultdict(list)
    cuts: set[int] = set()
    for c in codings:
        if c.end > c.start:
            starts[c.start].append(c)
            ends[c.end].append(c)
            cuts.update((c.start, c.end))

    # first pass: (paragraph index, start, end, active codings) for each piece of text
    pieces: list[tuple[int, int, int, tuple[Coding, ...]]] = []
    active: dict[int, Coding] = {}
    pos_events = sorted(cuts)
    ev = 0
    paras = _paragraphs(project, doc, text)
    heads: list[tuple[list[Mark], int, str]] = []
    synced = dict(timing.paragraph_times(project, doc.id))
    for p_index, (p_start, p_end, kind) in enumerate(paras):
        label, skip = _label(project, doc.id, p_start, text, synced)
        heads.append((label, skip, kind))
        edges = {p_start, p_end}
        if skip:
            edges.add(p_start + skip)
        while ev < len(pos_events) and pos_events[ev] < p_end:
            if pos_events[ev] > p_start:
                edges.add(pos_events[ev])
            ev += 1
        bounds = sorted(edges)
        for a, b in zip(bounds, bounds[1:]):
            pieces.append((p_index, a, b, ()))
    # sweep the codings over the pieces in order
    coded: list[tuple[int, int, int, tuple[Coding, ...]]] = []
    ordered_starts = sorted(starts)
    si = 0
    for p_index, a, b, _ in pieces:
        while si < len(ordered_starts) and ordered_starts[si] <= a:
            for c in starts[ordered_starts[si]]:
                active[c.id] = c
            si += 1
        for cid in [cid for cid, c in active.items() if c.end <= a]:
            del active[cid]
        coded.append((p_index, a, b, tuple(active.values())))

    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, (_, _, _, on) in enumerate(coded):
        for c in on:
            first.setdefault(c.id, i)
            last[c.id] = i
    opening: dict[int, list[Coding]] = defaultdict(list)
    closing: dict[int, list[int]] = defaultdict(list)
    by_id = {c.id: c for c in codings}
    for cid, i in sorted(first.items(), key=lambda kv: (kv[1], by_id[kv[0]].start, kv[0])):
        opening[i].append(by_id[cid])
    for cid, i in last.items():
        closing[i].append(cid)
    keys: dict[int, int] = {}

    out: list[Block] = []
    current: list[Mark] = []
    current_para = -1
    over: dict[int, None] = {}  # code ids over the current paragraph, in order of appearance

    def close() -> None:
        if current:
            p_start = paras[current_para][0]
            out.append(Annotated(tuple(current), number=project.paragraph_number(doc.id, p_start),
                                 margin=tuple((names[cid], palette[cid]) for cid in over)))

    for i, (p_index, a, b, on) in enumerate(coded):
        if p_index != current_para:
            close()
            over = {}
            label, skip, kind = heads[p_index]
            current, current_para = list(label), p_index
            para_start = paras[p_index][0]
        opened = []
        for c in opening.get(i, ()):
            comment = comments.make(c)
            keys[c.id] = comment.key
            opened.append(comment)
        for c in on:
            over.setdefault(c.code_id, None)
        top = min(on, key=lambda c: (c.end - c.start, -c.id)) if on else None  # as the app shows
        bold = (skip and a < para_start + skip) or heads[p_index][2] == "heading"
        current.append(Mark(
            text[a:b], bold=bool(bold), fill=colors.get(top.code_id) if top else None,
            underline=len(on) > 1, opens=tuple(opened),
            closes=tuple(keys[cid] for cid in closing.get(i, ()))))
    close()
    return out


def build(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:
    options = options or ReportOptions()
    selection = select(project, options)
    wanted_codes = {code.id for code, _ in selection.codes}
    coders = {c.id: c.name for c in project.coders()}
    memos: dict[int, list[str]] = {}
    if options.include_memos:
        from qcdesk.core.storage.reports import coding_memos

        memos = coding_memos(project.db)
    comments = _Comments(selection, coders, memos)

    per_doc: dict[int, list[Coding]] = {}
    for doc in selection.documents:
        per_doc[doc.id] = [c for c in project.codings_for_document(doc.id)
                           if c.code_id in wanted_codes and selection.keeps(c)]
    n_segments = sum(len(v) for v in per_doc.values())
    used = {c.code_id for cs in per_doc.values() for c in cs}
    report = new_report(project, selection, options, KIND, TITLE, len(used), n_segments)
    blocks = report.blocks
    if not selection.documents:
        blocks.append(Paragraph((Run("No documents match the chosen options."),)))
        return report

    legend = [code for code, _ in selection.codes if code.id in used]
    palette = {cid: code.color for cid, code in selection.code_by_id.items()}
    palette.update(distinct_colors(legend))
    if legend:
        blocks.append(Heading(1, "Codes in these transcripts"))
        blocks.append(Paragraph((Run(
            "Coded passages are shaded in their code's colour (underlined where codings overlap); "
            "the margin names the codes over each paragraph, numbered as quotes cite it."),), kind="note"))
        for code in legend:
            blocks.append(Paragraph((Swatch(lighten(palette[code.id])),
                                     Run(PATH_SEPARATOR.join(selection.path(code)))), kind="meta"))
        blocks.append(PageBreak())

    shown = [doc for doc in selection.documents if options.include_uncoded_documents or per_doc[doc.id]]
    if not shown:
        blocks.append(Paragraph((Run("None of the chosen documents has a coding in the chosen codes."),)))
    total = len(shown)
    for i, doc in enumerate(shown, 1):
        if i > 1:
            blocks.append(PageBreak())
        codings = per_doc[doc.id]
        blocks.append(Heading(1, doc.name))
        n_codes = len({c.code_id for c in codings})
        facts = f"{plural(len(codings), 'coded passage')} under {plural(n_codes, 'code')}"
        blocks.append(Paragraph((Run(facts, muted=True),), kind="meta"))
        blocks.extend(document_blocks(project, doc, codings, selection, comments, palette))
        if progress is not None:
            progress(i, total)
    return report
