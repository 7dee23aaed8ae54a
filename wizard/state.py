"""The wizard's state, as it travels in the address: `#status=refugee&age=2012-05-01&on=2027-03-01`.

Defined here and only here (the browser's wizard.js never parses or writes it). A state is the
ordered answers, each `question=option` (an age question also takes a date of birth), plus `on=`,
the application date the visitor chose (absent: today). Parsing is linear and capped: an address
too long or with too many parts is cut, and the cut is reported, never an exception.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

APPLICATION_DATE = "on"
MAX_FRAGMENT = 4096  # characters of an address we read at all
MAX_PAIRS = 64  # answers: far more than any procedure asks
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class State:
    """Answers in the order given, the chosen application date (ISO text as written, or None) and
    what was wrong with the address (codes, for the step to explain)."""

    pairs: tuple = ()
    on: str | None = None
    problems: tuple = field(default=(), compare=False)

    def with_answer(self, question, value):
        """This state with `question` answered: later answers are dropped (they may no longer apply)."""
        kept = []
        for q, v in self.pairs:
            if q == question:
                break
            kept.append((q, v))
        return State((*kept, (question, value)), self.on)

    def upto(self, count):
        """The first `count` answers, same date: where Back and Change go."""
        return State(self.pairs[:count], self.on)

    def fragment(self):
        return fragment_of(self.pairs, self.on)


def parse(fragment):
    """The `State` of an address fragment (with or without `#`); never raises."""
    text = str(fragment or "")
    problems = []
    if text.startswith("#"):
        text = text[1:]
    if len(text) > MAX_FRAGMENT:
        text, problems = text[:MAX_FRAGMENT], ["too-long"]
    pairs, on, seen = [], None, set()
    for part in text.split("&"):
        if not part:
            continue
        key, equals, value = part.partition("=")
        key, value = _unquote(key), _unquote(value)
        if not equals or not key:
            problems.append("malformed")
            continue
        if key == APPLICATION_DATE:
            on = value if on is None else on
            continue
        if key in seen:  # the same question twice: keep what came before it, drop the rest
            problems.append("repeated")
            break
        if len(pairs) >= MAX_PAIRS:
            problems.append("too-many")
            break
        seen.add(key)
        pairs.append((key, value))
    return State(tuple(pairs), on, tuple(dict.fromkeys(problems)))


def fragment_of(pairs, on=None):
    """The address fragment of answers and an application date: `#q=o&q=o&on=YYYY-MM-DD` ("#" if none)."""
    parts = [f"{quote(q, safe='')}={quote(v, safe='')}" for q, v in pairs]
    if on:
        parts.append(f"{APPLICATION_DATE}={quote(on, safe='')}")
    return "#" + "&".join(parts)


def iso_date(value):
    """`value` as a `datetime.date` if it is a real date written YYYY-MM-DD, else None."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def date_from_parts(day, month, year):
    """The ISO date of three fields a visitor typed (day, month, year), else None."""
    try:
        d, m, y = int(str(day).strip()), int(str(month).strip()), int(str(year).strip())
        return datetime.date(y, m, d).isoformat() if 1000 <= y <= 9999 else None
    except (TypeError, ValueError):
        return None


def _unquote(text):
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return unquote(text, errors="replace")
