#!/usr/bin/env python3
"""Benchmark of the wizard's browser runtime (pipeline/runtime.py + wizard/web/runtime.js).

    .venv/bin/python benchmarks/runtime_bench.py [--repeat N] [--variants optimised,full]

Installs the runtime twice into a temporary folder, the unoptimised variant ("full": Pyodide's
whole standard library, engine as .py sources) and the shipped one ("optimised": only the
standard library modules the engine imports, everything compiled to .pyc inside Pyodide), and
opens a page two folders below the site root (like the wizard pages) in headless Chromium:
over http (tests/static_server.py on 127.0.0.1; Pyodide in a module worker) and over file://
(classic-script bundle; Pyodide in a worker made from a blob: URL), cold (fresh browser profile) and warm
(the same profile, second load). Prints, never asserts:

  bytes       runtime files per variant (raw and gzip -6), what a cold start transfers
  ready       ms from navigation start until the runtime answers (WizardRuntime.start resolved)
  1st eval    ms for the first evaluate round trip after ready; `eval` the median of 5 more
  stall       longest gap seen by a 10 ms timer on the page during start-up (page frozen)
  sent        bytes the server sent (http) or the files the page read (file://)
"""

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # static_server: the tests' and benchmarks' one HTTP server

from build import GOLDEN_DATE  # noqa: E402
from chromium import CHROMIUM, HEADLESS_ARGS  # noqa: E402
from pipeline.model import load_content  # noqa: E402
from pipeline.runtime import gzip_sizes, install_runtime  # noqa: E402
from static_server import serve  # noqa: E402

PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>runtime benchmark</title></head>
<body><p>benchmark</p>
<script>
  window.maxStall = 0;
  (function () {{ var last = performance.now(); window.ticker = setInterval(function () {{
    var t = performance.now(); window.maxStall = Math.max(window.maxStall, t - last); last = t; }}, 10); }})();
</script>
<script src="../../_wizard/runtime.js"></script>
<script>
  WizardRuntime.start().then(async function (api) {{
    var ready = performance.now();
    clearInterval(window.ticker);
    var answers = {{status: "stateless", age: "2012-05-01", speed: "super-urgent"}};
    var t = performance.now();
    var first = await api.call("evaluate", {{procedure: "travel-document", answers: answers, on: "{GOLDEN_DATE}"}});
    var firstEval = performance.now() - t;
    var more = [];
    for (var i = 0; i < 5; i++) {{
      t = performance.now();
      await api.call("evaluate", {{procedure: "travel-document", answers: answers, on: "{GOLDEN_DATE}"}});
      more.push(performance.now() - t);
    }}
    more.sort(function (a, b) {{ return a - b; }});
    window.benchResult = {{mode: api.mode, ready: ready, firstEval: firstEval, evalMedian: more[2],
                          stall: window.maxStall, total: first.total}};
  }}, function (error) {{ window.benchResult = {{error: String(error)}}; }});
</script>
</body></html>
"""


def measure(playwright, url, profile, site_dir, server):
    """Load `url` twice in one persistent profile: (cold, warm) measurements."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=HEADLESS_ARGS, headless=True
    )
    runs = []
    try:
        for _ in ("cold", "warm"):
            files = []
            server.log.clear()
            page = context.new_page()
            page.on("request", lambda r, files=files: files.append(r.url))
            page.goto(url)
            page.wait_for_function("() => window.benchResult", timeout=120000)
            result = page.evaluate("window.benchResult")
            if url.startswith("file:"):
                result["read"] = sum(
                    (site_dir / u[len(site_dir.as_uri()) + 1 :]).stat().st_size
                    for u in set(files)
                    if u.startswith(site_dir.as_uri())
                )
            else:
                result["read"] = server.sent
            runs.append(result)
            page.close()
    finally:
        context.close()
    return runs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold+warm pairs per case (median printed)")
    parser.add_argument("--variants", default="full,optimised")
    args = parser.parse_args(argv)
    variants = args.variants.split(",")

    from playwright.sync_api import sync_playwright

    content = load_content(ROOT, on=GOLDEN_DATE)
    work = Path(tempfile.mkdtemp(prefix="runtime-bench-"))
    try:
        infos = {}
        for variant in variants:
            site = work / variant
            infos[variant] = install_runtime(
                site, content.wizard_data(), ROOT, content.on, optimise=(variant == "optimised")
            )
            infos[variant]["gzip"] = gzip_sizes(infos[variant]["dir"])
            (site / "post" / "en").mkdir(parents=True)
            (site / "post" / "en" / "bench.html").write_text(PAGE, encoding="utf-8")
        print_sizes(infos)

        table = {}
        with serve(work) as server, sync_playwright() as p:
            for variant in variants:
                for scheme in ("http", "file"):
                    url = (
                        server.url + variant if scheme == "http" else (work / variant).as_uri()
                    ) + "/post/en/bench.html"
                    samples = []
                    for i in range(args.repeat):
                        samples.append(
                            measure(p, url, work / f"profile-{variant}-{scheme}-{i}", work / variant, server)
                        )
                    table[(variant, scheme)] = samples
        print_times(table, infos, variants)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_sizes(infos):
    names = sorted({n for info in infos.values() for n in info["files"]})
    variants = list(infos)
    print("\nRuntime files (bytes; gzip -6 in brackets)")
    print(f"  {'file':22}" + "".join(f"{v:>26}" for v in variants))
    for name in names:
        cells = []
        for v in variants:
            raw = infos[v]["files"].get(name)
            cells.append(f"{raw:>13,} ({infos[v]['gzip'][name]:>9,})" if raw is not None else f"{'-':>26}")
        print(f"  {name:22}" + "".join(f"{c:>26}" for c in cells))
    for key, label in (
        ("total", "all files"),
        ("http_start", "cold start over http"),
        ("file_start", "cold start over file://"),
    ):
        row = "".join(f"{infos[v][key]:>26,}" for v in variants)
        print(f"  {label:22}{row}")
    if "full" in infos and "optimised" in infos:
        for key in ("http_start", "file_start"):
            print(f"  ratio optimised/full, {key}: {infos['optimised'][key] / infos['full'][key]:.2f}")
        print(
            f"  stdlib.zip: {infos['full']['files']['stdlib.zip']:,} -> {infos['optimised']['files']['stdlib.zip']:,}"
            f" bytes ({infos['optimised']['files']['stdlib.zip'] / infos['full']['files']['stdlib.zip']:.2f})"
        )


def print_times(table, infos, variants):
    print("\nStart-up in headless Chromium (median of the repeats; ms)")
    print(f"  {'variant':10} {'scheme':6} {'load':5} {'mode':7} {'ready':>8} {'1st eval':>9} {'eval':>7} {'stall':>8}")
    medians = {}
    for (variant, scheme), samples in table.items():
        for index, load in enumerate(("cold", "warm")):
            runs = [s[index] for s in samples]
            errors = [r["error"] for r in runs if "error" in r]
            if errors:
                print(f"  {variant:10} {scheme:6} {load:5} FAILED: {errors[0]}")
                continue
            m = {k: statistics.median(r[k] for r in runs) for k in ("ready", "firstEval", "evalMedian", "stall")}
            medians[(variant, scheme, load)] = m
            print(
                f"  {variant:10} {scheme:6} {load:5} {runs[0]['mode']:7} {m['ready']:8.0f} {m['firstEval']:9.1f} "
                f"{m['evalMedian']:7.1f} {m['stall']:8.0f}"
            )
    print("\nBytes a page load transferred (http: body bytes the server sent; file://: size of the files read)")
    for (variant, scheme), samples in table.items():
        cold, warm = (statistics.median(s[i]["read"] for s in samples) for i in (0, 1))
        print(f"  {variant:10} {scheme:6} cold {cold:>14,.0f}   warm {warm:>14,.0f}")
    if "full" in variants and "optimised" in variants:
        print("\nRatio optimised/full of `ready`")
        for scheme in ("http", "file"):
            for load in ("cold", "warm"):
                a, b = medians.get(("optimised", scheme, load)), medians.get(("full", scheme, load))
                if a and b:
                    print(
                        f"  {scheme:5} {load:5} {a['ready']:7.0f} / {b['ready']:7.0f} = {a['ready'] / b['ready']:.2f}"
                    )


if __name__ == "__main__":
    main()
