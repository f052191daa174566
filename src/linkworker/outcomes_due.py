"""Which outcome measures are due: the one owner of the rule that Today, the person's record,
the prompts and the commissioner report all read.

Most link workers mean to take a measure at the first and the last contact, and many forget
(issue 20). The rule, for the wellbeing and loneliness measures (:data:`OUTCOME_KINDS`;
CollaboRATE is about a conversation, not an outcome):

* **baseline**: an accepted episode with no outcome measure taken in it has its baseline due
  from the day it was accepted: it is asked at the first contact after acceptance;
* **interval**: with ``outcome_interval_weeks`` set (0, the default, turns it off), an open
  episode whose latest outcome measure is that many weeks old has a follow-up due;
* **discharge**: a follow-up is asked when the episode is discharged (the discharge offers
  it). A closed episode never nags on Today, so this one is counted, not listed.

A measure belongs to an episode when it was linked to the referral or taken on or after the
day it was accepted (and, once discharged, by the discharge day); one struck out as entered
in error counts for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal, get_args

from linkworker.measures.kinds import MeasureKind
from linkworker.store.db import query
from linkworker.validation import format_date

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.settings_start import SettingsNow
    from linkworker.store.db import Reads

__all__ = [
    "OUTCOME_KINDS",
    "DueOutcome",
    "RecordedVsDue",
    "due_measures",
    "recorded_vs_due",
]

#: The measures whose baseline and follow-up are due (every one but CollaboRATE).
OUTCOME_KINDS: tuple[MeasureKind, ...] = tuple(
    k for k in MeasureKind if k is not MeasureKind.COLLABORATE
)
_KINDS_SQL = "(" + ", ".join(f"'{k.value}'" for k in OUTCOME_KINDS) + ")"

# An outcome measure of referral r's episode (r's columns; m's alias). ``:until`` bounds it.
_IN_EPISODE = (
    "m.person_id = r.person_id AND m.entered_in_error_at IS NULL "
    f"AND m.kind IN {_KINDS_SQL} "
    "AND (m.referral_id = r.id OR (m.taken_on >= r.accepted_on "
    "AND m.taken_on <= coalesce(r.discharged_on, :until)))"
)


@dataclass(frozen=True)
class DueOutcome:
    """An outcome measure due in one open episode, and since when."""

    person_id: int
    referral_id: int
    reason: Literal["baseline", "interval"]
    since: date
    accepted_on: date
    last_taken: date | None

    def words(self) -> str:
        """What is due, in a line: 'Baseline measure due (accepted 3 Nov 2026; none taken)'."""
        if self.reason == "baseline":
            return f"Baseline measure due (accepted {format_date(self.accepted_on)}; none taken)"
        last = format_date(self.last_taken) if self.last_taken else "-"
        return f"Follow-up measure due (last taken {last})"

    @property
    def short(self) -> str:
        """'baseline' or 'follow-up', for a marker."""
        return "baseline" if self.reason == "baseline" else "follow-up"


def due_measures(
    db: Reads, today: date, settings: SettingsNow, person_id: int | None = None
) -> list[DueOutcome]:
    """Every outcome measure due on ``today`` in an open (accepted) episode, oldest first;
    only ``person_id``'s when given."""
    weeks = settings.outcome_interval_weeks
    sql = (
        "SELECT r.id, r.person_id, r.accepted_on, "
        f"(SELECT max(m.taken_on) FROM measures m WHERE {_IN_EPISODE}) AS last_taken "
        "FROM referrals r WHERE r.status = 'accepted' AND r.accepted_on IS NOT NULL "
        "AND r.accepted_on <= :until"
    )
    params: dict[str, object] = {"until": today.isoformat()}
    if person_id is not None:
        sql += " AND r.person_id = :person"
        params["person"] = person_id
    due: list[DueOutcome] = []
    for row in query(db, sql + " ORDER BY r.accepted_on, r.id", params):
        accepted = date.fromisoformat(row["accepted_on"][:10])
        last = date.fromisoformat(row["last_taken"][:10]) if row["last_taken"] else None
        if last is None:
            reason: Literal["baseline", "interval"] = "baseline"
            since = accepted
        elif weeks and today >= last + timedelta(weeks=weeks):
            reason, since = "interval", last + timedelta(weeks=weeks)
        else:
            continue
        due.append(DueOutcome(int(row["person_id"]), int(row["id"]), reason, since, accepted, last))
    due.sort(key=lambda d: (d.since, d.referral_id))
    return due


RecordedKey = Literal["baseline", "discharge"]
#: The measures counted against those due, in the report's order.
RECORDED_KEYS: tuple[RecordedKey, ...] = get_args(RecordedKey)


@dataclass(frozen=True)
class RecordedVsDue:
    """How many measures were due in a period, and how many of them were recorded."""

    key: RecordedKey
    due: int
    recorded: int


def recorded_vs_due(db: Database, start: date, end: date) -> list[RecordedVsDue]:
    """For the episodes accepted in the period, how many had a baseline taken (by its end);
    for those discharged in it, how many had a follow-up taken by the discharge day."""
    params = {"start": start.isoformat(), "end": end.isoformat(), "until": end.isoformat()}
    baseline = db.execute(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM measures m WHERE "
        f"{_IN_EPISODE} AND m.stage = 'baseline' AND m.taken_on <= :end)) "
        "FROM referrals r WHERE r.accepted_on BETWEEN :start AND :end",
        params,
    ).fetchone()
    discharge = db.execute(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM measures m WHERE "
        f"{_IN_EPISODE} AND m.stage = 'follow_up' AND m.taken_on <= r.discharged_on)) "
        "FROM referrals r WHERE r.accepted_on IS NOT NULL "
        "AND r.discharged_on BETWEEN :start AND :end",
        params,
    ).fetchone()
    return [
        RecordedVsDue("baseline", int(baseline[0]), int(baseline[1] or 0)),
        RecordedVsDue("discharge", int(discharge[0]), int(discharge[1] or 0)),
    ]
