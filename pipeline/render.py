"""The model → Markdown pages, one set per post and language, through the Jinja templates.

Nothing a visitor reads about a procedure is typed here or in Markdown by hand: facts come from the
compiled procedures and posts, the words around them from `content/ui.yaml` and `content/pages/`.
This module knows nothing about MkDocs or Material: it returns plain Markdown with a little HTML
(a checklist) that any Markdown site generator would accept.

    render_post(content, post_id, lang) -> RenderedPost    the pages of one build, in nav order
    render_root_index(content, post_ids, base_url) -> str   the site root's post × language chooser
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from wizard.html import steps_html, timing_html
from wizard.present import action_view, contact_view, fact_view, office_view, post_words, timing_view
from wizard.presentation import html, json_script, markdown, page_title, text

from . import answer_trees, layout, sdg
from .flow import flow_outline, flow_svg
from .jsonld import government_service
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
    description: str = ""  # the home page's description, escaped the same way (pages without their own)
    pages: dict = field(default_factory=dict)
    nav: list = field(default_factory=list)


def render_post(content, post_id, lang):
    """Every page of `post_id` in `lang`: home, per procedure its page and wizard page, fees."""
    post = content.posts[post_id]
    view = _View(content, lang, post)
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
        "unreviewed": content.unreviewed(lang, post["procedures"]),
        "home_sources": view.sources(view.post(post)["sources"], home["sources"] if home else []),
    }
    # Every page says when its facts were last compared with their sources (EU 2018/1724, Art. 9).
    home_ids = [source["id"] for source in (home["sources"] if home else [])]
    for key, procedure_ids, source_ids in (("reviewed_home", [], home_ids), ("reviewed_all", post["procedures"], [])):
        last = sdg.page_reviewed(content, post, procedure_ids, source_ids)
        context[key] = view.date(last) if last else None
    rendered = RenderedPost(
        post=post_id,
        lang=lang,
        site_name=page_title(text(post["name"], lang)),
        description=page_title(context["post"]["description"]),
    )
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
    # The navigation holds the information pages: the wizards start from buttons on them, and the
    # editors' page is linked from the home page's foot.
    rendered.nav = [
        layout.markdown(page)
        for page in [layout.HOME, *(layout.procedure_page(p["id"]) for p in procedures), layout.FEES]
    ]
    rendered.pages.update(sorted(wizard.items()))
    return rendered


def render_root_index(content, post_ids, base_url=None):
    """The HTML page at the site root: every post, in every language; plain links, no script.

    With the site's base address (pipeline/publish.py) it names its absolute address."""
    languages = content.languages
    posts = [
        {
            "id": pid,
            "names": {lang: text(content.posts[pid]["name"], lang) for lang in languages},
            "countries": {
                lang: content.words(lang).join([text(c["name"], lang) for c in content.posts[pid]["countries"]], "and")
                for lang in languages
            },
            "cities": {lang: text(content.posts[pid].get("city"), lang) for lang in languages},
        }
        for pid in post_ids
    ]
    return _render(
        "root.html.j2",
        {
            "languages": languages,
            "default": content.default_language,
            "posts": posts,
            "site_name": content.site["name"],
            "ui": {lang: content.words(lang) for lang in languages},
            "canonical": base_url,
        },
    )


# --- the view: model values turned into what the templates show, in one language ---------------


class _View:
    """The model in one language for one post: the post's facts fill the shared texts."""

    def __init__(self, content, lang, post):
        self.content = content
        self.lang = lang
        self.post_data = post
        self.words = post_words(content.words(lang), post)

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
            "countries_sentence": self.words.join(names, "and"),
            "contact": contact_view(post, self.words),
            "notes": [text(note, lang) for note in post.get("notes", [])],
            "sources": [self.content.sources[sid] for sid in post.get("sources", [])],
            "description": self.post_description(post, names),
        }

    def post_description(self, post, countries):
        """The post's own `description`, else where it is competent and what it handles."""
        if post.get("description"):
            return text(post["description"], self.lang)
        titles = [text(self.content.procedures[pid]["title"], self.lang) for pid in post["procedures"]]
        return f"{self.words['countries']}: {self.words.join(countries, 'and')}. {' · '.join(titles)}."

    def home_page(self, post):
        """The hand-written overview (content/pages/) for this kind of post, with {countries} filled."""
        countries = self.words.join([text(c["name"], self.lang) for c in post["countries"]], "and")
        for page in self.content.pages.values():
            if post["id"] in page.get("for_posts", []) or post["kind"] in page.get("for_kinds", []):
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
        """Everything the procedure, fees and wizard pages show about one procedure, per situation.

        A situation is a route: its heading says what to do, its lead-in for whom; inside it each step,
        document, fee and delay is listed once, with a short lead-in only where it applies to some of
        the visitors who take that route. All of it is read off the engine's own answer paths.
        """
        procedure = self.content.procedures[procedure_id]
        words = self.words
        paths = [
            (dict(answers), outcome)
            for answers, outcome in answer_trees.paths(procedure, self.content.on, post=self.post_data)
            if outcome["status"] == "outcome"
        ]
        who = _Situations(procedure, paths, words)
        # The page cites the procedure's sources and the post's (its facts fill the page).
        post_sources = [self.content.sources[sid] for sid in self.post_data.get("sources", [])]
        sources = list({s["id"]: s for s in procedure.get("sources", []) + post_sources}.values())
        return {
            "id": procedure_id,
            "title": words.text(procedure["title"]),
            "summary": words.text(procedure.get("summary")),
            "who": words.text(procedure.get("who")),
            "routes": [self.route(procedure, route, paths, who) for route in procedure["routes"]],
            "fees": self.fees(procedure, paths, who),
            "validity": [
                {
                    "label": words.fill("validity_years", years=v["years"]),
                    "only_if": who.lead_in(lambda o, vid=v["id"]: (o["validity"] or {}).get("id") == vid),
                }
                for v in procedure.get("validity", [])
            ],
            "warnings": [
                {"text": words.text(w["text"]), "only_if": who.lead_in(lambda o, wid=w["id"]: wid in o["warnings"])}
                for w in procedure.get("warnings", [])
            ],
            "related": [
                {"id": rid, "title": words.text(self.content.procedures[rid]["title"])}
                for rid in procedure.get("related", [])
                if rid in self.content.procedures
            ],
            "good_to_know": self.good_to_know(procedure, sources),
            "sources": [self.source(s) for s in sources],
            "jsonld": Markup(json_script(government_service(procedure, self.post_data, words, paths))),
        }

    def good_to_know(self, procedure, sources):
        """What the regulation on the Single Digital Gateway asks the page to say that its situations do
        not (pipeline/sdg.py): the competent authority and its contact details, then each item of the
        procedure's `sdg:` block in a fixed order, the items no source gives in one list (ask the
        post), and the date of the last review."""
        words = self.words
        post = self.post_data
        rows = [
            {
                "key": "authority",
                "label": words["sdg_authority"],
                "text": words.text(post["name"]),
                "contact": contact_view(post, words),
                "offices": [office_view(office, words) for office in procedure.get("offices", [])],
            }
        ]
        block = procedure.get("sdg", {})
        unknown = []
        for item in sdg.ITEMS:
            if sdg.own_list(procedure, item):
                continue
            row = self.sdg_item(item, block.get(item.key))
            if row is None:
                unknown.append(words[item.label])
            else:
                rows.append(row)
        if unknown:
            rows.append(
                {
                    "key": "not-published",
                    "label": words["sdg_not_published"],
                    "items": unknown,
                    "text": words.fill("sdg_ask_post", post=words.text(post["name"])),
                }
            )
        last = block.get("reviewed") or sdg.reviewed(sources)
        if last:
            rows.append({"key": "reviewed", "label": words["sdg_reviewed"], "text": self.date(last)})
        return [dict({"example": False, "contact": None, "offices": [], "items": []}, **row) for row in rows]

    def sdg_item(self, item, given):
        """One item as the page shows it, {key, label, text, example}; None when no source gives it
        (a missing item too: `check` warns about it, and the page never guesses)."""
        words = self.words
        way = sdg.way_given(given)
        if way == "value" and item.key == "languages":
            text, example = words.join(sdg.language_names(given["value"], self.lang), "and"), given.get("example")
        elif way == "value":
            text, example = words.text(given["value"]), given.get("example")
        elif way == "fact" and (shown := fact_view(self.post_data, given["fact"], words)):
            text, example = shown["value"], shown["example"]
        elif way == "not_applicable":
            text, example = words["sdg_not_applicable"], False
        else:
            return None
        return {"key": item.key, "label": words[item.label], "text": text, "example": bool(example)}

    def route(self, procedure, route, paths, who):
        """One situation: the route's title, for whom, and what applies on the paths that reach it."""
        words = self.words
        rid = route["id"]
        mine = [(answers, outcome) for answers, outcome in paths if outcome["route"] == rid]
        offices = {o["id"]: o for o in procedure.get("offices", [])}
        timing = {item["id"]: item for item in route.get("timing", []) + procedure.get("timing", [])}
        charged = {fee["id"] for _, outcome in mine for fee in outcome["fees"]}
        delays = [
            dict(
                timing_view(shown, words.text(timing[shown["id"]]["label"]), self.post_data, words),
                only_if=who.lead_in(lambda o, tid=shown["id"]: any(x["id"] == tid for x in o["timing"]), among=mine),
                ready_on=None,  # a ready date belongs to one application date: the wizard's
                holidays=None,
            )
            for shown in _first_of_each(outcome["timing"] for _, outcome in mine)
        ]
        return {
            "id": rid,
            "title": words.text(route["title"]),
            "for_whom": who.lead_in(lambda o: o["route"] == rid),
            "steps": steps_html(
                [
                    {
                        "text": words.text(step["text"]),
                        "office": self.office(offices.get(step.get("office"))),
                        "action": action_view(step.get("action"), self.post_data, words),
                        "only_if": who.lead_in(lambda o, sid=step["id"]: sid in o["steps"], among=mine),
                    }
                    for step in route.get("steps", [])
                    if any(step["id"] in outcome["steps"] for _, outcome in mine)
                ],
                words,
            ),
            "documents": [
                {
                    "label": words.text(d["label"]),
                    "only_if": who.lead_in(lambda o, did=d["id"]: did in o["documents"], among=mine),
                }
                for d in procedure.get("documents", [])
                if any(d["id"] in outcome["documents"] for _, outcome in mine)
            ],
            "fees": [fee for fee in self.fees(procedure, mine, who, among=mine) if fee["id"] in charged],
            "costs": [
                words.text(c["label"])
                for c in procedure.get("costs", [])
                if any(c["id"] in outcome.get("costs", []) for _, outcome in mine)
            ],
            "timing": timing_html(delays, words) if delays else "",
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

    def office(self, office):
        return office_view(office, self.words)

    def fees(self, procedure, paths, who, among=None):
        """One row per fee the given answer paths charge on the build date, in the procedure's order.

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
                    "label": self.words.text(fee["label"]),
                    "for_whom": who.lead_in(
                        lambda o, fid=fee["id"]: any(f["id"] == fid for f in o["fees"]), among=among
                    ),
                    "amount": self.money(shown["amount"], shown["currency"]),
                    "from": None if value.get("since_checked") else self.date(shown["from"]),
                    "example": shown["example"],
                    "change": change,
                }
            )
        return rows


def _first_of_each(groups):
    """The first item of each id, in the order met, across several lists of engine items."""
    seen = {}
    for items in groups:
        for item in items:
            seen.setdefault(item["id"], item)
    return list(seen.values())


class _Situations:
    """For whom an item is, in plain words, read off the engine's answer paths (no second interpreter
    of `when`): "Age: under 12 or 12 to 17; Procedure: urgent".

    Only the questions whose answers tell the visitors it applies to from those it does not are
    named, each by its short label (`short:` in the YAML, else the question). If such a product of
    answers does not describe the paths exactly, every answer of the questions the item depends on
    is listed instead, so a lead-in is never wrong, at worst long.
    """

    def __init__(self, procedure, paths, words):
        self.procedure = procedure
        self.paths = paths
        self.words = words

    def lead_in(self, appears, among=None):
        """None when the item applies on every path `among` (default: all); else who it applies to.

        Only answers that tell the paths apart are named, and of those the fewest that still describe
        exactly the paths where the item appears ("Where: at this embassy" already implies "Registered:
        yes", which that question needs): a lead-in is short, and never wrong.
        """
        among = self.paths if among is None else among
        shown = [answers for answers, outcome in among if appears(outcome)]
        if len(shown) == len(among):
            return None
        chosen = {}
        for question in self.procedure["questions"]:
            qid = question["id"]
            values = {answers.get(qid) for answers in shown}
            if None in values or values == {answers.get(qid) for answers, _ in among} - {None}:
                continue
            chosen[qid] = values
        if not self._describes(chosen, among, shown):
            chosen = {
                q["id"]: {answers.get(q["id"]) for answers in shown}
                for q in self.procedure["questions"]
                if None not in {answers.get(q["id"]) for answers in shown}
                and len({answers.get(q["id"]) for answers, _ in among}) > 1
            }
        else:
            for qid in list(chosen):  # earliest first: a later, narrower answer implies an earlier one
                fewer = {q: v for q, v in chosen.items() if q != qid}
                if fewer and self._describes(fewer, among, shown):
                    chosen = fewer
        questions = {q["id"]: q for q in self.procedure["questions"]}
        return "; ".join(self._row(questions[qid], values) for qid, values in chosen.items()) or None

    @staticmethod
    def _describes(chosen, among, shown):
        """True when the paths of `among` whose answers are in `chosen` are exactly the `shown` ones."""
        return sum(all(answers.get(q) in v for q, v in chosen.items()) for answers, _ in among) == len(shown)

    def _row(self, question, values):
        labels = [self.words.text(o["label"]) for o in question["options"] if o["id"] in values]
        name = self.words.text(question.get("short") or question["text"])
        return f"{name}: {self.words.join(labels)}"


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
