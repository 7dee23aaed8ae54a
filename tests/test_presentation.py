"""The presentation layer (wizard.presentation): one catalogue, one formatter, one escaper.

A date or an amount reads the same on the information pages, in the wizard and in `build.py
explain`, in every language, and it is CLDR's own form (compared with Babel, which the wizard cannot
use in the browser). Every escaper keeps text as text in the context it is made for.
"""

import datetime
import html
import json
import re
import subprocess
import sys
from decimal import Decimal

import markdown as python_markdown
import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from build import GOLDEN_DATE
from site_helpers import ROOT, shared_site
from wizard.presentation import Html, json_script, mailto_url, markdown, page_title, safe_url, tel_url
from wizard.presentation import html as escape_html
from wizard.state import parse
from wizard.steps import Context, render_step

LANGUAGES = ["nl", "fr", "de", "en"]
MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]  # as mkdocs.yml


def visible(markup):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


# --- formats: CLDR's, in every language -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2999, 12, 31)))
def test_dates_read_as_cldr_writes_them_in_every_language(content, day):
    for lang in LANGUAGES:
        assert content.words(lang).date(day.isoformat()) == format_date(day, format="long", locale=lang)


@settings(max_examples=60, deadline=None)
@given(amount=st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_amounts_read_as_cldr_writes_them_in_every_language(content, amount):
    for lang in LANGUAGES:
        expected = format_decimal(Decimal(amount), format="#,##0.00", locale=lang)
        assert content.words(lang).money(str(amount), "EUR") == f"{expected} EUR"


def test_the_same_date_and_amount_read_the_same_on_the_pages_in_the_wizard_and_in_the_cli(content):
    site = shared_site()[0]
    state = parse("#status=stateless&age=minor-12-17&speed=super-urgent")
    for lang in LANGUAGES:
        words = content.words(lang)
        amount, day = words.money("285", "EUR"), words.date(GOLDEN_DATE)
        fees_page = visible((site / "example-municipality" / lang / "fees.html").read_text(encoding="utf-8"))
        assert amount in fees_page and words.fill("fees_on", date=day) in fees_page, lang
        context = Context(words, content.posts["example-municipality"], GOLDEN_DATE)
        wizard = visible(render_step(content.procedures["travel-document"], state, context)["html"])
        assert amount in wizard and words.fill("computed_on", date=day) in wizard, lang
        cli = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "explain", "travel-document", *state.fragment()[1:].split("&")]
            + ["--date", GOLDEN_DATE, "--lang", lang],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"{words['total']}: {amount}" in cli and words.fill("computed_on", date=day) in cli, lang


def test_every_word_of_the_catalogue_is_in_every_language_and_used_somewhere(content):
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("wizard", "pipeline", "build.py")
        for p in ([ROOT / folder] if folder.endswith(".py") else sorted((ROOT / folder).rglob("*")))
        if p.suffix in (".py", ".j2", ".js", ".html")
    )
    for section in content.ui.values():
        for key, texts in section.items():
            assert set(texts) == set(LANGUAGES), key
            # Looked up by name (words["key"], ui.key, fill("key")) or by prefix (f"contact_{key}").
            used = re.search(rf"[\"'.]{key}\b", code) or any(
                key.startswith(prefix)
                for prefix in ("contact_", "date_", "joiner_", "duration_", "unknown_")
                if f'"{prefix}' in code or f'f"{prefix}' in code
            )
            assert used, f"'{key}' in content/ui.yaml is used nowhere: remove it"


# --- escapers: text stays text ------------------------------------------------------------------------

TRICKY = [
    "X<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '<svg onload="alert(1)">',
    "[link](javascript:alert(1)) ![image](x.png)",
    "# heading",
    "1. not a list",
    "- not a list",
    "*emphasis* _emphasis_ `code` **strong**",
    "{{ jinja }} {% block %} {: .attr }",
    "a | table | cell",
    "&amp; &lt; entities",
    "\" ' quotes",
    '<div markdown="1">*x*</div>',
]


@pytest.mark.parametrize("value", TRICKY)
def test_markdown_escaping_shows_the_text_as_typed(value):
    rendered = python_markdown.markdown(markdown(value), extensions=MARKDOWN_EXTENSIONS)
    assert re.fullmatch(r"<p>[^<]*</p>", rendered), rendered
    assert html.unescape(rendered[3:-4]) == " ".join(value.split())


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80))
def test_markdown_escaping_keeps_any_text_as_one_paragraph_of_that_text(value):
    rendered = python_markdown.markdown(markdown(value), extensions=MARKDOWN_EXTENSIONS)
    if not value.split():
        return
    assert re.fullmatch(r"<p>[^<]*</p>", rendered), rendered
    assert html.unescape(rendered[3:-4]) == " ".join(value.split())


@pytest.mark.parametrize("value", TRICKY)
def test_html_escaping_and_titles_leave_no_markup(value):
    assert "<" not in escape_html(value) and '"' not in escape_html(value)
    assert html.unescape(escape_html(value)) == value
    assert isinstance(escape_html(value), Html) and escape_html(escape_html(value)) == escape_html(value)
    assert "<" not in page_title(value) and html.unescape(page_title(value)) == " ".join(value.split())


def test_data_in_a_script_element_cannot_end_it():
    data = {"text": "</script><script>alert(1)</script><!-- \u2028"}
    text = json_script(data)
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == data


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:x", None),
        ('https://example.org/"onmouseover="alert(1)', None),
        ("https:example.org", None),
        ("//example.org", None),
        ("/relative", None),
        ("", None),
    ],
)
def test_only_allowlisted_urls_become_links(value, expected):
    assert safe_url(value) == expected


def test_phone_numbers_and_addresses_become_tel_and_mailto_links_or_nothing():
    assert tel_url("+47 23 23 92 20") == "tel:+4723239220"
    assert tel_url("23 23 92 20") is None and tel_url('+47 23 23 92 20" onclick="x') is None
    assert mailto_url("passeport@diplobel.fed.be") == "mailto:passeport@diplobel.fed.be"
    assert mailto_url("a@b.org?subject=x") is None and mailto_url('a@b.org"><script>') is None
