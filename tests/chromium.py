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

# Playwright 1.65's own --disable-features list (playwright-core: chromiumSwitches.ts). Chromium keeps
# only the last --disable-features switch it is given, so the tests' switch repeats this list before
# adding to it (puppeteer-core, which launches Chromium for Lighthouse, merges the lists itself).
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]

# Chromium 156 builds the address bar's suggestion popups (WebUIOmnibox*Popup) for every window as
# WebUI pages, each in a renderer process of its own, and they follow every navigation. A headless
# browser shows no address bar, so the tests and the benchmarks leave them out (HEADLESS_ARGS): on
# this machine's 2 cores they took about a quarter of a second of the wizard's cold start (interactive
# over http in 1,128 ms with them, 876 ms without, the same build, alternating, medians of 4), and
# Playwright opens a window for every browser context, that is for every test's tab (0.59 s to open
# and close one with them, 0.34 s without). benchmarks/wizard_bench.py still measures a start with
# them (CHROMIUM_ARGS: the browser as it comes), beside the others.
OMNIBOX_POPUPS = ["WebUIOmniboxPopup", "WebUIOmniboxFullPopup", "WebUIOmniboxAimPopup"]
HEADLESS_ARGS = [*CHROMIUM_ARGS, "--disable-features=" + ",".join([*PLAYWRIGHT_DISABLED_FEATURES, *OMNIBOX_POPUPS])]

# The tests' Chromium also leaves out WebAssembly's optimising compiler (--liftoff-only): a test
# page lives a few seconds, and compiling Pyodide's functions a second time, optimised, in the
# background took CPU from the other tests that nothing used (the code runs the same, on the
# baseline compiler's code; --no-wasm-tier-up, used until then, still compiled optimised code in the
# background: 0.52 against 0.28 CPU s per start). The wizard, runtime and visitor-page tests with 2
# workers on 2 cores: 291 and 317 CPU s with --no-wasm-tier-up and the popups, 203 and 196 CPU s
# without either.
# (Tried and dropped: RenderDocument off, one frame host per tab across its pages: 80 pages at 320 px
# took 12.0-12.2 CPU s instead of 14.6-14.8, but the favicon of a page from disk was then fetched in
# the next document, about:blank, which refuses file: addresses, and a test failed on that console
# error, once in a fresh-clone run.)
TEST_ARGS = [*HEADLESS_ARGS, "--js-flags=--liftoff-only"]
