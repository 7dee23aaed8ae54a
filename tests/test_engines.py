"""The wizard in every browser engine a visitor may have: Chromium, Firefox and WebKit, over http and
from disk (the USB copy), with JavaScript on and off. Debian's browsers only, nothing downloaded:
Firefox ESR through WebDriver BiDi (puppeteer-core), WebKitGTK through Selenium and WebKitWebDriver
under xvfb-run (tests/engine_drivers.py); Chromium through Playwright (tests/browser_checks.py).

Every answer is given by clicking the label a visitor reads, in the page's language, read from the
YAML; every result is compared with the engine's own outcome and with the seeds' figures. A visit
fails on any console error or warning, uncaught exception, CSP violation, dialog or request that
leaves the site. A browser that is not installed is a failure, never a skip.

The default run has one seed scenario per engine × scheme, the links without JavaScript per engine
and the USB copy per engine, each engine's visits in one session of it (one test per engine);
`-m slow` adds every seed scenario in every engine and scheme.
"""

import datetime
import re
import zipfile

import pytest

import engine_drivers
from browser_checks import Tab
from site_helpers import DATE, http_server, shared_site, shared_usb
from wizard.engine import evaluate
from wizard.present import outcome_view
from wizard.presentation import text

# The seeds' scenarios: post, procedure, answers (question id, option id), and what the seed says.
SEEDS = {
    "stateless-12-17-super-urgent": {
        "post": "example-municipality",
        "procedure": "travel-document",
        "answers": [("status", "stateless"), ("age", "minor-12-17"), ("speed", "super-urgent")],
        "total": "285.00",
    },
    "other-foreigner-needs-permission": {
        "post": "example-municipality",
        "procedure": "travel-document",
        "answers": [("status", "other-foreigner"), ("age", "adult"), ("speed", "standard")],
        "route": "permission-first",
    },
    "passport-under-6-by-post": {
        "post": "astana",
        "procedure": "passport",
        "answers": [
            ("registered", "yes"),
            ("service", "new-passport"),
            ("place", "this-post"),
            ("age", "under-6"),
            ("current-passport", "has-passport"),
            ("parental-authority", "both-parents"),
        ],
        "route": "by-post-under-6",
    },
}
# The default run: one seed per engine × scheme, so that together they cover all three.
DEFAULT = {
    ("firefox", "http"): "stateless-12-17-super-urgent",
    ("firefox", "file"): "passport-under-6-by-post",
    ("webkit", "http"): "other-foreigner-needs-permission",
    ("webkit", "file"): "stateless-12-17-super-urgent",
}
ENGINES = ("firefox", "webkit")


@pytest.fixture(scope="module")
def site():
    return shared_site()[0]


@pytest.fixture(scope="module")
def recorded(site, tmp_path_factory):
    """The site, each page recording its own problems (for WebKit, whose driver shows no console)."""
    return engine_drivers.recorded_copy(site, tmp_path_factory.mktemp("recorded") / "site")


@pytest.fixture(scope="module")
def served(site, recorded):
    """{"plain": address of the site, "recorded": address of the recorded copy}, over http."""
    with http_server(site) as plain, http_server(recorded) as copy:
        yield {"plain": plain, "recorded": copy}


@pytest.fixture(scope="module")
def usb(tmp_path_factory):
    """The USB copy as a visitor gets it: `build.py usb`, its zip unpacked into a fresh folder."""
    out = tmp_path_factory.mktemp("usb")
    archive = next(shared_usb().glob("*.zip"))
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "stick")
    return next((out / "stick").iterdir())


def base_of(engine, scheme, site, recorded, served):
    """Where an engine opens the site: WebKit gets the recorded copy (its pages report themselves)."""
    if scheme == "http":
        return served["recorded" if engine == "webkit" else "plain"]
    return (recorded if engine == "webkit" else site).resolve().as_uri() + "/"


def visit_of(content, seed_name, base, lang="en", javascript=True, from_index=False):
    """The visit (tests/engine_drivers.py) of a seed scenario: labels and buttons read from the YAML."""
    seed = SEEDS[seed_name]
    procedure = content.procedures[seed["procedure"]]
    words = content.words(lang)
    labels = []
    for question_id, option_id in seed["answers"]:
        question = next(q for q in procedure["questions"] if q["id"] == question_id)
        labels.append(text(next(o for o in question["options"] if o["id"] == option_id)["label"], lang))
    page = f"{seed['post']}/{lang}/wizard-{seed['procedure']}.html"
    visit = {"name": seed_name, "bases": [base], "javascript": javascript}
    if from_index:  # as from a stick: the root index, the post in this language, the wizard's start button
        visit["url"] = base + "index.html"
        visit["follow"] = [
            (f'a[hreflang="{lang}"]', text(content.posts[seed["post"]]["name"], lang)),
            # The start button's text names the procedure (visually hidden after "Start now").
            ("a.md-button", f"{words['start_wizard']}: {text(procedure['title'], lang)}"),
        ]
    else:
        visit["url"] = base + page + (f"#on={DATE}" if javascript else "")
    if javascript:
        visit["steps"] = [{"choose": label, "continue": words["continue"]} for label in labels]
    else:
        visit["steps"] = [{"link": label} for label in labels]
    return visit


def check(report, content, seed_name, lang="en", javascript=True):
    """The visit ended on the engine's outcome with the seed's figures, and nothing went wrong."""
    name = report["name"]
    assert "error" not in report, f"{name}: {report['error']}"
    problems = [f"{kind}: {what} (on {where})" for kind, what, where in report["problems"]]
    assert not problems, f"{name}: {len(problems)} problem(s) in the browser:\n" + "\n".join(problems)
    seed = SEEDS[seed_name]
    pairs = dict(seed["answers"])
    procedure = content.procedures[seed["procedure"]]
    # The date the page worked with: the address's, else the build's (no JS) or the browser's clock.
    dated = "on=" in report["url"] or not javascript
    on = DATE if dated else datetime.date.today().isoformat()
    outcome = evaluate(procedure, pairs, on)
    view = outcome_view(procedure, outcome, content.words(lang), content.posts[seed["post"]])
    assert report["heading"].endswith(view["route"]["title"]), (name, report["heading"])
    if "route" in seed:
        assert outcome["route"] == seed["route"]
    for total in outcome["total"]:
        assert money(total["amount"]).search(report["total"]), (name, report["total"])
    if "total" in seed:
        assert money(seed["total"]).search(report["total"]), (name, report["total"])
    for document in view["documents"]:
        assert document["label"] in report["result"], (name, document["label"])
    assert report["scripted"] is javascript, f"{name}: scripts {'did not run' if javascript else 'ran'}"
    if javascript:
        fragment = "#" + "&".join(f"{q}={o}" for q, o in seed["answers"]) + (f"&on={DATE}" if dated else "")
        assert report["url"].endswith(fragment), (name, report["url"])


def money(amount):
    return re.compile(re.escape(amount).replace(r"\.", "[.,]") + r"\s*EUR")


def run(engine, visits):
    """Run visits in Firefox or WebKit; their reports, in order. A missing browser fails the test."""
    try:
        if engine == "firefox":
            return engine_drivers.firefox(visits)["visits"]
        reports = []
        for javascript in (True, False):
            chosen = [v for v in visits if v.get("javascript", True) is javascript]
            if chosen:
                with engine_drivers.WebKit(javascript=javascript) as webkit:
                    reports += [webkit.visit(v) for v in chosen]
        return sorted(reports, key=lambda r: [v["name"] for v in visits].index(r["name"]))
    except engine_drivers.BrowserMissing as error:
        pytest.fail(str(error))


# --- the default run --------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_the_seeds_over_http_and_from_disk_the_links_without_javascript_and_the_usb_copy(
    engine, content, site, recorded, served, usb, tmp_path
):
    """In one session of the engine (a browser start costs more than a visit): its seed scenario
    over http and from disk (DEFAULT), the links without JavaScript over http and from disk, and
    the USB copy (`build.py usb`, unpacked) opened at its index.html: post, language, wizard,
    a whole scenario. Each visit is checked on its own and named in any failure."""
    plain = "stateless-12-17-super-urgent"
    stick = usb if engine == "firefox" else engine_drivers.recorded_copy(usb, tmp_path / usb.name)
    visits = {}
    for scheme in ("http", "file"):
        base, seed = base_of(engine, scheme, site, recorded, served), DEFAULT[(engine, scheme)]
        visits[f"{scheme}: {seed}"] = (seed, visit_of(content, seed, base))
        visits[f"{scheme} without JavaScript: {plain}"] = (plain, visit_of(content, plain, base, javascript=False))
    on_stick = visit_of(content, plain, stick.resolve().as_uri() + "/", from_index=True)
    visits[f"USB copy: {plain}"] = (plain, on_stick)
    reports = run(engine, [dict(visit, name=name) for name, (_, visit) in visits.items()])
    assert sorted(r["name"] for r in reports) == sorted(visits)
    for report in reports:
        seed, visit = visits[report["name"]]
        check(report, content, seed, javascript=visit["javascript"])


def test_the_usb_copy_opened_from_disk_completes_a_scenario_in_chromium(content, usb, browser):
    """`build.py usb`, unpacked, opened at its index.html: post, language, wizard, a whole scenario."""
    seed = "stateless-12-17-super-urgent"
    report = chromium_visit(browser, visit_of(content, seed, usb.resolve().as_uri() + "/", from_index=True))
    check(report, content, seed)


def chromium_visit(browser, visit):
    """A visit in Chromium through Playwright, its problems recorded by browser_checks.Tab."""
    tab = Tab(browser, visit["bases"][0])
    page = tab.page
    page.goto(visit["url"])
    for selector, label in visit.get("follow", []):
        page.locator(selector, has_text=re.compile("^" + re.escape(label) + "$")).click()
        page.wait_for_load_state()
    page.wait_for_selector("#wizard.wizard--interactive #wizard-main", timeout=90_000)
    for step in visit["steps"]:
        before = page.locator("#wizard-heading").inner_text()
        page.locator("#wizard-main label", has_text=re.compile("^" + re.escape(step["choose"]) + "$")).click()
        page.get_by_role("button", name=step["continue"]).click()
        page.wait_for_function(
            "b => { const h = document.getElementById('wizard-heading'); return h && h.innerText !== b; }", arg=before
        )
    report = page.evaluate(
        """() => { const text = (s) => { const e = document.querySelector(s);
                                         return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null; };
                   return {heading: text('#wizard-heading'), total: text('.wizard-total'),
                           result: text('.wizard-result'), url: location.href,
                           scripted: document.documentElement.classList.contains('js')}; }"""
    )
    tab.close()  # fails on any problem the tab recorded
    return dict(report, name=visit["name"], problems=[])


# --- every seed, every engine and scheme (slow) -------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["http", "file"])
@pytest.mark.parametrize("engine", ENGINES)
def test_every_seed_scenario_in_every_engine(engine, scheme, content, site, recorded, served):
    base = base_of(engine, scheme, site, recorded, served)
    names = sorted(SEEDS)
    visits = [visit_of(content, name, base) for name in names]
    visits += [dict(visit_of(content, name, base, javascript=False), name=f"{name} (no JS)") for name in names]
    reports = run(engine, visits)
    for visit, report in zip(visits, reports, strict=True):
        check(report, content, visit["name"].removesuffix(" (no JS)"), javascript=visit["javascript"])
