"""Lighthouse at 100 for Accessibility, Best practices and SEO on one page of every kind.

The kinds (lighthouse.kinds_of_page): a post's home page, a procedure page, the fees overview, the
wizard's question and its result (drawn by Python in the browser), a wizard page without
JavaScript; in one language (the templates are shared). They are the published site's
(published_host.published_site: one post built for the web at the address of the host that serves
it, with compression and the headers file), so canonical links, robots.txt and headers are audited
as a crawler meets them. One Node process audits them all, one after the other, in one Debian
Chromium (tests/lighthouse_runner.mjs). Performance depends on the machine: `./run.sh bench`
reports it (benchmarks/lighthouse_bench.py), nothing asserts it.

Not audited here: the site root's language chooser. Lighthouse reads robots.txt through the page,
and that page's policy allows no connection at all (it runs no script); the Nu Html Checker and
axe check it (test_html_valid.py, test_site_browser.py).
"""

from pathlib import Path

import pytest

from chromium import TEST_ARGS
from lighthouse import CHROMIUM, kinds_of_page, run_lighthouse
from published_host import published_site

CATEGORIES = ["accessibility", "best-practices", "seo"]


def test_every_kind_of_page_scores_100_for_accessibility_best_practices_and_seo(content):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed: ./run.sh test installs it (apt-get install chromium)")
    _, base = published_site()
    pages = kinds_of_page(base, content)
    results = run_lighthouse(pages, CATEGORIES, args=TEST_ARGS)
    assert [r["name"] for r in results] == [p["name"] for p in pages]
    problems = []
    for result in results:
        if result["error"]:
            problems.append(f"{result['name']}: Lighthouse could not audit it: {result['error']}")
        for category in CATEGORIES:
            if result["scores"].get(category) != 1:
                problems.append(f"{result['name']} ({result['url']}): {category} {result['scores'].get(category)}")
        for audit in result["failed"]:
            why = f" — {audit['explanation']}" if audit.get("explanation") else ""
            problems.append(f"  {audit['category']} {audit['id']}: {audit['title']}{why} {audit['items']}")
    assert not problems, "\n".join(problems)
