"""Handing a case over to a colleague: one person's whole record, sealed to them.

The file holds every record table of :data:`linkworker.store.schema.PERSONAL_TABLES` (what
subject access covers) as stored, struck-out entries included, the person's audit trail,
and the directory activities their connections point at (by feed id and details, so the
receiver can match them or add them as local activities). It is JSON, sealed (kind
"handover") to the colleague's kept key and signed with this worker's key.

Afterwards the record here is read-only ("handed over to NAME on DATE", enforced by
store/handed_over.py and m019's triggers), or erased through the usual erasure when the
worker chose that. The receiving side is :mod:`linkworker.team.receive`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.erasure import ErasureResult, erase_person
from linkworker.formats import oruk, writer
from linkworker.people import get_person
from linkworker.store import audit
from linkworker.store.handed_over import HandedOver, refuse_if_handed_over
from linkworker.store.schema import rows_about
from linkworker.team.keys import TeamKey, key_of, seal_for

KIND = "handover"
FORMAT = "linkworker-handover"
VERSION = 1
#: The sender's own bookkeeping of handovers: never part of what travels.
NOT_CARRIED = frozenset({"handovers"})


def _activities(db: Database, connections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The directory entries the connections point at: their id here, feed id and details."""
    ids = sorted({int(r["activity_id"]) for r in connections})
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    found = []
    for row in db.query(f"SELECT * FROM activities WHERE id IN ({marks}) ORDER BY id", ids):
        details = oruk.ActivityRecord.from_row(row).to_row()
        found.append({"id": row["id"], **details})
    return found


def handover_document(db: Database, person_id: int, written_at: str) -> dict[str, Any]:
    """What a handover carries: the person's record tables, audit trail and activities."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, rows in rows_about(db, person_id):
        if table.role == "record" and table.name not in NOT_CARRIED:
            tables[table.name] = rows
    if not tables.get("people"):
        raise LookupError(f"no person with id {person_id}")
    trail = list(db.query("SELECT * FROM audit WHERE person_id = ? ORDER BY id", [person_id]))
    return {
        "format": FORMAT,
        "version": VERSION,
        "person_id": person_id,
        "written_at": written_at,
        "tables": tables,
        "audit": trail,
        "activities": _activities(db, tables.get("connections", [])),
    }


@dataclass
class HandoverResult:
    """What handing a case over did."""

    path: Path
    to: TeamKey
    person_name: str
    rows: int
    erased: ErasureResult | None = None

    def summary(self) -> str:
        done = (
            f"erased here ({self.erased.summary()})"
            if self.erased is not None
            else "their record here is now read-only"
        )
        return (
            f"handed {self.person_name}'s case over to {self.to.name} "
            f"(fingerprint {self.to.fingerprint}): {self.rows} rows sealed for them; {done}"
        )


def _record_handover(db: Database, person_id: int, to: TeamKey, clock: Clock) -> None:
    today = clock.today().isoformat()
    db.execute(
        "INSERT INTO handovers (person_id, to_name, to_fingerprint, handed_over_on, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [person_id, to.name, to.fingerprint, today, clock.stamp()],
    )
    audit.entry(
        db,
        "update",
        "people",
        person_id,
        person_id=person_id,
        clock=clock,
        field="handed_over",
        new=HandedOver(to.name, today).words(),
        reason=f"case handed over (key fingerprint {to.fingerprint})",
    )


def hand_over(
    db: Database,
    person_id: int,
    to_name: str,
    target: Path,
    clock: Clock,
    *,
    force: bool = False,
    erase: bool = False,
    key: str | None = None,
) -> HandoverResult:
    """Seal the person's record for ``to_name`` into ``target``, then lock or erase it here.

    Without ``erase`` the file is written inside the transaction that records the handover,
    so either both happen or neither does. With ``erase`` the record is erased (the usual
    erasure, with ``key`` to rewrite the backups) only once the file is safely written.
    """
    person = get_person(db, person_id)
    refuse_if_handed_over(db, person_id)
    to = key_of(db, to_name)
    writer.check_target(target, force)
    document = handover_document(db, person_id, clock.stamp())
    payload = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
    sealed, _ = seal_for(db, KIND, payload, [to.name], clock)
    rows = sum(len(r) for r in document["tables"].values())
    result = HandoverResult(target, to, f"{person['given_name']} {person['family_name']}", rows)
    if erase:
        writer.write_file(target, sealed, force=force)
        result.erased = erase_person(db, person_id, clock, key)
        return result
    with db.atomic():
        _record_handover(db, person_id, to, clock)
        writer.write_file(target, sealed, force=force)
    return result
