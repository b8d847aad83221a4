"""Who is coding in this session, and when that is written to the project file.

The coder chosen when a project opens ("Who is coding?", ``--coder``) is recorded on every new
coding and memo. Choosing writes a row (the coder, and the project's last coder) and is recorded in
the audit trail, so it is a change like any other: it waits for the full integrity check when that
was left to the background (:mod:`qcdesk.core.deferred_check`). Until then the coder is *pending*
(id -1): the first action of the project records it inside its own transaction, before anything
else it writes, and a change that reads the coder for its rows enters :meth:`SessionCoder.recorded`
first, so it reads the recorded id. An action that fails rolls the recording back with it, and the
coder is pending again.

:class:`~qcdesk.core.project.Project` owns one :class:`SessionCoder` and calls it from
:meth:`~qcdesk.core.project.Project.action`; everything else reads ``project.coder``.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, NamedTuple

from qcdesk.core.errors import OperationError
from qcdesk.core.models import Changes, Coder
from qcdesk.core.storage import codebook as code_sql
from qcdesk.core.storage import schema

if TYPE_CHECKING:
    from qcdesk.core.project import Project


class CoderState(NamedTuple):
    """What :meth:`SessionCoder.state` saves, for :meth:`SessionCoder.restore`."""

    coder: Coder | None
    pending: bool


class SessionCoder:
    """The session's coder of one project, and its recording in the first change."""

    def __init__(self, project: Project):
        self._project = project
        #: the coder recorded on new codings (id -1 while :attr:`pending`)
        self.coder: Coder | None = None
        #: the coder was chosen before the full check passed: the first change records it
        self.pending = False

    def choose(self, name: str) -> Coder:
        """Make ``name`` the coder recorded on new codings (created on first use). Before the
        deferred full check has passed nothing is written: the next change records it."""
        name = name.strip()
        if not name:
            raise OperationError("A coder needs a name.")
        project = self._project
        before = self.state()
        self.coder = code_sql.coder_by_name(project.db, name) or Coder(-1, name)
        self.pending = not project.read_only
        if self.pending and not project.check_deferred:
            try:
                with project.action():  # an action of its own records it now (see record_pending)
                    pass
            except BaseException:
                self.restore(before)
                raise
        return self.coder

    def recorded(self) -> contextlib.AbstractContextManager:
        """Where a change reads :attr:`coder` for its rows: while the coder is pending, an action
        that records it first (the change's own action nests in it: one transaction, one
        notification); else nothing."""
        return self._project.action() if self.pending else contextlib.nullcontext()

    def record_pending(self, changes: Changes) -> None:
        """Record a pending coder: called by the outermost action, inside its transaction."""
        if not self.pending:
            return
        assert self.coder is not None
        db = self._project.db
        found = code_sql.coder_by_name(db, self.coder.name)
        if found is None:
            found = Coder(code_sql.insert_coder(db, self.coder.name, schema.now()), self.coder.name)
        code_sql.set_session_coder(db, found.id)
        changes.coders = True
        self.coder, self.pending = found, False

    def state(self) -> CoderState:
        return CoderState(self.coder, self.pending)

    def restore(self, state: CoderState) -> None:
        """Back to ``state`` (an action that recorded the coder rolled back, recording and all)."""
        self.coder, self.pending = state
