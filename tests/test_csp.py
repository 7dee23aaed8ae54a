"""The Content-Security-Policy (pipeline/csp.py): on every page the build writes, as narrow as each
kind of page allows, and shown in Chromium to refuse a script that was not the build's own.

What a visitor would notice is the last test: markup injected into a page (as a YAML text that
escaped escaping would be) runs nothing, while the page's own scripts still work.
"""

import base64
import hashlib
import re

import pytest

from browser_checks import Tab
from pipeline import layout
from site_helpers import html_pages, http_server, shared_site

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
DATA_BLOCK = re.compile(r'\btype="application/(?:ld\+)?json"')
# What an attacker's text would try, once in a page as markup.
INJECTED = (
    '<script>alert("script")</script>'
    "<svg onload=\"alert('svg')\"></svg>"
    '<a id="injected-link" href="javascript:alert(\'link\')">injected link</a>'
)


@pytest.fixture(scope="module")
def site():
    return shared_site()[0]


def kind_of(relative):
    """The kind of page at `relative` (a path below the site root)."""
    parts = relative.split("/")
    if relative == "index.html":
        return "root index"
    if relative == "_wizard/selftest.html":
        return "runtime self-test"
    if len(parts) == 3 and parts[2].startswith("wizard-"):
        return "wizard start"
    if len(parts) > 3 and parts[2] == "wizard":
        return "no-JS wizard step"
    if parts[-1] == "404.html":
        return "404"
    return "content"


def parse(policy):
    """{directive: [sources]} of a policy's text."""
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_every_page_carries_a_policy_that_allows_only_its_own_scripts(site):
    seen = set()
    for page in html_pages(site):
        relative = page.relative_to(site).as_posix()
        kind = kind_of(relative)
        seen.add(kind)
        body = page.read_text(encoding="utf-8")
        policies = META.findall(body)
        assert len(policies) == 1, relative
        # A <meta> policy covers only what follows it: it comes before any script or style.
        first = min(i for i in (body.find("<script"), body.find("<style"), body.find("<link")) if i >= 0)
        assert body.index("Content-Security-Policy") < first, relative
        policy = parse(policies[0])
        for directive in ("default-src", "object-src", "base-uri", "form-action"):
            assert policy[directive] == ["'none'"], (relative, directive)
        scripts = policy["script-src"]
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*"} & set(scripts), relative
        runs_pyodide = kind in ("wizard start", "runtime self-test")
        assert ("'wasm-unsafe-eval'" in scripts) == runs_pyodide, relative
        assert ("blob:" in scripts) == runs_pyodide == ("blob:" in policy.get("connect-src", [])), relative
        for attributes, text in INLINE_SCRIPT.findall(body):
            if DATA_BLOCK.search(attributes):  # JSON, JSON-LD: data a browser never runs, so never hashed
                assert sha256(text) not in scripts, (relative, text[:80])
            else:
                assert sha256(text) in scripts, (relative, text[:80])
        for text in STYLE.findall(body):
            assert sha256(text) in policy["style-src"], relative
        assert "'unsafe-inline'" not in policy["style-src"] and ' style="' not in body, relative
        if kind == "root index":
            assert scripts == ["'none'"]
    assert seen == {"root index", "runtime self-test", "wizard start", "no-JS wizard step", "404", "content"}


@pytest.fixture
def injected(site, tmp_path):
    """oslo/en/passport.html with INJECTED in its body, beside the real build's files (linked)."""
    source = site / "oslo" / "en"
    copy = tmp_path / "site" / "oslo" / "en"
    copy.mkdir(parents=True)
    for entry in source.iterdir():
        (copy / entry.name).symlink_to(entry)
    (tmp_path / "site" / layout.SHARED_ASSETS).symlink_to(site / layout.SHARED_ASSETS)  # the theme, once per site
    body = (source / "passport.html").read_text(encoding="utf-8")
    assert '<div class="md-content"' in body
    (copy / "injected.html").write_text(body.replace("<article", INJECTED + "<article", 1), encoding="utf-8")
    return tmp_path / "site"


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_an_injected_script_is_refused_and_the_pages_own_scripts_still_run(browser, injected, scheme):
    with http_server(injected) as base_http:
        tab = Tab(browser, base_http if scheme == "http" else injected.resolve().as_uri() + "/")
        tab.page.goto(tab.base + "oslo/en/injected.html")
        tab.page.locator("#injected-link").click()
        assert tab.page.url.endswith("/oslo/en/injected.html")
        directives = {v["directive"] for v in tab.violations()}
        assert {"script-src-elem", "script-src-attr"} <= directives, directives
        # Material's bundle (a hashed inline script and 'self' scripts) ran: the search is there.
        assert "js" in tab.page.locator("html").get_attribute("class").split()
        tab.page.locator("input.md-search__input").click()
        tab.page.locator(".md-search__output").wait_for(state="visible")
        tab.expect("csp violation", r"^script-src-elem blocked inline")
        tab.expect("csp violation", r"^script-src-attr blocked inline")
        tab.expect("console error", r"violates the following Content Security Policy directive")
        tab.close()  # and no dialog opened: a dialog is a problem the tab would report
