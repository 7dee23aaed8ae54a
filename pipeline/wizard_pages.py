"""The wizard's pages for one post and language, as Markdown for MkDocs.

`wizard-<procedure>.md` is the wizard's start page: its first question as plain links, inside the
container the interactive front end (wizard/web/wizard.js) takes over once Pyodide is ready.
Every other answer prefix gets its own pre-rendered page under `wizard/<procedure>/`, so the
whole wizard works with JavaScript off. All of it comes from `wizard.steps.render_step`, the
function the browser calls too.
"""

import json

from wizard.present import text
from wizard.steps import all_steps, render_step, static_page

RUNTIME_DIR = "_wizard"  # the shared Pyodide runtime, at the root of the built site
ASSETS = "assets/wizard"  # wizard.js and wizard.css, inside each language build


def wizard_start_page(procedure_id):
    """The Markdown file of a wizard's start page (the one in the navigation)."""
    return static_page(procedure_id, []).replace(".html", ".md")


def wizard_pages(content, post_id, lang, intro=None, heading="{title}", info_link=None, depth_to_site_root=2):
    """{path relative to the language's docs dir: Markdown} for every wizard page of a post.

    The start page gets `heading` ("{title}" is the procedure's title) as its title and, if
    given, `intro` above the first question and `info_link` (a link text) to the procedure page.
    """
    post = content.posts[post_id]
    strings = content.wizard_strings(lang)
    start = {"intro": intro, "heading": heading, "info_link": info_link}
    pages = {}
    for pid in post["procedures"]:
        procedure = content.procedures[pid]
        for pairs in all_steps(procedure, content.on):
            path = static_page(pid, pairs)
            pages[path.replace(".html", ".md")] = step_markdown(
                content, procedure, pairs, post, lang, strings, path, depth_to_site_root, start
            )
    return pages


def step_markdown(content, procedure, pairs, post, lang, strings, path, depth_to_site_root, start):
    step = render_step(procedure, pairs, content.on, lang, strings, post, style="static", from_page=path)
    title = text(procedure["title"], lang)
    up = "../" * path.count("/")
    is_start = not pairs
    if is_start:
        title = start["heading"].replace("{title}", title)
    if step["status"] == "question":
        page_title = title if is_start else f"{_question_text(procedure, step['question'], lang)} – {title}"
    else:
        route = next(r for r in procedure["routes"] if r["id"] == step["outcome"]["route"])
        page_title = f"{strings['result']} {text(route['title'], lang)}"
    front = ["---", f"title: {json.dumps(page_title, ensure_ascii=False)}"]
    if not is_start:
        front += ["search:", "  exclude: true"]
    front.append("---")
    body = [f"# {_escape_md(title)}", ""]
    if is_start and start["intro"]:
        body += [_escape_md(start["intro"]), ""]
    runtime = "../" * depth_to_site_root + up + RUNTIME_DIR + "/"
    attributes = (
        f'id="wizard" data-procedure="{procedure["id"]}" data-runtime="{runtime}"'
        if is_start
        else 'class="wizard-static"'
    )
    parts = [f"<div {attributes}>"]
    if step["back"] is not None:
        parts.append(
            f'<p class="wizard-nav"><a class="wizard-back" href="{step["back"]}">{_html(strings["back"])}</a></p>'
        )
    parts.append(f'<div id="wizard-main">{step["html"]}</div>')
    if step["answers_html"]:
        parts.append(step["answers_html"])
    if step["status"] == "outcome":
        parts.append(
            f'<p class="wizard-actions"><a class="md-button" href="{step["start"]}">'
            f"{_html(strings['start_again'])}</a></p>"
        )
    parts.append("</div>")
    body.append("\n".join(_one_block(p) for p in parts))
    if is_start:
        config = {"lang": lang, "strings": strings, "post": post}
        body += [
            "",
            '<script type="application/json" id="wizard-config">'
            + json.dumps(config, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
            + "</script>",
            "",
            f'<script src="{runtime}runtime.js"></script>',
            f'<script src="{up}{ASSETS}/wizard.js"></script>',
        ]
        if start["info_link"]:
            body += ["", f"[{_escape_md(start['info_link'])}]({procedure['id']}.md)"]
    return "\n".join(front + [""] + body) + "\n"


def _question_text(procedure, question_id, lang):
    question = next(q for q in procedure["questions"] if q["id"] == question_id)
    return text(question["text"], lang)


def _one_block(html):
    """Raw HTML stays one Markdown block only without blank lines."""
    return "\n".join(line for line in html.splitlines() if line.strip())


def _html(value):
    from wizard.html import esc

    return esc(value)


def _escape_md(value):
    return value.replace("*", r"\*").replace("_", r"\_")
