"""Erasure (UK GDPR right to erasure): remove every row about a person, in one transaction.

The rows are those :func:`linkworker.store.schema.rows_about` finds, the same walk subject
access makes, so what is erased and what is exported can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.people import get_person
from linkworker.store.schema import PersonalTable, rows_about


@dataclass
class ErasureResult:
    """How many rows were removed, by table (the only thing kept about an erasure)."""

    rows: dict[str, int]
    audit_rows: int
    compacted: bool = False

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        parts = ", ".join(f"{table} {n}" for table, n in sorted(self.rows.items()) if n)
        return f"{self.total} rows erased ({parts}); {self.audit_rows} audit entries removed"


def erase_person(db: Database, person_id: int, clock: Clock) -> ErasureResult:
    """Remove every row about a person, and their audit history, in one transaction.

    What is left is one audit entry (action 'erase') saying when an erasure happened and how
    many rows went, with no name, no id and no old values. SQLite overwrites the deleted
    content (secure_delete), then the file is compacted and the write-ahead log emptied, so
    the erased text does not linger in the file (``compacted`` says whether that worked).
    Backups taken earlier still hold it until they are rotated away.
    """
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        get_person(db, person_id)
        found = [(t, rows) for t, rows in rows_about(db, person_id) if t.role == "record"]
        removed_audit = _erase_audit(db, person_id, found)
        # Children before parents, the person last; ON DELETE CASCADE would do it too, but
        # this way every table's count is exact and nothing depends on declared keys.
        counts: dict[str, int] = {}
        for table, rows in reversed(found):
            if not rows:
                continue
            if "id" in rows[0]:
                ids = [r["id"] for r in rows]
                marks = ", ".join("?" for _ in ids)
                db.execute(f"DELETE FROM [{table.name}] WHERE id IN ({marks})", ids)
                counts[table.name] = len(ids)
            else:  # a table keyed some other way (none yet): cleared by its link
                counts[table.name] = _delete_unkeyed(db, table, rows)
        result = ErasureResult(counts, removed_audit)
        db.execute(
            "INSERT INTO audit (at, action, table_name, record_id, person_id, field, old, new) "
            "VALUES (?, 'erase', 'people', NULL, NULL, NULL, NULL, ?)",
            [clock.stamp(), result.summary()],
        )
    result.compacted = _compact(db)
    return result


def _erase_audit(
    db: Database, person_id: int, found: list[tuple[PersonalTable, list[dict[str, Any]]]]
) -> int:
    """Remove the audit entries about the person and about each of their rows."""
    removed = db.execute("DELETE FROM audit WHERE person_id = ?", [person_id]).rowcount or 0
    for table, rows in found:
        ids = [r["id"] for r in rows if "id" in r]
        if not ids:
            continue
        marks = ", ".join("?" for _ in ids)
        cursor = db.execute(
            f"DELETE FROM audit WHERE table_name = ? AND record_id IN ({marks})",
            [table.name, *ids],
        )
        removed += cursor.rowcount or 0
    return removed


def _delete_unkeyed(db: Database, table: PersonalTable, rows: list[dict[str, Any]]) -> int:
    values = sorted({r[table.link] for r in rows})
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(f"DELETE FROM [{table.name}] WHERE [{table.link}] IN ({marks})", values)
    return cursor.rowcount or 0


def _compact(db: Database) -> bool:
    """Rewrite the file without free space and empty the write-ahead log.

    Text deleted or overwritten *before* an erasure (an old name kept in a freed page) would
    otherwise survive in the file; VACUUM rebuilds it from the live rows only. It needs no
    other connection to be reading, so it is best effort and the caller is told.
    """
    if db.conn.in_transaction:
        return False
    try:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:  # SQLITE_BUSY from another connection: the erasure itself stands
        return False
    return True
