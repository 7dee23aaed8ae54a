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
