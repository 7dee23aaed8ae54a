"""The JSON Schemas in `schema/` are in step with the shipped content and with the engine.

Editors' tools check files against the schemas, the build checks them again: a schema that
rejects shipped content, or that lacks a key the engine reads, would mislead both. A key renamed
in the engine but not in the schema (or the other way round) fails here.
"""

import json
import re

import jsonschema
import pytest
from conftest import ROOT

from pipeline.compile import to_json
from pipeline.load import load_yaml
from pipeline.validate import SITE_SCHEMA, load_schema

SCHEMAS = {
    "procedures/*.yaml": "procedure.schema.json",
    "content/posts/*.yaml": "post.schema.json",
    "content/sources.yaml": "sources.schema.json",
    "content/glossary.yaml": "glossary.schema.json",
}
SHIPPED = sorted((pattern, path.relative_to(ROOT).as_posix()) for pattern in SCHEMAS for path in ROOT.glob(pattern))
ENGINE_FILES = ("wizard/engine.py", "wizard/conditions.py", "wizard/present.py")
# Keys that `pipeline.compile` adds: to the procedure ("sources", "conditions") and to the post (its
# closing days: "closed" with "dates", "estimated", "country").
COMPILED_KEYS = {"sources", "conditions", "closed", "dates", "estimated", "country"}


def schema_errors(path, schema):
    data = to_json(load_yaml(ROOT / path, display=path).data)
    return [
        f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(data)
    ]


@pytest.mark.parametrize("pattern, path", SHIPPED, ids=[path for _, path in SHIPPED])
def test_every_shipped_yaml_file_validates_against_its_json_schema(pattern, path):
    assert schema_errors(path, load_schema(SCHEMAS[pattern])) == []


def test_the_site_settings_validate_against_the_site_schema():
    assert schema_errors("content/site.yaml", SITE_SCHEMA) == []


def test_there_is_shipped_content_of_every_kind_and_every_schema_file_is_used():
    assert {pattern for pattern, _ in SHIPPED} == set(SCHEMAS)
    # export.schema.json describes what the build writes, not content: tests/test_export.py uses it.
    assert sorted(p.name for p in (ROOT / "schema").glob("*.json")) == sorted([*SCHEMAS.values(), "export.schema.json"])


def schema_properties(node, found=None):
    """Every key declared under a `properties` anywhere in a JSON Schema."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found.update(value)
            schema_properties(value, found)
    elif isinstance(node, list):
        for value in node:
            schema_properties(value, found)
    return found


def engine_keys():
    """(keys the engine reads with ["key"] or .get("key"), keys it writes into its own results)."""
    source = "\n".join((ROOT / name).read_text(encoding="utf-8") for name in ENGINE_FILES)
    written = set(re.findall(r'"([a-z_]+)":', source)) | set(re.findall(r'\["([a-z_]+)"\]\s*=(?!=)', source))
    read = set(re.findall(r'\["([a-z_]+)"\](?!\s*=(?!=))', source)) | set(re.findall(r'\.get\("([a-z_]+)"', source))
    return read, written


def test_the_key_search_finds_the_keys_the_engine_is_known_to_read():
    read, written = engine_keys()
    assert {"questions", "options", "when", "routes", "steps", "values", "from", "amount", "age", "under"} <= read
    assert {"status", "route", "total", "ready_on"} <= written


def test_every_procedure_key_the_engine_reads_is_declared_in_the_procedure_schema(content):
    read, written = engine_keys()
    declared = schema_properties(json.loads((ROOT / "schema" / "procedure.schema.json").read_text(encoding="utf-8")))
    # The engine also reads the post that offers the procedure (its facts) and the words of the catalogue.
    declared |= schema_properties(json.loads((ROOT / "schema" / "post.schema.json").read_text(encoding="utf-8")))
    words = set(content.catalogue(content.default_language))
    # What the engine reads that is neither in the schema nor added by compile must be a key of
    # the engine's own results (an outcome's "route", a fee's "next"), or it is a renamed key.
    assert read - declared - COMPILED_KEYS - written - words == set()
