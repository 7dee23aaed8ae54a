"""The schemas bound every number and explain every pattern themselves; `check` reads what they say.

The exact messages for editors are in the corpus (tests/broken/); these tests hold the schemas to
the rules that make those messages possible, so that a key added later cannot slip past them.
"""

import json

import pytest
from conftest import ROOT

from pipeline.load import Document
from pipeline.validate import SITE_SCHEMA, Result, check_schema

SCHEMA_FILES = sorted((ROOT / "schema").glob("*.schema.json"))
SCHEMAS = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_FILES} | {
    "SITE_SCHEMA": SITE_SCHEMA
}


NAME_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def subschemas(node, where=""):
    """Every (where, subschema) in a JSON Schema. The values of `properties` and the like are
    schemas; the mapping itself is not (a property may be called `pattern`)."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key in NAME_MAPS and isinstance(value, dict):
                for name, schema in value.items():
                    yield from subschemas(schema, f"{where}/{key}/{name}")
            else:
                yield from subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from subschemas(value, f"{where}/{i}")


def types(schema):
    kind = schema.get("type", [])
    return set(kind if isinstance(kind, list) else [kind])


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_pattern_says_what_the_value_is_and_how_to_write_it(name):
    unexplained = [
        where
        for where, schema in subschemas(SCHEMAS[name])
        if "pattern" in schema and not {"title", "x-hint"} <= set(schema)
    ]
    assert unexplained == []


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_number_has_a_lower_and_an_upper_bound_and_says_how_far_it_may_go(name):
    unbounded = [
        where
        for where, schema in subschemas(SCHEMAS[name])
        if types(schema) & {"number", "integer"} and not {"minimum", "maximum", "x-hint"} <= set(schema)
    ]
    assert unbounded == []


def test_the_schemas_define_ids_dates_and_links_alike():
    """The three schema files cannot refer to each other, so each keeps a copy of these definitions."""
    for kind in ("id", "lang", "date", "url", "email", "phone"):
        copies = [schema["$defs"][kind] for schema in SCHEMAS.values() if kind in schema.get("$defs", {})]
        assert copies and all(copy == copies[0] for copy in copies), kind
    assert SCHEMAS["sources.schema.json"]["items"]["properties"]["url"] == {"$ref": "#/$defs/url"}


def problems(data, schema):
    doc = Document(ROOT / "procedures" / "x.yaml", "procedures/x.yaml", data, positions={(): (1, 1)})
    result = Result()
    check_schema(doc, schema, result)
    return [f"{p.message} — {p.hint}" for p in result.errors]


def test_not_a_number_is_no_number_even_when_it_did_not_come_through_the_loader():
    # The loader refuses .nan and .inf; data from anywhere else meets this second line.
    schema = {"type": "object", "properties": {"amount": {"type": "number", "minimum": 0, "maximum": 10}}}
    assert problems({"amount": float("nan")}, schema) == [
        "'amount' should be a number, not the number nan — check the value and the indentation of this line"
    ]
    assert problems({"amount": float("inf")}, schema) == [
        "'amount' should be a number, not the number inf — check the value and the indentation of this line"
    ]
    assert problems({"amount": 10}, schema) == []


def test_a_whole_number_is_written_without_a_decimal_point():
    schema = {"type": "object", "properties": {"weeks": {"type": "integer", "minimum": 0, "maximum": 104}}}
    assert problems({"weeks": 2.0}, schema) == [
        "'weeks' should be a whole number, not the number 2.0 — write a whole number, without a decimal point: 2"
    ]
    assert problems({"weeks": 2}, schema) == []
