"""What a visitor reads about a question, their answers or an outcome, in one language: the views.

An engine result holds ids, amounts and dates only. The views below put labels beside the ids and
format dates and amounts through `Words` (wizard.presentation), as plain text. One view, several
renderers: HTML (wizard.html: the no-JS pages and the interactive wizard) and plain text
(`build.py explain`), so every place that shows an outcome shows the same words. Standard library only.
"""

from .conditions import option_by_id, question_by_id
from .presentation import mailto_url, safe_url, tel_url, text

# The contact card, in this order; each key is also a fact a procedure may need (`needs:`).
CONTACT_KEYS = ("address", "phone", "email", "website", "appointments", "opening_hours")
LINKS = {"phone": tel_url, "email": mailto_url, "website": safe_url, "appointments": safe_url, "fees_page": safe_url}


# --- the post's facts ------------------------------------------------------------------------------


def fact(post, name):
    """The post's fact `name` as given in its YAML ({value, source|example} or {unknown}), or None."""
    for group in ("contact", "facts"):
        given = (post or {}).get(group, {}).get(name)
        if given is not None:
            return given
    return None


def fact_view(post, name, words):
    """{key, label, value (text), href, example} of a fact the post knows, else None."""
    given = fact(post, name)
    if given is None or given.get("unknown"):
        return None
    value = given["value"]
    if name == "processing_time":
        shown = duration_text(value, words)
    elif isinstance(value, dict):
        shown = words.text(value)
    else:
        shown = str(value)
    return {
        "key": name,
        "label": words[f"contact_{name}"] if name in CONTACT_KEYS else "",
        "value": shown,
        "href": LINKS[name](value) if name in LINKS else None,
        "example": bool(given.get("example")),
    }


def post_words(words, post):
    """`words` for one post: `{fact}` in a content text reads as that post's fact (or that it is not known)."""
    facts = {}
    for group in ("contact", "facts"):
        for name in (post or {}).get(group, {}):
            shown = fact_view(post, name, words)
            facts[name] = shown["value"] if shown else words["fact_not_known"]
    return words.with_facts(facts)


def duration_text(duration, words):
    """ "about 7 working days", "6 weeks": a delay in the page's language."""
    unit = next(u for u in ("working_days", "days", "weeks") if u in duration)
    shown = words.fill(f"duration_{unit}", n=words.number(duration[unit]))
    return words.fill("about", duration=shown) if duration.get("approximate") else shown


def ask_view(post, words, name):
    """What a visitor reads where the post does not know a fact: how to ask it, with its contact."""
    name_of_post = words.text(post["name"]) if post else ""
    return {"text": words.fill(f"unknown_{name}", post=name_of_post), "contact": contact_view(post, words)}


def contact_view(post, words):
    """The post's contact details it knows, as [{key, label, value, href, example}], in a fixed order;
    `href` is a tel:, mailto: or web link (allowlisted), or None for text such as an address."""
    return [view for key in CONTACT_KEYS if (view := fact_view(post, key, words))]


def action_view(kind, post, words):
    """What a step asks the visitor to do with this post, made concrete: the post's fact (a phone
    number to call, the appointment system, the postal address, how to pay), or how to ask for it."""
    if not kind or not post:
        return None
    if kind == "contact":
        return {"kind": kind, "contact": contact_view(post, words)}
    if kind == "other_posts":  # an example list: without one the step still says what to do
        shown = fact_view(post, kind, words)
        if shown is None:
            return None
        return {"kind": kind, "text": words.fill("for_example", names=shown["value"]), "example": shown["example"]}
    shown = fact_view(post, kind, words)
    if shown is None:
        return {"kind": kind, "ask": ask_view(post, words, kind)}
    view = {"kind": kind, "fact": shown}
    if kind == "payment" and fact(post, "fees_page") is not None:
        rates = fact_view(post, "fees_page", words)
        view["rates"] = rates or {"ask": ask_view(post, words, "fees_page")}
    return view


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
    words = post_words(words, post)
    costs = {c["id"]: c for c in procedure.get("costs", [])}
    return {
        "procedure": words.text(procedure["title"]),
        "route": {"id": route["id"], "title": words.text(route["title"])},
        "on": words.date(outcome["on"]),
        "where": _where(outcome["office"], offices, post, words),
        "steps": [
            {
                "id": sid,
                "text": words.text(steps[sid]["text"]),
                "office": office_view(offices.get(steps[sid].get("office")), words),
                "action": action_view(steps[sid].get("action"), post, words),
            }
            for sid in outcome["steps"]
        ],
        "documents": [{"id": did, "label": words.text(documents[did]["label"])} for did in outcome["documents"]],
        "fees": fees,
        "total": [{"amount": words.money(t["amount"], t["currency"]), "example": examples} for t in outcome["total"]],
        "timing": [
            timing_view(item, words.text(timing[item["id"]]["label"]), post, words) for item in outcome["timing"]
        ],
        "costs": [{"id": cid, "label": words.text(costs[cid]["label"])} for cid in outcome.get("costs", [])],
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


def timing_view(item, label, post, words):
    """A delay as a visitor reads it: how long (the post's own delay, or how to ask for it), what it
    covers, and for a delivery in working days the estimated ready date and the holidays skipped."""
    view = {"id": item["id"], "label": label, "duration": None, "ready_on": None, "holidays": None, "ask": None}
    units = {u: item[u] for u in ("working_days", "days", "weeks", "approximate") if u in item}
    if item.get("fact") and not item.get("known"):
        view["ask"] = ask_view(post, words, item["fact"])
        return view
    if item.get("fact"):
        view["duration"] = duration_text(units, words)
    if item.get("ready_on"):
        view["ready_on"] = words.date(item["ready_on"])
        closed = (post or {}).get("closed")
        if closed:
            country = next((words.text(c["name"]) for c in post["countries"] if c["code"] == closed["country"]), None)
            skipped = item.get("holidays_skipped", [])
            estimated = any(day in closed["estimated"] for day in skipped)
            view["holidays"] = words.fill(
                "holidays_estimated" if estimated else "holidays_counted",
                country=country or closed["country"],
                days=words.join([words.date(day) for day in skipped], "and") or "—",
            )
    return view


def _where(office_id, offices, post, words):
    """Where the visitor goes: this post (name and contact card) or another office of the procedure."""
    if office_id == "post":
        if not post:
            return None
        return {"name": words.text(post["name"]), "contact": contact_view(post, words)}
    return office_view(offices.get(office_id), words)


def office_view(office, words):
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
