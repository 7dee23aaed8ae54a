#!/usr/bin/env python3
"""The wizard in every browser engine: Chromium, Firefox and WebKit, over http and from disk, cold.

    .venv/bin/python benchmarks/engines_bench.py [--repeat 3] [--site PATH] [--engines chromium,firefox,webkit]

Builds one post (as on the golden date) into a temporary folder, or uses --site, then in each engine
(Debian's browsers, driven as in the tests: tests/engine_drivers.py) and scheme opens, each time
in a fresh browser context or session (an empty cache):

  wizard     example-municipality/en/wizard-travel-document.html, one whole path answered by
             clicking the labels (tests/test_engines.py's seed "stateless-12-17-super-urgent")
  selftest   _wizard/selftest.html: the same runtime on a bare page (the baseline for `ready`)
  each twice: as shipped (Pyodide restored from the build's memory snapshot) and with
             ?snapshot=0 (Pyodide started from scratch: the baseline, in the same run, interleaved)
  stock      stock Pyodide from its npm package (pyodide.js, its whole standard library) on a bare
             page, on the main thread, importing json: http only (from disk it cannot fetch its files)

Printed, never asserted (median of --repeat; ms from navigation start, by the page's own clock):

  ready      wizard: the interactive form on the page (tests/engines/recorder.js); selftest: the
             runtime answered (its report's ready_ms); stock: loadPyodide() resolved and Python ran
  snap/0     ready from the snapshot / ready from scratch (wizard page)
  stall      wizard: the longest gap a 10 ms timer on the page saw until ready (page frozen)
  step       wizard: median ms from an answer's submit to the next step in the DOM (three answers)
  page-rt    wizard ready - selftest ready: what the page around the runtime costs
  ratios     wizard / selftest and selftest / stock, per engine and scheme
"""

import argparse
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

import engine_drivers  # noqa: E402
from build import GOLDEN_DATE  # noqa: E402
from chromium import CHROMIUM, HEADLESS_ARGS  # noqa: E402
from static_server import serve  # noqa: E402

POST = "example-municipality"
SEED = "stateless-12-17-super-urgent"
ENGINES = ("chromium", "firefox", "webkit")
STOCK_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
MARKS = "() => ({ready: window.__wizardReady, longest: window.__longestTask})"
STOCK_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>stock Pyodide</title>
<link rel="icon" href="data:,"></head><body><p>stock Pyodide</p>
<script src="pyodide.js"></script>
<script>
loadPyodide().then(function (pyodide) {
  pyodide.runPython("import json, datetime");
  window.stockReport = {ready_ms: Math.round(performance.now())};
}, function (error) { window.stockReport = {error: String(error)}; });
</script></body></html>
"""


def stock_folder(dest):
    dest.mkdir(parents=True, exist_ok=True)
    for name in STOCK_FILES:
        shutil.copyfile(ROOT / "node_modules" / "pyodide" / name, dest / name)
    (dest / "index.html").write_text(STOCK_PAGE, encoding="utf-8")
    return dest


def chromium_visits(visits):
    """The visits in Chromium (Playwright), each in a new context (its own empty cache)."""
    import re

    from playwright.sync_api import sync_playwright

    recorder = engine_drivers.RECORDER.read_text(encoding="utf-8")
    reports = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=HEADLESS_ARGS, headless=True)
        try:
            for visit in visits:
                context = browser.new_context()
                context.add_init_script(recorder)
                page = context.new_page()
                out = {"name": visit["name"]}
                try:
                    page.goto(visit["url"], wait_until="domcontentloaded")
                    if visit.get("probe"):
                        page.wait_for_function("(n) => window[n] !== undefined", arg=visit["probe"], timeout=120_000)
                        out["probe"] = page.evaluate("(n) => window[n]", visit["probe"])
                    else:
                        page.wait_for_function("() => window.__wizardReady !== undefined", timeout=120_000)
                        out.update(page.evaluate(MARKS))
                        for step in visit["steps"]:
                            before = page.locator("#wizard-heading").inner_text()
                            exact = re.compile("^" + re.escape(step["choose"]) + "$")
                            page.locator("#wizard-main label", has_text=exact).click()
                            page.get_by_role("button", name=step["continue"]).click()
                            page.wait_for_function(
                                "(b) => { const h = document.getElementById('wizard-heading');"
                                " return h && h.innerText !== b; }",
                                arg=before,
                            )
                        out["steps"] = page.evaluate("() => window.__stepTimes")
                except Exception as error:
                    out["error"] = f"{type(error).__name__}: {error}"
                finally:
                    context.close()
                reports.append(out)
        finally:
            browser.close()
    return reports


def webkit_visits(visits):
    """Each visit in a WebKit session of its own (a session keeps its cache between pages)."""
    reports = []
    for visit in visits:
        with engine_drivers.WebKit() as webkit:
            reports.append(webkit.visit(visit))
    return reports


def run_engine(engine, visits):
    if engine == "chromium":
        return chromium_visits(visits)
    if engine == "firefox":
        return engine_drivers.firefox(visits, timeout_ms=120_000)["visits"]
    return webkit_visits(visits)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold visits per page, engine and scheme (median)")
    parser.add_argument("--site", type=Path, help="an existing build (default: build one into a temporary folder)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: " + ", ".join(ENGINES))
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if args.repeat < 1 or any(e not in ENGINES for e in engines):
        parser.error(f"--repeat at least 1; --engines among {', '.join(ENGINES)}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from test_engines import visit_of

    from pipeline.model import load_content

    content = load_content(ROOT, on=GOLDEN_DATE)
    work = Path(tempfile.mkdtemp(prefix="engines-bench-"))
    try:
        site = args.site
        if site is None:
            from pipeline.site import build_site

            site = work / "site"
            started = time.perf_counter()
            build_site(ROOT, site, on=GOLDEN_DATE, posts=[POST])
            print(f"built {POST} as on {GOLDEN_DATE} in {time.perf_counter() - started:.1f} s")
        site = site.resolve()
        recorded = engine_drivers.recorded_copy(site, work / "recorded")  # WebKit: pages record themselves
        stock = stock_folder(work / "stock")
        samples = {}  # (engine, scheme, page) -> [report]
        with serve(site) as plain, serve(recorded) as copy, serve(stock) as stock_server:
            for engine in engines:
                took = 0.0
                for scheme in ("http", "file"):
                    if scheme == "http":
                        base = (copy if engine == "webkit" else plain).url
                    else:
                        base = (recorded if engine == "webkit" else site).as_uri() + "/"
                    wizard = visit_of(content, SEED, base)
                    page, fragment = wizard["url"].split("#", 1)
                    pages = {
                        "wizard": wizard,
                        "wizard-0": dict(wizard, url=f"{page}?snapshot=0#{fragment}"),
                        "selftest": {"url": base + "_wizard/selftest.html", "probe": "selftestReport"},
                        "selftest-0": {"url": base + "_wizard/selftest.html?snapshot=0", "probe": "selftestReport"},
                    }
                    if scheme == "http":
                        pages["stock"] = {"url": stock_server.url + "index.html", "probe": "stockReport"}
                    visits = []
                    for _ in range(args.repeat):
                        for name, visit in pages.items():
                            visits.append(dict(visit, name=name, bases=[base, stock_server.url]))
                    started = time.perf_counter()
                    for visit, got in zip(visits, run_engine(engine, visits), strict=True):
                        samples.setdefault((engine, scheme, visit["name"]), []).append(got)
                    took += time.perf_counter() - started
                print(f"{engine}: {9 * args.repeat} visits in {took:.0f} s")
        report(samples, engines, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def figure(reports, key):
    """The median of `key` over the reports that have it; None if none has."""
    values = []
    for r in reports:
        if "error" in r:
            continue
        if key == "ready" and "probe" in r:
            probe = r["probe"] or {}
            value = probe.get("ready_ms")
        elif key == "step":
            value = statistics.median(r["steps"]) if r.get("steps") else None
        else:
            value = r.get(key)
        if value is not None:
            values.append(value)
    return statistics.median(values) if values else None


def report(samples, engines, repeat):
    def cell(value, width=8):
        return f"{value:{width}.0f}" if value is not None else f"{'-':>{width}}"

    print(f"\nEvery engine, cold (median of {repeat}; ms from navigation start, by the page's own clock)")
    print(
        f"  {'engine':9} {'scheme':6} {'wizard':>8} {'wizard-0':>9} {'snap/0':>7} {'stall':>6} {'stall-0':>8}"
        f" {'step':>6} {'selftest':>9} {'self-0':>7} {'stock':>7} {'page-rt':>8} {'wiz/self':>9} {'self/stock':>10}"
        f"  runtime in, started"
    )
    failures = []
    pages = ("wizard", "wizard-0", "selftest", "selftest-0", "stock")
    for engine in engines:
        for scheme in ("http", "file"):
            got = {page: samples.get((engine, scheme, page), []) for page in pages}
            for page, reports in got.items():
                failures += [f"{engine} {scheme} {page}: {r['error']}" for r in reports if "error" in r]
                failures += [
                    f"{engine} {scheme} {page}: {r['probe']['error']}"
                    for r in reports
                    if isinstance(r.get("probe"), dict) and "error" in r["probe"]
                ]
            wizard, wizard0, selftest, selftest0, stock = (figure(got[p], "ready") for p in pages)
            stall, stall0 = figure(got["wizard"], "longest"), figure(got["wizard-0"], "longest")
            step = figure(got["wizard"], "step")
            page_rt = wizard - selftest if wizard is not None and selftest is not None else None
            modes = sorted(
                {
                    f"{(r.get('probe') or {}).get('mode') or '?'} {(r.get('probe') or {}).get('start') or '?'}"
                    for r in got["selftest"] + got["selftest-0"]
                    if "error" not in r
                }
            )
            ratio_s0 = f"{wizard / wizard0:7.2f}" if wizard and wizard0 else f"{'-':>7}"
            ratio_ws = f"{wizard / selftest:9.2f}" if wizard and selftest else f"{'-':>9}"
            ratio_ss = f"{selftest / stock:10.2f}" if selftest and stock else f"{'-':>10}"
            print(
                f"  {engine:9} {scheme:6} {cell(wizard)} {cell(wizard0, 9)} {ratio_s0} {cell(stall, 6)}"
                f" {cell(stall0)} {cell(step, 6)} {cell(selftest, 9)} {cell(selftest0, 7)}"
                f" {cell(stock, 7)} {cell(page_rt)} {ratio_ws} {ratio_ss}  {', '.join(modes) or '-'}"
            )
    print(
        "  wizard: the wizard page interactive, as shipped (from the snapshot); wizard-0: with ?snapshot=0 (from\n"
        "  scratch); stall: the longest a 10 ms timer waited meanwhile; step: answer to next step; selftest,\n"
        "  self-0: _wizard/selftest.html's runtime ready, likewise; stock: stock Pyodide on a bare page (http\n"
        "  only); page-rt = wizard - selftest; runtime in: where the self-test's Pyodide ran and how it started."
    )
    if failures:
        print("\nFailed visits:")
        for failure in failures:
            print("  " + failure[:300])


if __name__ == "__main__":
    sys.exit(main())
