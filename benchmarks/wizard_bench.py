#!/usr/bin/env python3
"""The wizard as a visitor meets it, on the real built site, in headless Chromium.

    .venv/bin/python benchmarks/wizard_bench.py [--repeat 3] [--site PATH]

Builds the site (one post, as on the golden date) into a temporary folder, or uses --site, then
opens example-municipality/en/wizard-travel-document.html over http (tests/static_server.py, which
logs every response body it sends) and from disk (file://: the sizes of the files the page
read), cold (a fresh browser profile) and warm (the same profile, second visit), each way three
times: `snapshot`, the runtime as shipped (Pyodide restored from the build's memory snapshot);
`normal`, the same page with ?snapshot=0 (Pyodide started from scratch: the baseline, measured
in the same run, interleaved); and `with-ui`, as `snapshot` in Chromium as it comes, its address
bar's suggestion popups running beside the page (the other two leave them out: a headless browser
shows no address bar; tests/chromium.py). Each visit answers three whole paths of the wizard.
Printed, never asserted (median of --repeat):

  FCP        ms from navigation start to the first contentful paint
  question   ms from navigation start to the paint of the first question's answer links: usable
             from then on as plain links, no script needed
  ready      ms to the paint of the interactive form (Pyodide started, the engine loaded, the
             first step rendered by Python): the runtime's cost as a visitor sees it
  long       the longest main-thread task (Long Tasks API) that began before `ready`: how long the
             page ignored clicks at worst while the wizard started
  step       ms from pressing Continue to the paint of the next question (median of the visit's
             six steps: the hash changes, Python evaluates and renders, the DOM is swapped)
  swap       of `step`, the ms until the new question was in the page (MutationObserver: the end of the
             task that put it there): the worker, Python, the message back, the page's handling
  paint      of `step`, the ms from there to its paint: waiting for Chromium's frame and drawing it
  paced      `step` at a visitor's pace: the option chosen PACE_MS before Continue is pressed (the
             page asks Python for the next step as the form changes; median of six more steps)
  outcome    the same up to the paint of the result's title (median of the visit's three results)
  KB@q, n    body bytes (and number) of the responses completed by the time the question was
             painted: over http what the server sent, over file:// the sizes of the files read.
             Runtime files that happen to finish before that paint count too (from a warm disk
             cache the 6.5 MB file:// bundle sometimes does); what the question itself needs is
             the "no JS" row
  KB@ready   the same by the time the interactive form was painted: the page plus the runtime

The times are taken by the page itself (Element Timing, the paint time of the watched headings and
links, as for first-contentful-paint; MutationObserver; performance.now()), so Playwright's own
round trips are not in them. Bytes are matched to those moments by wall clock: the server's log,
or the browser's timing of each file:// request. Baselines printed beside them: the same page with
JavaScript disabled (how soon and for how many bytes the question shows without the runtime
competing for the network and the main thread), and the ratios warm/cold, file/http and
question with scripts / without.
"""

import argparse
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # static_server: the tests' and benchmarks' one HTTP server

from build import GOLDEN_DATE  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS, HEADLESS_ARGS  # noqa: E402
from static_server import serve  # noqa: E402

POST = "example-municipality"
PAGE = f"{POST}/en/wizard-travel-document.html"
# Three whole paths (question id, option id): stable ids, not labels, so translations cannot break them.
PATHS = [
    [("status", "stateless"), ("age", "minor-12-17"), ("speed", "super-urgent")],
    [("status", "refugee"), ("age", "adult"), ("speed", "standard")],
    [("status", "other-foreigner"), ("age", "under-12"), ("speed", "urgent")],
]
TIMEOUT_MS = 120000
# How the runtime starts: as shipped, from the build's memory snapshot; and from scratch (baseline).
# start -> (the page's query, Chromium's switches). "with-ui": as "snapshot", in Chromium as it comes,
# its address bar's suggestion popups (WebUI renderers that follow every navigation) running beside the
# page though a headless browser shows no address bar (tests/chromium.py: HEADLESS_ARGS).
STARTS = {"snapshot": ("", HEADLESS_ARGS), "normal": ("?snapshot=0", HEADLESS_ARGS), "with-ui": ("", CHROMIUM_ARGS)}

# Runs in the page before its own scripts. Gives every heading and answer link that appears in
# #wizard an `elementtiming` id ("plain-N" before the interactive wizard took over, "live-N" after)
# and records when each was first painted (Element Timing: the frame's render time, as for
# first-contentful-paint). `question` is the first paint of the plain question, `ready` the first
# paint of the interactive form; both in ms of the page's clock (performance.now()).
MARKS = """
(() => {
  if (window !== window.top) { return; }
  const bench = window.__bench = {paints: {}, origin: performance.timeOrigin};
  const watched = ".wizard-option, .wizard-legend, .wizard-result h1";
  let count = 0;
  const tag = (node) => {
    const wizard = node.closest("#wizard");
    if (!wizard || node.hasAttribute("elementtiming")) { return; }
    const live = wizard.classList.contains("wizard--interactive");
    node.setAttribute("elementtiming", (live ? "live-" : "plain-") + count++);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) { continue; }
        if (node.matches(watched)) { tag(node); }
        node.querySelectorAll(watched).forEach(tag);
      }
    }
  }).observe(document, {childList: true, subtree: true});
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const at = entry.renderTime || entry.loadTime;
      bench.paints[entry.identifier] = at;
      if (entry.identifier.startsWith("plain-") && bench.question === undefined) { bench.question = at; }
      if (entry.identifier.startsWith("live-") && bench.ready === undefined) { bench.ready = at; }
    }
  }).observe({type: "element", buffered: true});
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === "first-contentful-paint") { bench.fcp = entry.startTime; }
    }
  }).observe({type: "paint", buffered: true});
  bench.tasks = [];  // main-thread tasks over 50 ms (Long Tasks API): [start, duration]
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) { bench.tasks.push([entry.startTime, entry.duration]); }
  }).observe({type: "longtask", buffered: true});
})();
"""

# Chooses an option of the interactive form and presses Continue; resolves with the ms from the
# press to the paint of what replaced the form (the next question's heading or the result's title),
# and when (ms after the press) the form was gone: the end of the page's task that swapped the step in.
ANSWER = """
([question, option, pause]) => new Promise((resolve, reject) => {
  const wizard = document.getElementById("wizard");
  const form = wizard.querySelector("form.wizard-question");
  if (!form || form.getAttribute("data-question") !== question) {
    reject(new Error("expected question " + question + ", found " + (form && form.getAttribute("data-question"))));
    return;
  }
  const radio = form.querySelector('input[type=radio][value="' + option + '"]');
  if (!radio) { reject(new Error("no option " + option + " for " + question)); return; }
  radio.click();
  let started = 0;
  let swapped;
  const observer = new MutationObserver(() => {
    if (form.isConnected) { return; }
    if (swapped === undefined) { swapped = performance.now() - started; }
    const heading = wizard.querySelector("form.wizard-question .wizard-legend, .wizard-result h1");
    if (!heading) { return; }
    observer.disconnect();
    const next = heading.closest(".wizard-result") ? "outcome" : "question";
    const id = heading.getAttribute("elementtiming");
    const painted = () => {
      const at = window.__bench.paints[id];
      if (at !== undefined) { resolve({ms: at - started, swap: swapped, next: next}); }
      else if (performance.now() - started > 30000) { reject(new Error("no paint seen for the " + next)); }
      else { setTimeout(painted, 5); }
    };
    painted();
  });
  const press = () => {
    observer.observe(wizard, {childList: true, subtree: true});
    started = performance.now();
    form.querySelector("button.wizard-continue").click();
  };
  if (pause) { setTimeout(press, pause); } else { press(); }
})
"""

# A visitor's pace: the option chosen, then Continue pressed this many ms later (one pass of PATHS).
PACE_MS = 400

# Back to the first question, as "Start again" does (not timed).
RESTART = """
(fragment) => new Promise((resolve) => {
  const wizard = document.getElementById("wizard");
  const observer = new MutationObserver(() => {
    const form = wizard.querySelector("form.wizard-question");
    if (form && form.getAttribute("data-question") === "status") { observer.disconnect(); resolve(); }
  });
  observer.observe(wizard, {childList: true, subtree: true});
  location.hash = fragment;
})
"""


def record_file_reads(page, site):
    """For file://: (epoch ms when the read completed, bytes on disk, path) of every file of the
    site the page requests, from the browser's own timing of each request."""
    prefix = site.as_uri() + "/"
    reads = []

    def finished(request):
        if request.url.startswith(prefix):
            path = site / unquote(request.url[len(prefix) :].split("#")[0].split("?")[0])
            timing = request.timing
            end = max(timing["responseEnd"], timing["responseStart"], timing["requestStart"], 0)
            if path.is_file():
                reads.append((timing["startTime"] + end, path.stat().st_size, str(path)))

    page.on("requestfinished", finished)
    return reads


def completed(log, until_epoch):
    """(bytes, requests) of the responses completed by `until_epoch` (ms since 1970)."""
    done = [n for at, n, _ in log if at <= until_epoch]
    return sum(done), len(done)


def visit(context, url, site, server):
    """One visit: the marks, the step times and the bytes up to each mark."""
    page = context.new_page()
    try:
        server.log.clear()
        reads = record_file_reads(page, site) if url.startswith("file:") else server.log
        page.goto(f"{url}#on={GOLDEN_DATE}", wait_until="commit")
        page.wait_for_function("() => window.__bench && window.__bench.ready !== undefined", timeout=TIMEOUT_MS)
        marks = page.evaluate("window.__bench")
        # How the runtime started ("snapshot" or "normal"), as the page's runtime says.
        started = page.evaluate(
            "() => window.WizardRuntime ? WizardRuntime.start().then((api) => api.start, () => '?') : '?'"
        )
        steps, outcomes, swaps, paced = [], [], [], []
        for index, (path, pause) in enumerate([(path, 0) for path in PATHS] + [(path, PACE_MS) for path in PATHS]):
            if index:
                page.evaluate(RESTART, f"#on={GOLDEN_DATE}")
            for number, (question, option) in enumerate(path, 1):
                result = page.evaluate(ANSWER, [question, option, pause])
                expected = "outcome" if number == len(path) else "question"
                if result["next"] != expected:
                    raise RuntimeError(f"{path}: after {question}={option} came {result['next']}, not {expected}")
                if pause:
                    paced.append(result["ms"])
                    continue
                (outcomes if expected == "outcome" else steps).append(result["ms"])
                if expected == "question":
                    swaps.append((result["swap"], result["ms"] - result["swap"]))
        log = list(reads)
    finally:
        page.close()
    at_question = completed(log, marks["origin"] + marks["question"])
    at_ready = completed(log, marks["origin"] + marks["ready"])
    return {
        "fcp": marks.get("fcp", float("nan")),
        "question": marks["question"],
        "ready": marks["ready"],
        "longest": max((d for at, d in marks["tasks"] if at < marks["ready"]), default=0),
        "step": statistics.median(steps),
        "swap": statistics.median(s for s, _ in swaps),
        "paint": statistics.median(p for _, p in swaps),
        "outcome": statistics.median(outcomes),
        "paced": statistics.median(paced),
        "bytes_question": at_question[0],
        "requests_question": at_question[1],
        "bytes_ready": at_ready[0],
        "requests_ready": at_ready[1],
        "start": started,
    }


def visit_without_scripts(browser, url, site, server):
    """The same page, cold, with JavaScript disabled: its first contentful paint (the question is
    in the first paint, as the runs with scripts show: their FCP is the question's paint) and the
    bytes of a complete load, i.e. the page without its runtime."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        server.log.clear()
        reads = record_file_reads(page, site) if url.startswith("file:") else server.log
        page.goto(url, wait_until="load")
        fcp = None
        deadline = time.monotonic() + 10
        while fcp is None and time.monotonic() < deadline:  # no page scripts: poll from outside
            fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
            if fcp is None:
                page.wait_for_timeout(20)
        log = list(reads)
    finally:
        context.close()
    total = completed(log, float("inf"))
    return {"question": fcp if fcp is not None else float("nan"), "bytes": total[0], "requests": total[1]}


def measure(playwright, url, profile, site, server, args=HEADLESS_ARGS):
    """A fresh persistent profile (Chromium launched with `args`), visited twice: (cold, warm)."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=args, headless=True
    )
    context.add_init_script(MARKS)
    try:
        return [visit(context, url, site, server) for _ in ("cold", "warm")]
    finally:
        context.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold+warm pairs per scheme (median printed)")
    parser.add_argument("--site", type=Path, help="an existing build (default: build one into a temporary folder)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    # benchmarks/run.py stops a benchmark that overran with SIGTERM: clean up the temporary folder
    # and the browsers on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="wizard-bench-"))
    try:
        site = args.site
        if site is None:
            from pipeline.site import build_site

            site = work / "site"
            started = time.perf_counter()
            build_site(ROOT, site, on=GOLDEN_DATE, posts=[POST])
            print(f"built {POST} as on {GOLDEN_DATE} in {time.perf_counter() - started:.1f} s")
        site = site.resolve()
        if not (site / PAGE).is_file():
            parser.error(f"{site / PAGE} does not exist (was {POST} built?)")
        table, plain = {}, {}
        with serve(site) as server, sync_playwright() as p:
            urls = {"http": server.url + PAGE, "file": (site / PAGE).as_uri()}
            for i in range(args.repeat):
                for scheme, url in urls.items():
                    for start, (query, browser_args) in STARTS.items():
                        table.setdefault((scheme, start), []).append(
                            measure(p, url + query, work / f"profile-{scheme}-{start}-{i}", site, server, browser_args)
                        )
            browser = p.chromium.launch(executable_path=CHROMIUM, args=HEADLESS_ARGS, headless=True)
            try:
                for scheme, url in urls.items():
                    plain[scheme] = [visit_without_scripts(browser, url, site, server) for _ in range(args.repeat)]
            finally:
                browser.close()
        report(table, plain, site, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(table, plain, site, repeat):
    runtime = sum(f.stat().st_size for f in (site / "_wizard").iterdir() if f.is_file())
    kb = 1024
    print(
        f"\nWizard page {PAGE}, headless Chromium, median of {repeat} "
        f"(ms from navigation start; KB = 1024 bytes of response bodies; n = requests)"
    )
    print(
        f"  {'scheme':6} {'start':8} {'load':5} {'FCP':>6} {'question':>9} {'ready':>7} {'long':>5} {'step':>6}"
        f" {'swap':>5} {'paint':>5} {'paced':>5} {'outcome':>8} {'KB@q':>8} {'n':>3} {'KB@ready':>9} {'n':>3}  started"
    )
    medians = {}
    for (scheme, start), samples in sorted(table.items()):
        for index, load in enumerate(("cold", "warm")):
            runs = [s[index] for s in samples]
            m = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "start"}
            medians[(scheme, start, load)] = m
            started = "/".join(sorted({r["start"] for r in runs}))
            print(
                f"  {scheme:6} {start:8} {load:5} {m['fcp']:6.0f} {m['question']:9.0f} {m['ready']:7.0f}"
                f" {m['longest']:5.0f} {m['step']:6.0f} {m['swap']:5.0f} {m['paint']:5.0f} {m['paced']:5.0f}"
                f" {m['outcome']:8.0f} {m['bytes_question'] / kb:8,.0f} {m['requests_question']:3.0f}"
                f" {m['bytes_ready'] / kb:9,.0f} {m['requests_ready']:3.0f}  {started}"
            )
    for scheme, runs in plain.items():
        q = statistics.median(r["question"] for r in runs)
        b = statistics.median(r["bytes"] for r in runs)
        n = statistics.median(r["requests"] for r in runs)
        medians[(scheme, "plain")] = {"question": q}
        print(
            f"  {scheme:6} {'-':8} {'no JS':5} {q:6.0f} {q:9.0f} {'-':>7} {'-':>5} {'-':>6} {'-':>5} {'-':>5} {'-':>5}"
            f" {'-':>8} {b / kb:8,.0f} {n:3.0f} {'-':>9} {'-':>3}"
        )
    print(
        f"  start: snapshot = as shipped (Pyodide restored from the build's memory snapshot), normal = ?snapshot=0\n"
        f"  (from scratch); with-ui = as shipped, in Chromium as it comes: its address bar's suggestion popups\n"
        f"  (renderers that follow every navigation, though headless shows no address bar) run beside the page,\n"
        f"  the other rows leave them out. started: how the runtime really started. long: the longest main-thread\n"
        f"  task before ready.\n"
        f"  step ~ swap + paint (medians of each): ms from Continue until the new step is in the page (the worker,\n"
        f"  Python, the message back, then the page's task: history entry, DOM, focus), then from there to its\n"
        f"  paint (Chromium's frame: the wait for it, style, layout, raster, presentation at a vsync).\n"
        f"  paced: the same as step at a visitor's pace, the option chosen {PACE_MS} ms before Continue (the\n"
        f"  page asks for the next step when the form changes: Continue then shows it, wizard/web/wizard.js).\n"
        f"  no JS: the same page with JavaScript disabled; question = its FCP, KB = the whole load.\n"
        f"  _wizard/ holds {runtime / kb:,.0f} KB in all: http loads the worker's files, file:// the classic-script\n"
        f"  bundle. Warm over http the browser's cache answers, or revalidates (304, no body) recent files."
    )

    def ratio(label, a, b):
        print(f"  {label:34} {a:7.0f} / {b:7.0f} = {a / b:5.2f}")

    print("\nRatios (medians, ms)")
    schemes = sorted({scheme for scheme, _ in table})
    for scheme in schemes:
        for load in ("cold", "warm"):
            ratio(
                f"{scheme:4} {load:4} ready snapshot / normal",
                medians[(scheme, "snapshot", load)]["ready"],
                medians[(scheme, "normal", load)]["ready"],
            )
    for scheme in schemes:
        ratio(
            f"{scheme:4} cold ready snapshot / with-ui",
            medians[(scheme, "snapshot", "cold")]["ready"],
            medians[(scheme, "with-ui", "cold")]["ready"],
        )
    for scheme in schemes:
        for key in ("question", "ready"):
            ratio(
                f"{scheme:4} {key:8} warm / cold",
                medians[(scheme, "snapshot", "warm")][key],
                medians[(scheme, "snapshot", "cold")][key],
            )
    if "http" in schemes and "file" in schemes:
        for load in ("cold", "warm"):
            for key in ("ready", "step"):
                ratio(
                    f"{load:4} {key:8} file / http",
                    medians[("file", "snapshot", load)][key],
                    medians[("http", "snapshot", load)][key],
                )
    for scheme in plain:
        ratio(
            f"{scheme:4} question cold / no JS",
            medians[(scheme, "snapshot", "cold")]["question"],
            medians[(scheme, "plain")]["question"],
        )


if __name__ == "__main__":
    sys.exit(main())
