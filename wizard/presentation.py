"""The presentation layer: every word, date, amount and escape, defined once. Standard library only.

`Words` is one language's view of the string catalogue (content/ui.yaml, all sections merged) and of
the locale data the build derived once from CLDR (pipeline/locale_data.py: date patterns, month and
day names, decimal and group marks). Its formatters return plain text. The escapers below turn plain
text into what one context accepts; a caller escapes once, where text enters markup:

    html / attr     text in HTML content or a quoted attribute value       (wizard, templates)
    markdown        text in Markdown that MkDocs turns into HTML           (templates)
    page_title      text MkDocs/Material print unescaped (titles, names)  (front matter, config)
    json_script     data inside a <script> element                         (page config, JSON-LD)
    safe_url        a URL from content: allowlisted schemes only, else None

The Jinja pages (pipeline/render.py), the no-JS and interactive wizard (wizard/html.py, in CPython
and in Pyodide) and `build.py explain` all format through this module, so a date or an amount reads
the same everywhere.
"""

import datetime
import html as _html
import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

URL_SCHEMES = ("https", "http", "mailto", "tel")


# --- escaping -----------------------------------------------------------------------------------


class Html(str):
    """Text that is already HTML, built by our own code from escaped parts: `html()` leaves it alone."""

    __slots__ = ()

    def __html__(self):  # MarkupSafe / Jinja: treat as markup, do not escape again
        return str(self)


def html(value):
    """Plain text as HTML (content or a quoted attribute): & < > " ' escaped. `Html` passes through."""
    if isinstance(value, Html):
        return value
    return Html(_html.escape(str(value), quote=True))


attr = html


def join_html(parts, separator=""):
    """Pieces of HTML our own code built (every text in them already through `html()`) as one `Html`."""
    return Html(str(separator).join(str(part) for part in parts))


# Python-Markdown's backslash escapes (`|` with the tables extension); `<`, `>` and `&` become entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown(value):
    """Plain text for a Markdown source: shown as typed, never read as Markdown or HTML.

    Markdown's specials get a backslash, then the text is escaped as HTML (`<` becomes `&lt;`, which
    Markdown keeps as it is), so neither a link, an image, emphasis, a list nor a raw HTML block can
    start. Whitespace runs become one space: one text, one line of the Markdown source.
    """
    text = " ".join(str(value).split())
    return str(html(_MARKDOWN_SPECIAL.sub(r"\\\1", text)))


def page_title(value):
    """A title or name MkDocs and Material print as raw HTML (nav, header, site name): escaped once."""
    return str(html(" ".join(str(value).split())))


def json_script(data):
    """JSON for the inside of a <script> element: no `</script>`, `<!--` or line separators can end it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def safe_url(value, schemes=URL_SCHEMES):
    """`value` if it is a URL with an allowed scheme and nothing that could end an attribute, else None.

    `check` refuses other URLs already; this is the second line, where a URL enters an href.
    """
    text = str(value)
    if not text or any(c.isspace() or ord(c) < 32 or c in "<>\"'`\\" for c in text):
        return None
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in schemes or not rest:
        return None
    if scheme.lower() in ("http", "https") and not re.match(r"//[^/?#]+", rest):
        return None
    return text


def tel_url(number):
    """`tel:` URL of an international phone number as written (+47 23 23 92 20), else None."""
    digits = re.sub(r"[\s().-]", "", str(number))
    return f"tel:{digits}" if re.fullmatch(r"\+[0-9]{6,15}", digits) else None


def mailto_url(address):
    """`mailto:` URL of a plain e-mail address, else None (nothing can break out of the link)."""
    text = str(address).strip()
    return f"mailto:{text}" if re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", text) else None


# --- words and formats ----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PATTERN_TOKEN = re.compile(r"'[^']*'|([A-Za-z])\1*|[^'A-Za-z]+")


class Words:
    """The catalogue of one language plus its formatters. `words["fees"]`, `words.fill("fee_changes", …)`.

    `catalogue` is {key: text} in this language; `locale` the CLDR data derived by the build:
    {"date": "d MMMM y", "months": [12 names], "days": [7 names, Monday first], "decimal": ",",
    "group": "."}. Plain text in, plain text out: escape where it lands.
    """

    def __init__(self, lang, catalogue, locale, facts=None):
        self.lang = lang
        self.catalogue = catalogue
        self.locale = locale
        self.facts = facts or {}  # {fact name: text}: what `{name}` in a content text stands for

    def with_facts(self, facts):
        """These words for one post: content texts fill `{fact}` with that post's facts (plain text)."""
        return Words(self.lang, self.catalogue, self.locale, facts)

    def __getitem__(self, key):
        return self.catalogue[key]

    def __getattr__(self, key):  # templates read `ui.fees`
        try:
            return self.catalogue[key]
        except KeyError:
            raise AttributeError(key) from None

    def __contains__(self, key):
        return key in self.catalogue

    def fill(self, key, **values):
        """The text of `key` with its `{name}` placeholders filled (plain text); a missing one raises."""
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.catalogue[key])

    def fill_html(self, key, **values):
        """`fill` for HTML: the text escaped, each value escaped unless it is already `Html`."""
        template = str(html(self.catalogue[key]))
        return Html(_PLACEHOLDER.sub(lambda m: html(values[m.group(1)]), template))

    def date(self, iso, pattern=None):
        """An ISO date in this language's long form: "1 januari 2027", "January 1, 2027"."""
        day = iso if isinstance(iso, datetime.date) else datetime.date.fromisoformat(str(iso))
        parts = []
        for match in _PATTERN_TOKEN.finditer(pattern or self.locale["date"]):
            token = match.group(0)
            parts.append(self._date_field(token, day) if match.group(1) else token.strip("'"))
        return "".join(parts)

    def _date_field(self, token, day):
        letter, width = token[0], len(token)
        if letter == "d":
            return f"{day.day:0{width}d}"
        if letter in "ML":
            return self.locale["months"][day.month - 1] if width >= 3 else f"{day.month:0{width}d}"
        if letter == "y":
            return f"{day.year % 100:02d}" if width == 2 else f"{day.year:0{width}d}"
        if letter in "Ec":
            return self.locale["days"][day.weekday()]
        return token

    def number(self, value, decimals=0):
        """A number with this language's decimal and group marks: 12.345,50 / 12,345.50."""
        try:
            amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            return str(value)
        sign = "-" if amount < 0 else ""
        whole, _, fraction = f"{abs(amount):f}".partition(".")
        groups = []
        while len(whole) > 3:
            whole, groups = whole[:-3], [whole[-3:], *groups]
        whole = self.locale["group"].join([whole, *groups])
        return sign + whole + (self.locale["decimal"] + fraction if fraction else "")

    def money(self, amount, currency):
        """An amount with two decimals and its currency code: "73,50 EUR"."""
        return f"{self.number(amount, 2)} {currency}"

    def join(self, items, conjunction="or"):
        """ "a, b or c" ("and": "a, b and c") in this language (the catalogue's `joiner_or`, `joiner_and`)."""
        items = [str(item) for item in items]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self.catalogue[f"joiner_{conjunction}"] + items[-1]

    def text(self, mapping):
        """The text in this language from a {lang: text} mapping of the content (every language is
        there: `check` guarantees it), with `{fact}` placeholders filled from the post's facts."""
        value = text(mapping, self.lang)
        if "{" not in value or not self.facts:
            return value
        return _PLACEHOLDER.sub(lambda m: self.facts.get(m.group(1), m.group(0)), value)


def text(mapping, lang):
    """The text for `lang` from a {lang: text} mapping; "" for no mapping."""
    if not mapping:
        return ""
    return mapping[lang] if lang in mapping else next(iter(mapping.values()))
