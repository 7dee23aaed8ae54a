"""What the browser calls through Pyodide: JSON text in, JSON text out.

The runtime loads the compiled procedures once (`load_procedures`), then the front end calls
`call("render_step", {...})`. Passing JSON text keeps the JavaScript/Python boundary free of
proxies. A failure comes back as `{"status": "error", ...}`, never as an exception.
"""

import json

from . import steps
from .engine import evaluate as _evaluate

_procedures = {}


def load_procedures(procedures_json):
    """Register procedures given as JSON text: a {id: procedure} object or a list of procedures."""
    data = json.loads(procedures_json)
    for procedure in data.values() if isinstance(data, dict) else data:
        _procedures[procedure["id"]] = procedure
    return sorted(_procedures)


def render_step(procedure, pairs, on, lang, strings, post, style="hash", exact_dates=True):
    pairs = [(str(p[0]), str(p[1])) for p in pairs if isinstance(p, (list, tuple)) and len(p) == 2]
    return steps.render_step(
        _procedures[procedure], pairs, on, lang, strings, post, style=style, exact_dates=exact_dates
    )


def evaluate(procedure, answers, on):
    return _evaluate(_procedures[procedure], answers, on)


ENTRY_POINTS = {"render_step": render_step, "evaluate": evaluate}


def call(name, arguments_json):
    """Run entry point `name` with keyword arguments from JSON; return the result as JSON text."""
    try:
        arguments = json.loads(arguments_json)
        if name not in ENTRY_POINTS:
            raise KeyError(f"no entry point '{name}'")
        if arguments.get("procedure") not in _procedures:
            raise KeyError(f"procedure '{arguments.get('procedure')}' is not loaded")
        return json.dumps(ENTRY_POINTS[name](**arguments), ensure_ascii=False)
    except Exception as error:  # the boundary: report, never raise into JavaScript
        return json.dumps(
            {"status": "error", "errors": [{"code": "call-failed", "message": f"{type(error).__name__}: {error}"}]}
        )
