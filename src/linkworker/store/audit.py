"""Writes to a person's record, each with its audit trail in the same transaction.

Every core function that changes a person's record goes through :func:`insert`,
:func:`update` or :func:`delete`, which append to ``audit`` (when, table, record id,
field, old -> new). Callers wrap a whole user action in ``db.atomic()``; these functions
open their own savepoint too, so a failure never leaves a change without its audit row.
A person whose case was handed over to a colleague is refused here, with the reason
(store/handed_over.py; the store's triggers refuse any other write).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypedDict

from linkworker.clock import Clock
from linkworker.store.handed_over import refuse_if_handed_over

if TYPE_CHECKING:
    from sqlite_utils import Database


class CorrectableRow(TypedDict):
    """The bookkeeping columns of a row that can be struck out as entered in error: when
    :func:`insert` and :func:`update` stamped it, and when and why corrections.py struck it."""

    created_at: str
    updated_at: str
    entered_in_error_at: str | None
    entered_in_error_reason: str | None


def to_db(value: object) -> object:
    """Python values as stored: enums as codes, dates ISO, lists and dicts as JSON, bools 0/1."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(_json_ready(value), ensure_ascii=False, sort_keys=True)
    return value


def _json_ready(value: object) -> object:
    # Nested lists and dicts stay JSON structures inside the one JSON document (a measure's
    # scores hold a dict of values); only the outermost value becomes a string.
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {str(to_db(k)): _json_ready(v) for k, v in value.items()}
    return to_db(value)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def insert(
    db: Database, table: str, values: Mapping[str, Any], *, person_id: int | None, clock: Clock
) -> int:
    """Insert a row and its audit entry; returns the new id."""
    refuse_if_handed_over(db, person_id)
    stamp = clock.stamp()
    row = {k: to_db(v) for k, v in values.items()}
    columns = db[table].columns_dict
    if "created_at" in columns:
        row.setdefault("created_at", stamp)
    if "updated_at" in columns:
        row.setdefault("updated_at", stamp)
    with db.atomic():
        cursor = db.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in row)}) "
            f"VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
        record_id = int(cursor.lastrowid or 0)
        pid = record_id if table == "people" else person_id
        db.execute(
            "INSERT INTO audit (at, action, table_name, record_id, person_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [stamp, "insert", table, record_id, pid],
        )
    return record_id


def update(
    db: Database,
    table: str,
    record_id: int,
    changes: Mapping[str, Any],
    *,
    person_id: int | None,
    clock: Clock,
    reason: str | None = None,
    worker: str | None = None,
) -> dict[str, tuple[object, object]]:
    """Change fields of one row; audit each field that really changed (old -> new).

    ``reason`` and ``worker`` (a correction's why and who) go on each audit row when given.
    Returns {field: (old, new)} for the fields that changed; nothing is written when none did.
    """
    refuse_if_handed_over(db, record_id if table == "people" else person_id)
    stamp = clock.stamp()
    with db.atomic():
        current = db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [record_id])
        names = [d[0] for d in current.description]
        found = current.fetchone()
        if found is None:
            raise LookupError(f"no {table} record {record_id}")
        old = dict(zip(names, found, strict=True))
        changed: dict[str, tuple[object, object]] = {}
        for field, value in changes.items():
            new = to_db(value)
            if old.get(field) != new:
                changed[field] = (old.get(field), new)
        if not changed:
            return {}
        assignments = {f: new for f, (_, new) in changed.items()}
        if "updated_at" in old:
            assignments["updated_at"] = stamp
        db.execute(
            f"UPDATE [{table}] SET {', '.join(f'[{f}] = ?' for f in assignments)} WHERE id = ?",
            [*assignments.values(), record_id],
        )
        pid = record_id if table == "people" else person_id
        rows = [
            (stamp, table, record_id, pid, f, _text(o), _text(n)) for f, (o, n) in changed.items()
        ]
        if reason is None and worker is None:
            db.conn.executemany(
                "INSERT INTO audit (at, action, table_name, record_id, person_id, field, old, new) "
                "VALUES (?, 'update', ?, ?, ?, ?, ?, ?)",
                rows,
            )
        else:
            # Only corrections name a reason and a worker (columns m004 added).
            db.conn.executemany(
                "INSERT INTO audit (at, action, table_name, record_id, person_id, field, old, "
                "new, reason, worker) VALUES (?, 'update', ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row, reason, worker or None) for row in rows],
            )
    return changed


def delete(
    db: Database, table: str, record_id: int, *, person_id: int | None, clock: Clock
) -> None:
    """Delete one row and record that it was deleted."""
    refuse_if_handed_over(db, record_id if table == "people" else person_id)
    with db.atomic():
        db.execute(f"DELETE FROM [{table}] WHERE id = ?", [record_id])
        db.execute(
            "INSERT INTO audit (at, action, table_name, record_id, person_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [clock.stamp(), "delete", table, record_id, person_id],
        )


def entry(
    db: Database,
    action: str,
    table: str,
    record_id: int | None,
    *,
    person_id: int | None,
    clock: Clock,
    field: str | None = None,
    new: str | None = None,
    reason: str | None = None,
    worker: str | None = None,
) -> None:
    """Append one audit entry that no single column change makes: a handover sent, or a
    row taken in from one (with where it came from as the ``reason``)."""
    db.execute(
        "INSERT INTO audit (at, action, table_name, record_id, person_id, field, old, new, "
        "reason, worker) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        [clock.stamp(), action, table, record_id, person_id, field, new, reason, worker],
    )


def history(db: Database, person_id: int) -> list[dict[str, Any]]:
    """Every audit entry about one person, newest first."""
    return list(
        db.query("SELECT * FROM audit WHERE person_id = ? ORDER BY at DESC, id DESC", [person_id])
    )
