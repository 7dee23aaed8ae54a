"""Wizard steps as visitors meet them: links between pages, Back, Change and Start again keeping the
application date, forms sent, and addresses that are tampered with or out of date.

The addresses a visitor might bring (a typo, an old bookmark, an attacker's link) are a corpus of
data in tests/wizard_addresses.yaml, each with what the visitor must see.
"""

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from build import GOLDEN_DATE
from pipeline import layout
from wizard import browser
from wizard.paths import all_prefixes
from wizard.state import State, parse
from wizard.steps import Context, render_step, submit

ADDRESSES = yaml.safe_load((Path(__file__).parent / "wizard_addresses.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def words(content):
    return content.words("en")


@pytest.fixture(scope="module")
def context(content, words):
    return Context(words, content.posts["example-municipality"], GOLDEN_DATE)


def static_context(content, words, page):
    pid = "travel-document"
    return Context(
        words,
        content.posts["example-municipality"],
        GOLDEN_DATE,
        link=lambda pairs: layout.link(page, layout.wizard_page(pid, pairs)),
    )


def hrefs(markup):
    """The links of a step as a browser reads them (entities decoded)."""
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', markup)]


# --- the pages without JavaScript -------------------------------------------------------------------


def test_static_pages_link_each_option_to_the_next_page(procedures, content, words):
    page = layout.wizard_page("travel-document", [("status", "stateless")])
    step = render_step(
        procedures["travel-document"], State((("status", "stateless"),)), static_context(content, words, page)
    )
    assert step["question"] == "age"
    assert "../../wizard/travel-document/status=stateless,age=adult.html" in hrefs(step["html"])
    assert step["back"] == "../../wizard-travel-document.html"


def test_every_link_of_every_static_page_leads_to_another_generated_page(procedures, content, words):
    procedure = procedures["travel-document"]
    prefixes = all_prefixes(procedure, GOLDEN_DATE)
    pages = {layout.html(layout.wizard_page("travel-document", pairs)) for pairs in prefixes}
    assert len(pages) == 1 + 3 + 9 + 27
    for pairs in prefixes:
        page = layout.wizard_page("travel-document", pairs)
        step = render_step(procedure, State(tuple(pairs)), static_context(content, words, page))
        for href in hrefs(step["html"]):
            if href.startswith(("mailto:", "tel:", "https:")):
                continue
            assert href.replace("../", "") in pages, (page, href)


# --- the interactive wizard: the address owns the state ----------------------------------------------


def test_the_outcome_shows_the_seed_figures_and_a_change_link_per_answer(procedures, context):
    state = parse("#status=stateless&age=minor-12-17&speed=super-urgent")
    step = render_step(procedures["travel-document"], state, context)
    assert step["status"] == "outcome"
    assert "285.00 EUR" in step["html"]
    assert {"#", "#status=stateless", "#status=stateless&age=minor-12-17"} <= set(hrefs(step["html"]))


def test_back_change_and_start_again_keep_the_application_date_the_visitor_chose(procedures, context):
    state = parse("#status=refugee&age=adult&speed=standard&on=2027-03-01")
    step = render_step(procedures["travel-document"], state, context)
    assert step["on"] == "2027-03-01"
    assert step["fragment"] == "#status=refugee&age=adult&speed=standard&on=2027-03-01"
    assert step["back"] == "#status=refugee&age=adult&on=2027-03-01"
    assert step["start"] == "#on=2027-03-01"
    links = hrefs(step["html"])
    assert "#on=2027-03-01" in links  # Change the first answer; Start again
    assert "#status=refugee&on=2027-03-01" in links  # Change the second
    assert "#status=refugee&age=adult&on=2027-03-01" in links  # Change the third; Back
    assert "March 1, 2027" in step["html"]
    # Without a chosen date the address stays without one: today's date is used, and so are links.
    plain = render_step(procedures["travel-document"], parse("#status=refugee"), context)
    assert plain["on"] == GOLDEN_DATE and plain["back"] == "#" and "on=" not in "".join(hrefs(plain["html"]))


def test_the_question_is_the_one_h1_of_the_step_and_its_title(procedures, context):
    step = render_step(procedures["travel-document"], parse("#status=refugee"), context)
    assert step["html"].count("<h1") == 1
    assert re.search(r'<h1 class="wizard-legend" id="wizard-heading"[^>]*>How old is the person', step["html"])
    assert step["title"].startswith("How old is the person") and step["heading"].startswith("How old")


# --- forms the interactive wizard sends ---------------------------------------------------------------


def test_an_answer_sent_moves_to_the_next_question_and_keeps_the_date(procedures, context):
    step = submit(
        procedures["travel-document"],
        parse("#status=refugee&on=2027-03-01"),
        context,
        "answer",
        {"question": "age", "answer": "adult"},
    )
    assert step["fragment"] == "#status=refugee&age=adult&on=2027-03-01"
    assert step["question"] == "speed"


def test_no_answer_chosen_shows_the_error_summary_and_stays(procedures, context, words):
    step = submit(procedures["travel-document"], parse("#status=refugee"), context, "answer", {"question": "age"})
    assert step["fragment"] == "#status=refugee" and step["question"] == "age"
    assert step["problem"] == words["error_choose"]
    assert 'class="wizard-error-summary"' in step["html"] and 'data-focus="age-under-12"' in step["html"]
    assert 'class="wizard-error-message" id="error-age"' in step["html"]


def test_a_date_of_birth_becomes_the_age_on_the_application_date(procedures, context):
    fields = {"question": "age", "birth-day": "2", "birth-month": "12", "birth-year": "2008"}
    step = submit(procedures["travel-document"], parse("#status=refugee&on=2026-12-01"), context, "answer", fields)
    assert step["fragment"] == "#status=refugee&age=2008-12-02&on=2026-12-01"
    assert step["question"] == "speed"
    assert "12 to 17 (born on December 2, 2008)" in step["html"]
    # The next day the same person is 18.
    later = render_step(procedures["travel-document"], parse("#status=refugee&age=2008-12-02&on=2026-12-02"), context)
    assert "18 or older (born on December 2, 2008)" in later["html"]


def test_an_impossible_date_of_birth_is_explained_at_the_question(procedures, context, words):
    fields = {"question": "age", "birth-day": "30", "birth-month": "2", "birth-year": "2010"}
    step = submit(procedures["travel-document"], parse("#status=refugee"), context, "answer", fields)
    assert step["fragment"] == "#status=refugee" and step["question"] == "age"
    assert step["problem"] == words["error_date_invalid"]
    assert 'value="30"' in step["html"]  # what the visitor typed stays in the field


def test_the_application_date_form_works_the_result_out_again(procedures, context):
    state = parse("#status=refugee&age=adult&speed=standard")
    fields = {"on-day": "1", "on-month": "3", "on-year": "2027"}
    step = submit(procedures["travel-document"], state, context, "date", fields)
    assert step["fragment"] == "#status=refugee&age=adult&speed=standard&on=2027-03-01"
    assert step["status"] == "outcome" and step["on"] == "2027-03-01"


def test_an_impossible_application_date_keeps_the_result_and_says_why(procedures, context, words):
    state = parse("#status=refugee&age=adult&speed=standard")
    step = submit(procedures["travel-document"], state, context, "date", {"on-day": "31", "on-month": "4"})
    assert step["status"] == "outcome" and step["fragment"] == state.fragment()
    assert step["problem"] == words["error_date_invalid"] and "<details open>" in step["html"]


# --- addresses as visitors bring them: the corpus ----------------------------------------------------


@pytest.mark.parametrize("case", ADDRESSES, ids=[case["name"] for case in ADDRESSES])
def test_a_bad_address_never_breaks_the_page(procedures, context, words, case):
    step = render_step(procedures[case["procedure"]], parse(case["address"]), context)
    assert step["fragment"] == case["becomes"], case["name"]
    assert step.get("question") == case.get("asks"), case["name"]
    dates = {key: words.date(value) for key, value in case.get("dates", {}).items()}
    assert step["problem"] == (words.fill(case["problem"], **dates) if case["problem"] else None), case["name"]
    assert "undefined" not in step["html"] and "None" not in step["html"] and "<h1" in step["html"]


# --- the browser boundary --------------------------------------------------------------------------------


def test_the_browser_entry_points_answer_json_and_never_raise(content):
    browser.load(json.dumps(content.wizard_data()))
    arguments = {"procedure": "travel-document", "lang": "fr", "post": "example-municipality", "today": GOLDEN_DATE}
    step = json.loads(browser.call("render", json.dumps(dict(arguments, fragment="#status=refugee"))))
    assert step["question"] == "age" and "Quel âge a la personne" in step["html"]
    sent = dict(arguments, fragment="#status=refugee", action="answer", fields={"question": "age", "answer": "adult"})
    assert json.loads(browser.call("submit", json.dumps(sent)))["fragment"] == "#status=refugee&age=adult"
    assert json.loads(browser.call("render", "{not json"))["status"] == "error"
    assert json.loads(browser.call("no-such-entry", "{}"))["status"] == "error"
    unknown = json.loads(browser.call("render", json.dumps(dict(arguments, procedure="nope", fragment=""))))
    assert unknown["status"] == "error" and "nope" in unknown["errors"][0]["message"]

    # The workers' warm-up, one step per call until null: a question and an outcome per procedure,
    # rendered without an error, the page's procedure first.
    def warmed(**arguments):
        statuses = []
        while (status := json.loads(browser.call("warm", json.dumps(dict(arguments, today=GOLDEN_DATE))))) is not None:
            statuses.append(status)
        return statuses

    assert warmed() == ["question", "outcome"] * len(content.procedures)
    page = dict(procedure="passport", lang="fr", post="example-municipality")
    assert warmed(**page) == ["question", "outcome"] * len(content.procedures)
    assert warmed(**page) == []  # done once


def test_a_long_tampered_address_is_cut_and_still_gives_a_step(procedures, context, words):
    fragment = "#status=refugee&" + "&".join(f"q{i}=x" for i in range(14_000))
    step = render_step(procedures["travel-document"], parse(fragment), context)
    assert step["fragment"] == "#status=refugee" and step["problem"] == words["url_problem"]


def test_a_fee_change_after_the_chosen_date_is_announced_and_applies_from_that_day(procedures, context):
    procedure = json.loads(json.dumps(procedures["travel-document"]))
    fee = next(f for f in procedure["fees"] if f["id"] == "adult-standard")
    fee["values"].append({"from": "2027-01-01", "amount": 80, "source": "seed-003"})
    before = render_step(procedure, parse("#status=refugee&age=adult&speed=standard&on=2026-12-31"), context)
    assert "70.00 EUR" in before["html"] and "From January 1, 2027, " in before["html"]
    assert "costs 80.00 EUR." in before["html"]
    on_the_day = render_step(procedure, parse("#status=refugee&age=adult&speed=standard&on=2027-01-01"), context)
    assert "80.00 EUR" in on_the_day["html"] and "70.00 EUR" not in on_the_day["html"]
