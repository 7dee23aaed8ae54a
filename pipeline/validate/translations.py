"""Texts per language: every text mapping ({nl: …, fr: …}) in every site language, and no other."""

import re

from .base import describe_path

TEXT_KEYS_RE = re.compile(r"^[a-z]{2}$")


def check_translations(doc, languages, result):
    """Every text mapping ({nl: …, fr: …}) must have every site language, and no other."""
    for path, mapping in text_mappings(doc.data, ()):
        for lang in languages:
            if lang not in mapping and path != ("translations",):  # a missing review status: check_procedure
                first = next(iter(mapping))
                result.errors.append(
                    doc.problem(
                        path,
                        f"translation missing for '{lang}' in {describe_path(path, lead='')}",
                        f"add a line '{lang}: …' (translate the '{first}' text; mark it unreviewed)",
                    )
                )
        for lang in mapping:
            if lang not in languages:
                result.errors.append(
                    doc.problem(
                        path + (lang,),
                        f"'{lang}' is not a language of this site",
                        f"remove this line, or add '{lang}' to the languages in "
                        f"content/site.yaml (now: {', '.join(languages)})",
                        key=True,
                    )
                )


def text_mappings(value, path):
    if isinstance(value, dict):
        if (
            value
            and all(isinstance(k, str) and TEXT_KEYS_RE.match(k) for k in value)
            and all(isinstance(v, str) for v in value.values())
        ):
            yield path, value
            return
        for key, item in value.items():
            yield from text_mappings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from text_mappings(item, path + (i,))
