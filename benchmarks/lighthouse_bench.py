#!/usr/bin/env python3
"""Lighthouse on one page of every kind, as published and from a plain static server.

    .venv/bin/python benchmarks/lighthouse_bench.py [--repeat 3] [--site PATH]

Builds one post for the web (as on the golden date) at the address of a local host set up as the
README's hosting section says (tests/published_host.py: precompressed .br/.gz files, the _headers
file), or uses --site. Then Lighthouse (npm, through puppeteer-core, Debian's Chromium; its default
mobile profile: a mid-range phone on slow 4G, simulated) audits one page of every kind
(tests/lighthouse.py: home, procedure, fees, wizard question and result, a page without
JavaScript), served twice: by that host, and by a plain static server that sends every file as it
is, with no cache headers (Python's http.server, what the site got before it was published).

Printed, never asserted (median of --repeat per page and server):

  perf           Lighthouse's Performance score (0-100)
  FCP, LCP, SI   first and largest contentful paint, speed index, in ms (simulated)
  TBT            total blocking time, ms; CLS cumulative layout shift
  a11y, bp, seo  the other three categories (tests/test_lighthouse.py wants 100)
"""

import argparse
import contextlib
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from build import GOLDEN_DATE  # noqa: E402
from lighthouse import kinds_of_page, run_lighthouse  # noqa: E402
from pipeline.model import load_content  # noqa: E402
from published_host import POST, published_host  # noqa: E402
from site_helpers import http_server  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = [
    ("FCP", "first-contentful-paint"),
    ("LCP", "largest-contentful-paint"),
    ("SI", "speed-index"),
    ("TBT", "total-blocking-time"),
]


def measure(base, content, repeat):
    """{page name: [result, ...]} of `repeat` Lighthouse runs over every kind of page at `base`."""
    runs = {}
    for _ in range(repeat):
        for result in run_lighthouse(kinds_of_page(base, content), CATEGORIES, quick=False, timeout=1500):
            runs.setdefault(result["name"], []).append(result)
    return runs


def median_score(results, category):
    scores = [r["scores"].get(category) for r in results if r["scores"].get(category) is not None]
    return round(100 * statistics.median(scores)) if scores else None


def median_metric(results, audit):
    values = [r["metrics"][audit] for r in results if audit in r["metrics"]]
    return statistics.median(values) if values else None


def report(tables, repeat):
    print(f"\nLighthouse 12, mobile profile (simulated throttling), median of {repeat}; times in ms")
    header = f"{'page':<16} {'server':<10} {'perf':>4} " + " ".join(f"{n:>6}" for n, _ in METRICS)
    print(header + f" {'CLS':>5} {'a11y':>4} {'bp':>4} {'seo':>4}")
    for name in next(iter(tables.values())):
        for server, runs in tables.items():
            results = runs[name]
            metrics = [median_metric(results, audit) for _, audit in METRICS]
            cls = median_metric(results, "cumulative-layout-shift")
            cells = " ".join(f"{m:>6.0f}" if m is not None else f"{'-':>6}" for m in metrics)
            others = " ".join(f"{median_score(results, c) or '-':>4}" for c in CATEGORIES[1:])
            print(
                f"{name:<16} {server:<10} {median_score(results, 'performance') or '-':>4} {cells} "
                f"{cls if cls is None else round(cls, 3):>5} {others}"
            )
            for result in results:
                for audit in result["failed"]:
                    if audit["category"] == "performance" and audit["score"] is not None and audit["score"] < 0.5:
                        print(f"{'':<28}{audit['id']}: {audit['title']}")
                break  # one run's findings are enough


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Lighthouse runs per page and server (median)")
    parser.add_argument("--site", type=Path, help=f"an existing build holding {POST} (default: build one)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run.py's timeout: clean up on the way out

    content = load_content(ROOT, on=GOLDEN_DATE)
    work = Path(tempfile.mkdtemp(prefix="lighthouse-bench-"))
    try:
        with contextlib.ExitStack() as servers:
            site = args.site.resolve() if args.site else work / "site"
            published = servers.enter_context(published_host(site))
            if args.site is None:
                from pipeline.site import build_site

                started = time.perf_counter()
                build_site(ROOT, site, on=GOLDEN_DATE, posts=[POST], base_url=published)
                print(f"built {POST} for {published} in {time.perf_counter() - started:.1f} s")
            plain = servers.enter_context(http_server(site))
            tables = {
                "published": measure(published, content, args.repeat),
                "plain": measure(plain, content, args.repeat),
            }
        report(tables, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
