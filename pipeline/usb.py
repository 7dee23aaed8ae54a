"""`build.py usb`: the whole site, or one post's, as a folder and a zip to copy onto a USB stick.

The site is built as usual (it already works from file://: relative links, no server needed, the
Pyodide runtime carried in classic scripts), into `dist/consular-procedures/`, with a short
README.txt in the four languages, and packed into `dist/consular-procedures.zip` with sorted
entries and fixed timestamps so that the same build gives the same zip. Of the wizard's runtime it
holds only what a site opened from disk reads (runtime.js, runtime-bundle.js, wizard-data.js and
the self-test page). `usb --post oslo` makes `dist/consular-procedures-oslo/` (+ .zip): that post
in its languages, the root page offering only it, the wizard's data of that post only.

`dist/` may be any folder but the sources (see outdir.py). The folder in it is replaced only if a
build made it; the zip only if `usb` wrote it (its zip comment says so).
"""

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import outdir
from .archive import zip_bytes
from .builds import INPUTS
from .site import BuildReport, build_site

FOLDER = "consular-procedures"
NEW_FOLDER = "choose another folder, e.g. --out dist"
# Written into every zip `usb` makes: the mark that lets the next `usb` replace it.
ZIP_COMMENT = b"Made by build.py usb (consular procedures); the next build.py usb replaces this file."
README = """Open index.html (double-click it) to read the site. No internet or server is needed.
Ouvrez index.html (double-clic) pour lire le site. Ni internet ni serveur ne sont nécessaires.
Öffnen Sie index.html (Doppelklick), um die Website zu lesen. Kein Internet und kein Server nötig.
Open index.html (dubbelklik) om de site te lezen. Er is geen internet of server nodig.
"""


@dataclass
class UsbReport:
    """What `make_usb_copy` wrote: the folder, the number of files in it, the zip and its size."""

    folder: Path
    files: int
    archive: Path
    archive_bytes: int
    build: BuildReport


def make_usb_copy(root, out, on=None, posts=None):
    """Build the site (or only `posts`) into `out`/consular-procedures[-<post>…]/ and zip it beside; a UsbReport.

    Both targets are checked before the build starts, so a refusal costs nothing. Raises what
    `build_site` raises.
    """
    out = Path(out).resolve()
    name = "-".join([FOLDER, *dict.fromkeys(posts or [])])
    folder, archive = out / name, out / f"{name}.zip"
    outdir.check_container(root, out, hint=NEW_FOLDER)
    outdir.check_output(root, folder, hint=NEW_FOLDER)
    check_archive(archive)
    # Not for the web: no base address (relative links only), no sitemap, headers or compressed files.
    build = build_site(root, folder, on=on, posts=posts, extras={"README.txt": README}, web=False, disk_only=True)
    with outdir.writing(out):
        write_zip(folder, archive)
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    return UsbReport(folder=folder, files=files, archive=archive, archive_bytes=archive.stat().st_size, build=build)


def check_archive(archive):
    """Raise RefusedOutput unless `archive` is absent or a zip that `usb` wrote."""
    archive = Path(archive)
    if not (archive.exists() or archive.is_symlink()):
        return
    if archive.is_file() and not archive.is_symlink() and zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            if zf.comment == ZIP_COMMENT:
                return
    raise outdir.RefusedOutput(
        f"refusing to replace {archive}: it was not made by build.py usb; remove it yourself, or choose another --out"
    )


def write_zip(folder, archive):
    """Zip `folder` (as one top-level folder, without the build's marker) deterministically; the zip's path.

    The zip is written in a working folder beside it and moved into place when complete.
    """
    folder, archive = Path(folder), Path(archive)
    with outdir.working_folder(archive) as work:
        temporary = work / archive.name
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        # The marker and the record of the build's inputs are for the build; the stick's copy is
        # nobody's to replace.
        entries = {
            f"{folder.name}/{path.relative_to(folder).as_posix()}": path.read_bytes()
            for path in files
            if not (path.parent == folder and path.name in (outdir.MARKER, INPUTS))
        }
        temporary.write_bytes(zip_bytes(entries, comment=ZIP_COMMENT))
        check_archive(archive)  # again: someone may have put a file there during the build
        os.replace(temporary, archive)
    return archive
