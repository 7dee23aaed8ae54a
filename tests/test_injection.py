"""Content is text: a payload in any text of any YAML file never becomes markup or script.

A copy of the project gets, in every text field of every kind of YAML file (procedures, posts, hand-
written pages, the string catalogue, sources), a marker and one payload of tests/injection/
payloads.yaml (cycling, so every payload lands in every kind of file). The site is built, and every
page that shows such texts is opened in Chromium over http, the wizard clicked through with
JavaScript. On every page: no dialog, no script or element from a payload, no inline event handler,
no javascript: link, no uncaught error, no Content-Security-Policy violation; and every field's
text is on some page exactly as it was typed (in the text or in an attribute such as aria-label).
"""

import re
from pathlib import Path

import pytest
import yaml

from pipeline import layout
from pipeline.load import load_yaml
from pipeline.site import build_site
from site_helpers import DATE, copy_project, http_server
from wizard.paths import all_prefixes

HERE = Path(__file__).parent
PAYLOADS = yaml.safe_load((HERE / "injection" / "payloads.yaml").read_text(encoding="utf-8"))
LANGUAGES = ["nl", "fr", "de", "en"]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# Text fields that are not shown as text: review states, and words used only as an accessible name
# of a hidden control or a data attribute are looked for in attributes instead (see COLLECT).
NOT_TEXT = ("translations",)
# What a page shows, as a visitor or a screen reader gets it: the text, the title, and the
# attributes that carry words; and what must never be there.
COLLECT = """() => {
  // A diagram wraps its labels across lines (its text alternative, the outline, has them whole):
  // its text counts by its <title> only.
  const diagrams = [...document.querySelectorAll('svg')];
  diagrams.forEach(d => { d.style.display = 'none'; });
  const body = document.body.innerText;
  diagrams.forEach(d => { d.style.display = ''; });
  const titles = [...document.querySelectorAll('svg title')].map(t => t.textContent);
  const attributes = [...document.querySelectorAll('[aria-label],[title],[alt],[data-loading]')]
    .flatMap(e => ['aria-label', 'title', 'alt', 'data-loading'].map(a => e.getAttribute(a)).filter(Boolean));
  const scripts = [...document.querySelectorAll('script:not([src])')].map(s => s.textContent)
    .filter(t => t.includes('alert('));
  const handlers = [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name));
  const links = [...document.querySelectorAll('[href],[src]')]
    .map(e => e.getAttribute('href') || e.getAttribute('src'))
    .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u) || u.includes('attacker.example'));
  return {text: [document.title, body, ...titles, ...attributes].join('\\n'),
          injected: [...scripts, ...handlers, ...links,
                     ...[...document.querySelectorAll('img[src=x], svg[onload], textarea')].map(e => e.outerHTML)]};
}"""
# Words of the catalogue that none of the shipped pages needs (path below content/ui.yaml).
NOT_SHOWN = {
    ("site", "unreviewed_translation", "nl"),  # Dutch is the authoritative text: it needs no notice
    *{
        ("facts", key, lang)
        for key in ("contact_address", "contact_website", "contact_opening_hours")
        for lang in LANGUAGES
    },  # no post has one
}
RECORD = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"""


def poison(value, fields, path):
    """`value` with every text replaced by a marker and a payload; `fields` gets {marker: (path, text)}."""
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGES) and all(isinstance(v, str) for v in value.values()):
            if path[-1] in NOT_TEXT:
                return value
            return {lang: poison_text(text, fields, (*path, lang)) for lang, text in value.items()}
        return {key: poison(item, fields, (*path, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [poison(item, fields, (*path, i)) for i, item in enumerate(value)]
    if isinstance(value, str) and path[-1] in ("title", "address"):  # sources' titles, offices' addresses
        return poison_text(value, fields, path)
    return value


def poison_text(original, fields, path):
    marker = f"F{len(fields):04d}"
    payload = PAYLOADS[len(fields) % len(PAYLOADS)]["text"]
    keep = " ".join(PLACEHOLDER.findall(original))  # the catalogue's {date}, {title}… stay usable
    fields[marker] = (path, f"{marker} {payload}")
    return f"{marker} {payload} {keep} "


def schedule_changes(data):
    """A fee that changes and one that ends after the test date: their announcements show too."""
    if isinstance(data, dict) and data.get("id") == "travel-document":
        data["fees"][0]["values"].append({"from": DATE[:4] + "-12-31", "amount": 80, "source": "seed-003"})
        data["fees"][1]["values"].append({"from": DATE[:4] + "-12-31", "amount": None, "source": "seed-003"})
    return data


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """(site folder, {marker: (file and key path, text)}): the project with every text poisoned, built."""
    root = copy_project(tmp_path_factory.mktemp("injection") / "project")
    fields = {}
    files = sorted((root / "procedures").glob("*.yaml")) + sorted((root / "content").rglob("*.yaml"))
    for file in files:
        data = schedule_changes(load_yaml(file).data)  # the project's own reading: `yes` stays text
        poisoned = poison(data, fields, (file.relative_to(root).as_posix(),))
        file.write_text(yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = root.parent / "site"
    build_site(root, out, on=DATE)
    return out, fields


def pages_to_open(site, content):
    """Every page a text can appear on: each post's pages in every language, the wizard's pages without
    JavaScript in one language (the same templates serve the others), and the root page."""
    pages = ["index.html"]
    for post_id, post in content.posts.items():
        for lang in LANGUAGES:
            folder = f"{post_id}/{lang}/"
            pages += [folder + p.name for p in sorted((site / post_id / lang).glob("*.html")) if p.name != "404.html"]
        for pid in post["procedures"]:
            for pairs in all_prefixes(content.procedures[pid], DATE)[1:]:
                pages.append(f"{post_id}/en/{layout.html(layout.wizard_page(pid, pairs))}")
    return pages


def visible(text):
    return " ".join(text.split())


def test_no_text_of_the_content_becomes_markup_or_script_and_every_text_shows_as_typed(browser, poisoned):
    from pipeline.model import load_content

    site, fields = poisoned
    content = load_content(site.parent / "project", on=DATE)
    seen, problems = [], []
    context = browser.new_context()
    dialogs = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page = context.new_page()
    page.add_init_script(RECORD)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with http_server(site) as base:
        for path in pages_to_open(site, content):
            page.goto(base + path)
            found = page.evaluate(COLLECT)
            seen.append(found["text"])
            problems += [f"{path}: {item}" for item in found["injected"]]
            problems += [f"{path}: CSP blocked {v}" for v in page.evaluate("window.__violations")]
        seen += wizard_clicked_through(page, base, content, problems)
    context.close()
    assert not dialogs, f"a payload opened a dialog: {dialogs[:5]}"
    assert not errors, errors[:5]
    assert not problems, "\n".join(problems[:20])
    everything = visible("\n".join(seen))
    # Wherever a text shows, it shows whole and as typed (an escaper that ate or added a character,
    # or an entity escaped twice, shows here).
    mangled = sorted(
        {
            m.group(1)
            for m in re.finditer(r"(F\d{4}) ", everything)
            if not everything.startswith(visible(fields[m.group(1)][1]), m.start())
        }
    )
    assert not mangled, [(m, fields[m]) for m in mangled[:8]]
    # And every text of the content shows somewhere.
    missing = [
        (marker, path)
        for marker, (path, text) in fields.items()
        if visible(text) not in everything and path[1:] not in NOT_SHOWN
    ]
    assert not missing, f"{len(missing)} of {len(fields)} texts shown nowhere, e.g. {missing[:8]}"


def wizard_clicked_through(page, base, content, problems):
    """Each procedure's wizard with JavaScript, as far as its words go: the error summary, a date of
    birth where an age is asked, the first option elsewhere, the result, its date form with an
    impossible date, and addresses with dates out of range or an unknown answer. Returns the texts."""
    seen = []

    def collect(where):
        found = page.evaluate(COLLECT)
        seen.append(found["text"])
        problems.extend(f"{where}: {item}" for item in found["injected"])

    def settle(before):
        page.wait_for_function(
            "b => { const h = document.getElementById('wizard-heading'); return h && h.innerText !== b; }",
            arg=before,
            timeout=30_000,
        )

    # The wizard's words are the same for every procedure: every language on one procedure that asks
    # everything (an age, fees that change), the other procedures in one language.
    runs = [(lang, "example-municipality", "travel-document") for lang in LANGUAGES]
    runs += [("en", post_id, pid) for post_id, post in content.posts.items() for pid in post["procedures"]]
    for lang, post_id, pid in dict.fromkeys(runs):
        start = f"{base}{post_id}/{lang}/wizard-{pid}.html"
        page.goto(f"{start}#on={DATE}")
        page.wait_for_selector("#wizard.wizard--interactive form", timeout=90_000)
        page.locator("button.wizard-continue").click()  # nothing chosen: the error summary
        page.wait_for_selector(".wizard-error-summary")
        collect(f"wizard {pid}, error summary")
        while page.locator("form.wizard-question").count():
            collect(f"wizard {pid}, question")
            before = page.locator("#wizard-heading").inner_text()
            form = page.locator("form.wizard-question")
            if form.locator("input[name=birth-day]").count():
                form.locator("input[name=birth-day]").fill("1")
                form.locator("input[name=birth-month]").fill("1")
                form.locator("input[name=birth-year]").fill("2000")
            else:
                form.locator("input[type=radio]").first.check()
            page.locator("button.wizard-continue").click()
            settle(before)
        collect(f"wizard {pid}, result")
        page.locator(".wizard-date-form summary").click()
        page.locator("input[name=on-day]").fill("31")
        page.locator("input[name=on-month]").fill("2")
        page.locator(".wizard-date-form button").click()
        page.wait_for_selector(".wizard-error-summary")
        collect(f"wizard {pid}, impossible date")
        too_early = ["#on=1999-01-01"] if content.procedures[pid].get("fees") else []  # before any fee
        for fragment in ["#on=9999-01-01", *too_early, "#nonsense=1"]:
            page.goto("about:blank")
            page.goto(start + fragment)
            page.wait_for_selector("#wizard.wizard--interactive .wizard-error-summary", timeout=90_000)
            collect(f"wizard {pid}, {fragment}")
    # Results and messages the first options do not reach, in every language: a ready date, a fee
    # that ends, a date of birth after the application date.
    for lang in LANGUAGES:
        for post_id, pid, fragment, wait in (
            (
                "oslo",  # knows its delivery time in working days: a ready date, the holidays counted
                "passport",
                "#registered=yes&service=new-passport&place=this-post&age=adult&current-passport=has-passport",
                ".wizard-result",
            ),
            ("example-municipality", "travel-document", "#status=refugee&age=adult&speed=urgent", ".wizard-result"),
            ("example-municipality", "travel-document", "#status=refugee&age=2030-01-01", ".wizard-error-summary"),
        ):
            page.goto("about:blank")
            page.goto(f"{base}{post_id}/{lang}/wizard-{pid}.html{fragment}&on={DATE}")
            page.wait_for_selector(f"#wizard.wizard--interactive {wait}", timeout=90_000)
            collect(f"wizard {pid} {lang}, {fragment}")
    return seen
