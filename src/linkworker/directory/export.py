"""Exporting the whole directory as one Open Referral UK (HSDS v3) page, and the file writer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from linkworker.directory.rows import DirectoryError
from linkworker.formats import oruk


def export_directory(db: Database, *, include_notes: bool = False) -> dict[str, Any]:
    """The whole directory (imported and hand-added, retired as 'inactive') as one HSDS v3
    list page. Private notes, favourites and verification dates only with include_notes."""
    rows = db.query("SELECT * FROM activities ORDER BY name COLLATE NOCASE, id")
    return oruk.export_page(rows, include_notes=include_notes)


def write_file(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Write text to a new file the user named; never replace one unless ``overwrite``.

    The text goes to a temporary file beside the target first and is renamed over it, so
    a crash or a full disc never leaves half a file where a good one was.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise DirectoryError(f"{path} is a folder; give a file name")
    if path.exists() and not overwrite:
        raise DirectoryError(f"{path} already exists; choose another name or allow replacing it")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DirectoryError(f"the folder {folder} does not exist")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
