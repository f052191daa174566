"""Erasure (UK GDPR right to erasure): remove every row about a person, in one transaction.

The rows are those :func:`linkworker.store.schema.rows_about` finds, the same walk subject
access makes, so what is erased and what is exported can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.people import get_person
from linkworker.store import identity, ledger
from linkworker.store.db import store_file


@dataclass
class ErasureResult:
    """How many rows were removed, by table (the only thing kept about an erasure)."""

    rows: dict[str, int]
    audit_rows: int
    compacted: bool = False
    backups_rewritten: list[Path] = field(default_factory=list)
    backups_not_rewritten: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        parts = ", ".join(f"{table} {n}" for table, n in sorted(self.rows.items()) if n)
        return f"{self.total} rows erased ({parts}); {self.audit_rows} audit entries removed"


def erase_person(
    db: Database, person_id: int, clock: Clock, key: str | None = None
) -> ErasureResult:
    """Remove every row about a person, and their audit history, in one transaction.

    What is left is one audit entry (action 'erase') saying when an erasure happened and how
    many rows went, with no name, no id and no old values, and a line in the erasure ledger
    (a random id, the person's row number, when). SQLite overwrites the deleted content
    (secure_delete), then the file is compacted and the write-ahead log emptied, so the
    erased text does not linger in the file (``compacted`` says whether that worked). Then
    every backup linkworker made of this store (opened with ``key``, the store's
    passphrase) is rewritten without the person at once; a restore of any backup that
    could not be rewritten re-applies the erasure from the ledger.
    """
    db.execute("PRAGMA secure_delete = ON")
    erasure = ledger.Erasure(ledger.new_erasure_id(), person_id, clock.stamp())
    with db.atomic():
        get_person(db, person_id)
        counts, removed_audit = ledger.remove_person_rows(db, person_id)
        result = ErasureResult(counts, removed_audit)
        db.execute(
            "INSERT INTO audit (at, action, table_name, record_id, person_id, field, old, new) "
            "VALUES (?, 'erase', 'people', NULL, NULL, NULL, NULL, ?)",
            [clock.stamp(), result.summary()],
        )
        ledger.record_erasure(db, erasure)
    result.compacted = ledger.compact(db)
    store = store_file(db)
    if store is not None:
        everything = ledger.ledger(db)
        result.backups_rewritten, result.backups_not_rewritten = ledger.erase_from_backups(
            store, key, identity.store_id(db), everything
        )
    return result
