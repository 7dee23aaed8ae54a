"""Validation of all content, in memory, before anything is written.

Two layers, as in MkDocs' config validation: the JSON Schemas in `schema/` check shape (unknown
keys, wrong types, missing keys), then the checks below check meaning (unknown ids in conditions,
missing translations, dated fees, every answer path ending in exactly one route). Every problem is
collected with its file, line and column and a hint saying how to fix it; nothing stops at the
first one.
"""

import datetime
import difflib
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from wizard.conditions import APPLICATION_DATE, COMBINATORS, referenced_questions
from wizard.paths import DEFAULT_LIMIT, TooManyPaths, enumerate_paths, path_key

from .compile import compile_procedure, to_json

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
SOURCE_MAX_AGE_DAYS = 365
TEXT_KEYS_RE = re.compile(r"^[a-z]{2}$")

SITE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["languages", "name"],
    "properties": {
        "languages": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": "^[a-z]{2}$"},
        },
        "name": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def load_schema(name):
    """A JSON Schema from `schema/`; a broken schema is a programming error and fails loudly here."""
    return json.loads(_checked_schema_text((SCHEMA_DIR / name).read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=16)
def _checked_schema_text(text):
    """`text` once it is known to be a valid JSON Schema; cached on the text, as checking is slow."""
    jsonschema.Draft202012Validator.check_schema(json.loads(text))
    return text


@dataclass
class Result:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def validate_all(site, sources, procedures, posts, pages, ui, on, path_limit=None, unreadable_ids=()):
    """Check every document; return a `Result` with all errors and warnings found.

    `unreadable_ids` are procedures whose files could not be loaded (already reported): others
    may still name them without a second, misleading "unknown procedure" error.
    """
    result = Result()
    check_schema(site, SITE_SCHEMA, result)
    languages = [lang for lang in site.data.get("languages", []) if isinstance(lang, str)] or ["nl"]
    check_schema(sources, load_schema("sources.schema.json"), result)
    source_ids = [s.get("id") for s in sources.data if isinstance(s, dict)] if isinstance(sources.data, list) else []
    check_unique(
        sources,
        [((i, "id"), s.get("id")) for i, s in enumerate(sources.data or []) if isinstance(s, dict)],
        "source",
        result,
    )
    check_sources_age(sources, on, result)
    check_translations(site, languages, result)

    procedure_schema = load_schema("procedure.schema.json")
    # A procedure is known by its id and by its file name, so that an id differing from its file
    # name is reported once (check_procedure), not again at every post and procedure naming it.
    procedure_ids = sorted(
        (
            {d.data.get("id") for d in procedures if isinstance(d.data, dict)}
            | {d.path.stem for d in procedures}
            | set(unreadable_ids)
        )
        - {None},
        key=str,
    )
    for doc in procedures:
        if not check_schema(doc, procedure_schema, result):
            continue
        errors_before = len(result.errors)
        check_procedure(doc, languages, source_ids, procedure_ids, result)
        if len(result.errors) == errors_before:
            check_paths(doc, compile_procedure(doc.data, sources.data), on, result, path_limit or DEFAULT_LIMIT)

    post_schema = load_schema("post.schema.json")
    for doc in posts:
        if check_schema(doc, post_schema, result):
            check_post(doc, languages, source_ids, procedure_ids, result)
    for doc in pages + ([ui] if ui else []):
        check_translations(doc, languages, result)
    return result


# --- shape --------------------------------------------------------------------------------------


def check_schema(doc, schema, result):
    """Report schema violations in `doc`; conditions are left to `check_condition`. True if clean."""
    validator = jsonschema.Draft202012Validator(schema)
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
    where = _describe_path(path)
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
        names = {
            "string": "a text",
            "number": "a number",
            "integer": "a whole number",
            "array": "a list",
            "object": "a mapping (key: value lines)",
            "boolean": "true or false",
            "null": "empty (null)",
        }
        wanted = " or ".join(names.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        if _is_text_schema(error.schema):
            wanted = "a text per language"
        yield doc.problem(
            path,
            f"{_describe_path(path, lead='')} should be {wanted}, not {_describe_value(instance)}",
            _type_hint(path, instance, error.schema),
        )
        return
    if kind == "enum":
        options = ", ".join(map(str, error.validator_value))
        yield doc.problem(path, f"'{instance}' is not allowed{where}", f"expected one of: {options}")
        return
    if kind == "pattern":
        if "[a-z0-9]" in error.validator_value:
            suggestion = re.sub(r"[^a-z0-9]+", "-", str(instance).lower()).strip("-")
            hint = _pattern_hint(error.validator_value)
            if suggestion and re.fullmatch(error.validator_value, suggestion):
                hint = f"{hint}: write '{suggestion}'"
            yield doc.problem(path, f"'{instance}' is not a valid id{where}", hint)
            return
        yield doc.problem(path, f"'{instance}' is not valid{where}", _pattern_hint(error.validator_value))
        return
    if kind in ("minItems", "minProperties"):
        yield doc.problem(path, f"{_describe_path(path, lead='')} is empty or too short", error.message)
        return
    if kind == "propertyNames":
        yield doc.problem(path, f"'{instance}' is not a valid key{where}", error.message)
        return
    yield doc.problem(path, f"{error.message}{where}", "compare with the examples in CONTRIBUTING.md")


def _describe_path(path, lead=" in "):
    if not path:
        return "" if lead else "the file"
    text = ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in path).replace(".[", "[")
    return f"{lead}'{text}'" if lead else f"'{text}'"


def _describe_value(value):
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty"


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
        return f"put each language on its own line under '{key}:', indented, e.g. 'nl: {instance}'"
    if schema and schema.get("type") == "boolean" and isinstance(instance, str):
        return "write true or false; yes, no, on and off are read as text"
    if isinstance(instance, dict) and not instance:
        return "give a value after the colon, or remove the line"
    return "check the value and the indentation of this line"


def _pattern_hint(pattern):
    if "[a-z0-9]" in pattern:
        return "ids use lower-case letters, digits and hyphens only"
    if "[0-9]{4}" in pattern:
        return "write dates as YYYY-MM-DD, e.g. 2027-01-01"
    if "[A-Z]{3}" in pattern:
        return "use a three-letter ISO currency code, e.g. EUR"
    if "[A-Z]{2}" in pattern:
        return 'use a two-letter ISO country code in capitals, e.g. "NO" (quoted) or IS'
    if "[a-z]{2}" in pattern:
        return "use a two-letter language code: nl, fr, de or en"
    return f"it must match {pattern}"


# --- meaning: procedures -------------------------------------------------------------------------


def check_procedure(doc, languages, source_ids, procedure_ids, result):
    data = doc.data
    err = result.errors.append
    if data["id"] != doc.path.stem:
        err(
            doc.problem(
                ("id",),
                f"the id '{data['id']}' differs from the file name '{doc.path.name}'",
                f"rename the file to '{data['id']}.yaml' or set 'id: {doc.path.stem}'",
            )
        )
    for lang in languages:
        if lang not in data["translations"]:
            err(
                doc.problem(
                    ("translations",),
                    f"no review status for language '{lang}'",
                    f"add '{lang}: unreviewed' (or reviewed, once a native editor has checked it)",
                )
            )
    check_translations(doc, languages, result)

    questions = data["questions"]
    check_unique(doc, [(("questions", i, "id"), q["id"]) for i, q in enumerate(questions)], "question", result)
    for i, question in enumerate(questions):
        check_unique(
            doc,
            [(("questions", i, "options", j, "id"), o["id"]) for j, o in enumerate(question["options"])],
            f"option of question '{question['id']}'",
            result,
        )
        check_age_classes(doc, i, question, result)
    for key in ("routes", "documents", "fees", "validity", "warnings", "offices"):
        items = data.get(key, [])
        check_unique(doc, [((key, i, "id"), item["id"]) for i, item in enumerate(items)], key.rstrip("s"), result)
    timing = [(("timing", i, "id"), t["id"]) for i, t in enumerate(data.get("timing", []))]
    for r, route in enumerate(data["routes"]):
        timing += [(("routes", r, "timing", i, "id"), t["id"]) for i, t in enumerate(route.get("timing", []))]
        check_unique(
            doc,
            [(("routes", r, "steps", i, "id"), s["id"]) for i, s in enumerate(route["steps"])],
            f"step of route '{route['id']}'",
            result,
        )
    check_unique(doc, timing, "timing", result)
    question_ids = [q["id"] for q in questions]
    for name in data.get("conditions", {}):
        if name in question_ids:
            err(
                doc.problem(
                    ("conditions", name),
                    f"the condition name '{name}' is also a question id",
                    "give the named condition another name",
                    key=True,
                )
            )

    check_conditions(doc, result)
    office_ids = ["post"] + [o["id"] for o in data.get("offices", [])]
    for r, route in enumerate(data["routes"]):
        check_ref(doc, ("routes", r, "office"), route.get("office", "post"), office_ids, "office", result)
        for s, step in enumerate(route["steps"]):
            if "office" in step:
                check_ref(doc, ("routes", r, "steps", s, "office"), step["office"], office_ids, "office", result)
        for k, source in enumerate(route["sources"]):
            check_ref(
                doc,
                ("routes", r, "sources", k),
                source,
                source_ids,
                "source",
                result,
                "sources are listed in content/sources.yaml",
            )
    for k, related in enumerate(data.get("related", [])):
        check_ref(doc, ("related", k), related, procedure_ids, "procedure", result)
    check_fees(doc, source_ids, result)
    for key_path, item in _timing_items(data):
        units = [u for u in ("working_days", "days", "weeks") if u in item]
        if len(units) > 1:
            err(
                doc.problem(
                    key_path,
                    f"timing '{item['id']}' gives both {' and '.join(units)}",
                    "give the duration in one unit only",
                )
            )


def _timing_items(data):
    for i, item in enumerate(data.get("timing", [])):
        yield ("timing", i), item
    for r, route in enumerate(data["routes"]):
        for i, item in enumerate(route.get("timing", [])):
            yield ("routes", r, "timing", i), item


def check_age_classes(doc, index, question, result):
    err = result.errors.append
    options = question["options"]
    if question.get("kind") != "age":
        for j, option in enumerate(options):
            if "age" in option:
                err(
                    doc.problem(
                        ("questions", index, "options", j, "age"),
                        f"option '{option['id']}' has an age class but question '{question['id']}' "
                        "is not an age question",
                        "add 'kind: age' to the question, or remove 'age:' from the option",
                        key=True,
                    )
                )
        return
    expected = 0
    for j, option in enumerate(options):
        bounds = option.get("age")
        if bounds is None:
            err(
                doc.problem(
                    ("questions", index, "options", j),
                    f"option '{option['id']}' of age question '{question['id']}' has no age class",
                    "add e.g. 'age: {from: 6, under: 18}'",
                )
            )
            return
        low, high = bounds.get("from", 0), bounds.get("under")
        if low != expected:
            err(
                doc.problem(
                    ("questions", index, "options", j, "age"),
                    f"age class '{option['id']}' starts at {low} but the previous class ends at {expected}",
                    f"make it start at {expected} ('from: {expected}'): age classes must follow each other "
                    "without gap or overlap, youngest first",
                )
            )
            return
        if high is None:
            if j != len(options) - 1:
                err(
                    doc.problem(
                        ("questions", index, "options", j, "age"),
                        f"age class '{option['id']}' has no upper bound but is not the last class",
                        "put the open-ended class last, or give it 'under: N'",
                    )
                )
            return
        if high <= low:
            err(
                doc.problem(
                    ("questions", index, "options", j, "age"),
                    f"age class '{option['id']}' is empty (from {low} under {high})",
                    "make 'under' larger than 'from'",
                )
            )
            return
        expected = high
    err(
        doc.problem(
            ("questions", index, "options"),
            f"the last age class of '{question['id']}' stops at {expected}",
            "leave out 'under' on the last class so that every age is covered",
        )
    )


def check_conditions(doc, result):
    """Every condition: known names, known questions and options, age bounds on class edges, no cycles."""
    data = doc.data
    questions = {q["id"]: q for q in data["questions"]}
    names = data.get("conditions", {})
    for name, body in names.items():
        check_condition(doc, ("conditions", name), body, questions, names, result)
    _check_cycles(doc, names, result)
    order = [q["id"] for q in data["questions"]]
    for i, question in enumerate(data["questions"]):
        if "when" not in question:
            continue
        check_condition(doc, ("questions", i, "when"), question["when"], questions, names, result)
        for ref in referenced_questions(question["when"], data):
            if ref in order and order.index(ref) >= i:
                result.errors.append(
                    doc.problem(
                        ("questions", i, "when"),
                        f"question '{question['id']}' depends on '{ref}', which is not asked before it",
                        f"a question's 'when' may only use earlier questions: move '{ref}' above '{question['id']}'",
                    )
                )
    for path, condition in _other_conditions(data):
        check_condition(doc, path, condition, questions, names, result)


def _other_conditions(data):
    for key in ("documents", "fees", "timing", "validity", "warnings"):
        for i, item in enumerate(data.get(key, [])):
            if "when" in item:
                yield (key, i, "when"), item["when"]
    for r, route in enumerate(data["routes"]):
        if "when" in route:
            yield ("routes", r, "when"), route["when"]
        for s, step in enumerate(route["steps"]):
            if "when" in step:
                yield ("routes", r, "steps", s, "when"), step["when"]
        for t, item in enumerate(route.get("timing", [])):
            if "when" in item:
                yield ("routes", r, "timing", t, "when"), item["when"]


def check_condition(doc, path, condition, questions, names, result):
    err = result.errors.append
    if isinstance(condition, str):
        if condition not in names:
            hint = _did_you_mean(condition, list(names) + list(questions), "named conditions", list(names))
            if condition in questions:
                hint = f"'{condition}' is a question: compare it with an answer, e.g. '{{{condition}: <option id>}}'"
            err(doc.problem(path, f"unknown condition '{condition}'", hint))
        return
    if isinstance(condition, list):
        for i, item in enumerate(condition):
            check_condition(doc, path + (i,), item, questions, names, result)
        return
    if not isinstance(condition, dict) or not condition:
        err(
            doc.problem(
                path,
                f"a condition cannot be {_describe_value(condition)}",
                "write a condition name, {question: option}, or all:/any:/not:",
            )
        )
        return
    for key, value in condition.items():
        here = path + (key,)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                err(
                    doc.problem(
                        here, f"'{key}' needs a list of conditions", f"write '{key}:' followed by '- condition' lines"
                    )
                )
                continue
            for i, item in enumerate(value):
                check_condition(doc, here + (i,), item, questions, names, result)
        elif key == "not":
            check_condition(doc, here, value, questions, names, result)
        elif key == APPLICATION_DATE:
            _check_date_comparison(doc, here, value, result)
        elif key not in questions:
            hint = _did_you_mean(key, list(questions) + list(COMBINATORS), "questions", list(questions))
            err(doc.problem(here, f"the condition names an unknown question '{key}'", hint, key=True))
        else:
            _check_answer_comparison(doc, here, questions[key], value, result)


def _check_answer_comparison(doc, path, question, value, result):
    err = result.errors.append
    option_ids = [o["id"] for o in question["options"]]
    if isinstance(value, dict):
        if question.get("kind") != "age":
            err(
                doc.problem(
                    path,
                    f"'{question['id']}' is not an age question, so it cannot be compared with {list(value)}",
                    f"compare it with one of its answers: {', '.join(option_ids)}",
                )
            )
            return
        for op, bound in value.items():
            if op not in ("under", "at_least") or not isinstance(bound, int) or isinstance(bound, bool):
                err(
                    doc.problem(
                        path,
                        f"'{op}: {bound}' is not an age comparison",
                        "write 'under: N' or 'at_least: N' with a whole number of years",
                    )
                )
                continue
            edges = sorted(
                {o["age"].get("from", 0) for o in question["options"] if "age" in o}
                | {o["age"]["under"] for o in question["options"] if "age" in o and "under" in o["age"]}
            )
            if bound not in edges:
                inside = next(
                    (
                        o["id"]
                        for o in question["options"]
                        if "age" in o and o["age"].get("from", 0) < bound < o["age"].get("under", bound + 1)
                    ),
                    None,
                )
                err(
                    doc.problem(
                        path,
                        f"age {bound} falls inside the age class '{inside}' of question "
                        f"'{question['id']}', so the answer cannot tell whether the person is under {bound}",
                        f"use a class boundary ({', '.join(map(str, edges))}), or split the class at {bound}",
                    )
                )
        return
    for i, option in enumerate(value if isinstance(value, list) else [value]):
        if option not in option_ids:
            here = path + (i,) if isinstance(value, list) else path
            err(
                doc.problem(
                    here,
                    f"'{option}' is not an answer to question '{question['id']}'",
                    _did_you_mean(str(option), option_ids, "answers", option_ids),
                )
            )


def _check_date_comparison(doc, path, value, result):
    for op, date in value.items() if isinstance(value, dict) else []:
        if op not in ("before", "from") or _parse_date(date) is None:
            result.errors.append(
                doc.problem(
                    path,
                    f"'{op}: {date}' is not a date comparison",
                    "write 'on: {from: YYYY-MM-DD}' or 'on: {before: YYYY-MM-DD}'",
                )
            )


def _check_cycles(doc, names, result):
    def refs(body):
        if isinstance(body, str):
            return [body] if body in names else []
        if isinstance(body, list):
            return [r for b in body for r in refs(b)]
        if isinstance(body, dict):
            return [r for k, v in body.items() if k in COMBINATORS for r in refs(v)]
        return []

    reported = set()
    for start in names:
        stack, seen = [(start, [start])], set()
        while stack:
            name, trail = stack.pop()
            for ref in refs(names[name]):
                if ref == start:
                    if frozenset(trail) not in reported:  # one circle, one message, at its first name
                        reported.add(frozenset(trail))
                        result.errors.append(
                            doc.problem(
                                ("conditions", start),
                                f"named conditions refer to each other in a circle: {' -> '.join(trail + [start])}",
                                "write one of them out in full, without naming the other",
                                key=True,
                            )
                        )
                    stack = []
                    break
                if ref not in seen:
                    seen.add(ref)
                    stack.append((ref, trail + [ref]))


def check_fees(doc, source_ids, result):
    err = result.errors.append
    procedure_currency = doc.data.get("currency")
    for f, fee in enumerate(doc.data.get("fees", [])):
        if not fee.get("currency", procedure_currency):
            err(
                doc.problem(
                    ("fees", f),
                    f"fee '{fee['id']}' has no currency",
                    "add 'currency: EUR' to the fee or to the procedure",
                )
            )
        previous = None
        for v, value in enumerate(fee["values"]):
            here = ("fees", f, "values", v)
            start = _parse_date(value["from"])
            if start is None:
                err(
                    doc.problem(
                        here + ("from",), f"'{value['from']}' is not a real date", "write YYYY-MM-DD, e.g. 2027-01-01"
                    )
                )
                continue
            if previous is not None and start == previous:
                err(
                    doc.problem(
                        here + ("from",),
                        f"fee '{fee['id']}' has two amounts that take effect on {start}",
                        "keep one amount per date: remove or correct one of them",
                    )
                )
            elif previous is not None and start < previous:
                err(
                    doc.problem(
                        here + ("from",),
                        f"the amounts of fee '{fee['id']}' are not in date order ({start} comes after {previous})",
                        "list the amounts oldest first",
                    )
                )
            previous = start
            if "source" in value:
                check_ref(
                    doc,
                    here + ("source",),
                    value["source"],
                    source_ids,
                    "source",
                    result,
                    "sources are listed in content/sources.yaml",
                )
            elif not value.get("example"):
                err(
                    doc.problem(
                        here,
                        f"the amount {value['amount']} of fee '{fee['id']}' has no source",
                        "add 'source: <id from content/sources.yaml>', or 'example: true' if it is an example value",
                    )
                )


def check_paths(doc, procedure, on, result, limit):
    """Walk every answer path with the engine: each must end in exactly one route."""
    try:
        paths = enumerate_paths(procedure, on, limit=limit)
    except TooManyPaths:
        result.errors.append(
            doc.problem(
                ("questions",),
                f"procedure '{procedure['id']}' has more than {limit} answer paths",
                "split it into smaller procedures, or narrow questions with 'when:'",
                key=True,
            )
        )
        return
    reached = set()
    reported = set()
    unrouted = {}  # (code, routes) -> every answer path with that problem, in walk order
    for answers, outcome in paths:
        if outcome["status"] == "outcome":
            reached.add(outcome["route"])
            continue
        error = outcome["errors"][0]
        code = error["code"]
        if code == "no-fee-in-force":
            fee_id = re.search(r"Fee '([^']+)'", error["message"]).group(1)
            index = next(i for i, f in enumerate(procedure["fees"]) if f["id"] == fee_id)
            if ("fee", fee_id) not in reported:
                reported.add(("fee", fee_id))
                result.errors.append(
                    doc.problem(
                        ("fees", index, "values"),
                        f"fee '{fee_id}' has no amount in force on the build date {on}",
                        "add an amount that applies from that date or earlier",
                    )
                )
            continue
        routes = tuple(r["id"] for r in procedure["routes"] if _route_holds(r, answers, procedure, on))
        unrouted.setdefault((code, routes), []).append(answers)
    # One message per kind of mistake, not one per path: a wrong 'when' often affects many paths.
    for (code, routes), group in unrouted.items():
        if code == "no-route":
            reach = "reach no route"
            hint = "add a route whose 'when' covers these answers, or change the routes' conditions"
        else:
            reach = f"reach {len(routes)} routes ({', '.join(routes)})"
            hint = "make the routes' 'when' conditions exclude each other"
        result.errors.append(doc.problem(("routes",), f"the answers {_describe_paths(group)} {reach}", hint, key=True))
    for r, route in enumerate(procedure["routes"]):
        if route["id"] not in reached and not any(o["status"] == "error" for _, o in paths):
            result.errors.append(
                doc.problem(
                    ("routes", r, "id"),
                    f"route '{route['id']}' is never reached",
                    "check its 'when' condition, or remove the route",
                )
            )


def _describe_paths(group):
    """`a=x/b=y` for one path; for several, the answers they share, how many there are and the first."""
    if len(group) == 1:
        return path_key(group[0])
    shared = [pair for pair in group[0] if all(pair in answers for answers in group[1:])]
    if shared:
        return f"{path_key(shared)} ({len(group)} answer paths, e.g. {path_key(group[0])})"
    return f"{path_key(group[0])} (and {len(group) - 1} other answer paths)"


def _route_holds(route, answers, procedure, on):
    from wizard.conditions import holds

    return holds(route.get("when"), dict(answers), procedure, on)


# --- meaning: posts, sources, translations --------------------------------------------------------


def check_post(doc, languages, source_ids, procedure_ids, result):
    data = doc.data
    if data["id"] != doc.path.stem:
        result.errors.append(
            doc.problem(
                ("id",),
                f"the id '{data['id']}' differs from the file name '{doc.path.name}'",
                f"rename the file to '{data['id']}.yaml' or set 'id: {doc.path.stem}'",
            )
        )
    for i, procedure in enumerate(data["procedures"]):
        check_ref(
            doc,
            ("procedures", i),
            procedure,
            procedure_ids,
            "procedure",
            result,
            "procedures are the files in procedures/",
        )
    for i, source in enumerate(data.get("sources", [])):
        check_ref(
            doc, ("sources", i), source, source_ids, "source", result, "sources are listed in content/sources.yaml"
        )
    check_translations(doc, languages, result)


def check_sources_age(doc, on, result):
    today = _parse_date(on)
    for i, source in enumerate(doc.data if isinstance(doc.data, list) else []):
        checked = _parse_date(source.get("checked")) if isinstance(source, dict) else None
        if checked and today and (today - checked).days > SOURCE_MAX_AGE_DAYS:
            result.warnings.append(
                doc.problem(
                    (i, "checked"),
                    f"source '{source.get('id')}' was last checked on {checked}, more than a year before {today}",
                    "compare the content with the source again and update 'checked'",
                    severity="warning",
                )
            )


def check_translations(doc, languages, result):
    """Every text mapping ({nl: …, fr: …}) must have every site language, and no other."""
    for path, mapping in _text_mappings(doc.data, ()):
        for lang in languages:
            if lang not in mapping and path != ("translations",):  # a missing review status: check_procedure
                first = next(iter(mapping))
                result.errors.append(
                    doc.problem(
                        path,
                        f"translation missing for '{lang}' in {_describe_path(path, lead='')}",
                        f"add a line '{lang}: …' (translate the '{first}' text; mark it unreviewed)",
                    )
                )
        for lang in mapping:
            if lang not in languages:
                result.errors.append(
                    doc.problem(
                        path + (lang,),
                        f"'{lang}' is not a language of this site",
                        f"remove this line, or add '{lang}' to the languages in "
                        f"content/site.yaml (now: {', '.join(languages)})",
                        key=True,
                    )
                )


def _text_mappings(value, path):
    if isinstance(value, dict):
        if (
            value
            and all(isinstance(k, str) and TEXT_KEYS_RE.match(k) for k in value)
            and all(isinstance(v, str) for v in value.values())
        ):
            yield path, value
            return
        for key, item in value.items():
            yield from _text_mappings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _text_mappings(item, path + (i,))


# --- helpers --------------------------------------------------------------------------------------


def check_unique(doc, keyed, what, result):
    seen = {}
    for path, value in keyed:
        if value in seen:
            line = doc.where(seen[value])[0]
            result.errors.append(
                doc.problem(
                    path,
                    f"the {what} id '{value}' is used twice",
                    f"it is already used on line {line}; give each {what} its own id",
                )
            )
        else:
            seen[value] = path


def check_ref(doc, path, value, known, what, result, extra=""):
    if value not in known:
        hint = _did_you_mean(value, known, f"{what}s", known)
        result.errors.append(doc.problem(path, f"unknown {what} '{value}'", f"{hint}{'; ' + extra if extra else ''}"))


def _did_you_mean(value, candidates, what, listed):
    close = difflib.get_close_matches(str(value), [str(c) for c in candidates], n=1, cutoff=0.6)
    known = f"known {what}: {', '.join(map(str, listed))}" if listed else f"there are no {what}"
    return f"did you mean '{close[0]}'? {known}" if close else known


def _parse_date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
