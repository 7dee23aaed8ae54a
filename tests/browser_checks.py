"""The browser tests' one tab: it records everything that went wrong on a page, and fails on it.

    tab = Tab(browser, base)     base: the site's address (http://127.0.0.1:PORT/ or file:///…/site/)
    tab.page.goto(...)           a Playwright page, used as usual
    tab.check()                  fails the test on anything recorded (and forgets it)
    tab.close()                  closes the tab, then checks
    axe(page)                    axe-core's WCAG A/AA findings on a page (["rule: targets", ...])

What a tab records, in every frame and worker of the page:
- uncaught exceptions ("pageerror");
- console errors (a blocked request, a failed load and a refused script all log one) and console
  warnings: a warning is reported as a problem too, unless it is a known one of the browser's
  own (BROWSER_WARNINGS);
- Content-Security-Policy violations, from a `securitypolicyviolation` listener that an init
  script installs in every document before the page's own scripts run (kept in
  window.__cspViolations, and passed on at once so that none is lost when the page moves on);
- dialogs (alert, confirm, prompt), dismissed;
- requests that leave the site: anything not under `base`, data:, blob: or about:;
- requests that fail (other than a load cut short by the next navigation) or answer 400+.

A test that provokes a problem on purpose says so with `tab.expect(kind, pattern)`: the matching
problems are then allowed, and `check()` fails if the expected problem did not happen.
"""

import re
from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Kinds of problem, as they appear in a failure message.
KINDS = (
    "exception",
    "console error",
    "console warning",
    "csp violation",
    "dialog",
    "outside request",
    "failed request",
)
# Warnings Chromium logs about itself, not about the page.
BROWSER_WARNINGS = ()
RECORD_VIOLATIONS = """(() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
      directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample,
      source: event.sourceFile, line: event.lineNumber, page: String(location.href),
    };
    window.__cspViolations.push(violation);
    if (typeof window.__reportCSPViolation === "function") window.__reportCSPViolation(violation);
  });
})();"""


class Tab:
    """A fresh browser context with one page whose every problem is recorded (see the module)."""

    def __init__(self, browser, base, javascript=True, **context_options):
        self.base = base
        self.problems, self.expected = [], []
        self.requests, self.workers = [], []  # every URL asked for; every worker's URL
        self.context = browser.new_context(java_script_enabled=javascript, **context_options)
        self.context.expose_function("__reportCSPViolation", self._violation)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.context.on("request", self._request)
        self.context.on("requestfailed", self._failed)
        self.context.on("response", self._response)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self._add("exception", str(error), self.page.url))
        self.page.on("console", self._console)
        self.page.on("worker", self._worker)
        self.page.on("dialog", self._dialog)

    # --- recording -------------------------------------------------------------------------------

    def _add(self, kind, text, where):
        self.problems.append((kind, text, where))

    def _console(self, message):
        where = message.location.get("url") or self.page.url
        if message.type == "error":
            self._add("console error", message.text, where)
        elif message.type == "warning" and not any(w in message.text for w in BROWSER_WARNINGS):
            self._add("console warning", message.text, where)

    def _worker(self, worker):
        self.workers.append(worker.url)
        worker.on("console", self._console)

    def _violation(self, violation):
        blocked = violation["blocked"] or "?"
        sample = f" {violation['sample']!r}" if violation["sample"] else ""
        self._add("csp violation", f"{violation['directive']} blocked {blocked}{sample}", violation["page"])

    def _dialog(self, dialog):
        self._add("dialog", f"{dialog.type}: {dialog.message}", self.page.url)
        dialog.dismiss()

    def _request(self, request):
        self.requests.append(request.url)
        if not request.url.startswith((self.base, "data:", "blob:", "about:")):
            self._add("outside request", request.url, self.page.url)

    def _failed(self, request):
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:  # ERR_ABORTED: a load cut short by the next navigation
            self._add("failed request", f"{request.url} ({failure})", self.page.url)

    def _response(self, response):
        if response.status >= 400:
            self._add("failed request", f"{response.url} (HTTP {response.status})", self.page.url)

    # --- checking --------------------------------------------------------------------------------

    def expect(self, kind, pattern):
        """Allow problems of `kind` whose text matches `pattern` (a regex); `check()` wants one."""
        assert kind in KINDS, kind
        self.expected.append((kind, re.compile(pattern)))

    def violations(self):
        """The CSP violations recorded in the current document (window.__cspViolations)."""
        return self.page.evaluate("window.__cspViolations || []")

    def check(self):
        """Fail on any problem recorded so far that was not expected, or an expectation unmet."""
        problems, self.problems = self.problems, []
        expected, self.expected = self.expected, []
        unexpected = [p for p in problems if not any(k == p[0] and r.search(p[1]) for k, r in expected)]
        unmet = [f"{k} /{r.pattern}/" for k, r in expected if not any(k == p[0] and r.search(p[1]) for p in problems)]
        lines = [f"{kind}: {text} (on {where})" for kind, text, where in unexpected[:30]]
        assert not unexpected, f"{len(unexpected)} problem(s) in the browser:\n" + "\n".join(lines)
        assert not unmet, "expected but did not happen: " + "; ".join(unmet)

    def close(self):
        self.context.close()
        self.check()


def axe(page, tags=WCAG):
    """axe-core's findings on the page for the WCAG `tags`: ["rule-id: targets", ...].

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
    not govern (a <script> tag with its text would be refused, as any unhashed inline script).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' ')))",
        tags,
    )
