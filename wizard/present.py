"""Turn an engine result (ids, amounts, dates) into labelled text in one language.

Used by `build.py explain`, the no-JavaScript wizard pages and the browser front end, so every
place that shows an outcome shows the same words. Standard library only.
"""

from .conditions import option_by_id, question_by_id


def text(mapping, lang, fallback="nl"):
    """The text for `lang` from a {lang: text} mapping (validation guarantees every language)."""
    if not mapping:
        return ""
    return mapping.get(lang) or mapping.get(fallback) or next(iter(mapping.values()))


def describe_question(procedure, question_id, lang):
    question = question_by_id(procedure, question_id)
    return {
        "id": question["id"],
        "kind": question.get("kind", "choice"),
        "text": text(question["text"], lang),
        "hint": text(question.get("hint"), lang),
        "options": [{"id": o["id"], "label": text(o["label"], lang), "age": o.get("age")} for o in question["options"]],
    }


def describe_answers(procedure, answers, lang):
    """[(question text, answer label, question id)] in the order asked."""
    rows = []
    for question in procedure["questions"]:
        if question["id"] in answers:
            option = option_by_id(question, answers[question["id"]])
            rows.append(
                {
                    "question": question["id"],
                    "text": text(question["text"], lang),
                    "answer": text(option["label"], lang) if option else answers[question["id"]],
                }
            )
    return rows


def describe_outcome(procedure, outcome, lang):
    """Everything a visitor reads in a result, in `lang`, with the ids kept beside the labels."""
    route = next(r for r in procedure["routes"] if r["id"] == outcome["route"])
    steps = {s["id"]: s for s in route["steps"]}
    documents = {d["id"]: d for d in procedure.get("documents", [])}
    fees = {f["id"]: f for f in procedure.get("fees", [])}
    timing = {t["id"]: t for t in route.get("timing", []) + procedure.get("timing", [])}
    warnings = {w["id"]: w for w in procedure.get("warnings", [])}
    offices = {o["id"]: o for o in procedure.get("offices", [])}
    sources = {s["id"]: s for s in procedure.get("sources", [])}
    return {
        "title": text(procedure["title"], lang),
        "route": {"id": route["id"], "title": text(route["title"], lang)},
        "office": outcome["office"],
        "steps": [
            {
                "id": sid,
                "text": text(steps[sid]["text"], lang),
                "office": _office(offices.get(steps[sid].get("office")), lang),
            }
            for sid in outcome["steps"]
        ],
        "documents": [{"id": did, "label": text(documents[did]["label"], lang)} for did in outcome["documents"]],
        "fees": [dict(fee, label=text(fees[fee["id"]]["label"], lang)) for fee in outcome["fees"]],
        "total": outcome["total"],
        "timing": [dict(item, label=text(timing[item["id"]]["label"], lang)) for item in outcome["timing"]],
        "validity": outcome["validity"],
        "warnings": [{"id": wid, "text": text(warnings[wid]["text"], lang)} for wid in outcome["warnings"]],
        "sources": [dict(sources[sid]) for sid in outcome["sources"] if sid in sources],
        "answers": describe_answers(procedure, outcome["answers"], lang),
    }


def _office(office, lang):
    if office is None:
        return None
    return {k: (text(v, lang) if isinstance(v, dict) else v) for k, v in office.items()}
