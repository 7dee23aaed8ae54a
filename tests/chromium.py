"""Debian's Chromium as the tests and benchmarks launch it: never a downloaded browser, and no
background requests of its own (a request leaving the site must be the page's)."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
]

# The tests' Chromium also leaves WebAssembly at its baseline compiler (Liftoff): a test page lives a
# few seconds, and optimising Pyodide's hot functions in the background (TurboFan) for each of the
# suite's several hundred runtime starts took CPU from the other tests that nothing used. The code
# runs the same; the benchmarks, which time what visitors get, launch Chromium as it comes
# (CHROMIUM_ARGS). Measured on 2 cores, the wizard and runtime tests with 2 workers: 286 and 280 CPU s
# as it comes, 246 and 272 CPU s with this flag.
TEST_ARGS = [*CHROMIUM_ARGS, "--js-flags=--no-wasm-tier-up"]
