"""The editors' section: per post and language one page, last in the navigation, that draws every
procedure's answer-path tree (inline SVG, no script, nothing fetched) and writes it out as a nested
list, with the editing workflow in the page's language.

Expected values come from the content and the engine's own path walk (wizard.paths), so the page is
checked against what the wizard really asks, not against a copy of the diagram code.
"""

import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from site_helpers import DATE, ROOT, references, shared_site
from wizard.paths import enumerate_paths
from wizard.present import text

LANGUAGES = ["nl", "fr", "de", "en"]
SVG = "{http://www.w3.org/2000/svg}"
# The words of the section, all from content/ui.yaml.
UI_KEYS = [
    "editors_title",
    "editors_intro",
    "flow_explained",
    "flow_caption",
    "flow_outline_title",
    "flow_route",
    "editors_workflow_title",
    "editors_workflow",
]


@pytest.fixture(scope="session")
def site():
    return shared_site()[0]


@pytest.fixture(scope="session")
def site_content():
    from pipeline.model import load_content

    return load_content(ROOT, on=DATE)


def pages(site_content):
    return [(post_id, lang) for post_id in site_content.posts for lang in LANGUAGES]


def article(site, post_id, lang):
    body = (site / post_id / lang / "editors.html").read_text(encoding="utf-8")
    return re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', body, flags=re.S).group(1)


def sections(site, post_id, lang):
    """The article cut at its <h2>s: [intro, one per procedure..., workflow]."""
    return re.split(r"(?=<h2 )", article(site, post_id, lang))


def visible(fragment):
    fragment = re.sub(r"</?code>", "", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def squash(value):
    """A label without whitespace: the diagram wraps lines (also after hyphens), never drops a character."""
    return "".join(value.split())


def tree(procedure):
    """The answer-path tree as Counters: questions asked, options offered (edges), routes reached (leaves)."""
    paths = enumerate_paths(procedure, DATE)
    asked, offered = {}, {}
    for answers, _ in paths:
        for i, (question_id, option_id) in enumerate(answers):
            asked[tuple(answers[:i])] = question_id
            offered[tuple(answers[: i + 1])] = (question_id, option_id)
    leaves = Counter(outcome["route"] for _, outcome in paths)
    return Counter(asked.values()), Counter(offered.values()), leaves


def labels(procedure, lang):
    questions = {q["id"]: q for q in procedure["questions"]}
    return {
        "question": {qid: text(q["text"], lang) for qid, q in questions.items()},
        "option": {(qid, o["id"]): text(o["label"], lang) for qid, q in questions.items() for o in q["options"]},
        "route": {r["id"]: text(r["title"], lang) for r in procedure["routes"]},
    }


def drawn(svg):
    """The SVG's boxes and edges: [(kind, [lines])], kind one of question, route, error, option."""
    shapes = []
    for element in svg:
        if element.tag == f"{SVG}rect":
            shapes.append((element.get("class").removeprefix("flow-"), []))
        elif element.tag == f"{SVG}path":
            shapes.append(("option", []))
        elif element.tag == f"{SVG}text":
            shapes[-1][1].append("".join(element.itertext()))
    return shapes


# --- the page and its place in the site ------------------------------------------------------------


def test_every_post_and_language_has_an_editors_page_linked_from_its_home_page_not_the_visitors_menu(
    site, site_content
):
    for post_id, lang in pages(site_content):
        folder = site / post_id / lang
        assert (folder / "editors.html").is_file(), (post_id, lang)
        home = (folder / "index.html").read_text(encoding="utf-8")
        # The navigation's page links (its in-page links to headings start with #): visitors' pages only.
        links = re.findall(r'<a href="([^"#][^"]*)" class="md-nav__link', home)
        assert links and "editors.html" not in links, (post_id, lang, links)
        assert re.search(r'<p class="other-posts">.*<a href="editors.html">', home), (post_id, lang)
        title = site_content.words(lang)["editors_title"]
        page = article(site, post_id, lang)
        assert re.search(rf"<h1[^>]*>{re.escape(html.escape(title, quote=False))}</h1>", page), (post_id, lang)


def test_the_editors_page_loads_nothing_from_outside_and_stays_out_of_search(site, site_content):
    for post_id, lang in pages(site_content):
        page = site / post_id / lang / "editors.html"
        for tag, _, value in references(page):
            assert not re.match(r"(https?:)?//", value), (post_id, lang, tag, value)
        index = json.loads((site / post_id / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert not [d for d in index["docs"] if d["location"].startswith("editors.html")], (post_id, lang)
        assert "<script" not in article(site, post_id, lang)


def test_every_word_around_the_diagrams_comes_from_the_ui_strings_in_each_language(site, site_content):
    for key in UI_KEYS:
        assert all(key in site_content.words(lang) for lang in LANGUAGES), key
    for post_id, lang in pages(site_content):
        shown = visible(article(site, post_id, lang))
        ui = {key: site_content.words(lang)[key] for key in UI_KEYS}
        for key in (
            "editors_title",
            "editors_intro",
            "flow_explained",
            "flow_outline_title",
            "editors_workflow_title",
            "editors_workflow",
        ):
            assert ui[key] in shown, (post_id, lang, key)
        for command in ("python build.py check", "python build.py diff main"):
            assert command in shown, (post_id, lang, command)


# --- one diagram per procedure --------------------------------------------------------------------


def test_one_accessible_svg_per_procedure_names_every_question_option_and_reachable_route(site, site_content):
    for post_id, lang in pages(site_content):
        post = site_content.posts[post_id]
        parts = sections(site, post_id, lang)
        assert len(parts) == len(post["procedures"]) + 2, (post_id, lang)
        ids = re.findall(r'\sid="([^"]+)"', article(site, post_id, lang))
        assert len(ids) == len(set(ids)), (post_id, lang, "duplicate ids")
        for pid, part in zip(post["procedures"], parts[1:-1], strict=False):
            procedure = site_content.procedures[pid]
            title = text(procedure["title"], lang)
            caption = site_content.words(lang)["flow_caption"].replace("{title}", title)
            where = (post_id, lang, pid)
            assert visible(re.search(r"<h2[^>]*>.*?</h2>", part, flags=re.S).group(0)) == title, where

            figures = re.findall(r"<figure[^>]*>.*?</figure>", part, flags=re.S)
            assert len(figures) == 1, where
            figure = figures[0]
            assert "\n\n" not in figure and "<p>" not in figure, where  # one raw HTML block, untouched
            assert visible(re.search(r"<figcaption>.*?</figcaption>", figure, flags=re.S).group(0)).startswith(caption)
            assert re.search(r'<div class="flow-scroll" tabindex="0" role="region" aria-label="[^"]+">', figure), where

            svgs = re.findall(r"<svg .*?</svg>", figure, flags=re.S)
            assert len(svgs) == 1, where
            svg = ET.fromstring(svgs[0])
            assert svg.get("role") == "img", where
            titles = svg.findall(f"{SVG}title")
            assert len(titles) == 1 and titles[0].get("id") == svg.get("aria-labelledby"), where
            assert titles[0].text == caption, where
            assert not [
                e
                for e in svg.iter()
                if e.tag in (f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject")
                or any("href" in name for name in e.attrib)
            ], where

            asked, offered, leaves = tree(procedure)
            names = labels(procedure, lang)
            shapes = drawn(svg)
            found = {
                kind: Counter(squash("".join(lines)) for k, lines in shapes if k == kind)
                for kind in ("question", "option", "route", "error")
            }
            assert not found["error"], where
            assert found["question"] == Counter({squash(names["question"][q]): n for q, n in asked.items()}), where
            expected_options = Counter()
            for edge, n in offered.items():
                expected_options[squash(names["option"][edge])] += n
            assert found["option"] == expected_options, where
            expected_routes = Counter()
            for route, n in leaves.items():
                expected_routes[squash(names["route"][route])] += n
            assert found["route"] == expected_routes, where
            # Every question of the procedure is asked somewhere, every route is reached (or would show here).
            assert set(asked) == {q["id"] for q in procedure["questions"]}, where
            assert set(leaves) == {r["id"] for r in procedure["routes"]}, where


def test_the_outline_writes_out_the_same_tree_with_every_option(site, site_content):
    for post_id, lang in pages(site_content):
        post = site_content.posts[post_id]
        route_label = site_content.words(lang)["flow_route"]
        for pid, part in zip(post["procedures"], sections(site, post_id, lang)[1:-1], strict=False):
            procedure = site_content.procedures[pid]
            where = (post_id, lang, pid)
            outline = part.split("</figure>", 1)[1]
            assert (
                visible(re.search(r"<h3[^>]*>.*?</h3>", outline, flags=re.S).group(0))
                == site_content.words(lang)["flow_outline_title"]
            ), where
            items = Counter(visible(item) for item in re.findall(r"<li>(.*?)(?=<ul>|</li>)", outline, flags=re.S))
            asked, offered, leaves = tree(procedure)
            names = labels(procedure, lang)
            expected = Counter()
            for question, n in asked.items():
                expected[f"{names['question'][question]} ({question})"] += n
            for (question, option), n in offered.items():
                expected[f"{names['option'][(question, option)]} ({option})"] += n
            for route, n in leaves.items():
                expected[f"{route_label}: {names['route'][route]} ({route})"] += n
            assert items == expected, where
            for question in procedure["questions"]:
                for option in question["options"]:
                    assert items[f"{text(option['label'], lang)} ({option['id']})"] >= 1, (*where, option["id"])


# --- legibility -----------------------------------------------------------------------------------


def _luminance(colour):
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one, other):
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_diagram_text_has_at_least_4_5_to_1_contrast_on_its_boxes_and_the_page():
    css = (ROOT / "pipeline" / "theme" / "assets" / "site.css").read_text(encoding="utf-8")
    fill = {name: value for name, value in re.findall(r"\.flow \.flow-([a-z]+) \{[^}]*?fill: (#[0-9a-fA-F]{3,6})", css)}
    assert {"text", "option", "question", "route", "error"} <= set(fill), fill
    for box in ("question", "route", "error"):
        assert _contrast(fill["text"], fill[box]) >= 4.5, box
    # Option labels stand on the page itself (Material's default scheme: white).
    assert _contrast(fill["option"], "#ffffff") >= 4.5
    assert "scheme: default" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
