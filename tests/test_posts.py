"""One procedure, many posts: each post's pages carry its own facts and no other post's; where a
post does not know a fact, the visitor is told to ask, with that post's real contact.

The whole site (every post × language) is the session's one build; facts come from the YAML.
"""

import html
import re

import pytest

from pipeline.validate.facts import spelt_out
from site_helpers import shared_site
from wizard.present import contact_view, fact

LANGUAGES = ["nl", "fr", "de", "en"]


@pytest.fixture(scope="module")
def site():
    return shared_site()[0]


def post_text(site, post_id):
    """Everything a visitor of one post can read, in every language: text and link targets."""
    found = []
    for page in sorted((site / post_id).rglob("*.html")):
        body = page.read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
        found.append(html.unescape(re.sub(r"<[^>]+>", " ", body)))
        found += [html.unescape(href) for href in re.findall(r'href="([^"]+)"', body)]
    return "\n".join(found)


def facts_of(post):
    """The texts that belong to one post: city, contact values, and its facts as they could be spelt."""
    texts = {text for text, _ in spelt_out(post)}
    for group in ("contact", "facts"):
        for given in (post.get(group) or {}).values():
            value = given.get("value")
            if isinstance(value, str):
                texts.add(value)
    return {t for t in texts if len(t) >= 4}


def test_no_posts_pages_carry_another_posts_facts(site, content):
    posts = content.posts
    for post_id in posts:
        readable = post_text(site, post_id).lower()
        for other_id, other in posts.items():
            if other_id == post_id:
                continue
            shared = facts_of(other) & facts_of(posts[post_id])
            for value in sorted(facts_of(other) - shared):
                assert not re.search(rf"(?<!\w){re.escape(value.lower())}(?!\w)", readable), (
                    f"{post_id}'s pages show {value!r}, a fact of {other_id}"
                )


def test_the_leak_test_would_see_a_leak(site, content):
    """The same search finds each post's own facts on its own pages (so it can see a leaked one)."""
    for post_id, post in content.posts.items():
        readable = post_text(site, post_id).lower()
        known = facts_of(post)
        assert known, post_id
        for value in known:
            assert value.lower() in readable, (post_id, value)


def test_oslo_and_astana_offer_the_same_passport_procedure_and_differ_only_in_data(content):
    oslo, astana = content.posts["oslo"], content.posts["astana"]
    assert oslo["procedures"] == astana["procedures"] == ["passport", "lost-passport"]
    needs = content.procedures["passport"]["needs"]
    for name in needs:
        assert fact(oslo, name) is not None and fact(astana, name) is not None, name
    # What seed 000 does not give for Astana is unknown, never Oslo's value.
    for name in ("processing_time", "other_posts", "payment", "phone"):
        assert fact(astana, name) == {"unknown": True}, name
        assert fact(oslo, name).get("source") == "seed-004", name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unknown_delivery_time_tells_the_visitor_to_ask_with_this_posts_contact(site, content, lang):
    words = content.words(lang)
    answers = "registered=yes,service=new-passport,place=this-post,age=adult,current-passport=has-passport"
    astana = site / "astana" / lang / "wizard" / "passport" / f"{answers}.html"
    body = astana.read_text(encoding="utf-8")
    name = words.text(content.posts["astana"]["name"])
    assert html.escape(words.fill("unknown_processing_time", post=name), quote=True) in body
    for row in contact_view(content.posts["astana"], words):
        assert f'href="{html.escape(row["href"], quote=True)}"' in body  # a way to ask, never a dead end
    oslo = (site / "oslo" / lang / "wizard" / "passport" / f"{answers}.html").read_text(encoding="utf-8")
    assert words.fill("about", duration=words.fill("duration_working_days", n=7)) in html.unescape(oslo)
    assert "unknown_processing_time" not in oslo and words.fill("unknown_processing_time", post="x")[5:20] not in oslo


def test_every_result_and_home_page_shows_the_posts_contact_card(site, content):
    for post_id, post in content.posts.items():
        for lang in LANGUAGES:
            words = content.words(lang)
            rows = contact_view(post, words)
            assert rows, post_id
            home = (site / post_id / lang / "index.html").read_text(encoding="utf-8")
            results = [
                page
                for page in (site / post_id / lang / "wizard").rglob("*.html")
                if 'data-state="outcome"' in page.read_text(encoding="utf-8")
            ]
            assert results, post_id
            for page in [home, *(p.read_text(encoding="utf-8") for p in results)]:
                for row in rows:
                    assert f'href="{html.escape(row["href"], quote=True)}"' in page, (post_id, lang, row["key"])


def test_a_step_that_asks_to_make_an_appointment_links_this_posts_appointment_system(site, content):
    for post_id in ("oslo", "astana"):
        page = site / post_id / "en" / "wizard" / "passport"
        answers = "registered=yes,service=new-passport,place=this-post,age=adult,current-passport=has-passport"
        body = (page / f"{answers}.html").read_text(encoding="utf-8")
        url = fact(content.posts[post_id], "appointments")["value"]
        assert re.search(rf'<a href="{re.escape(url)}">Make an appointment</a> <em class="wizard-example">', body)


def test_the_name_inscription_result_shows_the_registered_post_cost_line(site, content):
    words = content.words("nl")
    body = (site / "oslo" / "nl" / "wizard" / "passport" / "registered=yes,service=add-names.html").read_text(
        encoding="utf-8"
    )
    cost = next(c for c in content.procedures["passport"]["costs"] if c["id"] == "registered-postage")
    assert html.escape(words.text(cost["label"]), quote=True) in body
    assert html.escape(words["costs_not_included"], quote=True) in body


def test_the_astana_overview_promises_only_what_the_site_has_and_stays_on_astanas_pages(site, content):
    for lang in LANGUAGES:
        words = content.words(lang)
        overview = content.pages["consular-services"]
        astana = html.unescape((site / "astana" / lang / "index.html").read_text(encoding="utf-8"))
        oslo = html.unescape((site / "oslo" / lang / "index.html").read_text(encoding="utf-8"))
        assert words.text(overview["title"]) in astana and words.text(overview["title"]) not in oslo
        for procedure in content.posts["astana"]["procedures"]:
            assert f'href="{procedure}.html"' in astana  # each promised topic has its page
    assert "Belgo-Kazakken in Kazachstan" in html.unescape((site / "astana" / "nl" / "index.html").read_text())
