"""HTML of the wizard's questions, answer summary and outcome: one renderer for every place.

The build writes the no-JavaScript wizard pages with these functions, and the browser front end
calls the very same functions inside Pyodide, so a visitor sees the same markup with or without
JavaScript. Standard library only. `strings` are the UI words of one language (content/ui.yaml,
section `wizard`), already resolved to that language; `post` is the office the site is built for.
"""

import html

from .conditions import option_by_id, question_by_id
from .present import describe_outcome, text


def esc(value):
    return html.escape(str(value), quote=True)


def fill(template, **values):
    """`{name}` placeholders of a UI string filled with escaped values."""
    result = esc(template)
    for key, value in values.items():
        result = result.replace("{" + key + "}", esc(value))
    return result


def format_date(iso, strings):
    """An ISO date in the words of one language (unescaped text), e.g. '1 januari 2027'."""
    year, month, day = iso.split("-")
    return (
        strings["date_format"]
        .replace("{day}", str(int(day)))
        .replace("{month}", strings["months"][int(month) - 1])
        .replace("{year}", year)
    )


def format_money(amount, currency, strings):
    whole, _, cents = amount.partition(".")
    return f"{whole}{strings['decimal_mark']}{cents} {currency}"


# --- questions ---------------------------------------------------------------------------------


def question_links_html(procedure, question_id, lang, strings, hrefs, number):
    """A question as plain links, one per option: usable with no JavaScript at all."""
    question = question_by_id(procedure, question_id)
    heading_id = f"q-{esc(question_id)}"
    parts = [
        f'<section class="wizard-question" data-question="{esc(question_id)}" aria-labelledby="{heading_id}">',
        f'<p class="wizard-caption">{fill(strings["question_number"], n=number)}</p>',
        f'<h2 class="wizard-legend" id="{heading_id}">{esc(text(question["text"], lang))}</h2>',
    ]
    if question.get("hint"):
        parts.append(f'<p class="wizard-hint">{esc(text(question["hint"], lang))}</p>')
    parts.append(f'<ul class="wizard-options" aria-labelledby="{heading_id}">')
    for option in question["options"]:
        parts.append(
            f'<li><a class="wizard-option" href="{esc(hrefs[option["id"]])}">'
            f"{esc(text(option['label'], lang))}</a></li>"
        )
    parts.append("</ul></section>")
    return "\n".join(parts)


def question_form_html(procedure, question_id, lang, strings, number, selected=None, exact_dates=False):
    """A question as a form (fieldset, legend, radios, Continue), for the interactive wizard.

    With `exact_dates` an age question also offers a date-of-birth field (Pyodide computes the age).
    """
    question = question_by_id(procedure, question_id)
    qid = esc(question_id)
    described = f"hint-{qid} " if question.get("hint") else ""
    parts = [
        f'<form class="wizard-question" data-question="{qid}" novalidate>',
        f'<fieldset class="wizard-fieldset" aria-describedby="{described}error-{qid}">',
        '<legend class="wizard-legend-wrap">'
        f'<span class="wizard-caption">{fill(strings["question_number"], n=number)}</span>'
        f'<h2 class="wizard-legend" tabindex="-1">{esc(text(question["text"], lang))}</h2></legend>',
    ]
    if question.get("hint"):
        parts.append(f'<p class="wizard-hint" id="hint-{qid}">{esc(text(question["hint"], lang))}</p>')
    parts.append(f'<p class="wizard-error-message" id="error-{qid}" hidden></p>')
    parts.append('<div class="wizard-options">')
    for option in question["options"]:
        oid = f"{qid}-{esc(option['id'])}"
        checked = " checked" if option["id"] == selected else ""
        parts.append(
            f'<div class="wizard-radio"><input type="radio" id="{oid}" name="{qid}" value="{esc(option["id"])}"'
            f'{checked}><label for="{oid}">{esc(text(option["label"], lang))}</label></div>'
        )
    parts.append("</div>")
    if exact_dates and question.get("kind") == "age":
        parts.append(
            f'<div class="wizard-date"><label for="{qid}-birth">{esc(strings["birth_date"])}</label>'
            f'<p class="wizard-hint" id="{qid}-birth-hint">{esc(strings["birth_date_hint"])}</p>'
            f'<input type="date" id="{qid}-birth" name="{qid}-birth" aria-describedby="{qid}-birth-hint"></div>'
        )
    parts.append(
        f'</fieldset><button type="submit" class="md-button md-button--primary wizard-continue">'
        f"{esc(strings['continue'])}</button></form>"
    )
    return "\n".join(parts)


def answers_html(procedure, answers, lang, strings, change_hrefs, exact=None):
    """The summary of answers so far, each with a Change link (to that question, later answers kept out)."""
    if not answers:
        return ""
    exact = exact or {}
    rows = []
    for question in procedure["questions"]:
        qid = question["id"]
        if qid not in answers:
            continue
        option = option_by_id(question, answers[qid])
        answer = esc(text(option["label"], lang)) if option else esc(answers[qid])
        if qid in exact:
            answer += f" ({esc(strings['born_on'])} {esc(format_date(exact[qid], strings))})"
        rows.append(
            f'<div class="wizard-summary-row"><dt>{esc(text(question["text"], lang))}</dt><dd>{answer}</dd>'
            f'<dd class="wizard-change"><a href="{esc(change_hrefs[qid])}">{esc(strings["change"])}'
            f'<span class="wizard-visually-hidden"> {esc(text(question["text"], lang))}</span></a></dd></div>'
        )
    return (
        f'<section class="wizard-answers" aria-labelledby="wizard-answers-title">'
        f'<h2 id="wizard-answers-title">{esc(strings["your_answers"])}</h2>'
        f'<dl class="wizard-summary">{"".join(rows)}</dl></section>'
    )


# --- outcome -----------------------------------------------------------------------------------


def outcome_html(procedure, outcome, lang, strings, post):
    """The result a visitor acts on: route, office, steps, checklist, fees, timing, validity, sources."""
    shown = describe_outcome(procedure, outcome, lang)
    parts = [
        '<section class="wizard-result" aria-labelledby="wizard-result-title">',
        f'<h2 id="wizard-result-title" tabindex="-1"><span class="wizard-caption">{esc(strings["result"])}</span> '
        f"{esc(shown['route']['title'])}</h2>",
    ]
    parts.append(_office_html(procedure, outcome["office"], lang, strings, post))
    parts.append(
        _section(
            "steps",
            strings["steps"],
            '<ol class="wizard-steps">'
            + "".join(f"<li>{esc(step['text'])}{_step_office(step, strings)}</li>" for step in shown["steps"])
            + "</ol>",
        )
    )
    if shown["documents"]:
        items = "".join(
            f'<li><input type="checkbox" id="doc-{esc(d["id"])}">'
            f'<label for="doc-{esc(d["id"])}">{esc(d["label"])}</label></li>'
            for d in shown["documents"]
        )
        parts.append(_section("documents", strings["documents"], f'<ul class="wizard-checklist">{items}</ul>'))
    if shown["fees"]:
        parts.append(_section("fees", strings["fees"], _fees_html(shown, strings)))
    if shown["timing"]:
        parts.append(
            _section(
                "timing",
                strings["timing"],
                "<ul>"
                + "".join(
                    f"<li>{esc(t['label'])}"
                    + (
                        f"<br><strong>{fill(strings['ready_on'], date=format_date(t['ready_on'], strings))}</strong>"
                        if t.get("ready_on")
                        else ""
                    )
                    + "</li>"
                    for t in shown["timing"]
                )
                + "</ul>",
            )
        )
    if shown["validity"]:
        parts.append(
            _section(
                "validity",
                strings["validity"],
                f"<p>{fill(strings['validity_years'], years=shown['validity']['years'])}</p>",
            )
        )
    if shown["warnings"]:
        parts.append(
            _section(
                "warnings",
                strings["warnings"],
                '<ul class="wizard-warnings">'
                + "".join(
                    f"<li><strong>{esc(strings['warning_prefix'])}</strong> {esc(w['text'])}</li>"
                    for w in shown["warnings"]
                )
                + "</ul>",
            )
        )
    if shown["sources"]:
        parts.append(
            _section(
                "sources",
                strings["sources"],
                "<ul>"
                + "".join(
                    f"<li>{_source(s)} ({fill(strings['checked_on'], date=format_date(s['checked'], strings))})</li>"
                    for s in shown["sources"]
                )
                + "</ul>",
            )
        )
    parts.append(f'<p class="wizard-on">{fill(strings["computed_on"], date=format_date(outcome["on"], strings))}</p>')
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _section(key, title, body):
    return (
        f'<section class="wizard-part wizard-{key}" aria-labelledby="wizard-{key}-title">'
        f'<h3 id="wizard-{key}-title">{esc(title)}</h3>{body}</section>'
    )


def _step_office(step, strings):
    office = step.get("office")
    if not office:
        return ""
    details = [esc(office["name"])] + [esc(office[k]) for k in ("address", "email", "phone") if office.get(k)]
    return f'<br><span class="wizard-office">{", ".join(details)}</span>'


def _office_html(procedure, office_id, lang, strings, post):
    if office_id == "post":
        if not post:
            return ""
        rows = [f"<p><strong>{esc(text(post['name'], lang))}</strong></p>"]
        contact = post.get("contact", {})
        items = []
        for key in ("address", "phone", "email", "website", "appointments"):
            if key not in contact:
                continue
            value = contact[key]
            example = isinstance(value, dict) and value.get("example")
            shown = value["value"] if isinstance(value, dict) else value
            mark = f' <em class="wizard-example">({esc(strings["example_value"])})</em>' if example else ""
            items.append(f"<li>{esc(strings['contact_' + key])}: {_contact_value(key, shown)}{mark}</li>")
        if items:
            rows.append(f'<ul class="wizard-contact">{"".join(items)}</ul>')
        return _section("office", strings["office"], "".join(rows))
    office = next((o for o in procedure.get("offices", []) if o["id"] == office_id), None)
    if office is None:
        return ""
    lines = [f"<p><strong>{esc(text(office['name'], lang))}</strong></p>"]
    lines += [f"<p>{esc(office[k])}</p>" for k in ("address", "email", "phone") if office.get(k)]
    return _section("office", strings["office"], "".join(lines))


def _contact_value(key, value):
    if key == "email":
        return f'<a href="mailto:{esc(value)}">{esc(value)}</a>'
    if key == "phone":
        return f'<a href="tel:{esc(value.replace(" ", ""))}">{esc(value)}</a>'
    if key in ("website", "appointments"):
        return f'<a href="{esc(value)}">{esc(value)}</a>'
    return esc(value)


def _source(source):
    if source.get("url"):
        return f'<a href="{esc(source["url"])}">{esc(source["title"])}</a>'
    return esc(source["title"])


def _fees_html(shown, strings):
    rows = []
    notes = []
    for fee in shown["fees"]:
        example = f' <em class="wizard-example">({esc(strings["example_value"])})</em>' if fee["example"] else ""
        rows.append(
            f'<tr><th scope="row">{esc(fee["label"])}</th>'
            f'<td class="wizard-amount">{format_money(fee["amount"], fee["currency"], strings)}{example}</td></tr>'
        )
        if fee["next"]:
            nxt = fee["next"]
            if nxt["amount"] is None:
                notes.append(fill(strings["fee_ends"], label=fee["label"], date=format_date(nxt["from"], strings)))
            else:
                notes.append(
                    fill(
                        strings["fee_changes"],
                        label=fee["label"],
                        date=format_date(nxt["from"], strings),
                        amount=format_money(nxt["amount"], fee["currency"], strings),
                    )
                )
    for total in shown["total"]:
        rows.append(
            f'<tr class="wizard-total"><th scope="row">{esc(strings["total"])}</th>'
            f'<td class="wizard-amount">{format_money(total["amount"], total["currency"], strings)}</td></tr>'
        )
    table = (
        f'<table class="wizard-fees"><caption class="wizard-visually-hidden">{esc(strings["fees"])}</caption>'
        f'<thead><tr><th scope="col">{esc(strings["fee"])}</th>'
        f'<th scope="col">{esc(strings["amount"])}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    notices = "".join(f'<p class="wizard-notice" role="note">{n}</p>' for n in notes)
    return table + notices
