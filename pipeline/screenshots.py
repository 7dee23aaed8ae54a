"""`build.py screenshots`: desktop and phone pictures of the key pages of every post and language.

Reviewers of a pull request look at these instead of reading Markdown diffs: the post's home page,
each procedure page, the fees overview, each wizard's first question and a result (its longest
answer path, as a visitor without JavaScript gets it: the interactive result is the same markup).
Taken with Debian's Chromium (never a downloaded browser) from the built site over a local server.

    out/<post>/<lang>/<phone|desktop>-<page>.png
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from wizard.paths import enumerate_paths

from . import layout
from .site import start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}


class ScreenshotError(Exception):
    """Raised when the browser is missing or a page cannot be shown; says what to do."""


@dataclass
class ScreenshotReport:
    out: Path
    files: list = field(default_factory=list)


def key_pages(content, post_id):
    """[(name, page)] of the pages a reviewer looks at for one post (pages as in pipeline/layout)."""
    post = content.posts[post_id]
    pages = [("home", layout.HOME)]
    for pid in post["procedures"]:
        procedure = content.procedures[pid]
        pages.append((pid, layout.procedure_page(pid)))
        pages.append((f"{pid}-question", layout.wizard_page(pid)))
        outcomes = [
            answers
            for answers, result in enumerate_paths(procedure, content.on, post=post)
            if result["status"] == "outcome"
        ]
        pages.append((f"{pid}-result", layout.wizard_page(pid, max(outcomes, key=len))))
    pages.append(("fees", layout.FEES))
    return pages


def take_screenshots(content, site, out, posts=None):
    """Write the pictures of `site` (built from `content`) into `out`; a ScreenshotReport."""
    from playwright.sync_api import Error, sync_playwright

    if not Path(CHROMIUM).exists():
        raise ScreenshotError(f"{CHROMIUM} is missing: ./run.sh setup installs Debian's chromium")
    site, out = Path(site), Path(out)
    if not (site / "index.html").is_file():
        raise ScreenshotError(f"{site} holds no built site: run ./run.sh build first (or pass --site)")
    shutil.rmtree(out, ignore_errors=True)
    report = ScreenshotReport(out)
    server = start_server(site, 0)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for viewport, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for post_id in posts or content.posts:
                    for lang in content.languages:
                        for name, target in key_pages(content, post_id):
                            file = out / post_id / lang / f"{viewport}-{name}.png"
                            file.parent.mkdir(parents=True, exist_ok=True)
                            page.goto(base + layout.post_page(post_id, lang, target))
                            page.screenshot(path=str(file), full_page=True)
                            report.files.append(file)
                context.close()
            browser.close()
    except Error as error:
        raise ScreenshotError(f"Chromium could not show the pages: {error}") from error
    finally:
        server.shutdown()
        server.server_close()
    return report
