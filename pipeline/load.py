"""Read YAML files into plain data, remembering the line and column of every value.

PyYAML's composer keeps node positions; we build the data ourselves from the nodes so that each
value's key path maps to where it was written, and so that duplicate keys are errors instead of
silently overwriting each other. Plain values are read as YAML 1.2 reads them, not as YAML 1.1
(PyYAML's default) does: only `true`/`false` are booleans, so option ids such as `yes`, `no`, `on`
and the country code `NO` stay strings; numbers are decimal, so `010` is ten (not eight) and
`9:30` is a text (not 570).

Content comes from pull requests, so no file may make the build crash or run out of memory:
a file is refused, with its line and column, when it is larger than `MAX_FILE_BYTES`, holds more
than `MAX_VALUES` values, is nested deeper than `MAX_DEPTH`, or when its aliases (`*name`, which
repeat the block marked `&name`) would copy more than `MAX_ALIAS_COPY` characters or refer to the
block they are in. These are checked on the parser's events as the composer takes them, before
anything is expanded: a "billion laughs" file is refused after a few lines, not after filling the
memory. Aliases stay allowed because they keep one text in one place (a label shared by fees).
"""

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:  # libyaml's parser, in PyYAML's wheels; without it every file takes the pure Python way
    from yaml.cyaml import CParser as _CParser
except ImportError:
    _CParser = None

from .errors import Problem

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_ALIAS_COPY = 100_000
MAX_VALUES = 20_000  # the largest shipped file holds about 1200
MAX_NUMBER_LENGTH = 50
# The tags a value may carry: those YAML gives plain values itself (explicit `!!str` included).
SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
MAP_TAG, SEQ_TAG, MERGE_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"
YAML_1_1_ONLY = {f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "value")}


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads plain values as YAML 1.2 does: true/false, decimal numbers; `=` is a text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in YAML_1_1_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Loader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: int(loader.construct_scalar(node)))


class _Refused(Exception):
    """Raised by `_LimitedLoader` for a file beyond a limit; carries the mark and the words."""

    def __init__(self, mark, message, hint):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


@dataclass
class _Open:
    """A collection being composed: its anchor, and the size and depth it has so far."""

    anchor: str | None
    size: int = 1
    height: int = 1


class _LimitedLoader(_Loader):
    """A loader that checks each parser event as the composer takes it (`get_event`): nesting
    depth, and aliases: defined before, not inside the block they repeat, copying little in all.

    Sizes count one per value plus the characters of each text, aliases included as written out,
    so that the copy limit holds for whatever an alias repeats, however deeply aliases nest.
    """

    def __init__(self, text):
        super().__init__(text)
        self._open = []  # the collections around the current event, outermost first
        self._anchors = {}  # anchor -> (size, height) of the finished node it marks
        self._copied = 0  # size copied by aliases so far
        self._values = 0  # values (texts, numbers, lists, mappings, aliases) so far

    def get_event(self):
        event = self._next_event()
        if isinstance(event, yaml.NodeEvent):
            self._count(event)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._enter(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            node = self._open.pop()
            self._finish(node.anchor, node.size, node.height, event)
        elif isinstance(event, yaml.ScalarEvent):
            self._finish(event.anchor, 1 + len(event.value), 0, event)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        return event

    def _next_event(self):
        return super().get_event()

    def _count(self, event):
        self._values += 1
        if self._values > MAX_VALUES:
            raise _Refused(
                event.start_mark,
                f"the file holds more than {MAX_VALUES} values",
                "content files are far smaller: look for pasted data, or split the content into several files",
            )

    def _enter(self, event):
        if len(self._open) >= MAX_DEPTH:
            raise _Refused(
                event.start_mark,
                f"the data is nested more than {MAX_DEPTH} levels deep",
                "content never needs that many levels: check the indentation and the brackets [ { on the lines above",
            )
        self._open.append(_Open(event.anchor))

    def _finish(self, anchor, size, height, event):
        if anchor is not None:
            self._anchors[anchor] = (size, height)
        if self._open:
            parent = self._open[-1]
            parent.size += size
            parent.height = max(parent.height, height + 1)

    def _alias(self, event):
        name = event.anchor
        if any(node.anchor == name for node in self._open):
            raise _Refused(
                event.start_mark,
                f"the alias '*{name}' is inside the block '&{name}' it repeats, so it would never end",
                "write the value here instead of the alias",
            )
        if name not in self._anchors:
            close = difflib.get_close_matches(name, list(self._anchors), n=1)
            raise _Refused(
                event.start_mark,
                f"the alias '*{name}' repeats no block: there is no '&{name}' above it",
                f"did you mean '*{close[0]}'?"
                if close
                else f"mark the block to repeat with '&{name}' above this line, or write the value here",
            )
        size, height = self._anchors[name]
        self._copied += size
        if self._copied > MAX_ALIAS_COPY:
            raise _Refused(
                event.start_mark,
                f"the aliases in this file repeat more than {MAX_ALIAS_COPY} characters "
                f"('*{name}' goes over the limit)",
                "an alias may repeat a short block such as a label or a step: "
                "write larger or nested repeats out in full where they are needed",
            )
        if len(self._open) + height > MAX_DEPTH:
            raise _Refused(
                event.start_mark,
                f"the alias '*{name}' makes the data nested more than {MAX_DEPTH} levels deep",
                "write the value here instead of the alias, with fewer levels",
            )
        self._finish(None, size, height, event)


class _FastLimitedLoader(_LimitedLoader):
    """The same loader with libyaml's parser (C) giving the events: several times faster on
    the content files. Only for files that load without a problem: load_yaml reads a file this
    loader refuses again with the pure Python one, whose messages the corpus of broken files pins.
    """

    def __init__(self, text):
        super().__init__(text)
        self._events = _CParser(text)

    def check_event(self, *choices):
        return self._events.check_event(*choices)

    def peek_event(self):
        return self._events.peek_event()

    def _next_event(self):
        event = self._events.get_event()
        if isinstance(event, yaml.ScalarEvent) and not event.style:
            event.style = None  # a plain text: libyaml says '', the Python parser None
        return event


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
    """Load one YAML file into a `Document`; raise `LoadError` for any file that cannot be used as data.

    Every way a file can fail (too large, not text, a syntax error, a limit, an unsupported tag,
    a duplicate key) is a `LoadError` with the file, line and column: never a traceback.
    """
    path = Path(path)
    display = display or str(path)

    def refuse(line, column, message, hint):
        raise LoadError([Problem(display, line, column, message, hint)])

    text = _read_text(path, refuse)
    node, loader = libyaml_node(text)
    if loader is None:
        node, loader = python_node(text, refuse)
    if node is None:
        refuse(1, 1, "the file is empty (it holds no more than comments)", "write the definition, or delete the file")
    document = Document(path, display, None)
    problems = []
    document.data = _build(node, (), document, problems, loader)
    if problems:
        raise LoadError(problems)
    return document


def libyaml_node(text):
    """(node, loader) of `text` through libyaml, or (None, None) for any problem at all (then
    the pure Python loader reads it again and says what is wrong in its own words)."""
    if _CParser is None:
        return None, None
    try:
        loader = _FastLimitedLoader(text)
    except yaml.YAMLError:
        return None, None
    try:
        return loader.get_single_node(), loader
    except (yaml.YAMLError, _Refused):
        return None, None
    finally:
        loader.dispose()


def python_node(text, refuse):
    """(node, loader) of `text` through the pure Python loader; any problem is refused (LoadError)."""
    try:
        loader = _LimitedLoader(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, e.g. binary data
        line, column = _position(text, error.position)
        refuse(line, column, *_character_problem(error.character))
    try:
        node = loader.get_single_node()
    except _Refused as refused:
        refuse(refused.mark.line + 1, refused.mark.column + 1, refused.message, refused.hint)
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        refuse(line, column, *_character_problem(error.character))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        refuse(line, column, *_syntax_problem(error))
    except yaml.YAMLError as error:  # no position known
        refuse(1, 1, f"YAML syntax error: {error}", "check the file against the examples in CONTRIBUTING.md")
    finally:
        loader.dispose()
    return node, loader


def _read_text(path, refuse):
    """The file's text: at most `MAX_FILE_BYTES`, judged by its size before it is read, and UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            refuse(1, 1, *_size_problem(size))
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # a file that grows (or is no regular file) is cut here
    except OSError as error:  # e.g. a folder named x.yaml, or a file nobody may read
        refuse(1, 1, f"the file cannot be read: {error.strerror}", "make it a plain file that you may read")
    if len(data) > MAX_FILE_BYTES:
        refuse(1, 1, *_size_problem(len(data)))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[start : error.start].decode("utf-8", errors="replace")) + 1
        refuse(
            line,
            column,
            f"the file is not UTF-8 text: the byte 0x{data[error.start]:02X} here is no UTF-8 character",
            "save the file with UTF-8 encoding (it may have been saved as Latin-1 or Windows-1252)",
        )


def _size_problem(size):
    return (
        f"the file is {size} bytes, more than the limit of {MAX_FILE_BYTES} bytes (1 MB)",
        "content files are far smaller (tens of KB): look for pasted data, or split the content into several files",
    )


def _position(text, index):
    """(line, column), 1-based, of character `index` in `text`."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _character_problem(code):
    return (
        f"the file contains the character U+{code:04X}, which is not text",
        "remove it; if the file came from another program, save it again as plain UTF-8 text",
    )


def _syntax_problem(error):
    """PyYAML's wording of the common mistakes, in plain words; anything else as PyYAML says it."""
    what = error.problem or "invalid YAML"
    context = error.context or ""
    if "duplicate anchor" in context:
        name = re.search(r"anchor '?([^';]+)'?", context).group(1)
        return (
            f"the anchor '&{name}' is defined twice",
            f"it is already defined on line {error.context_mark.line + 1}; give each anchor its own name",
        )
    if "another document" in what:
        return (
            "a second YAML document starts here (a line '---' begins a new one)",
            "a file holds one document: remove the '---' line, or move what follows into its own file",
        )
    if "'\\t'" in what or "tab" in what:
        return "YAML syntax error: a tab character where YAML expects spaces", "indent with spaces, not tabs"
    if "expected <block end>" in what:
        return (
            "YAML syntax error: this line is not indented like the lines above it",
            "give it as many spaces as the other lines at its level (look at the line before it too)",
        )
    if "mapping values are not allowed" in what:
        return (
            "YAML syntax error: a ': ' appears where no new key can start",
            "put quotes around a text that contains ': ', or check the indentation of this line",
        )
    hint = "check the line and the one before it (indentation, quotes, a missing ':')"
    if "indentation" in what:
        hint = "give it as many spaces as the other lines at its level (look at the line before it too)"
    return f"YAML syntax error: {what}", hint


def _build(node, key_path, document, problems, loader):
    document.positions[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag == MERGE_TAG and isinstance(node, yaml.ScalarNode):  # a plain '<<' as a value is a text
        return node.value
    if not _tag_allowed(node, document, problems):
        return None
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = _key(key_node, document, problems)
            if key is None:
                continue
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
    return _scalar(node, document, problems, loader)


def _key(node, document, problems):
    """A mapping key: the text as written (keys are names, never numbers or dates); None if unusable."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if node.tag == MERGE_TAG:
        problems.append(
            Problem(
                document.display,
                line,
                column,
                "'<<' (merging one block into another) is not supported",
                "write the keys out here; an alias '*name' can repeat a whole block, but not merge into one",
            )
        )
        return None
    if not isinstance(node, yaml.ScalarNode):
        problems.append(
            Problem(
                document.display,
                line,
                column,
                "a key cannot be a list or a mapping",
                "write a plain word before the ':', e.g. 'label:' (a '?' at the start of a line makes a complex key)",
            )
        )
        return None
    if not _tag_allowed(node, document, problems):
        return None
    return node.value


def _tag_allowed(node, document, problems):
    """Only plain YAML values: a tag such as `!include` or `!!python/...` is refused, never acted on."""
    if isinstance(node, yaml.ScalarNode) and node.tag in SCALAR_TAGS:
        return True
    if node.tag == {yaml.MappingNode: MAP_TAG, yaml.SequenceNode: SEQ_TAG}.get(type(node)):
        return True
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    hint = "remove the tag (the word starting with '!'): values are texts, numbers, dates, lists and mappings"
    if "include" in tag:
        hint = "remove the tag (the word starting with '!') and write the value here: a file cannot include another"
    problems.append(
        Problem(
            document.display,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            f"the YAML tag '{tag}' is not supported",
            hint,
        )
    )
    return False


def _scalar(node, document, problems, loader):
    def problem(message, hint):
        problems.append(Problem(document.display, line, column, message, hint))
        return node.value

    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")  # as written in the file
    shown = _shorten(node.value)
    if tag in ("!!int", "!!float") and len(node.value) > MAX_NUMBER_LENGTH:
        return problem(
            f"the number '{shown}' has more than {MAX_NUMBER_LENGTH} characters",
            "write a number of a sensible size, or put quotes around it if it is a text",
        )
    written_as = loader.resolve(yaml.ScalarNode, node.value, (True, False)).replace("tag:yaml.org,2002:", "!!")
    if tag not in ("!!str", written_as) and (tag, written_as) != ("!!float", "!!int"):
        return problem(  # e.g. !!int abc, !!bool maybe
            f"'{shown}' cannot be read as the type its tag '{tag}' asks for",
            "remove the tag (the word starting with '!') or correct the value",
        )
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError as error:
        return problem(  # e.g. 2026-13-01 looks like a date but is none
            f"'{shown}' is not a real date: {error}",
            "write the date as YYYY-MM-DD with a month from 01 to 12 and a day that exists in that month",
        )
    if isinstance(value, float) and not math.isfinite(value):
        meaning = "'not a number'" if math.isnan(value) else "infinity"
        return problem(
            f"'{shown}' means {meaning} and cannot be used as a number",
            "write a number such as 70 or 12.50, or put quotes around it if it is a text",
        )
    if isinstance(value, str):
        bad = next((c for c in value if c not in "\t\n\r" and unicodedata.category(c) in ("Cc", "Cs")), None)
        if bad is not None and unicodedata.category(bad) == "Cs":
            return problem(
                f"the text contains U+{ord(bad):04X}, half of a character",
                "write the character itself instead of escapes such as \\ud83d (half of an emoji)",
            )
        if bad is not None:
            return problem(
                f"the text contains the character U+{ord(bad):04X}, which is not text",
                "remove it (in quotes, an escape such as \\x07 or \\u0007 writes such a character)",
            )
    return value


def _shorten(text, limit=40):
    return text if len(text) <= limit else text[: limit - 1] + "…"
