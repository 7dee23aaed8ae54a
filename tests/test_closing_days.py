"""Working days skip the public holidays of the office that does the work (pipeline/closing_days.py,
from the `holidays` package at build time; the engine reads the shipped table, standard library only).

Known dates: Norway's Constitution Day (17 May) and Kazakhstan's Nauryz (21-23 March, a day off in
lieu when one falls on a weekend); lunar-calendar holidays are estimates, and pages say so.
"""

import copy

from pipeline.closing_days import closed_days
from wizard.engine import add_working_days, evaluate
from wizard.present import timing_view

ADULT_AT_THE_EMBASSY = {
    "registered": "yes",
    "service": "new-passport",
    "place": "this-post",
    "age": "adult",
    "current-passport": "has-passport",
}


def test_norway_closes_on_constitution_day_and_christmas():
    closed = closed_days("NO", "2026-12-01")
    assert {"2026-12-25", "2027-05-17", "2027-12-25"} <= set(closed["dates"])
    assert "2027-05-18" not in closed["dates"] and closed["estimated"] == []


def test_kazakhstan_closes_for_nauryz():
    closed = closed_days("KZ", "2026-12-01")
    assert {"2027-03-21", "2027-03-22", "2027-03-23"} <= set(closed["dates"])


def test_a_monday_holiday_is_not_a_working_day():
    norway = set(closed_days("NO", "2026-12-01")["dates"])
    # Monday 10 May 2027 + 7 working days: the 17th is Constitution Day, so Thursday 20 May.
    assert add_working_days("2027-05-10", 7, norway) == "2027-05-20"
    assert add_working_days("2027-05-10", 7) == "2027-05-19"  # without holidays: a day earlier


def test_an_embassy_in_kazakhstan_counts_nauryz_out(content):
    post = copy.deepcopy(content.posts["astana"])
    post["facts"]["processing_time"] = {"value": {"working_days": 3}, "example": True}
    assert post["closed"]["country"] == "KZ"
    result = evaluate(content.procedures["passport"], ADULT_AT_THE_EMBASSY, "2027-03-19", post)
    delivery = result["timing"][0]
    # Friday 19 March 2027: Monday 22 and Tuesday 23 are Nauryz, Wednesday 24 the day off in lieu of
    # Sunday 21: the three working days are 25, 26 and 29 March.
    assert delivery["ready_on"] == "2027-03-29"
    assert delivery["holidays_skipped"] == ["2027-03-22", "2027-03-23", "2027-03-24"]
    words = content.words("en")
    shown = timing_view(delivery, "Delivery time", post, words)
    assert shown["ready_on"] == "March 29, 2027"
    assert "Kazakhstan" in shown["holidays"] and "March 22, 2027" in shown["holidays"]
    assert shown["holidays"] == words.fill(
        "holidays_counted", country="Kazakhstan", days="March 22, 2027, March 23, 2027 and March 24, 2027"
    )


def test_an_estimated_holiday_is_marked_as_an_estimate(content):
    post = copy.deepcopy(content.posts["astana"])
    post["facts"]["processing_time"] = {"value": {"working_days": 2}, "example": True}
    post["closed"] = closed_days("KG", "2026-12-01")
    assert "2027-03-09" in post["closed"]["estimated"]  # Eid al-Fitr follows the moon
    result = evaluate(content.procedures["passport"], ADULT_AT_THE_EMBASSY, "2027-03-08", post)
    assert "2027-03-09" in result["timing"][0]["holidays_skipped"]
    shown = timing_view(result["timing"][0], "Delivery time", post, content.words("nl"))
    assert shown["holidays"].startswith(content.words("nl").fill("holidays_estimated", country="x", days="y")[:40])
    assert "maankalender" in shown["holidays"]
