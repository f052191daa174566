"""Importing Open Referral UK feeds into the directory, and the shipped starter directory.

Feeds are mapped and validated by :mod:`linkworker.formats.oruk` (pure); this module writes
the result to the store (upsert by source id, one transaction).
"""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, Unpack

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.directory.rows import json_value
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
    returned: int = 0  # activities a feed had retired, listed again: active again
    missing: int = 0  # not listed by this complete pull for the first time: retired if again

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    def summary(self) -> str:
        if self.declined is not None:
            return f"{self.source}: nothing written: a large change was not confirmed."
        verb = "imported" if self.written else "checked (nothing written)"
        retired = f", {self.retired} retired (no longer in the feed)" if self.retired else ""
        if self.returned:
            retired += f", {self.returned} back (listed again)"
        if self.missing:
            retired += (
                f", {self.missing} not listed (retired if the next full import misses them too)"
            )
        incomplete = "; the pull was incomplete, so nothing was retired" if self.incomplete else ""
        return (
            f"{self.source}: {verb}: {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped{retired}{incomplete}"
        )


#: Called as progress(done, total) while an import writes.
Progress = Callable[[int, int], None]


#: Values that say nothing: a field a feed gives like this is one it does not carry.
_EMPTY: tuple[object, ...] = (None, "", "[]", "{}")

#: Columns that follow another: a hand edit of the one keeps the others too.
_FOLLOWS = {"schedules": ("days", "schedule_text"), "categories": ("category_codes",)}


def _changes(
    current: dict[str, object], row: dict[str, object], hand_edited: object
) -> dict[str, object]:
    """The columns this import changes: only those the feed carries (a summary page never
    blanks what a full record gave), never one the worker edited by hand; extras merge."""
    protected = set(json_value(str(hand_edited or "[]"), []))
    for column in list(protected):
        protected |= set(_FOLLOWS.get(column, ()))
    changes: dict[str, object] = {}
    for column in IMPORTED_COLUMNS:
        value = row[column]
        if column == "source_id" or column in protected or value in _EMPTY:
            continue
        if column == "extra":
            merged = json_value(str(current[column] or "{}"), {}) | json_value(str(value), {})
            value = json.dumps(merged, ensure_ascii=False, sort_keys=True)
        if current[column] != value:
            changes[column] = value
    return changes


def store_activities(
    db: Database,
    records: list[oruk.ActivityRecord],
    clock: Clock,
    report: ImportReport,
    progress: Progress | None = None,
    *,
    without_status: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Upsert activities by source id inside the caller's transaction, counting outcomes.
    A record in ``without_status`` gave no status: the one held stays.

    A listed activity is no longer missing, and one a feed retired comes back."""
    stamp = clock.stamp()
    for done, record in enumerate(records):
        if progress is not None and done % 200 == 0:
            progress(done, len(records))
        row = record.to_row()
        existing = db.execute(
            f"SELECT id, retired_by_feed, hand_edited, {', '.join(IMPORTED_COLUMNS)} "
            "FROM activities WHERE source_id = ?",
            [row["source_id"]],
        ).fetchone()
        if existing is None:
            row.update(origin="import", created_at=stamp, updated_at=stamp)
            row["feed_source"] = report.source
            db.execute(
                f"INSERT INTO activities ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            report.new += 1
            continue
        activity_id, by_feed, hand_edited = existing[:3]
        current = dict(zip(IMPORTED_COLUMNS, existing[3:], strict=True))
        changes = _changes(current, row, hand_edited)
        if record.source_id in without_status:
            changes.pop("status", None)
        if by_feed:  # listed again: the feed's own retirement is undone
            changes |= {"retired": 0, "retired_by_feed": 0}
            report.returned += 1
        # Where it was last listed, and that it is listed: bookkeeping, not a change.
        db.execute(
            "UPDATE activities SET missing_pulls = 0, feed_source = ? WHERE id = ?",
            [report.source, activity_id],
        )
        if not changes:
            report.unchanged += 1
            continue
        changes["updated_at"] = stamp
        db.execute(
            f"UPDATE activities SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
            [*changes.values(), activity_id],
        )
        report.updated += 1


#: Complete whole-directory pulls in a row an activity must be missing from to be retired.
MISSING_PULLS_TO_RETIRE = 2


def _retire_unlisted(db: Database, parsed: oruk.ParsedFeed, clock: Clock) -> tuple[int, int]:
    """Count a miss for each imported activity a whole-directory feed does not list; retire
    those missed twice in a row (a feed's retirement: listed again, they come back).
    Returns (retired now, missing for the first time)."""
    listed = _listed_ids(parsed)
    db.execute("CREATE TEMP TABLE IF NOT EXISTS feed_ids (source_id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM feed_ids")
    db.conn.executemany("INSERT OR IGNORE INTO feed_ids VALUES (?)", [(i,) for i in listed])
    unlisted = (
        "origin = 'import' AND retired = 0 AND source_id NOT IN (SELECT source_id FROM feed_ids)"
    )
    db.execute(f"UPDATE activities SET missing_pulls = missing_pulls + 1 WHERE {unlisted}")
    cursor = db.execute(
        "UPDATE activities SET retired = 1, retired_by_feed = 1, updated_at = ? "
        f"WHERE {unlisted} AND missing_pulls >= ?",
        [clock.stamp(), MISSING_PULLS_TO_RETIRE],
    )
    retired = cursor.rowcount
    first = db.execute(f"SELECT count(*) FROM activities WHERE {unlisted}").fetchone()[0]
    db.execute("DELETE FROM feed_ids")
    return retired, int(first)


def _listed_ids(parsed: oruk.ParsedFeed) -> set[str]:
    """Every id the feed lists; a record skipped this time is still listed: keep it."""
    listed = {a.source_id for a in parsed.activities}
    listed |= {p.source_id for p in parsed.problems if p.source_id}
    return listed


#: Asked before an import that would retire or change more than this share of the
#: source's activities already held (of every imported one, for a whole-directory import):
#: a broken or partial feed looks like this.
LARGE_CHANGE_SHARE = 0.10

#: Called with a sentence saying how much an import would change; True goes ahead.
ConfirmLarge = Callable[[str], bool]


class ImportOptions(TypedDict, total=False):
    """How an import runs, each optional: ``strict`` (any skipped record refuses the whole
    import; default False), ``retire_missing`` (retire imported activities the feed no
    longer lists, from a complete pull only; default False), ``confirm_large`` (asked
    before a change of over 10%) and ``progress`` (told of each activity written)."""

    strict: bool
    retire_missing: bool
    confirm_large: ConfirmLarge | None
    progress: Progress | None


class _Declined(Exception):
    """The link worker (or --yes missing) declined a large change: roll the import back."""


def _held_before(db: Database, source: str, *, whole_directory: bool) -> tuple[int, bool]:
    """What an import is measured against, and whether that is the whole directory: those
    this source listed last time, or every imported activity held when the import speaks for
    the whole directory or the source is new here (a renamed file is still measured)."""
    query = "SELECT count(*) FROM activities WHERE origin = 'import' AND retired = 0"
    if not whole_directory:
        own = int(db.execute(f"{query} AND feed_source = ?", [source]).fetchone()[0])
        if own:
            return own, False
    return int(db.execute(query).fetchone()[0]), True


def _large_change_question(report: ImportReport, held_before: int, whole: bool) -> str | None:
    """The question to ask when this import retires or changes over 10% of what is held
    (of the whole directory, or of this source's activities)."""
    touched = report.updated + report.retired
    if held_before <= 0 or touched <= LARGE_CHANGE_SHARE * held_before:
        return None
    held = "imported activities you hold" if whole else "activities you hold from it"
    return (
        f"{report.source} would change {report.updated} and retire {report.retired} of the "
        f"{held_before} {held} (over {round(LARGE_CHANGE_SHARE * 100)}%). Go ahead?"
    )


def import_services(
    db: Database,
    services: list[dict[str, Any]],
    clock: Clock,
    *,
    source: str,
    complete: bool,
    **options: Unpack[ImportOptions],
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
    return _apply(db, parsed, clock, source, complete, options)


def _apply(
    db: Database,
    parsed: oruk.ParsedFeed,
    clock: Clock,
    source: str,
    complete: bool,
    options: ImportOptions,
) -> ImportReport:
    """Write a parsed feed in one transaction, with the never-destructive rules."""
    strict = options.get("strict", False)
    retire_missing = options.get("retire_missing", False)
    confirm_large = options.get("confirm_large")
    progress = options.get("progress")
    report = ImportReport(source=source, problems=list(parsed.problems))
    report.incomplete = retire_missing and not complete
    if strict and any(p.skipped for p in parsed.problems):
        report.written = False
        return report
    try:
        with db.atomic():
            held_before, whole = _held_before(
                db, source, whole_directory=retire_missing and complete
            )
            store_activities(
                db, parsed.activities, clock, report, progress, without_status=parsed.without_status
            )
            if retire_missing and complete:
                report.retired, report.missing = _retire_unlisted(db, parsed, clock)
            question = _large_change_question(report, held_before, whole)
            if question is not None and confirm_large is not None and not confirm_large(question):
                report.declined = question
                raise _Declined(question)
    except _Declined:
        report.written = False
        report.new = report.updated = report.unchanged = report.retired = 0
        report.returned = report.missing = 0
        return report
    if progress is not None:
        progress(len(parsed.activities), len(parsed.activities))
    return report


def import_feed(
    db: Database,
    path: Path,
    clock: Clock,
    *,
    complete: bool = True,
    **options: Unpack[ImportOptions],
) -> ImportReport:
    """Import an Open Referral UK feed file (any shape oruk.load_feed reads).

    A file is read whole, so it is a ``complete`` pull unless the caller says otherwise;
    everything else is :func:`import_services`' rules. A file that is not a feed raises
    oruk.FeedError.
    """
    parsed = oruk.load_feed(path)
    return _apply(db, parsed, clock, path.name or str(path), complete, options)


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
