"""The PySide6 window layer: widgets, models, undo commands and workers over ``qcdesk.core``."""
