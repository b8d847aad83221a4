"""StatusText: the status line that changes with every cursor move without re-laying out the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QMainWindow

from qcdesk.ui.status_text import StatusText

pytestmark = pytest.mark.gui


class LayoutRequests(QObject):
    """Counts the layout requests a widget receives."""

    def __init__(self, watched):
        super().__init__()
        self.count = 0
        watched.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


@pytest.mark.parametrize("kind", [StatusText, QLabel])
def test_a_new_text_re_lays_out_nothing(qtbot, qapp, kind):
    window = QMainWindow()
    qtbot.addWidget(window)
    status = kind()
    window.statusBar().addWidget(status, 1)
    window.resize(600, 300)
    window.show()
    qtbot.waitExposed(window)
    status.setText("Participant 0:01 · Not coded here")
    qapp.processEvents()
    requests = [LayoutRequests(window), LayoutRequests(window.statusBar())]
    status.setText("Interviewer 0:02 · Codes here: Belonging, Assigned mentor")
    qapp.processEvents()
    assert status.text() == "Interviewer 0:02 · Codes here: Belonging, Assigned mentor"
    relayouts = sum(r.count for r in requests)
    if kind is QLabel:
        assert relayouts > 0  # what StatusText avoids
    else:
        assert relayouts == 0


def test_text_is_drawn_elided_when_too_long_with_the_whole_in_its_tooltip(qtbot):
    status = StatusText()
    qtbot.addWidget(status)
    status.resize(400, status.sizeHint().height())
    status.show()
    qtbot.waitExposed(status)
    status.setText("Not coded here")
    assert status.accessibleName() == "Not coded here" and status.toolTip() == ""
    long = "Codes here: " + ", ".join(f"code {i}" for i in range(60))
    status.setText(long)
    assert status.text() == long and status.toolTip() == long and status.accessibleName() == long
    status.resize(4000, status.height())
    qtbot.waitUntil(lambda: status.toolTip() == "")
    assert not status.grab().isNull()
    assert status.minimumSizeHint().width() == 0  # a long text never widens the window


def test_a_bigger_font_shortens_the_text_anew(qtbot):
    status = StatusText()
    qtbot.addWidget(status)
    status.setText("Not coded here")
    status.resize(status.fontMetrics().horizontalAdvance("Not coded here") + 20, 30)
    assert status.toolTip() == ""  # it fits
    font = status.font()
    font.setPointSizeF(font.pointSizeF() * 4)
    status.setFont(font)
    assert status.toolTip() == "Not coded here"  # shortened now: the whole text in the tooltip
