"""Helpers of the retrieval and matrix tests: transcripts with turns and paragraphs, and cases
and attributes made with plain inserts into the schema tables (as any cases editor would)."""

from __future__ import annotations

import json

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project

# "Interviewer" and "P03" alternate; one paragraph per line; times 0, 30, 60, ...
LINES_1 = [
    "Interviewer: How did you meet your mentor?",
    "P03: My mentor 😀 was assigned by the school, which felt random at first.",
    "Interviewer: And later on?",
    "P03: Later we met every month and I felt I belonged to the department.",
]
LINES_2 = [
    "Interviewer: Tell me about supervising.",
    "M01: I supervise 𝒳 three mentees and I worry that I have no time for them.",
    "Interviewer: Does it help you?",
    "M01: It keeps me connected, I belong here because of them.",
]


def parsed(lines: list[str]) -> ParsedDocument:
    text = "\n".join(lines)
    blocks, turns, pos = [], [], 0
    for i, line in enumerate(lines):
        end = pos + len(line)
        blocks.append(Block("paragraph", pos, end))
        turns.append(SpeakerTurn(line.split(":")[0], pos, end, float(i * 30 + 725), None))
        pos = end + 1
    return ParsedDocument(text=text, source_format="txt", blocks=blocks, turns=turns)


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def add_case(project: Project, name: str, *, documents=(), speakers=(), attrs=None) -> int:
    """A case made with plain inserts into the schema tables (as any cases editor would)."""
    with project.action() as changes:
        case_id = project.db["cases"].insert({"name": name, "description": ""}).last_pk
        for doc_id in documents:
            project.db["case_documents"].insert({"case_id": case_id, "document_id": doc_id})
        for doc_id, speaker in speakers:
            project.db["case_speakers"].insert({"case_id": case_id, "document_id": doc_id, "speaker": speaker})
        for attr_id, value in (attrs or {}).items():
            project.db["case_attributes"].insert({"case_id": case_id, "attribute_id": attr_id, "value": value})
        changes.cases = True
    return case_id


def add_attribute(project: Project, name: str, value_type: str = "text", choices=()) -> int:
    with project.action() as changes:
        attr_id = project.db["attributes"].insert(
            {"name": name, "value_type": value_type, "choices": json.dumps(list(choices))}).last_pk
        changes.attributes = True
    return attr_id
