"""What the store's tables hold about a person: the one list erasure and subject access walk.

:data:`PERSONAL_TABLES` names every table that holds a person's data and how its rows tie
to the person: directly, by a column holding their id (``person_id``; ``id`` for
``people`` itself), or through a foreign key to a table earlier in the list (a goal's
actions and reviews hang off ``goals``). Erasure (:mod:`linkworker.erasure`) deletes
those rows and subject access (:mod:`linkworker.subject_access`) exports them, both by
walking :func:`rows_about`.

A migration that adds such a table adds it here too: tests/unit/test_personal_tables.py
fails while a table with a ``person_id`` column, or a foreign key into a listed table, is
missing. Until then :func:`personal_tables` still finds it from the schema, so erasure
never leaves a person's rows behind and subject access never leaves them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sqlite_utils import Database


#: How a table's rows are used: ``record`` rows are the person's data; ``derived`` rows are
#: computed from them by triggers (exported, never deleted by hand); ``trail`` is the audit
#: trail, which erasure and subject access each handle in their own way; a ``queue`` holds a
#: person's id only inside the statement that wrote it (its own trigger empties it), so no
#: walk of a person's rows reads it; a ``copy`` holds what record rows hold, in another shape
#: for reading fast, kept by triggers on those rows as an index is (m022's outcome pairs,
#: measures' scores as numbers; m024's first contacts): no walk reads it either, as subject
#: access exports the rows it copies and erasing them removes it.
Role = Literal["record", "derived", "trail", "queue", "copy"]


@dataclass(frozen=True)
class PersonalTable:
    """A table holding a person's data, and the column that ties its rows to them.

    With ``parent`` None, ``link`` holds the person's id. Otherwise ``link`` is a foreign
    key to ``parent_key`` of ``parent``, a table listed before this one.
    """

    name: str
    link: str = "person_id"
    parent: str | None = None
    parent_key: str = "id"
    role: Role = "record"


#: Every table that holds a person's data, parents before the tables that hang off them.
PERSONAL_TABLES: tuple[PersonalTable, ...] = (
    PersonalTable("people", link="id"),
    PersonalTable("referrals"),
    PersonalTable("contacts"),
    PersonalTable("flags"),
    PersonalTable("conversations"),
    PersonalTable("goals"),
    PersonalTable("measures"),
    PersonalTable("connections"),
    PersonalTable("followups"),
    PersonalTable("information_needs"),
    PersonalTable("plan_signoffs"),
    PersonalTable("visit_checks"),
    PersonalTable("supervision_cases"),
    PersonalTable("supervision_actions"),
    PersonalTable("gaps"),
    PersonalTable("person_summary", role="derived"),
    # m021's queue of caseload rows to make again, emptied by its own trigger.
    PersonalTable("summary_refresh", role="queue"),
    # m022's copy of each follow-up measure's scores beside its episode's first baseline,
    # made again by triggers on measures whenever they change (and gone with them).
    PersonalTable("outcome_pairs", role="copy"),
    # m024's copy of each referral's first contact, kept by triggers on contacts and
    # referrals.
    PersonalTable("first_contacts", role="copy"),
    PersonalTable("goal_reviews", link="goal_id", parent="goals"),
    PersonalTable("actions", link="goal_id", parent="goals"),
    # Last of the record tables: erasure removes the last listed first, so a handover's
    # lock (store/handed_over.py) goes before the rows its guard triggers protect.
    PersonalTable("handovers"),
    PersonalTable("audit", role="trail"),
)
_LISTED = {table.name for table in PERSONAL_TABLES}


def unlisted_personal_tables(db: Database) -> list[PersonalTable]:
    """Tables in this store that hold a person's data but are not in PERSONAL_TABLES.

    Found from the schema: a ``person_id`` column, or a foreign key into a listed (or
    already found) table, to any depth. Empty for a store linkworker's migrations made.
    """
    known = {t.name for t in PERSONAL_TABLES if db.table(t.name).exists()}
    found: list[PersonalTable] = []
    candidates = [name for name in db.table_names() if name not in _LISTED]
    added = True
    while added:
        added = False
        for name in candidates:
            if name in known:
                continue
            table = _discovered(db, name, known)
            if table is not None:
                found.append(table)
                known.add(name)
                added = True
    return found


def _discovered(db: Database, name: str, known: set[str]) -> PersonalTable | None:
    if "person_id" in db.table(name).columns_dict:
        return PersonalTable(name)
    for fk in db.table(name).foreign_keys:
        if fk.other_table in known and fk.other_table != name:
            return PersonalTable(
                name,
                link=str(fk.column),
                parent=str(fk.other_table),
                parent_key=str(fk.other_column or "id"),
            )
    return None


def personal_tables(db: Database) -> list[PersonalTable]:
    """The listed tables this store has, then any it holds that the list lacks."""
    listed = [t for t in PERSONAL_TABLES if db.table(t.name).exists()]
    return listed + unlisted_personal_tables(db)


def rows_about(
    db: Database, person_id: int
) -> Iterator[tuple[PersonalTable, list[dict[str, Any]]]]:
    """Every record and derived row about one person, table by table, in list order.

    Each table comes with its rows (perhaps none) ordered by id (rowid for a table without
    one). The audit trail is not walked here (each caller reads it its own way), nor a queue
    or a copy (see :data:`Role`).
    """
    found: dict[str, list[dict[str, Any]]] = {}
    for table in personal_tables(db):
        if table.role in ("trail", "queue", "copy"):
            continue
        columns = db.table(table.name).columns_dict
        order = "id" if "id" in columns else "rowid"
        if table.parent is None:
            rows = list(
                db.query(
                    f"SELECT * FROM [{table.name}] WHERE [{table.link}] = ? ORDER BY {order}",
                    [person_id],
                )
            )
        else:
            keys = sorted({r[table.parent_key] for r in found.get(table.parent, [])} - {None})
            rows = []
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ", ".join("?" for _ in part)
                rows += db.query(
                    f"SELECT * FROM [{table.name}] WHERE [{table.link}] IN ({marks})", part
                )
            rows.sort(key=lambda r: r.get("id") or 0)
        found[table.name] = rows
        yield table, rows
