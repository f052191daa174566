"""Community development time: the worker's work that is no one person's case.

Supporting or starting a group, outreach, multidisciplinary meetings, training: each
entry has a day, a kind, the group or organisation, minutes and a note. The commissioner
report counts the period's sessions and hours by kind (:func:`community_by_kind`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.errors import CaseloadError
from linkworker.models.care import CommunityKind
from linkworker.validation import form_text, format_date

MINUTES_MOST = 24 * 60


class CommunityError(CaseloadError):
    """An entry of community work is refused; the message and field say why."""


@dataclass(frozen=True)
class CommunityWork:
    id: int
    worked_on: date
    kind: str
    organisation: str | None
    minutes: int
    note: str | None

    def line(self) -> str:
        """'2 Dec 2026  Outreach  90 min  Hove Food Bank: stall at the open day'."""
        where = f"  {self.organisation}" if self.organisation else ""
        note = f": {self.note}" if self.note else ""
        return (
            f"{self.id:>5}  {format_date(self.worked_on):<11} {CommunityKind(self.kind).label:<26} "
            f"{self.minutes:>4} min{where}{note}"
        )


def add_work(
    db: Database,
    worked_on: date,
    kind: CommunityKind | str,
    minutes: int,
    clock: Clock,
    *,
    organisation: str | None = None,
    note: str | None = None,
) -> CommunityWork:
    """Log one piece of community work (refused: a future day, no minutes, an unknown kind)."""
    try:
        kind = CommunityKind.parse(kind) if not isinstance(kind, CommunityKind) else kind
    except ValueError as exc:
        choices = ", ".join(k.value for k in CommunityKind)
        raise CommunityError(f"kind: choose one of {choices}", field="kind") from exc
    if worked_on > clock.today():
        raise CommunityError("day: log work once it is done, not ahead", field="worked_on")
    if not 1 <= minutes <= MINUTES_MOST:
        raise CommunityError(f"minutes: from 1 to {MINUTES_MOST}", field="minutes")
    organisation = form_text(organisation, "organisation", 200, error=CommunityError)
    note = form_text(note, "note", 2000, multiline=True, error=CommunityError)
    with db.atomic():
        work_id = db.execute(
            "INSERT INTO community_work (worked_on, kind, organisation, minutes, note, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [worked_on.isoformat(), kind.value, organisation, minutes, note, clock.stamp()],
        ).lastrowid
    return CommunityWork(int(work_id or 0), worked_on, kind.value, organisation, minutes, note)


def work_between(db: Database, start: date, end: date) -> list[CommunityWork]:
    """The entries from ``start`` to ``end`` (inclusive), latest first."""
    return [
        CommunityWork(r[0], date.fromisoformat(r[1]), r[2], r[3], int(r[4]), r[5])
        for r in db.execute(
            "SELECT id, worked_on, kind, organisation, minutes, note FROM community_work "
            "WHERE worked_on BETWEEN ? AND ? ORDER BY worked_on DESC, id DESC",
            [start.isoformat(), end.isoformat()],
        ).fetchall()
    ]


def community_by_kind(db: Database, start: date, end: date) -> dict[str, tuple[int, int]]:
    """kind -> (sessions, minutes) in the period, every kind listed (zeros included)."""
    found = {
        str(kind): (int(n), int(minutes))
        for kind, n, minutes in db.execute(
            "SELECT kind, count(*), sum(minutes) FROM community_work "
            "WHERE worked_on BETWEEN ? AND ? GROUP BY kind",
            [start.isoformat(), end.isoformat()],
        ).fetchall()
    }
    return {k.value: found.get(k.value, (0, 0)) for k in CommunityKind}
