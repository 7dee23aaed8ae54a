"""The glossary (content/glossary.yaml) and what it asks of every text: the official term of each
concept, never a variant it rules out; and one Dutch text translated one way in each language.

- `check_glossary`: the glossary itself, beyond its schema: a term for every site language and no
  other, each with its sources (ids in content/sources.yaml) or `unconfirmed: true`, each variant's
  pattern a valid regular expression that matches the variant's text but not the term it stands
  beside. Returns the `Variant`s to look for.
- `check_terms`: a variant in a text of its language is an error, at the line of that language,
  naming the term to write instead. Variants match as whole words, whatever the case; a variant's
  `pattern` also catches its other forms (German endings, plurals). Where two variants match the
  same words ('höchst dringliches Eilverfahren' and 'Eilverfahren'), the longer one is reported.
- `check_consistency`: the same source-language text translated two ways in one language is a
  warning (`check --strict` fails) at the second place, naming the first: a label that reads one
  way on one page and another way on the next is a slip, or the Dutch should differ too.
"""

import re
from dataclasses import dataclass

from .base import shorten
from .ids import check_ref, check_unique
from .translations import text_mappings

GLOSSARY_FILE = "content/glossary.yaml"


@dataclass(frozen=True)
class Variant:
    """One variant the glossary rules out: its language, how it is found, and the term to use instead."""

    lang: str
    text: str
    regex: re.Pattern
    concept: str
    term: str
    why: str


def whole_words(pattern):
    """`pattern` matched as whole words (no letter or digit just before or after), whatever the case."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


def default_pattern(text):
    """The pattern of a variant written without one: its words, any spacing between them."""
    return r"\s+".join(re.escape(word) for word in text.split())


def check_glossary(doc, languages, source_ids, result):
    """Check the glossary beyond its schema; return the `Variant`s to look for in the texts."""
    concepts = doc.data if isinstance(doc.data, list) else []
    check_unique(doc, [((i, "id"), c["id"]) for i, c in enumerate(concepts) if "id" in c], "glossary entry", result)
    variants = []
    for i, concept in enumerate(concepts):
        terms = concept.get("terms") or {}
        for lang in languages:
            if lang not in terms:
                result.errors.append(
                    doc.problem(
                        (i, "terms"),
                        f"the glossary entry '{concept['id']}' gives no '{lang}' term",
                        f"add '{lang}: {{term: …, sources: [<id from content/sources.yaml>]}}' "
                        "(or 'unconfirmed: true' and a 'note:' when no source gives it)",
                        key=True,
                    )
                )
        for lang, entry in terms.items():
            path = (i, "terms", lang)
            if lang not in languages:
                result.errors.append(
                    doc.problem(
                        path,
                        f"'{lang}' is not a language of this site",
                        f"remove this term, or add '{lang}' to the languages in content/site.yaml "
                        f"(now: {', '.join(languages)})",
                        key=True,
                    )
                )
                continue
            _check_term_sources(doc, path, concept["id"], lang, entry, source_ids, result)
            variants += _variants(doc, path, concept["id"], lang, entry, result)
    return variants


def _check_term_sources(doc, path, concept_id, lang, entry, source_ids, result):
    """A term has sources or says it is unconfirmed, not both; each source is known."""
    if ("sources" in entry) == bool(entry.get("unconfirmed")):
        result.errors.append(
            doc.problem(
                path,
                f"the '{lang}' term of '{concept_id}' needs exactly one of 'sources' or 'unconfirmed'",
                "give 'sources: [<id from content/sources.yaml>]' of the pages that use it, "
                "or 'unconfirmed: true' and a 'note:' saying why no source was found",
            )
        )
    for j, source in enumerate(entry.get("sources", [])):
        check_ref(
            doc,
            path + ("sources", j),
            source,
            source_ids,
            "source",
            result,
            "sources are listed in content/sources.yaml",
        )


def _variants(doc, path, concept_id, lang, entry, result):
    found = []
    for j, avoid in enumerate(entry.get("avoid", [])):
        pattern = avoid.get("pattern") or default_pattern(avoid["text"])
        try:
            re.compile(pattern)  # alone first, so that an error's position is the pattern's own
            regex = whole_words(pattern)
        except re.error as error:
            result.errors.append(
                doc.problem(
                    path + ("avoid", j, "pattern"),
                    f"the pattern '{shorten(pattern, 60)}' is not a valid regular expression: {error}",
                    "check the brackets and backslashes (in YAML double quotes, write \\\\s for \\s), "
                    "or leave 'pattern' out to match 'text' as it is",
                )
            )
            continue
        if not regex.search(avoid["text"]):
            result.errors.append(
                doc.problem(
                    path + ("avoid", j, "pattern"),
                    f"the pattern '{shorten(pattern, 60)}' does not match the variant '{avoid['text']}' it stands for",
                    "widen the pattern so that it matches 'text' too (it is matched as whole words, whatever the case)",
                )
            )
            continue
        if regex.search(entry["term"]):
            result.errors.append(
                doc.problem(
                    path + ("avoid", j),
                    f"the variant '{avoid['text']}' to avoid also matches the term '{entry['term']}' itself",
                    "make its pattern narrower, so that it only matches the wrong forms",
                )
            )
            continue
        found.append(Variant(lang, avoid["text"], regex, concept_id, entry["term"], avoid.get("why", "")))
    return found


def check_terms(docs, variants, result):
    """A variant the glossary rules out, in any text of its language, is an error at that text's line."""
    by_lang = {}
    for variant in variants:
        by_lang.setdefault(variant.lang, []).append(variant)
    reported = set()
    for doc in docs:
        for path, mapping in _texts(doc):
            for lang, text in mapping.items():
                for variant, matched in _matches(text, by_lang.get(lang, [])):
                    problem = doc.problem(
                        path + (lang,),
                        f"the '{lang}' text says '{matched}', which {GLOSSARY_FILE} rules out ('{variant.concept}')",
                        f"write '{variant.term}' instead" + (f": {variant.why}" if variant.why else ""),
                    )
                    if problem not in reported:  # a text the YAML repeats with an alias is one mistake
                        reported.add(problem)
                        result.errors.append(problem)


def _matches(text, variants):
    """[(variant, the words it matched)] in `text`, the longest first; no two cover the same words."""
    hits = sorted(
        ((m.start(), m.end(), variant) for variant in variants for m in variant.regex.finditer(text)),
        key=lambda hit: (hit[0] - hit[1], hit[0]),
    )
    taken = []
    found = []
    for start, end, variant in hits:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        taken.append((start, end))
        found.append((start, variant, text[start:end]))
    return [(variant, matched) for _, variant, matched in sorted(found, key=lambda hit: hit[0])]


def check_consistency(docs, languages, result):
    """One source-language text translated two ways in one language: a warning at the second place."""
    source = languages[0]
    seen = {}  # (source text, lang) -> (translation, doc, path) where it was first found
    places = []
    for doc in docs:
        for path, mapping in _texts(doc):
            if source not in mapping:
                continue
            for lang in languages[1:]:
                if lang in mapping:
                    line, column = doc.where(path + (lang,))
                    places.append(((doc.display, line, column), mapping[source], lang, mapping[lang], doc, path))
    reported = set()
    for _, original, lang, translation, doc, path in sorted(places, key=lambda place: place[0]):
        first = seen.setdefault((original, lang), (translation, doc, path))
        if first[0] == translation:
            continue
        first_doc, first_path = first[1], first[2]
        line = first_doc.where(first_path + (lang,))[0]
        problem = doc.problem(
            path + (lang,),
            f"the '{source}' text '{shorten(original, 60)}' is translated into '{lang}' as "
            f"'{shorten(translation, 60)}' here, but as '{shorten(first[0], 60)}' at {first_doc.display}:{line}",
            "translate the same text the same way everywhere (or, if the two places mean different "
            f"things, word the '{source}' texts differently)",
            severity="warning",
        )
        if problem not in reported:
            reported.add(problem)
            result.warnings.append(problem)


def _texts(doc):
    """The text mappings ({nl: …, fr: …}) of a document, without a procedure's review states."""
    return [(path, mapping) for path, mapping in text_mappings(doc.data, ()) if path != ("translations",)]
