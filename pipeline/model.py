"""The content model: every YAML file loaded, validated and compiled into plain JSON-ready data.

`load_content(root, on)` is the one entry point the build, the checks and the tests use. It reads
everything, validates everything in memory and raises `ContentError` with every problem before
anything is written. The compiled procedures are the very dicts the engine evaluates, in CPython
and (as JSON) in the browser.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from . import validate
from .compile import compile_procedure, to_json
from .errors import ContentError
from .load import LoadError, load_yaml


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
    ui: dict = field(default_factory=dict)
    wizard_ui: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    @property
    def default_language(self):
        return self.languages[0]

    def wizard_strings(self, lang):
        """The wizard's UI words in `lang` (content/wizard-ui.yaml), as wizard.html expects them."""
        strings = {key: value[lang] for key, value in self.wizard_ui.items()}
        strings["months"] = strings["months"].split()
        return strings


def load_content(root, on=None, path_limit=None):
    """Load, validate and compile the content under `root`; raise `ContentError` listing all errors.

    `on` (a date, default today) is the build date: it selects fees in force and ages sources.
    """
    root = Path(root)
    on = (on or datetime.date.today()).isoformat() if not isinstance(on, str) else on
    problems = []
    documents = {}

    def read(path):
        try:
            doc = load_yaml(path, display=str(path.relative_to(root)))
        except LoadError as error:
            problems.extend(error.problems)
            return None
        documents[doc.display] = doc
        return doc

    site = read(root / "content" / "site.yaml")
    sources = read(root / "content" / "sources.yaml")
    procedure_paths = sorted((root / "procedures").glob("*.yaml"))
    procedure_docs = [d for d in map(read, procedure_paths) if d]
    post_docs = [d for d in map(read, sorted((root / "content" / "posts").glob("*.yaml"))) if d]
    page_docs = [d for d in map(read, sorted((root / "content" / "pages").glob("*.yaml"))) if d]
    ui = read(root / "content" / "ui.yaml") if (root / "content" / "ui.yaml").exists() else None
    wizard_ui = read(root / "content" / "wizard-ui.yaml")
    if site is None or sources is None or wizard_ui is None:
        raise ContentError(problems)

    # Files that loaded are still checked when others did not, so every problem is reported at once.
    unreadable = {p.stem for p in procedure_paths} - {d.path.stem for d in procedure_docs}
    result = validate.validate_all(
        site,
        sources,
        procedure_docs,
        post_docs,
        page_docs + [wizard_ui],
        ui,
        on,
        path_limit=path_limit,
        unreadable_ids=unreadable,
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
        posts={d.data["id"]: to_json(d.data) for d in post_docs},
        pages={d.path.stem: to_json(d.data) for d in page_docs},
        ui=to_json(ui.data) if ui else {},
        wizard_ui=to_json(wizard_ui.data),
        documents=documents,
        warnings=result.warnings,
    )
