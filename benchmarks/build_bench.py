#!/usr/bin/env python3
"""Time the full site build against MkDocs alone on the same generated Markdown, in one run.

    .venv/bin/python benchmarks/build_bench.py [--date 2026-12-01] [--repeat 3]

1. full build: `pipeline.site.build_site` (load + validate the YAML, enumerate answer paths,
   Jinja → Markdown, one MkDocs build per post × language, root page, atomic swap);
2. MkDocs alone: the same Markdown and configurations, written once beforehand (not timed),
   then only the MkDocs builds are timed.

Prints pages, seconds, ms per page and the ratio (the best of --repeat runs each). Figures are
printed, never asserted.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.model import load_content  # noqa: E402
from pipeline.render import render_post  # noqa: E402
from pipeline.site import build_site, prepare_builds, run_mkdocs, write_docs  # noqa: E402


def time_full_build(date, work, processes=None):
    started = time.perf_counter()
    report = build_site(ROOT, work / "full" / "site", on=date, processes=processes)
    return time.perf_counter() - started, report.pages, len(report.builds)


def time_mkdocs_alone(date, work):
    content = load_content(ROOT, on=date)
    rendered = [render_post(content, pid, lang) for pid in content.posts for lang in content.languages]
    docs_root = work / "docs"
    builds = prepare_builds(ROOT, content, rendered, docs_root, work / "mkdocs-only")
    for job in builds:
        write_docs(job)
    started = time.perf_counter()
    for job in builds:  # one after the other: compare with the full build in one process
        run_mkdocs(job.config, job.config_file, content.on)
    return time.perf_counter() - started, sum(len(r.pages) for r in rendered), len(builds)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default="2026-12-01")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    full, parallel, alone = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="build-bench-") as work:
            full.append(time_full_build(args.date, Path(work), processes=1))
        with tempfile.TemporaryDirectory(prefix="build-bench-") as work:
            parallel.append(time_full_build(args.date, Path(work)))
        with tempfile.TemporaryDirectory(prefix="build-bench-") as work:
            alone.append(time_mkdocs_alone(args.date, Path(work)))
    full_s, pages, builds = min(full)
    alone_s, alone_pages, _ = min(alone)
    assert pages == alone_pages
    print(f"{builds} builds (posts × languages), {pages} pages; best of {args.repeat}")
    print(f"{'':14}{'seconds':>9}{'ms/page':>10}")
    print(f"{'full build':14}{full_s:9.2f}{1000 * full_s / pages:10.1f}   (one process)")
    parallel_s = min(parallel)[0]
    print(f"{'full, parallel':14}{parallel_s:9.2f}{1000 * parallel_s / pages:10.1f}   (one process per core)")
    print(f"{'MkDocs alone':14}{alone_s:9.2f}{1000 * alone_s / pages:10.1f}")
    print(
        f"ratio full / MkDocs alone: {full_s / alone_s:.2f} "
        f"(our own stages: {full_s - alone_s:.2f} s, {100 * (full_s - alone_s) / full_s:.0f} %)"
    )
    print(f"ratio parallel / one process: {parallel_s / full_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
