"""Content no answer path reaches: a question never asked, a route, step, document, fee, timing,
validity or warning never shown. Without this check such content fails silently: a question with
a contradictory `when` is skipped, and the fees that depend on it become "no fee".

The paths are those of the build date and of every later date the procedure names, so content
that starts to apply on a future date is reached. Severity:

- never reached on any of those dates: an **error**, for every kind. A visitor never sees what the
  editor wrote, and nothing but a mistake in a `when` makes that so (a contradiction, an answer
  no path gives, a validity shadowed by an earlier one);
- reached only before the build date (a date in its `when` has passed): a **warning**. It was
  right when written and the logic is sound; it is only dead weight now, and a build must not
  start failing because the calendar moved on. `check --strict` still fails on it.

Options are not listed: every path that asks a question tries each of its options, so an option
is never reached only when its question is not, which is reported once, at the question.
"""

from dataclasses import dataclass, field

from wizard.conditions import holds, referenced_questions


@dataclass
class _Reached:
    """What the outcome paths of some dates reach: ids per kind, and the last date each was reached."""

    last: dict = field(default_factory=dict)  # (kind, id) -> the last date it was reached on
    held: dict = field(default_factory=dict)  # validity id -> the validity shown instead, where it held

    def add(self, kind, item_id, date):
        self.last[(kind, item_id)] = date


# kind: (what it is called, "is never …" in words, "is no longer …")
WORDS = {
    "question": ("question", "is never asked", "is no longer asked"),
    "route": ("route", "is never reached", "is no longer reached"),
    "step": ("step", "is never shown", "is no longer shown"),
    "document": ("document", "is never asked for", "is no longer asked for"),
    "fee": ("fee", "never applies", "no longer applies"),
    "timing": ("timing", "is never shown", "is no longer shown"),
    "validity": ("validity", "is never shown", "is no longer shown"),
    "warning": ("warning", "is never shown", "is no longer shown"),
}


def check_reach(doc, procedure, walks, past, result):
    """Report what the paths in `walks` (date -> paths, build date first) never reach; as a
    warning what only the paths in `past` (earlier dates) reached."""
    now = _reached(procedure, walks)
    before = _reached(procedure, past)
    dates = sorted(set(walks) | set(past))
    never_asked = {
        question["id"] for question in procedure["questions"] if ("question", question["id"]) not in now.last
    }
    for kind, key, path, route in _items(procedure):
        if (kind, key) in now.last or (route and ("route", route) not in now.last):
            continue  # reached; or part of a route never reached, which is reported at the route
        item = _at(procedure, path)
        name, never, no_longer = WORDS[kind]
        what = f"{name} '{item['id']}'" + (f" of route '{route}'" if kind == "step" else "")
        where = path + ("when",) if "when" in item else path
        if (kind, key) in before.last:
            until = dates[dates.index(before.last[(kind, key)]) + 1]
            result.warnings.append(
                doc.problem(
                    where,
                    f"{what} {no_longer}: its 'when' held only before {until}",
                    "remove it, or correct the date in its 'when'",
                    key="when" in item,
                    severity="warning",
                )
            )
            continue
        message, hint = _never(kind, item, procedure, now, never_asked)
        result.errors.append(doc.problem(where, f"{what} {never}{message}", hint, key=where[-1] == "when"))


def _never(kind, item, procedure, now, never_asked):
    """The rest of the message for an item no path reaches, and the hint: why, when it can be told."""
    cause = [q for q in referenced_questions(item.get("when"), procedure) if q in never_asked]
    if cause:
        return "", f"it depends on question '{cause[0]}', which is never asked: correct that question's 'when' first"
    if kind == "validity" and item["id"] in now.held:
        return (
            f": wherever its 'when' holds, the validity '{now.held[item['id']]}' comes first",
            "a path shows the first validity that applies: put this one before it, or narrow that one's 'when'",
        )
    if kind == "route":
        return "", "check its 'when' condition, or remove the route"
    if kind == "step":
        return (
            ": no answer path to the route meets its 'when'",
            "correct its 'when' (it may contradict itself or the route's 'when'), or remove the step",
        )
    if kind == "question":
        return (
            ": no earlier answers meet its 'when'",
            "correct its 'when' (it may contradict itself or the earlier questions), or remove the question",
        )
    return (
        ": no answer path meets its 'when'",
        "correct its 'when' (it may contradict itself, or ask for answers that never come together), or remove it",
    )


def _reached(procedure, walks):
    reached = _Reached()
    for date, paths in walks.items():
        for answers, outcome in paths:
            if outcome["status"] != "outcome":
                continue
            for question, _ in answers:
                reached.add("question", question, date)
            reached.add("route", outcome["route"], date)
            for step in outcome["steps"]:
                reached.add("step", (outcome["route"], step), date)
            for kind, ids in (("document", outcome["documents"]), ("warning", outcome["warnings"])):
                for item_id in ids:
                    reached.add(kind, item_id, date)
            for item in outcome["timing"]:
                reached.add("timing", item["id"], date)
            # A fee that has ended (amount: null) is left out of the outcome, yet it applies.
            for fee in procedure.get("fees", []):
                if holds(fee.get("when"), dict(answers), procedure, date):
                    reached.add("fee", fee["id"], date)
            if outcome["validity"]:
                shown = outcome["validity"]["id"]
                reached.add("validity", shown, date)
                for item in procedure.get("validity", []):
                    if item["id"] != shown and holds(item.get("when"), dict(answers), procedure, date):
                        reached.held.setdefault(item["id"], shown)
    return reached


def _items(procedure):
    """(kind, key in `_Reached`, key path, route it belongs to) of everything a path may reach."""
    for i, question in enumerate(procedure["questions"]):
        yield "question", question["id"], ("questions", i), None
    for r, route in enumerate(procedure["routes"]):
        yield "route", route["id"], ("routes", r), None
        for s, step in enumerate(route["steps"]):
            yield "step", (route["id"], step["id"]), ("routes", r, "steps", s), route["id"]
        for t, item in enumerate(route.get("timing", [])):
            yield "timing", item["id"], ("routes", r, "timing", t), route["id"]
    for key, kind in (
        ("documents", "document"),
        ("fees", "fee"),
        ("timing", "timing"),
        ("validity", "validity"),
        ("warnings", "warning"),
    ):
        for i, item in enumerate(procedure.get(key, [])):
            yield kind, item["id"], (key, i), None


def _at(data, path):
    for key in path:
        data = data[key]
    return data
