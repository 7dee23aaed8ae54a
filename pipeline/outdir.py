"""The output folder rules: a build replaces only what it made itself, and leaves nothing behind.

Every folder a build makes carries a marker file (MARKER). The marker is what allows a later build
to replace that folder; without it, a folder is replaced only if it is absent or empty. Folders that
hold sources (the project itself, any folder above it, its own folders, any repository) are refused
even with a marker.

A build works in a folder of its own beside its target, `<target>.tmp-<pid>` (marked), and swaps
the result into place at the end. The working folder goes away on any exit, error or signal; when
a process was killed (kill -9), the next build removes its working folder, once its process is gone.

    check_output(root, out)       raise RefusedOutput unless the build may replace `out`
    check_writable(out)           raise OutputError if `out` or its folder is read-only (before the work)
    check_container(root, out)    raise RefusedOutput unless the build may write inside `out` (usb's --out)
    working_folder(target)        context: the marked `<target>.tmp-<pid>`, stale ones removed first
    mark(folder)                  write the marker
    swap_into_place(new, out, work)
    writing(out)                  context: an OSError becomes one OutputError line naming `out`

Standard library only; raises, never prints.
"""

import contextlib
import errno
import glob
import os
import shutil
from pathlib import Path

MARKER = ".build-output"
MARKER_TAG = "Made by build.py (consular procedures)."
MARKER_TEXT = (
    f"{MARKER_TAG} The next build replaces this whole folder: keep nothing of your own here.\n"
    "Delete this file and no build will ever replace or remove the folder.\n"
)
# What makes a folder a source folder: a build never replaces one, marker or not.
SOURCE_SIGNS = (".git", "procedures", "content", "build.py", "mkdocs.yml")
# The project's own places for built output; every other existing entry of the project is a source.
BUILD_PLACES = ("site", "dist", ".build")
# The project this code belongs to: protected even when a build reads its content from elsewhere.
CODE_ROOT = Path(__file__).resolve().parent.parent
WORKING_SUFFIX = ".tmp-"
NEW_FOLDER = "choose a new or empty folder, e.g. --out site"


class OutputError(Exception):
    """Raised by these rules when an output folder cannot be written (read-only, disk full, a file in the way).

    The message is one line: the folder, why, and what to do. Nothing of the previous output was lost.
    """


class RefusedOutput(OutputError):
    """Raised before a build writes anything, when the folder is not the build's to replace or write into."""


def check_output(root, out, hint=NEW_FOLDER):
    """Raise RefusedOutput unless `out` may be replaced by a build: absent, empty, or marked as a build's own.

    `hint` ends the message of a folder that holds sources: what to do instead.
    """
    out = Path(out).resolve()
    _check_not_sources(root, out, "build into", hint)
    if out.exists() and not (is_own(out) or _is_empty(out)):
        raise RefusedOutput(
            f"refusing to build into {out}: it is not empty and was not made by build.py (no {MARKER} file in it); "
            "empty or remove it yourself, or choose a new folder"
        )


def check_writable(out):
    """Raise OutputError now, not after the build, if `out` or the folder it is in is read-only for us.

    A build writes beside `out` and moves `out` itself, which needs write access to both.
    """
    out = Path(out).resolve()
    nearest = next(p for p in (out.parent, *out.parents) if p.exists())
    if os.statvfs(nearest).f_flag & os.ST_RDONLY:
        raise OutputError(f"cannot write {out}: Read-only file system; {_HINTS[errno.EROFS]}")
    if not os.access(nearest, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise OutputError(f"cannot write {out}: Permission denied; {_HINTS[errno.EACCES]}")


def check_container(root, out, hint=NEW_FOLDER):
    """Raise RefusedOutput unless the build may write its own entries inside `out` (any folder but sources)."""
    _check_not_sources(root, Path(out).resolve(), "write into", hint)


def _check_not_sources(root, out, verb, hint):
    projects = list(dict.fromkeys([Path(root).resolve(), CODE_ROOT]))
    for project in projects:
        if project == out:
            raise RefusedOutput(f"refusing to {verb} {out}: it is the project's own folder; {hint}")
        if project.is_relative_to(out):
            raise RefusedOutput(f"refusing to {verb} {out}: it holds the project {project}; {hint}")
    existing = next(p for p in (out, *out.parents) if p.exists())
    if not existing.is_dir():
        raise RefusedOutput(f"refusing to {verb} {out}: {existing} is a file, not a folder; {hint}")
    for project in projects:
        if out.is_relative_to(project):
            top = project / out.relative_to(project).parts[0]
            if top.name not in BUILD_PLACES and (top.exists() or top.is_symlink()) and not is_own(top):
                raise RefusedOutput(f"refusing to {verb} {out}: it is in the project's {top.name}/; {hint}")
    if existing == out:
        found = [name for name in SOURCE_SIGNS if (out / name).exists()]
        if found:
            raise RefusedOutput(f"refusing to {verb} {out}: it holds sources ({', '.join(found)}); {hint}")


def is_own(folder):
    """Whether `folder` is a folder a build made (it holds the marker, a plain file)."""
    marker = Path(folder) / MARKER
    if marker.is_symlink() or not marker.is_file():
        return False
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return marker.read_text(encoding="utf-8").startswith(MARKER_TAG)
    return False


def mark(folder):
    """Write the marker into `folder`: from now on a build may replace it."""
    (Path(folder) / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _is_empty(folder):
    return folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir())


@contextlib.contextmanager
def working_folder(target):
    """A marked folder `<target>.tmp-<pid>` beside `target`, removed on leaving, whatever happens.

    The working folders of builds that were killed (their process is gone) are removed first; a
    folder of that name that is not a build's own is never touched.
    """
    target = Path(target).resolve()
    remove_stale(target)
    work = target.parent / f"{target.name}{WORKING_SUFFIX}{os.getpid()}"
    if work.exists() or work.is_symlink():
        raise RefusedOutput(f"refusing to use {work}: it was not made by build.py; remove it yourself")
    work.mkdir(parents=True)
    try:
        mark(work)
        yield work
    finally:
        remove_own(work)


def remove_stale(target):
    """Remove the working folders `<target>.tmp-<pid>` of builds whose process is gone.

    Only marked folders are removed (and empty ones: a build killed before it marked its folder).
    A build killed in the middle of its swap had moved the previous output into its working
    folder: that output is put back first.
    """
    target = Path(target)
    if not target.parent.is_dir():
        return
    for work in sorted(target.parent.glob(glob.escape(target.name) + WORKING_SUFFIX + "*")):
        pid = work.name[len(target.name) + len(WORKING_SUFFIX) :]
        if not pid.isdigit() or work.is_symlink() or not work.is_dir() or _running(int(pid)):
            continue
        if is_own(work):
            previous = work / "old"
            if is_own(previous) and not (target.exists() or target.is_symlink()):
                previous.rename(target)  # if this fails, nothing is removed
            remove_own(work)
        elif _is_empty(work):
            with contextlib.suppress(OSError):
                work.rmdir()


def remove_own(folder):
    """Remove a folder the build made, its marker last: if this is interrupted, the next build finishes it."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        elif child.name != MARKER:
            with contextlib.suppress(OSError):
                child.unlink()
    with contextlib.suppress(OSError):
        (folder / MARKER).unlink()
        folder.rmdir()


def _running(pid):
    if pid == os.getpid():  # this process has no working folder for this target yet: a dead one had the pid
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def swap_into_place(new, out, work):
    """Replace `out` by `new` (both on the same file system as `work`, beside `out`).

    The previous output moves into `work` first, and comes back if `new` cannot take its place;
    it is removed together with `work`.
    """
    new, out = Path(new), Path(out)
    # Checked again: someone may have put files into `out` while the build ran.
    if out.exists() and not (is_own(out) or _is_empty(out)):
        raise RefusedOutput(f"refusing to replace {out}: files not made by build.py appeared in it during the build")
    previous = Path(work) / "old"
    if out.exists():
        out.rename(previous)
    try:
        new.rename(out)
    except BaseException:
        if previous.exists() and not out.exists():
            previous.rename(out)
        raise


# What to do about the usual reasons a folder cannot be written.
_HINTS = {
    errno.EACCES: "make the folder writable, or choose another --out",
    errno.EPERM: "make the folder writable, or choose another --out",
    errno.EROFS: "the disk is read-only: choose another --out",
    errno.ENOSPC: "the disk is full: free some space, or choose another --out",
    errno.EDQUOT: "the disk quota is used up: free some space, or choose another --out",
    errno.EFBIG: "a file grew beyond what the disk or the system allows: free some space, or choose another --out",
    errno.ENOTDIR: "a file stands where a folder should be: move it, or choose another --out",
    errno.EEXIST: "a file stands where a folder should be: move it, or choose another --out",
}


@contextlib.contextmanager
def writing(out):
    """Turn an OSError while writing `out` into an OutputError: one line naming `out`, why, and what to do."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        hint = _HINTS.get(error.errno, "check the folder and the disk")
        raise OutputError(f"cannot write {Path(out)}: {reason}; {hint}") from error
