"""Exporting the whole directory as one Open Referral UK (HSDS v3) page."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from linkworker.formats import oruk


def export_directory(db: Database, *, include_notes: bool = False) -> dict[str, Any]:
    """The whole directory (imported and hand-added, retired as 'inactive') as one HSDS v3
    list page. Private notes, favourites and verification dates only with include_notes."""
    rows = db.query("SELECT * FROM activities ORDER BY name COLLATE NOCASE, id")
    return oruk.export_page(rows, include_notes=include_notes)
