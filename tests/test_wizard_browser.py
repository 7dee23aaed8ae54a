"""The wizard as a visitor uses it: headless Chromium (Debian's, via Playwright) on the built site,
over http and from disk (file://), with JavaScript on and off, by mouse and by keyboard alone.

Every answer is given by clicking the visible label (or link) a visitor reads, in the page's
language; the result shown is compared with the engine's own outcome and with the seeds' figures.
Every test also fails on a request leaving the site, an uncaught error, a console error or a
Content-Security-Policy violation. The site is the session's one build (site_helpers.shared_site,
on DATE); the wizard is told the application date through the address (#on=DATE) so that the fees
do not depend on the clock.
"""

import datetime
import re
from pathlib import Path

import pytest
import yaml

from browser_checks import Tab, axe
from site_helpers import DATE, ROOT, http_server, shared_site, shared_usb
from wizard.engine import evaluate
from wizard.paths import enumerate_paths
from wizard.present import outcome_view
from wizard.presentation import text

LANGUAGES = ["nl", "fr", "de", "en"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
READY = "#wizard.wizard--interactive"
HEADING = "#wizard-heading"
POST_OF = {"passport": "astana", "lost-passport": "oslo", "travel-document": "example-municipality"}
STATELESS_MINOR_SUPER_URGENT = [("status", "stateless"), ("age", "minor-12-17"), ("speed", "super-urgent")]
OTHER_FOREIGNER = [("status", "other-foreigner"), ("age", "adult"), ("speed", "standard")]
ADDRESSES = yaml.safe_load((Path(__file__).parent / "wizard_addresses.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site():
    return shared_site()[0]


@pytest.fixture(scope="module")
def base_http(site):
    with http_server(site) as url:
        yield url


@pytest.fixture
def bases(site, base_http):
    return {"http": base_http, "file": site.resolve().as_uri() + "/"}


class Visitor:
    """A browser tab (browser_checks.Tab: fails on any console error, uncaught exception, CSP
    violation, dialog or request leaving the site) that answers like a person."""

    def __init__(self, browser, base, content, lang="en", javascript=True):
        self.tab = Tab(browser, base, javascript=javascript)
        self.context, self.page = self.tab.context, self.tab.page
        # The visitor's device says it is the site's date: the wizard takes "today" from the device
        # (the application date unless the address names one, and the latest date it accepts), so
        # the expected figures hold on any day the suite runs, not only on DATE.
        self.context.clock.set_fixed_time(datetime.datetime.fromisoformat(f"{DATE}T12:00:00"))
        self.base, self.content, self.lang = base, content, lang
        self.words = content.words(lang)

    def open(self, procedure_id, fragment=f"#on={DATE}", interactive=True, post=None):
        url = f"{self.base}{post or POST_OF[procedure_id]}/{self.lang}/wizard-{procedure_id}.html{fragment}"
        if self.page.url != "about:blank":
            self.page.goto("about:blank")  # a new document, not just a new fragment of the same one
        self.page.goto(url)
        if interactive:
            self.page.wait_for_selector(f"{READY} #wizard-main", timeout=90_000)
            self.wait_rendered()

    def go_to_fragment(self, fragment):
        """Give the open wizard a new address fragment (no new page: the runtime already started);
        wait until it drew the step that address asks for (wizard.js renders on `hashchange` as it
        does at page start)."""
        self.page.evaluate("() => { document.getElementById('wizard-heading').dataset.old = '1'; }")
        self.page.evaluate("f => { location.hash = f; }", fragment)
        self.page.wait_for_function(
            "() => { const h = document.getElementById('wizard-heading'); return h && !h.dataset.old; }",
            timeout=30_000,
        )
        self.wait_rendered()

    def wait_rendered(self):
        """Until the step the address asks for is on the page (Python answers in Pyodide)."""
        self.page.wait_for_function(
            """() => { const root = document.getElementById('wizard');
                       return root && root.classList.contains('wizard--interactive')
                              && root.getAttribute('data-state') && document.getElementById('wizard-heading'); }""",
            timeout=30_000,
        )

    def heading(self):
        return self.page.locator(HEADING).inner_text()

    def wait_for_new_step(self, before):
        self.page.wait_for_function(
            "b => { const h = document.getElementById('wizard-heading'); return h && h.innerText !== b; }", arg=before
        )
        self.wait_rendered()

    def option_label(self, procedure_id, question_id, option_id):
        question = next(q for q in self.content.procedures[procedure_id]["questions"] if q["id"] == question_id)
        option = next(o for o in question["options"] if o["id"] == option_id)
        return text(option["label"], self.lang)

    def answer(self, procedure_id, question_id, option_id):
        """Click the option's visible label, then Continue; wait for the next step."""
        before = self.heading()
        self.page.locator(
            "#wizard-main label",
            has_text=re.compile("^" + re.escape(self.option_label(procedure_id, question_id, option_id)) + "$"),
        ).click()
        self.page.get_by_role("button", name=self.words["continue"]).click()
        self.wait_for_new_step(before)

    def follow_link(self, procedure_id, question_id, option_id):
        """Without JavaScript: click the option, a plain link to the next pre-rendered page."""
        self.page.get_by_role("link", name=self.option_label(procedure_id, question_id, option_id), exact=True).click()
        self.page.wait_for_load_state()

    def fill_date(self, within, day, month, year):
        """Type a date into the day, month and year fields of a fieldset (the GOV.UK date pattern)."""
        group = self.page.locator(within)
        for label, value in (
            (self.words["date_day"], day),
            (self.words["date_month"], month),
            (self.words["date_year"], year),
        ):
            group.get_by_label(label, exact=True).fill(str(value))

    def result(self):
        return self.page.locator(".wizard-result").inner_text()

    def axe(self):
        return axe(self.page, WCAG)  # not a <script> tag: the page's policy refuses inline scripts

    def close(self):
        self.tab.close()


@pytest.fixture
def visitor(browser, bases, content):
    opened = []

    def make(scheme="http", lang="en", javascript=True):
        v = Visitor(browser, bases[scheme], content, lang, javascript)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()


def money(amount, lang):
    """285.00 as the page may write it in any language: 285.00 EUR or 285,00 EUR."""
    return re.compile(re.escape(amount).replace(r"\.", "[.,]") + r"\s*EUR")


def expected_outcome(content, procedure_id, pairs, lang, on=DATE):
    procedure = content.procedures[procedure_id]
    outcome = evaluate(procedure, dict(pairs), on)
    assert outcome["status"] == "outcome"
    return outcome_view(procedure, outcome, content.words(lang), content.posts[POST_OF[procedure_id]]), outcome


def longest_path(content, procedure_id):
    paths = [
        list(answers)
        for answers, outcome in enumerate_paths(content.procedures[procedure_id], DATE)
        if outcome["status"] == "outcome"
    ]
    return max(paths, key=len)


# --- the seeds' own figures, clicked through ------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "file"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_stateless_minor_super_urgent_costs_285_eur(visitor, content, scheme, lang):
    v = visitor(scheme, lang)
    v.open("travel-document")
    for question, option in STATELESS_MINOR_SUPER_URGENT:
        v.answer("travel-document", question, option)
    shown, outcome = expected_outcome(content, "travel-document", STATELESS_MINOR_SUPER_URGENT, lang)
    result = v.result()
    assert v.heading().endswith(shown["route"]["title"])
    total = v.page.locator(".wizard-total").inner_text()
    assert money("285.00", lang).search(total), total
    for document in shown["documents"]:
        assert document["label"] in result
    # The answers are in the address: the result can be bookmarked and shared.
    assert v.page.url.endswith("#status=stateless&age=minor-12-17&speed=super-urgent&on=" + DATE)
    # Screen readers hear the result: the live region holds the result's heading.
    assert shown["route"]["title"] in v.page.locator("#wizard-status[role=status]").inner_text()


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_other_foreigner_first_needs_permission_from_fps_foreign_affairs(visitor, content, scheme):
    v = visitor(scheme, "en")
    v.open("travel-document")
    for question, option in OTHER_FOREIGNER:
        v.answer("travel-document", question, option)
    result = v.result()
    assert "FPS Foreign Affairs for permission" in v.heading()
    assert "The review takes about 6 weeks" in result
    assert "Within 2 weeks of the permission" in result
    assert "passeport@diplobel.fed.be" in result


@pytest.mark.parametrize("procedure_id", sorted(POST_OF))
def test_each_procedure_completed_by_clicking_labels_shows_the_engines_result(visitor, content, procedure_id):
    """The longest path of each procedure; everything the engine decided is on the page."""
    pairs = longest_path(content, procedure_id)
    v = visitor("http", "nl")
    v.open(procedure_id)
    for number, (question, option) in enumerate(pairs, start=1):
        assert v.page.locator("#wizard-main .wizard-caption").first.inner_text().endswith(f"Vraag {number}")
        v.answer(procedure_id, question, option)
    shown, outcome = expected_outcome(content, procedure_id, pairs, "nl")
    result = v.result()
    assert v.heading().endswith(shown["route"]["title"])
    for item in shown["steps"]:
        assert item["text"] in result
    checklist = v.page.locator(".wizard-checklist label").all_inner_texts()
    assert checklist == [d["label"] for d in shown["documents"]]
    for warning in shown["warnings"]:
        assert warning["text"] in result
    for total in outcome["total"]:
        assert money(total["amount"], "nl").search(v.page.locator(".wizard-total").inner_text())
    answered = v.page.locator(".wizard-summary dd:not(.wizard-change)").all_inner_texts()
    assert answered == [v.option_label(procedure_id, q, o) for q, o in pairs]


def test_a_child_under_6_applies_by_post_with_two_photos_and_both_parents_sign(visitor, content):
    pairs = [
        ("registered", "yes"),
        ("service", "new-passport"),
        ("place", "this-post"),
        ("age", "under-6"),
        ("current-passport", "has-passport"),
        ("parental-authority", "both-parents"),
    ]
    v = visitor("file", "en")
    v.open("passport")
    for question, option in pairs:
        v.answer("passport", question, option)
    result = v.result().lower()
    assert "by post" in v.heading().lower()
    assert "two recent colour passport photos (at most 1 month old)" in result
    assert "both parents" in result


def test_not_registered_is_told_to_register_first(visitor):
    v = visitor("http", "fr")
    v.open("passport")
    v.answer("passport", "registered", "no")
    assert "inscri" in v.heading().lower()


# --- exact inputs ----------------------------------------------------------------------------------


def test_a_date_of_birth_gives_the_age_class_on_the_application_date(visitor, content):
    """Born 2009-12-02: 16 on 2026-12-01 (minor fee); born 2008-12-01: 18 that day (adult fee)."""
    v = visitor("http", "en")
    v.open("travel-document")
    for born, amount in (("2009-12-02", "285.00"), ("2008-12-01", "305.00")):
        if "status=" in v.page.url:  # the second date: from the first question again, same page
            v.go_to_fragment(f"#on={DATE}")
        v.answer("travel-document", "status", "stateless")
        before = v.heading()
        year, month, day = born.split("-")
        v.fill_date("#age-birth", int(day), int(month), year)
        v.page.get_by_role("button", name=v.words["continue"]).click()
        v.wait_for_new_step(before)
        v.answer("travel-document", "speed", "super-urgent")
        assert money(amount, "en").search(v.page.locator(".wizard-total").inner_text()), born
        assert v.words["born_on"] in v.page.locator(".wizard-summary").inner_text()
        assert f"age={born}" in v.page.url


def test_the_application_date_gives_an_estimated_ready_date_in_working_days(visitor, content):
    pairs = [
        ("registered", "yes"),
        ("service", "new-passport"),
        ("place", "this-post"),
        ("age", "adult"),
        ("current-passport", "has-passport"),
    ]
    v = visitor("http", "en")
    # Oslo knows its delivery time (7 working days, seed 004); Astana does not and says whom to ask.
    v.open("passport", fragment="#" + "&".join(f"{q}={o}" for q, o in pairs) + "&on=2026-12-04", post="oslo")
    post = content.posts["oslo"]
    computed = evaluate(content.procedures["passport"], dict(pairs), "2026-12-04", post)
    ready = [t for t in computed["timing"] if t.get("ready_on")]
    assert ready, "the post's delivery time is in working days"
    # Friday 4 December 2026 + 7 working days = Tuesday 15 December 2026.
    assert ready[0]["ready_on"] == "2026-12-15"
    assert v.words.fill("ready_on", date="December 15, 2026") in v.result()
    # Working it out again for another application date recomputes it, and the address keeps the date.
    v.page.get_by_text(v.words["change_date"]).click()
    v.fill_date(".wizard-date-form", 7, 12, 2026)
    v.page.get_by_role("button", name=v.words["recalculate"]).click()
    v.page.wait_for_function("() => document.querySelector('.wizard-result').innerText.includes('December 16, 2026')")
    assert v.page.url.endswith("on=2026-12-07")
    assert v.words.fill("computed_on", date="December 7, 2026") in v.result()


# --- the GOV.UK pattern: errors, Back, Change, focus --------------------------------------------


def test_continue_without_an_answer_shows_an_error_summary_that_leads_to_the_question(visitor):
    v = visitor("http", "de")
    v.open("travel-document")
    v.page.get_by_role("button", name=v.words["continue"]).click()
    summary = v.page.locator(".wizard-error-summary")
    summary.wait_for()
    assert v.page.evaluate("document.activeElement.classList.contains('wizard-error-summary')")
    assert v.words["error_title"] in summary.inner_text()
    assert v.page.locator(".wizard-error-message").inner_text().endswith(v.words["error_choose"])
    summary.get_by_role("link").click()
    assert v.page.evaluate("document.activeElement.type") == "radio"
    assert "#" not in v.page.url or "wizard" not in v.page.url.split("#")[1]  # the link moved focus, not the address
    assert v.axe() == []


def test_back_change_and_the_browsers_back_button(visitor, content):
    v = visitor("http", "en")
    v.open("travel-document")
    first = v.heading()
    v.answer("travel-document", "status", "refugee")
    second = v.heading()
    # Focus moves to the new question.
    assert v.page.evaluate("document.activeElement.id") == "wizard-heading"
    v.page.get_by_role("link", name=v.words["back"], exact=True).click()
    v.wait_for_new_step(second)
    assert v.heading() == first
    v.answer("travel-document", "status", "stateless")
    v.answer("travel-document", "age", "adult")
    v.page.go_back()
    v.page.wait_for_function("h => document.getElementById('wizard-heading').innerText === h", arg=second)
    v.answer("travel-document", "age", "adult")
    v.answer("travel-document", "speed", "urgent")
    # "Change" beside the first answer asks that question again.
    v.page.locator(".wizard-change a").first.click()
    v.page.wait_for_function("h => document.getElementById('wizard-heading').innerText === h", arg=first)
    v.wait_rendered()
    v.answer("travel-document", "status", "refugee")
    assert v.heading() == second


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_change_back_start_again_and_the_browsers_back_keep_the_application_date(visitor, scheme):
    chosen = "2027-03-01"
    v = visitor(scheme, "en")
    v.open("travel-document", fragment=f"#status=refugee&age=adult&speed=standard&on={chosen}")
    assert v.words.fill("computed_on", date="March 1, 2027") in v.result()
    # Change the second answer: the address keeps the date, so does the next result.
    v.page.locator(".wizard-change a").nth(1).click()
    v.wait_for_new_step(v.words["result"])
    assert v.page.url.endswith(f"#status=refugee&on={chosen}")
    v.answer("travel-document", "age", "under-12")
    v.answer("travel-document", "speed", "urgent")
    assert v.page.url.endswith(f"#status=refugee&age=under-12&speed=urgent&on={chosen}")
    assert v.words.fill("computed_on", date="March 1, 2027") in v.result()
    # Back, then the browser's Back button, then Start again: the date stays in every address.
    before = v.heading()
    v.page.get_by_role("link", name=v.words["back"], exact=True).click()
    v.wait_for_new_step(before)
    assert v.page.url.endswith(f"#status=refugee&age=under-12&on={chosen}")
    v.page.go_back()
    v.page.wait_for_selector(".wizard-result")
    assert v.page.url.endswith(f"#status=refugee&age=under-12&speed=urgent&on={chosen}")
    v.page.get_by_role("link", name=v.words["start_again"]).click()
    v.page.wait_for_selector("form[data-question=status]")
    assert v.page.url.endswith(f"#on={chosen}")
    for question, option in OTHER_FOREIGNER:
        v.answer("travel-document", question, option)
    assert v.words.fill("computed_on", date="March 1, 2027") in v.result()


# --- keyboard alone --------------------------------------------------------------------------------


def press_tab_until(page, condition, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(condition):
            return
    raise AssertionError(f"Tab never reached {condition}")


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_the_wizard_can_be_completed_with_the_keyboard_alone(visitor, content, scheme):
    v = visitor(scheme, "en")
    v.open("travel-document")
    page = v.page
    for _question, option in STATELESS_MINOR_SUPER_URGENT:
        before = v.heading()
        press_tab_until(page, "document.activeElement.type === 'radio'")
        while page.evaluate("document.activeElement.value") != option:
            page.keyboard.press("ArrowDown")  # moves through the options and selects
        assert page.evaluate("document.activeElement.checked")
        press_tab_until(page, "document.activeElement.classList.contains('wizard-continue')")
        page.keyboard.press("Enter")
        v.wait_for_new_step(before)
    assert money("285.00", "en").search(page.locator(".wizard-total").inner_text())
    # Every element reached by Tab shows where the focus is.
    press_tab_until(page, "document.activeElement.matches('.wizard-actions a')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


# --- without JavaScript ----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "file"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_without_javascript_the_links_lead_to_the_same_result(visitor, content, scheme, lang):
    v = visitor(scheme, lang, javascript=False)
    v.open("travel-document", fragment="", interactive=False)
    for question, option in STATELESS_MINOR_SUPER_URGENT:
        v.follow_link("travel-document", question, option)
    shown, _ = expected_outcome(content, "travel-document", STATELESS_MINOR_SUPER_URGENT, lang)
    assert v.heading().endswith(shown["route"]["title"])
    assert money("285.00", lang).search(v.page.locator(".wizard-total").inner_text())
    # Back leads to the previous question, Start again to the first.
    v.page.get_by_role("link", name=v.words["back"], exact=True).click()
    assert v.page.locator("h1.wizard-legend").inner_text() == text(
        next(q for q in content.procedures["travel-document"]["questions"] if q["id"] == "speed")["text"], lang
    )


def test_the_first_question_is_usable_before_the_runtime_is_ready(visitor, site, base_http, content):
    """The start page's question is plain HTML: its links work while Pyodide is still loading."""
    v = visitor("http", "en")
    held = []
    v.page.route("**/_wizard/**", lambda route: held.append(route))  # the runtime never arrives
    v.page.goto(f"{base_http}example-municipality/en/wizard-travel-document.html", wait_until="commit")
    v.page.get_by_role("link", name="Stateless", exact=True).wait_for(state="visible")
    assert v.page.locator(READY).count() == 0
    v.page.get_by_role("link", name="Stateless", exact=True).click()
    v.page.wait_for_load_state()
    assert v.page.url.endswith("wizard/travel-document/status=stateless.html")
    for route in held:
        route.abort()


# Recorded by the page from its first script on: every main-thread task over 50 ms (Long Tasks
# API), when the interactive wizard took over, and whether the question's links were ever gone before.
START_WATCH = r"""
if (window === window.top) {  // not in the page's frames (Material's search shim, the worker's frame)
window.__longTasks = [];
window.__materialAt = [];  // moments inside Material's start-up tasks: its bundle ran, DOMContentLoaded
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const {startTime: start, duration} = entry;
    window.__longTasks.push({start, end: start + duration, duration: Math.round(duration)});
  }
}).observe({type: "longtask", buffered: true});
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeName === "SCRIPT" && /\/javascripts\/bundle\.[^/]*\.js$/.test(node.src)) {
        // A parser-inserted script's load event comes right after the task that ran it (Chromium
        // 156: 0.2 to 0.9 ms after that task's end, as the Long Tasks API gives it).
        node.addEventListener("load", () => window.__materialAt.push(performance.now()));
      }
    }
  }
}).observe(document, {childList: true, subtree: true});
document.addEventListener("DOMContentLoaded", () => {
  window.__materialAt.push(performance.now());  // the first listener: Material's own runs in this task
  const root = document.getElementById("wizard");
  const links = () => root.querySelectorAll(".wizard-options a[href]").length;
  window.__linksAtParse = links();
  window.__linksLost = false;
  new MutationObserver(() => {
    if (root.classList.contains("wizard--interactive")) {
      if (window.__interactive === undefined) { window.__interactive = performance.now(); }
    } else if (links() === 0) {
      window.__linksLost = true;
    }
  }).observe(root, {childList: true, subtree: true, attributes: true});
});
}
"""


def test_from_disk_the_wizard_starts_in_a_worker_and_never_blocks_the_page(visitor, content):
    """Over file:// Pyodide starts in a worker made from a blob: URL: the page's own tasks stay short
    and the first question's links work until the interactive form replaces them.

    A behaviour check, not a benchmark: on the page, Pyodide's start is one task of a quarter or more
    of the whole start-up (284 ms of about 1.2 s when it ran there); here no task of the wizard's
    may take a sixth of it. Material's own start-up, which every page of the site has (its bundle
    running, then its DOMContentLoaded handlers), is left out: its length does not shrink with the
    start, and under two test workers' browsers on two cores its bundle alone took 213 ms of a
    1,269 ms start. The figures themselves (longest task in ms, Material's included) are in
    `./run.sh bench` (benchmarks/wizard_bench.py)."""
    v = visitor("file", "en")
    v.page.add_init_script(START_WATCH)
    v.open("travel-document")
    watched = v.page.evaluate(
        "({tasks: window.__longTasks, material: window.__materialAt, interactive: window.__interactive,"
        " links: window.__linksAtParse, lost: window.__linksLost})"
    )
    assert [w.url.split(":")[0] for w in v.page.workers] == ["blob"], [w.url for w in v.page.workers]
    questions = content.procedures["travel-document"]["questions"]
    assert watched["links"] == len(questions[0]["options"]) and watched["lost"] is False, watched
    assert len(watched["material"]) == 2, watched  # Material's bundle ran, and DOMContentLoaded came
    wizards = [  # Material's tasks: those that hold one of its moments, or end at most 2 ms before it
        task["duration"]
        for task in watched["tasks"]
        if not any(task["start"] <= at <= task["end"] + 2 for at in watched["material"])
    ]
    longest = max(wizards, default=0)
    assert longest < watched["interactive"] / 6, (
        f"a main-thread task of {longest} ms in a start of {watched['interactive']:.0f} ms: {watched['tasks']}"
    )


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_the_interactive_wizard_takes_over_without_moving_the_question(visitor, scheme):
    v = visitor(scheme, "en")
    # Where the plain-HTML question stands once the page is parsed (styles applied, runtime not yet ready).
    v.page.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
        const heading = document.getElementById('wizard-heading');
        window.staticBox = heading && heading.getBoundingClientRect().toJSON();
        window.staticInteractive = document.querySelector('#wizard.wizard--interactive') !== null; });""")
    v.page.goto(f"{v.base}example-municipality/en/wizard-travel-document.html")
    v.page.wait_for_selector(f"{READY} form.wizard-question")
    static = v.page.evaluate("window.staticBox")
    assert static and v.page.evaluate("window.staticInteractive") is False
    interactive = v.page.evaluate("document.getElementById('wizard-heading').getBoundingClientRect().toJSON()")
    assert (static["x"], static["y"]) == (interactive["x"], interactive["y"])


# --- addresses a visitor should not have to worry about (tests/wizard_addresses.yaml) -----------


@pytest.mark.parametrize("procedure_id", sorted({case["procedure"] for case in ADDRESSES}))
def test_a_tampered_address_shows_a_clear_message_and_resumes(visitor, content, procedure_id):
    """Each case of the procedure: the first opened with the page, the others given to the same
    page as a new address (the wizard answers `hashchange` with the same call it makes at start,
    wizard.js), as a visitor who edits the address bar does; one runtime start per procedure."""
    v = visitor("http", "en")
    cases = [case for case in ADDRESSES if case["procedure"] == procedure_id]
    cases.sort(key=lambda case: case["address"] != "")  # an empty address is no change of address: first
    for number, case in enumerate(cases):
        if number == 0:
            v.open(procedure_id, fragment=case["address"])
        else:
            v.go_to_fragment(case["address"])
        check_tampered_address(v, case)


def check_tampered_address(v, case):
    page, name = v.page, case["name"]
    assert page.locator("#wizard").get_attribute("data-state") == ("question" if case.get("asks") else "outcome"), name
    if case.get("asks"):
        assert page.locator("form.wizard-question").get_attribute("data-question") == case["asks"], name
    if case["problem"]:
        summary = page.locator(".wizard-error-summary")
        assert summary.is_visible(), name
        dates = {key: v.words.date(value) for key, value in case.get("dates", {}).items()}
        assert v.words.fill(case["problem"], **dates) in summary.inner_text(), name
        assert page.evaluate("document.activeElement.classList.contains('wizard-error-summary')"), name
    else:
        assert page.locator(".wizard-error-summary").count() == 0, name
    # The address now holds only what could be used; nothing from it became markup.
    assert page.url.endswith(case["becomes"]) or (case["becomes"] == "#" and "#" not in page.url), (name, page.url)
    assert page.locator("#wizard img, #wizard script").count() == 0, name
    assert "undefined" not in page.locator("#wizard").inner_text(), name


def test_a_very_long_address_is_answered_like_any_other(visitor):
    v = visitor("http", "en")
    v.open("travel-document", fragment="#status=refugee&" + "&".join(f"q{i}=x" for i in range(14_000)))
    assert v.page.locator("form.wizard-question").get_attribute("data-question") == "age"
    assert v.page.url.endswith("#status=refugee")


# --- accessibility and printing ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_on_the_wizard_in_each_state(visitor, lang):
    v = visitor("http", lang)
    v.page.goto(f"{v.base}example-municipality/{lang}/wizard-travel-document.html#on={DATE}")
    assert v.axe() == [], "before the runtime is ready"
    v.page.wait_for_selector(f"{READY} #wizard-main", timeout=90_000)  # the same page, once it is
    v.wait_rendered()
    assert v.axe() == [], "first question, interactive"
    v.answer("travel-document", "status", "stateless")
    assert v.axe() == [], "second question, with the answers so far"
    v.page.get_by_role("button", name=v.words["continue"]).click()
    v.page.locator(".wizard-error-summary").wait_for()
    assert v.axe() == [], "error summary"
    v.answer("travel-document", "age", "adult")
    v.answer("travel-document", "speed", "standard")
    assert v.axe() == [], "outcome"
    v.page.get_by_text(v.words["change_date"]).click()
    assert v.axe() == [], "outcome, the date form open"
    v.go_to_fragment("#status=bogus")  # the wizard reads a changed address as one it starts with
    assert v.axe() == [], "tampered address"
    assert v.page.locator(".wizard-error-summary").is_visible()


def test_printing_an_outcome_gives_a_clean_checklist(visitor):
    v = visitor("file", "en")
    v.open("travel-document", fragment="#status=stateless&age=adult&speed=standard&on=" + DATE)
    v.page.emulate_media(media="print")
    assert v.page.locator(".wizard-checklist").is_visible()
    for hidden in (".md-header", ".md-sidebar--primary", ".wizard-actions", ".wizard-date-form", ".wizard-change a"):
        assert not v.page.locator(hidden).first.is_visible(), hidden


def test_the_usb_copy_is_the_same_site():
    """`build.py usb` writes the folder and the zip a stick needs; its index leads to the wizard."""
    import zipfile

    dist = shared_usb()
    folder = next(p for p in dist.iterdir() if p.is_dir())
    archive = next(dist.glob("*.zip"))
    assert (folder / "index.html").is_file()
    assert (folder / "_wizard" / "runtime-bundle.js").is_file()
    names = zipfile.ZipFile(archive).namelist()
    assert f"{folder.name}/example-municipality/en/wizard-travel-document.html" in names
    # Nothing for web hosts and crawlers on a stick (pipeline/publish.py): it would only double its size.
    for_the_web = ("_headers", "robots.txt", "sitemap.xml")
    assert not [n for n in names if n.endswith((".br", ".gz")) or n.rsplit("/", 1)[-1] in for_the_web]
    assert Path(folder / "example-municipality" / "en" / "wizard-travel-document.html").is_file()


def test_a_usb_copy_of_one_post_is_small_and_its_wizard_works_from_disk(browser, content, tmp_path):
    """`build.py usb --post oslo`: that post in every language, only the runtime files a site read
    from disk needs, the same zip twice; from disk the wizard answers as the engine does."""
    from pipeline.runtime import FROM_DISK
    from pipeline.usb import make_usb_copy

    report = make_usb_copy(ROOT, tmp_path / "first", on=DATE, posts=["oslo"])
    again = make_usb_copy(ROOT, tmp_path / "second", on=DATE, posts=["oslo"])
    folder = report.folder
    assert folder.name == "consular-procedures-oslo" and report.archive.name == "consular-procedures-oslo.zip"
    assert report.archive.read_bytes() == again.archive.read_bytes()
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["_assets", "_wizard", "oslo"]
    assert sorted(p.name for p in (folder / "oslo").iterdir()) == sorted(LANGUAGES)
    assert sorted(p.name for p in (folder / "_wizard").iterdir()) == sorted(FROM_DISK)
    assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) <= 15_000_000
    chooser = (folder / "index.html").read_text(encoding="utf-8")
    assert "oslo/en/index.html" in chooser and "astana/" not in chooser

    v = Visitor(browser, folder.resolve().as_uri() + "/", content, "en")
    try:
        v.page.goto(v.base + "index.html")
        v.page.locator('a[href="oslo/en/index.html"]').click()
        v.page.wait_for_load_state()
        assert v.page.url.endswith("/oslo/en/index.html")
        pairs = longest_path(content, "lost-passport")
        v.open("lost-passport")
        for question, option in pairs:
            v.answer("lost-passport", question, option)
        shown, _ = expected_outcome(content, "lost-passport", pairs, "en")
        assert v.heading().endswith(shown["route"]["title"])
    finally:
        v.close()
