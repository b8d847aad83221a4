"""Every report kind with each filter it accepts, printed to PDF by LibreOffice and read back:
the title page names the filter, and only the filtered documents, cases, speakers, coders and
codes appear; a filter a kind cannot honour is refused with a sentence saying so.

All the reports go through one LibreOffice call (it converts many files at once)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import REPORT_KINDS, ReportOptions, write_report

from .test_report_filters import make_study

pytestmark = [pytest.mark.core, pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and pdftotext are needed to print reports to PDF "
           "(packaging/dev.py installs libreoffice-writer-nogui and poppler-utils)")]

# the coded passages of the study, by who says them
MINA = ["How was your first rotation?", "My mentor met me every week.", "Night shifts drained me completely."]
OMAR = ["I check in with my mentees after nights.", "Honestly I am tired too."]
MODERATOR = ["Who supported you?"]
SARA = ["Senior residents covered for me.", "I still fell asleep in clinic."]
TOM = ["We try to protect their sleep."]
AMIRA = ["My mentor met me every week.", "Night shifts drained me completely.", "Honestly I am tired too.",
         "Who supported you?", "Senior residents covered for me."]
SUPPORT = ["How was your first rotation?", "My mentor met me every week.", "I check in with my mentees after nights.",
           "Who supported you?", "Senior residents covered for me."]
#: report kinds that list coded passages (a transcript prints whole documents, coded or not)
PASSAGES = ("segments-by-code", "framework", "memos")


def filters(s, wave: int):
    """name -> (options, what page 1 says, passages shown, passages never printed, other words never printed)."""
    everyone = MINA + OMAR + MODERATOR + SARA + TOM
    return {
        "document": ({"document_ids": [s.docs["group"]]}, "Documents: 1 of 3", SARA[0],
                     MINA + OMAR, ["Interview Mina", "Interview Omar", "About Mina"]),
        "set": ({"set_ids": [wave]}, "sets Wave 1", MINA[1], OMAR + MODERATOR + SARA + TOM,
                ["Interview Omar", "Focus group", "About Tom"]),
        "case": ({"case_ids": [s.cases["Sara"]]}, "cases Sara", SARA[0], [q for q in everyone if q not in SARA],
                 ["Interview Mina", "Interview Omar", "About Mina", "About Tom"]),
        "attribute": ({"attribute_values": [(s.role, "mentor")]}, "Role = mentor", TOM[0], MINA + SARA + MODERATOR,
                      ["Interview Mina", "About Mina"]),
        "speaker": ({"speakers": ["Tom"]}, "speakers Tom", TOM[0], [q for q in everyone if q not in TOM], []),
        "coder": ({"coder_ids": [s.coders["Ben"]]}, "coded by Ben", TOM[0], AMIRA, []),
        "codes": ({"code_ids": [s.codes["Fatigue"]]}, "Codes: 1 of 3", TOM[0], SUPPORT, ["Mentoring"]),
    }


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(kind, filter) -> [page texts], or the sentence the kind refused the filter with."""
    folder = tmp_path_factory.mktemp("pdf-filters")
    s = make_study(folder)
    p = s.project
    wave = p.sets.create("Wave 1").value.id
    p.sets.add_documents(wave, [s.docs["mina"]])
    p.memos.create("About Mina", "Second year of training.", case_id=s.cases["Mina"])
    p.memos.create("About Tom", "A senior resident.", case_id=s.cases["Tom"])
    for doc in s.docs.values():
        for coding in p.codings_for_document(doc):
            words = p.document_text(doc)[coding.start:coding.end]
            p.memos.create(f"On {words[:12]}", f"Memo on: {words}", coding_id=coding.id)
    table = filters(s, wave)
    results, files = {}, []
    for kind in REPORT_KINDS:
        for name, (options, *_rest) in table.items():
            out = folder / f"{kind}-{name}.docx"
            try:
                write_report(p, kind, out, ReportOptions(**options, include_charts=False))
            except ExportFailed as exc:
                results[kind, name] = str(exc)
                continue
            files.append(out)
    p.close()
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo",
                        "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
                       capture_output=True, timeout=900, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"LibreOffice could not convert the reports: {exc}")
    for out in files:
        kind, name = out.stem.rsplit("-", 1)
        # -layout keeps the title page's "label: value" lines; reading order keeps table cells whole
        title, text = (subprocess.run(["pdftotext", *layout, str(out.with_suffix(".pdf")), "-"],
                                      capture_output=True, text=True, check=True).stdout
                       for layout in (["-layout", "-l", "1"], []))
        results[kind, name] = [title] + [pg for pg in text.split("\f") if pg.strip()][1:]
    return results, table


@pytest.mark.parametrize("kind", list(REPORT_KINDS))
def test_each_filter_is_printed_on_the_title_page_and_honoured(printed, kind):
    results, table = printed
    for name, (_options, says, shown, never, also_never) in table.items():
        pages = results[kind, name]
        if isinstance(pages, str):  # refused: only a kind that lists cases refuses, and says why
            assert kind == "attributes" and name in ("speaker", "coder", "codes"), (kind, name, pages)
            assert "cannot be narrowed by" in pages and "choose cases, attribute values" in pages, pages
            continue
        assert pages, (kind, name)
        title = flat(pages[0])
        if kind == "attributes" and name == "document":
            says = "cases with text in Focus group"
        assert says in title, (kind, name, title[:400])
        body = flat("\n".join(pages))
        for words in also_never:
            assert words not in body, (kind, name, words)
        if kind in PASSAGES:
            for quote in never:
                assert quote not in body, (kind, name, quote)
            assert shown in body, (kind, name, shown)


def test_the_participants_report_lists_only_the_chosen_cases(printed):
    results, _table = printed
    rows = {name: flat("\n".join(results["attributes", name][1:])) for name in ("case", "attribute", "set")}
    assert "Sara" in rows["case"] and not any(n in rows["case"] for n in ("Mina", "Omar", "Tom"))
    assert "Omar" in rows["attribute"] and "Tom" in rows["attribute"]
    assert not any(n in rows["attribute"] for n in ("Mina", "Sara"))
    assert "Mina" in rows["set"] and not any(n in rows["set"] for n in ("Omar", "Sara", "Tom"))


def test_matrices_count_only_the_filtered_segments(printed):
    results, _table = printed
    body = {name: flat("\n".join(results["matrices", name][1:])) for name in ("case", "codes")}
    assert "Mentoring" not in body["codes"] and "Fatigue" in body["codes"]
    # code x case with the case filter: Sara is the only column
    assert "Sara" in body["case"] and not any(n in body["case"] for n in ("Mina", "Omar", "Tom"))
