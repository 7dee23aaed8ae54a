"""What a site for the web carries beside its pages: written last, after every page and the runtime.

    publish_site(site, content, rendered, base_url)   robots.txt, sitemap.xml, _headers, .br and .gz files
    base_address(value)                              a base address checked and ending in "/" (ValueError)
    build_address(base_url, post, lang)              the absolute address of a post × language build
    canonical(base_url, post, lang, page)            a page's absolute address (None without a base)

`build.py build` calls it (pipeline/site.py); the USB copy does not: from a stick nothing is
crawled, no header is sent and no browser asks for a compressed file, so these files would only
double its size.

- **robots.txt** allows everything and, with a base address, names the sitemap. (Crawlers read it
  only at the root of a host: under a sub-path, such as a GitHub project page, it is ignored.)
- **sitemap.xml** (only with a base address: a sitemap holds absolute URLs) at the site root lists
  the site's own index and every post's home, procedure, wizard and fees pages in every language, each with its
  alternates in every language and `x-default` (the first language of content/site.yaml, the
  authoritative one). The alternates are published here, not as <link rel="alternate"> tags in the
  pages: Material's script fetches a sitemap.xml beside every such link it finds in a page
  (see pipeline/theme/main.html), and search engines read hreflang from a sitemap as they read it
  from the head. Left out: the wizard's answer pages (one per answer prefix, for visitors without
  JavaScript; already out of the site search), the editors' page and the 404 pages.
- **_headers** (read by Netlify and Cloudflare Pages; other hosts: see the README) sends the part
  of the Content-Security-Policy that a <meta> tag cannot carry (frame-ancestors: no other site
  may frame these pages), and the cache lifetimes: a year for Material's fingerprinted assets
  (their names change with their content), revalidation on every use for the wizard's runtime
  (fixed names). Pages keep the host's default, which revalidates.
- **.br and .gz** beside every file a server would compress (text, wasm) of at least 64 KiB
  (PRECOMPRESS_FROM), for hosts that serve precompressed files (nginx `brotli_static`/
  `gzip_static`); only where they are smaller. Those are the files stored once for the whole site
  (the wizard's runtime, Material's bundle and styles, the sitemap), where compressing at a high
  level ahead of time pays; not the runtime's files that only a site opened from disk reads
  (runtime-bundle.js, 6.7 MB, of which brotli saves a quarter: its wasm is gzipped inside).
  A post's pages are 10 to 50 KiB: the host compresses them on the fly (nginx `gzip on`; the
  other hosts by themselves), and copies of them would nearly double the size of a network of
  posts (its pages are nearly all of its bytes).

Everything written here is deterministic: the same site gives the same bytes (gzip without a
name or time, brotli and zlib at fixed levels, sorted walks).
"""

import gzip
import hashlib
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import brotli

from . import layout
from .builds import link_or_copy
from .runtime import DISK_ONLY
from .validate.schema import BASE_URL_PATTERN

HEADERS_FILE = "_headers"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
# What a host would compress on the fly: text of every kind the site holds, and WebAssembly.
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".map", ".svg", ".txt", ".xml", ".wasm")
# Smaller files are left to the host's compression on the fly (see the module's docstring).
PRECOMPRESS_FROM = 64 * 1024
# Never fetched over http (the wizard's runtime for file://): no compressed copies.
NOT_FETCHED = tuple(f"{layout.RUNTIME_DIR}/{name}" for name in DISK_ONLY)
# Brotli's two slowest levels (10, 11) take minutes over the runtime for a few percent; 7 is within
# 1 % of them on the pages and 15 % on the wasm, in about a second for the whole site.
BROTLI_QUALITY = 7
GZIP_LEVEL = 9
# Material's assets named by their content: bundle.a5f9d56c.min.js, main.57a0d79d.min.css (+ .map).
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The policy no <meta> can carry, sent for every file (a worker's own policy comes from its
# response: this one restricts nothing a worker does).
HEADER_POLICY = "frame-ancestors 'self'"
XHTML = "http://www.w3.org/1999/xhtml"


def base_address(value):
    """`value` as a base address ending in "/", or ValueError saying what is wrong with it."""
    text = str(value).strip()
    if not re.fullmatch(BASE_URL_PATTERN, text):
        raise ValueError(
            f"'{value}' is not a base address: write the site's address, https:// (or http://), "
            "a host name and an optional path, e.g. https://consular.example.org/procedures/"
        )
    return text if text.endswith("/") else text + "/"


def build_address(base_url, post, lang):
    """The absolute address of the folder of a post × language build (ends in "/"), or None."""
    return f"{base_url}{post}/{lang}/" if base_url else None


def canonical(base_url, post, lang, page):
    """The absolute address of a page (named as in layout.py) of a post × language, or None."""
    return build_address(base_url, post, lang) + layout.html(page) if base_url else None


def publish_site(site, content, rendered, base_url=None, compressed=(), previous=None, cache_dir=None):
    """Write robots.txt, sitemap.xml (with a base address), _headers, then the .br and .gz files
    (but for the folders in `compressed`, "post/lang": the builds compress their own, in parallel;
    files as they were in the `previous` site keep its compressed files; big files compressed by
    an earlier build are taken from `cache_dir`)."""
    site = Path(site)
    (site / ROBOTS).write_text(robots_txt(base_url), encoding="utf-8")
    if base_url:
        (site / SITEMAP).write_text(sitemap_xml(content, rendered, base_url), encoding="utf-8")
    (site / HEADERS_FILE).write_text(headers_file(site), encoding="utf-8")
    # Last: it compresses what the steps above wrote too.
    precompress(site, skip=compressed, previous=previous, cache_dir=cache_dir)


def robots_txt(base_url=None):
    lines = ["# Every page may be crawled and indexed.", "User-agent: *", "Disallow:"]
    if base_url:
        lines += ["", f"Sitemap: {base_url}{SITEMAP}"]
    return "\n".join(lines) + "\n"


def sitemap_xml(content, rendered, base_url):
    """The sitemap of the whole site: absolute URLs, each page with its alternates per language."""
    languages = content.languages
    pages = {}  # post: its pages for search results (the same in every language), in order
    for built in rendered:
        pages.setdefault(built.post, [name.removesuffix(".md") for name in built.pages if _listed(name)])
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="{XHTML}">',
        f"<url><loc>{escape(base_url)}</loc></url>",
    ]
    for post, names in pages.items():
        for name in names:
            alternates = [(lang, canonical(base_url, post, lang, name)) for lang in languages]
            alternates.append(("x-default", canonical(base_url, post, content.default_language, name)))
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(url)}/>' for code, url in alternates
            )
            for lang in languages:
                lines.append(f"<url><loc>{escape(canonical(base_url, post, lang, name))}</loc>{links}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _listed(markdown_file):
    """Whether a page goes into the sitemap: all but the wizard's answer pages and the editors' page."""
    return not markdown_file.startswith(layout.WIZARD_STEPS + "/") and markdown_file != layout.markdown(layout.EDITORS)


def headers_file(site):
    """The `_headers` file (Netlify, Cloudflare Pages) for the files of `site`."""
    fingerprinted = sorted(
        {
            _pattern(path.relative_to(site).parts)
            for path in site.rglob("*")
            if path.is_file() and FINGERPRINTED.search(path.name)
        }
    )
    blocks = [
        "# HTTP headers, for hosts that read this file (Netlify, Cloudflare Pages). Made by build.py.",
        "# Every page carries its own Content-Security-Policy (<meta>, with the hashes of its scripts);",
        "# the header adds what a <meta> policy cannot say: no other site may show these pages in a frame.",
        "/*",
        f"  Content-Security-Policy: {HEADER_POLICY}",
        "  X-Content-Type-Options: nosniff",
        "",
        "# The wizard's runtime has fixed file names: revalidated on every use (304 when unchanged).",
        f"/{layout.RUNTIME_DIR}/*",
        f"  Cache-Control: {REVALIDATE}",
        "",
        "# Material's assets are named by their content: a new version has a new name. Pages and other",
        "# files keep the host's default (revalidated), so that a changed fee is seen at once.",
    ]
    for pattern in fingerprinted:
        blocks += [pattern, f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(blocks) + "\n"


def _pattern(parts):
    """The URL pattern of a file: /:post/:lang/<path below> in a post × language build, else its path."""
    if len(parts) > layout.POST_DEPTH and parts[0] not in (layout.RUNTIME_DIR, layout.SHARED_ASSETS):
        return "/:post/:lang/" + "/".join(parts[layout.POST_DEPTH :])
    return "/" + "/".join(parts)


def _take_compressed(path, data, before):
    """Link `before`'s .br and .gz beside `path` if `before` holds the same bytes; whether it did."""
    try:
        if before.is_symlink() or before.stat().st_size != len(data) or before.read_bytes() != data:
            return False
        for suffix in (".br", ".gz"):
            packed = before.with_name(before.name + suffix)
            if packed.is_file() and not packed.is_symlink():
                link_or_copy(packed, path.with_name(path.name + suffix))
    except OSError:
        return False
    return True


def _files(folder, skipped, parts=()):
    """The files below `folder`, sorted by path, not entering the folders in `skipped` (tuples of names)."""
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        here = (*parts, entry.name)
        if entry.is_dir() and not entry.is_symlink():
            if here not in skipped:
                yield from _files(entry, skipped, here)
        elif entry.is_file():
            yield entry


def precompress(site, skip=(), previous=None, cache_dir=None):
    """A .br and a .gz beside every compressible file of `site` of at least PRECOMPRESS_FROM bytes
    (not in the folders `skip`), where they are smaller. Identical files are compressed once; a
    file with the same bytes at the same place in `previous` (the same folder as it was before
    this build) takes the compressed files that one has, if any (compression is deterministic:
    they are what it would give); so does a big file compressed before in this process, or by
    any build that kept it in `cache_dir` (by content: the runtime's wasm takes seconds).
    """
    done = {}
    site = Path(site)
    skipped = {tuple(folder.split("/")) for folder in skip}
    for path in _files(site, skipped):
        if path.suffix not in COMPRESSIBLE or path.stat().st_size < PRECOMPRESS_FROM:
            continue
        if path.relative_to(site).as_posix() in NOT_FETCHED:
            continue
        data = path.read_bytes()
        if previous is not None and _take_compressed(path, data, Path(previous) / path.relative_to(site)):
            continue
        key = hashlib.sha256(data).digest()
        if key not in done:
            done[key] = _compressed(data, key, cache_dir)
        for suffix, packed in zip((".br", ".gz"), done[key], strict=True):
            if len(packed) < len(data):
                path.with_name(path.name + suffix).write_bytes(packed)


# The runtime's big files (the wasm, the bundle) are the same in every build of a process (the
# tests build many sites) and take seconds to compress: their compressed bytes are kept, by content,
# in memory and in the cache folder a build names (kept between builds, the oldest removed).
_KEPT, _KEEP_FROM, _KEEP_AT_MOST = {}, 256 * 1024, 8
SUFFIXES = (".br", ".gz")


def _compressed(data, key, cache_dir=None):
    """(brotli, gzip) of `data` (whose sha256 is `key`), at the fixed levels: the same bytes always."""
    if key in _KEPT:
        return _KEPT[key]
    kept = len(data) >= _KEEP_FROM
    packed = _cached(cache_dir, key) if kept and cache_dir else None
    if packed is None:
        packed = (
            brotli.compress(data, quality=BROTLI_QUALITY),
            gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0),
        )
        if kept and cache_dir:
            _cache(cache_dir, key, packed)
    if kept:
        if len(_KEPT) >= _KEEP_AT_MOST:
            _KEPT.pop(next(iter(_KEPT)))  # the oldest
        _KEPT[key] = packed
    return packed


def _cached(cache_dir, key):
    paths = [Path(cache_dir) / (key.hex() + suffix) for suffix in SUFFIXES]
    try:
        packed = tuple(path.read_bytes() for path in paths)
    except OSError:
        return None
    for path in paths:  # recently used: kept longest
        path.touch()
    return packed


def _cache(cache_dir, key, packed):
    """Keep `packed` in `cache_dir`, each file written whole (under another name, then renamed)."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for suffix, data in zip(SUFFIXES, packed, strict=True):
        part = cache_dir / f"{key.hex()}{suffix}.part-{os.getpid()}"
        part.write_bytes(data)
        os.replace(part, cache_dir / (key.hex() + suffix))
    kept = sorted(cache_dir.glob("*.br"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in kept[_CACHE_AT_MOST:]:
        for suffix in SUFFIXES:
            old.with_suffix(suffix).unlink(missing_ok=True)


# How many big files the cache folder keeps (the runtime has six; a few versions of them).
_CACHE_AT_MOST = 24
