"""Read YAML files into plain data, remembering the line and column of every value.

PyYAML's composer keeps node positions; we build the data ourselves from the nodes so that each
value's key path maps to where it was written, and so that duplicate keys are errors instead of
silently overwriting each other. Only `true`/`false` are booleans (YAML 1.2 style): option ids
such as `yes`, `no`, `on` and the country code `NO` stay strings.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader whose booleans are only true/false (YAML 1.2), never yes/no/on/off."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


@dataclass
class Document:
    """One loaded YAML file: its data and where each key path was written."""

    path: Path
    display: str
    data: object
    positions: dict = field(default_factory=dict)
    key_positions: dict = field(default_factory=dict)

    def where(self, key_path, key=False):
        """(line, column), 1-based, of the value at `key_path` (or its key), else of its nearest parent."""
        key_path = tuple(key_path)
        table = self.key_positions if key else self.positions
        while key_path:
            if key_path in table:
                return table[key_path]
            if key_path in self.positions:
                return self.positions[key_path]
            key_path = key_path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, key_path, message, hint="", key=False, severity="error"):
        line, column = self.where(key_path, key=key)
        return Problem(self.display, line, column, message, hint, tuple(key_path), severity)


class LoadError(Exception):
    """Raised by `load_yaml` when a file is not valid YAML; holds the problems found."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def load_yaml(path, display=None):
    """Load one YAML file into a `Document`; raise `LoadError` for syntax errors and duplicate keys."""
    path = Path(path)
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LoadError(
            [
                Problem(
                    display, 1, 1, f"the file is not UTF-8 text ({error.reason})", "save the file with UTF-8 encoding"
                )
            ]
        ) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or "invalid YAML"
        raise LoadError(
            [Problem(display, line, column, f"YAML syntax error: {_syntax_message(what)}", _syntax_hint(what))]
        ) from None
    finally:
        loader.dispose()
    document = Document(path, display, None)
    if node is None:
        raise LoadError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "the file is empty (it holds no more than comments)",
                    "write the definition, or delete the file",
                )
            ]
        )
    problems = []
    document.data = _build(node, (), document, problems, loader)
    if problems:
        raise LoadError(problems)
    return document


def _syntax_message(what):
    """PyYAML's wording of the common mistakes, in plain words; anything else as PyYAML says it."""
    if "'\\t'" in what or "tab" in what:
        return "a tab character where YAML expects spaces"
    if "expected <block end>" in what:
        return "this line is not indented like the lines above it"
    if "mapping values are not allowed" in what:
        return "a ': ' appears where no new key can start"
    return what


def _syntax_hint(what):
    if "'\\t'" in what or "tab" in what:
        return "indent with spaces, not tabs"
    if "mapping values" in what:
        return "put quotes around a text that contains ': ', or check the indentation of this line"
    if "indentation" in what or "expected <block end>" in what:
        return "give it as many spaces as the other lines at its level (look at the line before it too)"
    return "check the line and the one before it (indentation, quotes, a missing ':')"


def _build(node, key_path, document, problems, loader):
    document.positions[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                first = document.key_positions[key_path + (key,)]
                problems.append(
                    Problem(
                        document.display,
                        where[0],
                        where[1],
                        f"duplicate key '{key}'",
                        f"it is already set on line {first[0]}; keep only one of them",
                    )
                )
                continue
            document.key_positions[key_path + (key,)] = where
            result[key] = _build(value_node, key_path + (key,), document, problems, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, key_path + (i,), document, problems, loader) for i, item in enumerate(node.value)]
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")  # as written in the file
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:  # a tag such as !include or !!python/...
        problems.append(
            Problem(
                document.display,
                line,
                column,
                f"the YAML tag '{tag}' is not supported",
                "remove the tag (the word starting with '!') and write the value here: a file cannot include another",
            )
        )
    except ValueError as error:
        if tag == "!!timestamp":  # e.g. 2026-13-01 looks like a date but is none
            problems.append(
                Problem(
                    document.display,
                    line,
                    column,
                    f"'{node.value}' is not a real date: {error}",
                    "write the date as YYYY-MM-DD with a month from 01 to 12 and a day that exists in that month",
                )
            )
        else:  # e.g. !!int abc
            problems.append(
                Problem(
                    document.display,
                    line,
                    column,
                    f"'{node.value}' cannot be read as the type its tag '{tag}' asks for",
                    "remove the tag (the word starting with '!') or correct the value",
                )
            )
    return node.value
