"""Wizard steps as visitors meet them: links between pages, Back and Change, tampered addresses."""

import json

import pytest

from build import GOLDEN_DATE
from wizard import browser
from wizard.steps import all_steps, hash_of, parse_hash, render_step, static_page


@pytest.fixture(scope="module")
def strings(content):
    return content.wizard_strings("en")


@pytest.fixture(scope="module")
def post(content):
    return content.posts["example-municipality"]


def test_static_pages_link_each_option_to_the_next_page(procedures, strings, post):
    procedure = procedures["travel-document"]
    page = static_page("travel-document", [("status", "stateless")])
    step = render_step(
        procedure, [("status", "stateless")], GOLDEN_DATE, "en", strings, post, style="static", from_page=page
    )
    assert step["question"] == "age"
    assert 'href="../../wizard/travel-document/status=stateless,age=adult.html"' in step["html"]
    assert step["back"] == "../../wizard-travel-document.html"


def test_every_link_of_every_static_page_leads_to_another_generated_page(procedures, strings, post):
    procedure = procedures["travel-document"]
    pages = {static_page("travel-document", pairs) for pairs in all_steps(procedure, GOLDEN_DATE)}
    assert len(pages) == 1 + 3 + 9 + 27
    for pairs in all_steps(procedure, GOLDEN_DATE):
        page = static_page("travel-document", pairs)
        step = render_step(procedure, pairs, GOLDEN_DATE, "en", strings, post, style="static", from_page=page)
        for href in [step["back"], step["start"]] + [h.split('"')[0] for h in step["html"].split('href="')[1:]]:
            if href is None or href.startswith(("mailto:", "tel:", "https:")):
                continue
            target = href.replace("../", "")
            assert target in pages, (page, href)


def test_the_outcome_page_shows_the_seed_figures(procedures, strings, post):
    pairs = [("status", "stateless"), ("age", "minor-12-17"), ("speed", "super-urgent")]
    step = render_step(procedures["travel-document"], pairs, GOLDEN_DATE, "en", strings, post)
    assert step["status"] == "outcome"
    assert "285.00 EUR" in step["html"]
    assert "Change" in step["answers_html"] and 'href="#status=stateless"' in step["answers_html"]


def test_a_tampered_answer_resumes_at_that_question_with_a_problem(procedures, strings, post):
    pairs = [("status", "stateless"), ("age", "ancient"), ("speed", "urgent")]
    step = render_step(procedures["travel-document"], pairs, GOLDEN_DATE, "en", strings, post)
    assert step["problem"]["code"] == "unknown-option"
    assert step["pairs"] == [("status", "stateless")]
    assert step["question"] == "age"


def test_an_unknown_question_in_the_address_is_dropped(procedures, strings, post):
    step = render_step(
        procedures["passport"], parse_hash("#registered=yes&colour=blue"), GOLDEN_DATE, "en", strings, post
    )
    assert step["problem"]["code"] == "unknown-question"
    assert step["question"] == "service"


def test_a_question_answered_twice_in_the_address_keeps_the_first_answer(procedures, strings, post):
    pairs = parse_hash("#status=refugee&status=stateless&age=adult")
    step = render_step(procedures["travel-document"], pairs, GOLDEN_DATE, "en", strings, post)
    assert step["problem"]["code"] == "repeated-answer"
    assert step["pairs"] == [("status", "refugee")] and step["question"] == "age"


def test_a_date_of_birth_in_the_future_is_refused_not_crashed(procedures, strings, post):
    pairs = [("status", "refugee"), ("age", "2099-01-01")]
    step = render_step(procedures["travel-document"], pairs, GOLDEN_DATE, "en", strings, post, exact_dates=True)
    assert step["problem"]["code"] == "invalid-date" and step["question"] == "age"
    assert 'type="date"' in step["html"]


def test_hash_round_trip_keeps_order_and_odd_characters():
    pairs = [("status", "stateless"), ("age", "2010-05-01"), ("x&y", "a=b")]
    assert parse_hash(hash_of(pairs)) == pairs


def test_the_browser_boundary_returns_json_errors_instead_of_raising(procedures):
    browser.load_procedures(json.dumps(list(procedures.values())))
    assert (
        json.loads(
            browser.call(
                "evaluate", json.dumps({"procedure": "passport", "answers": {"registered": "no"}, "on": GOLDEN_DATE})
            )
        )["route"]
        == "register-first"
    )
    failed = json.loads(browser.call("evaluate", json.dumps({"procedure": "nope", "answers": {}, "on": GOLDEN_DATE})))
    assert failed["status"] == "error" and "not loaded" in failed["errors"][0]["message"]
    assert json.loads(browser.call("render_step", "{not json"))["status"] == "error"


def test_an_outcome_announces_a_scheduled_fee_change(procedures, strings, post):
    import copy

    procedure = copy.deepcopy(procedures["travel-document"])
    fee = next(f for f in procedure["fees"] if f["id"] == "adult-standard")
    fee["values"].append({"from": "2027-01-01", "amount": 75, "source": "seed-003"})
    pairs = [("status", "refugee"), ("age", "adult"), ("speed", "standard")]
    before = render_step(procedure, pairs, "2026-12-01", "en", strings, post)
    assert "70.00 EUR" in before["html"]
    assert "From 1 January 2027, Travel document, standard procedure costs 75.00 EUR." in before["html"]
    after = render_step(procedure, pairs, "2027-01-01", "en", strings, post)
    assert "75.00 EUR" in after["html"] and "wizard-notice" not in after["html"]
