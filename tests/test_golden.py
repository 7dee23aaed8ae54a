"""Every answer path of every procedure matches its golden outcome file in tests/golden/.

After an intended change, refresh them with `.venv/bin/python build.py golden` and review the
diff: it shows, path by path, what the change does to visitors' answers.
"""

import json

import pytest

from build import GOLDEN_DIR, golden_outcomes

REFRESH = "if the change is intended, run `.venv/bin/python build.py golden` and commit the diff"


@pytest.fixture(scope="module")
def computed(content):
    return golden_outcomes(content)


def test_every_procedure_has_a_golden_file(computed):
    assert sorted(p.stem for p in GOLDEN_DIR.glob("*.json")) == sorted(computed), REFRESH


def test_golden_files_match_every_path(computed):
    for pid, data in computed.items():
        stored = json.loads((GOLDEN_DIR / f"{pid}.json").read_text(encoding="utf-8"))
        assert set(stored["paths"]) == set(data["paths"]), f"{pid}: the set of paths changed; {REFRESH}"
        for key, outcome in data["paths"].items():
            assert stored["paths"][key] == outcome, f"{pid} {key}: outcome changed; {REFRESH}"


def test_every_path_ends_in_an_outcome(computed):
    for pid, data in computed.items():
        assert data["paths"], pid
        assert all(o["status"] == "outcome" for o in data["paths"].values()), pid
