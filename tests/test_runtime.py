"""The wizard's browser runtime (wizard/web/runtime.js, installed by pipeline/runtime.py) in real
Chromium: over http Pyodide runs in a module worker, over file:// on the main thread; both give
exactly the CPython engine's results; no request leaves the site; failures are values or clean
rejections, never uncaught errors.

One runtime install and one browser for the module; each test gets a fresh browser context.
"""

import json

import pytest

from pipeline.runtime import install_runtime
from static_server import serve
from wizard.engine import evaluate
from wizard.present import describe_outcome, describe_question

ON = "2026-12-01"
CASES = [
    ("travel-document", {"status": "stateless", "age": "2012-05-01", "speed": "super-urgent"}),
    ("travel-document", {"status": "stateless", "age": "minor-12-17", "speed": "super-urgent"}),
    ("passport", {"registered": "no"}),
    ("passport", {"registered": "maybe"}),  # not an option: an error value
    ("travel-document", {"status": "refugee"}),  # a next question
    ("travel-document", {"status": "stateless", "age": "2030-01-01"}),  # born after `on`: error value
]
# A page two folders below the site root, like site/<post>/<lang>/wizard-x.html: runtime.js finds
# _wizard/ from its own <script src>, no base option.
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>runtime test</title></head>
<body><p id="out">waiting</p><script src="../../_wizard/runtime.js"></script></body></html>
"""
RUN_CASES = """async ([cases, on, mode]) => {
  const api = await WizardRuntime.start(mode ? {mode} : {});
  const results = [];
  for (const [pid, answers] of cases) results.push(await api.evaluate(pid, answers, on));
  const described = await api.describe(cases[0][0], results[0], "en");
  const question = await api.describe(cases[4][0], results[4], "fr");
  document.getElementById("out").textContent = JSON.stringify(results[0]);
  return {mode: api.mode, procedures: api.procedures, results, described, question,
          unknown: await api.call("no-such-entry", {}),
          noProcedure: await api.evaluate("no-such-procedure", {}, on)};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, procedures, root):
    site = tmp_path_factory.mktemp("runtime-site")
    info = install_runtime(site, procedures, root, cache_dir=root / ".build" / "runtime")
    assert info["variant"] == "optimised"
    page = site / "post" / "en" / "wizard.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def http_base(site):
    with serve(site) as server:
        yield server.url


class Watched:
    """A fresh context whose every request and uncaught page error is recorded."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.requests, self.errors, self.workers = [], [], []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("worker", lambda w: self.workers.append(w.url))

    def outside(self, allowed_prefix):
        return [
            u
            for u in self.requests
            if not (u.startswith(allowed_prefix) or u.startswith("blob:") or u.startswith("data:"))
        ]


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.context.close()


def expected(procedures):
    results = [evaluate(procedures[pid], answers, ON) for pid, answers in CASES]
    return (
        results,
        describe_outcome(procedures[CASES[0][0]], results[0], "en"),
        describe_question(procedures[CASES[4][0]], results[4]["question"], "fr"),
    )


def check(got, procedures):
    results, described, question = expected(procedures)
    assert got["results"] == results
    assert results[0]["total"] == [{"currency": "EUR", "amount": "285.00"}]
    assert results[0]["answers"]["age"] == results[1]["answers"]["age"] == "minor-12-17"
    assert results[0]["exact"] == {"age": "2012-05-01"}
    assert results[2]["route"] == "register-first"
    assert results[3]["status"] == results[5]["status"] == "error"
    assert got["described"] == json.loads(json.dumps(described))
    assert got["question"] == question
    assert got["unknown"]["status"] == got["noProcedure"]["status"] == "error"
    assert sorted(got["procedures"]) == sorted(procedures)


def test_http_runs_in_a_worker_and_matches_cpython(watched, http_base, procedures):
    watched.page.goto(http_base + "post/en/wizard.html")
    got = watched.page.evaluate(RUN_CASES, [CASES, ON, None])
    assert got["mode"] == "worker"
    assert watched.workers == [http_base + "_wizard/worker.mjs"]
    check(got, procedures)
    assert watched.errors == []
    assert watched.outside(http_base) == []
    # The worker's own fetches are seen too (so the check above covers them).
    assert http_base + "_wizard/stdlib.zip" in watched.requests


def test_file_runs_on_the_main_thread_and_matches_cpython(watched, site, procedures):
    site_url = site.resolve().as_uri() + "/"
    watched.page.goto(site_url + "post/en/wizard.html")
    got = watched.page.evaluate(RUN_CASES, [CASES, ON, None])
    assert got["mode"] == "main"
    assert watched.workers == []
    check(got, procedures)
    assert json.loads(watched.page.text_content("#out"))["total"][0]["amount"] == "285.00"
    assert watched.errors == []
    assert watched.outside(site_url) == []


def test_http_falls_back_to_the_main_thread_when_the_worker_fails(watched, http_base, procedures):
    watched.context.route("**/worker.mjs", lambda route: route.fulfill(status=404, body="gone"))
    watched.page.goto(http_base + "post/en/wizard.html")
    got = watched.page.evaluate(RUN_CASES, [CASES, ON, None])
    assert got["mode"] == "main"
    check(got, procedures)
    assert watched.errors == []


def test_a_runtime_that_cannot_start_rejects_cleanly(watched, http_base, site):
    for url in (http_base + "post/en/wizard.html", site.resolve().as_uri() + "/post/en/wizard.html"):
        watched.page.goto(url)
        message = watched.page.evaluate("""() => WizardRuntime.start({base: "../../missing/", timeout: 20000})
            .then(() => "started?!", (e) => (e instanceof Error) + ": " + e.message)""")
        assert message.startswith("true: ") and "missing" in message, message
    assert watched.errors == []


def test_the_selftest_page_reports_ready(watched, http_base):
    watched.page.goto(http_base + "_wizard/selftest.html")
    watched.page.wait_for_function("window.selftestReport", timeout=60000)
    report = watched.page.evaluate("window.selftestReport")
    assert report["mode"] == "worker" and "error" not in report, report
    assert "Ready" in watched.page.text_content("#status")


def test_a_server_sending_the_wasm_with_another_type_still_works(watched, http_base, site, procedures):
    wasm = (site / "_wizard" / "pyodide.asm.wasm").read_bytes()
    routed = []

    def octet_stream(route):
        routed.append(route.request.url)
        route.fulfill(status=200, body=wasm, content_type="application/octet-stream")

    watched.context.route("**/pyodide.asm.wasm", octet_stream)
    watched.page.goto(http_base + "post/en/wizard.html")
    got = watched.page.evaluate(RUN_CASES, [CASES, ON, None])
    assert routed and got["mode"] == "worker"
    check(got, procedures)
