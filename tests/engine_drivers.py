"""Firefox and WebKit for the browser tests and benchmarks, from Debian's packages, nothing downloaded.

    firefox(visits)            Firefox ESR through WebDriver BiDi: npm puppeteer-core launches
                               /usr/bin/firefox-esr (tests/engines/firefox.mjs does the visits)
    WebKit()                   WebKitGTK through Selenium and WebKitWebDriver, under xvfb-run;
                               webkit.visit(visit) -> the same report as Firefox's
    recorded_copy(site, dest)  a copy of a site whose every page runs tests/engines/recorder.js
                               first: WebKitWebDriver reports no console, the page records itself

A visit is a dict: {"name", "url", "bases": [addresses the page may load from], "javascript":
true|false, "follow": [[selector, text] of links to click first], "steps": [{"choose": option label, "continue":
button label}] with JavaScript, [{"link": option label}] without}. Its report: {"name", "error"?,
"heading", "total", "result", "url", "scripted" (Material's script ran), "ready" (ms from navigation
start to the interactive wizard's first step), "longest" (longest main-thread stall meanwhile, ms),
"steps" (ms from each answer's submit to the next step on the page), "problems": [[kind, text, where]]}.
A visit with "probe": name (benchmarks) only waits for the page's window[name] and reports it as
"probe".
`problems` uses the kinds of tests/browser_checks.py; a test fails on any of them.
A browser that is missing is an error (pytest.fail in the tests), never a skip.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = Path(__file__).resolve().parent / "engines"
RECORDER = ENGINES / "recorder.js"
RECORDER_NAME = "__engine-recorder.js"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
XVFB_RUN = "/usr/bin/xvfb-run"
# The browser WebKitWebDriver starts (Debian's webkit2gtk-driver depends on it); the --automation
# flag is what WebKitWebDriver passes itself, settings such as --enable-javascript follow it.
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
TIMEOUT_S = 90
# Warnings the browsers log about themselves rather than about the page.
BROWSER_WARNINGS = ()


class BrowserMissing(Exception):
    """Raised when a browser or its driver is not installed (`./run.sh test` installs them)."""


def require(*paths):
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise BrowserMissing(
            f"{', '.join(missing)} not installed: ./run.sh test installs Debian's firefox-esr, "
            "webkit2gtk-driver and xvfb (apt-get)"
        )


# --- Firefox ------------------------------------------------------------------------------------


def firefox(visits, timeout_ms=TIMEOUT_S * 1000):
    """Run `visits` in Firefox ESR (one browser for those with JavaScript, one for those without)."""
    require(FIREFOX, ROOT / "node_modules" / "puppeteer-core")
    job = {
        "executable": FIREFOX,
        "recorder": RECORDER.read_text(encoding="utf-8"),
        "visits": visits,
        "timeout": timeout_ms,
        "browserWarnings": list(BROWSER_WARNINGS),
    }
    proc = subprocess.run(
        ["node", str(ENGINES / "firefox.mjs")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout_ms / 1000 * (len(visits) + 2),
    )
    if proc.returncode != 0:
        raise RuntimeError(f"tests/engines/firefox.mjs failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


# --- WebKit -------------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebKit:
    """WebKitWebDriver under xvfb-run (its own X display), driven by Selenium; one session at a time.

    `javascript=False` starts MiniBrowser with scripts off (a WebKit setting on its command line).
    """

    def __init__(self, javascript=True):
        require(WEBKIT_DRIVER, XVFB_RUN, MINIBROWSER)
        from selenium import webdriver
        from selenium.webdriver.remote.client_config import ClientConfig
        from selenium.webdriver.webkitgtk.options import Options

        self.javascript = javascript
        self.port = _free_port()
        # A session of its own (start_new_session): stop() ends the driver, Xvfb and the browser together.
        self.process = subprocess.Popen(
            [XVFB_RUN, "-a", WEBKIT_DRIVER, f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        if not javascript:
            options.add_argument("--enable-javascript=false")
        # Selenium waits on the driver forever by default (the socket's default timeout): a
        # WebKitWebDriver that stops answering once held a CI run for ten minutes. With a bound,
        # every command that hangs fails the visit with a timeout instead.
        address = f"http://127.0.0.1:{self.port}"
        config = ClientConfig(remote_server_addr=address, timeout=TIMEOUT_S + 30)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            try:
                with warnings.catch_warnings():  # Selenium's own use of its deprecated remote_server_addr
                    warnings.simplefilter("ignore", DeprecationWarning)
                    self.driver = webdriver.Remote(address, options=options, client_config=config)
                break
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.3)
        self.driver.set_page_load_timeout(TIMEOUT_S)
        self.driver.set_script_timeout(TIMEOUT_S)
        self.version = self.driver.capabilities.get("browserVersion")

    def stop(self):
        with contextlib.suppress(Exception):
            self.driver.quit()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # --- a visit ---------------------------------------------------------------------------------

    def _wait(self, script, *args, timeout=TIMEOUT_S):
        deadline = time.monotonic() + timeout
        while True:
            value = self.driver.execute_script(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for: {script}")
            time.sleep(0.02)

    def _click(self, selector, text):
        found = self.driver.execute_script(
            """const [selector, text] = arguments;
               const e = [...document.querySelectorAll(selector)].find((e) => e.textContent.trim() === text);
               if (e) { e.scrollIntoView({block: "center"}); } return e || null;""",
            selector,
            text,
        )
        if found is None:
            raise LookupError(f"nothing reads {text!r} in {selector} on {self.driver.current_url}")
        found.click()

    def _follow(self, selector, text):
        before = self.driver.current_url
        self._click(selector, text)
        self._wait("return location.href !== arguments[0] && document.readyState === 'complete'", before)

    def _problems(self, visit, problems):
        if not self.javascript:
            return
        found = self.driver.execute_script("return window.__problems || null")
        if found is None:
            problems.append(["exception", "the recorder did not run (is this a recorded_copy?)", visit["url"]])
            return
        problems.extend(found)
        for url in self.driver.execute_script("return window.__resources()"):
            if not inside(url, visit["bases"]):
                problems.append(["outside request", url, self.driver.current_url])

    def visit(self, visit):
        assert (visit.get("javascript", True) is not False) == self.javascript, "a WebKit session is for one setting"
        out, problems = {"name": visit["name"]}, []
        try:
            self.driver.get("about:blank")
            self.driver.get(visit["url"])
            if visit.get("probe"):
                out["probe"] = self._wait("return window[arguments[0]]", visit["probe"])
                out["problems"] = problems
                return out
            for selector, text in visit.get("follow", []):
                self._problems(visit, problems)
                self._follow(selector, text)
            if self.javascript:
                out["ready"] = self._wait("return window.__wizardReady")
                out["longest"] = self.driver.execute_script("return window.__longestTask")
                for step in visit.get("steps", []):
                    before = self.driver.execute_script("return document.getElementById('wizard-heading').textContent")
                    self._click("#wizard-main label", step["choose"])
                    self._click("#wizard-main button", step["continue"])
                    self._wait(
                        """const h = document.getElementById('wizard-heading');
                           return h && h.textContent !== arguments[0]
                                  && document.getElementById('wizard').classList.contains('wizard--interactive');""",
                        before,
                    )
                out["steps"] = self.driver.execute_script("return window.__stepTimes")
            else:
                for step in visit.get("steps", []):
                    self._follow(".wizard-options a", step["link"])
            out.update(
                self.driver.execute_script(
                    """const text = (s) => { const e = document.querySelector(s);
                                             return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null; };
                       return {heading: text('#wizard-heading'), total: text('.wizard-total'),
                               result: text('.wizard-result'), url: location.href,
                               scripted: document.documentElement.classList.contains('js')};"""
                )
            )
            self._problems(visit, problems)
        except Exception as error:  # reported with the visit, as Firefox's are
            out["error"] = f"{type(error).__name__}: {error}"
        out["problems"] = problems
        return out


def inside(url, bases):
    return url.startswith(("data:", "blob:", "about:", *bases))


# --- a site whose pages record their own problems ---------------------------------------------


def recorded_copy(site, dest):
    """A copy of `site` in `dest` (files hard-linked where possible) whose every HTML page loads
    tests/engines/recorder.js first, right after <meta charset>, before the page's policy."""
    site, dest = Path(site), Path(dest)
    charset = '<meta charset="utf-8">'
    for path in sorted(site.rglob("*")):
        target = dest / path.relative_to(site)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".html":
            page = path.read_text(encoding="utf-8")
            depth = len(path.relative_to(site).parts) - 1
            tag = f'{charset}<script src="{"../" * depth}{RECORDER_NAME}"></script>'
            if charset in page:
                page = page.replace(charset, tag, 1)
            target.write_text(page, encoding="utf-8")
        else:
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)
    shutil.copyfile(RECORDER, dest / RECORDER_NAME)
    return dest
