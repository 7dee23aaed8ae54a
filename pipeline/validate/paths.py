"""Every answer path, walked with the engine itself: each must end in exactly one route."""

from wizard.conditions import holds
from wizard.paths import TooManyPaths, enumerate_paths, path_key


def check_paths(doc, procedure, on, result, limit):
    """Walk every answer path with the engine: each must end in exactly one route."""
    try:
        paths = enumerate_paths(procedure, on, limit=limit)
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
    reached = set()
    reported = set()
    unrouted = {}  # (code, routes) -> every answer path with that problem, in walk order
    for answers, outcome in paths:
        if outcome["status"] == "outcome":
            reached.add(outcome["route"])
            continue
        error = outcome["errors"][0]
        code = error["code"]
        if code == "no-fee-in-force":
            fee_id = error["fee"]
            index = next(i for i, f in enumerate(procedure["fees"]) if f["id"] == fee_id)
            if ("fee", fee_id) not in reported:
                reported.add(("fee", fee_id))
                result.errors.append(
                    doc.problem(
                        ("fees", index, "values"),
                        f"fee '{fee_id}' has no amount in force on the build date {on}",
                        "add an amount that applies from that date or earlier",
                    )
                )
            continue
        routes = tuple(r["id"] for r in procedure["routes"] if _route_holds(r, answers, procedure, on))
        unrouted.setdefault((code, routes), []).append(answers)
    # One message per kind of mistake, not one per path: a wrong 'when' often affects many paths.
    for (code, routes), group in unrouted.items():
        if code == "no-route":
            reach = "reach no route"
            hint = "add a route whose 'when' covers these answers, or change the routes' conditions"
        else:
            reach = f"reach {len(routes)} routes ({', '.join(routes)})"
            hint = "make the routes' 'when' conditions exclude each other"
        result.errors.append(doc.problem(("routes",), f"the answers {_describe_paths(group)} {reach}", hint, key=True))
    for r, route in enumerate(procedure["routes"]):
        if route["id"] not in reached and not any(o["status"] == "error" for _, o in paths):
            result.errors.append(
                doc.problem(
                    ("routes", r, "id"),
                    f"route '{route['id']}' is never reached",
                    "check its 'when' condition, or remove the route",
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


def _route_holds(route, answers, procedure, on):
    return holds(route.get("when"), dict(answers), procedure, on)
