"""Compile validated YAML data into the plain JSON form the engine, the pages and the browser read.

Its own module so that both `validate` (which walks every answer path of a compiled procedure)
and `model` (which compiles the content it returns) can use it without importing each other.
"""

import datetime

from .closing_days import closed_days


def compile_procedure(data, sources):
    """The JSON form the engine reads: dates as ISO strings, fee values sorted, sources embedded."""
    procedure = to_json(data)
    used = set()
    for route in procedure["routes"]:
        used.update(route.get("sources", []))
    for fee in procedure.get("fees", []):
        used.update(v["source"] for v in fee["values"] if v.get("source"))
    procedure["sources"] = [to_json(s) for s in sources if s["id"] in used]
    procedure.setdefault("conditions", {})
    return procedure


def compile_post(data, on):
    """The JSON form of a post, with its closing days (pipeline/closing_days.py) when its fact
    `closing_days` names a country: what the engine needs to count working days for this office."""
    post = to_json(data)
    country = post.get("facts", {}).get("closing_days", {})
    if country.get("value"):
        post["closed"] = closed_days(country["value"], on)
    return post


def to_json(value):
    """Plain JSON data: dates become ISO strings; mappings keep their order."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
