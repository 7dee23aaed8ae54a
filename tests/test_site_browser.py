"""The built site in a real browser (Debian's Chromium via Playwright), each test in a tab of
browser_checks.Tab, which fails it on any console error, uncaught exception, CSP violation,
dialog or request leaving the site.

Every page of every kind is opened over http on a 320 px phone (and must not scroll sideways
there), with JavaScript on one page of each kind per language, and each kind of page per language
from disk (file://) on a desktop's screen; the language switcher, search over http and from disk, axe-core
once per kind of page and language, print styles. The slow sweeps (`pytest -m slow`, run by the
pull-request workflow): axe over every page, every page at 320 px (the wizard's hundreds of answer
pages too), JavaScript on every page of every kind, post and language over http and from disk. Uses the run's one build
(site_helpers.shared_site).
"""

import re
from pathlib import Path

import pytest

from browser_checks import Tab, axe
from pipeline import layout
from pipeline.screenshots import key_pages
from site_helpers import html_pages, http_server, shared_site
from wizard.paths import all_prefixes

LANGUAGES = ["nl", "fr", "de", "en"]
# A word of the passport procedure's title, as a visitor would type it, per language.
SEARCH = {
    "nl": ("paspoort", "passport.html"),
    "fr": ("passeport", "passport.html"),
    "de": ("reisepass", "passport.html"),
    "en": ("passport", "passport.html"),
}
# One page of each kind the build makes, per language (axe checks the templates, not the content).
PAGE_KINDS = {
    "home": "astana/{lang}/index.html",
    "procedure": "astana/{lang}/passport.html",
    "procedure-municipality": "example-municipality/{lang}/travel-document.html",
    "fees": "oslo/{lang}/fees.html",
    "editors": "oslo/{lang}/editors.html",
    "wizard start": "example-municipality/{lang}/wizard-travel-document.html",
    "no-JS question step": "example-municipality/{lang}/wizard/travel-document/status=stateless,age=minor-12-17.html",
    "no-JS result step": (
        "example-municipality/{lang}/wizard/travel-document/status=stateless,age=minor-12-17,speed=super-urgent.html"
    ),
    "404": "oslo/{lang}/404.html",
}
INTERACTIVE_WIZARD = "#wizard.wizard--interactive #wizard-main"
# A wizard's start page (the interactive wizard), e.g. astana/en/wizard-passport.html.
WIZARD_START = re.compile(r"^[^/]+/[^/]+/wizard-[^/]+\.html$")


@pytest.fixture(scope="session")
def site():
    return shared_site()[0]


@pytest.fixture(scope="session")
def base_http(site):
    with http_server(site) as url:
        yield url


@pytest.fixture
def bases(site, base_http):
    return {"http": base_http, "file": file_url(site) + "/"}


@pytest.fixture
def tab(browser, bases):
    opened = []

    def make(scheme):
        opened.append(Tab(browser, bases[scheme]))
        return opened[-1]

    yield make
    for t in opened:
        t.close()


def file_url(path):
    return Path(path).resolve().as_uri()


# The pages are opened in parts that the test workers share out.
HTTP_PARTS = 2
# A phone's screen: every page over http is opened at this size.
PHONE = {"width": 320, "height": 640}


def pages_of_every_kind(site, content):
    """Every page of the site but the wizard's answer pages (all made by one function): of those,
    per post, language and procedure, the first question's answer page and the longest path's result
    (pipeline/screenshots.key_pages)."""
    pages = [p.relative_to(site).as_posix() for p in html_pages(site)]
    chosen = [p for p in pages if "wizard" not in p.split("/")[2:3]]
    for post_id, post in content.posts.items():
        for lang in LANGUAGES:
            for pid in post["procedures"]:
                first = all_prefixes(content.procedures[pid], content.on)[1]
                chosen.append(layout.post_page(post_id, lang, layout.wizard_page(pid, first)))
            chosen += [
                layout.post_page(post_id, lang, page)
                for name, page in key_pages(content, post_id)
                if name.endswith("-result")
            ]
    assert set(chosen) <= set(pages), sorted(set(chosen) - set(pages))
    return sorted(set(chosen))


def pages_of_each_kind():
    """One page of each kind per language (PAGE_KINDS, the pages axe checks) and the root page."""
    return ["index.html"] + [pattern.format(lang=lang) for lang in LANGUAGES for pattern in PAGE_KINDS.values()]


def open_each(t, pages):
    """Open each page (relative to the tab's base) as a visitor does; the tab records any problem."""
    for relative in pages:
        response = t.page.goto(t.base + relative, wait_until="load")
        assert response is None or response.ok, relative
        assert t.page.title(), relative


def phone_sweep(site, browser, base_http, part, parts, plain, scripted):
    """Open pages over http at 320 px, one `part` of `parts`: those in `plain` without JavaScript
    (which still loads everything a page holds: a text's width, a link or an image that would leave
    the site, a style the policy refuses), those in `scripted` with it; [(page, width)] of those
    that scroll sideways. Each (post, procedure)'s start page in one language (another one for
    each procedure) is opened with JavaScript too, and waits until the interactive wizard has drawn
    its first question: the runtime draws it with the same Python and the same words as the page's
    own first question."""
    pages = [p.relative_to(site).as_posix() for p in html_pages(site)]
    assert len(pages) > 500
    starts = [p for p in pages if WIZARD_START.search(p)]
    interactive = {
        min(group, key=lambda p, n=n: (p.split("/")[1] != LANGUAGES[n % len(LANGUAGES)], p))
        for n, group in enumerate(_by_post_and_procedure(starts))
    }
    scripted = set(scripted) | interactive
    assert scripted | set(plain) <= set(pages), sorted(scripted | set(plain) - set(pages))
    # The start pages (each starts the runtime with JavaScript) are shared out evenly between the parts.
    ordered = [p for p in pages if p not in starts] + starts
    wide = []
    for javascript, wanted in ((True, scripted), (False, set(plain))):
        chosen = [p for p in ordered if p in wanted][part::parts]
        t = Tab(browser, base_http, javascript=javascript, viewport=PHONE)
        for relative in chosen:
            open_each(t, [relative])
            if javascript and relative in interactive:
                t.page.wait_for_selector("#wizard.wizard--interactive", timeout=90_000)
            fits = t.page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            if not fits:
                wide.append((relative, t.page.evaluate("() => document.documentElement.scrollWidth")))
        t.close()
    return wide


@pytest.mark.parametrize("part", range(HTTP_PARTS))
def test_every_kind_of_page_opens_with_no_console_error_csp_violation_or_outside_request_and_fits_a_phone(
    site, browser, base_http, content, part
):
    """Every page of every kind, post and language over http, on a 320 px wide phone: the tab
    fails on any problem, and no page scrolls sideways (the editors' wide diagrams scroll inside
    their own box). One part of the pages per test.

    Every page but the wizard's answer pages is opened without JavaScript (as a visitor without it
    gets it; it still loads everything it holds, at a fraction of the cost), and so are, of those
    hundreds of answer pages (made by one function from one template), each post, language and
    procedure's first question and longest path's result (pages_of_every_kind). With JavaScript:
    one page of each kind per language (the templates Material's scripts and the wizard's front end
    run on, as for axe) and one start page per post and procedure, which waits for the interactive
    wizard's first question. Every page, and every page of every kind with JavaScript, is the slow
    sweep below (`pytest -m slow`), which the pull-request workflow runs."""
    plain = set(pages_of_every_kind(site, content)) | set(pages_of_each_kind())
    wide = phone_sweep(site, browser, base_http, part, HTTP_PARTS, plain, pages_of_each_kind())
    assert not wide, wide


@pytest.mark.slow
def test_every_page_opens_on_a_phone_and_every_page_of_every_kind_with_javascript(site, browser, base_http, content):
    """The slow sweep: every page without JavaScript (the wizard's hundreds of answer pages too), and
    with JavaScript every page but those answer pages (of them, per post, language and procedure,
    the first question's answer page and the longest path's result)."""
    every = [p.relative_to(site).as_posix() for p in html_pages(site)]
    wide = phone_sweep(site, browser, base_http, 0, 1, every, pages_of_every_kind(site, content))
    assert not wide, wide


def _by_post_and_procedure(starts):
    """The wizards' start pages grouped by post and procedure: [[one page per language], ...]."""
    groups = {}
    for page in starts:
        post, _, name = page.split("/")
        groups.setdefault((post, name), []).append(page)
    return [groups[key] for key in sorted(groups)]


def test_every_kind_of_page_opens_from_disk_with_no_console_error_csp_violation_or_outside_request(
    site, browser, content
):
    """From disk (file://), JavaScript on, a desktop's screen: one page of each kind per language
    (the templates the scripts run on, as for axe); the tab fails on any problem. Every page of every
    kind, post and language from disk: the slow sweep below."""
    t = Tab(browser, file_url(site) + "/")
    pages = pages_of_each_kind()
    assert all((site / relative).is_file() for relative in pages), pages
    open_each(t, pages)
    t.close()


@pytest.mark.slow
def test_every_page_of_every_kind_opens_from_disk(site, browser, content):
    t = Tab(browser, file_url(site) + "/")
    pages = pages_of_every_kind(site, content)
    assert len(pages) > 100
    open_each(t, pages)
    t.close()


@pytest.mark.parametrize("target", LANGUAGES)
def test_the_language_switcher_lands_on_the_same_page(site, tab, target):
    source = "nl" if target != "nl" else "fr"
    t = tab("file")
    t.page.goto(file_url(site / "astana" / source / "passport.html"))
    t.page.hover(".md-header__option .md-select")
    t.page.locator(f'a.md-select__link[hreflang="{target}"]').click()
    t.page.wait_for_load_state()
    assert t.page.url == file_url(site / "astana" / target / "passport.html")
    assert t.page.locator("html").get_attribute("lang") == target


@pytest.mark.parametrize(("scheme", "lang"), [("file", lang) for lang in LANGUAGES] + [("http", "en")])
def test_search_finds_a_procedure(site, tab, scheme, lang):
    """From disk search runs in iframe-worker's hidden iframe (under the page's policy), over http in a worker."""
    word, expected = SEARCH[lang]
    t = tab(scheme)
    t.page.goto(f"{t.base}oslo/{lang}/index.html")
    box = t.page.locator("input.md-search__input")
    box.click()
    box.type(word, delay=20)
    t.page.locator(".md-search-result__list a").first.wait_for(state="visible", timeout=15000)
    hits = t.page.eval_on_selector_all(".md-search-result__list a", "links => links.map(a => a.href)")
    wanted = [h for h in hits if h.split("#")[0].endswith("/" + expected)]
    assert wanted, hits
    t.page.locator(f'.md-search-result__list a[href="{_relative_href(t.page, wanted[0])}"]').first.click()
    t.page.wait_for_load_state()
    assert t.page.url.split("#")[0] == f"{t.base}oslo/{lang}/{expected}"


def _relative_href(page, absolute):
    """The href attribute (as written in the page) of the result link whose URL is `absolute`."""
    return page.evaluate(
        "url => [...document.querySelectorAll('.md-search-result__list a')]"
        ".find(a => a.href === url).getAttribute('href')",
        absolute,
    )


def _axe_findings(t, relative):
    t.page.goto(t.base + relative)
    if "/wizard-" in relative:  # what a visitor with JavaScript sees: the interactive wizard
        t.page.wait_for_selector(INTERACTIVE_WIZARD, timeout=90_000)
    return axe(t.page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_kind_of_page(site, tab, lang):
    """axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) on one page of each kind, over http (from disk
    axe cannot read the stylesheets' rules: the browser treats each file as another origin)."""
    t = tab("http")
    targets = {kind: pattern.format(lang=lang) for kind, pattern in PAGE_KINDS.items()}
    if lang == LANGUAGES[0]:
        targets["root"] = "index.html"
    assert all((site / relative).is_file() for relative in targets.values()), targets
    found = {relative: f for relative in targets.values() if (f := _axe_findings(t, relative))}
    assert not found, found


@pytest.mark.slow
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(site, tab):
    t = tab("http")
    found = {}
    for path in html_pages(site):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("_wizard/"):
            continue  # the runtime's self-test page, for diagnostics
        findings = _axe_findings(t, relative)
        if findings:
            found[relative] = findings
    assert not found, "\n".join(f"{k}: {v}" for k, v in list(found.items())[:20])


def test_printing_shows_the_content_as_a_checklist_without_navigation(site, tab):
    t = tab("file")
    t.page.goto(file_url(site / "example-municipality" / "en" / "travel-document.html"))
    t.page.emulate_media(media="print")
    for selector in (".md-header", ".md-footer", ".md-sidebar--primary", ".md-search"):
        assert not t.page.locator(selector).first.is_visible(), selector
    assert t.page.locator("ul.checklist li").first.is_visible()
    box = t.page.evaluate("getComputedStyle(document.querySelector('ul.checklist li'), '::before').content")
    assert "\u2610" in box
