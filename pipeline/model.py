"""The content model: every YAML file loaded, validated and compiled into plain JSON-ready data.

`load_content(root, on)` is the one entry point the build, the checks and the tests use. It reads
everything, validates everything in memory and raises `ContentError` with every problem before
anything is written. The compiled procedures are the very dicts the engine evaluates, in CPython
and (as JSON) in the browser.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from wizard.presentation import Words

from . import validate
from .compile import compile_post, compile_procedure, to_json
from .errors import ContentError
from .load import LoadError, load_yaml
from .locale_data import locales

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass
class Content:
    """Everything the site is built from, validated. Procedures and posts are keyed by id, sorted."""

    root: Path
    on: str
    languages: list
    site: dict
    sources: dict
    procedures: dict
    posts: dict
    pages: dict = field(default_factory=dict)
    ui: dict = field(default_factory=dict)  # content/ui.yaml: {section: {key: {lang: text}}}
    glossary: list = field(default_factory=list)  # content/glossary.yaml: official terms per language
    locale: dict = field(default_factory=dict)  # {lang: CLDR data} (pipeline/locale_data.py)
    warnings: list = field(default_factory=list)

    @property
    def default_language(self):
        return self.languages[0]

    def catalogue(self, lang):
        """{key: text} of the string catalogue in `lang`, every section merged (keys are unique)."""
        return {key: texts[lang] for section in self.ui.values() for key, texts in section.items()}

    def unreviewed(self, lang, procedure_ids):
        """True when pages in `lang` carry a translation nobody has reviewed yet (the notice on them)."""
        if lang == self.default_language:
            return False
        return any(self.procedures[pid]["translations"].get(lang) == "unreviewed" for pid in procedure_ids)

    def words(self, lang):
        """The presentation layer's `Words` for `lang`: the catalogue and the formatters."""
        return Words(lang, self.catalogue(lang), self.locale[lang])

    def wizard_data(self, post_ids=None):
        """What the browser's wizard loads once (wizard.browser.load): procedures, posts, words, locale."""
        posts = {pid: self.posts[pid] for pid in (post_ids or self.posts)}
        used = sorted({procedure for post in posts.values() for procedure in post["procedures"]})
        return {
            "procedures": {pid: self.procedures[pid] for pid in used},
            "posts": posts,
            "catalogue": {lang: self.catalogue(lang) for lang in self.languages},
            "locale": self.locale,
        }


def load_content(root, on=None):
    """Load, validate and compile the content under `root`; raise `ContentError` listing all errors.

    `on` (a date, default today) is the build date: it selects fees in force and ages sources.
    """
    root = Path(root)
    on = (on or datetime.date.today()).isoformat() if not isinstance(on, str) else on
    problems = []

    def read(path):
        try:
            doc = load_yaml(path, display=str(path.relative_to(root)))
        except LoadError as error:
            problems.extend(error.problems)
            return None
        return doc

    site = read(root / "content" / "site.yaml")
    sources = read(root / "content" / "sources.yaml")
    procedure_paths = sorted((root / "procedures").glob("*.yaml"))
    procedure_docs = [d for d in map(read, procedure_paths) if d]
    post_docs = [d for d in map(read, sorted((root / "content" / "posts").glob("*.yaml"))) if d]
    page_docs = [d for d in map(read, sorted((root / "content" / "pages").glob("*.yaml"))) if d]
    ui = read(root / "content" / "ui.yaml")
    glossary_path = root / "content" / "glossary.yaml"
    glossary = read(glossary_path) if glossary_path.exists() else None
    if site is None or sources is None or ui is None:
        raise ContentError(problems)
    problems += catalogue_problems(ui)

    # Files that loaded are still checked when others did not, so every problem is reported at once.
    unreadable = {p.stem for p in procedure_paths} - {d.path.stem for d in procedure_docs}
    result = validate.validate_all(
        site,
        sources,
        procedure_docs,
        post_docs,
        page_docs,
        ui,
        on,
        unreadable_ids=unreadable,
        glossary=glossary,
    )
    if problems or result.errors:
        raise ContentError(problems + result.errors)
    return Content(
        root=root,
        on=on,
        languages=list(site.data["languages"]),
        site=to_json(site.data),
        sources={s["id"]: s for s in to_json(sources.data)},
        procedures={d.data["id"]: compile_procedure(d.data, sources.data) for d in procedure_docs},
        posts={d.data["id"]: compile_post(d.data, on) for d in post_docs},
        pages={d.path.stem: to_json(d.data) for d in page_docs},
        ui=to_json(ui.data),
        glossary=to_json(glossary.data) if glossary else [],
        locale=locales(list(site.data["languages"])),
        warnings=result.warnings,
    )


def catalogue_problems(doc):
    """The string catalogue's own rules: sections of keys, each key in one section only, and every
    translation with the same `{placeholders}` as the first language's text."""
    problems = []
    seen = {}
    if not isinstance(doc.data, dict):
        return [doc.problem((), "content/ui.yaml should be sections of words (site:, pages:, wizard: …)")]
    for section, entries in doc.data.items():
        if not isinstance(entries, dict):
            problems.append(doc.problem((section,), f"section '{section}' should hold 'key: texts' lines"))
            continue
        for key, texts in entries.items():
            if key in seen:
                problems.append(
                    doc.problem(
                        (section, key),
                        f"the key '{key}' is also in section '{seen[key]}'",
                        "keep one of them: a word is defined once",
                        key=True,
                    )
                )
            seen[key] = section
            if not isinstance(texts, dict) or not texts:
                continue
            first_lang, first = next(iter(texts.items()))
            wanted = sorted(set(PLACEHOLDER.findall(str(first))))
            for lang, value in texts.items():
                found = sorted(set(PLACEHOLDER.findall(str(value))))
                if found != wanted:
                    problems.append(
                        doc.problem(
                            (section, key, lang),
                            f"the '{lang}' text of '{key}' has the placeholders {found or 'none'}, "
                            f"the '{first_lang}' text {wanted or 'none'}",
                            "keep every {placeholder} of the original, spelt the same, in each translation",
                        )
                    )
    return problems
