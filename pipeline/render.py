"""The model → Markdown pages, one set per post and language, through the Jinja templates.

Nothing a visitor reads about a procedure is typed here or in Markdown by hand: facts come from the
compiled procedures and posts, the words around them from `content/ui.yaml` and `content/pages/`.
This module knows nothing about MkDocs or Material: it returns plain Markdown with a little HTML
(a checklist) that any Markdown site generator would accept.

    render_post(content, post_id, lang) -> RenderedPost    the pages of one build, in nav order
    render_root_index(content, post_ids) -> str             the site root's post × language chooser
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from wizard.conditions import referenced_questions
from wizard.paths import enumerate_paths
from wizard.present import contact_view
from wizard.presentation import html, markdown, page_title, text

from . import layout
from .flow import flow_outline, flow_svg
from .wizard_pages import wizard_pages

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class RenderedPost:
    """The Markdown pages of one post in one language.

    `nav` lists the pages of the navigation, in order; the wizard's step pages (one per answer
    prefix, for visitors without JavaScript) are in `pages` but not in `nav`.
    """

    post: str
    lang: str
    site_name: str  # escaped for HTML: MkDocs and Material print it as it is
    pages: dict = field(default_factory=dict)
    nav: list = field(default_factory=list)


def render_post(content, post_id, lang):
    """Every page of `post_id` in `lang`: home, per procedure its page and wizard page, fees."""
    post = content.posts[post_id]
    view = _View(content, lang)
    procedures = [view.procedure(pid) for pid in post["procedures"]]
    handled = {p["id"] for p in procedures}
    home = view.home_page(post)
    context = {
        "ui": view.words,
        "post": view.post(post),
        "procedures": procedures,
        "handled": handled,
        "page": home,
        "on": view.date(content.on),
        "lang": lang,
        "home_sources": view.sources(view.post(post)["sources"], home["sources"] if home else []),
    }
    rendered = RenderedPost(post=post_id, lang=lang, site_name=page_title(text(post["name"], lang)))
    rendered.pages[layout.markdown(layout.HOME)] = _render("home.md.j2", context)
    wizard = wizard_pages(content, post_id, lang)
    for procedure in procedures:
        page = layout.markdown(layout.procedure_page(procedure["id"]))
        rendered.pages[page] = _render("procedure.md.j2", dict(context, procedure=procedure))
        start = layout.markdown(layout.wizard_page(procedure["id"]))
        rendered.pages[start] = wizard.pop(start)
    rendered.pages[layout.markdown(layout.FEES)] = _render("fees.md.j2", context)
    rendered.pages[layout.markdown(layout.EDITORS)] = _render(
        "editors.md.j2", dict(context, flows=[view.flow(procedure["id"]) for procedure in procedures])
    )
    rendered.nav = list(rendered.pages)
    rendered.pages.update(sorted(wizard.items()))
    return rendered


def render_root_index(content, post_ids):
    """The HTML page at the site root: every post, in every language; plain links, no script."""
    languages = content.languages
    posts = [
        {"id": pid, "names": {lang: text(content.posts[pid]["name"], lang) for lang in languages}} for pid in post_ids
    ]
    return _render(
        "root.html.j2",
        {
            "languages": languages,
            "default": content.default_language,
            "posts": posts,
            "site_name": content.site["name"],
            "ui": {lang: content.words(lang) for lang in languages},
        },
    )


# --- the view: model values turned into what the templates show, in one language ---------------


class _View:
    def __init__(self, content, lang):
        self.content = content
        self.lang = lang
        self.words = content.words(lang)

    def date(self, iso):
        return self.words.date(iso)

    def money(self, amount, currency):
        return self.words.money(amount, currency)

    def post(self, post):
        lang = self.lang
        names = [text(c["name"], lang) for c in post["countries"]]
        return {
            "id": post["id"],
            "kind": post["kind"],
            "example": bool(post.get("example")),
            "name": text(post["name"], lang),
            "countries": names,
            "countries_sentence": self.words.join(names),
            "contact": contact_view(post, self.words),
            "notes": [text(note, lang) for note in post.get("notes", [])],
            "sources": [self.content.sources[sid] for sid in post.get("sources", [])],
        }

    def home_page(self, post):
        """The hand-written overview (content/pages/) for this kind of post, with {countries} filled."""
        countries = self.words.join([text(c["name"], self.lang) for c in post["countries"]])
        for page in self.content.pages.values():
            if post["kind"] in page.get("for_kinds", []):
                fill = lambda value: text(value, self.lang).replace("{countries}", countries)  # noqa: E731
                return {
                    "title": fill(page["title"]),
                    "intro": fill(page.get("intro")),
                    "sections": [
                        {
                            "title": fill(s["title"]),
                            "paragraphs": [fill(p) for p in s.get("paragraphs", [])],
                            "items": [fill(i) for i in s.get("items", [])],
                        }
                        for s in page.get("sections", [])
                    ],
                    "sources": [self.content.sources[sid] for sid in page.get("sources", [])],
                }
        return None

    def source(self, source):
        return {"title": source["title"], "checked": self.date(source["checked"])}

    def sources(self, *groups):
        """The sources of several groups, each once, in order of first mention."""
        seen = {}
        for group in groups:
            for source in group:
                seen.setdefault(source["id"], self.source(source))
        return list(seen.values())

    def procedure(self, procedure_id):
        """Everything the procedure, fees and wizard pages show about one procedure."""
        procedure = self.content.procedures[procedure_id]
        lang = self.lang
        paths = [
            (dict(answers), outcome)
            for answers, outcome in enumerate_paths(procedure, self.content.on)
            if outcome["status"] == "outcome"
        ]
        applies = _Applies(procedure, paths, lang)
        return {
            "id": procedure_id,
            "title": text(procedure["title"], lang),
            "summary": text(procedure.get("summary"), lang),
            "who": text(procedure.get("who"), lang),
            "unreviewed": procedure.get("translations", {}).get(lang) == "unreviewed",
            "routes": [self.route(procedure, route, applies) for route in procedure["routes"]],
            "documents": [
                {
                    "label": text(d["label"], lang),
                    "only_if": applies(d.get("when"), lambda o, did=d["id"]: did in o["documents"]),
                }
                for d in procedure.get("documents", [])
            ],
            "fees": self.fees(procedure, paths, applies),
            "timing": [
                {
                    "label": text(t["label"], lang),
                    "only_if": applies(t.get("when"), lambda o, tid=t["id"]: any(x["id"] == tid for x in o["timing"])),
                }
                for t in procedure.get("timing", [])
            ],
            "validity": [
                {
                    "label": self.words.fill("validity_years", years=v["years"]),
                    "only_if": applies(v.get("when"), lambda o, vid=v["id"]: (o["validity"] or {}).get("id") == vid),
                }
                for v in procedure.get("validity", [])
            ],
            "warnings": [
                {
                    "text": text(w["text"], lang),
                    "only_if": applies(w.get("when"), lambda o, wid=w["id"]: wid in o["warnings"]),
                }
                for w in procedure.get("warnings", [])
            ],
            "related": [
                {"id": rid, "title": text(self.content.procedures[rid]["title"], lang)}
                for rid in procedure.get("related", [])
                if rid in self.content.procedures
            ],
            "sources": [self.source(s) for s in procedure.get("sources", [])],
        }

    def flow(self, procedure_id):
        """The editors' diagram of one procedure (inline SVG) and the same tree as a nested list."""
        procedure = self.content.procedures[procedure_id]
        title = text(procedure["title"], self.lang)
        return {
            "id": procedure_id,
            "title": title,
            "svg": flow_svg(
                procedure,
                self.content.on,
                self.lang,
                self.words.fill("flow_caption", title=title),
                title_id=f"flow-title-{procedure_id}",
            ),
            "caption": self.words.fill("flow_caption", title=title),
            "outline": Markup(flow_outline(procedure, self.content.on, self.lang, self.words["flow_route"])),
        }

    def route(self, procedure, route, applies):
        lang = self.lang
        rid = route["id"]
        offices = {o["id"]: o for o in procedure.get("offices", [])}
        return {
            "id": rid,
            "title": text(route["title"], lang),
            "applies_if": applies(route.get("when"), lambda o: o["route"] == rid),
            "steps": [
                {
                    "text": text(step["text"], lang),
                    "office": self.office(offices.get(step.get("office"))),
                    "only_if": applies(
                        step.get("when"), lambda o, sid=step["id"]: o["route"] == rid and sid in o["steps"]
                    ),
                }
                for step in route.get("steps", [])
            ],
            "timing": [{"label": text(t["label"], lang)} for t in route.get("timing", [])],
        }

    def office(self, office):
        if office is None:
            return None
        return {"name": text(office["name"], self.lang), "address": office.get("address"), "email": office.get("email")}

    def fees(self, procedure, paths, applies):
        """One row per fee any answer path charges on the build date, in the procedure's order.

        The amount, its start and the next scheduled change are the engine's own (from the paths),
        so the pages and the wizard cannot disagree about which value is in force.
        """
        charged = {}
        for _, outcome in paths:
            for fee in outcome["fees"]:
                charged.setdefault(fee["id"], fee)
        rows = []
        for fee in procedure.get("fees", []):
            shown = charged.get(fee["id"])
            if shown is None:
                continue
            value = next(v for v in fee["values"] if v["from"] == shown["from"])
            nxt = shown["next"]
            change = None
            if nxt is not None and nxt["amount"] is not None:
                change = self.words.fill(
                    "scheduled_change", date=self.date(nxt["from"]), amount=self.money(nxt["amount"], shown["currency"])
                )
            elif nxt is not None:
                change = self.words.fill("scheduled_end", date=self.date(nxt["from"]))
            rows.append(
                {
                    "id": fee["id"],
                    "label": text(fee["label"], self.lang),
                    "for_whom": applies.short(
                        fee.get("when"), lambda o, fid=fee["id"]: any(f["id"] == fid for f in o["fees"])
                    ),
                    "amount": self.money(shown["amount"], shown["currency"]),
                    "from": None if value.get("since_checked") else self.date(shown["from"]),
                    "example": shown["example"],
                    "change": change,
                }
            )
        return rows


class _Applies:
    """Which answers make a `when:` condition hold, read off the enumerated answer paths.

    The condition names the questions it depends on; the paths on which the item appears give the
    options. So "minor" on a travel-document fee reads "Under 12 / 12 to 17", with no second
    interpreter of the condition language beside the engine's.
    """

    def __init__(self, procedure, paths, lang):
        self.procedure = procedure
        self.paths = paths
        self.lang = lang

    def __call__(self, condition, appears):
        """[{"question": text, "answers": [labels]}] for the questions `condition` refers to."""
        if condition is None:
            return []
        rows = []
        for question in self.procedure["questions"]:
            if question["id"] not in referenced_questions(condition, self.procedure):
                continue
            chosen = {answers.get(question["id"]) for answers, outcome in self.paths if appears(outcome)}
            labels = [text(o["label"], self.lang) for o in question["options"] if o["id"] in chosen]
            if labels:
                rows.append({"question": text(question["text"], self.lang), "answers": labels})
        return rows

    def short(self, condition, appears):
        """The answers only, for a table cell: "18 or older; Standard"."""
        return [" / ".join(row["answers"]) for row in self(condition, appears)]


# --- Jinja ---------------------------------------------------------------------------------------


def _environment():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Content is text: `md` where Markdown is read, `html` inside a raw HTML block (Markdown is not
    # read there), `title` for what MkDocs prints unescaped (front matter). wizard.presentation.
    env.filters["md"] = lambda value: Markup(markdown(value))
    env.filters["html"] = lambda value: Markup(html(value))
    env.filters["front_title"] = lambda value: Markup(json.dumps(page_title(value), ensure_ascii=False))
    env.filters["text_for"] = lambda value, raw_html=False: Markup(html(value) if raw_html else markdown(value))
    # Trusted HTML built by our own code (the flow SVG), as one Markdown block: no blank lines.
    env.filters["oneblock"] = lambda markup: Markup(
        "\n".join(line for line in str(markup).splitlines() if line.strip())
    )
    return env


_ENV = None


def _render(name, context):
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV.get_template(name).render(context)
