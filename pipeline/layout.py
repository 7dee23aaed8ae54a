"""Where every page of a built site lives: the one place that names the site's files.

    site/index.html                          the root page: every post in every language
    site/_wizard/                            the wizard's Pyodide runtime, shared by every post
    site/_assets/                            theme styles and scripts, search, the wizard's front end:
                                             stored once, named relatively by every build's pages
    site/<post>/<lang>/                      one MkDocs build per post and language:
        index.html                           the post's home page
        <procedure>.html                     a procedure's information page
        fees.html                            the fees overview
        wizard-<procedure>.html              a wizard's start page (its first question)
        wizard/<procedure>/<q>=<o>,….html    one page per answer prefix, for visitors without JavaScript
        editors.html                         the editors' answer-path diagrams
        export.json                          the machine-readable export (pipeline/export.py)
        assets/wizard/                       the wizard's front end (wizard.js, wizard.css), as the
                                             Markdown names it; the pages name ../../_assets/wizard/
    site/export.schema.json                  the export's JSON Schema (schema/export.schema.json)

Pages are named by their path without extension ("wizard/passport/place=belgium"); `markdown()` and
`html()` add what the build writes and what MkDocs makes of it (use_directory_urls is off, so the
same relative links work on the web and from a USB stick).
"""

RUNTIME_DIR = "_wizard"
SHARED_ASSETS = "_assets"  # pipeline/shared_assets.py
WIZARD_ASSETS = "assets/wizard"
HOME = "index"
FEES = "fees"
EDITORS = "editors"
WIZARD_STEPS = "wizard"
EXPORT = "export.json"  # in each post × language build; its schema once, at the site root:
EXPORT_SCHEMA = "export.schema.json"
POST_DEPTH = 2  # <post>/<lang>/ below the site root


def procedure_page(procedure_id):
    return procedure_id


def wizard_page(procedure_id, pairs=()):
    """The wizard's start page, or the no-JS page of an answer prefix [(question, option), …]."""
    if not pairs:
        return f"wizard-{procedure_id}"
    return f"{WIZARD_STEPS}/{procedure_id}/" + ",".join(f"{q}={o}" for q, o in pairs)


def is_wizard_start(markdown_file):
    """True for the Markdown file of a wizard's start page (the page where Pyodide runs)."""
    return markdown_file.startswith("wizard-") and markdown_file.endswith(".md") and "/" not in markdown_file


def markdown(page):
    return f"{page}.md"


def html(page):
    return f"{page}.html"


def link(from_page, to_page):
    """A relative link from one page of a post × language build to another (both names as above)."""
    return "../" * from_page.count("/") + html(to_page)


def asset(from_page, name):
    """A relative link from a page to a file of the wizard's front end in its own build."""
    return "../" * from_page.count("/") + f"{WIZARD_ASSETS}/{name}"


def to_site_root(from_page):
    """The relative path from a page of a post × language build up to the site root ("../../…")."""
    return "../" * (POST_DEPTH + from_page.count("/"))


def post_page(post_id, lang, page=HOME):
    """A page of a post in a language, relative to the site root."""
    return f"{post_id}/{lang}/{html(page)}"
