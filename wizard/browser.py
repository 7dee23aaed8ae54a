"""What the browser calls through Pyodide: JSON text in, JSON text out (wizard/web/runtime.js).

The runtime loads the site's wizard data once (`load`: the compiled procedures, the posts, and per
language the catalogue and the CLDR locale data), then the front end calls

    call("render", {procedure, fragment, lang, post, today})                 the step for an address
    call("submit", {procedure, fragment, lang, post, today, action, fields}) the step after a form
    call("evaluate", {procedure, answers, on})                               the engine's raw result
    call("warm", {today})       once, in a worker, after the first call: see `warm`

Passing JSON text keeps the JavaScript/Python boundary free of proxies. Nothing raises into
JavaScript: a failure comes back as `{"status": "error", "errors": [...]}`.
"""

import json

from . import steps
from .conditions import question_by_id
from .engine import evaluate as _evaluate
from .presentation import Words
from .state import fragment_of, parse


class _Site:
    """The wizard data of the site, loaded once per page."""

    def __init__(self):
        self.procedures, self.posts, self.words = {}, {}, {}

    def load(self, data):
        self.procedures.update(data.get("procedures", {}))
        self.posts.update(data.get("posts", {}))
        for lang, catalogue in data.get("catalogue", {}).items():
            self.words[lang] = Words(lang, catalogue, data["locale"][lang])

    def procedure(self, procedure_id):
        if procedure_id not in self.procedures:
            raise KeyError(f"procedure '{procedure_id}' is not loaded")
        return self.procedures[procedure_id]

    def context(self, lang, post, today):
        if lang not in self.words:
            raise KeyError(f"language '{lang}' is not loaded")
        return steps.Context(self.words[lang], self.posts.get(post), str(today))


SITE = _Site()


def load(data_json):
    """Register the site's wizard data (JSON text); return the procedure ids as JSON text."""
    SITE.load(json.loads(data_json))
    return json.dumps(sorted(SITE.procedures))


def render(procedure, fragment, lang, post, today):
    return steps.render_step(SITE.procedure(procedure), parse(fragment), SITE.context(lang, post, today))


def submit(procedure, fragment, lang, post, today, action, fields):
    context = SITE.context(lang, post, today)
    return steps.submit(SITE.procedure(procedure), parse(fragment), context, action, fields)


def evaluate(procedure, answers, on):
    return _evaluate(SITE.procedure(procedure), answers, on)


def warm(today, only=None):
    """Render each procedure's first question and, answering every question with its first option,
    an outcome, through `call` as the page does; the steps are thrown away. Pyodide compiles its
    WebAssembly functions when they first run, so a visitor's first answers took several times as long
    as later ones (Chromium: 50-120 ms against under 10); the runtime's workers call this once, after
    the page's first step, while the visitor reads it, one procedure at a time (`only`, an id; all
    if None) so that an answer given meanwhile waits for one procedure's warm-up at most. Returns how
    many it rendered without an error."""
    rendered = 0
    lang = next(iter(SITE.words), None)
    if lang is None:
        return rendered
    for procedure_id, procedure in SITE.procedures.items():
        if only is not None and procedure_id != only:
            continue
        answers = {}
        for _ in range(len(procedure.get("questions", [])) + 1):
            result = _evaluate(procedure, answers, today)
            if result.get("status") != "question":
                break
            options = question_by_id(procedure, result["question"]).get("options") or []
            if not options:
                break
            answers[result["question"]] = options[0]["id"]
        for pairs in ([], list(answers.items())):
            arguments = {"procedure": procedure_id, "fragment": fragment_of(pairs, today), "lang": lang}
            step = json.loads(call("render", json.dumps({**arguments, "post": None, "today": today})))
            rendered += step.get("status") != "error"
    return rendered


ENTRY_POINTS = {"render": render, "submit": submit, "evaluate": evaluate, "warm": warm}


def call(name, arguments_json):
    """Run entry point `name` with keyword arguments from JSON; return the result as JSON text."""
    try:
        if name not in ENTRY_POINTS:
            raise KeyError(f"no entry point '{name}'")
        return json.dumps(ENTRY_POINTS[name](**json.loads(arguments_json)), ensure_ascii=False)
    except Exception as error:  # the boundary: report, never raise into JavaScript
        message = f"{type(error).__name__}: {error}"
        return json.dumps({"status": "error", "errors": [{"code": "call-failed", "message": message}]})
