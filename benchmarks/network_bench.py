#!/usr/bin/env python3
"""A network of N posts (default 100) built from the shipped ones, in a temporary folder: figures only.

    .venv/bin/python benchmarks/network_bench.py [--posts 100] [--date 2026-12-01] [--repeat 1]

The network: content/posts/*.yaml copied with new ids until there are N posts (the shipped ones
first), beside copies of procedures/ and content/; the code (pipeline/, wizard/, schema/,
node_modules/) is linked, not copied. Nothing of it stays: the folder is removed at the end.

Printed, each time measured in this run:
- the old way: a full build, one MkDocs build after the other, into a new folder (nothing reused);
- the full build as `build.py build` makes it (parallel, one process per core), into a new folder:
  seconds, output MB and file count;
- MkDocs alone on the same builds in the same number of processes: the overhead ratio (last);
- after editing one post's YAML, one shared procedure (one English title), and one language's UI
  strings (the English footer): the rebuild's seconds, how many post × language builds MkDocs ran
  again, and the ratio of the old way to it;
- the preview (`serve`: no compressed files): a full preview build, then the rebuild after editing
  one post, which is what an editor waits for before the browser shows the change.
Each time is given as wall-clock seconds and as CPU seconds (this process and its children: on a
machine shared with other work the latter varies less). The Pyodide standard library is compiled
once beforehand (its cache in the network's .build/), as it is on any machine that built before.
Figures are printed, never asserted.
"""

import argparse
import multiprocessing
import re
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import builds  # noqa: E402
from pipeline.model import load_content  # noqa: E402
from pipeline.render import render_post  # noqa: E402
from pipeline.site import build_site, install_wizard_runtime, prepare_builds, run_mkdocs, write_docs  # noqa: E402

LINKED = ("pipeline", "wizard", "schema", "node_modules")
COPIED = ("procedures", "content")


def make_network(folder, count):
    """A project folder under `folder` whose content has `count` posts; its path."""
    project = folder / "project"
    project.mkdir()
    for name in LINKED:
        (project / name).symlink_to(ROOT / name)
    for name in COPIED:
        shutil.copytree(ROOT / name, project / name)
    shutil.copyfile(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    posts = project / "content" / "posts"
    shipped = sorted(posts.glob("*.yaml"))
    for number in range(len(shipped), count):
        source = shipped[number % len(shipped)]
        new_id = f"{source.stem}-{number:03d}"
        text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", source.read_text(encoding="utf-8"), count=1)
        (posts / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    for path in shipped[count:]:
        path.unlink()
    return project


def edit_post(project):
    """Append a word to the English name of the last post."""
    path = sorted((project / "content" / "posts").glob("*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    start = text.index("\nname:")
    at = text.index("\n  en: ", start) + len("\n  en: ")
    end = text.index("\n", at)
    path.write_text(text[:end] + " (edited)" + text[end:], encoding="utf-8")
    return path.stem


def edit_procedure(project):
    """Change the English title of the passport procedure (used by two posts in three)."""
    path = project / "procedures" / "passport.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  en: Applying for a passport\n"
    if old not in text:
        raise SystemExit("network bench: the passport's English title is not where edit_procedure looks for it")
    path.write_text(text.replace(old, "  en: Applying for a Belgian passport\n"), encoding="utf-8")
    return "passport (en title)"


def edit_ui(project):
    """Change the English footer in content/ui.yaml."""
    path = project / "content" / "ui.yaml"
    text = path.read_text(encoding="utf-8")
    old = re.search(r'^  footer:\n(?:    \w\w: .*\n)*?    en: "(.*)"\n', text, re.M)
    if not old:
        raise SystemExit("network bench: the English footer is not where edit_ui looks for it")
    edited = text[: old.start(1)] + "Edited: " + text[old.start(1) :]
    path.write_text(edited, encoding="utf-8")
    return "ui.yaml (en footer)"


def cpu_seconds():
    """User + system time of this process and of the processes it waited for (the build's pool, Node)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function, *args, **kwargs):
    """((wall seconds, CPU seconds), result): on a shared machine the CPU time varies less."""
    started, cpu = time.perf_counter(), cpu_seconds()
    result = function(*args, **kwargs)
    return (time.perf_counter() - started, cpu_seconds() - cpu), result


def size_of(site):
    files = [p for p in Path(site).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6, len(files)


def mkdocs_alone(project, date, work, processes):
    """MkDocs alone on the network's builds (docs written beforehand, not timed), in `processes` processes."""
    content = load_content(project, on=date)
    rendered = [render_post(content, pid, lang) for pid in content.posts for lang in content.languages]
    jobs = prepare_builds(project, content, rendered, work / "docs", work / "site")
    for job in jobs:
        write_docs(job)
    started, cpu = time.perf_counter(), cpu_seconds()
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(run_mkdocs, [j.config for j in jobs], [j.config_file for j in jobs], [content.on] * len(jobs)))
    return time.perf_counter() - started, cpu_seconds() - cpu


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--date", default="2026-12-01")
    parser.add_argument("--repeat", type=int, default=1, help="accepted for benchmarks/run.py; one run each")
    args = parser.parse_args(argv)
    if args.posts < 1:
        parser.error("--posts must be at least 1")

    with tempfile.TemporaryDirectory(prefix="network-bench-") as tmp:
        tmp = Path(tmp)
        project = make_network(tmp, args.posts)
        content = load_content(project, on=args.date)
        pairs = len(content.posts) * len(content.languages)
        processes = builds.workers(range(pairs))
        posts, langs = len(content.posts), len(content.languages)
        print(f"{posts} posts × {langs} languages = {pairs} builds; {processes} processes")
        install_wizard_runtime(project, content, tmp / "warm-up")  # the compiled stdlib, cached (not timed)

        print(f"\n{'':34}{'seconds':>9}{'CPU s':>8}{'× faster':>10}{'rebuilt':>9}", flush=True)

        def row(label, measured, rebuilt, old=None):
            seconds, cpu = measured
            ratio = (old or seconds) / seconds
            print(f"{label:34.34}{seconds:9.1f}{cpu:8.1f}{ratio:10.2f}{rebuilt:9d}", flush=True)

        old, _ = timed(build_site, project, tmp / "old" / "site", on=args.date, processes=1)
        row("old way: full, serial", old, pairs)
        shutil.rmtree(tmp / "old")
        site = tmp / "new" / "site"
        full, report = timed(build_site, project, site, on=args.date)
        row("full build (parallel)", full, len(report.rebuilt), old[0])
        mb, files = size_of(site)
        for edit in (edit_post, edit_procedure, edit_ui):
            what = edit(project)
            measured, again = timed(build_site, project, site, on=args.date)
            row("edit " + what, measured, len(again.rebuilt), old[0])
        preview = tmp / "preview" / "site"
        renders = {}  # as `serve` keeps them between its builds
        measured, _ = timed(build_site, project, preview, on=args.date, web=False, renders=renders)
        row("preview (serve): full", measured, pairs, old[0])
        what = edit_post(project)
        measured, again = timed(build_site, project, preview, on=args.date, web=False, renders=renders)
        row("preview: edit " + what, measured, len(again.rebuilt), old[0])
        print(f"\noutput: {mb:.0f} MB in {files} files; of it shared once: _assets/ and _wizard/", flush=True)
        alone = mkdocs_alone(project, args.date, tmp / "alone", processes)
        print(
            f"MkDocs alone ({processes} processes): {alone[0]:.1f} s, {alone[1]:.1f} CPU s; "
            f"full build / MkDocs alone: {full[0] / alone[0]:.2f} (CPU: {full[1] / alone[1]:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
