"""The "memos" report: the project journal, then memos on codes, documents, cases and segments.

For the audit trail: each memo with its title, what it is about, when it was written and
last changed, and its text exactly as stored. Memos on segments quote the coded words they
annotate. Code memos follow the code filter, document memos the document filters (documents,
sets), segment memos every filter (their coding must be one the segments report lists), case
memos the filters that choose cases (cases, attribute values, and documents or sets: the cases
with text in them).
"""

from __future__ import annotations

from qcdesk.core.models import Coding
from qcdesk.core.reports.selection import Progress, ReportOptions, new_report, select
from qcdesk.core.reports.structure import Heading, Paragraph, Quote, Report, Run

KIND = "memos"
TITLE = "Memos"
SECTIONS = (("journal", "Project journal"), ("code", "Code memos"), ("document", "Document memos"),
            ("case", "Case memos"), ("coding", "Segment memos"))


def _cases_kept(project, selection, options: ReportOptions) -> set[int] | None:
    """The cases whose memos are listed; ``None``: every case."""
    kept = selection.segment_filter.case_ids
    if selection.documents_filtered:
        from qcdesk.core.retrieval import CaseMap

        case_map = CaseMap(project)
        docs = selection.document_ids
        with_text = {case.id for case in project.cases.all() if case_map.documents_of({case.id}) & docs}
        kept = with_text if kept is None else kept & with_text
    return kept


def _day(stamp: str) -> str:
    return (stamp or "")[:16].replace("T", " ")


def build(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:

    options = options or ReportOptions()
    selection = select(project, options)
    code_ids = {code.id for code, _ in selection.codes}
    doc_ids = selection.document_ids
    case_ids = _cases_kept(project, selection, options)
    groups: dict[str, list] = {key: [] for key, _ in SECTIONS}
    codings: dict[int, Coding] = {}
    for memo in project.memos.all():
        if memo.coding_id is not None:
            coding = codings.get(memo.coding_id) or project.coding(memo.coding_id)
            codings[memo.coding_id] = coding
            if coding.document_id in doc_ids and coding.code_id in code_ids and selection.keeps(coding):
                groups["coding"].append(memo)
        elif memo.code_id is not None:
            if memo.code_id in code_ids:
                groups["code"].append(memo)
        elif memo.document_id is not None:
            if memo.document_id in doc_ids:
                groups["document"].append(memo)
        elif memo.case_id is not None:
            if case_ids is None or memo.case_id in case_ids:
                groups["case"].append(memo)
        else:
            groups["journal"].append(memo)
    n = sum(len(v) for v in groups.values())
    report = new_report(project, selection, options, KIND, TITLE, len(selection.codes), None)
    report.metadata.append(("Memos", str(n)))
    blocks = report.blocks
    if not n:
        blocks.append(Paragraph((Run("No memos match the chosen options."),)))
        return report
    names = {d.id: d.name for d in selection.all_documents}
    for i, (key, title) in enumerate(SECTIONS, 1):
        if not groups[key]:
            continue
        blocks.append(Heading(1, title))
        for memo in groups[key]:
            about = project.memos.target_label(memo)
            blocks.append(Heading(2, memo.title.strip() or about))
            facts = f"{about} · written {_day(memo.created)}"
            if memo.modified and memo.modified != memo.created:
                facts += f" · changed {_day(memo.modified)}"
            blocks.append(Paragraph((Run(facts, muted=True),), kind="meta"))
            if key == "coding":
                coding = codings[memo.coding_id]
                text = project.document_text(coding.document_id)[coding.start:coding.end].strip()
                blocks.append(Quote(text, names.get(coding.document_id, "?")))
            for para in (memo.body or "").split("\n\n"):
                if para.strip():
                    blocks.append(Paragraph((Run(para.strip("\n")),)))
            if not (memo.body or "").strip():
                blocks.append(Paragraph((Run("(empty)", muted=True, italic=True),)))
        if progress is not None:
            progress(i, len(SECTIONS))
    return report
