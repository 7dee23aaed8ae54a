"""What every check shares: the `Result` it adds problems to, and the words it uses for key
paths, values, dates and "did you mean"."""

import datetime
import difflib
from dataclasses import dataclass, field


@dataclass
class Result:
    """Every error and warning found, in the order found; `ContentError` sorts them for printing."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def describe_path(path, lead=" in "):
    """A key path as editors read it: `'routes[2].steps[1]'` (1-based), after `lead`."""
    if not path:
        return "" if lead else "the file"
    text = ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in path).replace(".[", "[")
    return f"{lead}'{text}'" if lead else f"'{text}'"


def shorten(text, limit=80):
    """`text`, cut to `limit` characters with '…': a message quotes a value, not a pasted page."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_value(value):
    """A value in words: `the text '…'`, `the number 3`, `a list`, `empty`."""
    if isinstance(value, str):
        return f"the text '{shorten(value)}'"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty"


LISTED_AT_MOST = 10  # a hint names the first few known ids, not a whole file's worth


def did_you_mean(value, candidates, what, listed):
    """`did you mean 'x'? known <what>: …` (the guess only when one is close enough; at most
    `LISTED_AT_MOST` known ids, then how many there are in all)."""
    close = difflib.get_close_matches(str(value), [str(c) for c in candidates], n=1, cutoff=0.6)
    names = [str(name) for name in listed]
    if len(names) > LISTED_AT_MOST:
        names = names[:LISTED_AT_MOST] + [f"… ({len(listed)} in all)"]
    known = f"known {what}: {', '.join(names)}" if listed else f"there are no {what}"
    return f"did you mean '{close[0]}'? {known}" if close else known


def parse_date(value):
    """A `datetime.date` from a date or an ISO string; None if it is no real date."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
