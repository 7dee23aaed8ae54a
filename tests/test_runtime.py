"""The wizard's browser runtime (wizard/web/runtime.js, installed by pipeline/runtime.py) in real
Chromium: over http Pyodide runs in a module worker, over file:// in a classic worker made from a
blob: URL (or on the main thread, where no worker can start); every way gives
exactly the CPython engine's results under the Content-Security-Policy of the pages where Pyodide
runs; failures are values or clean rejections, never uncaught errors. Every way starts from the
build's memory snapshot (api.start "snapshot"), and a missing or corrupt snapshot falls back to a
normal start that gives the same results.

One runtime install and one browser for the module; each test gets a fresh tab
(browser_checks.Tab), which fails it on any console error, uncaught exception, CSP violation,
dialog or request leaving the site, unless the test says it provokes one.
"""

import gzip
import json
import re
import shutil

import pytest

from browser_checks import Tab
from build import GOLDEN_DATE as ON
from pipeline.csp import with_policy
from pipeline.runtime import install_runtime
from static_server import serve
from wizard.engine import evaluate
from wizard.state import parse
from wizard.steps import Context, render_step

CASES = [
    ("travel-document", {"status": "stateless", "age": "2012-05-01", "speed": "super-urgent"}),
    ("travel-document", {"status": "stateless", "age": "minor-12-17", "speed": "super-urgent"}),
    ("passport", {"registered": "no"}),
    ("passport", {"registered": "maybe"}),  # not an option: an error value
    ("travel-document", {"status": "refugee"}),  # a next question
    ("travel-document", {"status": "stateless", "age": "2030-01-01"}),  # born after `on`: error value
]
# A page two folders below the site root, like site/<post>/<lang>/wizard-x.html: runtime.js finds
# _wizard/ from its own <script src>, no base option. It gets the policy of a wizard page.
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>runtime test</title>
<link rel="icon" href="data:,"></head>
<body><p id="out">waiting</p><script src="../../_wizard/runtime.js"></script></body></html>
"""
# The steps the wizard renders in the browser: an outcome in English, a question in French.
STEPS = [
    ("travel-document", "#status=stateless&age=2012-05-01&speed=super-urgent", "en", "example-municipality"),
    ("travel-document", "#status=refugee", "fr", "example-municipality"),
]
RUN_CASES = """async ([cases, steps, on, mode]) => {
  const api = await WizardRuntime.start(mode ? {mode} : {});
  const results = [];
  for (const [pid, answers] of cases) results.push(await api.call("evaluate", {procedure: pid, answers, on}));
  const rendered = [];
  for (const [pid, fragment, lang, post] of steps) {
    rendered.push(await api.call("render", {procedure: pid, fragment, lang, post, today: on}));
  }
  document.getElementById("out").textContent = JSON.stringify(results[0]);
  return {mode: api.mode, start: api.start, snapshotError: api.snapshotError, procedures: api.procedures,
          results, rendered,
          unknown: await api.call("no-such-entry", {}),
          noProcedure: await api.call("evaluate", {procedure: "no-such-procedure", answers: {}, on})};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, content, root):
    site = tmp_path_factory.mktemp("runtime-site")
    info = install_runtime(site, content.wizard_data(), root, content.on, cache_dir=root / ".build" / "runtime")
    assert info["variant"] == "optimised"
    page = site / "post" / "en" / "wizard.html"
    page.parent.mkdir(parents=True)
    page.write_text(with_policy(PAGE, pyodide=True), encoding="utf-8")
    return site


def corrupt(packed):
    """The snapshot's gzip with a few bytes of its compressed data changed (its CRC no longer fits)."""
    data = bytearray(packed)
    for at in range(len(data) // 2, len(data) // 2 + 8):
        data[at] ^= 0x5A
    return bytes(data)


@pytest.fixture(scope="module")
def broken_sites(site, tmp_path_factory):
    """Copies of the test site from disk: {"missing": without runtime-snapshot.js, "corrupt": with
    a corrupt snapshot in it}."""
    sites = {}
    for kind in ("missing", "corrupt"):
        copy = tmp_path_factory.mktemp(f"runtime-site-{kind}")
        shutil.copytree(site, copy, dirs_exist_ok=True)
        script = copy / "_wizard" / "runtime-snapshot.js"
        if kind == "missing":
            script.unlink()
        else:  # a few of its characters replaced by others, as a bad copy might
            data = bytearray(script.read_bytes())
            data[len(data) // 2 : len(data) // 2 + 8] = b"AAAAAAAA"
            script.write_bytes(bytes(data))
        sites[kind] = copy
    return sites


@pytest.fixture(scope="module")
def http_base(site):
    with serve(site) as server:
        yield server.url


@pytest.fixture
def watched(browser, http_base, site):
    """A browser tab (browser_checks.Tab) on the runtime's test site, over http or from disk."""
    opened = []

    def make(scheme="http"):
        opened.append(Tab(browser, http_base if scheme == "http" else site.resolve().as_uri() + "/"))
        return opened[-1]

    yield make
    for tab in opened:
        tab.close()


def check(got, content, start="snapshot"):
    assert got["start"] == start, got.get("snapshotError")
    if start == "snapshot":
        assert got["snapshotError"] is None
    procedures = content.procedures
    results = [evaluate(procedures[pid], answers, ON) for pid, answers in CASES]
    assert got["results"] == results
    assert results[0]["total"] == [{"currency": "EUR", "amount": "285.00"}]
    assert results[0]["answers"]["age"] == results[1]["answers"]["age"] == "minor-12-17"
    assert results[0]["exact"] == {"age": "2012-05-01"}
    assert results[2]["route"] == "register-first"
    assert results[3]["status"] == results[5]["status"] == "error"
    # The steps rendered by Python in the browser are, to the byte, those CPython renders.
    for (pid, fragment, lang, post), step in zip(STEPS, got["rendered"], strict=True):
        context = Context(content.words(lang), content.posts[post], ON)
        assert step == json.loads(json.dumps(render_step(procedures[pid], parse(fragment), context)))
    assert "285,00 EUR" not in got["rendered"][0]["html"] and "285.00 EUR" in got["rendered"][0]["html"]
    assert "Quel âge a la personne" in got["rendered"][1]["html"]
    assert got["unknown"]["status"] == got["noProcedure"]["status"] == "error"
    assert sorted(got["procedures"]) == sorted(procedures)


def test_http_runs_in_a_worker_and_matches_cpython(watched, http_base, content):
    tab = watched("http")
    tab.page.goto(http_base + "post/en/wizard.html")
    got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, None])
    assert got["mode"] == "worker"
    assert tab.workers == [http_base + "_wizard/worker.mjs"]
    check(got, content)
    # The worker's own fetches are seen too (so the tab's check for outside requests covers them).
    assert http_base + "_wizard/stdlib.zip" in tab.requests


def test_file_runs_in_a_worker_from_a_blob_and_matches_cpython(watched, content):
    tab = watched("file")
    tab.page.goto(tab.base + "post/en/wizard.html")
    got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, None])
    assert got["mode"] == "worker"
    # Two workers from one blob: URL: Pyodide's, and the helper that compiled the wasm and inflated
    # the snapshot for it meanwhile (check: from the snapshot), which is gone once Pyodide is ready.
    assert len(tab.workers) == 2 and tab.workers[0] == tab.workers[1], tab.workers
    assert tab.workers[0].startswith("blob:")
    tab.page.wait_for_function("() => true")  # one more round trip for the helper's close event
    assert len(tab.page.workers) == 1
    check(got, content)
    assert json.loads(tab.page.text_content("#out"))["total"][0]["amount"] == "285.00"


# The first worker a page from disk makes is the helper (runtime.js startFileWorker): this one
# throws as it starts instead.
BREAK_THE_HELPER = """(() => {
  const Native = window.Worker;
  let made = 0;
  window.Worker = function (url, options) {
    made += 1;
    if (made > 1) return new Native(url, options);
    const broken = new Blob(["throw new Error('the helper, broken by the test')"], {type: "text/javascript"});
    return new Native(URL.createObjectURL(broken), options);
  };
})();"""


def test_file_without_its_helper_worker_the_page_starts_pyodide_itself(watched, content):
    """If the helper worker fails, Pyodide's worker has no wasm and stops; the page then starts
    Pyodide on its own thread from the same bundle, with the same results."""
    tab = watched("file")
    tab.page.add_init_script(BREAK_THE_HELPER)
    tab.page.goto(tab.base + "post/en/wizard.html")
    how = tab.page.evaluate("WizardRuntime.start().then(a => ({mode: a.mode, workerError: a.workerError}))")
    assert how["mode"] == "main" and "the helper worker" in how["workerError"], how
    got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, None])
    check(got, content)


def test_file_on_the_main_thread_matches_cpython(watched, content):
    """Where a browser starts no worker from a page on disk, the same bundle runs on the page."""
    tab = watched("file")
    tab.page.goto(tab.base + "post/en/wizard.html")
    got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, "main"])
    assert got["mode"] == "main"
    assert tab.workers == []
    check(got, content)


def test_http_falls_back_to_the_main_thread_when_the_worker_fails(watched, http_base, content):
    tab = watched("http")
    tab.context.route("**/worker.mjs", lambda route: route.fulfill(status=404, body="gone"))
    tab.page.goto(http_base + "post/en/wizard.html")
    got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, None])
    assert got["mode"] == "main"
    check(got, content)
    assert "could not load" in tab.page.evaluate("WizardRuntime.start().then(api => api.workerError)")
    tab.expect("failed request", r"/_wizard/worker\.mjs")
    tab.expect("console warning", r"^WizardRuntime: worker failed, running Pyodide on the main thread")


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_a_runtime_that_cannot_start_rejects_cleanly(watched, scheme):
    tab = watched(scheme)
    tab.page.goto(tab.base + "post/en/wizard.html")
    message = tab.page.evaluate("""() => WizardRuntime.start({base: "../../missing/", timeout: 20000})
        .then(() => "started?!", (e) => (e instanceof Error) + ": " + e.message)""")
    assert message.startswith("true: ") and "missing" in message, message
    # What the browser itself says about the missing files; the page throws nothing.
    tab.expect("failed request", r"/missing/")
    tab.expect("console error", r"^Failed to load resource")
    if scheme == "http":  # the worker is tried first, then the main thread
        tab.expect("console warning", r"^WizardRuntime: worker failed, running Pyodide on the main thread")


@pytest.mark.parametrize(("scheme", "mode"), [("http", "worker"), ("file", "worker")])
def test_the_selftest_page_reports_ready(watched, scheme, mode):
    tab = watched(scheme)
    tab.page.goto(tab.base + "_wizard/selftest.html")
    tab.page.wait_for_function("() => window.selftestReport", timeout=60000)
    report = tab.page.evaluate("window.selftestReport")
    assert report["mode"] == mode and report["start"] == "snapshot" and "error" not in report, report
    assert "Ready" in tab.page.text_content("#status")


def test_a_server_sending_the_wasm_with_another_type_still_works(watched, http_base, site, content):
    tab = watched("http")
    wasm = (site / "_wizard" / "pyodide.asm.wasm").read_bytes()
    routed = []

    def octet_stream(route):
        routed.append(route.request.url)
        route.fulfill(status=200, body=wasm, content_type="application/octet-stream")

    tab.context.route("**/pyodide.asm.wasm", octet_stream)
    tab.page.goto(http_base + "post/en/wizard.html")
    got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, None])
    assert routed and got["mode"] == "worker"
    check(got, content)


def test_the_build_ships_a_snapshot_described_by_the_manifest(site):
    manifest = json.loads((site / "_wizard" / "manifest.json").read_text(encoding="utf-8"))
    layout = manifest["snapshot"]
    assert layout["file"] == "snapshot.bin" and layout["script"] == "runtime-snapshot.js"
    raw = gzip.decompress((site / "_wizard" / "snapshot.bin").read_bytes())
    assert len(raw) == sum(end - start for start, end in layout["ranges"]) < layout["size"]
    assert 0 < layout["lo"] < layout["hi"] <= layout["size"] - layout["header"]
    # From disk the same bytes, each a windows-1252 character of a string literal (some escaped).
    script = (site / "_wizard" / "runtime-snapshot.js").read_bytes()
    literal = script[script.index(b'"data": "') + len(b'"data": "') : script.rindex(b'"}')]
    escapes = {b"x00": b"\0", b"n": b"\n", b"r": b"\r", b'"': b'"', b"\\": b"\\"}
    unescaped = re.sub(rb"\\(x00|n|r|\"|\\)", lambda m: escapes[m.group(1)], literal)
    assert unescaped == (site / "_wizard" / "snapshot.bin").read_bytes()


@pytest.mark.parametrize("problem", ["missing", "corrupt"])
def test_http_without_a_usable_snapshot_starts_normally(watched, http_base, site, content, problem):
    tab = watched("http")
    packed = (site / "_wizard" / "snapshot.bin").read_bytes()
    if problem == "missing":
        tab.context.route("**/_wizard/snapshot.bin", lambda route: route.fulfill(status=404, body="gone"))
    else:
        tab.context.route("**/_wizard/snapshot.bin", lambda route: route.fulfill(status=200, body=corrupt(packed)))
    tab.page.goto(http_base + "post/en/wizard.html")
    got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, None])
    assert got["mode"] == "worker"
    check(got, content, start="normal")
    if problem == "missing":
        assert "snapshot.bin: HTTP 404" in got["snapshotError"]
        tab.expect("failed request", r"/_wizard/snapshot\.bin")
    else:
        assert got["snapshotError"]


@pytest.mark.parametrize("problem", ["missing", "corrupt"])
@pytest.mark.parametrize("mode", [None, "main"])
def test_file_without_a_usable_snapshot_starts_normally(browser, broken_sites, content, problem, mode):
    tab = Tab(browser, broken_sites[problem].resolve().as_uri() + "/")
    try:
        tab.page.goto(tab.base + "post/en/wizard.html")
        got = tab.page.evaluate(RUN_CASES, [CASES, STEPS, ON, mode])
        assert got["mode"] == (mode or "worker")
        check(got, content, start="normal")
        if problem == "missing":
            assert "runtime-snapshot.js" in got["snapshotError"]
            tab.expect("failed request", r"/_wizard/runtime-snapshot\.js")
            tab.expect("console error", r"^Failed to load resource: net::ERR_FILE_NOT_FOUND")
        else:
            assert got["snapshotError"]
    finally:
        tab.close()


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_snapshot_0_in_the_address_starts_normally(watched, scheme):
    tab = watched(scheme)
    tab.page.goto(tab.base + "_wizard/selftest.html?snapshot=0")
    tab.page.wait_for_function("() => window.selftestReport", timeout=60000)
    report = tab.page.evaluate("window.selftestReport")
    assert report["start"] == "normal" and "turned off" in report["snapshot_error"], report
