"""Helpers for the site tests (tests/test_site*.py): one shared build, project copies, link parsing.

The full site (every post × language) is built once per test run by `shared_site()`, also when
pytest-xdist runs the tests in several worker processes: the first worker that needs it builds it
into the run's shared folder, under a file lock; the others wait for it and read the same build.
So is the USB copy (`shared_usb()`, `build.py usb` as a visitor's helper runs it).
The other builds the tests need (a changed fee, a broken file) are made from a copy of the project
with only one post, so the suite stays fast.

The run's shared folder is made by `open_run()` and removed by `close_run()`, which conftest.py
calls in the process that runs the session (the xdist controller, or the one pytest process of a
serial run) before any worker starts and after every worker ended. Its path travels to the workers
in the environment (RUN_FOLDER).
"""

import atexit
import contextlib
import dataclasses
import fcntl
import functools
import html.parser
import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from static_server import serve

ROOT = Path(__file__).resolve().parent.parent
DATE = "2026-12-01"
# What a copy of the project needs to build the site (node_modules is linked, not copied).
PROJECT_PARTS = ("build.py", "mkdocs.yml", "pipeline", "wizard", "procedures", "content", "schema")
# The environment variable that names the test run's shared folder (see open_run).
RUN_FOLDER = "CONSULAR_TEST_RUN_FOLDER"


def open_run():
    """Make the test run's shared folder and name it in the environment, for this process and the
    workers it starts. Returns its path."""
    folder = tempfile.mkdtemp(prefix="consular-test-run-")
    os.environ[RUN_FOLDER] = folder
    return Path(folder)


def close_run():
    """Remove the test run's shared folder (the shared site with it)."""
    folder = os.environ.pop(RUN_FOLDER, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def run_folder():
    """The test run's shared folder; outside pytest (no open_run), a folder of this process alone."""
    if RUN_FOLDER not in os.environ:
        atexit.register(close_run)
        open_run()
    return Path(os.environ[RUN_FOLDER])


@contextlib.contextmanager
def locked(path):
    """Hold an exclusive lock on the file `path` (made if missing) while the block runs."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@functools.cache
def shared_site():
    """The full site built from the repository on DATE: (site folder, BuildReport). Built once per
    test run, by whichever process asks first; a failed build is reported to every test that asks."""
    from pipeline.site import BuildReport, build_site

    folder = run_folder()
    site, record = folder / "site", folder / "site.json"
    with locked(folder / "site.lock"):
        if not record.exists():
            try:
                report = build_site(ROOT, site, on=DATE)
            except Exception as error:
                record.write_text(json.dumps({"error": f"{type(error).__name__}: {error}"}), encoding="utf-8")
                raise
            fields = dataclasses.asdict(report)
            record.write_text(json.dumps(dict(fields, out=str(report.out))), encoding="utf-8")
        fields = json.loads(record.read_text(encoding="utf-8"))
    if "error" in fields:
        raise RuntimeError(f"the shared site could not be built (see the first test that needed it): {fields['error']}")
    fields["out"], fields["builds"] = Path(fields["out"]), [tuple(build) for build in fields["builds"]]
    return site, BuildReport(**fields)


@functools.cache
def shared_usb():
    """The folder `build.py usb --out FOLDER --date DATE` wrote (the USB copy's folder and its zip),
    run once per test run like shared_site, by whichever process asks first."""
    import subprocess
    import sys

    folder = run_folder()
    out, record = folder / "usb", folder / "usb.json"
    with locked(folder / "usb.lock"):
        if not record.exists():
            run = subprocess.run(
                [sys.executable, "build.py", "usb", "--out", str(out), "--date", DATE],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=900,
            )
            record.write_text(json.dumps({"returncode": run.returncode, "stderr": run.stderr}), encoding="utf-8")
        fields = json.loads(record.read_text(encoding="utf-8"))
    if fields["returncode"] != 0:
        raise RuntimeError(f"build.py usb failed (exit {fields['returncode']}):\n{fields['stderr'][-4000:]}")
    return out


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
