"""The community activity directory: storing, importing and listing activities.

Imports are mapped and validated by :mod:`linkworker.oruk` (pure); this module writes the
result to the store (upsert by source id, one transaction) and reads activities back.
"""

from __future__ import annotations

import importlib.resources
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from linkworker import oruk
from linkworker.clock import Clock

#: The columns an import owns; the link worker's own (notes, favourite, verified_on,
#: retired) are never touched by an import.
IMPORTED_COLUMNS = tuple(oruk.ActivityRecord.model_fields)


def starter_path() -> Path:
    """The shipped starter directory: inside the wheel, or at the repo root in a checkout."""
    packaged = importlib.resources.files("linkworker") / "_directory" / "starter.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "directory" / "starter.json"


@dataclass
class ImportReport:
    """What an import did: counts, and each record it skipped or changed with a warning."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[oruk.RecordProblem] = field(default_factory=list)
    written: bool = True

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    def summary(self) -> str:
        verb = "imported" if self.written else "checked (nothing written)"
        return (
            f"{self.source}: {verb}: {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


def store_activities(
    db: Database, records: list[oruk.ActivityRecord], clock: Clock, report: ImportReport
) -> None:
    """Upsert activities by source id inside the caller's transaction, counting outcomes."""
    stamp = clock.stamp()
    for record in records:
        row = record.to_row()
        existing = db.execute(
            f"SELECT id, {', '.join(IMPORTED_COLUMNS)} FROM activities WHERE source_id = ?",
            [row["source_id"]],
        ).fetchone()
        if existing is None:
            row.update(origin="import", created_at=stamp, updated_at=stamp)
            db.execute(
                f"INSERT INTO activities ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            report.new += 1
            continue
        current = dict(zip(IMPORTED_COLUMNS, existing[1:], strict=True))
        if all(current[c] == row[c] for c in IMPORTED_COLUMNS):
            report.unchanged += 1
            continue
        assignments = {c: row[c] for c in IMPORTED_COLUMNS if c != "source_id"}
        assignments["updated_at"] = stamp
        db.execute(
            f"UPDATE activities SET {', '.join(f'{c} = ?' for c in assignments)} WHERE id = ?",
            [*assignments.values(), existing[0]],
        )
        report.updated += 1


def import_feed(db: Database, path: Path, clock: Clock, *, strict: bool = False) -> ImportReport:
    """Import an Open Referral UK feed (any shape oruk.load_feed reads) into the directory.

    Bad records are skipped and reported; with ``strict`` any bad record refuses the whole
    import and nothing is written. A file that is not a feed raises oruk.FeedError.
    """
    parsed = oruk.load_feed(path)
    report = ImportReport(source=path.name, problems=list(parsed.problems))
    if strict and any(p.skipped for p in parsed.problems):
        report.written = False
        return report
    with db.atomic():
        store_activities(db, parsed.activities, clock, report)
    return report


def load_starter(db: Database, clock: Clock) -> ImportReport:
    """Load the shipped starter directory (first run, or the demo)."""
    return import_feed(db, starter_path(), clock)


def ensure_starter(db: Database, clock: Clock) -> ImportReport | None:
    """Load the starter directory into a store that has never had one; else do nothing."""
    loaded = db.execute("SELECT value FROM meta WHERE key = 'starter_directory_loaded'").fetchone()
    if loaded:
        return None
    with db.atomic():
        report = None
        if not db.execute("SELECT count(*) FROM activities").fetchone()[0]:
            report = load_starter(db, clock)
        db.table("meta").upsert(
            {"key": "starter_directory_loaded", "value": clock.stamp()}, pk="key"
        )
    return report


def activity_count(db: Database, *, include_retired: bool = False) -> int:
    """How many activities the directory holds."""
    where = "" if include_retired else " WHERE retired = 0"
    return int(db.execute(f"SELECT count(*) FROM activities{where}").fetchone()[0])


def stale_before(today: date, months: int) -> date:
    """The date before which an activity's last check counts as stale."""
    month = today.month - months
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    day = min(today.day, 28) if month == 2 else min(today.day, 30 if month in (4, 6, 9, 11) else 31)
    return date(year, month, day)


def last_checked(row: dict[str, Any]) -> str | None:
    """The newer of the feed's assured date and the link worker's own verification."""
    dates = [d for d in (row.get("assured_date"), row.get("verified_on")) if d]
    return max(dates) if dates else None


def is_stale(row: dict[str, Any], today: date, months: int) -> bool:
    """True when nobody has checked this activity within the freshness window."""
    checked = last_checked(row)
    return checked is None or checked < stale_before(today, months).isoformat()


def list_activities(
    db: Database, *, limit: int = 200, offset: int = 0, include_retired: bool = False
) -> list[dict[str, Any]]:
    """Activities in name order (the directory screen pages through these)."""
    where = "" if include_retired else "WHERE retired = 0"
    return list(
        db.query(
            f"SELECT * FROM activities {where} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            [limit, offset],
        )
    )


def decode_list(value: str | None) -> list[str]:
    """A JSON list column as a Python list of strings (empty on anything odd)."""
    try:
        decoded = json.loads(value or "[]")
    except json.JSONDecodeError:
        return []
    return [str(v) for v in decoded] if isinstance(decoded, list) else []


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a person typed: every word must match, as a prefix."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)


def search(
    db: Database, text: str, *, limit: int = 200, offset: int = 0, include_retired: bool = False
) -> list[dict[str, Any]]:
    """Activities matching ``text`` (all words, prefix match), by relevance then freshness."""
    query = fts_query(text)
    if not query:
        return list_activities(db, limit=limit, offset=offset, include_retired=include_retired)
    retired = "" if include_retired else "AND a.retired = 0"
    return list(
        db.query(
            "SELECT a.* FROM activities_fts f JOIN activities a ON a.rowid = f.rowid "
            f"WHERE activities_fts MATCH ? {retired} "
            "ORDER BY bm25(activities_fts), coalesce(max(coalesce(a.assured_date, ''), "
            "coalesce(a.verified_on, '')), '') DESC, a.id LIMIT ? OFFSET ?",
            [query, limit, offset],
        )
    )


def get_activity(db: Database, activity_id: int) -> dict[str, Any]:
    """One activity; LookupError names the id when there is none."""
    rows = list(db.query("SELECT * FROM activities WHERE id = ?", [activity_id]))
    if not rows:
        raise LookupError(f"no activity with id {activity_id}")
    return rows[0]
