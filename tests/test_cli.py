"""`build.py explain` and `build.py golden --check`, run as an editor would run them."""

import subprocess
import sys

from conftest import ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_explain_prints_the_outcome_for_given_answers_in_the_chosen_language():
    result = run(
        "explain",
        "travel-document",
        "status=stateless",
        "age=minor-12-17",
        "speed=super-urgent",
        "--date",
        "2026-12-01",
        "--lang",
        "en",
    )
    assert result.returncode == 0, result.stderr
    assert "Apply for the travel document directly at your municipality" in result.stdout
    assert "Total: 285.00 EUR" in result.stdout
    assert "[ ] A recent passport photo that meets the standards (at most 6 months old)" in result.stdout


def test_explain_without_answers_lists_every_path():
    result = run("explain", "travel-document", "--date", "2026-12-01")
    assert result.returncode == 0, result.stderr
    paths = [line for line in result.stdout.splitlines() if line.startswith("status=")]
    assert len(paths) == 27
    assert "status=other-foreigner/age=adult/speed=standard" in paths


def test_explain_with_partial_answers_shows_the_next_question_and_its_options():
    result = run("explain", "passport", "registered=yes", "--lang", "nl", "--date", "2026-12-01")
    assert result.returncode == 0
    assert "next question: service: Wat wilt u aanvragen?" in result.stdout
    assert "service=add-names" in result.stdout


def test_explain_reports_a_bad_answer_without_a_traceback():
    result = run("explain", "passport", "registered=perhaps", "--date", "2026-12-01")
    assert result.returncode == 1
    assert "error: 'perhaps' is not an answer to question 'registered'." in result.stdout
    assert "Traceback" not in result.stderr


def test_golden_check_passes_on_the_shipped_content():
    result = run("golden", "--check")
    assert result.returncode == 0, result.stdout
    assert "golden files are up to date" in result.stdout
