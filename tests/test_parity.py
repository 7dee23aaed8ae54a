"""Parity: every answer path of every procedure gives, in Pyodide, exactly the CPython outcome.

Pyodide runs under Node from the files of an installed runtime (pipeline/runtime.py's
`run_installed`: what a browser gets), twice: (1) the full variant (Pyodide's whole standard
library, the engine as .py sources): the engine runs unchanged in Pyodide; (2) the runtime as
shipped in a site (trimmed standard library and engine compiled to .pyc inside Pyodide, the
browser's entry point `wizard_entry`), which must not have lost a module or changed a result by
being shrunk. Every answer prefix is checked (questions, outcomes, errors), plus dates of birth for
age questions and answers that are not options; the seeds' own figures are checked as Pyodide
computed them.
"""

import json

import pytest

from build import GOLDEN_DATE
from pipeline.runtime import install_runtime, run_installed
from wizard import browser
from wizard.engine import evaluate
from wizard.paths import all_prefixes
from wizard.state import fragment_of

BIRTH_DATES = ["2012-05-01", "2020-02-29", "1990-12-01", "2026-12-01", "2027-01-01"]
# Answers a tampered address can carry: not an option of the question, a question that does not exist.
NOT_OPTIONS = [("passport", {"registered": "maybe"}), ("travel-document", {"status": "stateless", "colour": "blue"})]
# The seeds' figures: (procedure, answers, what Pyodide must say).
SEEDS = [
    (
        "travel-document",
        {"status": "stateless", "age": "2012-05-01", "speed": "super-urgent"},
        {"total": [{"currency": "EUR", "amount": "285.00"}]},
    ),
    ("passport", {"registered": "no"}, {"route": "register-first"}),
    ("passport", {"registered": "maybe"}, {"status": "error"}),
]


def every_answer_set(procedure):
    """Every answer prefix, and each path again with every date of birth in place of an age class."""
    ages = {q["id"] for q in procedure["questions"] if q.get("kind") == "age"}
    found = []
    for pairs in all_prefixes(procedure, GOLDEN_DATE):
        answers = dict(pairs)
        found.append(answers)
        for qid in ages & set(answers):
            found.extend(dict(answers, **{qid: born}) for born in BIRTH_DATES)
    return found


@pytest.fixture(scope="module")
def cases(procedures):
    found = [(pid, answers) for pid in sorted(procedures) for answers in every_answer_set(procedures[pid])]
    found += NOT_OPTIONS
    assert all((pid, answers) in found for pid, answers, _ in SEEDS)
    return found


def test_every_path_gives_the_same_result_in_pyodide(procedures, cases, content, root, tmp_path):
    info = install_runtime(tmp_path, content.wizard_data(), root, content.on, optimise=False)
    assert info["variant"] == "full"
    calls = [["evaluate", {"procedure": pid, "answers": answers, "on": GOLDEN_DATE}] for pid, answers in cases]
    expected = [evaluate(procedures[pid], answers, GOLDEN_DATE) for pid, answers in cases]
    assert {r["status"] for r in expected} == {"question", "outcome", "error"}
    results = run_installed(info["dir"], calls, root)
    assert len(results) == len(calls)
    for (pid, answers), got, want in zip(cases, results, expected, strict=True):
        assert got == want, f"{pid} {answers}"
    for pid, answers, figures in SEEDS:
        got = results[cases.index((pid, answers))]
        assert {key: got.get(key) for key in figures} == figures, f"{pid} {answers}"


def render_calls(content):
    """render (the interactive wizard's step for an address) on every answer prefix, every post, two languages."""
    calls = []
    for lang in ("en", "fr"):
        for post_id, post in sorted(content.posts.items()):
            for pid in sorted(content.procedures):
                if pid not in post["procedures"]:
                    continue
                for pairs in all_prefixes(content.procedures[pid], GOLDEN_DATE):
                    fragment = fragment_of(pairs, GOLDEN_DATE)
                    arguments = {"procedure": pid, "fragment": fragment, "lang": lang, "post": post_id}
                    calls.append(["render", dict(arguments, today=GOLDEN_DATE)])
    # A tampered address: an unknown option, then an answer given after it.
    calls.append(["render", dict(calls[-1][1], fragment="#status=martian&age=adult")])
    return calls


def test_the_shipped_runtime_gives_the_same_results_and_texts(procedures, cases, content, root, tmp_path):
    data = content.wizard_data()
    info = install_runtime(tmp_path, data, root, content.on, cache_dir=root / ".build" / "runtime")
    assert info["variant"] == "optimised"
    calls = [["evaluate", {"procedure": pid, "answers": answers, "on": GOLDEN_DATE}] for pid, answers in cases]
    calls += render_calls(content)
    browser.load(json.dumps(data))
    expected = [json.loads(browser.call(name, json.dumps(arguments))) for name, arguments in calls]
    assert {step.get("status") for step in expected} >= {"question", "outcome", "error"}
    results = run_installed(info["dir"], calls, root)
    assert len(results) == len(calls)
    for call, got, want in zip(calls, results, expected, strict=True):
        assert got == want, call
