"""A local web host that serves a built site as the README's hosting section sets one up.

    with published_host(site) as base:     base: http://127.0.0.1:PORT/ (the site may be built
        ...                                into `site` after the host started, e.g. for its address)
    published_site()                       (site, base): one post built for the web at the address
                                           of the host that serves it, once per test run (open_host)
    headers_rules(text)                    the rules of a `_headers` file: [(regex, [(name, value)])]

What it does that a plain static server (site_helpers.http_server) does not:
- answers with the precompressed `.br` or `.gz` beside a file when the request accepts it
  (nginx `brotli_static`/`gzip_static`), with Content-Encoding and `Vary: Accept-Encoding`;
  a text file without them (a page: the build precompresses only the big files) it gzips on the
  fly at nginx's default level (`gzip on` with the README's `gzip_types`);
- never serves a dot file (the build's `.build-inputs.json` and `.build-output`), nor the
  `_headers` file, as the README's configuration does not;
- sends the headers of the site's `_headers` file (as Netlify and Cloudflare Pages read it: every
  rule whose pattern matches adds its headers; `*` matches anything, `:name` one path segment);
- serves every file with its type (.mjs as JavaScript, .wasm as WebAssembly): with
  `X-Content-Type-Options: nosniff` a wrong type is refused.
Used by the tests of the published site (test_publish.py, test_lighthouse.py) and by
benchmarks/lighthouse_bench.py.
"""

import atexit
import contextlib
import functools
import gzip
import http.server
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_helpers import DATE, ROOT, locked, run_folder

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
}
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
# What the README's nginx configuration gzips on the fly when there is no .gz (gzip_types).
ON_THE_FLY = (".html", ".css", ".js", ".mjs", ".json", ".map", ".svg", ".txt", ".xml", ".wasm")
HEADERS_FILE = "_headers"
# The post published by `published_site` (two procedures; every kind of page).
POST = "oslo"


def headers_rules(text):
    """[(compiled pattern, [(header, value), ...]), ...] of a `_headers` file, in its order."""
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = "".join(
                ".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
                for part in re.split(r"(\*|:[A-Za-z_]+)", line.strip())
            )
            rules.append((re.compile(pattern + r"\Z"), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class HostHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # connections kept open, as a real host keeps them
    site = None  # set per server: the folder served
    log = None  # a list: (path, status, encoding, bytes sent) of every answer

    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        path = unquote(urlsplit(self.path).path)
        file = self.find(path)
        if file is None:
            self.send_plain(404, b"Not found", body)
            return
        accepted = {e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")}
        encoding, sent = None, file
        for name, suffix in ENCODINGS:
            packed = file.with_name(file.name + suffix)
            if name in accepted and packed.is_file():
                encoding, sent = name, packed
                break
        data = sent.read_bytes()
        if encoding is None and "gzip" in accepted and file.suffix in ON_THE_FLY:
            encoding, data = "gzip", gzip.compress(data, compresslevel=1, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(file.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in self.matching_headers(path):
            self.send_header(name, value)
        self.end_headers()
        if self.log is not None:
            self.log.append((path, 200, encoding, len(data)))
        if body:
            self.wfile.write(data)

    def find(self, path):
        parts = path.split("/")
        if "\x00" in path or parts[-1] == HEADERS_FILE or any(part.startswith(".") for part in parts):
            return None
        target = (self.site / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.site):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def matching_headers(self, path):
        file = self.site / HEADERS_FILE
        rules = headers_rules(file.read_text(encoding="utf-8")) if file.is_file() else []
        return [header for pattern, headers in rules if pattern.match(path) for header in headers]

    def send_plain(self, status, text, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if self.log is not None:
            self.log.append((self.path, status, None, len(text)))
        if body:
            self.wfile.write(text)


@contextlib.contextmanager
def published_host(site, log=None):
    """Serve `site` on 127.0.0.1 at a free port as a configured host would; yields the base URL."""
    site = Path(site).resolve()
    handler = type("Handler", (HostHandler,), {"site": site, "log": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# The environment variable that holds the address of the run's published host (see open_host).
HOST_ADDRESS = "CONSULAR_TEST_PUBLISHED_HOST"


def open_host(folder):
    """Start the test run's published host, serving `folder`/site (built later, by published_site),
    in this process until close_host; name its address in the environment, for the workers. Called
    by the process that runs the session (conftest.py), so that every worker reads one build."""
    stack = contextlib.ExitStack()
    os.environ[HOST_ADDRESS] = stack.enter_context(published_host(Path(folder) / "site"))
    _hosts.append(stack)


def close_host():
    os.environ.pop(HOST_ADDRESS, None)
    while _hosts:
        _hosts.pop().close()


_hosts = []


@functools.cache
def published_site():
    """(site, base): POST built on DATE for the web, with the address of the host serving it.

    The host is started first (its address is the site's base address: canonical links and the
    sitemap point at it, as on a real host), then the site is built into the folder it serves.
    Under pytest the host is the run's (open_host) and the site is built once per run, by whichever
    worker asks first, under a file lock (as site_helpers.shared_site); elsewhere both last until
    the end of the process.
    """
    from pipeline.site import build_site

    if HOST_ADDRESS in os.environ:
        folder, base = run_folder() / "published", os.environ[HOST_ADDRESS]
        with locked(run_folder() / "published.lock"):
            if not (folder / "built").exists():
                build_site(ROOT, folder / "site", on=DATE, posts=[POST], base_url=base)
                (folder / "built").write_text(base, encoding="utf-8")
        return folder / "site", base
    folder = Path(tempfile.mkdtemp(prefix="test-published-"))
    atexit.register(shutil.rmtree, folder, True)
    host = contextlib.ExitStack()
    atexit.register(host.close)  # registered last, run first: the host stops, then the folder goes
    base = host.enter_context(published_host(folder / "site"))
    build_site(ROOT, folder / "site", on=DATE, posts=[POST], base_url=base)
    return folder / "site", base
