"""The wizard's pages for one post and language, as Markdown for MkDocs.

`wizard-<procedure>.md` is the wizard's start page: its first question as plain links, inside the
container the interactive front end (wizard/web/wizard.js) takes over once Pyodide is ready.
Every other answer prefix gets its own pre-rendered page under `wizard/<procedure>/`, so the
whole wizard works with JavaScript off. Every step comes from `wizard.steps.render_step`, the
function the browser calls too; this module only wraps it in a page.
"""

import json

from wizard.presentation import html, page_title
from wizard.state import State
from wizard.steps import Context, render_step

from . import answer_trees, layout, sdg


def wizard_pages(content, post_id, lang):
    """{Markdown file name: Markdown} of every wizard page of a post in a language."""
    post = content.posts[post_id]
    words = content.words(lang)
    pages = {}
    for pid in post["procedures"]:
        procedure = content.procedures[pid]
        for pairs in answer_trees.prefixes(procedure, content.on):
            page = layout.wizard_page(pid, pairs)
            pages[layout.markdown(page)] = step_markdown(content, procedure, pairs, post, words, page)
    return pages


def step_markdown(content, procedure, pairs, post, words, page):
    """One wizard page: front matter (title, description; step pages stay out of search), then the step's HTML."""
    pid = procedure["id"]
    context = Context(words, post, content.on, link=lambda target: layout.link(page, layout.wizard_page(pid, target)))
    step = render_step(procedure, State(tuple(pairs)), context)
    is_start = not pairs
    description = f"{words.text(procedure['title'])} — {words['wizard_cta']}."
    front = [
        "---",
        f"title: {_yaml_string(page_title(step['title']))}",
        f"description: {_yaml_string(page_title(description))}",
    ]
    if not is_start:
        front += ["search:", "  exclude: true"]
    front.append("---")
    if is_start:
        runtime = layout.to_site_root(page) + layout.RUNTIME_DIR + "/"
        container = (
            f'<div id="wizard" data-procedure="{html(pid)}" data-lang="{html(words.lang)}" '
            f'data-post="{html(post["id"])}" data-runtime="{html(runtime)}" data-state="{step["status"]}">'
        )
    else:
        container = f'<div class="wizard-static" data-state="{step["status"]}">'
    body = [container, step["html"], "</div>"]
    last = sdg.page_reviewed(content, post, [pid])
    if last:  # when the facts were last compared with their sources (EU 2018/1724, Art. 9)
        body.append(f'\n<p class="last-reviewed">{html(words["sdg_reviewed"])}: {html(words.date(last))}</p>')
    if content.unreviewed(words.lang, post["procedures"]):
        body = [f'<p class="translation-notice" role="note">{html(words["unreviewed_translation"])}</p>', "", *body]
    if is_start:
        # The live region for screen readers (visually hidden: nothing moves when the wizard takes over).
        body += [
            f'<p class="wizard-status wizard-visually-hidden" id="wizard-status" role="status" '
            f'data-loading="{html(words["loading"])}"></p>',
            "",
            f'<p class="wizard-info-link"><a href="{html(layout.link(page, layout.procedure_page(pid)))}">'
            f"{html(words['info_page'])}</a></p>",
            "",
            f'<script src="{html(runtime)}runtime.js"></script>',
            f'<script src="{html(layout.asset(page, "wizard.js"))}"></script>',
        ]
    return "\n".join([*front, "", _one_block("\n".join(body[:3])), *body[3:]]) + "\n"


def _one_block(markup):
    """Raw HTML stays one Markdown block only without blank lines."""
    return "\n".join(line for line in markup.splitlines() if line.strip())


def _yaml_string(value):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)
