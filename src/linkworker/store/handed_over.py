"""A record handed over to a colleague is read-only: the lock, kept in the store.

A handover (linkworker.team.handover) leaves a row in ``handovers`` (m019). While it has no
``ended_on``, the store's guard triggers refuse every insert, update and delete of that
person's rows, whoever writes them, and :func:`refuse_if_handed_over` (called by every
audited write in store/audit.py) says so first in the link worker's words.

The triggers stand aside while an empty in-memory database is attached to the connection
as :data:`GUARD_OFF` (:func:`guard_suspended`): schema migrations run that way, so a later
step that rewrites every row is never blocked by a handed-over person. An attachment lives
only as long as the connection and nothing of it is written to the file, so the guard
cannot be left off. (A main-schema trigger may not name a temporary table, and a temporary
table makes SQLite's checkpoint of every schema fail once; the list of attached databases
is readable from a trigger and touches neither.) Erasure needs no suspension:
``handovers`` is listed last of the record tables in store/schema.py, so erasure (which
removes children first, the last listed first) takes the lock away before the person's
other rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from linkworker.errors import CaseloadError

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The attached database whose presence switches the guard triggers off (see m019).
GUARD_OFF = "handover_guard_off"


@dataclass(frozen=True)
class HandedOver:
    """To whom a person's case was handed over, and when."""

    to_name: str
    handed_over_on: str  # ISO date

    def words(self) -> str:
        """'handed over to Bea Jones on 2 Dec 2026'."""
        on = date.fromisoformat(self.handed_over_on[:10])
        return f"handed over to {self.to_name} on {on.day} {on:%b %Y}"


class HandedOverError(CaseloadError):
    """A write to a record that was handed over to a colleague (it is read-only)."""


def handed_over(db: Database, person_id: int | None) -> HandedOver | None:
    """The person's open handover, or None when their record is this worker's to change."""
    if person_id is None or not db["handovers"].exists():
        return None
    row = db.execute(
        "SELECT to_name, handed_over_on FROM handovers "
        "WHERE person_id = ? AND ended_on IS NULL ORDER BY id DESC LIMIT 1",
        [person_id],
    ).fetchone()
    return None if row is None else HandedOver(str(row[0]), str(row[1]))


def handed_over_people(db: Database, person_ids: list[int]) -> dict[int, HandedOver]:
    """The open handovers of several people at once (for lists), by person id."""
    if not person_ids or not db["handovers"].exists():
        return {}
    found: dict[int, HandedOver] = {}
    for start in range(0, len(person_ids), 500):
        part = person_ids[start : start + 500]
        marks = ", ".join("?" for _ in part)
        for pid, name, on in db.execute(
            "SELECT person_id, to_name, handed_over_on FROM handovers "
            f"WHERE ended_on IS NULL AND person_id IN ({marks}) ORDER BY id",
            part,
        ).fetchall():
            found[int(pid)] = HandedOver(str(name), str(on))
    return found


def refuse_if_handed_over(db: Database, person_id: int | None) -> None:
    """HandedOverError when the person's case was handed over (their record is read-only)."""
    lock = handed_over(db, person_id)
    if lock is not None:
        raise HandedOverError(
            f"this person's case was {lock.words()}: their record here is read-only"
        )


@contextmanager
def guard_suspended(db: Database) -> Iterator[None]:
    """The guard triggers stand aside on this connection until the block ends."""
    attached = db.execute(
        "SELECT 1 FROM pragma_database_list WHERE name = ?", [GUARD_OFF]
    ).fetchone()
    if attached is None:  # ATTACH cannot run inside a transaction: callers begin after it
        db.execute(f"ATTACH DATABASE ':memory:' AS {GUARD_OFF}")
    try:
        yield
    finally:
        if attached is None:
            db.execute(f"DETACH DATABASE {GUARD_OFF}")
