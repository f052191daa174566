"""Erasure (UK GDPR right to erasure): remove every row about a person, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.people import get_person

#: Tables never erased row by row: the audit trail is handled apart, the summary by triggers.
_NOT_PERSONAL = {"audit", "person_summary"}


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


def _rows_about(db: Database, person_id: int) -> dict[str, set[int]]:
    """Every row about one person: tables with a person_id, and rows that point at those."""
    doomed: dict[str, set[int]] = {"people": {person_id}}
    tables = [
        t
        for t in db.table_names()
        if t not in _NOT_PERSONAL and "id" in db.table(t).columns_dict
    ]
    for table in tables:
        if table != "people" and "person_id" in db.table(table).columns_dict:
            ids = {
                int(r[0])
                for r in db.execute(f"SELECT id FROM [{table}] WHERE person_id = ?", [person_id])
            }
            if ids:
                doomed[table] = ids
    # Rows hanging off those rows (a goal's actions and reviews, and anything added later).
    changed = True
    while changed:
        changed = False
        for table in tables:
            for fk in db.table(table).foreign_keys:
                parents = doomed.get(fk.other_table)
                if not parents or fk.other_column != "id" or table == fk.other_table:
                    continue
                marks = ", ".join("?" for _ in parents)
                ids = {
                    int(r[0])
                    for r in db.execute(
                        f"SELECT id FROM [{table}] WHERE [{fk.column}] IN ({marks})", list(parents)
                    )
                }
                new = ids - doomed.get(table, set())
                if new:
                    doomed.setdefault(table, set()).update(new)
                    changed = True
    return doomed


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
        doomed = _rows_about(db, person_id)
        removed_audit = 0
        cursor = db.execute("DELETE FROM audit WHERE person_id = ?", [person_id])
        removed_audit += cursor.rowcount or 0
        for table, ids in doomed.items():
            marks = ", ".join("?" for _ in ids)
            cursor = db.execute(
                f"DELETE FROM audit WHERE table_name = ? AND record_id IN ({marks})",
                [table, *ids],
            )
            removed_audit += cursor.rowcount or 0
        # Children before parents; ON DELETE CASCADE would do it too, but this way every
        # table's count is exact and nothing depends on the foreign keys being declared.
        counts: dict[str, int] = {}
        for table in sorted(doomed, key=lambda t: t == "people"):
            ids = doomed[table]
            marks = ", ".join("?" for _ in ids)
            db.execute(f"DELETE FROM [{table}] WHERE id IN ({marks})", list(ids))
            counts[table] = len(ids)
        # A table keyed some other way (none yet) is still cleared by its person_id.
        for table in db.table_names():
            columns = db.table(table).columns_dict
            if table not in _NOT_PERSONAL and "person_id" in columns and "id" not in columns:
                cursor = db.execute(f"DELETE FROM [{table}] WHERE person_id = ?", [person_id])
                counts[table] = cursor.rowcount or 0
        result = ErasureResult(counts, removed_audit)
        db.execute(
            "INSERT INTO audit (at, action, table_name, record_id, person_id, field, old, new) "
            "VALUES (?, 'erase', 'people', NULL, NULL, NULL, NULL, ?)",
            [clock.stamp(), result.summary()],
        )
    result.compacted = _compact(db)
    return result


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
