"""Shared fixtures: the repository root and the shipped content, loaded once per test session.

Test modules keep fixtures that only they use in themselves (or in a helper module named for
them), so that parts of the suite can be worked on independently.

Safe under pytest-xdist (`./run.sh test` runs one worker per core): a test writes only below its
own tmp_path (distinct per worker), a server listens on a port the system picks (static_server.py),
the compiled-stdlib cache in .build/runtime is written whole and renamed (pipeline/runtime.py), and
the full site build, shared by the whole run, lives in one folder per run that the controller makes
before the workers start and removes after they ended (site_helpers.open_run); so does the
published site, whose host (published_host.open_host) runs in the controller for the whole run.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import published_host  # noqa: E402
import site_helpers  # noqa: E402
from build import GOLDEN_DATE  # noqa: E402
from chromium import CHROMIUM, TEST_ARGS  # noqa: E402
from pipeline.model import load_content  # noqa: E402


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller or a serial run, not an xdist worker
        folder = site_helpers.open_run()
        (folder / "published").mkdir()
        published_host.open_host(folder / "published")


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        published_host.close_host()
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
        browser = p.chromium.launch(executable_path=CHROMIUM, args=TEST_ARGS)
        yield browser
        browser.close()


# The longest tests (a browser pass over many pages, a site build of their own, a Java or Node
# process over many pages), in two groups that start the two halves of the run's order:
# pytest-xdist's worksteal hands each of two workers a contiguous half and lets an idle one steal
# from the other's tail, so each worker starts on long tests (one on those that read the shared
# site, which it builds, the other on those that build their own) and both end on short ones:
# neither waits alone at the end on a long test. Only the order changes, never what runs.
LONGEST = (
    (
        "test_site_browser.py::test_every_kind_of_page_opens_with",
        "test_site_browser.py::test_every_kind_of_page_opens_from_disk",
        "test_site.py::test_two_builds",
        "test_html_valid.py::",
        "test_site_browser.py::test_axe_finds",
        "test_wizard_browser.py::test_axe_finds_nothing_on_the_wizard_in_each_state[nl]",
        "test_wizard_browser.py::test_axe_finds_nothing_on_the_wizard_in_each_state[fr]",
    ),
    (
        "test_injection.py::",
        "test_wizard_browser.py::test_the_usb_copy",
        "test_lighthouse.py::",
        "test_site.py::test_a_changed_fee",
        "test_output_safety.py::test_serve_answers",
        "test_output_safety.py::test_a_killed_build",
        "test_site.py::test_serve_shows",
        "test_wizard_browser.py::test_axe_finds_nothing_on_the_wizard_in_each_state[de]",
        "test_wizard_browser.py::test_axe_finds_nothing_on_the_wizard_in_each_state[en]",
    ),
)


def pytest_collection_modifyitems(items):
    def rank(item, names):
        return next((i for i, name in enumerate(names) if name in item.nodeid), None)

    groups = [
        sorted((i for i in items if rank(i, names) is not None), key=lambda i, names=names: rank(i, names))
        for names in LONGEST
    ]
    chosen = {id(i) for group in groups for i in group}
    rest = [i for i in items if id(i) not in chosen]
    first = max(0, len(items) // 2 - len(groups[0]))
    items[:] = groups[0] + rest[:first] + groups[1] + rest[first:]
