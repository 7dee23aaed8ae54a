"""HTML of the wizard: questions, the answers so far, the result. One renderer for every place.

The build writes the no-JavaScript wizard pages with these functions and the browser runs the very
same functions in Pyodide, so a visitor sees the same markup with or without JavaScript. Every text
enters through `html()` (wizard.presentation); views come from wizard.present. Standard library only.

The heading of every step is the page's one <h1> (`#wizard-heading`): the question, or the result.
"""

from .presentation import Html, html, join_html

HEADING_ID = "wizard-heading"


def _(parts):
    return join_html(p for p in parts if p)


# --- questions ---------------------------------------------------------------------------------


def question_links_html(question, caption, hrefs):
    """A question as plain links, one per option: usable with no JavaScript at all."""
    qid = question["id"]
    options = [
        f'<li><a class="wizard-option" href="{html(hrefs[o["id"]])}">{html(o["label"])}</a></li>'
        for o in question["options"]
    ]
    return _(
        [
            f'<section class="wizard-question" data-question="{html(qid)}" aria-labelledby="{HEADING_ID}">',
            f'<p class="wizard-caption">{html(caption)}</p>',
            f'<h1 class="wizard-legend" id="{HEADING_ID}" tabindex="-1">{html(question["text"])}</h1>',
            f'<p class="wizard-hint">{html(question["hint"])}</p>' if question["hint"] else "",
            f'<ul class="wizard-options" aria-labelledby="{HEADING_ID}">{join_html(options)}</ul>',
            "</section>",
        ]
    )


def question_form_html(question, caption, words, error=None, selected=None, birth=None):
    """A question as a form (fieldset, legend holding the h1, radios, Continue) for the interactive wizard.

    An age question also offers a date of birth (day, month, year fields, in the page's language):
    Python works out the age on the application date. `error` is the message shown at the question.
    """
    qid = html(question["id"])
    described = " ".join(x for x in (f"hint-{qid}" if question["hint"] else "", f"error-{qid}" if error else "") if x)
    described = f' aria-describedby="{described}"' if described else ""
    radios = []
    for option in question["options"]:
        oid = f"{qid}-{html(option['id'])}"
        checked = " checked" if option["id"] == selected else ""
        radios.append(
            f'<div class="wizard-radio"><input type="radio" id="{oid}" name="answer" '
            f'value="{html(option["id"])}"{checked}>'
            f'<label for="{oid}">{html(option["label"])}</label></div>'
        )
    return _(
        [
            f'<form class="wizard-question" data-question="{qid}" data-action="answer" novalidate>',
            f'<input type="hidden" name="question" value="{qid}">',
            f'<div class="wizard-group{" wizard-group--error" if error else ""}">',
            f'<fieldset class="wizard-fieldset"{described}>',
            f'<legend class="wizard-legend-wrap"><span class="wizard-caption">{html(caption)}</span>'
            f'<h1 class="wizard-legend" id="{HEADING_ID}" tabindex="-1">{html(question["text"])}</h1></legend>',
            f'<p class="wizard-hint" id="hint-{qid}">{html(question["hint"])}</p>' if question["hint"] else "",
            _error_message(f"error-{qid}", error, words),
            f'<div class="wizard-options">{join_html(radios)}</div>',
            _birth_date_html(qid, words, birth) if question["kind"] == "age" else "",
            "</fieldset></div>",
            '<button type="submit" class="md-button md-button--primary wizard-continue">'
            f"{html(words['continue'])}</button>",
            "</form>",
        ]
    )


def _birth_date_html(qid, words, birth):
    """Day, month and year of birth as three labelled number fields (the GOV.UK date pattern)."""
    birth = birth or {}
    return _(
        [
            f'<fieldset class="wizard-date" id="{qid}-birth" aria-describedby="{qid}-birth-hint">',
            f'<legend class="wizard-date-legend">{html(words["birth_date"])}</legend>',
            f'<p class="wizard-hint" id="{qid}-birth-hint">{html(words["birth_date_hint"])}</p>',
            date_fields_html(f"{qid}-birth", "birth", words, birth),
            "</fieldset>",
        ]
    )


def date_fields_html(id_prefix, name, words, values):
    """Day / month / year inputs named `<name>-day` etc., labelled in the page's language."""
    fields = []
    for part, size in (("day", 2), ("month", 2), ("year", 4)):
        fid = f"{id_prefix}-{part}"
        value = html(values.get(part, ""))
        fields.append(
            f'<div class="wizard-date-item"><label for="{fid}">{html(words["date_" + part])}</label>'
            f'<input class="wizard-date-input wizard-date-input--{size}" id="{fid}" name="{name}-{part}" '
            f'type="text" inputmode="numeric" autocomplete="off" maxlength="{size}" value="{value}"></div>'
        )
    return Html(f'<div class="wizard-date-fields">{join_html(fields)}</div>')


def _error_message(element_id, error, words):
    if not error:
        return ""
    return (
        f'<p class="wizard-error-message" id="{element_id}">'
        f'<span class="wizard-visually-hidden">{html(words["error_prefix"])}</span> {html(error)}</p>'
    )


def error_summary_html(words, message, target):
    """The GOV.UK error summary: a heading and the problem as a link that moves focus to where to fix it."""
    return Html(
        '<div class="wizard-error-summary" role="alert" tabindex="-1" aria-labelledby="wizard-error-title">'
        f'<h2 id="wizard-error-title">{html(words["error_title"])}</h2>'
        f'<ul><li><a href="#{html(target)}" data-focus="{html(target)}">{html(message)}</a></li></ul></div>'
    )


def answers_html(rows, words, change_hrefs):
    """The answers so far, each with a Change link (to that question, its later answers kept out)."""
    if not rows:
        return ""
    items = [
        f'<div class="wizard-summary-row"><dt>{html(row["text"])}</dt><dd>{html(row["answer"])}</dd>'
        f'<dd class="wizard-change"><a href="{html(change_hrefs[row["question"]])}">{html(words["change"])}'
        f'<span class="wizard-visually-hidden"> {html(row["text"])}</span></a></dd></div>'
        for row in rows
    ]
    return Html(
        '<section class="wizard-answers" aria-labelledby="wizard-answers-title">'
        f'<h2 id="wizard-answers-title">{html(words["your_answers"])}</h2>'
        f'<dl class="wizard-summary">{join_html(items)}</dl></section>'
    )


# --- outcome -----------------------------------------------------------------------------------


def outcome_html(view, words, date_form=None):
    """The result a visitor acts on, first things first: what to do, what to bring, what it costs,
    when it is ready, where to go; then validity, warnings and sources, and the date it was worked
    out for (with `date_form`, the interactive wizard's way to change it)."""
    return _(
        [
            f'<section class="wizard-result" aria-labelledby="{HEADING_ID}">',
            f'<p class="wizard-caption">{html(view["procedure"])}</p>',
            f'<h1 id="{HEADING_ID}" tabindex="-1"><span class="wizard-result-label">{html(words["result"])}</span> '
            f"{html(view['route']['title'])}</h1>",
            _section("steps", words["steps"], steps_html(view["steps"], words)),
            _section("warnings", words["warnings"], _warnings_html(view["warnings"], words))
            if view["warnings"]
            else "",
            _section("documents", words["documents"], _checklist_html(view["documents"])) if view["documents"] else "",
            _section("fees", words["fees"], fees_html(view, words)) if view["fees"] or view["costs"] else "",
            _section("timing", words["timing"], timing_html(view["timing"], words)) if view["timing"] else "",
            _section("office", words["office"], place_html(view["where"], words)) if view["where"] else "",
            _section("validity", words["validity"], f"<p>{html(view['validity'])}</p>") if view["validity"] else "",
            _section("sources", words["sources"], _sources_html(view["sources"], words)) if view["sources"] else "",
            f'<div class="wizard-on"><p>{html(words.fill("computed_on", date=view["on"]))}</p>{date_form or ""}</div>',
            "</section>",
        ]
    )


def _section(key, title, body):
    return Html(
        f'<section class="wizard-part wizard-{key}" aria-labelledby="wizard-{key}-title">'
        f'<h2 id="wizard-{key}-title">{html(title)}</h2>{body}</section>'
    )


def steps_html(steps, words):
    items = []
    for step in steps:
        office = (
            f'<span class="wizard-office">{place_html(step["office"], words, inline=True)}</span>'
            if step["office"]
            else ""
        )
        action = action_html(step["action"], words) if step.get("action") else ""
        items.append(f"<li>{lead_in(step.get('only_if'))}{html(step['text'])}{office}{action}</li>")
    return Html(f'<ol class="wizard-steps">{join_html(items)}</ol>')


def lead_in(text):
    """For whom an item is, before it: "<strong>Age: under 12</strong> — " (procedure pages)."""
    return Html(f'<strong class="wizard-lead-in">{html(text)}</strong> — ') if text else Html("")


def action_html(action, words):
    """The concrete thing to do with this post in a step: a number to call, the appointment system,
    the postal address, how to pay; or, where the post has not published it, how to ask."""
    if "ask" in action:
        return ask_html(action["ask"], words)
    kind = action["kind"]
    if kind == "contact":
        return contact_list_html(action["contact"], words, "wizard-action")
    if kind == "other_posts":
        mark = example_mark(words) if action["example"] else ""
        return Html(f'<p class="wizard-action">{html(action["text"])}{mark}</p>')
    shown = action["fact"]
    mark = example_mark(words) if shown["example"] else ""
    if kind == "postal_address":
        return Html(f'<address class="wizard-action">{html(shown["value"])}{mark}</address>')
    if kind == "payment":
        rates = action.get("rates")
        extra = ""
        if rates and "ask" in rates:
            extra = ask_html(rates["ask"], words)
        elif rates:
            extra = Html(f'<p class="wizard-action">{_fact_link(rates, words, words["rates_and_payment"])}</p>')
        return Html(f'<p class="wizard-action">{html(shown["value"])}{mark}</p>{extra}')
    label = words["make_appointment"] if kind == "appointments" else None
    return Html(f'<p class="wizard-action">{_fact_link(shown, words, label)}</p>')


def _fact_link(shown, words, text=None):
    """A fact as a link ("Phone: +47 …" or a link text of its own), with its example mark."""
    mark = example_mark(words) if shown["example"] else ""
    if text:
        return Html(f'<a href="{html(shown["href"])}">{html(text)}</a>{mark}')
    return Html(f'{html(shown["label"])}: <a href="{html(shown["href"])}">{html(shown["value"])}</a>{mark}')


def ask_html(ask, words):
    """Where the post has not published a fact: say so, and how to reach it (never a dead end)."""
    return Html(f'<div class="wizard-ask"><p>{html(ask["text"])}</p>{contact_list_html(ask["contact"], words)}</div>')


def contact_list_html(rows, words, css="wizard-contact"):
    """Contact details as a list of links (tel:, mailto:, web), each with its example mark."""
    items = []
    for row in rows:
        mark = example_mark(words) if row["example"] else ""
        if row["href"] and row["key"] in ("website", "appointments"):  # the link says what it is for
            items.append(f'<li><a href="{html(row["href"])}">{html(row["label"])}</a>{mark}</li>')
            continue
        value = f'<a href="{html(row["href"])}">{html(row["value"])}</a>' if row["href"] else html(row["value"])
        items.append(f'<li><span class="wizard-contact-label">{html(row["label"])}:</span> {value}{mark}</li>')
    return Html(f'<ul class="{css}">{join_html(items)}</ul>') if items else Html("")


def _warnings_html(warnings, words):
    items = [f"<li>{html(w['text'])}</li>" for w in warnings]
    return Html(f'<ul class="wizard-warnings">{join_html(items)}</ul>')


def _checklist_html(documents):
    items = [
        f'<li><input type="checkbox" id="doc-{html(d["id"])}">'
        f'<label for="doc-{html(d["id"])}">{html(d["label"])}</label></li>'
        for d in documents
    ]
    return Html(f'<ul class="wizard-checklist">{join_html(items)}</ul>')


def example_mark(words):
    """The visible "(example value)" beside a value that is not official."""
    return Html(f' <em class="wizard-example">({html(words["example_value"])})</em>')


def fees_html(view, words):
    """Total first, then each fee; every example amount marked on its own line and on the total."""
    rows = [
        f'<tr class="wizard-total"><th scope="row">{html(words["total"])}</th>'
        f'<td class="wizard-amount">{_money(total["amount"])}'
        f"{example_mark(words) if total['example'] else ''}</td></tr>"
        for total in view["total"]
    ]
    rows += [
        f'<tr><th scope="row">{html(fee["label"])}</th>'
        f'<td class="wizard-amount">{_money(fee["amount"])}{example_mark(words) if fee["example"] else ""}</td></tr>'
        for fee in view["fees"]
    ]
    notes = [f'<p class="wizard-notice" role="note">{html(fee["change"])}</p>' for fee in view["fees"] if fee["change"]]
    costs = [f"<li>{html(cost['label'])}</li>" for cost in view["costs"]]
    table = (
        f'<table class="wizard-fees"><caption class="wizard-visually-hidden">{html(words["fees"])}</caption>'
        f'<thead><tr><th scope="col">{html(words["fee"])}</th>'
        f'<th scope="col">{html(words["amount"])}</th></tr></thead>'
        f"<tbody>{join_html(rows)}</tbody></table>"
    )
    return _(
        [
            table if rows else "",
            *notes,
            f'<p class="wizard-costs">{html(words["costs_not_included"])}</p><ul>{join_html(costs)}</ul>'
            if costs
            else "",
        ]
    )


def _money(amount):
    """An amount that never breaks between number and currency (its example mark may wrap)."""
    return Html(f'<span class="wizard-money">{html(amount)}</span>')


def timing_html(timing, words):
    items = []
    for item in timing:
        label = (
            f"{html(item['label'])}: <strong>{html(item['duration'])}</strong>"
            if item["duration"]
            else html(item["label"])
        )
        parts = [lead_in(item.get("only_if")), label]
        if item["ask"]:
            parts.append(ask_html(item["ask"], words))
        if item["ready_on"]:
            parts.append(f"<br><strong>{html(words.fill('ready_on', date=item['ready_on']))}</strong>")
        if item["holidays"]:
            parts.append(f'<br><span class="wizard-hint">{html(item["holidays"])}</span>')
        items.append(f"<li>{join_html(parts)}</li>")
    return Html(f"<ul>{join_html(items)}</ul>")


def place_html(place, words, inline=False):
    """An office or post: its name and contact details, each link a tel:, mailto: or web link."""
    if inline:
        details = [
            Html(
                (f'<a href="{html(row["href"])}">{html(row["value"])}</a>' if row["href"] else str(html(row["value"])))
                + (example_mark(words) if row["example"] else "")
            )
            for row in place["contact"]
        ]
        return join_html([html(place["name"]), *details], ", ")
    return _([f"<p><strong>{html(place['name'])}</strong></p>", contact_list_html(place["contact"], words)])


def _sources_html(sources, words):
    items = []
    for source in sources:
        title = (
            f'<a href="{html(source["href"])}">{html(source["title"])}</a>' if source["href"] else html(source["title"])
        )
        items.append(f"<li>{title} ({html(words.fill('last_checked', date=source['checked']))})</li>")
    return Html(f"<ul>{join_html(items)}</ul>")
