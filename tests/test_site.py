"""The static site: pages per post × language carry the YAML's values; links, languages, atomic and
reproducible builds, `serve`. (Browser behaviour is in test_site_browser.py.)

The full site is built once per session (site_helpers.shared_site); tests that change content build
one post from a copy of the project.
"""

import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from build import main as build_cli
from pipeline import layout
from pipeline.errors import ContentError
from pipeline.site import SiteError, build_site
from site_helpers import (
    DATE,
    ROOT,
    copy_project,
    files_digest,
    html_pages,
    is_internal,
    references,
    replace_in,
    resolve,
    shared_site,
)
from wizard.engine import evaluate
from wizard.paths import all_prefixes, enumerate_paths
from wizard.present import post_words, text
from wizard.presentation import html as esc

LANGUAGES = ["nl", "fr", "de", "en"]
# The amount 73.5 and the date 2027-01-01 as each language's pages write them.
AMOUNT_73_50 = {"nl": "73,50 EUR", "fr": "73,50 EUR", "de": "73,50 EUR", "en": "73.50 EUR"}
AMOUNT_80 = {"nl": "80,00 EUR", "fr": "80,00 EUR", "de": "80,00 EUR", "en": "80.00 EUR"}
JAN_1_2027 = {"nl": "1 januari 2027", "fr": "1 janvier 2027", "de": "1. Januar 2027", "en": "January 1, 2027"}


@pytest.fixture(scope="session")
def site():
    return shared_site()[0]


@pytest.fixture(scope="session")
def site_content():
    from pipeline.model import load_content

    return load_content(ROOT, on=DATE)


def page_text(path):
    """The visible text of a built page, tags removed, whitespace collapsed, entities decoded."""
    import html

    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


# --- pages and their values ----------------------------------------------------------------------


def test_the_build_makes_every_page_of_every_post_in_every_language(site, site_content):
    for post_id, post in site_content.posts.items():
        for lang in LANGUAGES:
            folder = site / post_id / lang
            expected = {"index.html", "fees.html", "404.html"}
            expected |= {f"{p}.html" for p in post["procedures"]}
            expected |= {f"wizard-{p}.html" for p in post["procedures"]}
            assert expected <= {p.name for p in folder.glob("*.html")}, folder
            assert f'<html lang="{lang}"' in (folder / "index.html").read_text(encoding="utf-8")
    root_links = {value for tag, _, value in references(site / "index.html") if tag == "a"}
    posts = {f"{p}/{lang}/index.html" for p in site_content.posts for lang in LANGUAGES}
    assert root_links == posts | {f"#lang-{lang}" for lang in LANGUAGES}  # and a jump to each language
    root = page_text(site / "index.html")
    for post in site_content.posts.values():
        for lang in LANGUAGES:  # each post with its countries and city, in every language
            assert text(post["name"], lang) in root and text(post["countries"][0]["name"], lang) in root
            assert text(post.get("city"), lang) in root


@pytest.mark.parametrize("lang", LANGUAGES)
def test_procedure_and_fees_pages_carry_the_values_of_the_yaml(site, site_content, lang):
    for post_id, post in site_content.posts.items():
        words = post_words(site_content.words(lang), post)  # the post's facts fill {placeholders}
        for pid in post["procedures"]:
            procedure = site_content.procedures[pid]
            shown = page_text(site / post_id / lang / f"{pid}.html")
            fees = page_text(site / post_id / lang / "fees.html")
            assert words.text(procedure["title"]) in shown
            assert words.text(procedure["who"]) in shown
            for document in procedure.get("documents", []):
                assert words.text(document["label"]) in shown
            for route in procedure["routes"]:
                assert words.text(route["title"]) in shown
                for step in route["steps"]:
                    assert words.text(step["text"]) in shown
            for source in procedure["sources"]:
                assert source["title"] in shown
            # Every fee any answer path charges, with the amount the engine finds in force.
            charged = {f["id"]: f for _, o in enumerate_paths(procedure, DATE) for f in o.get("fees", [])}
            for fee in charged.values():
                amount = fee["amount"].replace(".", "," if lang != "en" else ".")
                assert f"{amount} {fee['currency']}" in shown and f"{amount} {fee['currency']}" in fees
                label = next(f for f in procedure["fees"] if f["id"] == fee["id"])["label"]
                assert text(label, lang) in fees
                if fee["example"]:
                    assert site_content.words(lang)["example_value"] in shown


def test_example_contact_values_are_marked_as_examples(site, site_content):
    for lang in LANGUAGES:
        home = page_text(site / "astana" / lang / "index.html")
        assert f"astana-example@example.org ({site_content.words(lang)['example_value']})" in home
        oslo = page_text(site / "oslo" / lang / "index.html")
        assert (
            "+47 23 23 92 20" in oslo and f"+47 23 23 92 20 ({site_content.words(lang)['example_value']})" not in oslo
        )


def test_home_pages_show_the_overview_for_embassies_and_the_intro_for_the_municipality(site, site_content):
    for lang in LANGUAGES:
        astana = page_text(site / "astana" / lang / "index.html")
        overview = site_content.pages["consular-services"]
        for section in overview["sections"]:
            assert text(section["title"], lang) in astana
        for item in overview["sections"][2]["items"]:
            assert text(item, lang) in astana
        assert text(site_content.posts["astana"]["countries"][0]["name"], lang) in astana
        assert text(site_content.posts["astana"]["notes"][0], lang) in astana
        municipality = page_text(site / "example-municipality" / lang / "index.html")
        assert text(site_content.pages["municipality-services"]["intro"], lang) in municipality
        assert site_content.words(lang)["example_post"] in municipality


def test_a_fee_with_since_checked_shows_no_start_date(site):
    # travel-document's fees apply "since checked" (2026-11-23): no start date is shown for them.
    fees = (site / "example-municipality" / "en" / "fees.html").read_text(encoding="utf-8")
    assert "November 23, 2026" not in fees.split("<table")[1].split("</table>")[0]
    passport = (site / "oslo" / "en" / "fees.html").read_text(encoding="utf-8")
    assert "January 1, 2026" in passport  # a dated (example) fee shows its start


def test_a_changed_fee_and_a_scheduled_change_appear_in_every_language(tmp_path):
    project = copy_project(tmp_path / "project")
    replace_in(
        project / "procedures" / "travel-document.yaml",
        "      - {from: 2026-11-23, amount: 70, source: seed-003, since_checked: true}",
        "      - {from: 2026-11-23, amount: 73.5, source: seed-003, since_checked: true}\n"
        "      - {from: 2027-01-01, amount: 80, source: seed-003}",
    )
    out = tmp_path / "site"
    build_site(project, out, on=DATE, posts=["example-municipality"])
    for lang in LANGUAGES:
        for page in ("travel-document.html", "fees.html"):
            shown = page_text(out / "example-municipality" / lang / page)
            assert AMOUNT_73_50[lang] in shown, (lang, page)
            assert AMOUNT_80[lang] in shown and JAN_1_2027[lang] in shown, (lang, page)
    # On the day of the change the new amount is in force and no change is announced any more.
    build_site(project, out, on="2027-01-01", posts=["example-municipality"], langs=["en"])
    shown = page_text(out / "example-municipality" / "en" / "fees.html")
    assert "80.00 EUR" in shown and "73.50 EUR" not in shown and "From January 1, 2027" not in shown


def test_the_wizard_page_asks_the_first_question_in_plain_html(site, site_content):
    """Before (and without) any script: the first question, each option a link to its own page."""
    for post_id, post in site_content.posts.items():
        for pid in post["procedures"]:
            procedure = site_content.procedures[pid]
            first = evaluate(procedure, {}, DATE)["question"]
            question = next(q for q in procedure["questions"] if q["id"] == first)
            for lang in LANGUAGES:
                body = (site / post_id / lang / f"wizard-{pid}.html").read_text(encoding="utf-8")
                assert f'id="wizard" data-procedure="{pid}" data-lang="{lang}" data-post="{post_id}" ' in body
                assert 'data-runtime="../../_wizard/"' in body
                heading = (
                    f'<h1 class="wizard-legend" id="wizard-heading" tabindex="-1">{esc(question["text"][lang])}</h1>'
                )
                assert heading in body and body.count("<h1") == 1
                links = re.findall(r'<a class="wizard-option" href="([^"]+)">([^<]+)</a>', body)
                assert links == [
                    (layout.html(layout.wizard_page(pid, [(first, o["id"])])), esc(o["label"][lang]))
                    for o in question["options"]
                ]


def test_every_answer_path_has_a_page_without_javascript_and_none_is_in_the_navigation(site, site_content):
    for post_id, post in site_content.posts.items():
        for pid in post["procedures"]:
            steps = all_prefixes(site_content.procedures[pid], DATE)
            assert len(steps) >= 3
            for lang in LANGUAGES:
                home = (site / post_id / lang / "index.html").read_text(encoding="utf-8")
                for pairs in steps:
                    page = layout.html(layout.wizard_page(pid, pairs))
                    assert (site / post_id / lang / page).is_file(), (post_id, lang, pairs)
                    if pairs:
                        assert page not in home


# --- links and languages -------------------------------------------------------------------------


def test_every_internal_link_resolves(site):
    missing = []
    for page in html_pages(site):
        for tag, attribute, url in references(page):
            if not is_internal(url):
                continue
            target = resolve(page, url)
            if not target.is_file():
                missing.append(f"{page.relative_to(site)}: <{tag} {attribute}={url}>")
    assert not missing, "\n".join(missing[:20])


def test_every_page_names_itself_in_every_language_with_hreflang(site):
    for page in html_pages(site):
        if page.parent == site or page.parent.name == "_wizard":  # the language chooser, the runtime's self-test
            continue
        within = page.relative_to(site).parts[2:]  # the path below <post>/<lang>/
        here = page.relative_to(site).parts[1]
        body = page.read_text(encoding="utf-8")
        # The switcher's links are the alternates (a <link rel="alternate"> makes Material fetch sitemap.xml).
        assert '<link rel="alternate"' not in body, page
        link = r'<a href="([^"]+)" hreflang="([a-z]+)" lang="[a-z]+" class="md-select__link"([^>]*)>'
        switcher = re.findall(link, body)
        assert [(href, lang) for href, lang, _ in switcher] == [
            ("../" * len(within) + "/".join((lang, *within)), lang) for lang in LANGUAGES
        ], page
        for href, lang, rest in switcher:
            assert resolve(page, href).is_file()
            assert rest == (' aria-current="true"' if lang == here else ' rel="alternate"'), page


def test_materials_hidden_toggles_have_a_name_on_every_page_including_404(site, site_content):
    for page in html_pages(site):
        if page.parent == site or page.parent.name == "_wizard":
            continue
        lang = page.relative_to(site).parts[1]
        body = page.read_text(encoding="utf-8")
        assert f'id="__search" aria-label="{site_content.words(lang)["search_toggle"]}"' in body, page
        assert f'id="__drawer" aria-label="{site_content.words(lang)["menu_toggle"]}"' in body, page


def test_the_404_page_uses_relative_links(site):
    body = (site / "oslo" / "fr" / "404.html").read_text(encoding="utf-8")
    assert 'href="/' not in body and 'src="/' not in body
    assert 'href="../../_assets/stylesheets/' in body  # the site's one copy (pipeline/shared_assets.py)


def test_the_root_chooser_needs_no_javascript(site):
    body = (site / "index.html").read_text(encoding="utf-8")
    assert "<script" not in body


# --- self-contained -----------------------------------------------------------------------------

EXTERNAL_IN_HTML = re.compile(
    r'<(?:script|link|img|iframe|source|video|audio|embed)\b[^>]*\b(?:src|href|srcset)\s*=\s*["\']?\s*(?:https?:)?//',
    re.I,
)
EXTERNAL_IN_CSS = re.compile(
    r'(?:url\(\s*["\']?\s*(?:https?:)?//|@import\s+(?:url\()?\s*["\']?\s*(?:https?:)?//)', re.I
)
EXTERNAL_IN_JS = re.compile(r'(?:importScripts\(|\.src\s*=|fetch\()\s*["\'`](?:https?:)?//', re.I)
# Material's bundle loads two scripts from unpkg.com, each only when a condition that never holds
# here is met: a ResizeObserver polyfill for browsers without one (every browser since 2020 has it)
# and mermaid for pages with mermaid diagrams (there are none). No other external URL is allowed.
MATERIAL_CONDITIONAL = ("https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@")


def test_no_script_style_font_or_image_comes_from_outside_the_site(site):
    problems = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        body = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            found = EXTERNAL_IN_HTML.findall(body) + EXTERNAL_IN_CSS.findall(body)
        elif path.suffix == ".css":
            found = EXTERNAL_IN_CSS.findall(body)
        else:
            found = EXTERNAL_IN_JS.findall(body)
            found += [
                u
                for u in re.findall(r'["\'`](https?://[^"\'`\s]+\.(?:js|css|woff2?|ttf|png|svg))', body)
                if not u.startswith(MATERIAL_CONDITIONAL)
            ]
            found += re.findall(
                r"https?://(?:fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg)\.[a-z]+/(?!resize-observer-polyfill|mermaid@)",
                body,
            )
        if found:
            problems.append(f"{path.relative_to(site)}: {found[:3]}")
    assert not problems, "\n".join(problems)
    # The offline plugin's CDN fallback for iframe-worker is replaced by the vendored copy.
    passport = (site / "astana" / "nl" / "passport.html").read_text(encoding="utf-8")
    assert '<script src="../../_assets/javascripts/iframe-worker/shim.js">' in passport
    assert "unpkg.com" not in passport and "fonts.g" not in passport


# --- build quality -------------------------------------------------------------------------------


def test_two_builds_of_the_same_content_and_date_are_byte_identical(site, tmp_path):
    # The session's site was built in parallel (one process per core); this one, one build after the other.
    again = tmp_path / "again"
    build_site(ROOT, again, on=DATE, processes=1)
    first, second = files_digest(site), files_digest(again)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different, different[:10]


def test_a_broken_yaml_fails_the_build_and_leaves_the_previous_site_intact(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    build_site(project, out, on=DATE, posts=["example-municipality"], langs=["en"])
    before = files_digest(out)
    replace_in(project / "procedures" / "travel-document.yaml", "amount: 70,", "amount: seventy,")
    with pytest.raises(ContentError) as error:
        build_site(project, out, on=DATE, posts=["example-municipality"], langs=["en"])
    assert "procedures/travel-document.yaml:" in error.value.report()
    assert files_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]
    # Through the command line: exit status 1, the file and line, and still the old site.
    result = subprocess.run(
        [
            sys.executable,
            str(project / "build.py"),
            "build",
            "--date",
            DATE,
            "--post",
            "example-municipality",
            "--lang",
            "en",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert re.search(r"procedures/travel-document\.yaml:\d+:\d+:", result.stderr), result.stderr
    assert files_digest(out) == before


def test_a_failing_mkdocs_build_leaves_the_previous_site_and_no_temporary_folder(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    build_site(project, out, on=DATE, posts=["example-municipality"], langs=["en"])
    before = files_digest(out)
    replace_in(project / "mkdocs.yml", "name: material", "name: no-such-theme")
    with pytest.raises(SiteError):
        build_site(project, out, on=DATE, posts=["example-municipality"], langs=["en"])
    assert files_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]


def test_an_unknown_post_is_reported_with_the_known_ones(tmp_path, capsys):
    assert build_cli(["build", "--out", str(tmp_path / "site"), "--date", DATE, "--post", "atlantis"]) == 1
    assert "unknown post(s): atlantis. Expected one of: astana, example-municipality, oslo" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_serve_shows_the_site_and_rebuilds_when_a_yaml_changes(tmp_path):
    import socket

    project = copy_project(tmp_path / "project")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            str(project / "build.py"),
            "serve",
            "--port",
            str(port),
            "--date",
            DATE,
            "--post",
            "example-municipality",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # As started from a terminal: a test run started in the background (`./run.sh test &`)
        # passes on the shell's ignored SIGINT, and Ctrl-C would then not reach serve at all.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    url = f"http://127.0.0.1:{port}/example-municipality/en/fees.html"
    try:
        assert "70.00 EUR" in _wait_for(url, lambda body: "70.00 EUR" in body)
        own = [p for p in (project / ".build").iterdir() if str(process.pid) in p.name]
        replace_in(project / "procedures" / "travel-document.yaml", "amount: 70,", "amount: 72,")
        assert "72.00 EUR" in _wait_for(url, lambda body: "72.00 EUR" in body)
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl-C: serve removes its folder
        try:
            assert process.wait(timeout=60) == 0
        finally:
            process.kill()  # (a no-op once it ended) never left running after a failure
    assert own and not [p for p in own if p.exists()]


def _wait_for(url, ready, timeout=240):
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if ready(body):
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready after {timeout} s; last body had {len(body)} characters")


# --- the editors' section ------------------------------------------------------------------------


def test_the_editors_page_draws_and_writes_out_every_path_of_every_procedure(site, site_content):
    from html import unescape

    for post_id, post in site_content.posts.items():
        for lang in LANGUAGES:
            home = (site / post_id / lang / "index.html").read_text(encoding="utf-8")
            assert 'href="editors.html"' in home, (post_id, lang)
            body = (site / post_id / lang / "editors.html").read_text(encoding="utf-8")
            shown = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"</?code>", "", body)))
            shown = re.sub(r"\s+", " ", shown)
            svgs = re.findall(r'<svg [^>]*class="flow".*?</svg>', body, flags=re.S)
            assert len(svgs) == len(post["procedures"])
            for pid, svg in zip(post["procedures"], svgs, strict=False):
                procedure = site_content.procedures[pid]
                paths = enumerate_paths(procedure, DATE)
                assert f'aria-labelledby="flow-title-{pid}"' in svg
                assert svg.count('class="flow-route"') == len(paths)
                for question in procedure["questions"]:
                    assert text(question["text"], lang) in shown, (post_id, lang, question["id"])
                    for option in question["options"]:
                        assert f"{text(option['label'], lang)} ({option['id']})" in shown
                for route in {outcome["route"] for _, outcome in paths}:
                    title = next(r for r in procedure["routes"] if r["id"] == route)["title"]
                    assert f"{text(title, lang)} ({route})" in shown
