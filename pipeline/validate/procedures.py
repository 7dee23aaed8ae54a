"""Meaning of a procedure: its ids, review statuses, offices, sources, age classes, fees and timing."""

from .base import parse_date
from .conditions import check_conditions
from .ids import check_ref, check_unique
from .translations import check_translations


def check_procedure(doc, languages, source_ids, procedure_ids, result):
    data = doc.data
    err = result.errors.append
    if data["id"] != doc.path.stem:
        err(
            doc.problem(
                ("id",),
                f"the id '{data['id']}' differs from the file name '{doc.path.name}'",
                f"rename the file to '{data['id']}.yaml' or set 'id: {doc.path.stem}'",
            )
        )
    for lang in languages:
        if lang not in data["translations"]:
            err(
                doc.problem(
                    ("translations",),
                    f"no review status for language '{lang}'",
                    f"add '{lang}: unreviewed' (or reviewed, once a native editor has checked it)",
                )
            )
    check_translations(doc, languages, result)

    questions = data["questions"]
    check_unique(doc, [(("questions", i, "id"), q["id"]) for i, q in enumerate(questions)], "question", result)
    for i, question in enumerate(questions):
        check_unique(
            doc,
            [(("questions", i, "options", j, "id"), o["id"]) for j, o in enumerate(question["options"])],
            f"option of question '{question['id']}'",
            result,
        )
        check_age_classes(doc, i, question, result)
    for key in ("routes", "documents", "fees", "validity", "warnings", "offices"):
        items = data.get(key, [])
        check_unique(doc, [((key, i, "id"), item["id"]) for i, item in enumerate(items)], key.rstrip("s"), result)
    timing = [(("timing", i, "id"), t["id"]) for i, t in enumerate(data.get("timing", []))]
    for r, route in enumerate(data["routes"]):
        timing += [(("routes", r, "timing", i, "id"), t["id"]) for i, t in enumerate(route.get("timing", []))]
        check_unique(
            doc,
            [(("routes", r, "steps", i, "id"), s["id"]) for i, s in enumerate(route["steps"])],
            f"step of route '{route['id']}'",
            result,
        )
    check_unique(doc, timing, "timing", result)
    question_ids = [q["id"] for q in questions]
    for name in data.get("conditions", {}):
        if name in question_ids:
            err(
                doc.problem(
                    ("conditions", name),
                    f"the condition name '{name}' is also a question id",
                    "give the named condition another name",
                    key=True,
                )
            )

    check_conditions(doc, result)
    office_ids = ["post"] + [o["id"] for o in data.get("offices", [])]
    for r, route in enumerate(data["routes"]):
        check_ref(doc, ("routes", r, "office"), route.get("office", "post"), office_ids, "office", result)
        for s, step in enumerate(route["steps"]):
            if "office" in step:
                check_ref(doc, ("routes", r, "steps", s, "office"), step["office"], office_ids, "office", result)
        for k, source in enumerate(route["sources"]):
            check_ref(
                doc,
                ("routes", r, "sources", k),
                source,
                source_ids,
                "source",
                result,
                "sources are listed in content/sources.yaml",
            )
    for k, related in enumerate(data.get("related", [])):
        check_ref(doc, ("related", k), related, procedure_ids, "procedure", result)
    check_fees(doc, source_ids, result)
    for key_path, item in _timing_items(data):
        units = [u for u in ("working_days", "days", "weeks") if u in item]
        if len(units) > 1:
            err(
                doc.problem(
                    key_path,
                    f"timing '{item['id']}' gives both {' and '.join(units)}",
                    "give the duration in one unit only",
                )
            )


def _timing_items(data):
    for i, item in enumerate(data.get("timing", [])):
        yield ("timing", i), item
    for r, route in enumerate(data["routes"]):
        for i, item in enumerate(route.get("timing", [])):
            yield ("routes", r, "timing", i), item


def check_age_classes(doc, index, question, result):
    err = result.errors.append
    options = question["options"]
    if question.get("kind") != "age":
        for j, option in enumerate(options):
            if "age" in option:
                err(
                    doc.problem(
                        ("questions", index, "options", j, "age"),
                        f"option '{option['id']}' has an age class but question '{question['id']}' "
                        "is not an age question",
                        "add 'kind: age' to the question, or remove 'age:' from the option",
                        key=True,
                    )
                )
        return
    expected = 0
    for j, option in enumerate(options):
        bounds = option.get("age")
        if bounds is None:
            err(
                doc.problem(
                    ("questions", index, "options", j),
                    f"option '{option['id']}' of age question '{question['id']}' has no age class",
                    "add e.g. 'age: {from: 6, under: 18}'",
                )
            )
            return
        low, high = bounds.get("from", 0), bounds.get("under")
        if low != expected:
            err(
                doc.problem(
                    ("questions", index, "options", j, "age"),
                    f"age class '{option['id']}' starts at {low} but the previous class ends at {expected}",
                    f"make it start at {expected} ('from: {expected}'): age classes must follow each other "
                    "without gap or overlap, youngest first",
                )
            )
            return
        if high is None:
            if j != len(options) - 1:
                err(
                    doc.problem(
                        ("questions", index, "options", j, "age"),
                        f"age class '{option['id']}' has no upper bound but is not the last class",
                        "put the open-ended class last, or give it 'under: N'",
                    )
                )
            return
        if high <= low:
            err(
                doc.problem(
                    ("questions", index, "options", j, "age"),
                    f"age class '{option['id']}' is empty (from {low} under {high})",
                    "make 'under' larger than 'from'",
                )
            )
            return
        expected = high
    err(
        doc.problem(
            ("questions", index, "options"),
            f"the last age class of '{question['id']}' stops at {expected}",
            "leave out 'under' on the last class so that every age is covered",
        )
    )


def check_fees(doc, source_ids, result):
    err = result.errors.append
    procedure_currency = doc.data.get("currency")
    for f, fee in enumerate(doc.data.get("fees", [])):
        if not fee.get("currency", procedure_currency):
            err(
                doc.problem(
                    ("fees", f),
                    f"fee '{fee['id']}' has no currency",
                    "add 'currency: EUR' to the fee or to the procedure",
                )
            )
        previous = None
        for v, value in enumerate(fee["values"]):
            here = ("fees", f, "values", v)
            start = parse_date(value["from"])
            if start is None:
                err(
                    doc.problem(
                        here + ("from",), f"'{value['from']}' is not a real date", "write YYYY-MM-DD, e.g. 2027-01-01"
                    )
                )
                continue
            if previous is not None and start == previous:
                err(
                    doc.problem(
                        here + ("from",),
                        f"fee '{fee['id']}' has two amounts that take effect on {start}",
                        "keep one amount per date: remove or correct one of them",
                    )
                )
            elif previous is not None and start < previous:
                err(
                    doc.problem(
                        here + ("from",),
                        f"the amounts of fee '{fee['id']}' are not in date order ({start} comes after {previous})",
                        "list the amounts oldest first",
                    )
                )
            previous = start
            if "source" in value:
                check_ref(
                    doc,
                    here + ("source",),
                    value["source"],
                    source_ids,
                    "source",
                    result,
                    "sources are listed in content/sources.yaml",
                )
            elif not value.get("example"):
                err(
                    doc.problem(
                        here,
                        f"the amount {value['amount']} of fee '{fee['id']}' has no source",
                        "add 'source: <id from content/sources.yaml>', or 'example: true' if it is an example value",
                    )
                )
