"""What no answer path reaches is reported; what a path reaches only on a later date is not.

The messages themselves are in the corpus (tests/broken/*-never-*, route-never-reached,
validity-shadowed-by-an-earlier-one, document-no-longer-asked-for). These cases are the ones
where `check` must stay silent although the build date alone would suggest otherwise.
"""

import pytest
import test_broken_files as corpus
from conftest import ROOT

BUILD_DATE = corpus.CASE_DATE  # 2026-12-01
LOSS_REPORT = "  - id: loss-report\n    label:"
NEW_PASSPORT_STEP = "        when: {new-passport: yes}\n"
FEE = "{from: 2026-11-23, amount: 70, source: seed-003, since_checked: true}"


def when_line(relative, anchor):
    """The line of the `when:` put right after `anchor`'s first line (where check reports it)."""
    text = (ROOT / relative).read_text(encoding="utf-8")
    return text[: text.index(anchor)].count("\n") + 2


def check_with(tmp_path, relative, old, new):
    """The lines `check` reports on the build date, with `old` replaced by `new` in one shipped file."""
    tree = corpus.content_tree(tmp_path)
    text = (ROOT / relative).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (tree / relative).write_text(text.replace(old, new), encoding="utf-8")
    return corpus.reported(tree, BUILD_DATE)


@pytest.mark.parametrize(
    "relative, old, new",
    [
        (
            "procedures/lost-passport.yaml",
            LOSS_REPORT,
            "  - id: loss-report\n    when: {on: {from: 2027-06-01}}\n    label:",
        ),
        (
            "procedures/lost-passport.yaml",
            NEW_PASSPORT_STEP,
            "        when: {all: [{new-passport: yes}, {on: {from: 2027-06-01}}]}\n",
        ),
        (
            "procedures/travel-document.yaml",
            "  - id: speed\n    short:",
            "  - id: speed\n    when: {on: {from: 2028-01-01}}\n    short:",
        ),
    ],
    ids=["document", "step", "question"],
)
def test_content_that_starts_to_apply_on_a_future_date_is_reached(tmp_path, relative, old, new):
    assert check_with(tmp_path, relative, old, new) == []


def test_a_fee_that_has_ended_still_applies_and_is_not_reported(tmp_path):
    ended = FEE + "\n      - {from: 2026-11-30, amount: null, source: seed-003}"
    assert check_with(tmp_path, "procedures/travel-document.yaml", FEE, ended) == []


def test_a_contradiction_is_reported_even_in_content_that_starts_on_a_future_date(tmp_path):
    new = "  - id: loss-report\n    when: {all: [{on: {from: 2027-06-01}}, {new-passport: yes}, {new-passport: no}]}\n"
    assert check_with(tmp_path, "procedures/lost-passport.yaml", LOSS_REPORT, new + "    label:") == [
        f"procedures/lost-passport.yaml:{when_line('procedures/lost-passport.yaml', LOSS_REPORT)}:5: "
        "document 'loss-report' is never asked for: no answer path meets its "
        "'when' — correct its 'when' (it may contradict itself, or ask for answers that never come together), "
        "or remove it"
    ]


def test_content_that_applied_only_before_the_build_date_is_a_warning_that_names_the_date(tmp_path):
    new = "  - id: loss-report\n    when: {on: {before: 2026-11-01}}\n    label:"
    assert check_with(tmp_path, "procedures/lost-passport.yaml", LOSS_REPORT, new) == [
        f"procedures/lost-passport.yaml:{when_line('procedures/lost-passport.yaml', LOSS_REPORT)}:5: "
        "warning: document 'loss-report' is no longer asked for: its 'when' "
        "held only before 2026-11-01 — remove it, or correct the date in its 'when'"
    ]
