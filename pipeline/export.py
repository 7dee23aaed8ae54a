"""The machine-readable export: per post and language, its procedures and the post itself as JSON.

    site/<post>/<lang>/export.json   one post in one language (layout.EXPORT)
    site/export.schema.json          the JSON Schema of that format (layout.EXPORT_SCHEMA), the
                                     same bytes as schema/export.schema.json

So that another service (a portal, a chatbot, the EU's Single Digital Gateway) can reuse the facts
without reading YAML or running the engine: per procedure its questions and options, the routes
with their steps, documents, fees (the amount in force on the build date and the changes already
scheduled), timing, validity, warnings and sources, the declarative `when` conditions as the YAML
writes them, the engine's outcome on every answer path, and the Single Digital Gateway items
(`sdg`: identification, redress, payment, languages, legal basis, last review, …); texts in the one
language, ids as in the YAML. The format is documented in README.md ("The machine-readable export").

Versioned: `version` is MAJOR.MINOR. A minor version only adds properties (readers ignore those
they do not know); a major version changes or removes some, and comes with a new schema `$id`.

    write_exports(content, post_ids, site)   every export and the schema into a built site
    post_export(content, post_id, lang)      one export as data (tests, other tools)
"""

import json
from decimal import Decimal
from pathlib import Path

from wizard.paths import path_key
from wizard.presentation import text

from . import answer_trees, layout, sdg

FORMAT_VERSION = "1.1"  # 1.1: the Single Digital Gateway items of each procedure (`sdg`)
SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "export.schema.json"
TIMING_UNITS = ("working_days", "days", "weeks")


def write_exports(content, post_ids, site):
    """`site/<post>/<lang>/export.json` for every post and language built, and the schema once."""
    for post_id in post_ids:
        for lang in content.languages:
            data = post_export(content, post_id, lang)
            path = Path(site) / post_id / lang / layout.EXPORT
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(export_text(data), encoding="utf-8")
    (Path(site) / layout.EXPORT_SCHEMA).write_bytes(SCHEMA.read_bytes())


def export_text(data):
    """Compact JSON, keys in the documented order, UTF-8 text: the same content gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def post_export(content, post_id, lang):
    """The export of one post in one language, as plain data (see schema/export.schema.json)."""
    post = content.posts[post_id]
    procedures = [content.procedures[pid] for pid in post["procedures"]]
    used = list(post.get("sources", []))
    for procedure in procedures:
        used += [s["id"] for s in procedure.get("sources", [])]
    return {
        "$schema": "../" * layout.POST_DEPTH + layout.EXPORT_SCHEMA,
        "version": FORMAT_VERSION,
        "date": content.on,
        "language": lang,
        "source_language": content.default_language,
        "languages": list(content.languages),
        "post": _post(post, lang),
        "procedures": [_procedure(content, procedure, lang, post) for procedure in procedures],
        "sources": [_source(content.sources[sid]) for sid in dict.fromkeys(used) if sid in content.sources],
    }


def _post(post, lang):
    result = {
        "id": post["id"],
        "kind": post["kind"],
        "example": bool(post.get("example", False)),
        "name": text(post["name"], lang),
    }
    if post.get("city"):
        result["city"] = text(post["city"], lang)
    result["countries"] = [{"code": c["code"], "name": text(c["name"], lang)} for c in post["countries"]]
    result["contact"] = {key: _fact(value, lang) for key, value in post.get("contact", {}).items()}
    result["facts"] = {key: _fact(value, lang) for key, value in post.get("facts", {}).items()}
    result["notes"] = [text(note, lang) for note in post.get("notes", [])]
    result["sources"] = list(post.get("sources", []))
    result["home"] = layout.html(layout.HOME)
    return result


def _fact(fact, lang):
    """A fact of the post: known or not; its value (a text in this language, a duration, a code) with
    its source, or marked as an example."""
    if fact.get("unknown"):
        return {"known": False}
    value = fact["value"]
    if isinstance(value, dict) and set(value) <= {"nl", "fr", "de", "en"}:
        value = text(value, lang)
    result = {"known": True, "value": value, "example": bool(fact.get("example", False))}
    if fact.get("source"):
        result["source"] = fact["source"]
    return result


def _source(source):
    result = {"id": source["id"], "title": source["title"]}
    if source.get("url"):
        result["url"] = source["url"]
    result["checked"] = source["checked"]
    return result


def _procedure(content, procedure, lang, post):
    pid = procedure["id"]
    state = "source" if lang == content.default_language else procedure["translations"].get(lang, "unreviewed")
    return {
        "id": pid,
        "translation": state,
        "title": text(procedure["title"], lang),
        "summary": text(procedure.get("summary"), lang),
        "who": text(procedure.get("who"), lang),
        "currency": procedure.get("currency", "EUR"),
        "needs": list(procedure.get("needs", [])),
        "related": [rid for rid in procedure.get("related", []) if rid in content.procedures],
        "pages": {
            "information": layout.html(layout.procedure_page(pid)),
            "wizard": layout.html(layout.wizard_page(pid)),
        },
        "questions": [_question(q, lang) for q in procedure["questions"]],
        "conditions": dict(procedure.get("conditions", {})),
        "offices": [_office(o, lang) for o in procedure.get("offices", [])],
        "routes": [_route(r, lang) for r in procedure["routes"]],
        "documents": [
            _when(d, {"id": d["id"], "label": text(d["label"], lang)}) for d in procedure.get("documents", [])
        ],
        "fees": [_fee(procedure, fee, lang, content.on) for fee in procedure.get("fees", [])],
        "costs": [_when(c, {"id": c["id"], "label": text(c["label"], lang)}) for c in procedure.get("costs", [])],
        "timing": [_timing(t, lang) for t in procedure.get("timing", [])],
        "validity": [_when(v, {"id": v["id"], "years": v["years"]}) for v in procedure.get("validity", [])],
        "warnings": [_when(w, {"id": w["id"], "text": text(w["text"], lang)}) for w in procedure.get("warnings", [])],
        "sources": [s["id"] for s in procedure.get("sources", [])],
        "outcomes": _outcomes(procedure, content.on),
        "sdg": _sdg(content, procedure, lang, post),
    }


def _sdg(content, procedure, lang, post):
    """The Single Digital Gateway items (pipeline/sdg.py) as this procedure and post give them, and the
    date of the last review, as the procedure page shows it."""
    block = procedure.get("sdg", {})
    result = {}
    for item in sdg.ITEMS:
        if sdg.own_list(procedure, item):
            result[item.key] = {"given": "list", "list": item.own}
            continue
        given = block.get(item.key)
        way = sdg.way_given(given) or "unknown"
        entry = {"given": way}
        if way == "value":
            value = given["value"]
            entry["value"] = list(value) if isinstance(value, list) else text(value, lang)
            entry["example"] = bool(given.get("example", False))
            if given.get("source"):
                entry["source"] = given["source"]
        elif way == "fact":
            entry["fact"] = given["fact"]
        result[item.key] = entry
    cited = list(procedure.get("sources", [])) + [content.sources[sid] for sid in post.get("sources", [])]
    result["reviewed"] = block.get("reviewed") or sdg.reviewed(cited)
    return result


def _when(item, result):
    """`result` with the item's `when` condition, as the YAML writes it, when it has one."""
    if "when" in item:
        return {"id": result["id"], "when": item["when"], **{k: v for k, v in result.items() if k != "id"}}
    return result


def _question(question, lang):
    result = {"id": question["id"], "kind": question.get("kind", "choice")}
    result = _when(question, result)
    result["text"] = text(question["text"], lang)
    if question.get("hint"):
        result["hint"] = text(question["hint"], lang)
    result["options"] = []
    for option in question["options"]:
        item = {"id": option["id"], "label": text(option["label"], lang)}
        if option.get("hint"):
            item["hint"] = text(option["hint"], lang)
        if "age" in option:
            item["age"] = dict(option["age"])
        result["options"].append(item)
    return result


def _office(office, lang):
    result = {"id": office["id"], "name": text(office["name"], lang)}
    result.update({key: office[key] for key in ("address", "email", "phone", "url") if office.get(key)})
    return result


def _route(route, lang):
    result = _when(route, {"id": route["id"]})
    result["office"] = route.get("office", "post")
    result["title"] = text(route["title"], lang)
    result["steps"] = []
    for step in route["steps"]:
        item = _when(step, {"id": step["id"]})
        if step.get("office"):
            item["office"] = step["office"]
        if step.get("action"):
            item["action"] = step["action"]
        item["text"] = text(step["text"], lang)
        result["steps"].append(item)
    result["timing"] = [_timing(t, lang) for t in route.get("timing", [])]
    result["sources"] = list(route.get("sources", []))
    return result


def _timing(item, lang):
    result = _when(item, {"id": item["id"], "kind": item.get("kind", "delivery")})
    result.update({unit: item[unit] for unit in TIMING_UNITS if unit in item})
    if item.get("duration"):
        result["duration"] = item["duration"]
    result["approximate"] = bool(item.get("approximate", False))
    result["label"] = text(item["label"], lang)
    return result


def _fee(procedure, fee, lang, on):
    """A fee: the amount in force on the build date (None once it has ended) and the changes after it."""
    values = sorted(fee["values"], key=lambda v: v["from"])
    current = [v for v in values if v["from"] <= on]
    result = _when(fee, {"id": fee["id"]})
    result["label"] = text(fee["label"], lang)
    result["currency"] = fee.get("currency", procedure.get("currency", "EUR"))
    result["in_force"] = _amount(current[-1]) if current and current[-1].get("amount") is not None else None
    result["scheduled"] = [_amount(v) for v in values if v["from"] > on]
    return result


def _amount(value):
    result = {
        "from": value["from"],
        "amount": None if value.get("amount") is None else _money(value["amount"]),
        "example": bool(value.get("example", False)),
        "since_checked": bool(value.get("since_checked", False)),
    }
    if value.get("source"):
        result["source"] = value["source"]
    return result


def _money(amount):
    """An amount as a decimal text with two decimals ("70.00"), exactly as the engine writes it."""
    return str(Decimal(str(amount)).quantize(Decimal("0.01")))


def _outcomes(procedure, on):
    """The engine's outcome on the build date for every answer path, in the order the paths are walked."""
    found = []
    for answers, outcome in answer_trees.paths(procedure, on):
        if outcome["status"] != "outcome":  # `check` refuses such a path: never in a built site
            raise ValueError(f"{procedure['id']}: the path {path_key(answers)} ends in {outcome['status']}")
        found.append(
            {
                "answers": dict(answers),
                "route": outcome["route"],
                "office": outcome["office"],
                "steps": outcome["steps"],
                "documents": outcome["documents"],
                "fees": [{"id": f["id"], "amount": f["amount"], "currency": f["currency"]} for f in outcome["fees"]],
                "total": outcome["total"],
                "timing": [t["id"] for t in outcome["timing"]],
                "validity": outcome["validity"]["id"] if outcome["validity"] else None,
                "warnings": outcome["warnings"],
                "costs": outcome["costs"],
                "sources": outcome["sources"],
            }
        )
    return found
