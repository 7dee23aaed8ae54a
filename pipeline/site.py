"""Build the static site: every post × language, one MkDocs (Material) build each, swapped in atomically.

    build_command(root, out, on, posts)   `build.py build`: validate, render, build, swap; exit code
    serve_command(root, on, posts, port)  `build.py serve`: build, serve on localhost, rebuild on change
    build_site(root, out, on, posts)      the build itself (raises ContentError / SiteError)

Output: `out/index.html` (a plain post × language chooser), `out/<post>/<lang>/` per build and
`out/_wizard/`, the wizard's Pyodide runtime, shared by every post and language.
The build is atomic (built beside `out` in `<out>.tmp-<pid>`, swapped in only when every build
succeeded) and reproducible (the same content and date give byte-identical files).
"""

import contextlib
import datetime
import http.server
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from wizard.presentation import page_title

from .layout import WIZARD_ASSETS as ASSETS
from .model import load_content
from .render import render_post, render_root_index

# Where the offline plugin finds the iframe-worker shim: vendored from npm, never fetched from a CDN.
IFRAME_WORKER = Path("node_modules") / "iframe-worker" / "shim" / "index.js"
IFRAME_WORKER_IN_SITE = "assets/javascripts/iframe-worker/shim.js"
# What `serve` watches for changes (relative to the root).
WATCHED = ("procedures", "content", "pipeline/templates", "pipeline/theme", "wizard", "mkdocs.yml")
# The interactive wizard's front end, copied into every language build (see layout.WIZARD_ASSETS).
WIZARD_ASSETS = Path("wizard") / "web"
WIZARD_ASSET_FILES = ("wizard.js", "wizard.css")
# Where the compiled Pyodide standard library is kept between builds (keyed by content hash).
RUNTIME_CACHE = Path(".build") / "runtime"


class SiteError(Exception):
    """Raised by `build_site` when a MkDocs build fails or a needed file is missing; says which."""


@dataclass
class BuildReport:
    """What a build produced: the builds made and the time MkDocs itself took."""

    out: Path
    builds: list
    pages: int
    seconds: float
    mkdocs_seconds: float


# --- commands ------------------------------------------------------------------------------------


def build_command(root, out, on=None, posts=None):
    """`build.py build`: 0 when the site was built and swapped in; ContentError propagates."""
    try:
        report = build_site(root, out, on=on, posts=posts)
    except SiteError as error:
        print(f"build failed: {error}; the previous site (if any) is unchanged.", file=sys.stderr)
        return 1
    print(f"built {len(report.builds)} sites ({report.pages} pages) into {report.out} in {report.seconds:.1f} s")
    return 0


def serve_command(root, on=None, posts=None, port=8000):
    """`build.py serve`: preview on http://127.0.0.1:PORT/, rebuilding when the content changes."""
    from .errors import ContentError

    root = Path(root)
    workdir = Path(tempfile.mkdtemp(prefix="consular-serve-"))
    out = workdir / "site"
    try:
        state = _snapshot(root)
        _serve_build(root, out, on, posts)
        server = _start_server(out, port)
        print(
            f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop); watching {', '.join(WATCHED)}",
            flush=True,
        )
        while True:
            time.sleep(0.5)
            new_state = _snapshot(root)
            if new_state != state:
                state = new_state
                print("change seen: rebuilding", flush=True)
                _serve_build(root, out, on, posts)
    except KeyboardInterrupt:
        return 0
    except (ContentError, SiteError) as error:  # the first build failed: nothing to serve
        print(error.report() if hasattr(error, "report") else error, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _serve_build(root, out, on, posts):
    """One rebuild for `serve`: a content error is printed and the last good site stays served."""
    from .errors import ContentError

    try:
        report = build_site(root, out, on=on, posts=posts)
        print(f"built {report.pages} pages in {report.seconds:.1f} s", flush=True)
    except (ContentError, SiteError) as error:
        if not out.exists():
            raise
        print(error.report() if hasattr(error, "report") else f"build failed: {error}", file=sys.stderr, flush=True)


def _start_server(directory, port):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(directory), **kwargs)

        def log_message(self, format, *args):  # quiet: the build messages are what matter
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _snapshot(root):
    """(path, mtime, size) of every watched file: a change in any of them triggers a rebuild."""
    found = []
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            stat = file.stat()
            found.append((str(file), stat.st_mtime_ns, stat.st_size))
    return found


# --- the build -----------------------------------------------------------------------------------


def build_site(root, out, on=None, posts=None):
    """Validate, render and build every post × language into `out`, atomically.

    The order matters: the content is validated completely before anything is written, and the
    new site replaces the old one only after every MkDocs build succeeded.
    """
    started = time.perf_counter()
    root, out = Path(root).resolve(), Path(out).resolve()
    content = load_content(root, on=on)
    post_ids = select_posts(content, posts)
    rendered = [render_post(content, pid, lang) for pid in post_ids for lang in content.languages]
    root_index = render_root_index(content, post_ids)

    temporary = out.parent / f"{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    mkdocs_seconds = 0.0
    try:
        with tempfile.TemporaryDirectory(prefix="consular-docs-") as docs_root:
            for config, config_file in prepare_builds(root, content, rendered, Path(docs_root), temporary):
                mkdocs_seconds += run_mkdocs(config, config_file, content.on)
        (temporary / "index.html").write_text(root_index, encoding="utf-8")
        install_wizard_runtime(root, content, temporary)
        swap_into_place(temporary, out)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    pages = sum(len(site.pages) for site in rendered)
    return BuildReport(
        out=out,
        builds=[(s.post, s.lang) for s in rendered],
        pages=pages,
        seconds=time.perf_counter() - started,
        mkdocs_seconds=mkdocs_seconds,
    )


def prepare_builds(root, content, rendered, docs_root, site_root):
    """Write each build's Markdown under `docs_root`; [(MkDocs config, its file)], sites under `site_root`."""
    shim = root / IFRAME_WORKER
    if not shim.is_file():
        raise SiteError(f"{IFRAME_WORKER} is missing: run ./run.sh setup (npm ci)")
    base = read_base_config(root)
    builds = []
    for site in rendered:
        docs = write_docs(docs_root / site.post / site.lang, site, shim, root)
        config = build_config(base, root, content, site, docs, site_root / site.post / site.lang)
        builds.append((config, docs_root / f"{site.post}-{site.lang}.yml"))
    return builds


def install_wizard_runtime(root, content, site_root):
    """The Pyodide runtime and the site's procedures, once, in `site_root/_wizard/`."""
    from .runtime import RuntimeBuildError, install_runtime

    try:
        install_runtime(
            site_root, content.wizard_data(), root, content.on, optimise=True, cache_dir=root / RUNTIME_CACHE
        )
    except RuntimeBuildError as error:
        raise SiteError(f"the wizard's runtime could not be prepared: {error}") from error


def select_posts(content, posts):
    if not posts:
        return list(content.posts)
    unknown = [p for p in posts if p not in content.posts]
    if unknown:
        raise SiteError(f"unknown post(s): {', '.join(unknown)}. Expected one of: {', '.join(content.posts)}")
    return list(dict.fromkeys(posts))


def read_base_config(root):
    """mkdocs.yml as a dict, with its paths (custom_dir, hooks) made absolute."""
    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        base = yaml.safe_load(f)
    theme = dict(base.get("theme", {}))
    if "custom_dir" in theme:
        theme["custom_dir"] = str(root / theme["custom_dir"])
    base["theme"] = theme
    base["hooks"] = [str(root / hook) for hook in base.get("hooks", [])]
    return base


def write_docs(docs, site, shim, root):
    """The Markdown pages of one build, the vendored iframe-worker shim and the wizard's front end."""
    docs.mkdir(parents=True)
    for name, markdown in site.pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(markdown, encoding="utf-8")
    target = docs / IFRAME_WORKER_IN_SITE
    target.parent.mkdir(parents=True)
    shutil.copyfile(shim, target)
    wizard_assets = docs / ASSETS
    wizard_assets.mkdir(parents=True)
    for name in WIZARD_ASSET_FILES:
        shutil.copyfile(root / WIZARD_ASSETS / name, wizard_assets / name)
    return docs


def build_config(base, root, content, site, docs, site_dir):
    """The MkDocs configuration of one post × language: mkdocs.yml plus what differs per build."""
    lang = site.lang
    config = dict(base)
    config.update(
        {
            "site_name": site.site_name,
            "docs_dir": str(docs),
            "site_dir": str(site_dir),
            "nav": list(site.nav),
            "copyright": _footer(content, lang),
        }
    )
    config["theme"] = dict(base["theme"], language=lang)
    config["plugins"] = [_plugin_with_lang(p, lang) for p in base.get("plugins", [])]
    config["extra_css"] = list(base.get("extra_css", [])) + [f"{ASSETS}/wizard.css"]
    config["extra"] = dict(base.get("extra", {}))
    # Every text handed to MkDocs is printed by Material as it is: escaped here (wizard.presentation).
    config["extra"]["alternate"] = [
        {"name": page_title(content.words(code)["language_name"]), "lang": code} for code in content.languages
    ]
    # Listed here, the offline plugin does not add its CDN copy (https://unpkg.com/iframe-worker).
    config["extra"]["polyfills"] = [IFRAME_WORKER_IN_SITE]
    config["extra"]["toggle_labels"] = {
        "drawer": content.words(lang)["menu_toggle"],
        "search": content.words(lang)["search_toggle"],
    }
    return config


def _plugin_with_lang(plugin, lang):
    name, options = (plugin, {}) if isinstance(plugin, str) else next(iter(plugin.items()))
    if name in ("search", "material/search"):
        return {name: dict(options or {}, lang=lang)}
    return {name: options} if options else name


def _footer(content, lang):
    words = content.words(lang)
    return page_title(words.fill("footer", date=words.date(content.on)))


def run_mkdocs(config, config_file, on):
    """One MkDocs build from `config` (written to `config_file`); returns the seconds it took.

    SOURCE_DATE_EPOCH (the build date at midnight UTC) stands in for the clock, so that nothing
    MkDocs or Material writes depends on when the build ran.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=True), encoding="utf-8")
    epoch = str(int(datetime.datetime.fromisoformat(on).replace(tzinfo=datetime.UTC).timestamp()))
    started = time.perf_counter()
    with _environment(SOURCE_DATE_EPOCH=epoch), _quiet_mkdocs() as messages:
        try:
            build(load_config(str(config_file)))
        except (MkDocsException, SystemExit) as error:
            details = "; ".join(messages) or str(error)
            site_dir = Path(config["site_dir"])
            raise SiteError(f"MkDocs failed for {site_dir.parent.name}/{site_dir.name}: {details}") from error
    return time.perf_counter() - started


@contextlib.contextmanager
def _environment(**values):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _quiet_mkdocs():
    """Collect MkDocs' warnings (reported in a SiteError) instead of printing them as they come."""
    messages = []

    class Collect(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect(level=logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def swap_into_place(new, out):
    """Replace `out` by `new`: old → out.old, new → out, then delete the old one."""
    old = out.parent / f"{out.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
