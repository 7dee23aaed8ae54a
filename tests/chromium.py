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

# What the tests' Chromium leaves out, none of it the pages' own work (the benchmarks, which time what
# visitors get, launch Chromium as it comes: CHROMIUM_ARGS):
# - the address bar's suggestion popups (WebUIOmnibox*Popup): Chromium 156 makes them, for every
#   window, as WebUI pages in renderer processes of their own, and Playwright opens a window for each
#   browser context, that is for each test's tab; they also followed every navigation. Without them
#   a tab costs about 0.34 s instead of 0.59 s to open and close (wall, one page, on 2 cores);
# - WebAssembly's optimising compiler (--liftoff-only): a test page lives a few seconds, and
#   compiling Pyodide's functions a second time, optimised, in the background took CPU from the
#   other tests that nothing used (the code runs the same, on the baseline compiler's code).
# The wizard, runtime and visitor-page tests with 2 workers on 2 cores: 291 and 317 CPU s with
# --no-wasm-tier-up alone, 203 and 196 CPU s with both.
TEST_ARGS = [
    *CHROMIUM_ARGS,
    "--js-flags=--liftoff-only",
    "--disable-features="
    + ",".join([*PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup", "WebUIOmniboxFullPopup", "WebUIOmniboxAimPopup"]),
]
