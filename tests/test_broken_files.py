"""The broken-file corpus: every kind of mistake an editor can make, each with its exact message.

Each folder under `tests/broken/` is one case: one content file at its place in the repository
(`procedures/travel-document.yaml`, `content/posts/oslo.yaml`, ...) that replaces the shipped file
or joins the shipped content, `expected.txt` with the exact lines `build.py check` prints for it
(`file:line:column: what is wrong — how to fix it`, in the order printed), and `case.yaml` with a
one-sentence `description` and, when it matters, the build `date`. The case is applied to a copy
of the shipped content in a temporary folder. Adding a case needs no code; see tests/broken/README.md.
"""

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from pipeline.errors import ContentError
from pipeline.model import load_content

CORPUS = Path(__file__).resolve().parent / "broken"
CASES = sorted(path.name for path in CORPUS.iterdir() if path.is_dir())
CASE_FILES = ("case.yaml", "expected.txt")
# Cases are checked as on this date (the golden date: every shipped fee is in force, no source is stale).
CASE_DATE = "2026-12-01"
CONTENT = ("procedures", "content")
CODE = ("build.py", "pipeline", "wizard", "schema")
MESSAGE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?:warning: )?(?P<what>.+) — (?P<hint>.+)$")


def broken_files(case):
    """The content files of a case, as paths relative to the case folder (and to the repository)."""
    folder = CORPUS / case
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.name not in CASE_FILES)


def settings(case):
    return yaml.safe_load((CORPUS / case / "case.yaml").read_text(encoding="utf-8"))


def expected(case):
    return (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@functools.cache
def shipped_content():
    """The content files git tracks (so that a colleague's unfinished new file does not break every
    case), or every content file when this is no git work tree."""
    try:
        listed = (
            subprocess.run(
                ["git", "ls-files", "-z", "--", *CONTENT], cwd=ROOT, capture_output=True, check=True, timeout=60
            )
            .stdout.decode("utf-8")
            .split("\0")
        )
        return sorted(Path(name) for name in listed if name and (ROOT / name).is_file())
    except (OSError, subprocess.SubprocessError):
        return sorted(p.relative_to(ROOT) for name in CONTENT for p in (ROOT / name).rglob("*") if p.is_file())


def content_tree(tmp, *cases, code=False):
    """A copy of the shipped content in `tmp` with the files of `cases` laid over it; with the code
    too when `code` is true, so that `build.py` (which reads the folder it lives in) checks it."""
    for relative in shipped_content():
        (tmp / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp / relative)
    for name in CODE if code else ():
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, tmp / name)
    for case in cases:
        for relative in broken_files(case):
            (tmp / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(CORPUS / case / relative, tmp / relative)
    return tmp


def reported(tree, on):
    """The lines `check` prints for the content in `tree`: its errors, or else its warnings."""
    try:
        content = load_content(tree, on=on)
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return [str(warning) for warning in content.warnings]


def check(tree, *args):
    return subprocess.run(
        [sys.executable, str(tree / "build.py"), "check", "--date", CASE_DATE, *args],
        capture_output=True,
        text=True,
        cwd=tree,
        timeout=120,
    )


@pytest.mark.parametrize("case", CASES)
def test_each_broken_file_gives_exactly_its_expected_messages(case, tmp_path):
    tree = content_tree(tmp_path, case)
    assert reported(tree, str(settings(case).get("date", CASE_DATE))) == expected(case)


def test_the_corpus_holds_at_least_fifteen_kinds_of_mistake_each_in_one_file_with_a_description():
    assert len(CASES) >= 15
    for case in CASES:
        assert len(broken_files(case)) == 1, f"{case}: a case breaks exactly one file"
        assert expected(case), f"{case}: expected.txt is empty"
        description = settings(case).get("description", "")
        assert description.endswith(".") and description[0].isupper(), f"{case}: describe it in one full sentence"


@pytest.mark.parametrize("case", CASES)
def test_each_expected_message_points_into_the_broken_file_and_says_how_to_fix_it(case):
    (broken,) = broken_files(case)
    # Decoded leniently: a case may hold a byte that is not UTF-8 (file-not-utf8), counted as one column.
    lines = (CORPUS / case / broken).read_bytes().decode("utf-8", errors="replace").splitlines() or [""]
    for message in expected(case):
        match = MESSAGE.match(message)
        assert match, f"{case}: not 'file:line:column: what is wrong — how to fix it': {message}"
        assert match["file"] == broken.as_posix()
        line, column = int(match["line"]), int(match["column"])
        assert 1 <= line <= len(lines), message
        assert 1 <= column <= len(lines[line - 1]) + 1, message


def test_a_stale_source_is_a_warning_that_only_strict_check_turns_into_a_failure(tmp_path):
    tree = content_tree(tmp_path, "source-not-checked-for-a-year", code=True)
    warning = expected("source-not-checked-for-a-year")

    lenient = check(tree)
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.splitlines() == warning
    last = lenient.stdout.splitlines()[-1]
    assert last.startswith("ok: ") and last.endswith("(1 warnings)")

    strict = check(tree, "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == warning + ["1 warning(s); --strict makes them errors."]


def test_check_reports_every_error_in_every_file_at_once_with_a_count_and_fails(tmp_path):
    cases = ["post-names-unknown-procedure", "unknown-key-typo", "fee-two-amounts-same-date"]  # three files
    tree = content_tree(tmp_path, *cases, code=True)
    messages = sorted((line for case in cases for line in expected(case)), key=_position)

    result = check(tree)
    assert result.returncode == 1
    assert result.stderr.splitlines() == messages + ["3 errors found; nothing was built."]
    assert result.stdout == ""


def _position(message):
    match = MESSAGE.match(message)
    return match["file"], int(match["line"]), int(match["column"])


def test_syntax_errors_in_several_files_are_all_reported_at_once(tmp_path):
    cases = ["yaml-tab-indentation", "fee-date-not-real", "empty-file"]
    tree = content_tree(tmp_path, *cases)
    assert sorted(reported(tree, CASE_DATE)) == sorted(line for case in cases for line in expected(case))


def test_check_passes_on_the_shipped_content():
    result = check(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("ok: ")
    assert result.stderr == ""


def test_a_file_that_does_not_load_does_not_hide_the_mistakes_of_the_others(tmp_path):
    cases = ["yaml-tab-indentation", "fee-two-amounts-same-date", "post-names-unknown-procedure"]
    tree = content_tree(tmp_path, *cases)
    assert sorted(reported(tree, CASE_DATE)) == sorted(line for case in cases for line in expected(case))
