"""Content is text: a payload in any text of any YAML file never becomes markup or script.

A copy of the project gets, in every text field of every kind of YAML file (procedures, posts, hand-
written pages, the string catalogue, sources), a marker and one payload of tests/injection/
payloads.yaml (cycling, so every payload lands in every kind of file). The site is built, and every
page that shows such texts is opened in Chromium over http, the wizard clicked through with
JavaScript. On every page: no dialog, no script or element from a payload, no inline event handler,
no javascript: link, no uncaught error, no Content-Security-Policy violation; and every field's
text is on some page exactly as it was typed (in the text or in an attribute such as aria-label).

The poisoned site is built once per test run (in the run's shared folder, as site_helpers.shared_site),
and the pages and wizard runs are opened in parts that the test workers share out; the test that every
text shows somewhere reads all the parts' texts (opening any part no worker opened yet).
"""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline import layout
from pipeline.load import load_yaml
from pipeline.site import build_site
from site_helpers import DATE, copy_project, http_server, locked, run_folder
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
  // Data blocks (JSON-LD) hold the texts as JSON strings, never run: they must stay valid JSON.
  const data = 'script[type="application/ld+json"]';
  const scripts = [...document.querySelectorAll(`script:not([src]):not(${data})`)].map(s => s.textContent)
    .filter(t => t.includes('alert('));
  const broken = [...document.querySelectorAll(data)].flatMap(s => {
    try { JSON.parse(s.textContent); return []; } catch (e) { return ['JSON-LD that is no JSON: ' + e]; }
  });
  const handlers = [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name));
  const links = [...document.querySelectorAll('[href],[src]')]
    .map(e => e.getAttribute('href') || e.getAttribute('src'))
    .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u) || u.includes('attacker.example'));
  return {text: [document.title, body, ...titles, ...attributes].join('\\n'),
          injected: [...scripts, ...broken, ...handlers, ...links,
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
    *{("pages", "sdg_not_applicable", lang) for lang in LANGUAGES},  # no shipped item is 'not_applicable'
    # Words for facts no shipped post has: a delay in days or weeks, a fact unknown inside a text,
    # an unknown appointment system (every post gives an example one), a known fees page, and a
    # ready date across a holiday the `holidays` package only estimates (tests/test_closing_days.py).
    *{
        ("wizard", key, lang)
        for key in (
            "duration_days",
            "duration_weeks",
            "fact_not_known",
            "unknown_appointments",
            "rates_and_payment",
            "holidays_estimated",
        )
        for lang in LANGUAGES
    },
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


def poisoned_site():
    """(site folder, project folder, {marker: (file and key path, text)}): the project with every text
    poisoned, built once per test run into the run's shared folder (the first worker that asks
    builds it under a file lock; the others read the same build)."""
    folder = run_folder() / "injection"
    folder.mkdir(exist_ok=True)
    root, out, record = folder / "project", folder / "site", folder / "fields.json"
    with locked(folder / "build.lock"):
        if not record.exists():
            shutil.rmtree(folder / "project", ignore_errors=True)
            copy_project(root)
            fields = {}
            files = sorted((root / "procedures").glob("*.yaml")) + sorted((root / "content").rglob("*.yaml"))
            for file in files:
                data = schedule_changes(load_yaml(file).data)  # the project's own reading: `yes` stays text
                poisoned = poison(data, fields, (file.relative_to(root).as_posix(),))
                file.write_text(yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False), encoding="utf-8")
            build_site(root, out, on=DATE)
            record.write_text(json.dumps(fields), encoding="utf-8")
        fields = {marker: (tuple(path), text) for marker, (path, text) in json.loads(record.read_text()).items()}
    return out, root, fields


@pytest.fixture(scope="module")
def poisoned():
    """(site folder, its content, {marker: (file and key path, text)})."""
    from pipeline.model import load_content

    site, root, fields = poisoned_site()
    return site, load_content(root, on=DATE), fields


def editors_only_sources(project):
    """{("content/sources.yaml", index)} of the sources that content/glossary.yaml cites and no
    procedure, post or page does (under a `source:` or `sources:` key)."""

    def cited(value, key=None):
        if isinstance(value, dict):
            return set().union(*(cited(item, k) for k, item in value.items()))
        if isinstance(value, list):
            return set().union(*(cited(item, key) for item in value))
        return {value} if key in ("source", "sources") and isinstance(value, str) else set()

    files = sorted((project / "procedures").glob("*.yaml")) + sorted((project / "content").rglob("*.yaml"))
    used = set().union(*(cited(load_yaml(f).data) for f in files if f.name not in ("glossary.yaml", "sources.yaml")))
    sources = load_yaml(project / "content" / "sources.yaml").data
    return {("content/sources.yaml", i) for i, source in enumerate(sources) if source["id"] not in used}


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


def wizard_runs(content):
    """{(lang, post, procedure): what to do there} for the wizard with JavaScript, as far as its words
    go. The wizard's words are the same for every procedure: every language on one procedure that
    asks everything (an age, fees that change), the other procedures in one language, each clicked
    through (`click`: the error summary, a date of birth where an age is asked, the first option
    elsewhere, the result, its date form with an impossible date), then addresses with dates out of
    range or an unknown answer. Then results and messages the first options do not reach, in every
    language: a ready date, a fee that ends, a date of birth after the application date.

    One page load per (lang, post, procedure): the later addresses are given through the address's
    fragment, which the wizard answers as it answers one at page start (wizard.js: the same
    `render` call on `hashchange`)."""
    runs = {}
    clicked = [(lang, "example-municipality", "travel-document") for lang in LANGUAGES]
    clicked += [("en", post_id, pid) for post_id, post in content.posts.items() for pid in post["procedures"]]
    for lang, post_id, pid in clicked:
        too_early = ["#on=1999-01-01"] if content.procedures[pid].get("fees") else []  # before any fee
        runs[lang, post_id, pid] = {
            "click": True,
            "addresses": [(f, ".wizard-error-summary") for f in ["#on=9999-01-01", *too_early, "#nonsense=1"]],
        }
    for lang in LANGUAGES:
        for post_id, pid, fragment, wait in (
            (
                "oslo",  # knows its delivery time in working days: a ready date, the holidays counted
                "passport",
                "#registered=yes&service=new-passport&place=this-post&age=adult&current-passport=has-passport",
                ".wizard-result",
            ),
            (
                "astana",  # does not know it: whom to ask instead
                "passport",
                "#registered=yes&service=new-passport&place=this-post&age=adult&current-passport=has-passport",
                ".wizard-result",
            ),
            ("example-municipality", "travel-document", "#status=refugee&age=adult&speed=urgent", ".wizard-result"),
            ("example-municipality", "travel-document", "#status=refugee&age=2030-01-01", ".wizard-error-summary"),
        ):
            run = runs.setdefault((lang, post_id, pid), {"click": False, "addresses": []})
            run["addresses"].append((f"{fragment}&on={DATE}", wait))
    return runs


def visible(text):
    return " ".join(text.split())


def mangled_texts(seen, fields):
    """The markers whose text shows, somewhere in `seen`, otherwise than whole and as typed (an
    escaper that ate or added a character, or an entity escaped twice)."""
    everything = visible("\n".join(seen))
    return sorted(
        {
            m.group(1)
            for m in re.finditer(r"(F\d{4}) ", everything)
            if not everything.startswith(visible(fields[m.group(1)][1]), m.start())
        }
    )


class Collector:
    """One browser context that records dialogs, uncaught errors and CSP violations, and every
    text and injected thing (COLLECT) of the documents it is asked about."""

    def __init__(self, browser):
        self.seen, self.problems, self.dialogs, self.errors = [], [], [], []
        self.context = browser.new_context()
        self.context.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page = self.context.new_page()
        self.page.add_init_script(RECORD)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # The page's requests still open: the next page waits for them (see collect).
        self.open = set()
        self.page.on("request", lambda request: self.open.add(request))
        self.page.on("requestfinished", lambda request: self.open.discard(request))
        self.page.on("requestfailed", lambda request: self.open.discard(request))

    def collect(self, where):
        found = self.page.evaluate(COLLECT)
        self.seen.append(found["text"])
        self.problems.extend(f"{where}: {item}" for item in found["injected"])
        self.problems.extend(f"{where}: CSP blocked {v}" for v in self.page.evaluate("window.__violations"))
        self.page.evaluate("window.__violations = []")
        self.quiet()

    def quiet(self, most_ms=5_000):
        """Until the page's requests have finished (at most `most_ms`): a next page opened while one
        is open aborts it, and Material's request helper raises that as an uncaught "Network error"
        of the page being left, a visitor's own doing that this harness would count as the page's
        fault. Usually nothing is open and this returns at once."""
        waited = 0
        while self.open and waited < most_ms:
            self.page.wait_for_timeout(20)
            waited += 20

    def close(self):
        self.context.close()
        return {"seen": self.seen, "problems": self.problems, "dialogs": self.dialogs, "errors": self.errors}


def shared_result(name, compute):
    """compute(), once per test run: the first process that asks runs it (under a file lock) and keeps
    its result in the run's shared folder, where every later ask reads it. A failed compute keeps
    nothing (the next ask runs it again, and fails as loudly)."""
    folder = run_folder() / "injection"
    folder.mkdir(exist_ok=True)
    record = folder / f"{name}.json"
    with locked(folder / f"{name}.lock"):
        if not record.exists():
            record.write_text(json.dumps(compute()), encoding="utf-8")
        return json.loads(record.read_text(encoding="utf-8"))


def open_pages(browser, site, pages):
    collector = Collector(browser)
    with http_server(site) as base:
        for path in pages:
            collector.page.goto(base + path)
            collector.collect(path)
    return collector.close()


def click_through(browser, site, content, runs):
    collector = Collector(browser)
    page = collector.page

    def settle(before):
        page.wait_for_function(
            "b => { const h = document.getElementById('wizard-heading'); return h && h.innerText !== b; }",
            arg=before,
            timeout=30_000,
        )

    def by_fragment(fragment, wait):
        """The wizard answers a new fragment of the address (hashchange) with a new step."""
        page.evaluate("() => { const h = document.getElementById('wizard-heading'); if (h) h.dataset.old = '1'; }")
        page.evaluate("f => { location.hash = f; }", fragment)
        page.wait_for_function(
            """s => { const h = document.getElementById('wizard-heading');
                      return h && !h.dataset.old && document.querySelector(s); }""",
            arg=f"#wizard.wizard--interactive {wait}",
            timeout=30_000,
        )

    with http_server(site) as base:
        for (lang, post_id, pid), run in runs:
            start = f"{base}{post_id}/{lang}/wizard-{pid}.html"
            addresses = list(run["addresses"])
            if run["click"]:
                page.goto(f"{start}#on={DATE}")
                page.wait_for_selector("#wizard.wizard--interactive form", timeout=90_000)
                page.locator("button.wizard-continue").click()  # nothing chosen: the error summary
                page.wait_for_selector(".wizard-error-summary")
                collector.collect(f"wizard {pid} {lang}, error summary")
                while page.locator("form.wizard-question").count():
                    collector.collect(f"wizard {pid} {lang}, question")
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
                collector.collect(f"wizard {pid} {lang}, result")
                page.locator(".wizard-date-form summary").click()
                page.locator("input[name=on-day]").fill("31")
                page.locator("input[name=on-month]").fill("2")
                page.locator(".wizard-date-form button").click()
                page.wait_for_selector(".wizard-error-summary")
                collector.collect(f"wizard {pid} {lang}, impossible date")
            else:
                fragment, wait = addresses.pop(0)
                page.goto(start + fragment)
                page.wait_for_selector(f"#wizard.wizard--interactive {wait}", timeout=90_000)
                collector.collect(f"wizard {pid} {lang}, {fragment}")
            for fragment, wait in addresses:
                by_fragment(fragment, wait)
                collector.collect(f"wizard {pid} {lang}, {fragment}")
    return collector.close()


# The work is cut in parts that the test workers share out; each part is opened once per run.
PAGE_PARTS = 3
WIZARD_PARTS = 3


def part(browser, poisoned, kind, number):
    """What one part of the pages (kind "pages") or of the wizard runs (kind "wizard") showed."""
    site, content, _ = poisoned
    if kind == "pages":
        pages = pages_to_open(site, content)[number::PAGE_PARTS]
        return shared_result(f"pages-{number}", lambda: open_pages(browser, site, pages))
    runs = sorted(wizard_runs(content).items())[number::WIZARD_PARTS]
    return shared_result(f"wizard-{number}", lambda: click_through(browser, site, content, runs))


PARTS = [("pages", n) for n in range(PAGE_PARTS)] + [("wizard", n) for n in range(WIZARD_PARTS)]


@pytest.mark.parametrize(("kind", "number"), PARTS, ids=[f"{kind}-{number}" for kind, number in PARTS])
def test_no_text_of_the_content_becomes_markup_or_script_and_every_text_shows_as_typed(browser, poisoned, kind, number):
    """One part of the pages (every page a text can appear on) or of the wizard's runs: no dialog,
    no uncaught error, nothing of a payload in the document, no CSP violation; and wherever a text
    shows, it shows whole and as typed."""
    found = part(browser, poisoned, kind, number)
    assert found["seen"], "nothing was opened"
    assert not found["dialogs"], f"a payload opened a dialog: {found['dialogs'][:5]}"
    assert not found["errors"], found["errors"][:5]
    assert not found["problems"], "\n".join(found["problems"][:20])
    fields = poisoned[2]
    mangled = mangled_texts(found["seen"], fields)
    assert not mangled, [(m, fields[m]) for m in mangled[:8]]


def test_every_text_of_the_content_shows_somewhere(browser, poisoned):
    """Every text of every YAML file is on some page or wizard step (all the parts together: a part
    another worker opened is read from the run's shared folder, one nobody opened yet is opened)."""
    fields = poisoned[2]
    everything = visible("\n".join(text for kind, n in PARTS for text in part(browser, poisoned, kind, n)["seen"]))
    # The titles of the sources only the glossary cites are editors' references, on no visitor's page.
    editorial = editors_only_sources(poisoned[1].root)
    missing = [
        (marker, path)
        for marker, (path, text) in fields.items()
        if visible(text) not in everything and path[1:] not in NOT_SHOWN and path[:2] not in editorial
    ]
    where = sorted({path[:-1] if path[0] == "content/ui.yaml" else path for _, path in missing})
    assert not missing, f"{len(missing)} of {len(fields)} texts shown nowhere: {where}"
