"""MkDocs hooks for every language build (listed under `hooks:` in mkdocs.yml).

Fixes in Material's output that templates alone cannot reach:

- 404.html: MkDocs renders it with absolute URLs ("/assets/…") when no site_url is set, which
  breaks from disk and under a sub-path. It lies at the root of each language build, so a
  relative base (".") serves it correctly at its own address and from file://.
- The two hidden toggle checkboxes Material puts at the top of every page (drawer, search) have
  no accessible name; they get one in the page's language (config.extra.toggle_labels, set by
  pipeline/site.py from content/ui.yaml) and leave the tab order. Material marks them
  autocomplete="off" so that a browser does not restore an open drawer or search when a visitor
  comes back to a page; HTML allows that attribute on text fields only (the Nu Html Checker
  refuses it on a checkbox), so the toggles say it through a form of their own instead: a
  control without the attribute follows its form's autocomplete="off".
- The search dialog (role="dialog") gets the search toggle's name (axe: aria-dialog-name).
- The table of contents' title is a <label for="__toc">, but the "__toc" checkbox exists only
  on pages in the navigation; on the others (the editors' page) the label points at nothing,
  which HTML forbids: it keeps its text and loses its `for`.
- The logo's title attribute escapes the (already escaped) site name again: undone.
- Material's theme assets, our styles and the wizard's front end are stored once for the whole
  site (pipeline/shared_assets.py): when the build names the shared folder (config.extra.
  shared_assets), they are left out of the build's files and every page's references to them
  are aimed at the shared copy, before the policy is computed.
- Every page gets its Content-Security-Policy (pipeline/csp.py), computed from its final HTML,
  last of all (priority -100) so that no later change escapes the hashes. The wizard's start
  pages (wizard-<procedure>.html) are the pages where Pyodide runs.
"""

from html import escape
from pathlib import Path

from mkdocs.plugins import event_priority

from pipeline import layout, shared_assets
from pipeline.csp import with_policy

TOGGLES = {
    "drawer": 'data-md-toggle="drawer" type="checkbox" id="__drawer"',
    "search": 'data-md-toggle="search" type="checkbox" id="__search"',
}
# The form the toggles belong to (by their form attribute: they stay where Material's CSS wants them).
TOGGLE_FORM = "__md-toggles"
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
TOC_LABEL = '<label class="md-nav__title" for="__toc">'
TOC_TOGGLE = 'id="__toc"'


def on_files(files, config):
    if config.extra.get("shared_assets"):
        for file in [f for f in files if shared_assets.is_shared(f.dest_uri)]:
            files.remove(file)
    return files


def on_template_context(context, template_name, config):
    if template_name == "404.html":
        context["base_url"] = "."
    return context


@event_priority(-100)
def on_post_page(output, page, config):
    pyodide = layout.is_wizard_start(page.file.src_uri)
    html = single_escaped_site_name(valid_markup(label_toggles(output, config)), config)
    html = shared_assets.relink(html, config.extra.get("shared_assets"))
    return with_policy(html, pyodide=pyodide, iframe_worker=iframe_worker(config))


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    html = single_escaped_site_name(valid_markup(label_toggles(output_content, config)), config)
    html = shared_assets.relink(html, config.extra.get("shared_assets"))
    return with_policy(html, iframe_worker=iframe_worker(config))


def single_escaped_site_name(html, config):
    """The site name reaches MkDocs escaped (pipeline/site.py: Material prints it raw in the header);
    the logo's `title="{{ config.site_name | e }}"` escapes it a second time. Undo only that."""
    name = config.site_name
    return html.replace(f'title="{escape(name)}"', f'title="{name}"')


def label_toggles(html, config):
    """Name the toggles and the search dialog; take the toggles out of the tab order and into their form."""
    labels = config.extra.get("toggle_labels") or {"drawer": "Menu", "search": "Search"}
    for toggle, marker in TOGGLES.items():
        named = f'{marker} aria-label="{escape(labels[toggle])}" tabindex="-1"'
        html = html.replace(f'{marker} autocomplete="off">', f'{named} form="{TOGGLE_FORM}">', 1)
    first = html.find('<input class="md-toggle"')
    if first >= 0:
        html = html[:first] + f'<form id="{TOGGLE_FORM}" autocomplete="off" hidden></form>\n    ' + html[first:]
    return html.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{escape(labels["search"])}">', 1)


def valid_markup(html):
    """What the Nu Html Checker refuses in Material's markup, mended (see the module's docstring)."""
    if TOC_TOGGLE not in html:
        html = html.replace(TOC_LABEL, '<label class="md-nav__title">')
    return html


def iframe_worker(config):
    """The iframe-worker shim's source (Material's search from file://), if the build ships one."""
    shims = [p for p in config.extra.get("polyfills", []) if "iframe-worker" in p]
    return (Path(config.docs_dir) / shims[0]).read_text(encoding="utf-8") if shims else None
