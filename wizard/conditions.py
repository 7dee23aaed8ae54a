"""Declarative `when:` conditions, evaluated against a visitor's answers.

A condition is data, never code:

- a string names a condition declared once under the procedure's `conditions:`
  (`minor`, `recognised`), the data-side twin of Smart Answers' yes/no methods;
- `{all: [...]}`, `{any: [...]}`, `{not: condition}` combine conditions;
- `{question: option}` or `{question: [option, ...]}` holds when the answer is one of them;
- `{question: {under: N}}` / `{question: {at_least: N}}` compare an age question's class;
- `{on: {before: DATE}}` / `{on: {from: DATE}}` compare the application date;
- a mapping with several keys holds when every key holds.

An unanswered (not asked) question makes its comparison false. Standard library only.
"""

COMBINATORS = ("all", "any", "not")
APPLICATION_DATE = "on"


def holds(condition, answers, procedure, on):
    """True when `condition` holds for `answers` (question id -> option id) on date `on` (ISO)."""
    if condition is None:
        return True
    if isinstance(condition, str):
        return holds(procedure["conditions"][condition], answers, procedure, on)
    if isinstance(condition, list):
        return all(holds(c, answers, procedure, on) for c in condition)
    return all(_holds_key(key, value, answers, procedure, on) for key, value in condition.items())


def _holds_key(key, value, answers, procedure, on):
    if key == "all":
        return all(holds(c, answers, procedure, on) for c in value)
    if key == "any":
        return any(holds(c, answers, procedure, on) for c in value)
    if key == "not":
        return not holds(value, answers, procedure, on)
    if key == APPLICATION_DATE:
        return _date_holds(value, on)
    answer = answers.get(key)
    if answer is None:
        return False
    if isinstance(value, str):
        return answer == value
    if isinstance(value, list):
        return answer in value
    return _age_holds(option_by_id(question_by_id(procedure, key), answer), value)


def _date_holds(comparison, on):
    ok = True
    if "before" in comparison:
        ok = ok and on < comparison["before"]
    if "from" in comparison:
        ok = ok and on >= comparison["from"]
    return ok


def _age_holds(option, comparison):
    """Compare an age class (`age: {from: A, under: B}`) with `under`/`at_least`.

    Validation guarantees that every class lies wholly on one side of each bound used.
    """
    low = option["age"].get("from", 0)
    if "under" in comparison and low >= comparison["under"]:
        return False
    return not ("at_least" in comparison and low < comparison["at_least"])


def referenced_questions(condition, procedure):
    """Every question id a condition refers to, directly or through named conditions."""
    found = []
    _collect(condition, procedure, found, set())
    return found


def _collect(condition, procedure, found, seen_names):
    if condition is None:
        return
    if isinstance(condition, str):
        if condition in seen_names or condition not in procedure.get("conditions", {}):
            return
        seen_names.add(condition)
        _collect(procedure["conditions"][condition], procedure, found, seen_names)
        return
    if isinstance(condition, list):
        for c in condition:
            _collect(c, procedure, found, seen_names)
        return
    for key, value in condition.items():
        if key in ("all", "any"):
            for c in value:
                _collect(c, procedure, found, seen_names)
        elif key == "not":
            _collect(value, procedure, found, seen_names)
        elif key != APPLICATION_DATE and key not in found:
            found.append(key)


def question_by_id(procedure, question_id):
    for question in procedure["questions"]:
        if question["id"] == question_id:
            return question
    return None


def option_by_id(question, option_id):
    for option in question["options"]:
        if option["id"] == option_id:
            return option
    return None
