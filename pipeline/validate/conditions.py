"""Conditions (`when:` and named ones): known names, questions and answers, age bounds on class
edges, date comparisons, questions that use only earlier questions, no circles of names."""

from wizard.conditions import APPLICATION_DATE, COMBINATORS, referenced_questions

from .base import describe_value, did_you_mean, parse_date

MAX_AGE = 120  # as the age classes' bounds in schema/procedure.schema.json
FIRST_YEAR, LAST_YEAR = 1900, 2199  # as the dates in schema/procedure.schema.json


def check_conditions(doc, result):
    """Every condition: known names, known questions and options, age bounds on class edges, no cycles."""
    data = doc.data
    questions = {q["id"]: q for q in data["questions"]}
    names = data.get("conditions", {})
    for name, body in names.items():
        check_condition(doc, ("conditions", name), body, questions, names, result)
    _check_cycles(doc, names, result)
    order = [q["id"] for q in data["questions"]]
    for i, question in enumerate(data["questions"]):
        if "when" not in question:
            continue
        check_condition(doc, ("questions", i, "when"), question["when"], questions, names, result)
        for ref in referenced_questions(question["when"], data):
            if ref in order and order.index(ref) >= i:
                result.errors.append(
                    doc.problem(
                        ("questions", i, "when"),
                        f"question '{question['id']}' depends on '{ref}', which is not asked before it",
                        f"a question's 'when' may only use earlier questions: move '{ref}' above '{question['id']}'",
                    )
                )
    for path, condition in _other_conditions(data):
        check_condition(doc, path, condition, questions, names, result)


def _other_conditions(data):
    for key in ("documents", "fees", "timing", "validity", "warnings"):
        for i, item in enumerate(data.get(key, [])):
            if "when" in item:
                yield (key, i, "when"), item["when"]
    for r, route in enumerate(data["routes"]):
        if "when" in route:
            yield ("routes", r, "when"), route["when"]
        for s, step in enumerate(route["steps"]):
            if "when" in step:
                yield ("routes", r, "steps", s, "when"), step["when"]
        for t, item in enumerate(route.get("timing", [])):
            if "when" in item:
                yield ("routes", r, "timing", t, "when"), item["when"]


def check_condition(doc, path, condition, questions, names, result):
    err = result.errors.append
    if isinstance(condition, str):
        if condition not in names:
            hint = did_you_mean(condition, list(names) + list(questions), "named conditions", list(names))
            if condition in questions:
                hint = f"'{condition}' is a question: compare it with an answer, e.g. '{{{condition}: <option id>}}'"
            err(doc.problem(path, f"unknown condition '{condition}'", hint))
        return
    if isinstance(condition, list):
        for i, item in enumerate(condition):
            check_condition(doc, path + (i,), item, questions, names, result)
        return
    if not isinstance(condition, dict) or not condition:
        err(
            doc.problem(
                path,
                f"a condition cannot be {describe_value(condition)}",
                "write a condition name, {question: option}, or all:/any:/not:",
            )
        )
        return
    for key, value in condition.items():
        here = path + (key,)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                err(
                    doc.problem(
                        here, f"'{key}' needs a list of conditions", f"write '{key}:' followed by '- condition' lines"
                    )
                )
                continue
            for i, item in enumerate(value):
                check_condition(doc, here + (i,), item, questions, names, result)
        elif key == "not":
            check_condition(doc, here, value, questions, names, result)
        elif key == APPLICATION_DATE:
            _check_date_comparison(doc, here, value, result)
        elif key not in questions:
            hint = did_you_mean(key, list(questions) + list(COMBINATORS), "questions", list(questions))
            err(doc.problem(here, f"the condition names an unknown question '{key}'", hint, key=True))
        else:
            _check_answer_comparison(doc, here, questions[key], value, result)


def _check_answer_comparison(doc, path, question, value, result):
    err = result.errors.append
    option_ids = [o["id"] for o in question["options"]]
    if isinstance(value, dict):
        if question.get("kind") != "age":
            err(
                doc.problem(
                    path,
                    f"'{question['id']}' is not an age question, so it cannot be compared with {list(value)}",
                    f"compare it with one of its answers: {', '.join(option_ids)}",
                )
            )
            return
        for op, bound in value.items():
            whole = isinstance(bound, int) and not isinstance(bound, bool)
            if op not in ("under", "at_least") or not whole or not 0 <= bound <= MAX_AGE:
                err(
                    doc.problem(
                        path,
                        f"'{op}: {bound}' is not an age comparison",
                        f"write 'under: N' or 'at_least: N' with a whole number of years from 0 to {MAX_AGE}",
                    )
                )
                continue
            edges = sorted(
                {o["age"].get("from", 0) for o in question["options"] if "age" in o}
                | {o["age"]["under"] for o in question["options"] if "age" in o and "under" in o["age"]}
            )
            if bound not in edges:
                inside = next(
                    (
                        o["id"]
                        for o in question["options"]
                        if "age" in o and o["age"].get("from", 0) < bound < o["age"].get("under", bound + 1)
                    ),
                    None,
                )
                err(
                    doc.problem(
                        path,
                        f"age {bound} falls inside the age class '{inside}' of question "
                        f"'{question['id']}', so the answer cannot tell whether the person is under {bound}",
                        f"use a class boundary ({', '.join(map(str, edges))}), or split the class at {bound}",
                    )
                )
        return
    for i, option in enumerate(value if isinstance(value, list) else [value]):
        if option not in option_ids:
            here = path + (i,) if isinstance(value, list) else path
            err(
                doc.problem(
                    here,
                    f"'{option}' is not an answer to question '{question['id']}'",
                    did_you_mean(str(option), option_ids, "answers", option_ids),
                )
            )


def _check_date_comparison(doc, path, value, result):
    for op, date in value.items() if isinstance(value, dict) else []:
        day = parse_date(date)
        if op not in ("before", "from") or day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            result.errors.append(
                doc.problem(
                    path,
                    f"'{op}: {date}' is not a date comparison",
                    f"write 'on: {{from: YYYY-MM-DD}}' or 'on: {{before: YYYY-MM-DD}}', "
                    f"a date from {FIRST_YEAR} to {LAST_YEAR}",
                )
            )


def _check_cycles(doc, names, result):
    def refs(body):
        if isinstance(body, str):
            return [body] if body in names else []
        if isinstance(body, list):
            return [r for b in body for r in refs(b)]
        if isinstance(body, dict):
            return [r for k, v in body.items() if k in COMBINATORS for r in refs(v)]
        return []

    reported = set()
    for start in names:
        stack, seen = [(start, [start])], set()
        while stack:
            name, trail = stack.pop()
            for ref in refs(names[name]):
                if ref == start:
                    if frozenset(trail) not in reported:  # one circle, one message, at its first name
                        reported.add(frozenset(trail))
                        result.errors.append(
                            doc.problem(
                                ("conditions", start),
                                f"named conditions refer to each other in a circle: {' -> '.join(trail + [start])}",
                                "write one of them out in full, without naming the other",
                                key=True,
                            )
                        )
                    stack = []
                    break
                if ref not in seen:
                    seen.add(ref)
                    stack.append((ref, trail + [ref]))
