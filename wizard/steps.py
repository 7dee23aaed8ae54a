"""One wizard step, decided and rendered in Python: the no-JS pages and the browser both call this.

    render_step(procedure, state, context)            the step an address (a `State`) asks for
    submit(procedure, state, context, action, fields) a form the visitor sent: the next step

A step is complete: the error summary, the Back link, the question or the result, the answers with
their Change links, Start again, and the canonical address. Links come in one of two styles: the
interactive wizard's address fragments (`#q=o&on=…`, wizard.state) or, for the pages without
JavaScript, whatever `context.link(pairs)` returns (the site's layout lives in the pipeline).

Python alone decides what is valid (answers, dates of birth, the application date); a problem is
explained in the visitor's language, the valid answers are kept, and nothing ever raises.
"""

import datetime
from dataclasses import dataclass

from .conditions import question_by_id
from .engine import MAX_YEAR, evaluate
from .html import (
    HEADING_ID,
    answers_html,
    date_fields_html,
    error_summary_html,
    outcome_html,
    question_form_html,
    question_links_html,
)
from .paths import path_key
from .present import answers_view, outcome_view, post_words, question_view
from .presentation import Html, html, join_html
from .state import State, date_from_parts, fragment_of, iso_date

LATEST_YEARS = 3  # the application date may lie this many years ahead of today, no further


@dataclass
class Context:
    """What a step needs besides the answers: the words of the page's language, the post the site is
    for, today's date (ISO; the application date unless the visitor chose one) and, for the pages
    without JavaScript, `link(pairs) -> href` (None: the interactive wizard's address fragments)."""

    words: object
    post: dict | None
    today: str
    link: object = None

    @property
    def interactive(self):
        return self.link is None


def render_step(procedure, state, context, field_error=None):
    """The step for `state` (a wizard.state.State); `field_error` = (message, target, form values)."""
    words = post_words(context.words, context.post)
    problem = None
    if state.problems:
        problem = (words["url_problem"], HEADING_ID)
    on, state, date_problem = _application_date(procedure, state, context)
    problem = date_problem or problem

    pairs = list(state.pairs)
    result = evaluate(procedure, dict(pairs), on, context.post)
    question_error = None
    if result["status"] == "error":
        error = result["errors"][0]
        bad = result.get("resume_at")
        kept = pairs[: [q for q, _ in pairs].index(bad)] if bad in [q for q, _ in pairs] else []
        if error["code"] == "invalid-date" and bad:
            question_error = words["error_date"]
            problem = (question_error, f"{bad}-birth-day")
        else:
            problem = problem or (words["url_problem"], HEADING_ID)
        pairs = kept
        state = State(tuple(pairs), state.on)
        result = evaluate(procedure, dict(pairs), on, context.post)
    if field_error:
        problem = field_error[:2]
        question_error = field_error[0]

    def link(target_pairs):
        if context.interactive:
            return fragment_of(target_pairs, state.on)
        return context.link(target_pairs)

    step = {
        "status": result["status"],
        "pairs": [list(p) for p in pairs],
        "on": on,
        "key": path_key(pairs),
        "fragment": state.fragment(),
        "problem": problem[0] if problem else None,
        "back": link(pairs[:-1]) if pairs else None,
        "start": link([]),
    }
    caption_title = words.text(procedure["title"])
    if result["status"] == "question":
        question = question_view(procedure, result["question"], words)
        caption = f"{caption_title} · {words.fill('question_number', n=len(pairs) + 1)}"
        if context.interactive:
            values = field_error[2] if field_error else {}
            main = question_form_html(
                question, caption, words, error=question_error, selected=values.get("answer"), birth=values.get("birth")
            )
        else:
            hrefs = {o["id"]: link([*pairs, (question["id"], o["id"])]) for o in question["options"]}
            main = question_links_html(question, caption, hrefs)
        step["question"] = question["id"]
        step["heading"] = question["text"]
    else:
        view = outcome_view(procedure, result, words, context.post)
        date_form = _date_form(words, on, field_error if field_error and field_error[1] == "on-day" else None)
        main = outcome_html(view, words, date_form if context.interactive else None)
        step["outcome"] = result
        step["heading"] = f"{words['result']} {view['route']['title']}"
    step["title"] = f"{step['heading']} – {caption_title}"
    rows = answers_view(procedure, result.get("answers", dict(pairs)), words, result.get("exact"))
    change = {q: link(pairs[:i]) for i, (q, _) in enumerate(pairs)}
    step["html"] = _page(step, main, answers_html(rows, words, change), words, problem, context.interactive)
    return step


def submit(procedure, state, context, action, fields):
    """The step after the visitor sent a form of the interactive wizard (`action`, `fields` {name: value})."""
    words = context.words
    fields = {str(k): str(v) for k, v in (fields or {}).items()}
    if action == "date":
        parts = {p: fields.get(f"on-{p}", "").strip() for p in ("day", "month", "year")}
        chosen = date_from_parts(parts["day"], parts["month"], parts["year"])
        if chosen is None:
            return render_step(procedure, state, context, (words["error_date_invalid"], "on-day", {"on": parts}))
        return render_step(procedure, State(state.pairs, chosen), context)
    question = fields.get("question", "")
    if action != "answer" or question_by_id(procedure, question) is None:
        return render_step(procedure, state, context)
    birth = {p: fields.get(f"birth-{p}", "").strip() for p in ("day", "month", "year")}
    value = fields.get("answer", "")
    if any(birth.values()):
        value = date_from_parts(birth["day"], birth["month"], birth["year"])
        if value is None:
            return render_step(
                procedure, state, context, (words["error_date_invalid"], f"{question}-birth-day", {"birth": birth})
            )
    if not value:
        target = f"{question}-{question_by_id(procedure, question)['options'][0]['id']}"
        return render_step(procedure, state, context, (words["error_choose"], target, {}))
    return render_step(procedure, state.with_answer(question, value), context)


# --- the parts of a step ---------------------------------------------------------------------------


def _application_date(procedure, state, context):
    """(the date to work with, the state, a problem or None). A chosen date must be real and lie between
    the first day every fee is known and LATEST_YEARS ahead; otherwise today's date is used instead."""
    words = context.words
    lowest, highest = datetime.date(1900, 1, 1), datetime.date(MAX_YEAR - LATEST_YEARS, 1, 1)
    today = min(max(iso_date(context.today) or lowest, lowest), highest)  # a clock far off is kept in range
    earliest = max(first_known_date(procedure) or lowest, lowest)
    latest = _years_later(today, LATEST_YEARS)
    fallback = max(today, earliest).isoformat()
    if state.on is None or not context.interactive:
        return fallback, State(state.pairs, None, state.problems), None
    chosen = iso_date(state.on)
    if chosen is None:
        problem = words["error_date_invalid"]
    elif chosen < earliest:
        problem = words.fill("error_date_too_early", date=words.date(chosen), first=words.date(earliest))
    elif chosen > latest:
        problem = words.fill("error_date_too_late", date=words.date(chosen), last=words.date(latest))
    else:
        return chosen.isoformat(), state, None
    return fallback, State(state.pairs, None, state.problems), (problem, "on-day")


def _years_later(day, years):
    """The same day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_known_date(procedure):
    """The first day on which every fee of the procedure has a known amount (None: no fees)."""
    starts = [iso_date(fee["values"][0]["from"]) for fee in procedure.get("fees", []) if fee.get("values")]
    starts = [d for d in starts if d]
    return max(starts) if starts else None


def _date_form(words, on, error):
    """The interactive result's form to work the result out for another application date."""
    values = error[2]["on"] if error else {}
    if not error:
        day = datetime.date.fromisoformat(on)
        values = {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    message = (
        f'<p class="wizard-error-message" id="error-on"><span class="wizard-visually-hidden">'
        f"{html(words['error_prefix'])}</span> {html(error[0])}</p>"
        if error
        else ""
    )
    return Html(
        f'<form class="wizard-date-form" data-action="date" novalidate><details{" open" if error else ""}>'
        f"<summary>{html(words['change_date'])}</summary>"
        f'<div class="wizard-group{" wizard-group--error" if error else ""}">'
        f'<fieldset class="wizard-date" aria-describedby="on-hint{" error-on" if error else ""}">'
        f'<legend class="wizard-date-legend">{html(words["application_date"])}</legend>'
        f'<p class="wizard-hint" id="on-hint">{html(words["application_date_hint"])}</p>{message}'
        f"{date_fields_html('on', 'on', words, values)}</fieldset></div>"
        f'<button type="submit" class="md-button">{html(words["recalculate"])}</button></details></form>'
    )


def _page(step, main, answers, words, problem, interactive):
    """Error summary, Back, the step itself, the answers, then Start again (and Print on a result)."""
    parts = []
    if problem:
        parts.append(error_summary_html(words, problem[0], problem[1]))
    if step["back"] is not None:
        parts.append(
            f'<p class="wizard-nav"><a class="wizard-back" href="{html(step["back"])}">{html(words["back"])}</a></p>'
        )
    parts.append(f'<div id="wizard-main">{main}</div>')
    parts.append(answers)
    if step["status"] == "outcome":
        actions = []
        if interactive and step.get("outcome", {}).get("documents"):  # a checklist to print
            actions.append(
                f'<button type="button" class="md-button" data-action="print">{html(words["print"])}</button>'
            )
        actions.append(
            f'<a class="md-button wizard-start-again" href="{html(step["start"])}">{html(words["start_again"])}</a>'
        )
        parts.append(f'<p class="wizard-actions">{join_html(actions, " ")}</p>')
    return str(join_html(p for p in parts if p))
