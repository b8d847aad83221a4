"""Fixtures shared by every test folder (no Qt here: core tests must run without it)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from builders import empty_project, make_empty_project
from hypothesis import settings

# Every run explores the same examples (derandomized) with no time limit per example, so a busy
# machine or an unlucky seed cannot fail a test that passed before; a failure prints the blob
# that reproduces it. HYPOTHESIS_PROFILE=explore draws fresh random examples, more of them.
# The profiles are registered and loaded here only: registering a profile of the loaded name
# again (in a test module) would change the settings of every test collected after it
# (tests/core/test_hypothesis_profile.py checks).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, database=None, max_examples=40)
settings.register_profile("explore", deadline=None, print_blob=True, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO_ROOT = Path(__file__).resolve().parents[1]
#: real files made by other people and tools; read-only, beside the repository (QCDESK_TEST_CORPUS
#: names it elsewhere, e.g. for a git worktree that is not beside it)
CORPUS = Path(os.environ.get("QCDESK_TEST_CORPUS") or REPO_ROOT / ".." / "shared" / "corpus").resolve()


#: the temporary folder holding this process's XDG data, config and cache folders
USER_DIRS = pytest.StashKey[Path]()


def pytest_configure(config) -> None:
    """Each pytest process (pytest-xdist runs two or more) gets a data and a config folder of its
    own, and on X11 an X server of its own.

    The demo project, QSettings' user scope and anything else written under the user's folders
    land in a temporary home, never in the real one and never in another process's. The empty
    project :func:`builders.empty_project` copies is made there too.
    ``packaging/dev.py test`` starts one Xvfb per process and lists them in ``QCDESK_X11_DISPLAYS``;
    worker ``gwN`` takes the N-th, so no two processes fight over focus or the keyboard map.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    home = Path(tempfile.mkdtemp(prefix=f"qcdesk-tests-{worker or 'main'}-"))
    config.stash[USER_DIRS] = home
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        (home / name.lower()).mkdir()
        os.environ[name] = str(home / name.lower())
    make_empty_project(home)  # before any test can patch what creating a project runs
    displays = [d for d in os.environ.get("QCDESK_X11_DISPLAYS", "").split(",") if d]
    if displays and worker.startswith("gw") and worker[2:].isdigit():
        os.environ["DISPLAY"] = displays[int(worker[2:]) % len(displays)]


def pytest_unconfigure(config) -> None:
    home = config.stash.get(USER_DIRS, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(autouse=True)
def no_warm_parsers_left():
    """Parsing workers a test warmed (opening the Import dialog does) end with the test."""
    yield
    parallel = sys.modules.get("qcdesk.core.importers.parallel")
    if parallel is not None and parallel.WARM.running():
        parallel.WARM.shut_down()


@pytest.fixture
def new_project(tmp_path):
    """``new_project(name="p.qcdesk")``: an open, empty project in the test's folder, as
    ``Project.create`` makes it (copied: see :func:`builders.empty_project`); closed after the test."""
    opened = []

    def make(name: str | Path = "p.qcdesk"):
        project = empty_project(tmp_path / name)
        opened.append(project)
        return project

    yield make
    for project in opened:
        project.close()


@pytest.fixture
def corpus() -> Path:
    """The shared corpus folder; tests that need it are skipped, with the reason, when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared test corpus is not present at {CORPUS}")
    return CORPUS
