"""The translators' round trip: every text of the content as a gettext PO file, and back into the YAML.

    export_catalog(root, lang, on)   `build.py translations export`: the PO file, as bytes, and counts
    import_catalog(root, po, lang)   `build.py translations import`: the translations written back

Every text mapping (`{nl: …, fr: …}`) in `procedures/*.yaml` and `content/**/*.yaml` is one entry,
found by walking the files generically (whatever keys hold texts):

- `msgctxt`, the text's address: `file:key.path`, list items by their id
  (`procedures/passport.yaml:questions[registered].options[yes].label`) or, without an id, by
  their position from 1 (`content/pages/consular-services.yaml:sections[what-we-do].paragraphs[2]`),
  so that the address survives reordering;
- `msgid`, the text in the source language (the site's first, Dutch); `msgstr`, the translation
  ("" when there is none yet);
- `#, fuzzy` when the file's `translations:` says the language is `unreviewed` (the PO convention
  for "translated, not checked"); files without `translations:` (posts, pages, the catalogue)
  record no review state, so their entries are never fuzzy;
- `#, python-brace-format` and a note when the text has `{placeholders}`; `#:` the file and line;
  a note naming the other places of a text the YAML repeats with an alias (`*name`).

The import changes the YAML files in place, and nothing but the texts that changed: ruamel.yaml
reads each file into nodes that know where each text starts and ends, how it is quoted, its anchor;
the new text is written over exactly those characters, in the same style (plain, 'single' or
"double" quotes, a | or > block) unless the new text cannot be written so (a plain text that now
contains ': ' gets double quotes). Every other byte stays as it was: comments, order, anchors and
aliases, flow `{…}` and block mappings, line length. (A full ruamel.yaml load and dump reproduces
the shipped files only with per-file settings, and re-indents or re-wraps any file that differs:
content/sources.yaml, for one.) A text the YAML repeats with an alias is one entry and is changed
once, at its anchor. Review states follow the fuzzy flags, per file and language: a file whose
every text comes back translated and not fuzzy becomes `reviewed`; one with a fuzzy entry,
`unreviewed`.

Nothing is written unless the whole file is right: every problem (a malformed PO file, a file for
another language, an unknown address, a Dutch text that changed since the export, a lost
placeholder) is collected and raised as a `TranslationError` with the PO file's line.
"""

import datetime
import difflib
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import ContentError, Problem
from .load import LoadError, load_yaml
from .model import PLACEHOLDER

CONTENT_GLOBS = ("procedures/*.yaml", "content/**/*.yaml")
SITE_FILE = "content/site.yaml"
LANG_KEY = re.compile(r"^[a-z]{2}$")
REVIEW_KEY = "translations"  # a file's review states: {nl: source, fr: reviewed, de: unreviewed}
FUZZY = "fuzzy"
BRACE_FORMAT = "python-brace-format"
_YAML = YAML(typ="safe", pure=True)  # YAML 1.2; its nodes know where each value starts and ends
# Babel wraps comment lines longer than 76 characters: these are shorter.
PO_HEADER = """\
# Texts of the consular procedures site, from {source} into {lang}.
# Written by `build.py translations export --lang {lang}`; bring it back
# with `build.py translations import FILE`.
# msgctxt is the text's place in the YAML (file:key.path, list items by
# id): keep msgctxt and msgid as they are, change msgstr only.
# "fuzzy": the translation has not been reviewed. Clear the flag once a
# native speaker has checked it; a file whose every text is translated
# and not fuzzy is then marked reviewed in the YAML.
#"""


class TranslationError(ContentError):
    """Raised by `export_catalog` and `import_catalog` with every problem found; no file was written."""

    def report(self):
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} error{'s' if count != 1 else ''} found; no file was changed.")
        return "\n".join(lines)


# --- the texts of the YAML files ----------------------------------------------------------------


@dataclass
class Text:
    """One text mapping of a YAML file: its address, its source text and where it is written."""

    file: str
    context: str
    mapping: MappingNode
    source: str
    line: int
    aliases: list = field(default_factory=list)  # other addresses the YAML repeats it at (*name)


@dataclass
class YamlFile:
    """One content file: its text, the nodes ruamel.yaml read from it, its texts and review states."""

    path: Path
    display: str
    text: str
    texts: list
    states: MappingNode | None  # the top-level `translations:` mapping, if the file has one

    def state(self, lang):
        """The review state of `lang` ('reviewed', 'unreviewed', …), '' when missing, None when not recorded."""
        if self.states is None:
            return None
        found = _entry(self.states, lang)
        return found[1].value if found else ""


@dataclass
class Content:
    """The site's languages and every content file that holds texts, in a stable order."""

    languages: list
    files: list
    languages_at: tuple = (1, 1)  # (line, column) of `languages:` in content/site.yaml

    @property
    def source(self):
        return self.languages[0]

    def texts(self):
        return [text for file in self.files for text in file.texts]


def read_content(root):
    """The languages of content/site.yaml and every content file's texts; raise TranslationError if a
    file cannot be read (its problems, with their lines, are those of `build.py check`)."""
    root = Path(root)
    paths = sorted({p for pattern in CONTENT_GLOBS for p in root.glob(pattern) if p.is_file()})
    problems, files, languages, languages_at = [], [], None, (1, 1)
    for path in paths:
        display = path.relative_to(root).as_posix()
        try:
            document = load_yaml(path, display=display)  # the loader's limits and messages, first
        except LoadError as error:
            problems += error.problems
            continue
        if display == SITE_FILE:
            languages = _languages(document, problems)
            languages_at = document.where(("languages",))
        files.append((path, display))
    if languages is None and not problems:
        problems.append(
            Problem(SITE_FILE, 1, 1, "the site's languages are not known", "list them: languages: [nl, fr]")
        )
    if problems:
        raise TranslationError(problems)
    loaded = [_read_file(path, display, languages) for path, display in files]
    return Content(languages, [f for f in loaded if f.texts], languages_at)


def _languages(document, problems):
    data = document.data if isinstance(document.data, dict) else {}
    languages = data.get("languages")
    if isinstance(languages, list) and languages and all(isinstance(x, str) and LANG_KEY.match(x) for x in languages):
        return languages
    problems.append(document.problem(("languages",), "the site's languages are not a list of language codes"))
    return None


def _read_file(path, display, languages):
    text = path.read_bytes().decode("utf-8")  # bytes: line ends are kept exactly as they are
    node = _compose(text, display)
    texts = []
    seen = {}  # id(node) -> the Text (or None) first found there: aliases repeat nodes
    _collect(node, (), display, languages[0], texts, seen)
    _check_unique(texts)
    states = None
    if isinstance(node, MappingNode):
        found = _entry(node, REVIEW_KEY)
        if found and isinstance(found[1], MappingNode):
            states = found[1]
    return YamlFile(path, display, text, texts, states)


def _compose(text, display):
    """The node tree of `text`; a file `load_yaml` accepted always composes (both are YAML parsers)."""
    try:
        return _YAML.compose(text)
    except YAMLError as error:  # a construct the project's loader reads and ruamel.yaml does not
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise TranslationError(
            [Problem(display, line, column, f"ruamel.yaml cannot read this file: {error}", "simplify the YAML here")]
        ) from error


def _collect(node, path, display, source, texts, seen):
    """Every text mapping under `node`, in the order written; an aliased node is walked once."""
    if id(node) in seen:  # an alias (*name): its texts are already found, at the anchor
        _note_alias(node, path, seen)
        return
    seen[id(node)] = None
    if isinstance(node, MappingNode):
        if _is_text_mapping(node, source) and path != (REVIEW_KEY,):
            source_node = _entry(node, source)[1]
            text = Text(
                display, f"{display}:{_address(path)}", node, source_node.value, source_node.start_mark.line + 1
            )
            seen[id(node)] = text
            texts.append(text)
            return
        for key, value in node.value:
            _collect(value, path + (str(key.value),), display, source, texts, seen)
    elif isinstance(node, SequenceNode):
        for position, item in enumerate(node.value, 1):
            _collect(item, path + (_item_name(item, position),), display, source, texts, seen)


def _note_alias(node, path, seen):
    """Note `path` as another place of each text inside the repeated `node`."""
    first = seen.get(id(node))
    if first is not None:
        first.aliases.append(_address(path))
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            _note_alias(value, path + (str(key.value),), seen)
    elif isinstance(node, SequenceNode):
        for position, item in enumerate(node.value, 1):
            _note_alias(item, path + (_item_name(item, position),), seen)


def _is_text_mapping(node, source):
    """{nl: …, fr: …}: two-letter keys with texts, the source language among them."""
    return (
        bool(node.value)
        and all(isinstance(k, ScalarNode) and LANG_KEY.match(str(k.value)) for k, _ in node.value)
        and all(isinstance(v, ScalarNode) for _, v in node.value)
        and _entry(node, source) is not None
    )


def _item_name(item, position):
    """A list item's part of an address: its id when it has one, else its position (from 1)."""
    if isinstance(item, MappingNode):
        found = _entry(item, "id")
        if found and isinstance(found[1], ScalarNode) and found[1].value:
            return _Id(found[1].value)
    return _Position(position)


class _Id(str):
    pass


class _Position(int):
    pass


def _address(path):
    """('questions', _Id('registered'), 'text') -> 'questions[registered].text'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, (_Id, _Position)) else f".{part}"
    return text.lstrip(".")


def _check_unique(texts):
    first = {}
    problems = []
    for text in texts:
        if text.context in first:
            problems.append(
                Problem(
                    text.file,
                    text.line,
                    1,
                    f"two texts have the address '{text.context}' (the other is on line {first[text.context].line})",
                    "give the list items different ids (build.py check names the duplicates)",
                )
            )
        first.setdefault(text.context, text)
    if problems:
        raise TranslationError(problems)


def _entry(mapping, key):
    """(key node, value node) of `key` in a mapping node, or None."""
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _translation(text, lang):
    found = _entry(text.mapping, lang)
    return found[1].value if found else ""


# --- export -------------------------------------------------------------------------------------


@dataclass
class Exported:
    """What `export_catalog` made: the PO file's bytes and how many texts it holds of each kind."""

    data: bytes
    lang: str
    texts: int
    untranslated: int
    fuzzy: int


def export_catalog(root, lang, on=None):
    """The PO file of every text of the content in `lang` (see the module's docstring).

    `on` (a date, default today) is written as the file's creation date, so that the same content
    exported on the same day gives the same bytes.
    """
    content = read_content(root)
    _check_language(content, lang)
    day = datetime.date.fromisoformat(on) if isinstance(on, str) else (on or datetime.date.today())
    stamp = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    catalog = Catalog(
        locale=lang,
        header_comment=PO_HEADER.format(source=content.source, lang=lang),
        project="consular-procedures",
        version=day.isoformat(),
        creation_date=stamp,
        revision_date=stamp,
        fuzzy=False,
    )
    untranslated = fuzzy = 0
    for file in content.files:
        state = file.state(lang)
        for text in file.texts:
            translation = _translation(text, lang)
            flags = []
            if translation and state is not None and state != "reviewed":
                flags.append(FUZZY)
            placeholders = sorted(set(PLACEHOLDER.findall(text.source)))
            if placeholders:
                flags.append(BRACE_FORMAT)
            notes = []
            if state is not None:
                notes.append(f"review state in {file.display}: {state or 'not given'}")
            if placeholders:
                notes.append(
                    "keep " + ", ".join(f"{{{p}}}" for p in placeholders) + " as written: the site fills it in"
                )
            notes += [f"also used at {where}" for where in text.aliases]
            message = catalog.add(
                text.source,
                translation,
                locations=[(file.display, text.line)],
                flags=flags,
                auto_comments=notes,
                context=text.context,
            )
            message.flags.discard("python-format")  # Babel's guess from a '%' in the text: never one here
            untranslated += not translation
            fuzzy += FUZZY in flags
    out = io.BytesIO()
    write_po(out, catalog, sort_output=False, ignore_obsolete=True)
    return Exported(out.getvalue(), lang, len(content.texts()), untranslated, fuzzy)


def _check_language(content, lang, where=None):
    """A translation language of the site; else the problem, at `where` (file, line, column) or at the
    languages of content/site.yaml."""
    others = [x for x in content.languages if x != content.source]
    file, line, column = where or (SITE_FILE, *content.languages_at)
    if lang == content.source:
        raise TranslationError(
            [
                Problem(
                    file,
                    line,
                    column,
                    f"'{lang}' is the source language: its texts are the originals, not translations",
                    f"change {lang} texts in the YAML itself; translations are in {', '.join(others)}",
                )
            ]
        )
    if lang not in content.languages:
        raise TranslationError(
            [
                Problem(
                    file,
                    line,
                    column,
                    f"'{lang}' is not a language of this site ({', '.join(content.languages)})",
                    f"use one of {', '.join(others)}, or add '{lang}' to the languages in content/site.yaml first",
                )
            ]
        )


# --- import -------------------------------------------------------------------------------------


@dataclass
class Imported:
    """What `import_catalog` did: texts changed per file, review states changed, texts not in the file."""

    lang: str
    changed: dict  # file -> number of texts changed
    states: list  # [(file, old state, new state)]
    missing: int  # texts of the content the PO file does not have (added since its export)

    @property
    def texts(self):
        return sum(self.changed.values())


@dataclass
class _Edit:
    """New characters for text[start:end] of one file."""

    start: int
    end: int
    new: str


def import_catalog(root, po_path, lang=None):
    """Write the translations of the PO file `po_path` into the YAML files; return what changed.

    `lang`, when given, is the language the file must be for. Raises TranslationError (every
    problem, with the PO file's line) and then writes nothing.
    """
    po_path = Path(po_path)
    display = str(po_path)
    catalog, header_line, contexts = read_catalog(po_path, display)
    content = read_content(root)
    lang = _file_language(catalog, content, lang, display, header_line)

    texts = {text.context: text for text in content.texts()}
    problems = [
        Problem(
            display, line, 1, f"the text '{context}' is in the file twice", f"keep one of them (also on line {first})"
        )
        for context, line, first in contexts
    ]
    given = {}  # context -> the PO entry for it
    for message in catalog:
        if not message.id:  # the header
            continue
        problem = _check_message(message, texts, content, display, lang)
        if problem:
            problems.append(problem)
            continue
        given[message.context] = message
    edits, changed = _edits(content, given, lang, display, problems)
    states = _review_states(content, given, lang, edits)
    if problems:
        raise TranslationError(problems)
    written = []  # every file is spliced and read back before the first one is written
    for file in content.files:
        if edits.get(file.display):
            new_text = _spliced(file.text, edits[file.display])
            _verify(file, new_text, content, given, lang, states)
            written.append((file.path, new_text))
    for path, new_text in written:
        _write(path, new_text)
    return Imported(
        lang,
        changed={f: n for f, n in changed.items() if n},
        states=[(f, old, new) for f, (old, new) in states.items()],
        missing=sum(1 for context in texts if context not in given),
    )


def _file_language(catalog, content, wanted, display, header_line):
    """The translation language the file's header names; the problem if it names none, not `wanted`
    (when given), the source language or a language the site does not have."""
    lang = _catalog_language(catalog)
    if lang is None:
        raise TranslationError(
            [
                Problem(
                    display,
                    header_line,
                    1,
                    "the file names no language: its header has no 'Language:' line",
                    "export it with build.py translations export --lang LANG, which writes one, "
                    'or add "Language: fr\\n" to the header',
                )
            ]
        )
    if wanted is not None and wanted != lang:
        raise TranslationError(
            [
                Problem(
                    display,
                    header_line,
                    1,
                    f"the file is for '{lang}', not '{wanted}'",
                    f"import the file for '{wanted}', or leave out --lang to import this one as '{lang}'",
                )
            ]
        )
    _check_language(content, lang, where=(display, header_line, 1))
    return lang


def read_catalog(path, display):
    """The Babel catalog of a PO file, the line of its header, and [(context, line, first line)] of
    contexts given twice; raises TranslationError for a file that is not well-formed PO."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TranslationError(
            [Problem(display, 1, 1, f"the file cannot be read: {error.strerror}", "name a PO file you may read")]
        ) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TranslationError(
            [
                Problem(
                    display,
                    line,
                    1,
                    f"the file is not UTF-8 text: the byte 0x{data[error.start]:02X} is no UTF-8 character",
                    "save the file as UTF-8 (translation tools have this option when they export PO)",
                )
            ]
        ) from None
    problems, contexts = _check_po_syntax(text, display)
    if problems:
        raise TranslationError(problems)
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as error:
        raise TranslationError(
            [
                Problem(
                    display,
                    error.lineno or 1,
                    1,
                    f"the file is not a valid PO file: {error}",
                    "compare the entry with the others; each has msgctxt, msgid and msgstr lines",
                )
            ]
        ) from None
    header_line = next((line for kind, _, line in _po_tokens(text) if kind == "msgid"), 1)
    return catalog, header_line, contexts


_PO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_PO_KEYWORD = re.compile(r"^\s*(msgctxt|msgid|msgid_plural|msgstr(?:\[[0-9]+\])?)\s+(.*?)\s*$")
_PO_ESCAPE = re.compile(r"\\(.)")


def _po_tokens(text):
    """(keyword, string, line) for every keyword line, and ('"', string, line) for continuations;
    ('?', line text, line) for a line that is none of these. Comments and blank lines are skipped."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _PO_KEYWORD.match(line)
        if match:
            yield match.group(1), match.group(2), number
        elif stripped.startswith('"'):
            yield '"', stripped, number
        else:
            yield "?", stripped, number


def _check_po_syntax(text, display):
    """What Babel reads leniently (an unclosed quote loses a character there), checked line by line:
    every line a comment, a keyword with one quoted string, or a quoted string continuing it."""
    problems = []
    contexts, seen = [], {}
    current = None  # [value, line] of the msgctxt being read

    def bad(line, message, hint):
        problems.append(Problem(display, line, 1, f"the file is not a valid PO file: {message}", hint))

    for kind, value, line in _po_tokens(text):
        if kind == "?":
            bad(
                line,
                "this line is not a comment, a msgctxt/msgid/msgstr line or a quoted text",
                "remove it or put '#' before it",
            )
            continue
        if not _PO_STRING.fullmatch(value):
            bad(
                line,
                "the quoted text is not closed, or has a quote inside",
                'texts are between quotes; write \\" for a quote inside',
            )
            continue
        unknown = [e for e in _PO_ESCAPE.findall(value) if e not in '\\"ntr']
        if unknown:
            bad(
                line,
                f"'\\{unknown[0]}' is not an escape PO files use",
                'write \\\\ for a backslash, \\" for a quote, \\n for a new line',
            )
            continue
        if kind == '"' and current is not None:
            current[0] += value
            continue
        if current is not None:
            _note_context(current, contexts, seen)
            current = None
        if kind == "msgctxt":
            current = [value, line]
    if current is not None:
        _note_context(current, contexts, seen)
    return problems, contexts


def _note_context(current, contexts, seen):
    value, line = current
    if value in seen:
        contexts.append((_unquote(value), line, seen[value]))
    else:
        seen[value] = line


def _unquote(quoted):
    """The text of concatenated PO strings ("a" "b"), escapes undone."""
    parts = _PO_STRING.findall(quoted)
    escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"'}
    return "".join(_PO_ESCAPE.sub(lambda m: escapes[m.group(1)], p[1:-1]) for p in parts)


def _catalog_language(catalog):
    """The language the file's header names ('fr'; 'fr_BE' and 'fr-BE' are French too), or None."""
    for name, value in catalog.mime_headers:
        if name.lower() == "language" and value.strip():
            return re.split(r"[_@.-]", value.strip())[0].lower()
    return None


def _check_message(message, texts, content, display, lang):
    """The problem with one PO entry, or None."""
    line = message.lineno or 1
    export = f"build.py translations export --lang {lang}"
    if isinstance(message.id, (list, tuple)):
        return Problem(
            display, line, 1, "a plural entry (msgid_plural): the content has no plural texts", "remove the entry"
        )
    if not message.context:
        return Problem(
            display,
            line,
            1,
            f"the entry for “{_short(message.id)}” has no msgctxt (the address of its text in the YAML)",
            f"keep the msgctxt lines the export wrote ({export})",
        )
    text = texts.get(message.context)
    if text is None:
        close = difflib.get_close_matches(message.context, list(texts), n=1, cutoff=0.8)
        guess = f"did you mean '{close[0]}'? " if close else ""
        return Problem(
            display,
            line,
            1,
            f"no text has the address '{message.context}' in the content",
            f"{guess}a text moved or removed since the export: export again ({export}) and copy the translation over",
        )
    if message.id != text.source:
        return Problem(
            display,
            line,
            1,
            f"the {content.source} text of '{message.context}' changed since the export "
            f"({text.file}:{text.line} now says “{_short(text.source)}”)",
            f"export again ({export}) and translate the new text",
        )
    new = message.string
    if not new:
        return None
    bad = next((c for c in new if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cs")), None)
    if bad is not None:
        return Problem(
            display,
            line,
            1,
            f"the translation contains the character U+{ord(bad):04X}, which is not text",
            "remove it (it may have been pasted from another program)",
        )
    wanted = sorted(set(PLACEHOLDER.findall(text.source)))
    found = sorted(set(PLACEHOLDER.findall(new)))
    if wanted != found:
        shown = ", ".join(f"{{{p}}}" for p in found) or "none"
        return Problem(
            display,
            line,
            1,
            f"the translation of '{message.context}' has the placeholders {shown}, "
            f"the {content.source} text {', '.join(f'{{{p}}}' for p in wanted) or 'none'}",
            "keep every {placeholder} of the original, spelt the same; the site fills them in",
        )
    return None


def _short(text, limit=60):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _edits(content, given, lang, display, problems):
    """{file: [_Edit]} of the translations that change, and {file: number of texts changed}."""
    edits, changed = {}, {}
    by_node = {}  # id(value node) -> (context, new text): one node may hold several texts (an alias)
    for file in content.files:
        for text in file.texts:
            message = given.get(text.context)
            if message is None or not message.string or message.string == _translation(text, lang):
                continue
            found = _entry(text.mapping, lang)
            if found is None:
                edit = _insertion(file.text, text.mapping, lang, message.string, content.languages)
            else:
                value = found[1]
                earlier = by_node.get(id(value))
                if earlier is not None:
                    if earlier[1] != message.string:
                        problems.append(
                            Problem(
                                display,
                                message.lineno or 1,
                                1,
                                f"'{text.context}' and '{earlier[0]}' are one text in the YAML (an alias, *name), "
                                "translated differently here",
                                "give both the same translation, or write the text out instead of the alias",
                            )
                        )
                    continue
                shared = _other_uses(content, value, lang)
                if shared:
                    problems.append(
                        Problem(
                            display,
                            message.lineno or 1,
                            1,
                            f"the {lang} text of '{text.context}' is also the {shared[1]} text of '{shared[0]}' "
                            "in the YAML (an alias, *name)",
                            "write the text out in the YAML instead of the alias, then import again",
                        )
                    )
                    continue
                by_node[id(value)] = (text.context, message.string)
                edit = _replacement(file.text, value, message.string, text.mapping.flow_style)
            edits.setdefault(file.display, []).append(edit)
            changed[file.display] = changed.get(file.display, 0) + 1
    return edits, changed


def _other_uses(content, value, lang):
    """(context, language) of a place where the same value node is a text in another language."""
    for text in content.texts():
        for key, node in text.mapping.value:
            if node is value and key.value != lang:
                return text.context, key.value
    return None


def _review_states(content, given, lang, edits):
    """{file: (old, new)} of the review states the import changes, their edits added to `edits`.

    Per file with a `translations:` mapping: every text translated and not fuzzy -> reviewed; a
    fuzzy entry -> unreviewed; otherwise (texts the PO file does not have) the state stays.
    """
    changes = {}
    for file in content.files:
        old = file.state(lang)
        if old is None or old == "source":
            continue
        messages = [given.get(text.context) for text in file.texts]
        if any(m is not None and FUZZY in m.flags for m in messages):
            new = "unreviewed"
        elif all(m is not None and m.string and FUZZY not in m.flags for m in messages):
            new = "reviewed"
        else:
            continue
        if new == old:
            continue
        found = _entry(file.states, lang)
        if found is None:
            edit = _insertion(file.text, file.states, lang, new, content.languages)
        else:
            edit = _replacement(file.text, found[1], new, file.states.flow_style)
        edits.setdefault(file.display, []).append(edit)
        changes[file.display] = (old or "not given", new)
    return changes


# --- writing a text in place --------------------------------------------------------------------

_PROPERTIES = re.compile(r"^(?:(?:&[^\s]+|![^\s]*)[ \t]+)*")
_BLOCK_HEADER = re.compile(r"^([|>])([-+0-9]*)([^\n]*)\n")
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"


def _replacement(text, node, new, in_flow):
    """The edit that writes `new` over the value `node` in `text`, in the node's style where it can."""
    start, end = node.start_mark.index, node.end_mark.index
    properties = _PROPERTIES.match(text[start:end]).group(0)  # an anchor (&name) or tag stays
    start += len(properties)
    if node.style in ("|", ">"):
        return _Edit(start, end, _block_scalar(text[start:end], node.style, new, _newline(text)))
    if node.style is None and _plain_ok(new, in_flow):
        written = new
    elif node.style == "'" and "\n" not in new:
        written = "'" + new.replace("'", "''") + "'"
    else:
        written = _double_quoted(new)
    return _Edit(start, end, written)


def _plain_ok(value, in_flow):
    """Whether `value` reads back as exactly this text when written without quotes, in YAML 1.1 and 1.2."""
    if not value or value != value.strip() or any(c in value for c in "\n\r\t\x85\u2028\u2029\ufeff"):
        return False
    if value[0] in _INDICATORS or ": " in value or " #" in value or value.endswith(":"):
        return False
    if in_flow and any(c in value for c in ",[]{}:"):
        return False
    try:  # `Yes`, `12`, `null`, `9:30`, `2026-01-01` are no texts to one YAML reader or another
        return yaml.safe_load(value) == value and _YAML.load(value) == value
    except (yaml.YAMLError, YAMLError):
        return False


def _double_quoted(value):
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    out = []
    for c in value:
        if c in escapes:
            out.append(escapes[c])
        elif unicodedata.category(c) in ("Cc", "Zl", "Zp") or c == "\ufeff":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _newline(text):
    """The file's line end: written where the import adds a line."""
    return "\r\n" if "\r\n" in text else "\n"


def _block_scalar(span, style, new, newline):
    """A | or > block with `new`, at the original's indentation, keeping the blank lines after it;
    a text a block cannot hold as it is (leading spaces, several trailing line breaks) gets quotes."""
    header = _BLOCK_HEADER.match(span)
    body = span[header.end() :] if header else ""
    content_lines = [line for line in body.split("\n") if line.strip()]
    indent = len(content_lines[0]) - len(content_lines[0].lstrip(" ")) if content_lines else 2
    stripped = span.rstrip()
    after = span[len(stripped) :]
    tail = after[after.index("\n") + 1 :] if "\n" in after else ""
    lines = new[:-1].split("\n") if new.endswith("\n") else new.split("\n")
    if new.endswith("\n\n") or not new.strip() or lines[0].startswith((" ", "\t")):
        return _double_quoted(new) + newline + tail
    if style == ">" and len(lines) > 1:
        style = "|"  # a folded block would join the lines: a literal one keeps them
    chomp = "" if new.endswith("\n") else "-"
    comment = header.group(3).rstrip("\r") if header else ""
    written = newline.join(" " * indent + line if line else "" for line in lines)
    return f"{style}{chomp}{comment}{newline}{written}{newline}{tail}"


def _insertion(text, mapping, lang, new, languages):
    """The edit that adds `lang: new` to a mapping lacking it, after the language before it."""
    order = {code: i for i, code in enumerate(languages)}
    entries = mapping.value
    after = entries[-1]
    for key, value in entries:
        if order.get(key.value, len(order)) < order.get(lang, len(order)):
            after = (key, value)
    key, value = after
    if mapping.flow_style:
        written = new if _plain_ok(new, True) else _double_quoted(new)
        return _Edit(value.end_mark.index, value.end_mark.index, f", {lang}: {written}")
    written = new if _plain_ok(new, False) else _double_quoted(new)
    end, newline, indent = value.end_mark.index, _newline(text), " " * key.start_mark.column
    if value.style in ("|", ">"):  # a block ends at the start of the next line
        return _Edit(end, end, f"{indent}{lang}: {written}{newline}")
    line_end = text.find(newline, end)
    line_end = len(text) if line_end < 0 else line_end
    return _Edit(line_end, line_end, f"{newline}{indent}{lang}: {written}")


def _spliced(text, edits):
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


def _verify(file, new_text, content, given, lang, states):
    """Read the written file back: every text as expected, and nothing else changed. A mismatch is a
    bug in the writing above, never the translator's: it stops the import before anything is written."""
    node = _compose(new_text, file.display)
    texts = []
    _collect(node, (), file.display, content.source, texts, {})
    expected = []
    for text in file.texts:
        message = given.get(text.context)
        new = message.string if message is not None and message.string else _translation(text, lang)
        values = {k.value: v.value for k, v in text.mapping.value}
        if new:
            values[lang] = new
        expected.append((text.context, values))
    got = [(t.context, {k.value: v.value for k, v in t.mapping.value}) for t in texts]
    if got != expected:
        wrong = (
            next((g, e) for g, e in zip(got, expected, strict=False) if g != e) if len(got) == len(expected) else None
        )
        raise RuntimeError(f"writing the translations into {file.display} would change more than them: {wrong}")
    if file.display in states:
        found = _entry(node, REVIEW_KEY)
        state = _entry(found[1], lang)[1].value if found and _entry(found[1], lang) else None
        if state != states[file.display][1]:
            raise RuntimeError(f"writing the review state into {file.display} failed")


def _write(path, text):
    """Write `text` to `path` in one step: a reader (or a crash) sees the old file or the new one."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_bytes(text.encode("utf-8"))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
