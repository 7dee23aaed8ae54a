"""Every answer path, walked with the engine itself: each must end in exactly one route.

A procedure changes only on the dates it names (a fee's `from`, a condition's `on: {from/before}`),
so the paths are walked on the build date and on each of those dates after it: a route that ends
on 1 March is a problem today, not on 1 March. The walks then tell `reach` what no path reaches.
"""

import datetime

from wizard.conditions import APPLICATION_DATE, holds
from wizard.paths import TooManyPaths, enumerate_paths, path_key

from .reach import check_reach


def check_paths(doc, procedure, on, result, limit):
    """Walk every answer path on each date that matters: each must end in exactly one route, and
    every question, route and item must be reached by some path (see `reach`)."""
    dates = procedure_dates(procedure)
    walks = {}
    for date in [on] + [d for d in dates if d > on]:
        try:
            walks[date] = enumerate_paths(procedure, date, limit=limit)
        except TooManyPaths:
            result.errors.append(
                doc.problem(
                    ("questions",),
                    f"procedure '{procedure['id']}' has more than {limit} answer paths",
                    "split it into smaller procedures, or narrow questions with 'when:'",
                    key=True,
                )
            )
            return
    if _check_routes(doc, procedure, walks, on, result):
        return
    # Earlier dates only tell content that no longer applies from content that never did.
    earlier = [d for d in dates if d < on]
    if earlier:
        day_before = (datetime.date.fromisoformat(earlier[0]) - datetime.timedelta(days=1)).isoformat()
        earlier = [day_before] + earlier
    past = {}
    for date in earlier:
        try:
            past[date] = enumerate_paths(procedure, date, limit=limit)
        except TooManyPaths:
            past[date] = []
    check_reach(doc, procedure, walks, past, result)


def procedure_dates(procedure):
    """Every date on which the procedure changes (ISO strings, sorted): fee values' `from` and
    the dates compared in `on:` conditions."""
    dates = {value["from"] for fee in procedure.get("fees", []) for value in fee["values"]}
    for condition in _conditions(procedure):
        _collect_dates(condition, dates)
    return sorted(dates)


def _conditions(procedure):
    yield from procedure.get("conditions", {}).values()
    for key in ("questions", "documents", "fees", "timing", "validity", "warnings", "routes"):
        for item in procedure.get(key, []):
            yield item.get("when")
    for route in procedure["routes"]:
        for item in route.get("steps", []) + route.get("timing", []):
            yield item.get("when")


def _collect_dates(condition, dates):
    if isinstance(condition, list):
        for item in condition:
            _collect_dates(item, dates)
    elif isinstance(condition, dict):
        for key, value in condition.items():
            if key == APPLICATION_DATE:
                dates.update(str(date) for date in value.values())
            else:
                _collect_dates(value, dates)


def _check_routes(doc, procedure, walks, on, result):
    """Report paths that end in no route, several routes or no fee; True if there were any."""
    errors_before = len(result.errors)
    reported = set()
    unrouted = {}  # (code, routes, paths) -> the first date with that problem
    for date, paths in walks.items():
        grouped = {}
        for answers, outcome in paths:
            if outcome["status"] == "outcome":
                continue
            error = outcome["errors"][0]
            if error["code"] == "no-fee-in-force":
                _report_fee_not_in_force(doc, procedure, error, date, reported, result)
                continue
            routes = tuple(r["id"] for r in procedure["routes"] if holds(r.get("when"), dict(answers), procedure, date))
            grouped.setdefault((error["code"], routes), []).append(answers)
        for (code, routes), group in grouped.items():
            unrouted.setdefault((code, routes, tuple(map(tuple, group))), date)
    # One message per kind of mistake, not one per path: a wrong 'when' often affects many paths.
    for (code, routes, group), date in unrouted.items():
        if code == "no-route":
            reach = "reach no route"
            hint = "add a route whose 'when' covers these answers, or change the routes' conditions"
        elif code == "several-routes":
            reach = f"reach {len(routes)} routes ({', '.join(routes)})"
            hint = "make the routes' 'when' conditions exclude each other"
        else:  # the engine refuses the date itself, or a mistake no other check caught
            reach = f"end in the wizard's error '{code}'"
            hint = "check the dates and conditions of the procedure"
        since = "" if date == on else f" from {date} on"
        result.errors.append(
            doc.problem(("routes",), f"the answers {_describe_paths(list(group))} {reach}{since}", hint, key=True)
        )
    return len(result.errors) > errors_before


def _report_fee_not_in_force(doc, procedure, error, on, reported, result):
    fee_id = error["fee"]
    if fee_id in reported:
        return
    reported.add(fee_id)
    index = next(i for i, f in enumerate(procedure["fees"]) if f["id"] == fee_id)
    result.errors.append(
        doc.problem(
            ("fees", index, "values"),
            f"fee '{fee_id}' has no amount in force on the build date {on}",
            f"its first amount applies from {error['first']}: add an amount that applies from {on} or earlier",
        )
    )


def _describe_paths(group):
    """`a=x/b=y` for one path; for several, the answers they share, how many there are and the first."""
    if len(group) == 1:
        return path_key(group[0])
    shared = [pair for pair in group[0] if all(pair in answers for answers in group[1:])]
    if shared:
        return f"{path_key(shared)} ({len(group)} answer paths, e.g. {path_key(group[0])})"
    return f"{path_key(group[0])} (and {len(group) - 1} other answer paths)"
