"""Pages as a visitor on a phone or with a printer gets them (issue 11), in Debian's Chromium.

The key pages of every post and language (pipeline/screenshots.key_pages: home, procedure pages,
fees, each wizard's first question and a result): the question is the page's heading (no page
scrolls sideways at 320 px, with JavaScript or without: test_site_browser.py's sweep); a
result shows its first action on the first screen of a 390 px phone, marks every example amount
visibly there, and prints on at most two A4 pages without navigation, buttons or focus boxes; the
unreviewed-translation notice is on every page of a language nobody has reviewed yet.
"""

import re

import pytest

from browser_checks import Tab
from pipeline import layout
from pipeline.screenshots import key_pages
from site_helpers import DATE, http_server, shared_site
from wizard.engine import evaluate

LANGUAGES = ["nl", "fr", "de", "en"]


@pytest.fixture(scope="module")
def site():
    return shared_site()[0]


@pytest.fixture(scope="module")
def base(site):
    with http_server(site) as url:
        yield url


def every_key_page(content):
    return [
        (post_id, lang, name, page)
        for post_id in content.posts
        for lang in LANGUAGES
        for name, page in key_pages(content, post_id)
    ]


def test_the_question_is_the_pages_one_heading(browser, base, content):
    tab = Tab(browser, base)
    for post_id, post in content.posts.items():
        for lang in ("nl", "en"):
            for pid in post["procedures"]:
                procedure = content.procedures[pid]
                first = evaluate(procedure, {}, DATE)["question"]
                question = next(q for q in procedure["questions"] if q["id"] == first)
                tab.page.goto(base + layout.post_page(post_id, lang, layout.wizard_page(pid)))
                assert tab.page.locator("h1").all_inner_texts() == [question["text"][lang]], (post_id, lang, pid)
                assert question["text"][lang] in tab.page.title()
    tab.close()


def result_pages(content):
    return [
        (post_id, lang, name, page) for post_id, lang, name, page in every_key_page(content) if name.endswith("-result")
    ]


def test_a_result_starts_with_what_to_do_on_the_first_screen_of_a_phone_and_marks_example_amounts(
    browser, base, content
):
    tab = Tab(browser, base, viewport={"width": 390, "height": 844})
    marked = 0
    for post_id, lang, name, page in result_pages(content):
        tab.page.goto(base + layout.post_page(post_id, lang, page))
        first_action = tab.page.locator(".wizard-steps > li").first.bounding_box()
        assert first_action and first_action["y"] < 844, (post_id, lang, name, first_action)
        # Every example amount says so beside it, inside the screen's width (nothing cut off).
        for row in tab.page.locator("table.wizard-fees tbody tr").all():
            mark = row.locator(".wizard-example")
            if mark.count():
                box = mark.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (post_id, lang, name)
                marked += 1
        total = tab.page.locator("tr.wizard-total")
        if total.count() and tab.page.locator("tbody tr .wizard-example").count() > total.count():
            assert total.locator(".wizard-example").count() == 1, (post_id, lang, name)
    tab.close()
    assert marked, "the shipped passport fees are example values: some marks must have been seen"


def pdf_pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_result_prints_on_at_most_two_a4_pages_without_navigation_or_buttons(browser, base, content, lang):
    tab = Tab(browser, base)
    for post_id, result_lang, name, page in result_pages(content):
        if result_lang != lang:
            continue
        tab.page.goto(base + layout.post_page(post_id, lang, page))
        tab.page.emulate_media(media="print")
        for hidden in (
            ".md-header",
            ".md-sidebar--primary",
            ".md-footer",
            ".wizard-actions",
            ".wizard-nav",
            ".wizard-change",
        ):
            assert not tab.page.locator(hidden).first.is_visible(), (post_id, name, hidden)
        pages = pdf_pages(tab.page.pdf(format="A4"))
        assert 1 <= pages <= 2, (post_id, name, pages)
    # The interactive result too: its date form, print button and focus box stay off paper.
    interactive = "#status=stateless&age=minor-12-17&speed=super-urgent&on=" + DATE
    tab.page.goto(
        base + layout.post_page("example-municipality", lang, layout.wizard_page("travel-document")) + interactive
    )
    tab.page.wait_for_selector("#wizard.wizard--interactive .wizard-result", timeout=90_000)
    tab.page.emulate_media(media="print")
    for hidden in (".wizard-date-form", ".wizard-actions"):
        assert not tab.page.locator(hidden).first.is_visible(), hidden
    assert tab.page.evaluate("() => getComputedStyle(document.getElementById('wizard-heading')).outlineStyle") == "none"
    assert 1 <= pdf_pages(tab.page.pdf(format="A4")) <= 2
    tab.close()


def test_the_unreviewed_notice_is_on_every_page_of_an_unreviewed_language_only(site, content):
    for post_id, lang, name, page in every_key_page(content):
        body = (site / layout.post_page(post_id, lang, page)).read_text(encoding="utf-8")
        notice = 'class="translation-notice"' in body
        assert notice == content.unreviewed(lang, content.posts[post_id]["procedures"]), (post_id, lang, name)
        assert notice == (lang != "nl"), (post_id, lang, name)  # every shipped translation is unreviewed


def test_a_procedure_page_with_several_situations_lists_them_at_the_top_with_links_to_each(browser, base, content):
    """A phone user jumps to their situation instead of scrolling a long page past the others."""
    tab = Tab(browser, base, viewport={"width": 390, "height": 844})
    listed = 0
    for post_id, post in content.posts.items():
        for lang in LANGUAGES:
            for pid in post["procedures"]:
                routes = content.procedures[pid]["routes"]
                tab.page.goto(base + layout.post_page(post_id, lang, pid))
                links = tab.page.locator("nav.situations a")
                if len(routes) < 2:
                    assert links.count() == 0, (post_id, lang, pid)
                    continue
                titles = [route["title"][lang] for route in routes]
                assert [" ".join(t.split()) for t in links.all_inner_texts()] == titles, (post_id, lang, pid)
                links.last.click()
                heading = tab.page.locator(f"h2#route-{routes[-1]['id']}")
                assert heading.inner_text().strip() == titles[-1]
                top = heading.bounding_box()["y"]
                assert 0 <= top < 844, (post_id, lang, pid, top)  # the click brought it on screen
                listed += 1
    tab.close()
    assert listed >= 8
