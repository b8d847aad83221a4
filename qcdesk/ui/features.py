"""The window's feature modules, each installed once the main window is built.

A feature module keeps its own actions, dialogs and panels, and hooks into the window through
:class:`~qcdesk.ui.window_services.WindowServices` only (the project, undo, ``add_panel``, the
menus, ``jump_to``, the ``projectOpened`` / ``projectClosed`` signals...). Each
``install(window)`` returns the object that owns the feature; :func:`install_all` keeps it on the
window under a typed attribute (declared on ``MainWindow``) so code and tests reach
``window.retrieval`` and the others directly. ``tests/ui/test_feature_registration.py`` checks that
every feature is registered here once and touches nothing private of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qcdesk.ui import (agreement_panel, backup_actions, cases_panel, code_by_drop, coding_edits,
                       help_feature, interchange_actions, matrices_panel, media_feature, memos_feature,
                       navigation, quick_codes, retrieval_panel, saturation_panel, search_panel,
                       security_actions, sets_feature, team, text_check, textedit_actions,
                       time_range_feature, workbench_layout)

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow


def install_all(window: MainWindow) -> None:
    """Install every feature, in menu order (each line is one feature)."""
    window.exchange = interchange_actions.install(window)  # first: File › Exchange after the exports
    window.retrieval = retrieval_panel.install(window)
    window.matrices = matrices_panel.install(window)
    window.backup_actions = backup_actions.install(window)
    window.team = team.install(window)
    window.agreement = agreement_panel.install(window)
    window.cases = cases_panel.install(window)
    window.saturation = saturation_panel.install(window)
    window.security = security_actions.install(window)
    window.textedit = textedit_actions.install(window)
    window.memos = memos_feature.install(window)
    window.search = search_panel.install(window)
    window.text_check = text_check.install(window)
    window.sets = sets_feature.install(window)
    window.quick_codes = quick_codes.install(window)
    window.coding_edits = coding_edits.install(window)
    window.code_by_drop = code_by_drop.install(window)  # after the quick codes: it fills their bar
    window.workbench = workbench_layout.install(window)
    window.navigation = navigation.install(window)
    window.player = media_feature.install(window)
    window.time_ranges = time_range_feature.install(window)  # after the player: its dock and menu
    window.help = help_feature.install(window)  # last: lists every other feature's shortcuts
