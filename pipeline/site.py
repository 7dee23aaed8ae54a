"""Build the static site: every post × language, one MkDocs (Material) build each, swapped in atomically.

    build_site(root, out, on, posts, …)      `build.py build`: validate, render, build, swap; returns a BuildReport
    serve_site(root, report, on, posts, port) `build.py serve`: build, serve on localhost, rebuild on change

Output: `out/index.html` (a plain post × language chooser), `out/<post>/<lang>/` per build and
`out/_wizard/`, the wizard's Pyodide runtime, shared by every post and language.
The build replaces only a folder it made itself (see outdir.py), is atomic (built beside `out` in
its working folder `<out>.tmp-<pid>`, swapped in only when every build succeeded) and reproducible
(the same content and date give byte-identical files). Nothing here prints: results are returned,
and `serve`, which runs until stopped, hands what happens to the `report` callable it is given.
"""

import contextlib
import datetime
import http.server
import logging
import os
import shutil
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import yaml

from wizard.presentation import page_title

from . import builds, layout, outdir, shards, shared_assets
from .csp import with_policy
from .errors import ContentError
from .export import SCHEMA as EXPORT_SCHEMA
from .export import export_text, post_export
from .layout import WIZARD_ASSETS as ASSETS
from .model import load_content
from .publish import base_address, build_address, publish_site
from .render import render_post, render_root_index
from .template_cache import reuse_compiled

# Where the offline plugin finds the iframe-worker shim: vendored from npm, never fetched from a CDN.
IFRAME_WORKER = Path("node_modules") / "iframe-worker" / "shim" / "index.js"
IFRAME_WORKER_IN_SITE = "assets/javascripts/iframe-worker/shim.js"
# What `serve` watches for changes (relative to the root).
WATCHED = ("procedures", "content", "pipeline/templates", "pipeline/theme", "wizard", "mkdocs.yml")
# Where `serve` builds: its working folder `.build/serve.tmp-<pid>`, in a folder git ignores.
SERVE_FOLDER = Path(".build") / "serve"
# The interactive wizard's front end, copied into every language build (see layout.WIZARD_ASSETS).
WIZARD_ASSETS = Path("wizard") / "web"
WIZARD_ASSET_FILES = ("wizard.js", "wizard.css")
# Where the compiled Pyodide standard library is kept between builds (keyed by content hash).
RUNTIME_CACHE = Path(".build") / "runtime"
# Where the compressed copies of the big files (the runtime's) are kept between builds (by content).
COMPRESSED_CACHE = Path(".build") / "compressed"


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
    rebuilt: list = None  # the builds MkDocs ran (the others were unchanged, taken from the previous site)


@dataclass
class Serving:
    """Reported by `serve_site` once the site is served: where, and what it watches."""

    url: str
    watched: tuple


@dataclass
class Rebuilding:
    """Reported by `serve_site` when a watched file changed, before it rebuilds."""


@dataclass
class RequestFailed:
    """Reported by `serve_site`'s server when answering a request failed unexpectedly, and why."""

    reason: str


# --- serve ---------------------------------------------------------------------------------------


def serve_site(root, report, on=None, posts=None, port=8000):
    """Build, serve on http://127.0.0.1:PORT/ and rebuild whenever a watched file changes, until stopped.

    Everything that happens goes to `report`: a BuildReport per build, Serving once, Rebuilding on a
    change, and the ContentError, SiteError or OutputError of a failed rebuild (the last good site
    stays served). The first build's errors propagate: there is nothing to serve yet. The site lives
    in a working folder under .build/, removed when serve stops (KeyboardInterrupt or any error).
    """
    root = Path(root).resolve()
    with contextlib.ExitStack() as stack:
        with outdir.writing(root / SERVE_FOLDER.parent):
            work = stack.enter_context(outdir.working_folder(root / SERVE_FOLDER))
        out = work / "site"
        server = start_server(out, port, report)  # first: a port in use is said before a long build
        try:
            state = _snapshot(root)
            renders = {}  # each post × language's Markdown, rendered again only when its content changed
            report(build_site(root, out, on=on, posts=posts, web=False, renders=renders))
            report(Serving(url=f"http://127.0.0.1:{server.server_address[1]}/", watched=WATCHED))
            while True:
                time.sleep(0.5)
                new_state = _snapshot(root)
                if new_state != state:
                    state = new_state
                    report(Rebuilding())
                    try:
                        report(build_site(root, out, on=on, posts=posts, web=False, renders=renders))
                    except (ContentError, SiteError, outdir.OutputError) as error:
                        report(error)
        finally:
            server.shutdown()
            server.server_close()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the built site, never a directory listing, never cached, nothing logged.

    A path that cannot name a file (a NUL byte, a control character) gets 400; a folder without
    an index.html gets 404, as on a static web host.
    """

    def log_message(self, format, *args):  # quiet: the build messages are what matter
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if any(ord(c) < 32 or ord(c) == 127 for c in path):
            self.send_error(400, "Bad request")
            return None
        try:
            return super().send_head()
        except (OSError, ValueError):
            self.send_error(404, "Not found")
            return None

    def list_directory(self, path):
        self.send_error(404, "Not found")
        return None


def start_server(directory, port, report=lambda event: None):
    """Serve `directory` on 127.0.0.1:`port` (0: any free port) in a thread; the server is returned."""

    class Handler(PreviewHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(directory), **kwargs)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            error = sys.exc_info()[1]
            if not isinstance(error, ConnectionError):  # a browser that went away is no news
                report(RequestFailed(reason=repr(error)))

    try:
        server = Server(("127.0.0.1", port), Handler)
    except OSError as error:
        raise SiteError(f"cannot serve on 127.0.0.1:{port}: {error.strerror}; choose another --port") from error
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _snapshot(root):
    """(path, mtime, size) of every watched file: a change in any of them triggers a rebuild."""
    found = []
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            with contextlib.suppress(FileNotFoundError):  # removed while we looked: the next look sees it
                stat = file.stat()
                found.append((str(file), stat.st_mtime_ns, stat.st_size))
    return found


# --- the build -----------------------------------------------------------------------------------


def build_site(  # noqa: PLR0913 (each a choice of `build.py build`, `serve` or `usb`)
    root,
    out,
    on=None,
    posts=None,
    extras=None,
    base_url=None,
    web=True,
    langs=None,
    processes=None,
    renders=None,
    disk_only=False,
    shard=None,
):
    """Validate, render and build every post × language into `out`, atomically; a BuildReport.

    The order matters: the output folder is checked first (a folder the build may not replace is
    refused before any work), the content is validated completely before anything is written, and
    the new site replaces the old one only after every MkDocs build succeeded. `posts` and `langs`
    limit the site to those posts and languages (a partial build: each of its post × language
    folders holds the same bytes as in the full site). The builds run in `processes` processes
    (default: one per core); a build whose inputs are those the previous site at `out` records is
    not run again but taken from it (pipeline/builds.py). `extras` ({name: text}) are files put at
    the top of the site before the swap. A site for the web (`web`) names its base address
    (`base_url`, else content/site.yaml's, if any) and carries what hosts and crawlers read
    (pipeline/publish.py); the USB copy and `serve`'s preview do neither. `renders` (a dict kept
    between builds, by `serve`) keeps each post × language's Markdown with the digest of the content
    it came from, so that an edit to one post renders only that post again. `disk_only` keeps of
    the wizard's runtime only what a site opened from disk reads (a USB copy). `shard` (I, N)
    builds only every I-th post × language build of N (pipeline/shards.py). Raises ContentError,
    SiteError, and outdir.OutputError (RefusedOutput when `out` is not the build's to replace).
    """
    started = time.perf_counter()
    root, out = Path(root).resolve(), Path(out).resolve()
    outdir.check_output(root, out)
    with outdir.writing(out):
        outdir.remove_stale(out)  # what killed builds left, whether or not this one gets far
    outdir.check_writable(out)
    content = load_content(root, on=on)
    post_ids = select_posts(content, posts)
    lang_ids = select_langs(content, langs)
    base_url = web_address(content, base_url) if web else None
    stamp = builds.code_stamp(root)
    made = render_posts(content, post_ids, lang_ids, renders, stamp, processes)
    rendered = [pages for pages, _ in made]
    root_index = render_root_index(content, post_ids, base_url)
    previous = out if outdir.is_own(out) else None

    # Everything is written inside the working folder beside `out`: same disk, so the swap is a rename.
    with outdir.writing(out), outdir.working_folder(out) as work:
        site = work / "site"
        site.mkdir()
        outdir.mark(site)
        jobs = prepare_builds(root, content, rendered, work / "docs", site, base_url)
        for job, (_, export) in zip(jobs, made, strict=True):
            job.files = {layout.EXPORT: export}
            job.fingerprint = builds.fingerprint(stamp, job.config, job.pages, job.files, content.on, web)
        # A copy for a stick carries its own posts' data only; a site for the web every post's.
        wizard_data = content.wizard_data(post_ids if disk_only else None)
        # The folders every build shares, each kept from the previous site if made from the same inputs.
        shared = {
            layout.SHARED_ASSETS: builds.digest(stamp, web, *(["disk only"] if disk_only else [])),
            layout.RUNTIME_DIR: builds.digest(stamp, wizard_data, content.on, web, disk_only),
        }
        # Compressed files are taken from the previous site only if it was compressed by this code.
        compressed_before = previous if builds.same_code(previous, shared) else None
        inputs = builds.recorded(previous) if previous is not None else {}  # read once
        left = builds.carry_over(previous, site, shards.in_shard(jobs, shard), inputs)
        mkdocs_seconds = builds.run_jobs(
            left, content.on, compress=web, processes=processes, previous=compressed_before
        )
        carried = [name for name, digest in shared.items() if builds.carry_folder(previous, site, name, digest, inputs)]
        if layout.SHARED_ASSETS not in carried:
            if not any(job is jobs[0] for job in left):
                write_docs(jobs[0])  # the shared assets are those of the first build's files
            shared_assets.install(jobs[0].config_file, site / layout.SHARED_ASSETS)
            if disk_only:
                shared_assets.trim_for_disk(site / layout.SHARED_ASSETS, content.languages)
        if layout.RUNTIME_DIR not in carried:
            install_wizard_runtime(root, content, site, wizard_data, disk_only)
        (site / "index.html").write_text(with_policy(root_index), encoding="utf-8")
        for name, text in (extras or {}).items():
            (site / name).write_text(text, encoding="utf-8")
        (site / layout.EXPORT_SCHEMA).write_bytes(EXPORT_SCHEMA.read_bytes())
        if web:  # last: it compresses every file written above (the builds compressed their own)
            compressed = [job.folder for job in jobs] + carried  # (or absent, in a shard)
            publish_site(
                site,
                content,
                rendered,
                base_url,
                compressed=compressed,
                previous=compressed_before,
                cache_dir=root / COMPRESSED_CACHE,
            )
        builds.record(site, jobs, shared)
        outdir.swap_into_place(site, out, work)
    pages = sum(len(site.pages) for site in rendered)
    return BuildReport(
        out=out,
        builds=[(job.post, job.lang) for job in shards.in_shard(jobs, shard)],
        pages=pages,
        seconds=time.perf_counter() - started,
        mkdocs_seconds=mkdocs_seconds,
        rebuilt=[(job.post, job.lang) for job in left],
    )


def render_posts(content, post_ids, lang_ids, renders=None, stamp="", processes=None):
    """[(Markdown of a post × language, its export.json text)], made in `processes` processes (as the
    builds); with `renders`, only those whose content or code (`stamp`, builds.code_stamp) changed
    are made again."""
    pairs = [(pid, lang) for pid in post_ids for lang in lang_ids]
    if renders is None:
        return builds.in_parallel(_render_one, pairs, processes, state=content)
    # Everything a post's pages may read but the other posts: any change renders every post again.
    shared = builds.digest(stamp, {k: v for k, v in vars(content).items() if k not in ("root", "posts", "warnings")})
    digests = {pid: builds.digest(shared, pid, content.posts[pid]) for pid in post_ids}
    changed = [pair for pair in pairs if pair not in renders or renders[pair][0] != digests[pair[0]]]
    for pair, made in zip(changed, builds.in_parallel(_render_one, changed, processes, state=content), strict=True):
        renders[pair] = (digests[pair[0]], made)
    return [renders[pair][1] for pair in pairs]


def _render_one(content, pair):
    pid, lang = pair
    return render_post(content, pid, lang), export_text(post_export(content, pid, lang))


def web_address(content, base_url=None):
    """The base address the site is published at (`base_url`, else content/site.yaml's), or None."""
    given = base_url or content.site.get("base_url")
    return base_address(given) if given else None


def prepare_builds(root, content, rendered, docs_root, site_root, base_url=None):
    """Each build's configuration, its docs under `docs_root` and its site under `site_root`: [builds.Job].

    Nothing is written yet: `write_docs(job)` does, in the process that builds it."""
    if not (root / IFRAME_WORKER).is_file():
        raise SiteError(f"{IFRAME_WORKER} is missing: run ./run.sh setup (npm ci)")
    base = read_base_config(root)
    jobs = []
    for site in rendered:
        docs = docs_root / site.post / site.lang
        config = build_config(base, root, content, site, docs, site_root / site.post / site.lang, base_url)
        config_file = docs_root / f"{site.post}-{site.lang}.yml"
        jobs.append(builds.Job(site.post, site.lang, config, config_file, pages=site.pages, root=root))
    if jobs:
        jobs[0].keep_docs = True  # the shared assets are installed from the first build's files
    return jobs


def install_wizard_runtime(root, content, site_root, data=None, disk_only=False):
    """The Pyodide runtime and the site's procedures (`data`, default every post's), once, in
    `site_root/_wizard/` (`disk_only`: only the files a site opened from disk reads)."""
    from .runtime import FROM_DISK, RuntimeBuildError, install_runtime

    try:
        install_runtime(
            site_root, data or content.wizard_data(), root, content.on, optimise=True, cache_dir=root / RUNTIME_CACHE
        )
    except RuntimeBuildError as error:
        raise SiteError(f"the wizard's runtime could not be prepared: {error}") from error
    if disk_only:
        for path in (site_root / layout.RUNTIME_DIR).iterdir():
            if path.name not in FROM_DISK:
                path.unlink()


def select_langs(content, langs):
    """The languages to build, in the site's order (all by default)."""
    _refuse_unknown("language(s)", langs, list(content.languages))
    return [lang for lang in content.languages if lang in langs] if langs else list(content.languages)


def select_posts(content, posts):
    """The posts to build, in the order asked for (all by default)."""
    _refuse_unknown("post(s)", posts, list(content.posts))
    return list(dict.fromkeys(posts)) if posts else list(content.posts)


def _refuse_unknown(what, wanted, known):
    unknown = [name for name in wanted or () if name not in known]
    if unknown:
        raise SiteError(f"unknown {what}: {', '.join(unknown)}. Expected one of: {', '.join(known)}")


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


def write_docs(job):
    """The Markdown pages of one build, the vendored iframe-worker shim, the wizard's front end and
    the MkDocs configuration."""
    docs, root = Path(job.config["docs_dir"]), job.root
    shim = root / IFRAME_WORKER
    docs.mkdir(parents=True)
    write_config(job.config, job.config_file)
    for name, markdown in job.pages.items():
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


def build_config(base, root, content, site, docs, site_dir, base_url=None):
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
            # For pages without a description of their own (404): the post's, escaped as a title is.
            "site_description": site.description,
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
    # Theme assets, styles and the wizard's front end: once for the site (pipeline/shared_assets.py).
    config["extra"]["shared_assets"] = shared_assets.shared_address()
    # The absolute address of this build's folder: each page's canonical link (main.html).
    config["extra"]["canonical_base"] = build_address(base_url, site.post, lang)
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


def write_config(config, config_file):
    config_file.parent.mkdir(parents=True, exist_ok=True)
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=True), encoding="utf-8")


def run_mkdocs(config, config_file, on):
    """One MkDocs build from `config` (written to `config_file`, its docs written); the seconds it took.

    SOURCE_DATE_EPOCH (the build date at midnight UTC) stands in for the clock, so that nothing
    MkDocs or Material writes depends on when the build ran. The theme's templates are compiled
    once per process (pipeline/template_cache.py).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    write_config(config, config_file)
    epoch = str(int(datetime.datetime.fromisoformat(on).replace(tzinfo=datetime.UTC).timestamp()))
    started = time.perf_counter()
    with _environment(SOURCE_DATE_EPOCH=epoch), _quiet_mkdocs() as messages:
        try:
            loaded = load_config(str(config_file))
            reuse_compiled(loaded.theme)
            build(loaded)
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
