"""What differs per post is data: each post gives the facts its procedures need, and no shared text
names one post's facts.

- A fact (`contact:` or `facts:` of content/posts/<post>.yaml) has a value with its `source:`, or
  `example: true`, or is `unknown: true` (visitors are then told to ask, with the post's contact).
- A procedure declares what it `needs:`; its texts name facts as `{fact}`, its steps show them with
  `action:`, a delay takes one with `duration:`. Each of these must be declared, and a need nothing
  uses is a warning.
- A post that offers a procedure gives every fact it needs; a fact under `facts:` that none of its
  procedures needs is a warning.
- A procedure's text that spells out a post's fact (its city, phone, e-mail, the posts it names, its
  delivery time) is an error: that text would show one post's fact on every post's pages.
"""

import re

from .base import shorten
from .ids import check_ref
from .translations import text_mappings

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# What each `action:` of a step shows (contact: the card, which every post has).
ACTION_FACTS = {
    "phone": ["phone"],
    "email": ["email"],
    "appointments": ["appointments"],
    "postal_address": ["postal_address"],
    "payment": ["payment"],
    "fees_page": ["fees_page"],
    "other_posts": ["other_posts"],
    "contact": [],
}
# How a delay in a fact reads in each language, to find it spelt out in a shared text.
UNITS = {
    "working_days": {"nl": "werkdagen", "fr": "jours ouvrables", "de": "Arbeitstage", "en": "working days"},
    "days": {"nl": "dagen", "fr": "jours", "de": "Tage", "en": "days"},
    "weeks": {"nl": "weken", "fr": "semaines", "de": "Wochen", "en": "weeks"},
}


def check_fact_shapes(doc, source_ids, result):
    """Each fact of a post: a value with exactly one of source / example, or unknown: true alone."""
    data = doc.data
    for group in ("contact", "facts"):
        for name, fact in (data.get(group) or {}).items():
            path = (group, name)
            kinds = [k for k in ("source", "example", "unknown") if k in fact]
            if fact.get("unknown"):
                if len(fact) > 1:
                    extra = " and ".join(k for k in fact if k != "unknown")
                    result.errors.append(
                        doc.problem(
                            path,
                            f"the fact '{name}' is marked unknown but also has {extra}",
                            "write either 'unknown: true' alone, or a value with its source",
                        )
                    )
                continue
            if "value" not in fact:
                result.errors.append(
                    doc.problem(
                        path,
                        f"the fact '{name}' has no value",
                        "add 'value: …' with 'source: <id>' (or 'example: true'), or write 'unknown: true'",
                    )
                )
            if len(kinds) != 1:
                result.errors.append(
                    doc.problem(
                        path,
                        f"the fact '{name}' needs exactly one of source, example or unknown",
                        "add 'source: <id from content/sources.yaml>', or 'example: true' for an example value",
                    )
                )
            if "source" in fact:
                check_ref(
                    doc,
                    path + ("source",),
                    fact["source"],
                    source_ids,
                    "source",
                    result,
                    "sources are listed in content/sources.yaml",
                )


def procedure_uses(data):
    """{fact name: key path of its first use} of a procedure: its placeholders, actions, delays and
    Single Digital Gateway items (`sdg:`, pipeline/sdg.py)."""
    used = {}
    for path, mapping in text_mappings(data, ()):
        for text in mapping.values():
            for name in PLACEHOLDER.findall(text):
                used.setdefault(name, path)
    for r, route in enumerate(data.get("routes", [])):
        for s, step in enumerate(route.get("steps", [])):
            for name in ACTION_FACTS.get(step.get("action"), []):
                used.setdefault(name, ("routes", r, "steps", s, "action"))
    for key, given in (data.get("sdg") or {}).items():  # a Single Digital Gateway item a post gives
        if isinstance(given, dict) and given.get("fact"):
            used.setdefault(given["fact"], ("sdg", key, "fact"))
    for key_path, item in _timing(data):
        if "duration" in item:
            used.setdefault(item["duration"], key_path + ("duration",))
            used.setdefault("closing_days", key_path + ("duration",))  # working days skip the post's holidays
    return used


def _timing(data):
    for i, item in enumerate(data.get("timing", [])):
        yield ("timing", i), item
    for r, route in enumerate(data.get("routes", [])):
        for i, item in enumerate(route.get("timing", [])):
            yield ("routes", r, "timing", i), item


def check_procedure_needs(doc, result):
    """Every fact a procedure uses is declared in `needs:`; every declared need is used."""
    data = doc.data
    needs = data.get("needs", [])
    used = procedure_uses(data)
    for name, path in used.items():
        if name not in needs:
            result.errors.append(
                doc.problem(
                    path,
                    f"the procedure uses the post's fact '{name}', but 'needs:' does not list it",
                    f"add '{name}' to 'needs:' at the top of the file, so that every post offering it gives it",
                )
            )
    for i, name in enumerate(needs):
        if name not in used and not (name == "fees_page" and "payment" in used):
            result.warnings.append(
                doc.problem(
                    ("needs", i),
                    f"the procedure needs '{name}', but no text, step or delay uses it",
                    "remove it from 'needs:', or show it: {" + name + "} in a text, or a step's 'action:'",
                    severity="warning",
                )
            )


def check_post_gives_needs(doc, procedures_by_id, result):
    """A post gives every fact its procedures need; a fact none of them needs is a warning."""
    data = doc.data
    given = set(data.get("contact") or {}) | set(data.get("facts") or {})
    needed = set()
    for i, pid in enumerate(data.get("procedures", [])):
        procedure = procedures_by_id.get(pid)
        if procedure is None:
            continue
        for name in procedure.get("needs", []):
            needed.add(name)
            if name not in given:
                result.errors.append(
                    doc.problem(
                        ("procedures", i),
                        f"the post offers '{pid}', which needs the fact '{name}', but the post does not give it",
                        f"add '{name}:' under 'facts:' (or 'contact:') with a value and its source, 'example: true', "
                        "or 'unknown: true' if no source gives it",
                    )
                )
    for name in data.get("facts") or {}:
        if name not in needed:
            result.warnings.append(
                doc.problem(
                    ("facts", name),
                    f"the fact '{name}' is needed by none of this post's procedures",
                    "remove it, or offer a procedure that needs it",
                    key=True,
                    severity="warning",
                )
            )


def spelt_out(post):
    """[(text, fact name)] of a post's facts as they could be spelt out in a shared text."""
    found = []
    found += [(city, "city") for city in (post.get("city") or {}).values()]
    for group in ("contact", "facts"):
        for name, fact in (post.get(group) or {}).items():
            value = fact.get("value")
            if value is None or name in ("closing_days", "consular_code"):
                continue
            if name == "processing_time":
                unit = next(u for u in UNITS if u in value)
                found += [(f"{value[unit]} {word}", name) for word in UNITS[unit].values()]
            elif name == "other_posts":
                found += [(part, name) for text in value.values() for part in re.findall(r"[A-ZÀ-Ý][\w-]{3,}", text)]
            elif isinstance(value, dict):
                found += [(text, name) for text in value.values()]
            else:
                found.append((str(value), name))
    return [(text, name) for text, name in found if len(text) >= 4]


def check_no_post_facts_in_procedures(procedure_docs, post_docs, result):
    """No procedure text spells out a post's fact: it would show on every post's pages."""
    # A network of a hundred posts has thousands of facts and every procedure text is checked against
    # each: the pattern is compiled once per distinct text, and tried only where the text occurs at all.
    patterns = {}
    facts = []
    for doc in post_docs:
        for text, name in spelt_out(doc.data):
            low = text.lower()
            if low not in patterns:
                patterns[low] = re.compile(rf"(?<!\w){re.escape(low)}(?!\w)")
            facts.append((text, name, doc.data["id"], low, patterns[low]))
    for doc in procedure_docs:
        for path, mapping in text_mappings(doc.data, ()):
            for lang, text in mapping.items():
                lowered = text.lower()
                for fact_text, name, post_id, low, pattern in facts:
                    if low in lowered and pattern.search(lowered):
                        result.errors.append(
                            doc.problem(
                                path + (lang,),
                                f"the text names '{shorten(fact_text, 40)}', a fact of post '{post_id}' ({name})",
                                f"a procedure's texts are shown for every post: write {{{name}}} instead, "
                                "or show it with a step's 'action:'"
                                if name != "city"
                                else "a procedure's texts are shown for every post: say 'the embassy' or 'this post'",
                            )
                        )
                        break
