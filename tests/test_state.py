"""The wizard's address (wizard.state) and what the engine and the steps make of any address at all.

Property-based (Hypothesis): whatever a visitor, a browser or an attacker puts after the `#`, and
whatever application date, the engine gives a result or an error value and a step is rendered;
nothing raises, and a state written by the wizard reads back as itself.
"""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build import GOLDEN_DATE
from wizard.engine import evaluate
from wizard.state import MAX_PAIRS, State, date_from_parts, fragment_of, iso_date, parse
from wizard.steps import Context, render_step

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ids = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(datetime.date.isoformat)
any_text = st.text(max_size=300)


@pytest.fixture(scope="module")
def context(content):
    return Context(content.words("de"), content.posts["oslo"], GOLDEN_DATE)


def test_a_fragment_reads_back_as_the_answers_and_date_it_was_written_from():
    state = parse("#status=refugee&age=2012-05-01&on=2027-03-01")
    assert state == State((("status", "refugee"), ("age", "2012-05-01")), "2027-03-01")
    assert state.fragment() == "#status=refugee&age=2012-05-01&on=2027-03-01"
    assert parse("status=refugee").pairs == (("status", "refugee"),)  # with or without the '#'
    assert fragment_of([], None) == "#" and fragment_of([], "2027-01-01") == "#on=2027-01-01"


def test_with_answer_drops_the_later_answers_and_keeps_the_date():
    state = parse("#a=1&b=2&c=3&on=2027-01-01")
    assert state.with_answer("b", "9") == State((("a", "1"), ("b", "9")), "2027-01-01")
    assert state.with_answer("d", "4").pairs[-1] == ("d", "4")
    assert state.upto(1).fragment() == "#a=1&on=2027-01-01"


def test_an_address_longer_than_the_cap_is_cut_not_read_whole():
    state = parse("#" + "&".join(f"q{i}=x" for i in range(14_000)))
    assert len(state.pairs) == MAX_PAIRS and "too-many" in state.problems


def test_dates_are_real_dates_or_nothing():
    assert iso_date("2024-02-29") == datetime.date(2024, 2, 29)
    assert [iso_date(v) for v in ("2026-02-30", "2026-2-1", "", None, "20260101", "２０２６-01-01")] == [None] * 6
    assert date_from_parts(" 1", "3 ", "2027") == "2027-03-01"
    assert [date_from_parts(*p) for p in (("31", "4", "2027"), ("", "", ""), ("1", "1", "27"), ("x", "1", "2027"))] == [
        None
    ] * 4


@PROPERTY
@given(pairs=st.lists(st.tuples(ids, any_text), max_size=8, unique_by=lambda p: p[0]), on=st.none() | any_text)
def test_any_state_written_reads_back_unchanged(pairs, on):
    pairs = [(q, v) for q, v in pairs if q != "on"]
    assert parse(fragment_of(pairs, on or None)) == State(tuple(pairs), on or None)


@PROPERTY
@given(fragment=any_text, today=dates)
def test_any_address_on_any_day_gives_a_step_never_an_exception(procedures, context, fragment, today):
    for procedure in procedures.values():
        step = render_step(procedure, parse(fragment), Context(context.words, context.post, today))
        assert step["status"] in ("question", "outcome")
        assert parse(step["fragment"]) == State(tuple(map(tuple, step["pairs"])), parse(step["fragment"]).on)
        assert "<h1" in step["html"] and "undefined" not in step["html"]


@PROPERTY
@given(
    answers=st.dictionaries(st.sampled_from(["status", "age", "speed", "registered", "place", "x"]), any_text | dates),
    on=any_text | dates,
)
def test_the_engine_answers_any_answers_and_date_with_a_result_or_an_error_value(procedures, answers, on):
    for procedure in procedures.values():
        result = evaluate(procedure, answers, on)
        assert result["status"] in ("question", "outcome", "error")
        if result["status"] == "error":
            assert result["errors"][0]["message"]
