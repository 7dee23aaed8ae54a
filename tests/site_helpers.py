"""Helpers for the site tests (tests/test_site*.py): one shared build, project copies, link parsing.

The full site (every post × language) is built once per test session, into a temporary folder,
by `shared_site()`; the other builds the tests need (a changed fee, a broken file) are made from
a copy of the project with only one post, so the suite stays fast.
"""

import atexit
import contextlib
import functools
import html.parser
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from static_server import serve

ROOT = Path(__file__).resolve().parent.parent
DATE = "2026-12-01"
# What a copy of the project needs to build the site (node_modules is linked, not copied).
PROJECT_PARTS = ("build.py", "mkdocs.yml", "pipeline", "wizard", "procedures", "content", "schema")


@functools.cache
def shared_site():
    """The full site built from the repository on DATE: (site folder, BuildReport). Built once."""
    from pipeline.site import build_site

    folder = Path(tempfile.mkdtemp(prefix="test-site-"))
    atexit.register(shutil.rmtree, folder, True)
    report = build_site(ROOT, folder / "site", on=DATE)
    return folder / "site", report


def copy_project(destination):
    """A copy of the project's content and code in `destination` (a fresh folder), ready to build."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    # The compiled Pyodide standard library is cached by content hash: safe to share.
    (ROOT / ".build").mkdir(exist_ok=True)
    (destination / ".build").symlink_to(ROOT / ".build")
    return destination


def replace_in(path, old, new, count=1):
    """Edit a file of a project copy; fail loudly if `old` is not there (the test would be vacuous)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def html_pages(site):
    return sorted(site.rglob("*.html"))


def files_digest(folder):
    """{relative path: bytes} of every file under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


class _References(html.parser.HTMLParser):
    """Every (tag, attribute, value) of href/src attributes in a page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append((tag, name, value))


def references(page):
    parser = _References()
    parser.feed(Path(page).read_text(encoding="utf-8"))
    return parser.found


def is_internal(url):
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def resolve(page, url):
    """The file an internal `url` in `page` points to."""
    return (Path(page).parent / unquote(urlsplit(url).path)).resolve()


@contextlib.contextmanager
def http_server(directory):
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL (ending in /)."""
    with serve(directory) as server:
        yield server.url
