"""What the browser calls through Pyodide: JSON text in, JSON text out (wizard/web/runtime.js).

The runtime loads the site's wizard data once (`load`: the compiled procedures, the posts, and per
language the catalogue and the CLDR locale data), then the front end calls

    call("render", {procedure, fragment, lang, post, today})                 the step for an address
    call("submit", {procedure, fragment, lang, post, today, action, fields}) the step after a form
    call("evaluate", {procedure, answers, on})                               the engine's raw result
    call("warm", {today, procedure, lang, post})   in a worker, after the first call, one step per
                                                   task until it returns null: see `warm`

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


def warm(today, procedure=None, lang=None, post=None):
    """Render one step through `call`, as the page would, and throw it away; return its status, or
    None once there is nothing left to warm. Pyodide compiles its WebAssembly functions when they
    first run, so a visitor's first answers took several times as long as later ones (Chromium:
    50-120 ms against under 10); the runtime's workers call this after the page's first step, one
    step per task, so that an answer given meanwhile waits for one step at most: the page's
    `procedure` first (in its `lang`, for its `post`), then the others, each its first question and
    the outcome of answering every question with its first option, the first one by `submit` as the
    page sends it. Repeated calls with the same arguments go on where the last one stopped."""
    key = (today, procedure, lang, post)
    if key not in _WARMING:
        _WARMING[key] = _warm_calls(today, procedure, lang, post)
    name_arguments = next(_WARMING[key], None)
    if name_arguments is None:
        return None
    name, arguments = name_arguments
    return json.loads(call(name, json.dumps(arguments))).get("status")


_WARMING = {}  # warm's progress: an iterator of calls per (today, procedure, lang, post)


def _warm_calls(today, first, lang, post):
    """The calls `warm` makes, one at a time: (name, keyword arguments)."""
    lang = lang if lang in SITE.words else next(iter(SITE.words), None)
    if lang is None:
        return
    for procedure_id, procedure in sorted(SITE.procedures.items(), key=lambda item: item[0] != first):
        base = {"procedure": procedure_id, "lang": lang, "post": post, "today": today}
        answers = _first_options(procedure, today)
        yield "render", {**base, "fragment": fragment_of([], today)}
        if answers:
            fields = {"question": answers[-1][0], "answer": answers[-1][1]}
            arguments = {**base, "fragment": fragment_of(answers[:-1], today), "action": "answer", "fields": fields}
            yield "submit", arguments


def _first_options(procedure, today):
    """The answers that reach an outcome answering every question with its first option."""
    answers = {}
    for _ in range(len(procedure.get("questions", [])) + 1):
        result = _evaluate(procedure, answers, today)
        if result.get("status") != "question":
            break
        options = question_by_id(procedure, result["question"]).get("options") or []
        if not options:
            break
        answers[result["question"]] = options[0]["id"]
    return list(answers.items())


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
