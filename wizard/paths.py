"""Every answer path of a procedure, enumerated with the engine itself.

The answer space is finite (options, age classes), so the build walks it completely: the static
check that every path ends in exactly one route, the golden outcome files, the no-JavaScript
wizard pages and the Pyodide parity test all come from this one walk.
"""

from .engine import evaluate

DEFAULT_LIMIT = 1000


class TooManyPaths(Exception):
    """Raised by `enumerate_paths` when a procedure has more paths than the limit allows."""


def enumerate_paths(procedure, on, limit=DEFAULT_LIMIT):
    """All (answers, result) pairs whose result is an outcome or an error, in question/option order.

    `answers` is a list of (question id, option id) pairs, in the order asked.
    """
    found = []
    _walk(procedure, [], on, found, limit)
    return found


def _walk(procedure, answers, on, found, limit):
    result = evaluate(procedure, dict(answers), on)
    if result["status"] != "question":
        if len(found) >= limit:
            raise TooManyPaths(f"more than {limit} answer paths")
        found.append((answers, result))
        return
    question = next(q for q in procedure["questions"] if q["id"] == result["question"])
    for option in question["options"]:
        _walk(procedure, answers + [(question["id"], option["id"])], on, found, limit)


def path_key(answers):
    """A readable, stable name for a path: `status=refugee/age=adult/speed=urgent`."""
    return "/".join(f"{q}={o}" for q, o in answers) or "(no questions)"
