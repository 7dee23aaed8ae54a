"""Shared fixtures: the repository root and the shipped content, loaded once per test session.

Test modules keep fixtures that only they use in themselves (or in a helper module named for
them), so that parts of the suite can be worked on independently.

Safe under pytest-xdist (`./run.sh test` runs one worker per core): a test writes only below its
own tmp_path (distinct per worker), a server listens on a port the system picks (static_server.py),
the compiled-stdlib cache in .build/runtime is written whole and renamed (pipeline/runtime.py), and
the full site build, shared by the whole run, lives in one folder per run that the controller makes
before the workers start and removes after they ended (site_helpers.open_run).
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import site_helpers  # noqa: E402
from build import GOLDEN_DATE  # noqa: E402
from pipeline.model import load_content  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, never a downloaded browser; no background requests of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
]


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller or a serial run, not an xdist worker
        site_helpers.open_run()


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        site_helpers.close_run()


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def content():
    """The shipped content, validated, on the golden date (fees in force then)."""
    return load_content(ROOT, on=GOLDEN_DATE)


@pytest.fixture(scope="session")
def procedures(content):
    return content.procedures


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Playwright's sync API allows one per process)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed: ./run.sh test installs it (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
