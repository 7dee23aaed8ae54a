"""The Single Digital Gateway items of a procedure (pipeline/sdg.py): each one given, or said to be
not applicable or not known.

- An item missing from the `sdg:` block (and from the procedure's own documents, fees and timing)
  is a warning, which `check --strict` turns into a failure: a page without it falls short of
  Regulation (EU) 2018/1724.
- A given item says where it comes from in exactly one way: a `value` with its `source:` (or
  `example: true`), a post's `fact:` (declared in `needs:`, as facts.py checks), `not_applicable:
  true` or `unknown: true`.
- `documents`, `fees` and `timing` belong in the procedure's own lists; the `sdg:` block names them
  only for a procedure that has none.
"""

from ..sdg import ITEMS, own_list
from .ids import check_ref

WAYS_HINT = (
    "a text ('value:') with its 'source: <id>' or 'example: true'; "
    "or 'fact: <a post fact>', 'not_applicable: true' or 'unknown: true'"
)


def check_sdg(doc, source_ids, result):
    """Every item given once, in one way; a missing one is a warning at the `sdg:` block (or the id)."""
    data = doc.data
    block = data.get("sdg") or {}
    where = ("sdg",) if "sdg" in data else ("id",)
    for item in ITEMS:
        given = block.get(item.key)
        path = ("sdg", item.key)
        if item.own and own_list(data, item):
            if given is not None:
                result.errors.append(
                    doc.problem(
                        path,
                        f"the procedure lists its {item.own} under '{item.own}:', and 'sdg:' says '{item.key}' again",
                        f"remove '{item.key}:' from 'sdg:': it is only for a procedure without {item.own}",
                        key=True,
                    )
                )
            continue
        if given is None:
            result.warnings.append(
                doc.problem(
                    where,
                    f"the procedure does not say {item.what} (EU 2018/1724, {item.article})",
                    _missing_hint(item),
                    key=True,
                    severity="warning",
                )
            )
            continue
        _check_given(doc, path, item, given, source_ids, result)


def _missing_hint(item):
    if item.own:
        return (
            f"list them under '{item.own}:', or add '{item.key}: {{not_applicable: true}}' "
            "(or 'unknown: true') under 'sdg:'"
        )
    return f"add '{item.key}:' under 'sdg:': {WAYS_HINT}"


def _check_given(doc, path, item, given, source_ids, result):
    """One given item: exactly one way, a value only with its source or example mark. (A `fact:` is
    checked against `needs:` with the procedure's other uses of post facts: facts.procedure_uses.)"""
    ways = [way for way in ("source", "example", "fact", "not_applicable", "unknown") if way in given]
    if not ways and "value" in given:
        result.errors.append(
            doc.problem(
                path,
                f"the item '{item.key}' has a value but says neither its source nor that it is an example",
                "add 'source: <id from content/sources.yaml>', or 'example: true' for an example value",
                key=True,
            )
        )
        return
    if len(ways) != 1:
        result.errors.append(
            doc.problem(
                path,
                f"the item '{item.key}' needs exactly one of source, example, fact, not_applicable or unknown"
                + (f", not {' and '.join(ways)}" if ways else ""),
                f"give it as {WAYS_HINT}",
                key=True,
            )
        )
        return
    (way,) = ways
    if way in ("source", "example") and "value" not in given:
        result.errors.append(
            doc.problem(
                path,
                f"the item '{item.key}' has a {way} but no value",
                "add 'value:' with the text in every language (for 'languages' a list of codes)",
                key=True,
            )
        )
    if way not in ("source", "example") and "value" in given:
        result.errors.append(
            doc.problem(
                path + ("value",),
                f"the item '{item.key}' is marked {way} but also has a value",
                f"write either '{way}: …' alone, or a value with its source",
                key=True,
            )
        )
    if way == "source":
        check_ref(
            doc,
            path + ("source",),
            given["source"],
            source_ids,
            "source",
            result,
            "sources are listed in content/sources.yaml",
        )
