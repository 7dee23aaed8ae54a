"""Ids: each used once where it must be unique, and every reference naming one that exists."""

from .base import did_you_mean


def check_unique(doc, keyed, what, result):
    seen = {}
    for path, value in keyed:
        if value in seen:
            line = doc.where(seen[value])[0]
            result.errors.append(
                doc.problem(
                    path,
                    f"the {what} id '{value}' is used twice",
                    f"it is already used on line {line}; give each {what} its own id",
                )
            )
        else:
            seen[value] = path


def check_ref(doc, path, value, known, what, result, extra=""):
    if value not in known:
        hint = did_you_mean(value, known, f"{what}s", known)
        result.errors.append(doc.problem(path, f"unknown {what} '{value}'", f"{hint}{'; ' + extra if extra else ''}"))
