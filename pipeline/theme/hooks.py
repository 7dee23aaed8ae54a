"""MkDocs hooks for every language build (listed under `hooks:` in mkdocs.yml).

Fixes in Material's output that templates alone cannot reach:

- 404.html: MkDocs renders it with absolute URLs ("/assets/…") when no site_url is set, which
  breaks from disk and under a sub-path. It lies at the root of each language build, so a
  relative base (".") serves it correctly at its own address and from file://.
- The two hidden toggle checkboxes Material puts at the top of every page (drawer, search) have
  no accessible name; they get one in the page's language (config.extra.toggle_labels, set by
  pipeline/site.py from content/ui.yaml) and leave the tab order.
- The logo's title attribute escapes the (already escaped) site name again: undone.
- Material's script fetches sitemap.xml beside every hreflang link, so the (empty, see
  theme/sitemap.xml) sitemap is copied into every folder that holds pages (the wizard's no-JS
  step pages live in wizard/<procedure>/): no request of a page ever gets a 404.
"""

import shutil
from html import escape
from pathlib import Path

TOGGLES = {
    "drawer": 'data-md-toggle="drawer" type="checkbox" id="__drawer"',
    "search": 'data-md-toggle="search" type="checkbox" id="__search"',
}


def on_template_context(context, template_name, config):
    if template_name == "404.html":
        context["base_url"] = "."
    return context


def on_post_page(output, page, config):
    return single_escaped_site_name(label_toggles(output, config), config)


def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    return single_escaped_site_name(label_toggles(output_content, config), config)


def single_escaped_site_name(html, config):
    """The site name reaches MkDocs escaped (pipeline/site.py: Material prints it raw in the header);
    the logo's `title="{{ config.site_name | e }}"` escapes it a second time. Undo only that."""
    name = config.site_name
    return html.replace(f'title="{escape(name)}"', f'title="{name}"')


def label_toggles(html, config):
    labels = config.extra.get("toggle_labels") or {"drawer": "Menu", "search": "Search"}
    for toggle, marker in TOGGLES.items():
        html = html.replace(marker, f'{marker} aria-label="{escape(labels[toggle])}" tabindex="-1"', 1)
    return html


def on_post_build(config):
    site = Path(config.site_dir)
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return
    for folder in sorted({page.parent for page in site.rglob("*.html")} - {site}):
        if not (folder / "sitemap.xml").exists():
            shutil.copyfile(sitemap, folder / "sitemap.xml")
