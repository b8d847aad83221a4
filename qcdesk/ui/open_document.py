"""The document open in the transcript, following the project: its text, its turn times, its
codings, the header above it, and where the reader left each document.

A change notification reaches it through :meth:`OpenDocument.follow`: a change to the open
document's text shows the new text where the reader was; a coding applied or undone there reads only
those few codings again (issue 19: a coding is shown in under 50 ms in a project of 250,000
codings); a codebook change redraws the codings only when a code they show changed. The window
(:class:`~qcdesk.ui.main_window.MainWindow`) owns one and keeps ``show_document`` and
``refresh_codings`` as its services to the features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qcdesk.core import speakers as speaker_labels
from qcdesk.core import timing
from qcdesk.core.errors import OperationError
from qcdesk.core.models import Changes
from qcdesk.ui.segments_panel import format_time

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow

#: the header above the transcript when the project has no document open
NO_DOCUMENT = "No document open. Import transcripts with File ▸ Import documents."


class OpenDocument:
    """What the transcript shows of the open document, kept in step with the project."""

    def __init__(self, window: MainWindow):
        self.window = window
        #: document id -> (cursor, first position in view) where the reader left it, while the project is open
        self.places: dict[int, tuple[int, int]] = {}

    def show(self, document_id: int | None) -> None:
        """Open ``document_id`` (None: none) where the reader left it."""
        w = self.window
        self.remember_place()
        if w.project is None or document_id is None:
            w.transcript.show_document(None, "")
            w.doc_header.setText(NO_DOCUMENT if w.project else "")
            return
        w.transcript.show_document(document_id, w.project.document_text(document_id))
        self.load_turn_times()
        self.load_codings()
        self.restore_place(document_id)  # each document where the reader left it
        self.update_header()

    def follow(self, changes: Changes) -> None:
        """Follow a change notification: what it changed of the open document."""
        w = self.window
        doc_id = w.transcript.document_id
        if doc_id is None or w.project is None:
            return
        if doc_id in changes.documents and doc_id not in {d.id for d in w.project.documents()}:
            w.show_document(None)
        elif doc_id in changes.texts:
            self.reload_text(doc_id)
        elif doc_id in changes.coded_documents:
            if not self.update_codings(changes):
                self.load_codings()
        elif changes.codebook:
            self.follow_codebook()
        if doc_id in changes.documents:
            self.update_header()

    def reload_text(self, doc_id: int) -> None:
        """The open document's own text changed (a speaker renamed, pseudonyms applied): show the
        new text and its codings, scrolled where the reader was."""
        w = self.window
        assert w.project is not None
        top = w.transcript.top_position()
        w.transcript.show_document(doc_id, w.project.document_text(doc_id))
        self.load_turn_times()
        self.load_codings()
        w.transcript.scroll_to_top(top)

    def load_turn_times(self) -> None:
        w = self.window
        doc_id = w.transcript.document_id
        if w.project is not None and doc_id is not None:
            w.transcript.set_turn_times([(position, format_time(seconds)) for position, seconds
                                         in timing.paragraph_times(w.project, doc_id)])

    # ---------------------------------------------------------------- the reader's place
    def remember_place(self) -> None:
        """Where the reader is in the open document (cursor and scroll), for coming back to it."""
        view = self.window.transcript
        if view.document_id is not None:
            self.places[view.document_id] = (view.textCursor().position(), view.top_position())

    def restore_place(self, document_id: int) -> None:
        view = self.window.transcript
        position, top = self.places.get(document_id, (0, 0))
        cursor = view.textCursor()
        cursor.setPosition(min(position, view.document().characterCount() - 1))
        view.setTextCursor(cursor)
        view.scroll_to_top(top)  # the same first line, however the text above wraps

    def forget_places(self) -> None:
        """Another project's documents have other ids."""
        self.places.clear()

    def update_header(self) -> None:
        w = self.window
        doc_id = w.transcript.document_id
        if w.project is None or doc_id is None:
            return
        doc = w.project.document(doc_id)
        speakers = sorted(s.speaker for s in speaker_labels.speakers(w.project, doc_id))
        extra = f" · speakers: {', '.join(speakers)}" if speakers else ""
        w.doc_header.setText(f"<b>{doc.name}</b> <span style='color:#666'>· {doc.char_count:,} "
                             f"characters · {doc.source_format}{extra}</span>")

    # ---------------------------------------------------------------- codings
    def load_codings(self) -> None:
        """Read and draw every coding of the open document (of the coders shown)."""
        w = self.window
        doc_id = w.transcript.document_id
        if w.project is None or doc_id is None:
            return
        codes = {c.id: c for c in w.project.codes()}
        codings = w.project.codings_for_document(doc_id)
        if w.shown_coders is not None:
            codings = [c for c in codings if c.coder_id in w.shown_coders]
        w.transcript.set_codings(codings, codes)

    def update_codings(self, changes: Changes) -> bool:
        """A few codings applied, undone, moved or recoded, the codebook unchanged: read only those
        and add, replace or drop them in the open document's list. False (nothing done) when the
        full reload is needed: many codings, the codebook changed, or a code the view does not know yet."""
        w = self.window
        assert w.project is not None
        doc_id = w.transcript.document_id
        if (changes.codebook or changes.texts or changes.document_list or not changes.codings
                or len(changes.codings) > 50):
            return False
        codes = w.transcript.shown_codes()
        kept = [c for c in w.transcript.codings() if c.id not in changes.codings]
        for coding_id in sorted(changes.codings):
            try:
                coding = w.project.coding(coding_id)
            except OperationError:
                continue  # removed (undone)
            if coding.document_id != doc_id:
                continue  # of another document
            if coding.code_id not in codes:
                return False
            if w.shown_coders is None or coding.coder_id in w.shown_coders:
                kept.append(coding)
        kept.sort(key=lambda c: (c.start, c.end, c.id))
        w.transcript.set_codings(kept, codes)
        return True

    def follow_codebook(self) -> None:
        """A codebook change that moved no coding of the open document (a code added, renamed or
        recoloured elsewhere): redraw its codings only if a code they show changed."""
        w = self.window
        assert w.project is not None
        codes = {c.id: c for c in w.project.codes()}
        shown = w.transcript.codings()
        if any(c.code_id not in codes for c in shown):
            self.load_codings()
        elif any(s.code_id in codes and (codes[s.code_id].color, codes[s.code_id].name) != (s.color, s.name)
                 for s in w.transcript.highlighter.spans()):
            w.transcript.set_codings(shown, codes)
        else:
            w.transcript.remember_codes(codes)  # a code added or renamed: the next coding draws it
