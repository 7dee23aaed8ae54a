"""The decision engine: given a procedure and a visitor's answers, the next question or the outcome.

Pure and deterministic: no clock, no files, no printing, standard library only, so the very same
code runs in CPython (build, tests) and in the visitor's browser on Pyodide. The procedure is the
compiled JSON form of `procedures/<id>.yaml` (dates as ISO strings), see `pipeline/compile.py`.

The result is a plain dict, JSON-serialisable, holding ids, amounts and dates only; labels in a
language come from `wizard.present`. Bad answers (unknown, not applicable, impossible dates) give
`{"status": "error", ...}` naming the first question that cannot be used; never an exception.
"""

import datetime
import re
from decimal import Decimal

from .conditions import holds, option_by_id, question_by_id

__all__ = ["evaluate", "EngineError", "MAX_YEAR"]

MAX_YEAR = 9000  # dates beyond are refused, so that date arithmetic can never overflow
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class EngineError(Exception):
    """Raised inside the engine for a visitor-facing problem; `evaluate` turns it into a value."""

    def __init__(self, code, message, question=None, value=None, **details):
        super().__init__(message)
        self.code = code
        self.question = question
        self.value = value
        self.details = details  # ids the error is about, e.g. fee="adult-standard"

    def as_dict(self):
        return {"code": self.code, "question": self.question, "value": self.value, "message": str(self), **self.details}


def evaluate(procedure, answers, on, post=None):
    """Return the next question, the outcome, or an error value for `answers` on date `on`.

    `answers` maps question ids to option ids; an age question also accepts an ISO date of birth,
    which becomes the age class on the application date `on` (a `datetime.date` or ISO string).
    `post`, the compiled post that offers the procedure, gives what differs per office: its delivery
    time (fact `processing_time`) and its closing days; without it such a delay stays unresolved.
    """
    try:
        on = _iso_date(on, "on")
        resolved, exact = _resolve_answers(procedure, answers or {}, on)
        question = _next_question(procedure, resolved, on)
        if question is not None:
            return {
                "status": "question",
                "procedure": procedure["id"],
                "on": on,
                "question": question["id"],
                "answers": resolved,
                "exact": exact,
            }
        return _outcome(procedure, resolved, exact, on, post)
    except EngineError as error:
        return {
            "status": "error",
            "procedure": procedure.get("id"),
            "on": on if isinstance(on, str) else None,
            "errors": [error.as_dict()],
            "resume_at": error.question,
        }


# --- answers ------------------------------------------------------------------------------------


def _resolve_answers(procedure, answers, on):
    """Check every answer against the questions, in question order; turn dates of birth into classes."""
    for key in answers:
        if question_by_id(procedure, key) is None:
            raise EngineError("unknown-question", f"There is no question '{key}'.", key, answers[key])
    resolved, exact = {}, {}
    for question in procedure["questions"]:
        qid = question["id"]
        if qid not in answers:
            continue
        if not holds(question.get("when"), resolved, procedure, on):
            raise EngineError(
                "not-applicable", f"Question '{qid}' does not apply to the earlier answers.", qid, answers[qid]
            )
        value = answers[qid]
        if question.get("kind") == "age" and _looks_like_date(value):
            exact[qid] = value
            value = _age_class(question, value, on)
        if not isinstance(value, str) or option_by_id(question, value) is None:
            raise EngineError("unknown-option", f"'{value}' is not an answer to question '{qid}'.", qid, value)
        resolved[qid] = value
    return resolved, exact


def _next_question(procedure, resolved, on):
    for question in procedure["questions"]:
        if question["id"] not in resolved and holds(question.get("when"), resolved, procedure, on):
            return question
    return None


def _looks_like_date(value):
    return isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None


def _age_class(question, birth_date, on):
    born = _iso_date(birth_date, question["id"], question["id"])
    if born > on:
        raise EngineError(
            "invalid-date", f"The date of birth {born} is after the application date {on}.", question["id"], birth_date
        )
    age = age_on(born, on)
    for option in question["options"]:
        bounds = option["age"]
        if bounds.get("from", 0) <= age < bounds.get("under", 10**6):
            return option["id"]
    raise EngineError("invalid-date", f"No answer to '{question['id']}' covers age {age}.", question["id"], birth_date)


def age_on(born, on):
    """Completed years on date `on` for someone born on `born` (ISO strings); 29 Feb ages on 1 March."""
    b, d = datetime.date.fromisoformat(born), datetime.date.fromisoformat(on)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def _iso_date(value, what, question=None):
    """`value` (a date or YYYY-MM-DD text) as ISO text, from year 1 to MAX_YEAR; else an EngineError."""
    if isinstance(value, datetime.date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            day = None
    else:
        day = None
    if day is None or day.year > MAX_YEAR:
        raise EngineError("invalid-date", f"'{value}' is not a date (YYYY-MM-DD) for {what}.", question, value)
    return day.isoformat()


# --- outcome ------------------------------------------------------------------------------------


def _outcome(procedure, answers, exact, on, post):
    routes = [r for r in procedure["routes"] if holds(r.get("when"), answers, procedure, on)]
    if len(routes) != 1:
        code = "no-route" if not routes else "several-routes"
        raise EngineError(code, f"{len(routes)} routes match these answers; the procedure must give exactly one.")
    route = routes[0]

    def applicable(items):
        return [item for item in items if holds(item.get("when"), answers, procedure, on)]

    fees = [_fee_on(procedure, fee, on) for fee in applicable(procedure.get("fees", []))]
    fees = [fee for fee in fees if fee is not None]
    timing = [_timing(item, on, post) for item in applicable(route.get("timing", []) + procedure.get("timing", []))]
    validity = applicable(procedure.get("validity", []))
    return {
        "status": "outcome",
        "procedure": procedure["id"],
        "on": on,
        "answers": answers,
        "exact": exact,
        "route": route["id"],
        "office": route.get("office", "post"),
        "steps": [step["id"] for step in applicable(route.get("steps", []))],
        "documents": [doc["id"] for doc in applicable(procedure.get("documents", []))],
        "fees": fees,
        "total": _totals(fees),
        "timing": timing,
        "costs": [cost["id"] for cost in applicable(procedure.get("costs", []))],
        "validity": {"id": validity[0]["id"], "years": validity[0]["years"]} if validity else None,
        "warnings": [w["id"] for w in applicable(procedure.get("warnings", []))],
        "sources": sorted({s for s in _sources_used(procedure, route, fees)}),
    }


def _fee_on(procedure, fee, on):
    """The amount of `fee` in force on `on`, and the next scheduled change; None if the fee has ended."""
    values = fee["values"]
    current = None
    for value in values:
        if value["from"] <= on:
            current = value
    if current is None:
        raise EngineError(
            "no-fee-in-force",
            f"Fee '{fee['id']}' has no amount in force on {on}; its first amount applies from {values[0]['from']}.",
            fee=fee["id"],
            first=values[0]["from"],
        )
    if current.get("amount") is None:
        return None
    later = [v for v in values if v["from"] > on]
    nxt = later[0] if later else None
    return {
        "id": fee["id"],
        "amount": _money(current["amount"]),
        "currency": fee.get("currency", procedure.get("currency", "EUR")),
        "from": current["from"],
        "example": bool(current.get("example", False)),
        "source": current.get("source"),
        "next": None
        if nxt is None
        else {
            "from": nxt["from"],
            "amount": None if nxt.get("amount") is None else _money(nxt["amount"]),
        },
    }


def _money(amount):
    return str(Decimal(str(amount)).quantize(Decimal("0.01")))


def _totals(fees):
    totals = {}
    for fee in fees:
        totals[fee["currency"]] = totals.get(fee["currency"], Decimal("0")) + Decimal(fee["amount"])
    return [{"currency": c, "amount": str(totals[c])} for c in sorted(totals)]


def _timing(item, on, post):
    """A delay: its unit and length, and for a delivery in working days the estimated ready date.

    A delay that is the post's own (`duration: processing_time`) takes the post's fact; if the post
    does not know it (or no post is given) it stays `{"fact": "processing_time", "known": false}`.
    """
    result = {"id": item["id"], "kind": item.get("kind", "delivery")}
    given = item
    if "duration" in item:
        fact = _fact(post, item["duration"])
        result["fact"] = item["duration"]
        result["known"] = fact is not None
        given = dict(fact or {}, approximate=(fact or {}).get("approximate", False))
    for unit in ("working_days", "days", "weeks", "approximate"):
        if unit in given:
            result[unit] = given[unit]
    if result["kind"] == "delivery" and "working_days" in given:
        closed = set((post or {}).get("closed", {}).get("dates", []))
        result["ready_on"] = add_working_days(on, given["working_days"], closed)
        result["holidays_skipped"] = sorted(
            d for d in closed if on < d <= result["ready_on"] and datetime.date.fromisoformat(d).weekday() < 5
        )
    return result


def _fact(post, name):
    """The value of a post's fact (under `facts:` or `contact:`), or None if unknown or not given."""
    for group in ("facts", "contact"):
        fact = (post or {}).get(group, {}).get(name)
        if fact is not None:
            return None if fact.get("unknown") else fact["value"]
    return None


def add_working_days(on, count, closed=()):
    """The date `count` working days after ISO date `on`: Monday to Friday, not on a day in `closed`
    (ISO dates: the public holidays of the office that does the work)."""
    day = datetime.date.fromisoformat(on)
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day.isoformat() not in closed:
            count -= 1
    return day.isoformat()


def _sources_used(procedure, route, fees):
    ids = set(route.get("sources", []))
    ids.update(fee["source"] for fee in fees if fee.get("source"))
    return ids
