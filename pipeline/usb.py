"""`build.py usb`: the whole site as a folder and a zip to copy onto a USB stick.

The site is built as usual (it already works from file://: relative links, no server needed, the
Pyodide runtime carried in classic scripts), into `dist/consular-procedures/`, with a short
README.txt in the four languages, and packed into `dist/consular-procedures.zip` with sorted
entries and fixed timestamps so that the same build gives the same zip.
"""

import zipfile
from pathlib import Path

FOLDER = "consular-procedures"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
README = """Open index.html (double-click it) to read the site. No internet or server is needed.
Ouvrez index.html (double-clic) pour lire le site. Ni internet ni serveur ne sont nécessaires.
Öffnen Sie index.html (Doppelklick), um die Website zu lesen. Kein Internet und kein Server nötig.
Open index.html (dubbelklik) om de site te lezen. Er is geen internet of server nodig.
"""


def usb_command(root, out, on=None):
    from .site import build_command

    out = Path(out)
    folder = out / FOLDER
    status = build_command(root, out=folder, on=on, posts=None)
    if status != 0:
        return status
    (folder / "README.txt").write_text(README, encoding="utf-8")
    archive = write_zip(folder, out / f"{FOLDER}.zip")
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    print(
        f"USB copy: {folder} ({files} files) and {archive} ({archive.stat().st_size / 1e6:.1f} MB). "
        f"Copy either onto the stick; open index.html."
    )
    return 0


def write_zip(folder, archive):
    """Zip `folder` (as one top-level folder) deterministically; return the zip's path."""
    folder, archive = Path(folder), Path(archive)
    temporary = archive.with_suffix(".zip.tmp")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    temporary.replace(archive)
    return archive
