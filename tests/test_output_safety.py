"""The build never loses anyone's files, leaves nothing behind, and fails with one line, not a traceback.

Refusals are tried on a throwaway git clone of the repository, through its command line and its
pipeline (a refusal comes before any work, so no site is built). Builds are of one post from a
project copy, and only where the test is about a build; a previous site that must survive a failure
is a folder marked as the build's own, which is all the build looks at.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from pipeline.outdir import MARKER, RefusedOutput, mark
from pipeline.site import SiteError, build_site
from pipeline.usb import make_usb_copy
from site_helpers import DATE, ROOT, copy_project, files_digest

POST = "example-municipality"
NEW_FOLDER = "choose a new or empty folder, e.g. --out site"
NEW_DIST = "choose another folder, e.g. --out dist"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("output-safety") / "project")


@pytest.fixture
def previous_site(tmp_path):
    """The last good site a failing build must keep: a folder of the build's own (marked), in a folder of its own."""
    out = tmp_path / "out" / "site"
    out.mkdir(parents=True)
    mark(out)
    (out / "index.html").write_text("<h1>the last good site</h1>", encoding="utf-8")
    return out


@pytest.fixture
def system_tmp(tmp_path):
    """A private system temporary folder (TMPDIR) for the subprocesses: what they leave there is theirs."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    return folder


def build_py(project, *args, env=None, **options):
    """`build.py ARGS` of `project` in a subprocess; its CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, str(project / "build.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        **options,
    )


def environment(system_tmp):
    """No temporary file outside `system_tmp`; compiled modules kept beside it, never in the project."""
    env = dict(os.environ, TMPDIR=str(system_tmp), PYTHONPYCACHEPREFIX=str(system_tmp.parent / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiling every module in every run is slow
    return env


def tree(folder):
    """Every file and folder under `folder` (.git included) with its size and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        found[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def wait_until(ready, what, timeout=120):
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {timeout} s: {what}")
        time.sleep(0.05)


# --- refusals ------------------------------------------------------------------------------------


def test_the_build_refuses_the_repository_its_folders_and_other_sources(tmp_path, system_tmp):
    clone = tmp_path / "clone"
    # Objects copied, not hard-linked: git elsewhere in the repository (a commit) may touch the shared
    # files' times while the test runs, and the clone must change only if the build changes it.
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True, capture_output=True)
    other = tmp_path / "other-repository"
    (other / ".git").mkdir(parents=True)
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    status = git_status(clone)
    before = tree(clone)
    # Through the command line, as typed in the clone: refused, exit status 2, one line.
    own, procedures = "it is the project's own folder", "it is in the project's procedures/"
    typed = {
        ("build", "--out", "."): f"build into {clone}: {own}; {NEW_FOLDER}",
        ("build", "--out", "procedures"): f"build into {clone / 'procedures'}: {procedures}; {NEW_FOLDER}",
        ("build", "--out", ".."): f"build into {tmp_path}: it holds the project {clone}; {NEW_FOLDER}",
        ("usb", "--out", "."): f"write into {clone}: {own}; {NEW_DIST}",
    }
    for args, refusal in typed.items():
        result = build_py(clone, *args, cwd=clone, env=environment(system_tmp))
        assert (result.returncode, result.stderr, result.stdout) == (2, f"refusing to {refusal}\n", ""), args
    # The other rules, through the pipeline (each refusal comes before any work).
    refused = {
        clone / "content" / "pages": "it is in the project's content/",
        clone / ".git": "it is in the project's .git/",
        clone / "wizard" / "site": "it is in the project's wizard/",
        Path("/"): f"it holds the project {clone}",
        clone / "README.md": f"{clone / 'README.md'} is a file, not a folder",
        other: "it holds sources (.git)",
    }
    for out, reason in refused.items():
        with pytest.raises(RefusedOutput) as refusal:
            build_site(clone, out, on=DATE, posts=[POST])
        assert str(refusal.value) == f"refusing to build into {out}: {reason}; {NEW_FOLDER}"
    with pytest.raises(RefusedOutput) as refusal:
        make_usb_copy(clone, clone / "procedures", on=DATE)
    assert str(refusal.value) == f"refusing to write into {clone / 'procedures'}: {procedures}; {NEW_DIST}"
    assert tree(clone) == before
    assert git_status(clone) == status == ""
    assert {p.name for p in tmp_path.iterdir()} - {"pycache"} == {"clone", "other-repository", "system-tmp"}
    assert sorted(p.name for p in other.iterdir()) == [".git", "notes.txt"]
    assert not list(system_tmp.iterdir())


def git_status(clone):
    return subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=clone, check=True, capture_output=True, text=True
    ).stdout


def test_a_folder_the_build_did_not_make_is_refused_and_left_alone(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "holiday.jpg").write_bytes(b"\xff\xd8 a photo")
    with pytest.raises(RefusedOutput) as refused:
        build_site(ROOT, photos, on=DATE, posts=[POST])
    assert str(refused.value) == (
        f"refusing to build into {photos}: it is not empty and was not made by build.py (no {MARKER} file in it); "
        "empty or remove it yourself, or choose a new folder"
    )
    # A marker does not make a repository replaceable.
    repository = tmp_path / "repository"
    (repository / ".git").mkdir(parents=True)
    mark(repository)
    with pytest.raises(RefusedOutput) as refused:
        build_site(ROOT, repository, on=DATE, posts=[POST])
    assert str(refused.value) == f"refusing to build into {repository}: it holds sources (.git); {NEW_FOLDER}"
    assert files_digest(photos) == {"holiday.jpg": b"\xff\xd8 a photo"}
    assert sorted(p.name for p in repository.iterdir()) == sorted([".git", MARKER])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos", "repository"]


def test_usb_refuses_a_folder_or_zip_it_did_not_make_before_building(tmp_path):
    (tmp_path / "consular-procedures.zip").write_bytes(b"somebody's zip")
    with pytest.raises(RefusedOutput) as refused:
        make_usb_copy(ROOT, tmp_path, on=DATE)
    archive = tmp_path / "consular-procedures.zip"
    assert str(refused.value) == (
        f"refusing to replace {archive}: it was not made by build.py usb; remove it yourself, or choose another --out"
    )
    archive.unlink()
    with zipfile.ZipFile(archive, "w") as zf:  # a real zip, but not one `usb` wrote
        zf.writestr("consular-procedures/index.html", "old")
    with pytest.raises(RefusedOutput):
        make_usb_copy(ROOT, tmp_path, on=DATE)
    folder = tmp_path / "consular-procedures"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(RefusedOutput) as refused:
        make_usb_copy(ROOT, tmp_path, on=DATE)
    assert str(refused.value).startswith(f"refusing to build into {folder}: it is not empty and was not made")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["consular-procedures", "consular-procedures.zip"]
    assert files_digest(folder) == {"notes.txt": b"mine"}
    assert zipfile.ZipFile(archive).namelist() == ["consular-procedures/index.html"]


# --- nothing left behind -------------------------------------------------------------------------


def test_a_killed_build_keeps_the_site_and_the_next_build_removes_its_leftovers(project, previous_site, system_tmp):
    out = previous_site
    before = files_digest(out)
    # A folder with a build's working name, but not the build's: never touched.
    foreign = out.parent / f"site.tmp-{dead_pid()}"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")

    # Two languages: two MkDocs builds, in two worker processes (the pool whose ending is checked).
    args = ["build", "--post", POST, "--lang", "en", "--lang", "fr", "--date", "2027-01-01", "--out", out]
    process = subprocess.Popen(
        [sys.executable, str(project / "build.py"), *map(str, args)],
        env=environment(system_tmp),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    work = out.parent / f"site.tmp-{process.pid}"
    try:  # mid-way: the Markdown is written and MkDocs is building into the working folder
        wait_until(lambda: (work / "docs").is_dir() or process.poll() is not None, "the build's working folder")
        assert process.poll() is None, process.stderr.read()
        workers = children(process.pid)
    finally:
        process.kill()
        process.wait()
    assert work.is_dir() and files_digest(out) == before  # the killed build's leftovers; the old site intact
    # Its parallel build processes end with it rather than wait for work as orphans.
    assert workers, "the build ran its MkDocs builds in worker processes"
    wait_until(lambda: not [pid for pid in workers if alive(pid)], f"the killed build's workers {workers} ending", 10)

    result = build_py(project, *args, env=environment(system_tmp))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["site", foreign.name]
    assert files_digest(foreign) == {"notes.txt": b"mine"}
    assert not list(system_tmp.iterdir())
    # The rebuild replaced the build's own site, and marked the new one as its own for the next build.
    assert "January 1, 2027" in (out / POST / "en" / "index.html").read_text(encoding="utf-8")
    assert not (out / "index.html").read_text(encoding="utf-8").startswith("<h1>the last good site")
    assert (out / MARKER).read_bytes() == before[MARKER]


def test_a_build_killed_in_the_middle_of_its_swap_gets_the_previous_site_back_at_the_next_build(tmp_path):
    # What kill -9 between the swap's two renames leaves: no site, the previous one in the working folder.
    out = tmp_path / "site"
    work = tmp_path / f"site.tmp-{dead_pid()}"
    (work / "old").mkdir(parents=True)
    mark(work)
    mark(work / "old")
    (work / "old" / "index.html").write_text("<h1>the last good site</h1>", encoding="utf-8")
    with pytest.raises(SiteError):  # even a build that fails at once puts it back
        build_site(ROOT, out, on=DATE, posts=["atlantis"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert files_digest(out) == {MARKER: (out / MARKER).read_bytes(), "index.html": b"<h1>the last good site</h1>"}


def children(pid):
    """The process ids of the living children of process `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid):
    """Whether process `pid` still runs (a zombie waiting for its reaper counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def dead_pid():
    """The process id of a process that has ended."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(ended.stdout)


def test_serve_answers_bad_addresses_quietly_and_leaves_nothing_after_sigterm(project, system_tmp):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, str(project / "build.py"), "serve", "--port", str(port), "--date", DATE, "--post", POST],
        env=environment(system_tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: fetch(base + f"{POST}/en/index.html")[0] == 200 or process.poll() is not None, "serve")
        assert process.poll() is None
        own = [p for p in (project / ".build").iterdir() if str(process.pid) in p.name]
        assert own, "serve keeps its site in .build/"

        status, headers, body = fetch(base + f"{POST}/en/fees.html")
        assert status == 200 and headers["Cache-Control"] == "no-store"
        for address in ("%00", f"{POST}/en/%00fees.html", "a%0Ab.html"):
            assert fetch(base + address)[0] == 400, address
        status, headers, body = fetch(base + f"{POST}/")  # a folder without index.html: no listing
        assert status == 404 and 'href="en/"' not in body and "Directory listing" not in body
        assert headers["Cache-Control"] == "no-store"
        with pytest.raises(OSError):  # bound to 127.0.0.1 only, not to every address of the machine
            socket.create_connection(("127.0.0.2", port), timeout=5).close()
    finally:
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=60)
    output = process.stdout.read()
    assert status == 0, output
    assert "Traceback" not in output and "Error" not in output, output
    assert not [p for p in own if p.exists()]
    assert not list(system_tmp.iterdir())


def fetch(url):
    """(status, headers, body) of a GET; (0, {}, "") when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")
    except OSError:
        return 0, {}, ""


# --- errors, not tracebacks ----------------------------------------------------------------------


def _no_room():
    """In the child: no file may grow beyond 0 bytes (a full disk, even for root); no signal for it."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_full_disk_gives_one_line_and_keeps_the_previous_site(project, previous_site, system_tmp):
    before = files_digest(previous_site)
    result = build_py(
        project, "build", "--post", POST, "--date", DATE, "--out", previous_site,
        env=environment(system_tmp), preexec_fn=_no_room,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        f"build failed: cannot write {previous_site}: File too large; a file grew beyond what the disk or the "
        "system allows: free some space, or choose another --out; the previous site (if any) is unchanged.\n"
    )
    assert files_digest(previous_site) == before
    assert sorted(p.name for p in previous_site.parent.iterdir()) == ["site"]


def test_a_read_only_output_gives_one_line_and_keeps_the_previous_site(project, previous_site, system_tmp):
    """The folder holding the site is read-only: for a user by its permissions; for root, who ignores
    permissions, by mounting it read-only (a write-protected stick) in a mount namespace of its own."""
    before = files_digest(previous_site)
    folder = previous_site.parent
    command = [
        sys.executable,
        str(project / "build.py"),
        "build",
        "--post",
        POST,
        "--date",
        DATE,
        "--out",
        str(previous_site),
    ]
    if os.geteuid() == 0:
        mount = f'mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} {folder} && exec "$@"'
        result = subprocess.run(["unshare", "-m", "sh", "-c", mount, "sh", *command], capture_output=True, text=True)
        reason = "Read-only file system; the disk is read-only: choose another --out"
    else:
        folder.chmod(0o555)
        try:
            result = subprocess.run(command, capture_output=True, text=True)
        finally:
            folder.chmod(0o755)
        reason = "Permission denied; make the folder writable, or choose another --out"
    assert result.returncode == 1, result.stderr
    assert (
        result.stderr
        == f"build failed: cannot write {previous_site}: {reason}; the previous site (if any) is unchanged.\n"
    )
    assert files_digest(previous_site) == before
    assert sorted(p.name for p in folder.iterdir()) == ["site"]
