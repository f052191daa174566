"""Importing Open Referral UK feeds into the directory, and the shipped starter directory.

Feeds are mapped and validated by :mod:`linkworker.formats.oruk` (pure); this module writes
the result to the store (upsert by source id, one transaction).
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.formats import oruk

#: The columns an import owns; the link worker's own (notes, favourite, verified_on,
#: retired) are never touched by an import.
IMPORTED_COLUMNS = tuple(oruk.ActivityRecord.model_fields)


def starter_path() -> Path:
    """The shipped starter directory: inside the wheel, or at the repo root in a checkout."""
    packaged = importlib.resources.files("linkworker") / "_directory" / "starter.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "directory" / "starter.json"


@dataclass
class ImportReport:
    """What an import did: counts, and each record it skipped or changed with a warning."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[oruk.RecordProblem] = field(default_factory=list)
    written: bool = True
    retired: int = 0  # earlier imports the feed no longer lists (with retire_missing)
    incomplete: bool = False  # asked to retire, but the pull was incomplete: none retired
    declined: str | None = None  # the large-change question that was answered no

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    def summary(self) -> str:
        if self.declined is not None:
            return f"{self.source}: nothing written: a large change was not confirmed."
        verb = "imported" if self.written else "checked (nothing written)"
        retired = f", {self.retired} retired (no longer in the feed)" if self.retired else ""
        incomplete = "; the pull was incomplete, so nothing was retired" if self.incomplete else ""
        return (
            f"{self.source}: {verb}: {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped{retired}{incomplete}"
        )


#: Called as progress(done, total) while an import writes.
Progress = Callable[[int, int], None]


def store_activities(
    db: Database,
    records: list[oruk.ActivityRecord],
    clock: Clock,
    report: ImportReport,
    progress: Progress | None = None,
) -> None:
    """Upsert activities by source id inside the caller's transaction, counting outcomes."""
    stamp = clock.stamp()
    for done, record in enumerate(records):
        if progress is not None and done % 200 == 0:
            progress(done, len(records))
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


def _retire_unlisted(db: Database, parsed: oruk.ParsedFeed, clock: Clock) -> int:
    """Retire the imported activities a whole-directory feed no longer lists; how many."""
    listed = _listed_ids(parsed)
    db.execute("CREATE TEMP TABLE IF NOT EXISTS feed_ids (source_id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM feed_ids")
    db.conn.executemany("INSERT OR IGNORE INTO feed_ids VALUES (?)", [(i,) for i in listed])
    cursor = db.execute(
        "UPDATE activities SET retired = 1, updated_at = ? WHERE origin = 'import' "
        "AND retired = 0 AND source_id NOT IN (SELECT source_id FROM feed_ids)",
        [clock.stamp()],
    )
    retired = cursor.rowcount
    db.execute("DELETE FROM feed_ids")
    return retired


def _listed_ids(parsed: oruk.ParsedFeed) -> set[str]:
    """Every id the feed lists; a record skipped this time is still listed: keep it."""
    listed = {a.source_id for a in parsed.activities}
    listed |= {p.source_id for p in parsed.problems if p.source_id}
    return listed


#: Asked before an import that would retire or change more than this share of the
#: imported activities already held (a broken or partial feed looks like this).
LARGE_CHANGE_SHARE = 0.10

#: Called with a sentence saying how much an import would change; True goes ahead.
ConfirmLarge = Callable[[str], bool]


class _Declined(Exception):
    """The link worker (or --yes missing) declined a large change: roll the import back."""


def _large_change_question(db: Database, report: ImportReport) -> str | None:
    """The question to ask when this import retires or changes over 10% of what is held."""
    held = db.execute(
        "SELECT count(*) FROM activities WHERE origin = 'import' AND retired = 0"
    ).fetchone()[0]
    held_before = held + report.retired - report.new
    touched = report.updated + report.retired
    if held_before <= 0 or touched <= LARGE_CHANGE_SHARE * held_before:
        return None
    return (
        f"{report.source} would change {report.updated} and retire {report.retired} of the "
        f"{held_before} imported activities you hold (over "
        f"{round(LARGE_CHANGE_SHARE * 100)}%). Go ahead?"
    )


def import_services(
    db: Database,
    services: list[dict[str, Any]],
    clock: Clock,
    *,
    source: str,
    complete: bool,
    strict: bool = False,
    retire_missing: bool = False,
    confirm_large: ConfirmLarge | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Apply already-fetched service records (HSDS v1, v2 or v3 shapes) to the directory.

    Never destructive: activities are matched by feed id; only the columns an import owns
    change, so the link worker's notes, favourites, verification and retirements survive.
    ``retire_missing`` retires imported activities the feed no longer lists, but only when
    the pull was ``complete`` (an incomplete pull retires nothing, and says so in
    ``report.incomplete``). With ``strict`` any skipped record refuses the whole import.
    When the import would change or retire over 10% of the imported activities held,
    ``confirm_large`` is asked; if it says no the whole import is rolled back and
    ``report.written`` is False (``report.declined`` says why). Hand-added activities
    are never retired.
    """
    parsed = oruk.parse_services(services, source)
    return _apply(
        db,
        parsed,
        clock,
        source=source,
        complete=complete,
        strict=strict,
        retire_missing=retire_missing,
        confirm_large=confirm_large,
        progress=progress,
    )


def _apply(
    db: Database,
    parsed: oruk.ParsedFeed,
    clock: Clock,
    *,
    source: str,
    complete: bool,
    strict: bool,
    retire_missing: bool,
    confirm_large: ConfirmLarge | None,
    progress: Progress | None,
) -> ImportReport:
    """Write a parsed feed in one transaction, with the never-destructive rules."""
    report = ImportReport(source=source, problems=list(parsed.problems))
    report.incomplete = retire_missing and not complete
    if strict and any(p.skipped for p in parsed.problems):
        report.written = False
        return report
    try:
        with db.atomic():
            store_activities(db, parsed.activities, clock, report, progress)
            if retire_missing and complete:
                report.retired = _retire_unlisted(db, parsed, clock)
            question = _large_change_question(db, report)
            if question is not None and confirm_large is not None and not confirm_large(question):
                report.declined = question
                raise _Declined(question)
    except _Declined:
        report.written = False
        report.new = report.updated = report.unchanged = report.retired = 0
        return report
    if progress is not None:
        progress(len(parsed.activities), len(parsed.activities))
    return report


def import_feed(
    db: Database,
    path: Path,
    clock: Clock,
    *,
    strict: bool = False,
    retire_missing: bool = False,
    complete: bool = True,
    confirm_large: ConfirmLarge | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an Open Referral UK feed file (any shape oruk.load_feed reads).

    A file is read whole, so it is a ``complete`` pull unless the caller says otherwise;
    everything else is :func:`import_services`' rules. A file that is not a feed raises
    oruk.FeedError.
    """
    parsed = oruk.load_feed(path)
    return _apply(
        db,
        parsed,
        clock,
        source=path.name or str(path),
        complete=complete,
        strict=strict,
        retire_missing=retire_missing,
        confirm_large=confirm_large,
        progress=progress,
    )


def load_starter(db: Database, clock: Clock) -> ImportReport:
    """Load the shipped starter directory (first run, or the demo)."""
    return import_feed(db, starter_path(), clock)


def needs_starter(db: Database) -> bool:
    """True until the starter directory has been loaded (the first run writes it)."""
    loaded = db.execute("SELECT value FROM meta WHERE key = 'starter_directory_loaded'").fetchone()
    return loaded is None


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
