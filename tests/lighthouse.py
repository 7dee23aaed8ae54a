"""Lighthouse from Python: one page of every kind, audited in one Node process and one browser.

    kinds_of_page(base, content)          [{"name", "url", "waitFor"}]: the pages to audit
    run_lighthouse(pages, categories, …)  [{name, url, scores, failed, metrics, …}] (lighthouse_runner.mjs)

Lighthouse is the npm package (package-lock.json), driven through puppeteer-core; the browser is
Debian's Chromium. Used by tests/test_lighthouse.py (Accessibility, Best practices, SEO) and by
benchmarks/lighthouse_bench.py (Performance).
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from chromium import CHROMIUM, HEADLESS_ARGS
from site_helpers import DATE, ROOT
from wizard.paths import enumerate_paths
from wizard.state import fragment_of

RUNNER = Path(__file__).resolve().parent / "lighthouse_runner.mjs"

# The interactive wizard, once Python has drawn its step (a question, or the result).
WIZARD_READY = "#wizard.wizard--interactive #wizard-heading"
WIZARD_RESULT = '#wizard.wizard--interactive[data-state="outcome"] #wizard-heading'


class LighthouseError(Exception):
    """Raised by `run_lighthouse` when Node, the browser or Lighthouse itself failed; says how."""


def kinds_of_page(base, content, post="oslo", lang="en", procedure="passport"):
    """One page of every kind of a post in a language, at `base`, the way a visitor opens it."""
    answers, _ = next(
        (answers, outcome)
        for answers, outcome in enumerate_paths(content.procedures[procedure], DATE)
        if outcome["status"] == "outcome"
    )
    first_question = next(iter(dict(answers)))
    question = next(q for q in content.procedures[procedure]["questions"] if q["id"] == first_question)
    step = f"wizard/{procedure}/{first_question}={question['options'][0]['id']}.html"
    here = f"{base}{post}/{lang}/"
    return [
        {"name": "home", "url": here + "index.html"},
        {"name": "procedure", "url": here + f"{procedure}.html"},
        {"name": "fees", "url": here + "fees.html"},
        {"name": "wizard question", "url": here + f"wizard-{procedure}.html", "waitFor": WIZARD_READY},
        {
            "name": "wizard result",
            "url": here + f"wizard-{procedure}.html" + fragment_of(list(answers), on=DATE),
            "waitFor": WIZARD_RESULT,
        },
        {"name": "no-JS step", "url": here + step},
    ]


def run_lighthouse(pages, categories, quick=True, timeout=900, args=HEADLESS_ARGS):
    """Audit `pages` for `categories` in one browser, in order; Lighthouse's findings per page.

    `args`: Chromium's switches (the benchmark keeps HEADLESS_ARGS, the test passes TEST_ARGS).
    `quick`: the page counts as loaded as soon as it is quiet for a quarter of a second instead of
    Lighthouse's usual second, and the timings are simulated: for Accessibility, Best practices and
    SEO, which read the loaded page, nothing changes. Performance wants `quick=False`.
    """
    node = shutil.which("node")
    if node is None:
        raise LighthouseError("node is not installed (Node.js >= 18 is needed: ./run.sh test checks it)")
    if not (ROOT / "node_modules" / "lighthouse").is_dir():
        raise LighthouseError("node_modules/lighthouse is missing: run ./run.sh setup (npm ci)")
    job = {"chromium": CHROMIUM, "args": args, "categories": categories, "quick": quick, "pages": pages}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        job_file = Path(folder) / "job.json"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        run = subprocess.run(
            [node, str(RUNNER), str(job_file)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if run.returncode != 0:
        raise LighthouseError(f"lighthouse_runner.mjs failed ({run.returncode}): {run.stderr.strip()[-3000:]}")
    return json.loads(run.stdout)
