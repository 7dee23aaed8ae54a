"""One wizard step, evaluated and rendered: the no-JS pages and the browser front end both call this.

Answers travel as an ordered list of (question, answer) pairs. Links are made in one of two
styles: `static` pages (`wizard/<procedure>/<q>=<o>,<q>=<o>.html`, for the site without
JavaScript) or `hash` URLs (`#q=o&q=o`, the interactive wizard's shareable address).
"""

from urllib.parse import quote, unquote

from .engine import evaluate
from .html import answers_html, outcome_html, question_form_html, question_links_html
from .paths import path_key

STATIC_DIR = "wizard"


def static_page(procedure_id, pairs):
    """Path of a no-JS step page, relative to the language root of a site."""
    if not pairs:
        return f"wizard-{procedure_id}.html"
    return f"{STATIC_DIR}/{procedure_id}/" + ",".join(f"{q}={o}" for q, o in pairs) + ".html"


def hash_of(pairs):
    return "#" + "&".join(f"{quote(q)}={quote(o)}" for q, o in pairs)


def parse_hash(fragment):
    """Ordered answer pairs from a `#q=o&q=o` fragment; malformed parts are kept for the engine to refuse."""
    pairs = []
    for part in fragment.lstrip("#").split("&"):
        if not part:
            continue
        question, _, option = part.partition("=")
        pairs.append((unquote(question), unquote(option)))
    return pairs


def render_step(procedure, pairs, on, lang, strings, post, style="hash", from_page=None, exact_dates=False):
    """Evaluate `pairs` and return the HTML of this step plus what the page needs to know.

    `style` is "hash" (interactive) or "static" (no-JS page written at `from_page`, relative links).
    A pair the engine cannot use is dropped with every later one: the step resumes there and
    `problem` says so (a tampered or outdated link never breaks the page).
    """
    pid = procedure["id"]
    problem = None
    asked_once = []
    for question, option in pairs:
        if any(question == q for q, _ in asked_once):  # the same question twice: keep what came before
            problem = {
                "code": "repeated-answer",
                "question": question,
                "message": f"question {question!r} is answered more than once",
            }
            break
        asked_once.append((question, option))
    pairs = asked_once
    result = evaluate(procedure, dict(pairs), on)
    if result["status"] == "error":
        bad = result.get("resume_at")
        kept = []
        for question, option in pairs:
            if question == bad:
                break
            kept.append((question, option))
        if len(kept) == len(pairs):  # the error is not about one answer (e.g. a date): drop everything
            kept = []
        problem = result["errors"][0]
        pairs = kept
        result = evaluate(procedure, dict(pairs), on)

    def link(target_pairs):
        if style == "static":
            return _relative(from_page, static_page(pid, target_pairs))
        return hash_of(target_pairs)

    asked = [q for q, _ in pairs]
    change = {q: link(pairs[:i]) for i, q in enumerate(asked)}
    step = {
        "status": result["status"],
        "pairs": pairs,
        "key": path_key(pairs),
        "problem": problem,
        "back": link(pairs[:-1]) if pairs else None,
        "start": link([]),
        "answers_html": answers_html(procedure, dict(pairs), lang, strings, change, result.get("exact")),
    }
    if result["status"] == "question":
        qid = result["question"]
        number = len(pairs) + 1
        step["question"] = qid
        if style == "static":
            options = next(q for q in procedure["questions"] if q["id"] == qid)["options"]
            hrefs = {o["id"]: link(pairs + [(qid, o["id"])]) for o in options}
            step["html"] = question_links_html(procedure, qid, lang, strings, hrefs, number)
        else:
            step["html"] = question_form_html(procedure, qid, lang, strings, number, exact_dates=exact_dates)
    else:
        step["outcome"] = result
        step["html"] = outcome_html(procedure, result, lang, strings, post)
    return step


def all_steps(procedure, on):
    """Every answer prefix (every question page and every outcome page) of a procedure, in order."""
    found = []

    def walk(pairs):
        found.append(pairs)
        result = evaluate(procedure, dict(pairs), on)
        if result["status"] == "question":
            question = next(q for q in procedure["questions"] if q["id"] == result["question"])
            for option in question["options"]:
                walk(pairs + [(question["id"], option["id"])])

    walk([])
    return found


def _relative(from_page, target):
    """`target` (relative to the language root) as seen from `from_page` (same base)."""
    if from_page is None:
        return target
    depth = from_page.count("/")
    return "../" * depth + target
