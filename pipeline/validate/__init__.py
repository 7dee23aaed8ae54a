"""Validation of all content, in memory, before anything is written.

Two layers, as in MkDocs' config validation: the JSON Schemas in `schema/` check shape (unknown
keys, wrong types, missing keys), then the checks below check meaning (unknown ids in conditions,
missing translations, dated fees, every answer path ending in exactly one route). Every problem is
collected with its file, line and column and a hint saying how to fix it; nothing stops at the
first one. One module per kind of check:

- `schema`: shape, numbers and links, against `schema/*.json`;
- `procedures`, `conditions`: the meaning of a procedure and of its `when:` conditions;
- `paths`, `reach`: every answer path, walked with the engine on each date that matters; what no
  path reaches;
- `posts`, `facts`, `sources`, `translations`: offices, what differs per office, sources and
  texts per language;
- `glossary`: the official terms (content/glossary.yaml), no variant it rules out in any text,
  and one translation per source text in each language;
- `ids`, `base`: unique ids and references; what every check shares.
"""

from wizard.paths import DEFAULT_LIMIT

from ..compile import compile_procedure
from .base import Result
from .facts import (
    check_fact_shapes,
    check_no_post_facts_in_procedures,
    check_post_gives_needs,
    check_procedure_needs,
)
from .glossary import check_consistency, check_glossary, check_terms
from .ids import check_ref, check_unique
from .paths import check_paths
from .posts import check_post
from .procedures import check_procedure
from .schema import SITE_SCHEMA, check_schema, load_schema
from .sources import check_sources_age
from .translations import check_translations, text_mappings

__all__ = ["Result", "SITE_SCHEMA", "check_schema", "load_schema", "text_mappings", "validate_all"]


def validate_all(site, sources, procedures, posts, pages, ui, on, unreadable_ids=(), glossary=None):
    """Check every document; return a `Result` with all errors and warnings found.

    `unreadable_ids` are procedures whose files could not be loaded (already reported): others
    may still name them without a second, misleading "unknown procedure" error.
    """
    result = Result()
    check_schema(site, SITE_SCHEMA, result)
    listed_languages = site.data.get("languages") if isinstance(site.data, dict) else None
    languages = (
        [lang for lang in listed_languages if isinstance(lang, str)] if isinstance(listed_languages, list) else []
    )
    languages = languages or ["nl"]
    check_schema(sources, load_schema("sources.schema.json"), result)
    # Sources that are misshapen are reported above; the others are still known by their ids.
    listed = [
        (i, s)
        for i, s in enumerate(sources.data if isinstance(sources.data, list) else [])
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    ]
    source_ids = [s["id"] for _, s in listed]
    check_unique(sources, [((i, "id"), s["id"]) for i, s in listed], "source", result)
    check_sources_age(sources, on, result)
    check_translations(site, languages, result)

    procedure_schema = load_schema("procedure.schema.json")
    # A procedure is known by its id and by its file name, so that an id differing from its file
    # name is reported once (check_procedure), not again at every post and procedure naming it.
    procedure_ids = sorted(
        {d.data["id"] for d in procedures if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
        | {d.path.stem for d in procedures}
        | set(unreadable_ids)
    )
    for doc in procedures:
        if not check_schema(doc, procedure_schema, result):
            continue
        errors_before = len(result.errors)
        check_procedure(doc, languages, source_ids, procedure_ids, result)
        check_procedure_needs(doc, result)
        if len(result.errors) == errors_before:
            procedure = compile_procedure(doc.data, [s for _, s in listed])
            check_paths(doc, procedure, on, result, DEFAULT_LIMIT)

    post_schema = load_schema("post.schema.json")
    valid_posts = [doc for doc in posts if check_schema(doc, post_schema, result)]
    procedures_by_id = {d.data["id"]: d.data for d in procedures if isinstance(d.data, dict) and "id" in d.data}
    for doc in valid_posts:
        check_post(doc, languages, source_ids, procedure_ids, result)
        check_fact_shapes(doc, source_ids, result)
        check_post_gives_needs(doc, procedures_by_id, result)
    check_no_post_facts_in_procedures([d for d in procedures if isinstance(d.data, dict)], valid_posts, result)
    post_ids = [d.data["id"] for d in valid_posts]
    for doc in pages:
        for i, post_id in enumerate(doc.data.get("for_posts", []) if isinstance(doc.data, dict) else []):
            check_ref(doc, ("for_posts", i), post_id, post_ids, "post", result, "posts are the files in content/posts/")
    for doc in pages + ([ui] if ui else []):
        check_translations(doc, languages, result)

    # Every text of every file, against the glossary's variants and against each other.
    texts = [site, *procedures, *posts, *pages, *([ui] if ui else [])]
    if glossary is not None and check_schema(glossary, load_schema("glossary.schema.json"), result):
        check_terms(texts, check_glossary(glossary, languages, source_ids, result), result)
    check_consistency(texts, languages, result)
    return result
