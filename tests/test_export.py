"""The machine-readable export (site/<post>/<lang>/export.json): valid against its published schema,
saying what the YAML says, in the built site where layout.py names it."""

import copy
import json

import jsonschema
from conftest import ROOT

from build import GOLDEN_DATE
from pipeline import layout
from pipeline.export import FORMAT_VERSION, post_export
from pipeline.load import load_yaml
from site_helpers import DATE, shared_site
from wizard.paths import path_key

SCHEMA = json.loads((ROOT / "schema" / "export.schema.json").read_text(encoding="utf-8"))


def closed(schema):
    """The schema with no property left undocumented: `additionalProperties: false` wherever an object
    lists its properties and says nothing else. The published schema stays open (a minor version may
    add properties); the export itself must hold nothing the schema does not describe."""
    if isinstance(schema, dict):
        schema = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    return schema


def exports(content):
    return [(pid, lang, post_export(content, pid, lang)) for pid in content.posts for lang in content.languages]


def yaml_data(path):
    return load_yaml(ROOT / path, display=path).data


def test_the_schema_is_a_valid_versioned_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    major = FORMAT_VERSION.split(".")[0]
    assert SCHEMA["$id"] == f"urn:consular-procedures:export:{major}"
    assert SCHEMA["properties"]["version"]["pattern"] == f"^{major}\\.[0-9]+$"


def test_every_export_validates_against_the_schema_with_nothing_undocumented(content):
    validator = jsonschema.Draft202012Validator(closed(SCHEMA), format_checker=jsonschema.FormatChecker())
    for pid, lang, data in exports(content):
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], f"{pid}/{lang}"
        assert data["version"] == FORMAT_VERSION and data["language"] == lang and data["date"] == GOLDEN_DATE


def test_texts_ids_and_contact_are_those_of_the_yaml(content):
    for pid, lang, data in exports(content):
        post = yaml_data(f"content/posts/{pid}.yaml")
        assert data["post"]["name"] == post["name"][lang]
        assert [c["code"] for c in data["post"]["countries"]] == [c["code"] for c in post["countries"]]
        for group in ("contact", "facts"):
            for key, given in post.get(group, {}).items():
                exported = data["post"][group][key]
                if given.get("unknown"):
                    assert exported == {"known": False}, (pid, key)
                    continue
                value = given["value"]
                value = value[lang] if isinstance(value, dict) and lang in value else value
                assert exported["known"] and exported["value"] == value, (pid, key)
                assert exported["example"] == bool(given.get("example")) and exported.get("source") == given.get(
                    "source"
                )
        assert [p["id"] for p in data["procedures"]] == post["procedures"]
        for exported in data["procedures"]:
            procedure = yaml_data(f"procedures/{exported['id']}.yaml")
            assert exported["title"] == procedure["title"][lang]
            for question, source in zip(exported["questions"], procedure["questions"], strict=True):
                assert question["id"] == source["id"] and question["text"] == source["text"][lang]
                assert [o["label"] for o in question["options"]] == [o["label"][lang] for o in source["options"]]
            for route, source in zip(exported["routes"], procedure["routes"], strict=True):
                assert [s["text"] for s in route["steps"]] == [s["text"][lang] for s in source["steps"]]
            assert [d["label"] for d in exported["documents"]] == [d["label"][lang] for d in procedure["documents"]]
            state = "source" if lang == "nl" else procedure["translations"][lang]
            assert exported["translation"] == state


def test_fees_give_the_amount_in_force_on_the_build_date_and_the_changes_after_it(content):
    for _, _, data in exports(content):
        for exported in data["procedures"]:
            fees = {f["id"]: f for f in yaml_data(f"procedures/{exported['id']}.yaml").get("fees", [])}
            for fee in exported["fees"]:
                values = [v for v in fees[fee["id"]]["values"] if v["from"].isoformat() <= GOLDEN_DATE]
                assert fee["in_force"]["amount"] == f"{values[-1]['amount']:.2f}"
                assert fee["in_force"]["from"] == values[-1]["from"].isoformat()
                assert fee["in_force"]["example"] == values[-1].get("example", False)

    # A change decided for later is announced beside the amount still in force.
    changed = copy.deepcopy(content)
    fee = next(f for f in changed.procedures["travel-document"]["fees"] if f["id"] == "adult-standard")
    in_force = fee["values"][-1]
    fee["values"].append({"from": "2027-01-01", "amount": 75, "source": in_force["source"]})
    data = post_export(changed, "example-municipality", "en")
    exported = next(f for p in data["procedures"] for f in p["fees"] if f["id"] == "adult-standard")
    assert exported["in_force"]["amount"] == f"{in_force['amount']:.2f}"
    assert exported["scheduled"] == [
        {"from": "2027-01-01", "amount": "75.00", "example": False, "since_checked": False, "source": "seed-003"}
    ]


def test_outcomes_are_the_golden_outcomes_of_every_answer_path(content):
    data = post_export(content, "oslo", "fr")
    for exported in data["procedures"]:
        golden = json.loads((ROOT / "tests" / "golden" / f"{exported['id']}.json").read_text(encoding="utf-8"))
        assert golden["date"] == GOLDEN_DATE
        found = {path_key(list(o["answers"].items())): o for o in exported["outcomes"]}
        assert set(found) == set(golden["paths"])
        for key, outcome in golden["paths"].items():
            mine = found[key]
            assert (mine["route"], mine["documents"], mine["steps"]) == (
                outcome["route"],
                outcome["documents"],
                outcome["steps"],
            )
            assert mine["total"] == outcome["total"]
            assert mine["fees"] == [{k: f[k] for k in ("id", "amount", "currency")} for f in outcome["fees"]]


def test_the_built_site_has_every_export_and_the_schema_where_layout_names_them():
    site, report = shared_site()
    for post_id, lang in report.builds:
        path = site / post_id / lang / layout.EXPORT
        data = json.loads(path.read_text(encoding="utf-8"))
        assert (data["post"]["id"], data["language"], data["date"]) == (post_id, lang, DATE)
        assert (path.parent / data["$schema"]).resolve() == (site / layout.EXPORT_SCHEMA).resolve()
        for procedure in data["procedures"]:
            for page in procedure["pages"].values():
                assert (path.parent / page).is_file(), page
        assert (path.parent / data["post"]["home"]).is_file()
    assert (site / layout.EXPORT_SCHEMA).read_bytes() == (ROOT / "schema" / "export.schema.json").read_bytes()
