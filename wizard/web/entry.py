"""The one Python module the browser runtime (runtime.js) talks to: JSON text in, JSON text out.

Shipped as the top-level module `wizard_entry` inside the engine archive (`_wizard/engine.zip`).
`call` serves the entry points of `wizard.browser` and adds `describe` (the labelled text of a
result, from `wizard.present`). Nothing raises into JavaScript: a failure is a value
`{"status": "error", "errors": [...]}`.
"""

import json

from wizard import browser
from wizard.present import describe_outcome, describe_question


def load(procedures_json):
    """Register the site's procedures (JSON text of {id: procedure}); return their ids as JSON."""
    return json.dumps(browser.load_procedures(procedures_json))


def describe(procedure, result, lang):
    """describe_outcome for an outcome, describe_question for a question, the result itself otherwise."""
    data = browser._procedures[procedure]
    if result.get("status") == "outcome":
        return describe_outcome(data, result, lang)
    if result.get("status") == "question":
        return describe_question(data, result["question"], lang)
    return result


def call(name, arguments_json):
    if name != "describe":
        return browser.call(name, arguments_json)
    try:
        arguments = json.loads(arguments_json)
        return json.dumps(describe(**arguments), ensure_ascii=False)
    except Exception as error:  # the boundary: report, never raise into JavaScript
        return json.dumps(
            {"status": "error", "errors": [{"code": "call-failed", "message": f"{type(error).__name__}: {error}"}]}
        )
