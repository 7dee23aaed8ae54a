"""The site as published on the web (pipeline/publish.py): its base address; what search engines
read (canonical links, descriptions, sitemap.xml with every page's alternates, robots.txt); what
hosts read (_headers, the precompressed .br and .gz files of the big ones); and the site served by a host set up as
the README says, in Chromium.

The published site is one post built once per session at the address of the host that serves it
(published_host.published_site); the site without a base address is the suite's shared build.
"""

import gzip
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import brotli
import pytest
import yaml

from browser_checks import Tab
from build import main as build_cli
from pipeline import layout, outdir
from pipeline.builds import INPUTS
from pipeline.publish import (
    COMPRESSIBLE,
    FINGERPRINTED,
    IMMUTABLE,
    NOT_FETCHED,
    PRECOMPRESS_FROM,
    REVALIDATE,
    base_address,
)
from pipeline.render import render_post
from published_host import POST, headers_rules, published_host, published_site
from site_helpers import DATE, html_pages, http_server, shared_site
from wizard.presentation import html as esc

LANGUAGES = ["nl", "fr", "de", "en"]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')
OG_URL = re.compile(r'<meta property="og:url" content="([^"]*)">')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)">')
OG_DESCRIPTION = re.compile(r'<meta property="og:description" content="([^"]*)">')
# The pages of a post that the sitemap lists, per language (not the answer pages, not the editors').
LISTED = ["index", "passport", "wizard-passport", "lost-passport", "wizard-lost-passport", "fees"]


@pytest.fixture(scope="module")
def published():
    return published_site()


def relative(site, path):
    return path.relative_to(site).as_posix()


# --- the base address ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, written",
    [
        ("https://consular.example.org", "https://consular.example.org/"),
        ("https://diplomatie.example.be/consular/procedures/", "https://diplomatie.example.be/consular/procedures/"),
        ("http://127.0.0.1:8000/preview", "http://127.0.0.1:8000/preview/"),
    ],
)
def test_a_base_address_is_kept_as_written_with_a_final_slash(given, written):
    assert base_address(given) == written


@pytest.mark.parametrize(
    "given",
    [
        "consular.example.org",
        "ftp://consular.example.org/",
        "https://consular.example.org/?lang=nl",
        "https://consular.example.org/#top",
        'https://consular.example.org/"><script>',
        "https://consular.example.org/a b",
        "javascript:alert(1)",
    ],
)
def test_what_is_not_a_base_address_is_refused_with_an_example(given):
    with pytest.raises(ValueError) as raised:
        base_address(given)
    assert str(raised.value) == (
        f"'{given}' is not a base address: write the site's address, https:// (or http://), a host name and "
        "an optional path, e.g. https://consular.example.org/procedures/"
    )


def test_build_refuses_a_base_url_that_is_not_an_address_before_building(capsys):
    with pytest.raises(SystemExit) as stopped:
        build_cli(["build", "--base-url", "consular.example.org", "--out", "/nonexistent/never-built"])
    assert stopped.value.code == 2
    assert "argument --base-url: 'consular.example.org' is not a base address" in capsys.readouterr().err


# --- what search engines read ----------------------------------------------------------------------


def test_every_page_names_its_absolute_address(published):
    site, base = published
    for page in html_pages(site):
        where = relative(site, page)
        body = page.read_text(encoding="utf-8")
        if where == "index.html":
            expected = [base]
        elif where.endswith("404.html") or where.startswith(f"{layout.RUNTIME_DIR}/"):
            expected = []  # a 404 page has no address of its own; the self-test is not content
        else:
            expected = [base + where]
        assert CANONICAL.findall(body) == expected, where
        if where != "index.html":
            assert OG_URL.findall(body) == expected, where


def test_without_a_base_address_nothing_absolute_is_written():
    site = shared_site()[0]
    for page in html_pages(site):
        body = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in body and 'property="og:url"' not in body, page
    assert not list(site.rglob("sitemap.xml*"))
    assert "Sitemap:" not in (site / "robots.txt").read_text(encoding="utf-8")


def test_every_page_describes_itself_in_its_language_for_search_results_and_shared_links(published, content):
    site, _ = published
    for page in html_pages(site):
        where = relative(site, page)
        if where.startswith(f"{layout.RUNTIME_DIR}/"):
            continue
        body = page.read_text(encoding="utf-8")
        descriptions = DESCRIPTION.findall(body)
        assert len(descriptions) == 1 and descriptions[0].strip(), where
        if where != "index.html":  # the root chooser is no page to share: no Open Graph
            assert OG_DESCRIPTION.findall(body) == descriptions, where
            assert len(OG_TITLE.findall(body)) == 1 and OG_TITLE.findall(body)[0].strip(), where
    for lang in LANGUAGES:
        words = content.words(lang)
        summary = content.procedures["passport"]["summary"][lang]
        passport = (site / POST / lang / "passport.html").read_text(encoding="utf-8")
        assert DESCRIPTION.findall(passport) == [esc(summary)]
        home = (site / POST / lang / "index.html").read_text(encoding="utf-8")
        countries = words.join([c["name"][lang] for c in content.posts[POST]["countries"]], "and")
        assert DESCRIPTION.findall(home)[0].startswith(esc(f"{words['countries']}: {countries}. "))
        fees = (site / POST / lang / "fees.html").read_text(encoding="utf-8")
        assert esc(words["fees_overview"]) in DESCRIPTION.findall(fees)[0]


def test_a_description_reaches_the_theme_escaped_once_for_the_attribute_it_lands_in(content):
    """Material prints a page's description as it gets it: the front matter holds it escaped."""
    typed = 'Fees & "documents" <b>in</b> one place'
    procedure = content.procedures["passport"]
    saved = procedure["summary"]
    procedure["summary"] = {lang: typed for lang in saved}
    try:
        markdown = render_post(content, POST, "en").pages["passport.md"]
    finally:
        procedure["summary"] = saved
    front = yaml.safe_load(markdown.split("---\n")[1])
    assert front["description"] == "Fees &amp; &quot;documents&quot; &lt;b&gt;in&lt;/b&gt; one place"


def test_a_post_may_describe_itself_for_search_results(content):
    """content/posts/<id>.yaml `description` (optional, per language) is the home page's description."""
    post = content.posts[POST]
    post["description"] = {lang: f"Passports & travel documents ({lang})" for lang in LANGUAGES}
    try:
        rendered = render_post(content, POST, "fr")
    finally:
        del post["description"]
    front = yaml.safe_load(rendered.pages["index.md"].split("---\n")[1])
    assert front["description"] == rendered.description == "Passports &amp; travel documents (fr)"


def test_the_sitemap_lists_every_page_for_search_results_with_its_alternates_in_every_language(published):
    site, base = published
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        loc = url.find(f"{SITEMAP}loc").text
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert all(link.get("rel") == "alternate" for link in url.findall(f"{XHTML}link"))
    expected = {base} | {f"{base}{POST}/{lang}/{name}.html" for lang in LANGUAGES for name in LISTED}
    assert set(entries) == expected
    assert entries.pop(base) == {}  # the chooser is one page for every language
    for loc, alternates in entries.items():
        assert (site / loc.removeprefix(base)).is_file(), loc
        name = loc.rsplit("/", 1)[1]
        assert alternates == {
            **{lang: f"{base}{POST}/{lang}/{name}" for lang in LANGUAGES},
            "x-default": f"{base}{POST}/{LANGUAGES[0]}/{name}",  # the first language is the authoritative one
        }
        for other in alternates.values():  # every alternate lists this page back
            assert entries[other] == alternates


def test_robots_txt_allows_every_page_and_names_the_sitemap(published):
    site, base = published
    assert (site / "robots.txt").read_text(encoding="utf-8") == (
        f"# Every page may be crawled and indexed.\nUser-agent: *\nDisallow:\n\nSitemap: {base}sitemap.xml\n"
    )
    assert [p for p in site.rglob("sitemap.xml*") if p.parent != site] == []  # no sitemap per build


# --- what hosts read -------------------------------------------------------------------------------


def test_the_headers_file_caches_fingerprinted_assets_for_a_year_and_revalidates_the_rest(published):
    site, _ = published
    rules = headers_rules((site / "_headers").read_text(encoding="utf-8"))
    immutable = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.suffix not in (".br", ".gz")):
        where = "/" + relative(site, path)
        headers = [(name, value) for pattern, found in rules if pattern.match(where) for name, value in found]
        names = [name for name, _ in headers]
        assert ("Content-Security-Policy", "frame-ancestors 'self'") in headers, where
        assert ("X-Content-Type-Options", "nosniff") in headers, where
        cache = [value for name, value in headers if name == "Cache-Control"]
        assert names.count("Cache-Control") <= 1, where  # a host joins the values of several rules
        if FINGERPRINTED.search(path.name):
            assert cache == [IMMUTABLE], where
            immutable += 1
        elif where.startswith(f"/{layout.RUNTIME_DIR}/"):
            assert cache == [REVALIDATE], where
        else:
            assert cache == [], where  # pages: the host's default, which revalidates
    # Material's bundle, search worker and two stylesheets, with their maps: once, in _assets/.
    assert immutable == 8


def test_every_big_text_and_wasm_file_has_a_br_and_a_gz_that_give_it_back_and_pages_have_none(published):
    site, _ = published
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix not in (".br", ".gz")]
    compressible = [p for p in files if p.suffix in COMPRESSIBLE]
    big = [p for p in compressible if p.stat().st_size >= PRECOMPRESS_FROM and relative(site, p) not in NOT_FETCHED]
    # The wizard's runtime for a site opened from disk is never sent by a host: not compressed.
    assert [name for name in NOT_FETCHED if (site / name).stat().st_size >= PRECOMPRESS_FROM]
    assert {".js", ".mjs", ".css", ".wasm"} <= {p.suffix for p in big}
    for path in big:
        data = path.read_bytes()
        br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
        assert brotli.decompress(br.read_bytes()) == data and br.stat().st_size < len(data), path
        assert gzip.decompress(gz.read_bytes()) == data and gz.stat().st_size < len(data), path
    # The pages, each post's export and search index: the host compresses them on the fly.
    # Images, zips: already compressed.
    assert [p for p in compressible if p.suffix == ".html" and p.stat().st_size >= PRECOMPRESS_FROM] == []
    for path in (p for p in files if p not in big):
        assert not path.with_name(path.name + ".br").exists() and not path.with_name(path.name + ".gz").exists()
    wasm = site / layout.RUNTIME_DIR / "pyodide.asm.wasm"
    assert (wasm.parent / "pyodide.asm.wasm.br").stat().st_size < wasm.stat().st_size / 2.5


# --- served by a host set up as the README says ---------------------------------------------------


def test_a_configured_host_sends_compressed_files_and_every_kind_of_page_works_under_its_headers(
    browser, published, content
):
    site, _ = published
    log = []
    with published_host(site, log=log) as base:
        tab = Tab(browser, base)
        page = tab.page
        for where in (
            "index.html",
            f"{POST}/en/index.html",
            f"{POST}/en/passport.html",
            f"{POST}/en/fees.html",
            f"{POST}/en/editors.html",
            f"{POST}/en/wizard/passport/registered=yes.html",
            f"{POST}/en/404.html",
        ):
            page.goto(base + where)
            tab.check()
        # Material's search (a worker) and the wizard (Pyodide in a module worker) start and answer.
        page.goto(f"{base}{POST}/en/passport.html")
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").type("passport", delay=20)
        page.locator(".md-search-result__list a").first.wait_for(state="visible", timeout=30_000)
        page.goto(f"{base}{POST}/en/wizard-passport.html#on={DATE}")
        page.wait_for_selector("#wizard.wizard--interactive #wizard-main", timeout=90_000)
        page.locator("#wizard-main label").first.click()
        page.get_by_role("button", name=content.words("en")["continue"]).click()
        # A function: Playwright evals a bare expression in the page, which the policy refuses.
        page.wait_for_function("() => location.hash.includes('registered=')")
        tab.close()
    sent = {path: encoding for path, status, encoding, _ in log if status == 200}
    for path, encoding in sent.items():
        suffix = path[path.rfind(".") :]
        if suffix in (".html", ".js", ".mjs", ".css", ".json", ".wasm"):
            assert encoding in ("br", "gzip"), (path, encoding)
    assert any(path.endswith("pyodide.asm.wasm") for path in sent)


def test_a_configured_host_gzips_pages_on_the_fly_and_sends_none_of_the_builds_records(published):
    site, _ = published
    page = site / POST / "en" / "passport.html"
    with published_host(site) as base:
        request = urllib.request.Request(f"{base}{POST}/en/passport.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as answer:
            assert answer.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(answer.read()) == page.read_bytes()
        # What the next build reads (its inputs, its marker) is in the folder but not on the web.
        for name in (INPUTS, outdir.MARKER, "_headers"):
            assert (site / name).is_file()
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base + name)
            assert refused.value.code == 404, name


def test_no_other_site_can_show_the_pages_in_a_frame(browser, published, tmp_path):
    site, _ = published
    with published_host(site) as base:
        (tmp_path / "index.html").write_text(
            f'<!doctype html><title>framing</title><iframe src="{base}{POST}/en/index.html"></iframe>',
            encoding="utf-8",
        )
        with http_server(tmp_path) as other:
            context = browser.new_context()
            page = context.new_page()
            messages = []
            page.on("console", lambda message: messages.append(message.text))
            page.goto(other + "index.html")
            page.wait_for_function("() => document.readyState === 'complete'")
            page.wait_for_timeout(300)
            context.close()
    # Chromium shows an error in the frame and says why in the console.
    assert any("frame-ancestors 'self'" in m for m in messages), messages
