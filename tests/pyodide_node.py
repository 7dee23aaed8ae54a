"""Run the wizard engine inside Pyodide (under Node) from pytest.

    from pyodide_node import run_in_pyodide      # tests/ is on sys.path under pytest
    results = run_in_pyodide([
        {"procedure": proc, "answers": {"age": 30}, "on": "2026-01-15"},
        ...
    ])

Each call is evaluated as
``wizard.engine.evaluate(procedure, answers, on=datetime.date.fromisoformat(on))``
inside one Pyodide start (start-up costs a few seconds, so batch calls).
``procedure``/``answers`` must be JSON-serialisable, i.e. the form the browser
receives (YAML dates as ISO strings, not ``datetime.date``); ``on`` may be
omitted or None. Needs ``node`` and ``node_modules/pyodide`` (``./run.sh``
sets it up).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNNER = REPO / "tests" / "pyodide_runner.mjs"
WIZARD_DIR = REPO / "wizard"


def run_in_pyodide(
    calls: list[dict],
    *,
    wizard_dir: str | os.PathLike | None = None,
    timeout: float = 300,
) -> list[dict]:
    """Evaluate ``calls`` in Pyodide; return one result dict per call, in order.

    Raises AssertionError (with the runner's stderr, i.e. the Python traceback)
    if the runner fails or its output is not what was expected.
    """
    node = shutil.which("node")
    if node is None:
        raise AssertionError("node not found on PATH (needed for the Pyodide tests)")
    if not (REPO / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        raise AssertionError("node_modules/pyodide missing: run ./run.sh setup (npm ci)")

    job = json.dumps({"calls": list(calls)}, ensure_ascii=False)
    wdir = Path(wizard_dir) if wizard_dir is not None else WIZARD_DIR
    try:
        proc = subprocess.run(
            [node, str(RUNNER), str(wdir)],
            input=job,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"Pyodide runner timed out after {timeout}s\n--- stderr ---\n{e.stderr or ''}") from None

    if proc.returncode != 0:
        raise AssertionError(
            f"Pyodide runner failed (exit {proc.returncode})\n"
            f"--- stderr ---\n{proc.stderr}\n--- stdout ---\n{proc.stdout}"
        )
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if len(lines) != 1:
        raise AssertionError(
            f"Pyodide runner printed {len(lines)} stdout lines, expected 1\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
        )
    results = json.loads(lines[0])
    if not isinstance(results, list) or len(results) != len(calls):
        raise AssertionError(
            f"Pyodide runner returned {type(results).__name__} of "
            f"{len(results) if isinstance(results, list) else '?'} results for {len(calls)} calls"
        )
    return results
