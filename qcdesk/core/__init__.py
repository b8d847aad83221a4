"""The Qt-free core: project store, domain operations, importers and report builders.

Nothing below this package may import PySide6 (``tests/core/test_no_qt.py`` enforces it),
so the command line, the benchmarks and the tests use exactly the code the window uses.
"""
