"""The files every post × language build shares, stored once at the site root in `_assets/`.

    relink(html, shared)        a page's references to its build's `assets/…` aimed at the shared copy
    is_shared(dest_uri)         whether MkDocs should leave a file out of a build (it is in `_assets/`)
    install(config_file, dest)  copy the shared files of one build (MkDocs' own file list) into `dest`
    trim_for_disk(dest, langs)  drop what a copy read from disk never loads (source maps, segmenters)

Material's theme (styles, scripts, the search worker and its lunr languages, the icon), our
site.css, the wizard's front end (wizard.js, wizard.css) and the iframe-worker shim are the same
bytes in every build: a hundred posts in four languages would carry four hundred copies of them.
Instead each build leaves them out (the MkDocs hook drops them from its file list, see
pipeline/theme/hooks.py) and its pages name the single copy relatively: `assets/x` in a page
becomes `../../_assets/x` (a build lies two folders below the site root). Relative addresses keep
working over http, from a sub-path and from disk (file://). Material's search worker loads its
lunr languages relative to its own address (`workers/../lunr/`), so they move with it, and the
worker's address itself is in the page's `__config`, which is rewritten like the attributes.
The rewrite runs before the page's Content-Security-Policy is computed, whose hashes cover it.
"""

import re
import shutil
from pathlib import Path

from . import layout

SHARED_DIR = layout.SHARED_ASSETS
BUILD_ASSETS = "assets/"
# Where a page names a file of its build's assets: href="…assets/", src="…assets/", and the search
# worker in Material's page configuration ("search": "…assets/…"). The prefix is "", "./" or
# "../" repeated: the page's way up to its build's folder.
REFERENCE = re.compile(r'((?:\b(?:href|src)=|"search":\s*)")((?:\./|(?:\.\./)*))assets/')
# Material's word segmenters for its search, and the search languages for which its worker loads
# them (workers/search.*.min.js: tinyseg.js for "ja", wordcut.js for "hi" and "th").
SEGMENTERS = {"javascripts/lunr/tinyseg.js": ("ja",), "javascripts/lunr/wordcut.js": ("hi", "th")}


def shared_address():
    """The shared folder as a build's folder names it (relative: up to the site root, then down)."""
    return layout.to_site_root("") + SHARED_DIR + "/"


def relink(html, shared):
    """`html` with every reference to the build's `assets/` aimed at `shared` (from the build's folder)."""
    if not shared:
        return html
    return REFERENCE.sub(lambda m: f"{m.group(1)}{_up(m.group(2))}{shared}", html)


def _up(prefix):
    return "" if prefix == "./" else prefix


def is_shared(dest_uri):
    return dest_uri.startswith(BUILD_ASSETS)


def install(config_file, dest):
    """Copy into `dest` what one build would have written under `assets/` (theme and docs files).

    Raises whatever MkDocs raises for a configuration it cannot load.
    """
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(str(config_file))
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    dest = Path(dest)
    for file in sorted(files, key=lambda f: f.dest_uri):
        if is_shared(file.dest_uri):
            target = dest / file.dest_uri[len(BUILD_ASSETS) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file.abs_src_path, target)


def trim_for_disk(dest, languages):
    """Remove from the shared files in `dest` what a copy for a USB stick never reads: the source
    maps (only a browser's developer tools fetch them) and the search's word segmenters of
    languages the site does not have (1.9 MB of a stick's 15)."""
    dest = Path(dest)
    for path in sorted(dest.rglob("*.map")):
        path.unlink()
    for name, segmented in SEGMENTERS.items():
        if not set(segmented) & set(languages):
            (dest / name).unlink(missing_ok=True)
