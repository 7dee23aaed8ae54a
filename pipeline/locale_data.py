"""Locale data for the presentation layer, derived once from CLDR (Babel) at build time.

The wizard formats dates and amounts in the visitor's browser, where Babel is not available (the
engine stays standard library only). So the build reads what it needs from CLDR here and ships it
with the procedures (`wizard.presentation.Words` reads it); the pages use the very same data, so a
date or an amount reads the same on every page, in the wizard and in `build.py explain`.
"""

from babel import Locale
from babel.dates import get_date_format


def locale_data(lang):
    """{"date", "date_short", "months", "days", "decimal", "group"} for language `lang` (CLDR)."""
    locale = Locale.parse(lang)
    symbols = locale.number_symbols["latn"]
    return {
        "date": get_date_format("long", locale=locale).pattern,
        "date_short": get_date_format("short", locale=locale).pattern,
        "months": [locale.months["format"]["wide"][m] for m in range(1, 13)],
        "days": [locale.days["format"]["wide"][d] for d in range(7)],
        "decimal": symbols["decimal"],
        "group": symbols["group"],
    }


def locales(languages):
    """{lang: locale_data(lang)} for the site's languages."""
    return {lang: locale_data(lang) for lang in languages}
