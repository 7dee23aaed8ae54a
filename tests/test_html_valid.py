"""The Nu Html Checker (npm `vnu-jar`, run on the machine's Java) finds no error in any kind of page.

Checked: every page of the published site (one post in every language, with its canonical links
and Open Graph tags: published_host.published_site), and from the suite's shared build of every
post the site root, the runtime's self-test and every page but the wizard's answer pages (those
are all made by one function: the published post's are checked). One Java process checks them all.
Warnings are not errors: the checker also warns that a <meta> Content-Security-Policy would refuse
the pages' own files, because it reads them from disk (file: addresses are not 'self' for it).
"""

import json
import shutil
import subprocess

import pytest

from published_host import published_site
from site_helpers import ROOT, html_pages, shared_site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def pages_to_check():
    published, _ = published_site()
    site = shared_site()[0]
    others = [p for p in html_pages(site) if "wizard" not in p.relative_to(site).parts[2:3]]
    return html_pages(published) + others


def test_no_page_has_an_html_error():
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed: ./run.sh test installs it (apt-get install default-jre-headless)")
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: run ./run.sh setup (npm ci)")
    pages = pages_to_check()
    names = {p.name for p in pages}
    assert {"index.html", "fees.html", "404.html", "editors.html", "selftest.html", "wizard-passport.html"} <= names
    assert any(p.parent.parent.name == "wizard" for p in pages)  # the wizard's answer pages
    # -XX:TieredStopAtLevel=1: Java's quick compiler only. The checker runs for seconds, and the
    # optimising compiler's work did not pay for itself: 89 pages took 3.3-3.5 CPU s instead of 6.7-8.1.
    run = subprocess.run(
        [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU), "--errors-only", "--format", "json"]
        + [str(p) for p in pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stderr or run.stdout)
    errors = [
        f"{m.get('url', '?').rsplit('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']} {m.get('extract', '')!r}"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, f"{len(errors)} error(s) in {len(pages)} pages:\n" + "\n".join(errors[:40])
    assert run.returncode == 0, run.stderr[-2000:]
