"""The engine against the seeds' rules (cases in tests/cases/*.yaml) and its error values."""

import copy
from pathlib import Path

import pytest

from build import GOLDEN_DATE
from pipeline.load import load_yaml
from pipeline.model import to_json
from wizard.engine import add_working_days, age_on, evaluate

CASES_DIR = Path(__file__).parent / "cases"


def load_cases():
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in to_json(load_yaml(path).data):
            variants = case.get("each") or [{"answers": case["answers"], "expect": case["expect"]}]
            for i, variant in enumerate(variants):
                cases.append(
                    pytest.param(
                        case["procedure"],
                        case.get("post"),
                        case["on"],
                        variant["answers"],
                        variant["expect"],
                        id=f"{case['name']} [{i + 1}]" if len(variants) > 1 else case["name"],
                    )
                )
    return cases


@pytest.mark.parametrize("procedure_id, post, on, answers, expect", load_cases())
def test_seed_rule(content, procedure_id, post, on, answers, expect):
    """A case may name the post that offers the procedure: its facts (delivery time, closing days) count."""
    outcome = evaluate(content.procedures[procedure_id], answers, on, content.posts.get(post))
    assert outcome["status"] == "outcome", outcome
    if "route" in expect:
        assert outcome["route"] == expect["route"]
    if "total" in expect:
        assert outcome["total"] == expect["total"]
    listed = set(outcome["steps"]) | set(outcome["documents"]) | set(outcome["warnings"])
    for key in ("steps", "documents", "warnings"):
        missing = [item for item in expect.get(key, []) if item not in outcome[key]]
        assert not missing, f"{key} lack {missing}: {outcome[key]}"
    unexpected = [item for item in expect.get("without", []) if item in listed]
    assert not unexpected, f"should not be listed: {unexpected}"
    if "timing" in expect:
        assert outcome["timing"] == expect["timing"]
    if "costs" in expect:
        assert outcome["costs"] == expect["costs"]
    if "validity" in expect:
        assert outcome["validity"] == expect["validity"]
    if "fees_marked_example" in expect:
        assert outcome["fees"] and all(fee["example"] for fee in outcome["fees"])


def test_cases_cover_every_procedure(procedures):
    covered = {param.values[0] for param in load_cases()}
    assert covered == set(procedures)


# --- error values, never exceptions -----------------------------------------------------------


@pytest.mark.parametrize(
    "answers, code, question",
    [
        ({"colour": "red"}, "unknown-question", "colour"),
        ({"status": "tourist"}, "unknown-option", "status"),
        ({"status": "refugee", "age": "2030-01-01"}, "invalid-date", "age"),
        ({"status": "refugee", "age": "2019-02-30"}, "invalid-date", "age"),
        ({"status": ["refugee"]}, "unknown-option", "status"),
    ],
)
def test_bad_answers_give_an_error_value(procedures, answers, code, question):
    result = evaluate(procedures["travel-document"], answers, GOLDEN_DATE)
    assert result["status"] == "error"
    assert result["errors"][0]["code"] == code
    assert result["resume_at"] == question


def test_an_answer_to_a_question_that_does_not_apply_is_refused(procedures):
    result = evaluate(procedures["passport"], {"registered": "no", "service": "new-passport"}, GOLDEN_DATE)
    assert result["status"] == "error"
    assert result["errors"][0]["code"] == "not-applicable"
    assert result["resume_at"] == "service"


def test_a_bad_date_gives_an_error_value(procedures):
    result = evaluate(procedures["travel-document"], {}, "not-a-date")
    assert result["status"] == "error" and result["errors"][0]["code"] == "invalid-date"


def test_questions_come_one_at_a_time_in_order(procedures):
    procedure = procedures["passport"]
    assert evaluate(procedure, {}, GOLDEN_DATE)["question"] == "registered"
    assert evaluate(procedure, {"registered": "yes"}, GOLDEN_DATE)["question"] == "service"
    assert evaluate(procedure, {"registered": "yes", "service": "new-passport"}, GOLDEN_DATE)["question"] == "place"


# --- dated fees: on the day before and the day a change takes effect --------------------------


@pytest.fixture
def with_fee_change(procedures):
    procedure = copy.deepcopy(procedures["travel-document"])
    fee = next(f for f in procedure["fees"] if f["id"] == "adult-standard")
    fee["values"].append({"from": "2027-01-01", "amount": 75, "source": "seed-003"})
    return procedure


ADULT_STANDARD = {"status": "refugee", "age": "adult", "speed": "standard"}


def test_the_day_before_a_change_the_old_fee_applies_and_the_change_is_announced(with_fee_change):
    fee = evaluate(with_fee_change, ADULT_STANDARD, "2026-12-31")["fees"][0]
    assert (fee["amount"], fee["next"]) == ("70.00", {"from": "2027-01-01", "amount": "75.00"})


def test_on_the_day_of_a_change_the_new_fee_applies(with_fee_change):
    outcome = evaluate(with_fee_change, ADULT_STANDARD, "2027-01-01")
    assert outcome["fees"][0]["amount"] == "75.00" and outcome["fees"][0]["next"] is None
    assert outcome["total"] == [{"currency": "EUR", "amount": "75.00"}]


def test_a_date_before_every_fee_value_is_an_error_not_a_fallback(procedures):
    result = evaluate(procedures["travel-document"], ADULT_STANDARD, "2020-01-01")
    assert result["status"] == "error" and result["errors"][0]["code"] == "no-fee-in-force"


def test_a_null_amount_ends_a_fee(with_fee_change):
    with_fee_change["fees"][0]["values"].append({"from": "2028-01-01", "amount": None})
    assert evaluate(with_fee_change, ADULT_STANDARD, "2028-01-01")["fees"] == []


# --- exact dates --------------------------------------------------------------------------------


def test_age_on_counts_completed_years_and_leap_days():
    assert age_on("2009-03-15", "2027-03-14") == 17
    assert age_on("2009-03-15", "2027-03-15") == 18
    assert age_on("2008-02-29", "2026-02-28") == 17
    assert age_on("2008-02-29", "2026-03-01") == 18


def test_working_days_skip_weekends():
    assert add_working_days("2026-12-04", 1) == "2026-12-07"  # Friday -> Monday
    assert add_working_days("2026-12-01", 7) == "2026-12-10"  # a Tuesday: Tuesday + 7 working days
