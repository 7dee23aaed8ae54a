"""Deterministic zip archives: the same files give the same bytes (sorted names, fixed dates, mode).

Used for the engine and standard-library archives of the wizard's runtime (pipeline/runtime.py)
and for the USB copy's zip (pipeline/usb.py).
"""

import io
import zipfile
from pathlib import Path

ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def zip_bytes(entries):
    """A deterministic zip of {name: bytes}, deflated at level 9."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def write_zip(folder, target):
    """Zip `folder` (as one top-level folder of the archive) into the file `target`; return `target`.

    Written beside the target and renamed into place, so a failure never leaves half a zip.
    """
    folder, target = Path(folder), Path(target)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    entries = {f"{folder.name}/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in files}
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_bytes(zip_bytes(entries))
    temporary.replace(target)
    return target
