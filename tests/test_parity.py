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
from wizard.present import describe_outcome, describe_question
from wizard.steps import all_steps

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
    for pairs in all_steps(procedure, GOLDEN_DATE):
        found.append(dict(pairs))
        for qid in ages & {q for q, _ in pairs}:
            found.extend(dict(pairs, **{qid: born}) for born in BIRTH_DATES)
    return found


@pytest.fixture(scope="module")
def cases(procedures):
    found = [(pid, answers) for pid in sorted(procedures) for answers in every_answer_set(procedures[pid])]
    found += NOT_OPTIONS
    assert all((pid, answers) in found for pid, answers, _ in SEEDS)
    return found


def test_every_path_gives_the_same_result_in_pyodide(procedures, cases, root, tmp_path):
    info = install_runtime(tmp_path, procedures, root, optimise=False)
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
    """render_step (the interactive wizard's one call) on every answer prefix, in two languages."""
    post = next(iter(content.posts.values()))
    calls = []
    for lang in ("en", "fr"):
        strings = content.wizard_strings(lang)
        for pid in sorted(content.procedures):
            for pairs in all_steps(content.procedures[pid], GOLDEN_DATE):
                calls.append(
                    [
                        "render_step",
                        {
                            "procedure": pid,
                            "pairs": [list(p) for p in pairs],
                            "on": GOLDEN_DATE,
                            "lang": lang,
                            "strings": strings,
                            "post": post,
                            "style": "hash",
                        },
                    ]
                )
    # A tampered address: an unknown option, then an answer given after it.
    calls.append(["render_step", dict(calls[-1][1], pairs=[["status", "martian"], ["age", "adult"]])])
    return calls


def test_the_shipped_runtime_gives_the_same_results_and_texts(procedures, cases, content, root, tmp_path):
    info = install_runtime(tmp_path, procedures, root, cache_dir=root / ".build" / "runtime")
    assert info["variant"] == "optimised"
    calls, expected = [], []
    for pid, answers in cases:
        result = evaluate(procedures[pid], answers, GOLDEN_DATE)
        calls.append(["evaluate", {"procedure": pid, "answers": answers, "on": GOLDEN_DATE}])
        expected.append(result)
        if result["status"] == "outcome":
            calls.append(["describe", {"procedure": pid, "result": result, "lang": "de"}])
            expected.append(describe_outcome(procedures[pid], result, "de"))
        elif result["status"] == "question":
            calls.append(["describe", {"procedure": pid, "result": result, "lang": "nl"}])
            expected.append(describe_question(procedures[pid], result["question"], "nl"))
    browser.load_procedures(json.dumps(procedures))
    for call in render_calls(content):
        calls.append(call)
        expected.append(json.loads(browser.call(*call[:1], json.dumps(call[1]))))
    results = run_installed(info["dir"], calls, root)
    assert len(results) == len(calls)
    for call, got, want in zip(calls, results, expected, strict=False):
        assert got == json.loads(json.dumps(want)), call
