"""The erasure ledger and the store-level removal of a person's rows.

Erasure (erasure.py) removes a person from the open store; the same removal is applied to
every backup linkworker made of the store (backups.py) and re-applied when an older backup
is restored. The ledger table ``erasure_ledger`` (migration m006) keeps, for each erasure,
a random erasure id, the erased person's row number and when it happened: nothing that
identifies anyone. A backup carries the ledger as it was when the backup was taken, so the
erasures a restored backup has not seen are exactly the current ledger's ids it lacks.

Lives in store/ (no domain imports): the walk over a person's rows is
:func:`linkworker.store.schema.rows_about`, the same one subject access uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkworker.store import driver, identity
from linkworker.store.db import StoreError, connect
from linkworker.store.schema import PersonalTable, rows_about

if TYPE_CHECKING:
    from sqlite_utils import Database

LEDGER = "erasure_ledger"


@dataclass(frozen=True)
class Erasure:
    """One line of the ledger."""

    erasure_id: str
    people_row: int
    erased_at: str


def new_erasure_id() -> str:
    """A random id for one erasure (it says nothing about the person)."""
    import secrets  # on first use: OpenSSL's set-up is ~2 ms of every start (issue 18)

    return secrets.token_hex(16)


def ledger(db: Database) -> list[Erasure]:
    """Every erasure recorded in ``db`` (empty for a store made before the ledger)."""
    if not db[LEDGER].exists():
        return []
    rows = db.execute(
        f"SELECT erasure_id, people_row, erased_at FROM {LEDGER} ORDER BY erased_at, erasure_id"
    ).fetchall()
    return [Erasure(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def record_erasure(db: Database, erasure: Erasure) -> None:
    """Add ``erasure`` to the ledger (inside the caller's transaction); once per id."""
    db.execute(
        f"INSERT OR IGNORE INTO {LEDGER} (erasure_id, people_row, erased_at) VALUES (?, ?, ?)",
        [erasure.erasure_id, erasure.people_row, erasure.erased_at],
    )


def remove_person_rows(db: Database, person_id: int) -> tuple[dict[str, int], int]:
    """Delete every record row about the person and their audit entries (no transaction).

    Returns the rows removed by table and the number of audit entries removed. Children
    go before parents and the person last, so every count is exact and nothing depends
    on declared cascades.
    """
    found = [(t, rows) for t, rows in rows_about(db, person_id) if t.role == "record"]
    removed_audit = _erase_audit(db, person_id, found) if db["audit"].exists() else 0
    counts: dict[str, int] = {}
    for table, rows in reversed(found):
        if not rows:
            continue
        if "id" in rows[0]:
            ids = [r["id"] for r in rows]
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ", ".join("?" for _ in part)
                db.execute(f"DELETE FROM [{table.name}] WHERE id IN ({marks})", part)
            counts[table.name] = len(ids)
        else:  # a table keyed some other way (none yet): cleared by its link
            counts[table.name] = _delete_unkeyed(db, table, rows)
    return counts, removed_audit


def _erase_audit(
    db: Database, person_id: int, found: list[tuple[PersonalTable, list[dict[str, Any]]]]
) -> int:
    """Remove the audit entries about the person and about each of their rows."""
    removed = db.execute("DELETE FROM audit WHERE person_id = ?", [person_id]).rowcount or 0
    for table, rows in found:
        ids = [r["id"] for r in rows if "id" in r]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" for _ in part)
            cursor = db.execute(
                f"DELETE FROM audit WHERE table_name = ? AND record_id IN ({marks})",
                [table.name, *part],
            )
            removed += cursor.rowcount or 0
    return removed


def _delete_unkeyed(db: Database, table: PersonalTable, rows: list[dict[str, Any]]) -> int:
    values = sorted({r[table.link] for r in rows})
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(f"DELETE FROM [{table.name}] WHERE [{table.link}] IN ({marks})", values)
    return cursor.rowcount or 0


def apply_erasures(db: Database, erasures: list[Erasure]) -> int:
    """Apply to ``db`` (a backup, or a restored copy) every erasure it has not recorded.

    Each is removed and recorded in one transaction, then the file is compacted so the
    removed text does not linger in free pages. Returns how many erasures were applied.
    """
    # The migrations (and sqlite-utils) load here, not with the backups the app imports.
    from linkworker.store.migrations import ERASURE_LEDGER_TABLE

    known = {e.erasure_id for e in ledger(db)}
    missing = [e for e in erasures if e.erasure_id not in known]
    if not missing:
        return 0
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        # A backup made before the ledger existed gets it, so it carries these erasures on.
        db.execute(ERASURE_LEDGER_TABLE)
        for erasure in missing:
            remove_person_rows(db, erasure.people_row)
            record_erasure(db, erasure)
    compact(db)
    return len(missing)


def compact(db: Database) -> bool:
    """Rewrite the file without free space and empty its write-ahead log (best effort).

    Text deleted or overwritten earlier (an old name kept in a freed page) would otherwise
    survive in the file; VACUUM rebuilds it from the live rows only. It needs no other
    connection to be reading, so it can fail with SQLITE_BUSY: the caller is told.
    """
    if db.conn.in_transaction:
        return False
    try:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:  # SQLITE_BUSY from another connection: the erasure itself stands
        return False
    return True


def erase_from_backups(
    store: Path, key: str | None, ours: str | None, erasures: list[Erasure]
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Apply ``erasures`` to every backup of this store (by its id) at once, in place.

    Returns the backups rewritten and those that could not be (with why): a restore of
    one of those still re-applies the erasure from the store's ledger.
    """
    rewritten: list[Path] = []
    failed: list[tuple[Path, str]] = []
    for backup in identity.copies_of(store, ours, key):
        try:
            db = connect(backup, key, wal=False)
        except StoreError as exc:
            failed.append((backup, str(exc)))
            continue
        try:
            apply_erasures(db, erasures)
            rewritten.append(backup)
        except driver.DatabaseError as exc:
            failed.append((backup, str(exc)))
        finally:
            db.close()
    return rewritten, failed
