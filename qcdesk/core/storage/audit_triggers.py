"""The SQL of one audit trigger, in the shape the schema steps write them (one row in
``audit_log`` per change: who, what was done, to which kind of thing, its id, details as JSON).

Schema steps that use it must produce exactly the text they shipped with
(``tests/core/test_schema_audit_triggers.py``), so the indentation here is part of the contract.
"""

from __future__ import annotations

#: who made the change: the coder of the current session
SESSION_CODER = "(SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id)"


def audit_trigger(name: str, when: str, action: str, kind: str, object_id: str, detail: str,
                  coder: str = SESSION_CODER) -> str:
    """``CREATE TRIGGER name when`` writing (coder, 'action', 'kind', object_id, detail) to
    ``audit_log``; ``coder`` and ``detail`` are SQL expressions (a detail spanning lines keeps
    its own indentation). Indented as inside a step's SQL script string:
    it starts at ``CREATE`` and ends with the indentation of the line after it."""
    return (f"CREATE TRIGGER {name} {when} BEGIN\n"
            f"            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (\n"
            f"                {coder},\n"
            f"                '{action}', '{kind}', {object_id},\n"
            f"                {detail});\n"
            f"        END;\n        ")
