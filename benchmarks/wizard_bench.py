#!/usr/bin/env python3
"""The wizard as a visitor meets it, on the real built site, in headless Chromium.

    .venv/bin/python benchmarks/wizard_bench.py [--repeat 3] [--site PATH]

Builds the site (or uses --site), then opens example-municipality/en/wizard-travel-document.html
over http (a local server that counts the bytes it sends) and from disk (file://; the bytes are
the sizes of the files the page read), cold (fresh browser profile) and warm (same profile,
second visit), and prints, never asserts (median of --repeat):

  question   ms from navigation start until the first question's options are visible (usable as
             plain links: no script needed)
  ready      ms until the interactive wizard has taken over (Pyodide ready, form rendered)
  step       ms from pressing Continue to the next question rendered by Python in the browser
  outcome    ms from pressing Continue on the last question to the result rendered
  bytes@q    bytes transferred by the time the first question is usable
  bytes      bytes transferred once the interactive wizard is ready (the whole runtime)

and the ratios warm/cold and file/http of `ready`, the runtime's own baseline in this run.
"""

import argparse
import functools
import http.server
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build import GOLDEN_DATE  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic"]
PAGE = "example-municipality/en/wizard-travel-document.html"
ANSWERS = [("status", "Stateless"), ("age", "12 to 17"), ("speed", "Super-urgent procedure")]


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; `sent` is a list of (time.perf_counter(), bytes) per response body."""

    sent = []

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        type(self).sent.append((time.perf_counter(), len(data)))


def serve(directory):
    handler = type("Handler", (CountingHandler,), {"sent": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


def visit(context, url, site, handler):
    """One visit: timings in ms from navigation start and bytes up to each moment."""
    page = context.new_page()
    files = []  # (perf_counter, bytes) of files read from disk, for file://
    if url.startswith("file:"):
        prefix = site.as_uri() + "/"

        def read(request):
            if request.url.startswith(prefix):
                path = site / request.url[len(prefix):].split("#")[0]
                if path.is_file():
                    files.append((time.perf_counter(), path.stat().st_size))
        page.on("request", read)
    handler.sent.clear()
    page.goto(url + f"#on={GOLDEN_DATE}", wait_until="commit")
    page.locator("#wizard .wizard-option, #wizard label").first.wait_for(state="visible", timeout=60000)
    question_at = time.perf_counter()
    question = page.evaluate("performance.now()")
    page.wait_for_selector("#wizard.wizard--interactive form.wizard-question", timeout=120000)
    ready_at = time.perf_counter()
    ready = page.evaluate("performance.now()")
    steps = []
    for index, (_, label) in enumerate(ANSWERS):
        page.locator("#wizard-main label", has_text=label).first.click()
        before = page.locator("#wizard-main h2").first.inner_text()
        started = page.evaluate("performance.now()")
        page.locator("button.wizard-continue").click()
        page.wait_for_function("b => { const h = document.querySelector('#wizard-main h2');"
                               " return h && h.innerText !== b; }", arg=before)
        steps.append(page.evaluate("performance.now()") - started)
    assert page.locator(".wizard-total").count(), "the benchmark's answers must reach a result"
    page.close()
    log = files if url.startswith("file:") else list(handler.sent)
    return {
        "question": question, "ready": ready,
        "step": statistics.median(steps[:-1]), "outcome": steps[-1],
        "bytes_question": sum(n for t, n in log if t <= question_at),
        "bytes_ready": sum(n for t, n in log if t <= ready_at),
    }


def measure(playwright, url, profile, site, handler):
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        return [visit(context, url, site, handler) for _ in ("cold", "warm")]
    finally:
        context.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold+warm pairs per scheme (median printed)")
    parser.add_argument("--site", type=Path, help="an existing build (default: build one into a temporary folder)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="wizard-bench-"))
    try:
        site = args.site
        if site is None:
            from pipeline.site import build_site
            site = work / "site"
            build_site(ROOT, site, on=GOLDEN_DATE, posts=["example-municipality"])
        site = site.resolve()
        server, handler = serve(site)
        urls = {"http": f"http://127.0.0.1:{server.server_address[1]}/{PAGE}", "file": (site / PAGE).as_uri()}
        table = {}
        with sync_playwright() as p:
            for scheme, url in urls.items():
                table[scheme] = [measure(p, url, work / f"profile-{scheme}-{i}", site, handler)
                                 for i in range(args.repeat)]
        server.shutdown()
        report(table, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(table, site):
    runtime = sum(f.stat().st_size for f in (site / "_wizard").iterdir() if f.is_file())
    print(f"\nWizard page {PAGE} (median of {len(next(iter(table.values())))} runs; ms from navigation start)")
    print(f"  {'scheme':6} {'load':5} {'question':>9} {'ready':>7} {'step':>6} {'outcome':>8} {'bytes@q':>11} {'bytes':>12}")
    medians = {}
    for scheme, samples in table.items():
        for index, load in enumerate(("cold", "warm")):
            runs = [s[index] for s in samples]
            m = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            medians[(scheme, load)] = m
            print(f"  {scheme:6} {load:5} {m['question']:9.0f} {m['ready']:7.0f} {m['step']:6.0f} {m['outcome']:8.0f} "
                  f"{m['bytes_question']:>11,.0f} {m['bytes_ready']:>12,.0f}")
    print(f"  (all files of _wizard/ together: {runtime:,} bytes; http serves the worker's files, "
          f"file:// the classic-script bundle)")
    print("\nRatios of `ready`")
    for scheme in table:
        cold, warm = medians[(scheme, "cold")]["ready"], medians[(scheme, "warm")]["ready"]
        print(f"  {scheme:5} warm/cold {warm:6.0f} / {cold:6.0f} = {warm / cold:.2f}")
    if "http" in table and "file" in table:
        for load in ("cold", "warm"):
            a, b = medians[("file", load)]["ready"], medians[("http", load)]["ready"]
            print(f"  {load:5} file/http {a:6.0f} / {b:6.0f} = {a / b:.2f}")


if __name__ == "__main__":
    main()
