"""The engine runs unchanged in real Pyodide (Node.js with the pinned npm package)."""

from pyodide_node import run_in_pyodide

from wizard.engine import evaluate


def test_engine_gives_the_same_outcome_in_pyodide(procedures):
    calls = [
        {
            "procedure": procedures["travel-document"],
            "answers": {"status": "stateless", "age": "2012-05-01", "speed": "super-urgent"},
            "on": "2026-12-01",
        },
        {"procedure": procedures["passport"], "answers": {"registered": "no"}, "on": "2026-12-01"},
        {"procedure": procedures["passport"], "answers": {"registered": "maybe"}, "on": "2026-12-01"},
    ]
    results = run_in_pyodide(calls)
    assert results[0]["total"] == [{"currency": "EUR", "amount": "285.00"}]
    assert results[1]["route"] == "register-first"
    assert results[2]["status"] == "error"
    assert results == [evaluate(c["procedure"], c["answers"], c["on"]) for c in calls]
