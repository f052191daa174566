"""Receiving a case a colleague handed over (see :mod:`linkworker.team.handover`).

The sealed file is opened against the kept keys (for me, unchanged, of kind "handover",
signed by a colleague I added, not received before). The person is checked against the
caseload the way intake checks a new referral (NHS number, name and date of birth): when
someone matches, nothing is taken in until the worker says whether to merge into them or
add a new person. Then every row goes in, in one transaction, each id remapped to a new
one here, each with an audit entry saying it was received from whom, when and in which
sealed file; the sender's audit trail comes too, remapped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.display import short_date
from linkworker.errors import CaseloadError
from linkworker.formats import oruk
from linkworker.formats.sealed import Opened, SealError
from linkworker.models import PersonDetails
from linkworker.people import MATCHED_ON_NHS, PersonMatch, fill_blanks, find_duplicates, get_person
from linkworker.store import audit
from linkworker.store.schema import PERSONAL_TABLES
from linkworker.team.handover import FORMAT, KIND, NOT_CARRIED, VERSION
from linkworker.team.keys import open_sealed, opened_document, record_received

#: Links the schema does not declare as foreign keys: a contact made at a follow-up.
_UNDECLARED = {("contacts", "followup_id"): "followups"}


class HandoverMatchError(CaseloadError):
    """The person received matches someone on record: the worker must say merge or new."""

    def __init__(self, message: str, matches: list[PersonMatch]) -> None:
        super().__init__(message)
        self.matches = matches


@dataclass
class ReadHandover:
    """A handover opened and checked, not yet taken in."""

    opened: Opened
    document: dict[str, Any]
    matches: list[PersonMatch]

    @property
    def person(self) -> dict[str, Any]:
        return cast(dict[str, Any], self.document["tables"]["people"][0])

    @property
    def name(self) -> str:
        return f"{self.person['given_name']} {self.person['family_name']}"

    def match_words(self) -> str:
        """Who on record they match, and on what: for the refusal and the app's dialog."""
        return "; ".join(f"{m.name} (id {m.person_id}, same {m.matched_on})" for m in self.matches)


@dataclass
class ReceivedCase:
    """What taking a handover in did."""

    person_id: int
    name: str
    sender: str
    merged: bool
    rows: dict[str, int] = field(default_factory=dict)
    audit_rows: int = 0
    activities_added: int = 0

    def summary(self) -> str:
        parts = ", ".join(f"{t} {n}" for t, n in self.rows.items() if n)
        how = "merged into" if self.merged else "as"
        added = (
            f"; {self.activities_added} activities added to your directory as local ones"
            if self.activities_added
            else ""
        )
        return (
            f"received {self.name}'s case from {self.sender} ({how} person {self.person_id}): "
            f"{parts}; "
            f"{self.audit_rows} audit entries{added}"
        )


def _document(db: Database, opened: Opened) -> dict[str, Any]:
    document = opened_document(opened, FORMAT, VERSION, "a linkworker handover")
    tables = document.get("tables")
    if not isinstance(tables, dict) or len(tables.get("people") or []) != 1:
        raise SealError("the handover does not hold exactly one person")
    for name, rows in tables.items():
        if not db[name].exists() or name in NOT_CARRIED:
            raise SealError(f"the handover holds a table this store lacks ({name}): upgrade")
        columns = set(db[name].columns_dict)
        for row in rows:
            if not isinstance(row, dict) or not set(row) <= columns:
                extra = sorted(set(row) - columns) if isinstance(row, dict) else ["?"]
                raise SealError(
                    f"the handover's {name} has fields this store lacks ({', '.join(extra)}): "
                    "upgrade linkworker to receive it"
                )
    return document


def _details(person: dict[str, Any]) -> PersonDetails:
    born = person.get("date_of_birth")
    values: dict[str, Any] = {k: person.get(k) for k in PersonDetails.model_fields}
    values["date_of_birth"] = date.fromisoformat(str(born)) if born else None
    # As stored by the sender's checks: read back without the intake form's (which would
    # refuse, say, a date of birth judged against another day).
    return PersonDetails.model_construct(None, **values)


def read_handover(db: Database, blob: bytes, clock: Clock) -> ReadHandover:
    """Open and check a handover file and find who on record it matches (nothing is saved)."""
    opened = open_sealed(db, blob, KIND, clock)
    document = _document(db, opened)
    read = ReadHandover(opened, document, [])
    read.matches = find_duplicates(db, _details(read.person))
    return read


def _check_choice(read: ReadHandover, merge_into: int | None, as_new: bool) -> None:
    if merge_into is not None and as_new:
        raise CaseloadError("choose one: merge into a person on record, or add them as new")
    if as_new and any(m.matched_on == MATCHED_ON_NHS for m in read.matches):
        raise HandoverMatchError(
            f"{read.name}'s NHS number is already on record ({read.match_words()}): an NHS "
            "number belongs to one person, so merge into them (--merge-into)",
            read.matches,
        )
    if read.matches and merge_into is None and not as_new:
        raise HandoverMatchError(
            f"{read.name} may already be on record: {read.match_words()}; receive again with "
            "--merge-into PERSON_ID or --as-new",
            read.matches,
        )


class _Importer:
    """Inserts the rows of one handover with new ids, remembering old -> new per table."""

    def __init__(self, db: Database, read: ReadHandover, clock: Clock) -> None:
        self.db, self.read, self.clock = db, read, clock
        self.ids: dict[str, dict[int, int]] = {}
        self.later: list[tuple[str, int, str, str, int]] = []
        self.provenance = (
            f"received from {read.opened.sender_name} on {short_date(clock.today())} "
            f"(sealed file {read.opened.sealed_id}, written {short_date(read.opened.created_at)})"
        )

    def links(self, table: str) -> dict[str, str]:
        found = {str(fk.column): str(fk.other_table) for fk in self.db.table(table).foreign_keys}
        found |= {col: other for (t, col), other in _UNDECLARED.items() if t == table}
        return found

    def insert(self, table: str, row: dict[str, Any], person_id: int) -> int:
        values = {k: v for k, v in row.items() if k != "id"}
        pending: list[tuple[str, str, int]] = []
        for column, other in self.links(table).items():
            old = values.get(column)
            if old is None or column not in values:
                continue
            if other == "people":
                values[column] = person_id
            elif other in self.ids:
                values[column] = self.ids[other].get(int(old))
            else:  # a table that comes later (a contact's follow-up): set once it is in
                values[column] = None
                pending.append((column, other, int(old)))
        if table == "followups" and values.get("calendar_uid"):
            values["calendar_uid"] = self._free_uid(str(values["calendar_uid"]))
        cursor = self.db.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in values)}) "
            f"VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )
        new_id = int(cursor.lastrowid or 0)
        self.ids.setdefault(table, {})[int(row["id"])] = new_id
        self.later += [(table, new_id, column, other, old) for column, other, old in pending]
        audit.entry(
            self.db,
            "insert",
            table,
            new_id,
            person_id=new_id if table == "people" else person_id,
            clock=self.clock,
            reason=self.provenance,
            worker=self.read.opened.sender_name,
        )
        return new_id

    def _free_uid(self, uid: str) -> str:
        taken = self.db.execute("SELECT 1 FROM followups WHERE calendar_uid = ?", [uid]).fetchone()
        return (
            uid
            if taken is None
            else str(
                self.db.execute("SELECT lower(hex(randomblob(16))) || '@linkworker'").fetchone()[0]
            )
        )

    def finish(self) -> None:
        for table, new_id, column, other, old in self.later:
            self.db.execute(
                f"UPDATE [{table}] SET [{column}] = ? WHERE id = ?",
                [self.ids.get(other, {}).get(old), new_id],
            )


def _activity_ids(db: Database, read: ReadHandover, clock: Clock) -> tuple[dict[int, int], int]:
    """Their activity ids -> ours: by feed id, else added here as a local activity."""
    found: dict[int, int] = {}
    added = 0
    for carried in read.document.get("activities") or []:
        row = db.execute(
            "SELECT id FROM activities WHERE source_id = ?", [str(carried.get("source_id"))]
        ).fetchone()
        if row is not None:
            found[int(carried["id"])] = int(row[0])
            continue
        try:
            record = oruk.ActivityRecord.from_row(carried).to_row()
        except ValueError as exc:
            raise SealError(f"the handover's activity {carried.get('name')} is not valid") from exc
        source = str(carried.get("source_id"))
        today = clock.today().isoformat()
        record.update(
            origin="hand",
            verified_on=None,
            notes=f"Came with a case from {read.opened.sender_name} on {short_date(today)}"
            + ("" if source.startswith("linkworker-") else f" (feed id {source})"),
        )
        if not source.startswith("linkworker-"):  # a feed's id stays the feed's
            record["source_id"] = f"linkworker-from-{read.opened.sealed_id}-{carried['id']}"
        found[int(carried["id"])] = audit.insert(
            db, "activities", record, person_id=None, clock=clock
        )
        added += 1
    return found, added


def _merge_person(db: Database, read: ReadHandover, into: int, clock: Clock) -> None:
    """Their details fill what the person here lacks (nothing is overwritten); a case that
    comes back to the worker who handed it over is theirs to change again."""
    db.execute(
        "UPDATE handovers SET ended_on = ? WHERE person_id = ? AND ended_on IS NULL",
        [clock.today().isoformat(), into],
    )
    fill_blanks(db, get_person(db, into), _details(read.person), clock)


def receive_handover(
    db: Database,
    read: ReadHandover,
    clock: Clock,
    *,
    merge_into: int | None = None,
    as_new: bool = False,
) -> ReceivedCase:
    """Take a checked handover in, in one transaction (see the module docstring)."""
    _check_choice(read, merge_into, as_new)
    if merge_into is not None:
        get_person(db, merge_into)
    tables: dict[str, list[dict[str, Any]]] = read.document["tables"]
    with db.atomic():
        record_received(db, read.opened, clock)
        importer = _Importer(db, read, clock)
        if merge_into is not None:
            _merge_person(db, read, merge_into, clock)
            person_id = merge_into
            importer.ids["people"] = {int(read.person["id"]): person_id}
        else:
            person_id = importer.insert("people", read.person, 0)
        importer.ids["activities"], added = _activity_ids(db, read, clock)
        result = ReceivedCase(
            person_id,
            read.name,
            read.opened.sender_name,
            merge_into is not None,
            {"people": 1},
            0,
            added,
        )
        for table in PERSONAL_TABLES:
            if table.name == "people" or table.name not in tables:
                continue
            for row in tables[table.name]:
                importer.insert(table.name, row, person_id)
            result.rows[table.name] = len(tables[table.name])
        importer.finish()
        result.audit_rows = _copy_trail(db, read, importer, person_id)
    return result


def _copy_trail(db: Database, read: ReadHandover, importer: _Importer, person_id: int) -> int:
    """The sender's audit entries about the person, with their record ids made ours."""
    trail = read.document.get("audit") or []
    for entry in trail:
        record = entry.get("record_id")
        mapped = (
            importer.ids.get(str(entry.get("table_name")), {}).get(int(record))
            if (record is not None)
            else None
        )
        db.execute(
            "INSERT INTO audit (at, action, table_name, record_id, person_id, field, old, new, "
            "reason, worker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entry.get("at"),
                entry.get("action"),
                entry.get("table_name"),
                mapped,
                person_id,
                entry.get("field"),
                entry.get("old"),
                entry.get("new"),
                entry.get("reason"),
                entry.get("worker"),
            ],
        )
    return len(trail)
