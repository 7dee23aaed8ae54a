"""`build.py diff BASE`: an editor changes a fee and a document; the report names exactly what changes."""

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from build import GOLDEN_DATE
from pipeline.diff import diff_report

FEE_LINE = "      - {from: 2026-11-23, amount: 70, source: seed-003, since_checked: true}\n"
PHOTO = "  - id: photo\n    label:\n"
BIRTH_CERTIFICATE = """  - id: birth-certificate
    when: {status: stateless}
    label:
      nl: Een geboorteakte
      fr: Un acte de naissance
      de: Eine Geburtsurkunde
      en: A birth certificate
"""


def git(cwd, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True, capture_output=True
    )


@pytest.fixture
def edited_copy(tmp_path):
    """A copy of the repository's content, committed, then edited as an editor would."""
    for folder in ("procedures", "content"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    path = tmp_path / "procedures" / "travel-document.yaml"
    text = path.read_text(encoding="utf-8")
    assert FEE_LINE in text and PHOTO in text
    text = text.replace(FEE_LINE, FEE_LINE + "      - {from: 2027-01-01, amount: 75, source: seed-003}\n")
    text = text.replace(PHOTO, BIRTH_CERTIFICATE + PHOTO)
    path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_report_names_the_affected_paths_and_values(edited_copy):
    report = diff_report(edited_copy, "HEAD", GOLDEN_DATE)
    lines = report.splitlines()
    assert "- document `birth-certificate` added, on 9 paths (status=stateless)" in lines
    assert "- fee `adult-standard` 70.00 → 75.00 EUR from 2027-01-01, on 3 paths (age=adult, speed=standard)" in lines
    changes = [line for line in lines if line.startswith("- ") and "`" in line]
    assert len(changes) == 2, report
    assert "## passport" not in report and "## lost-passport" not in report


def test_the_report_lists_text_changes_per_language(edited_copy):
    report = diff_report(edited_copy, "HEAD", GOLDEN_DATE)
    assert "  - `procedures/travel-document: documents.birth-certificate.label` added: “Un acte de naissance”" in report
    assert "- **de**: 1 text changed" in report


def test_no_change_says_so(edited_copy):
    git(edited_copy, "commit", "-qam", "edit")
    assert "No answer and no text changes." in diff_report(edited_copy, "HEAD", GOLDEN_DATE)


def test_an_unknown_revision_is_a_clear_error():
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "diff", "no-such-revision"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert "cannot read revision 'no-such-revision' with git" in result.stderr
