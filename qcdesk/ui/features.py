"""The window's feature modules, each installed once the main window is built.

A feature module keeps its own actions, dialogs and panels, and hooks into the window through
its public surface only: ``window.project``, ``window.undo`` (run undo commands),
``window.add_panel(...)``, the menus (``file_menu``, ``edit_menu``, ``code_menu``,
``analysis_menu``, ``team_menu``, ``project_menu``, ``view_menu``), ``window.jump_to(...)`` and
the ``projectOpened`` / ``projectClosed`` signals. Each ``install(window)`` returns the object
that owns the feature, kept on the window under the given attribute name so tests can reach it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow

#: (attribute on the window, module with an ``install(window)`` function), in menu order
FEATURES: list[tuple[str, str]] = [
    ("retrieval", "qcdesk.ui.retrieval_panel"),
    ("matrices", "qcdesk.ui.matrices_panel"),
    ("backup_actions", "qcdesk.ui.backup_actions"),
    ("team", "qcdesk.ui.team"),
    ("agreement", "qcdesk.ui.agreement_panel"),
    ("cases", "qcdesk.ui.cases_panel"),
    ("saturation", "qcdesk.ui.saturation_panel"),
    ("security", "qcdesk.ui.security_actions"),
    ("textedit", "qcdesk.ui.textedit_actions"),
    ("memos", "qcdesk.ui.memos_feature"),
    ("search", "qcdesk.ui.search_panel"),
    ("text_check", "qcdesk.ui.text_check"),
    ("sets", "qcdesk.ui.sets_feature"),
    ("quick_codes", "qcdesk.ui.quick_codes"),
    ("coding_edits", "qcdesk.ui.coding_edits"),
    ("code_by_drop", "qcdesk.ui.code_by_drop"),
    ("workbench", "qcdesk.ui.workbench_layout"),
    ("navigation", "qcdesk.ui.navigation"),
    ("player", "qcdesk.ui.media_feature"),
    ("time_ranges", "qcdesk.ui.time_range_feature"),  # after the player: its dock and menu
    ("help", "qcdesk.ui.help_feature"),  # last: lists every other feature's shortcuts
]


def install_all(window: "MainWindow") -> None:
    for attribute, module_name in FEATURES:
        module = importlib.import_module(module_name)
        setattr(window, attribute, module.install(window))
