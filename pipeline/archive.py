"""Deterministic zip archives: the same files give the same bytes (sorted names, fixed dates, mode).

Used for the engine and standard-library archives of the wizard's runtime (pipeline/runtime.py)
and for the USB copy's zip (pipeline/usb.py).
"""

import io
import zipfile

ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def zip_bytes(entries, comment=b""):
    """A deterministic zip of {name: bytes}, deflated at level 9, with an optional zip comment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.comment = comment
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()
