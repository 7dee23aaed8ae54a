"""The post × language builds of a site: run in parallel processes, skipped when nothing changed.

    Job                                  one post × language: its MkDocs configuration, extra files, fingerprint
    fingerprint(root, config, pages, files, on, web)   a digest of everything the build's bytes depend on
    carry_over(previous, site, jobs, inputs)  copy the builds whose fingerprint the previous site records; the rest
    run_jobs(jobs, on, compress, workers)   the MkDocs builds left, in parallel; MkDocs seconds in total
    in_parallel(function, items, processes, state)   other work of the builds (rendering) in the same way
    record / recorded                    the fingerprints a site was built from (INPUTS at its root)

Each build is independent of the others (its own docs folder, its own site folder), so running
them in any order, in any number of processes, gives the same bytes as one after the other. A
build whose inputs are the same as those recorded in the previous site is not run again: its
folder is linked (hard links, never written to afterwards) or copied from the previous site,
which stays untouched until the new site is complete and swapped in (pipeline/outdir.py).
The fingerprint is conservative: the Markdown and configuration of the build, its extra files,
the build date, whether it is for the web, every file of the pipeline and the wizard's front end,
and the versions of MkDocs, Material and Markdown. Any change in them rebuilds.
"""

import contextlib
import ctypes
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import layout

# The record of the inputs of every build in a site, at its root (left out of the USB zip).
INPUTS = ".build-inputs.json"
# What the pages' bytes depend on besides the build's own Markdown and configuration.
CODE = (
    "pipeline",
    "wizard",
    "mkdocs.yml",
    "node_modules/iframe-worker/package.json",
    "node_modules/pyodide/package.json",
)
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


@dataclass
class Job:
    """One post × language build: MkDocs' configuration (written to `config_file`), files added after it."""

    post: str
    lang: str
    config: dict
    config_file: Path
    pages: dict = field(default_factory=dict)  # {Markdown file: text}
    root: Path = None  # the project: theme, hooks, the wizard's front end
    files: dict = field(default_factory=dict)  # {path in the build: text}, e.g. export.json
    fingerprint: str = ""
    keep_docs: bool = False  # its docs are read again after the build (the shared assets are its)

    @property
    def folder(self):
        return f"{self.post}/{self.lang}"


def code_stamp(root):
    """A digest of the code and packages that shape every build (the same for all builds of a run)."""
    digest = hashlib.sha256()
    root = Path(root)
    for name in CODE:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}\0".encode())
    return digest.hexdigest()


def fingerprint(stamp, config, pages, files, on, web):
    """The digest of one build's inputs: its configuration (without the working folder's paths), its
    pages {name: Markdown}, its extra files, the build date, whether it is for the web, the code stamp."""
    portable = {k: v for k, v in config.items() if k not in ("docs_dir", "site_dir")}
    text = json.dumps([stamp, portable, sorted(pages.items()), sorted(files.items()), on, web], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(*parts):
    """The fingerprint of a shared folder's inputs (any JSON-able values)."""
    return hashlib.sha256(
        json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()


def recorded(site):
    """{"post/lang" or shared folder: fingerprint} recorded in a built site, or {} (none, or unreadable)."""
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((Path(site) / INPUTS).read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return {}


def record(site, jobs, shared):
    """Write the fingerprints of `jobs` and of the `shared` folders ({folder: fingerprint}) into `site`."""
    data = dict(shared)
    data.update({job.folder: job.fingerprint for job in jobs})
    (Path(site) / INPUTS).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def same_code(previous, shared):
    """Whether the `previous` site was made by this code for the same use (its shared assets' digest)."""
    return previous is not None and recorded(previous).get(layout.SHARED_ASSETS) == shared[layout.SHARED_ASSETS]


def carry_over(previous, site, jobs, inputs):
    """Copy from the `previous` site every build whose fingerprint `inputs` (what recorded(previous)
    returned) records; return the jobs left to run."""
    return [job for job in jobs if not carry_folder(previous, site, job.folder, job.fingerprint, inputs)]


def carry_folder(previous, site, folder, digest, inputs):
    """Copy `folder` ("a/b") from the `previous` site if `inputs` (what recorded(previous) returned)
    says it was made from inputs of that `digest`; whether it was."""
    if previous is None or not digest or inputs.get(folder) != digest:
        return False
    source = Path(previous) / folder
    if source.is_symlink() or not source.is_dir():
        return False
    shutil.copytree(source, Path(site) / folder, copy_function=link_or_copy, symlinks=True)
    return True


def link_or_copy(source, target):
    """A hard link to `source` at `target` (a file never written to again), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def workers(jobs, wanted=None):
    """How many processes to build `jobs` with: `wanted`, else one per core this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(len(jobs), wanted or cores))


def run_jobs(jobs, on, compress=False, processes=None, previous=None):
    """Run the MkDocs build of every job (in `processes` processes; default one per core); MkDocs seconds.

    `compress` writes each build's .br and .gz files in its own process (pipeline/publish.py),
    taking those of files that the `previous` site holds unchanged.
    The first failure is raised (SiteError) once the builds already running have finished.
    """
    jobs = list(jobs)
    count = workers(jobs, processes)
    if count <= 1:
        return sum(build_one(job, on, compress, previous) for job in jobs)
    with _pool(count) as pool:
        futures = [pool.submit(build_one, job, on, compress, previous) for job in jobs]
        try:
            return sum(future.result() for future in futures)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _libc_prctl():
    """libc's prctl, looked up once in the building process: a worker only calls it (a lookup,
    dlopen, in a child forked from a process with threads, as `serve` is, could wait forever
    on a lock another thread held at the fork)."""
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL(None, use_errno=True).prctl
    return None


_PRCTL = _libc_prctl()


# Fewer items than this are not worth starting processes for.
PARALLEL_FROM = 8


def in_parallel(function, items, processes=None, state=None):
    """[function(state, item) for item in items], in that order, computed in `processes` processes
    (default one per core; one for fewer than PARALLEL_FROM items). `state` (e.g. the loaded
    content) reaches the worker processes as they start (forked: it is not pickled); the items
    and results are."""
    items = list(items)
    count = workers(items, processes)
    if count <= 1 or len(items) < PARALLEL_FROM:
        return [function(state, item) for item in items]
    with _pool(count, state) as pool:
        return list(pool.map(_with_state, [function] * len(items), items, chunksize=max(1, len(items) // (4 * count))))


_STATE = None  # in a worker process: the `state` of in_parallel


def _with_state(function, item):
    return function(_STATE, item)


def _pool(count, state=None):
    """A pool of `count` forked worker processes that end with this one and hold `state`."""
    return ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(), state),
    )


def _start_worker(parent, state):
    global _STATE  # noqa: PLW0603 (a worker's own copy, set once as it starts)
    _STATE = state
    _end_with_parent(parent)


def _end_with_parent(parent):
    """In a build worker: be killed when the build that started it dies (kill -9, out of memory).

    Forked workers hold both ends of their task pipe, so they would otherwise wait for work
    forever as orphans. Linux's PR_SET_PDEATHSIG does it; elsewhere a worker ends with its pool.
    """
    PR_SET_PDEATHSIG = 1
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def build_one(job, on, compress, previous=None):
    """One build: MkDocs, then its extra files, then (for the web) its compressed copies; MkDocs seconds."""
    from .publish import precompress
    from .site import run_mkdocs, write_docs

    write_docs(job)
    seconds = run_mkdocs(job.config, job.config_file, on)
    site_dir = Path(job.config["site_dir"])
    for name, text in job.files.items():
        (site_dir / name).write_text(text, encoding="utf-8")
    if not job.keep_docs:  # removed here, in parallel, not all together once every build is done
        shutil.rmtree(job.config["docs_dir"])
    if compress:
        precompress(site_dir, previous=Path(previous) / job.post / job.lang if previous else None)
    return seconds
