"""The Content-Security-Policy of every page the build writes, as a <meta http-equiv> tag.

    with_policy(html, pyodide=False, iframe_worker=None)   the page with its policy added
    policy(html, pyodide=False, iframe_worker=None)        the policy text for a page's final HTML

The policy is the second line of defence behind escaping: if a text from YAML ever slipped into a
page as markup, the browser still would not run it. It is computed from the page's final HTML,
so every inline script the page carries is allowed by its SHA-256 hash and nothing else inline
runs. A static site cannot send headers, hence the <meta> tag (placed right after <meta charset>,
before any script: a meta policy covers only what follows it). Directives that a <meta> policy
ignores (frame-ancestors, report-uri, sandbox) are not written; browsers would warn about them.

The same page is opened over http and from disk (file://, a USB stick), so each directive allows
what both need. Chromium counts file:// addresses as 'self' on a page opened from disk.

Every page
    default-src 'none'   anything not named below is refused (fonts, media, manifests, ...).
    base-uri 'none'      no page has a <base>; an injected one cannot re-aim relative script URLs.
    object-src 'none'    no plugins.
    form-action 'none'   no form is ever submitted to an address: Material's search form and the
                         wizard's forms are handled by script (the no-JS wizard uses plain links).
    script-src           'none' on a page without scripts (the root index); otherwise 'self'
                         (scripts from the site itself) and the hash of each inline script.
                         Never 'unsafe-inline' or 'unsafe-eval'.
    style-src            'self' where stylesheets are linked, and the hash of each <style>
                         element; no style="" attribute is allowed (tables align by `align`).
    img-src 'self'       the page's icon and images; + data: where the page writes a data: image
                         (the self-test's empty icon) and on Material pages (below).

Material pages (every MkDocs page: content, fees, editors, wizard, 404)
    script-src           + the hash of the one inline script that the iframe-worker shim writes
                         into its hidden iframe (from file://, Material's search "worker" is that
                         iframe; the policy is inherited by it). The script names the worker's
                         URL, so its hash is computed per page from the page's __config.
    img-src + data:      Material draws its icons as data: SVGs in CSS masks.
    connect-src 'self'   over http Material fetches search/search_index.json.
    worker-src 'self'    over http Material's search runs in a Web Worker from the site. (No
                         frame-src: the iframe-worker's iframe is about:blank, which loads nothing.)

Pages where Pyodide runs (the wizard start pages wizard-<procedure>.html, _wizard/selftest.html)
    script-src           + 'wasm-unsafe-eval': Pyodide compiles its WebAssembly (nothing else is
                         evaluated: no eval, no new Function);
                         + blob:: from file:// runtime.js imports Pyodide's loader and
                         pyodide.asm.mjs from blob: URLs made from runtime-bundle.js.
    connect-src          'self' + blob:: from file:// Pyodide fetches its standard library zip
                         from a blob: URL; over http, if the worker fails, Pyodide on the page
                         fetches its files from _wizard/ ('self').
    worker-src           'self': over http Pyodide runs in a module worker, _wizard/worker.mjs
                         (its own requests follow the worker script's, empty, policy);
                         + blob:: from file:// it runs in a classic worker made from a blob:
                         URL (runtime.js's own source), which inherits this page's policy.
Each of these was found by removing it and watching Chromium refuse the wizard's start.
"""

import base64
import hashlib
import html
import json
import re

# An inline <script> (no src): its attributes and its exact text, as a browser hashes it.
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"?stylesheet\b", re.IGNORECASE)
CHARSET = re.compile(r"<meta charset=\"?utf-8\"?\s*/?>", re.IGNORECASE)
# Material's page configuration: the search worker's URL as the page gives it to `new Worker`.
MATERIAL_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
# An image (or icon) written as a data: URL in the page itself.
DATA_IMAGE = re.compile(r"<(?:img|link)\b[^>]*\b(?:src|href)=\"?data:", re.IGNORECASE)
# Types of <script> a browser does not run (data blocks such as the wizard's JSON configuration).
DATA_TYPES = re.compile(r"\btype=\"?(application/json|application/ld\+json|text/plain)", re.IGNORECASE)


class PolicyError(Exception):
    """Raised when a page cannot get a policy (no <meta charset>, an unknown iframe-worker shim)."""


def with_policy(page, pyodide=False, iframe_worker=None):
    """`page` (final HTML) with its Content-Security-Policy meta tag after <meta charset>."""
    found = CHARSET.search(page)
    if not found:
        raise PolicyError('a page without <meta charset="utf-8"> cannot carry its policy before its scripts')
    text = policy(page, pyodide, iframe_worker)  # quotes, letters, base64: nothing to escape but '"'
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(text, quote=False)}">'
    return page[: found.end()] + "\n" + meta + page[found.end() :]


def policy(page, pyodide=False, iframe_worker=None):
    """The policy text of a page, from its final HTML.

    `pyodide`: the page runs the wizard's Pyodide runtime. `iframe_worker`: the source of the
    iframe-worker shim the page loads (Material's search from file://), or None.
    """
    scripts = [text for attributes, text in SCRIPT.findall(page) if _runs(attributes)]
    external = any("src=" in attributes for attributes, _ in SCRIPT.findall(page))
    styles = [text for _, text in STYLE.findall(page)]
    material = MATERIAL_CONFIG.search(page)
    if material and iframe_worker:
        scripts.append(iframe_worker_script(iframe_worker, json.loads(material.group(1))["search"]))

    script_src = (["'self'"] if external else []) + sorted(set(map(sha256, scripts)))
    style_src = (["'self'"] if STYLESHEET.search(page) else []) + sorted(set(map(sha256, styles)))
    directives = {
        "default-src": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "form-action": ["'none'"],
        "script-src": script_src or ["'none'"],
        "style-src": style_src or ["'none'"],
        "img-src": ["'self'"],
    }
    if material or DATA_IMAGE.search(page):
        directives["img-src"].append("data:")
    if material:
        directives["connect-src"] = ["'self'"]
        directives["worker-src"] = ["'self'"]
    if pyodide:
        directives["script-src"] += ["'wasm-unsafe-eval'", "blob:"]
        directives["connect-src"] = directives.get("connect-src", ["'self'"]) + ["blob:"]
        directives["worker-src"] = ["'self'", "blob:"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def sha256(text):
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _runs(attributes):
    """Whether a <script> with these attributes and no src is run by the browser."""
    return "src=" not in attributes and not DATA_TYPES.search(attributes)


# The iframe-worker shim (Material's search from file://, vendored from npm by pipeline/site.py)
# writes into a hidden about:blank iframe:
#   <script>postMessage=${c};importScripts=${d};addEventListener(... filename:"${e}" ...)</script>
# where c and d are two functions of the shim (their source text) and e is the worker's URL.
IFRAME_WORKER_WRITE = re.compile(r"document\.write\(`<html><body><script>(.*?)<\\/script>")
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def iframe_worker_script(shim, worker_url):
    """The exact text of the inline script the iframe-worker shim runs for `worker_url`."""
    template = IFRAME_WORKER_WRITE.search(shim)
    if not template:
        raise PolicyError("the iframe-worker shim does not write the script this policy knows how to hash")

    def value(match):
        name = match.group(1)
        source = _function_source(shim, name)
        return worker_url if source is None else source

    return PLACEHOLDER.sub(value, template.group(1))


def _function_source(shim, name):
    """The source text of `function <name>(...){...}` in the shim (what toString() returns), or None."""
    start = shim.find(f"function {name}(")
    if start < 0:
        return None
    depth, quote, i = 0, None, shim.index("{", start)
    while i < len(shim):
        char = shim[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return shim[start : i + 1]
        i += 1
    raise PolicyError(f"function {name} of the iframe-worker shim does not end")
