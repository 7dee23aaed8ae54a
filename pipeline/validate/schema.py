"""Shape: each file against its JSON Schema in `schema/` (unknown keys, wrong types, missing keys).

Schema violations are put in editors' words here; the schema itself carries the hint for a value
that does not match a pattern (`x-hint`, an annotation JSON Schema validators ignore). A broken
schema is a programming error and fails loudly when it is loaded.
"""

import difflib
import functools
import json
import math
import re
from pathlib import Path

import jsonschema

from ..compile import to_json
from .base import describe_path, describe_value, shorten

SCHEMA_DIR = Path(__file__).resolve().parent.parent.parent / "schema"

TYPE_NAMES = {
    "string": "a text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping (key: value lines)",
    "boolean": "true or false",
    "null": "empty (null)",
}

# The address a site is published at (content/site.yaml `base_url`, `build.py build --base-url`):
# http(s), a host, an optional port and path; no query, fragment, quote or space.
BASE_URL_PATTERN = (
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%-]*)*"
)
SITE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["languages", "name"],
    "properties": {
        "languages": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {
                "type": "string",
                "pattern": "^[a-z]{2}$",
                "title": "language code",
                "x-hint": "use a two-letter language code, e.g. nl",
            },
        },
        "name": {"type": "object", "additionalProperties": {"type": "string"}},
        "base_url": {
            "type": "string",
            "pattern": f"^{BASE_URL_PATTERN}$",
            "title": "base address",
            "x-hint": "write the address the site is published at, e.g. https://consular.example.org/procedures/",
        },
    },
}


def _is_integer(checker, instance):
    """A whole number as written: 3, never 3.0 (JSON Schema alone would accept 3.0)."""
    return isinstance(instance, int) and not isinstance(instance, bool)


def _is_number(checker, instance):
    """A finite number: NaN passes every JSON Schema comparison, so it is no number here."""
    return isinstance(instance, (int, float)) and not isinstance(instance, bool) and math.isfinite(instance)


Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"integer": _is_integer, "number": _is_number}
    ),
)


def load_schema(name):
    """A JSON Schema from `schema/`; a broken schema is a programming error and fails loudly here."""
    return json.loads(_checked_schema_text((SCHEMA_DIR / name).read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=16)
def _checked_schema_text(text):
    """`text` once it is known to be a valid JSON Schema; cached on the text, as checking is slow."""
    jsonschema.Draft202012Validator.check_schema(json.loads(text))
    return text


def check_schema(doc, schema, result):
    """Report schema violations in `doc`; conditions are left to `check_condition`. True if clean."""
    validator = Validator(schema)
    errors = [
        e
        for e in sorted(validator.iter_errors(to_json(doc.data)), key=lambda e: list(map(str, e.absolute_path)))
        if not _inside_condition(tuple(e.absolute_path))
    ]
    misspelt = _misspelt_keys(errors)
    found = 0
    for error in errors:
        path = tuple(error.absolute_path)
        # A key that is missing because it is misspelt is reported once, as the unknown key's "did you mean".
        for problem in _describe_schema_error(doc, error, path, misspelt.get(path, ())):
            result.errors.append(problem)
            found += 1
    return found == 0


def _misspelt_keys(errors):
    """{mapping path: allowed keys that an unknown key there is a likely misspelling of}."""
    found = {}
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = list(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    found.setdefault(tuple(error.absolute_path), set()).update(
                        difflib.get_close_matches(key, allowed, n=1)
                    )
    return found


def _inside_condition(path):
    return "when" in path or (len(path) >= 2 and path[0] == "conditions")


def _describe_schema_error(doc, error, path, misspelt=()):
    kind = error.validator
    instance = error.instance
    where = describe_path(path)
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [key for key in instance if key not in allowed] if isinstance(instance, dict) else []
        for key in extra:
            hint = f"allowed keys here: {', '.join(allowed)}"
            close = difflib.get_close_matches(key, allowed, n=1)
            if close:
                hint = f"did you mean '{close[0]}'? " + hint
            yield doc.problem(path + (key,), f"unknown key '{key}'{where}", hint, key=True)
        return
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        for key in missing:
            if key in misspelt:
                continue
            yield doc.problem(path, f"missing key '{key}'{where}", f"add a line '{key}: …' here")
        return
    if kind == "type":
        expected = error.validator_value
        wanted = " or ".join(TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        if _is_text_schema(error.schema):
            wanted = "a text per language"
        yield doc.problem(
            path,
            f"{describe_path(path, lead='')} should be {wanted}, not {describe_value(instance)}",
            _type_hint(path, instance, error.schema),
        )
        return
    if kind == "enum":
        options = ", ".join(map(str, error.validator_value))
        yield doc.problem(path, f"'{shorten(instance)}' is not allowed{where}", f"expected one of: {options}")
        return
    if kind == "pattern":
        what = error.schema.get("title")
        yield doc.problem(
            path,
            f"'{shorten(instance)}' is not a valid {what or 'value'}{where}",
            _pattern_hint(error.schema, instance),
        )
        return
    if kind in ("minimum", "maximum"):
        bound = error.validator_value
        than = f"less than the minimum {bound}" if kind == "minimum" else f"more than the maximum {bound}"
        yield doc.problem(
            path,
            f"{describe_path(path, lead='')} is {instance}, {than}",
            error.schema.get("x-hint", f"write a number that is not {than}"),
        )
        return
    if kind in ("minItems", "minProperties"):
        yield doc.problem(path, f"{describe_path(path, lead='')} is empty or too short", error.message)
        return
    if kind == "propertyNames":
        yield doc.problem(path, f"'{instance}' is not a valid key{where}", error.message)
        return
    if kind == "anyOf":
        yield from _describe_alternatives(doc, error, path)
        return
    if kind == "const":
        yield doc.problem(
            path,
            f"{describe_path(path, lead='')} should be {json.dumps(error.validator_value)}, "
            f"not {describe_value(instance)}",
            error.schema.get("x-hint", "compare with the examples in CONTRIBUTING.md"),
        )
        return
    yield doc.problem(path, f"{error.message}{where}", "compare with the examples in CONTRIBUTING.md")


def _describe_alternatives(doc, error, path):
    """A value that fits none of several forms (a contact as text or as {value, example}): what is
    wrong with it in the form of its own type; if its type fits no form, which types would."""
    within = [e for e in error.context if e.validator != "type"]
    if within:
        misspelt = _misspelt_keys(within)
        for sub in sorted(within, key=lambda e: list(map(str, e.absolute_path))):
            sub_path = tuple(sub.absolute_path)
            yield from _describe_schema_error(doc, sub, sub_path, misspelt.get(sub_path, ()))
        return
    wanted = []
    for sub in error.context:
        for name in sub.validator_value if isinstance(sub.validator_value, list) else [sub.validator_value]:
            if TYPE_NAMES.get(name, name) not in wanted:
                wanted.append(TYPE_NAMES.get(name, name))
    yield doc.problem(
        path,
        f"{describe_path(path, lead='')} should be {' or '.join(wanted)}, not {describe_value(error.instance)}",
        "compare with the examples in CONTRIBUTING.md",
    )


def _is_text_schema(schema):
    return (
        isinstance(schema, dict)
        and schema.get("propertyNames") == {"$ref": "#/$defs/lang"}
        and schema.get("type") == "object"
        and "additionalProperties" in schema
    )


def _type_hint(path, instance, schema=None):
    if path and path[-1] == "amount" and isinstance(instance, str):
        return "write the amount as a bare number, e.g. 'amount: 70' (the currency goes in 'currency:')"
    if _is_text_schema(schema) and isinstance(instance, str):
        key = path[-1] if path and isinstance(path[-1], str) else "the key"
        return f"put each language on its own line under '{key}:', indented, e.g. 'nl: {shorten(instance)}'"
    if schema and schema.get("type") == "integer" and isinstance(instance, float) and math.isfinite(instance):
        example = f": {int(instance)}" if instance.is_integer() else ""
        return f"write a whole number, without a decimal point{example}"
    if schema and schema.get("type") == "boolean" and isinstance(instance, str):
        return "write true or false; yes, no, on and off are read as text"
    if isinstance(instance, dict) and not instance:
        return "give a value after the colon, or remove the line"
    return "check the value and the indentation of this line"


def _pattern_hint(schema, instance):
    """The schema's own hint (`x-hint` beside the pattern), and the value rewritten to fit when that is easy."""
    pattern = schema["pattern"]
    hint = schema.get("x-hint", f"it must match {pattern}")
    suggestion = re.sub(r"[^a-z0-9]+", "-", str(instance).lower()).strip("-")
    if suggestion and len(suggestion) <= 80 and re.fullmatch(pattern, suggestion):
        hint = f"{hint}: write '{suggestion}'"
    return hint
