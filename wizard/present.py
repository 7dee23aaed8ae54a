"""What a visitor reads about a question, their answers or an outcome, in one language: the views.

An engine result holds ids, amounts and dates only. The views below put labels beside the ids and
format dates and amounts through `Words` (wizard.presentation), as plain text. One view, several
renderers: HTML (wizard.html: the no-JS pages and the interactive wizard) and plain text
(`build.py explain`), so every place that shows an outcome shows the same words. Standard library only.
"""

from .conditions import option_by_id, question_by_id
from .presentation import mailto_url, safe_url, tel_url, text

CONTACT_KEYS = ("address", "phone", "email", "website", "appointments")


def question_view(procedure, question_id, words):
    question = question_by_id(procedure, question_id)
    return {
        "id": question["id"],
        "kind": question.get("kind", "choice"),
        "text": words.text(question["text"]),
        "hint": words.text(question.get("hint")),
        "options": [{"id": o["id"], "label": words.text(o["label"]), "age": o.get("age")} for o in question["options"]],
    }


def answers_view(procedure, answers, words, exact=None):
    """[{question id, question text, answer label}] in the order the questions are asked; an age given
    as a date of birth also says the date."""
    exact = exact or {}
    rows = []
    for question in procedure["questions"]:
        qid = question["id"]
        if qid not in answers:
            continue
        option = option_by_id(question, answers[qid])
        answer = words.text(option["label"]) if option else str(answers[qid])
        if qid in exact:
            answer = f"{answer} ({words['born_on']} {words.date(exact[qid])})"
        rows.append({"question": qid, "text": words.text(question["text"]), "answer": answer})
    return rows


def contact_view(post, words):
    """The post's contact details as [{key, label, value, href, example}], in a fixed order; `href` is a
    tel:, mailto: or web link (allowlisted), or None for text such as an address."""
    rows = []
    for key in CONTACT_KEYS:
        if key not in post.get("contact", {}):
            continue
        given = post["contact"][key]
        value = given["value"] if isinstance(given, dict) else given
        href = {"phone": tel_url, "email": mailto_url}.get(key, safe_url)(value) if key != "address" else None
        rows.append(
            {
                "key": key,
                "label": words[f"contact_{key}"],
                "value": value,
                "href": href,
                "example": bool(isinstance(given, dict) and given.get("example")),
            }
        )
    return rows


def fee_view(fee, label, words):
    """One charged fee as a visitor reads it: label, amount, example mark, scheduled change."""
    change = None
    if fee["next"]:
        nxt = fee["next"]
        if nxt["amount"] is None:
            change = words.fill("fee_ends", label=label, date=words.date(nxt["from"]))
        else:
            change = words.fill(
                "fee_changes",
                label=label,
                date=words.date(nxt["from"]),
                amount=words.money(nxt["amount"], fee["currency"]),
            )
    return {
        "id": fee["id"],
        "label": label,
        "amount": words.money(fee["amount"], fee["currency"]),
        "example": fee["example"],
        "change": change,
    }


def outcome_view(procedure, outcome, words, post=None):
    """Everything a visitor reads in a result, formatted in the language of `words`, ids kept."""
    route = next(r for r in procedure["routes"] if r["id"] == outcome["route"])
    steps = {s["id"]: s for s in route["steps"]}
    documents = {d["id"]: d for d in procedure.get("documents", [])}
    fee_labels = {f["id"]: words.text(f["label"]) for f in procedure.get("fees", [])}
    timing = {t["id"]: t for t in route.get("timing", []) + procedure.get("timing", [])}
    warnings = {w["id"]: w for w in procedure.get("warnings", [])}
    offices = {o["id"]: o for o in procedure.get("offices", [])}
    sources = {s["id"]: s for s in procedure.get("sources", [])}
    fees = [fee_view(fee, fee_labels[fee["id"]], words) for fee in outcome["fees"]]
    examples = any(fee["example"] for fee in outcome["fees"])
    return {
        "procedure": words.text(procedure["title"]),
        "route": {"id": route["id"], "title": words.text(route["title"])},
        "on": words.date(outcome["on"]),
        "where": _where(outcome["office"], offices, post, words),
        "steps": [
            {
                "id": sid,
                "text": words.text(steps[sid]["text"]),
                "office": _office(offices.get(steps[sid].get("office")), words),
            }
            for sid in outcome["steps"]
        ],
        "documents": [{"id": did, "label": words.text(documents[did]["label"])} for did in outcome["documents"]],
        "fees": fees,
        "total": [{"amount": words.money(t["amount"], t["currency"]), "example": examples} for t in outcome["total"]],
        "timing": [
            {
                "id": item["id"],
                "label": words.text(timing[item["id"]]["label"]),
                "ready_on": words.date(item["ready_on"]) if item.get("ready_on") else None,
            }
            for item in outcome["timing"]
        ],
        "validity": words.fill("validity_years", years=outcome["validity"]["years"]) if outcome["validity"] else None,
        "warnings": [{"id": wid, "text": words.text(warnings[wid]["text"])} for wid in outcome["warnings"]],
        "sources": [
            {
                "title": sources[sid]["title"],
                "href": safe_url(sources[sid].get("url", "")),
                "checked": words.date(sources[sid]["checked"]),
            }
            for sid in outcome["sources"]
            if sid in sources
        ],
    }


def _where(office_id, offices, post, words):
    """Where the visitor goes: this post (name and contact card) or another office of the procedure."""
    if office_id == "post":
        if not post:
            return None
        return {"name": words.text(post["name"]), "contact": contact_view(post, words)}
    return _office(offices.get(office_id), words)


def _office(office, words):
    """An office named by the procedure (not this post): its name and the contact details it gives."""
    if office is None:
        return None
    links = {"email": mailto_url, "phone": tel_url}
    contact = [
        {
            "key": key,
            "label": words[f"contact_{key}"],
            "value": office[key],
            "href": links[key](office[key]) if key in links else None,
            "example": False,
        }
        for key in ("address", "email", "phone")
        if office.get(key)
    ]
    return {"name": words.text(office["name"]), "contact": contact}


__all__ = ["answers_view", "contact_view", "outcome_view", "question_view", "text"]
