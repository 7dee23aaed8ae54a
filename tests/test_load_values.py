"""Plain values read as an editor means them (YAML 1.2), and every odd value is a message, not a traceback.

PyYAML follows YAML 1.1, where `NO` is false, `010` is eight and `9:30` is the number 570: an
editor would never guess. Explicit tags (`!!bool`, `!!timestamp`, ...) on values that do not fit
them once ended in tracebacks; they are messages with the file and line now.
"""

import datetime

import pytest

from pipeline.load import LoadError, load_yaml


def load(tmp_path, text):
    path = tmp_path / "values.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, display="values.yaml").data


def refused(tmp_path, text):
    with pytest.raises(LoadError) as error:
        load(tmp_path, text)
    return [str(problem) for problem in error.value.problems]


def test_plain_values_are_read_as_yaml_1_2_reads_them(tmp_path):
    text = "[1, -2, +3, 1.5, .5, 1e5, 010, 1_000, 0x10, 9:30, yes, no, on, NO, true, false, ~, null, 2026-01-01]\n"
    assert load(tmp_path, text) == [
        1,
        -2,
        3,
        1.5,
        0.5,
        100000.0,
        10,
        "1_000",
        "0x10",
        "9:30",
        "yes",
        "no",
        "on",
        "NO",
        True,
        False,
        None,
        None,
        datetime.date(2026, 1, 1),
    ]


def test_keys_are_the_words_as_written(tmp_path):
    assert load(tmp_path, "1: a\nnull: b\ntrue: c\n2026-01-01: d\n") == {
        "1": "a",
        "null": "b",
        "true": "c",
        "2026-01-01": "d",
    }


def test_an_explicit_tag_that_fits_its_value_is_read(tmp_path):
    text = "a: !!str 12\nb: !!int 5\nc: !!float 5\nd: !!bool true\ne: !!timestamp 2026-01-01\n"
    assert load(tmp_path, text) == {"a": "12", "b": 5, "c": 5.0, "d": True, "e": datetime.date(2026, 1, 1)}


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: !!bool maybe\n", "'maybe' cannot be read as the type its tag '!!bool' asks for"),
        ("a: !!timestamp soon\n", "'soon' cannot be read as the type its tag '!!timestamp' asks for"),
        ("a: !!int 0x1F\n", "'0x1F' cannot be read as the type its tag '!!int' asks for"),
    ],
)
def test_an_explicit_tag_that_does_not_fit_its_value_is_a_message(tmp_path, text, message):
    assert refused(tmp_path, text) == [
        f"values.yaml:1:4: {message} — remove the tag (the word starting with '!') or correct the value"
    ]


@pytest.mark.parametrize("text", ["a: !!map abc\n", "a: !!seq {b: 1}\n", "a: !!str {b: 1}\n", "a: !!binary aGk=\n"])
def test_a_tag_of_another_kind_of_value_is_refused(tmp_path, text):
    tag = text.split()[1]
    assert refused(tmp_path, text) == [
        f"values.yaml:1:4: the YAML tag '{tag}' is not supported — remove the tag (the word starting with '!'): "
        "values are texts, numbers, dates, lists and mappings"
    ]


def test_a_folder_named_like_a_yaml_file_is_a_message(tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(LoadError) as error:
        load_yaml(tmp_path / "folder.yaml", display="folder.yaml")
    assert [str(p) for p in error.value.problems] == [
        "folder.yaml:1:1: the file cannot be read: Is a directory — make it a plain file that you may read"
    ]
