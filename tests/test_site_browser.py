"""The built site in a real browser (Debian's Chromium via Playwright): pages load over http and
file:// with no request leaving the site, the language switcher, search from file://, axe-core,
print styles. Uses the session's one build (site_helpers.shared_site).
"""

from pathlib import Path

import pytest

from site_helpers import ROOT, html_pages, http_server, shared_site

LANGUAGES = ["nl", "fr", "de", "en"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A word of the passport procedure's title, as a visitor would type it, per language.
SEARCH = {
    "nl": ("paspoort", "passport.html"),
    "fr": ("passeport", "passport.html"),
    "de": ("reisepass", "passport.html"),
    "en": ("passport", "passport.html"),
}


@pytest.fixture(scope="session")
def site():
    return shared_site()[0]


@pytest.fixture(scope="session")
def base_http(site):
    with http_server(site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def file_url(path):
    return Path(path).resolve().as_uri()


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_every_page_loads_with_no_failed_or_outside_request_and_axe_finds_nothing(site, base_http, browser, scheme):
    """The quality sweep: every built page of every post and language.

    Over http every page is loaded and checked by axe-core (WCAG 2.1 A and AA); from disk every
    page except the wizard's no-JS step pages in three of the four languages (they come from the
    same template as the English ones, which are loaded).
    """
    base = base_http if scheme == "http" else file_url(site) + "/"
    problems, refused, violations = [], [], {}
    context = browser.new_context()
    if scheme == "http":
        context.add_init_script(path=str(AXE))
    page = context.new_page()

    def failed(request):
        if "ERR_ABORTED" in (request.failure or ""):
            return  # a load still under way when the test moves on to the next page
        if scheme == "file" and request.resource_type in ("xhr", "fetch"):
            refused.append(request.url)  # browsers refuse fetch() on file://; checked below
            return
        problems.append(f"failed: {request.url} ({request.failure})")

    page.on("requestfailed", failed)
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.on(
        "request",
        lambda r: (
            r.url.startswith(base)
            or r.url.startswith(("data:", "blob:", "about:"))
            or problems.append(f"outside the site: {r.url}")
        ),
    )
    pages = html_pages(site)
    if scheme == "file":
        pages = [
            p for p in pages if "wizard" not in p.relative_to(site).parts[2:3] or p.relative_to(site).parts[1] == "en"
        ]
    for path in pages:
        response = page.goto(base + path.relative_to(site).as_posix(), wait_until="load")
        assert response is None or response.ok, path
        assert page.title(), path
        if scheme == "http":
            found = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                ".then(r => r.violations.map(v => v.id + ' ' + v.nodes.map(n => n.target).join(' ')))",
                WCAG,
            )
            if found:
                violations[path.relative_to(site).as_posix()] = found
    context.close()
    assert not problems, "\n".join(problems[:20])
    assert not violations, "\n".join(f"{k}: {v}" for k, v in list(violations.items())[:20])
    assert len(pages) > (300 if scheme == "http" else 150)
    # What Material fetches (sitemap.xml beside each hreflang link) exists; only file:// refuses it.
    for url in set(refused):
        assert url.endswith("/sitemap.xml") and (site / url[len(base) :]).is_file(), url


@pytest.mark.parametrize("target", LANGUAGES)
def test_the_language_switcher_lands_on_the_same_page(site, page, target):
    source = "nl" if target != "nl" else "fr"
    page.goto(file_url(site / "astana" / source / "passport.html"))
    page.hover(".md-header__option .md-select")
    page.locator(f'a.md-select__link[hreflang="{target}"]').click()
    page.wait_for_load_state()
    assert page.url == file_url(site / "astana" / target / "passport.html")
    assert page.locator("html").get_attribute("lang") == target


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_a_procedure_from_file(site, page, lang):
    word, expected = SEARCH[lang]
    page.goto(file_url(site / "oslo" / lang / "index.html"))
    box = page.locator("input.md-search__input")
    box.click()
    box.type(word, delay=20)
    page.locator(".md-search-result__list a").first.wait_for(state="visible", timeout=15000)
    hits = page.eval_on_selector_all(".md-search-result__list a", "links => links.map(a => a.href)")
    wanted = [h for h in hits if h.split("#")[0].endswith("/" + expected)]
    assert wanted, hits
    page.locator(f'.md-search-result__list a[href="{_relative_href(page, wanted[0])}"]').first.click()
    page.wait_for_load_state()
    assert page.url.split("#")[0] == file_url(site / "oslo" / lang / expected)


def _relative_href(page, absolute):
    """The href attribute (as written in the page) of the result link whose URL is `absolute`."""
    return page.evaluate(
        "url => [...document.querySelectorAll('.md-search-result__list a')]"
        ".find(a => a.href === url).getAttribute('href')",
        absolute,
    )


PAGE_TYPES = {
    "home": "astana/{lang}/index.html",
    "procedure": "astana/{lang}/passport.html",
    "procedure-municipality": "example-municipality/{lang}/travel-document.html",
    "fees": "oslo/{lang}/fees.html",
    "wizard": "example-municipality/{lang}/wizard-travel-document.html",
    "404": "oslo/{lang}/404.html",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_wcag_a_or_aa_violation(site, page, lang):
    found = {}
    targets = {kind: pattern.format(lang=lang) for kind, pattern in PAGE_TYPES.items()}
    if lang == LANGUAGES[0]:
        targets["root"] = "index.html"
    for _kind, relative in targets.items():
        page.goto(file_url(site / relative))
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        if violations:
            found[relative] = violations
    assert not found, found


def test_printing_shows_the_content_as_a_checklist_without_navigation(site, page):
    page.goto(file_url(site / "example-municipality" / "en" / "travel-document.html"))
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-footer", ".md-sidebar--primary", ".md-search"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("ul.checklist li").first.is_visible()
    box = page.evaluate("getComputedStyle(document.querySelector('ul.checklist li'), '::before').content")
    assert "\u2610" in box
