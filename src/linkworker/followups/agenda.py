"""The agenda: who needs the link worker today, in buckets, with the words for each.

:func:`build_agenda` computes the buckets in SQL for one ``today``; nothing here reads the
system clock, so ``--today`` and tests reproduce it exactly. The bucket rules and their
words (titles, Today's headings, the counts line, what each bucket means, and each line's
"when" and "what") live here only: the Today screen and ``linkworker agenda`` both read
them from this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from linkworker.display import full_name, label, name_with_birth
from linkworker.followups.buckets import BUCKETS as BUCKETS
from linkworker.followups.buckets import NOTHING_DUE as NOTHING_DUE
from linkworker.followups.buckets import UP_TO_DATE as UP_TO_DATE
from linkworker.followups.buckets import WORDS
from linkworker.store.db import query

# The working days and the outcome rules load with the first agenda built: an app whose
# agenda was read early (followups/early.py) paints Today without them (issue 18).
from linkworker.validation import format_date
from linkworker.vocabulary import (
    OPEN_REFERRAL_SQL,
    FollowUpKind,
    ReferralSource,
    open_episode_connection_sql,
)

if TYPE_CHECKING:
    from linkworker.settings_start import SettingsNow
    from linkworker.store.db import Reads

#: How far ahead the agenda looks by default (today included).
AGENDA_DAYS = 7


def day_text(day: date | str, today: date) -> str:
    """'25 Oct' within the current year, '25 Oct 2025' otherwise (agenda lines are short)."""
    value = date.fromisoformat(day[:10]) if isinstance(day, str) else day
    if value.year == today.year:
        return f"{value.day} {value.strftime('%b')}"
    return format_date(value)


@dataclass
class AgendaLine:
    """One line of the agenda: a follow-up, a referral, or a person needing attention."""

    bucket: str
    person_id: int
    name: str
    what: str
    on: date | None = None  # the date the line is about (due, received, last contact...)
    time: str | None = None
    days: int | None = None  # days late / waiting / quiet (working days for first contact)
    kind: str | None = None
    followup_id: int | None = None
    referral_id: int | None = None
    goal_ids: list[int] = field(default_factory=list)
    connection_ids: list[int] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    born: date | None = None  # the date of birth, given where someone else has the same name

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO text)."""
        data = asdict(self)
        data["on"] = self.on.isoformat() if self.on else None
        data["born"] = self.born.isoformat() if self.born else None
        return data

    def who(self) -> str:
        """The person's name, with their date of birth where another person shares it."""
        return name_with_birth(self.name, self.born)

    def when_text(self) -> str:
        """The 'when' column: a time today, how late, how long waiting or quiet."""
        days = self.days or 0
        if self.bucket == "due_today":
            return self.time or "any time"
        if self.bucket == "overdue":
            return f"{days} day{'s' if days != 1 else ''} late"
        if self.bucket == "awaiting_first_contact":
            return f"{days} working days"
        if self.bucket in ("reviews_due", "outcomes_due"):
            return "due today" if days == 0 else f"{days} day{'s' if days != 1 else ''} late"
        if self.bucket in ("gone_quiet", "connections_to_check"):
            return f"{days} days"
        if self.on is None:
            return ""
        return f"{self.on.strftime('%a')} {self.on.day}" + (f" {self.time}" if self.time else "")


@dataclass
class Agenda:
    """The day's agenda in the order a link worker works through it."""

    today: date
    days: int = AGENDA_DAYS
    due_today: list[AgendaLine] = field(default_factory=list)
    overdue: list[AgendaLine] = field(default_factory=list)
    awaiting_first_contact: list[AgendaLine] = field(default_factory=list)
    gone_quiet: list[AgendaLine] = field(default_factory=list)
    reviews_due: list[AgendaLine] = field(default_factory=list)
    outcomes_due: list[AgendaLine] = field(default_factory=list)
    connections_to_check: list[AgendaLine] = field(default_factory=list)
    this_week: list[AgendaLine] = field(default_factory=list)
    #: Built with ``lines_per_bucket``: each bucket's whole count (its list holds the first
    #: lines only). Empty for a whole agenda, whose lists are the counts.
    totals: dict[str, int] = field(default_factory=dict)

    def buckets(self) -> list[tuple[str, str, list[AgendaLine]]]:
        """(key, title, lines) for every bucket, in agenda order."""
        return [(w.key, self.title(w.key), getattr(self, w.key)) for w in BUCKETS]

    def title(self, key: str) -> str:
        """The bucket's title for the `agenda` command ("Coming up (next 6 days)")."""
        if key == "this_week":
            return f"{WORDS[key].title} (next {self.days - 1} days)"
        return WORDS[key].title

    def heading(self, key: str) -> str:
        """The bucket's heading on Today ("FIRST CONTACT")."""
        return WORDS[key].heading

    def rule(self, key: str, settings: SettingsNow) -> str:
        """What the bucket holds, with the setting behind it ("no contact for 21+ days")."""
        weeks = settings.outcome_interval_weeks
        return WORDS[key].rule.format(
            outcome_interval=f", a follow-up every {weeks} weeks" if weeks else "",
            first_contact_working_days=settings.first_contact_working_days,
            gone_quiet_days=settings.gone_quiet_days,
            connection_check_days=settings.connection_check_days,
            ahead=self.days - 1,
        )

    def count(self, key: str) -> int:
        """How many lines the bucket has (more than it holds when built with a limit)."""
        return self.totals.get(key, len(getattr(self, key)))

    def counts(self) -> dict[str, int]:
        return {w.key: self.count(w.key) for w in BUCKETS}

    def summary(self) -> str:
        """'Due today: 4  Overdue: 3  ...' for a status line."""
        return "  ".join(f"{w.short}: {self.count(w.key)}" for w in BUCKETS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "days": self.days,
            "counts": self.counts(),
            "buckets": {w.key: [line.to_dict() for line in getattr(self, w.key)] for w in BUCKETS},
        }


def _flags(value: str | None) -> list[str]:
    return [f for f in (value or "").split(",") if f]


def followup_what(row: Mapping[str, Any]) -> str:
    """'Home visit at 12 Mill Road: Review plan' (kind, where, purpose)."""
    text = label(FollowUpKind, row["kind"])
    if row.get("location"):
        text += f" at {row['location']}"
    if row.get("purpose"):
        text += f": {row['purpose']}"
    return text


def build_agenda(
    db: Reads,
    today: date,
    settings: SettingsNow,
    *,
    days: int = AGENDA_DAYS,
    lines_per_bucket: int | None = None,
) -> Agenda:
    """The agenda for ``today``, looking ``days`` days ahead (today included).

    With ``lines_per_bucket``, each bucket holds its first lines only (Today shows 100 a
    bucket) and ``Agenda.count`` gives its whole count, counted in SQL: on a 10,000-person
    caseload the whole agenda is some 11,600 lines, most of them never shown.

    Buckets and their rules (settings in brackets):

    - due today: planned follow-ups due today, timed ones by time, then "any time";
    - overdue: planned follow-ups due before today, oldest first, with days late;
    - waiting for a first contact: referrals received or contacting with no contact yet,
      received more than ``first_contact_working_days`` working days ago;
    - gone quiet: people with an accepted referral and no contact for ``gone_quiet_days``
      days or more (counted from acceptance if never seen), unless they are already due
      today or overdue above;
    - plan reviews due: open goals whose review date has come (one line per person);
    - outcome measures due: a baseline in an accepted episode with none taken yet, and a
      follow-up every ``outcome_interval_weeks`` (:func:`linkworker.outcomes_due.due_measures`
      decides; one line per episode);
    - connections to check: activities suggested or referred ``connection_check_days`` days
      or more ago with no news of whether the person went, in an open episode (one line
      per person; Today's D answers them);
    - coming up: planned follow-ups in the rest of the window.

    Only open referrals count: a closed episode's leftovers never nag.
    """
    if days < 1:
        raise ValueError("days: give 1 or more")
    if lines_per_bucket is not None and lines_per_bucket < 1:
        raise ValueError("lines_per_bucket: give 1 or more")
    agenda = Agenda(today=today, days=days)
    limit = ALL_LINES if lines_per_bucket is None else lines_per_bucket
    _followup_lines(db, agenda, today, days, limit)
    _first_contact_lines(db, agenda, today, settings, limit)
    _quiet_lines(db, agenda, today, settings, limit)
    _review_lines(db, agenda, today, limit)
    _outcome_lines(db, agenda, today, settings, limit)
    _connection_lines(db, agenda, today, settings, limit)
    _tell_apart(db, agenda)
    if lines_per_bucket is None:
        agenda.totals.clear()  # the lists hold every line: they are the counts
    return agenda


#: No limit: more lines than any caseload has (SQLite's LIMIT takes a 64-bit integer).
ALL_LINES = 2**62


def _tell_apart(db: Reads, agenda: Agenda) -> None:
    """Give the date of birth on the lines of people whose name someone else on record has."""
    lines = [line for _, _, bucket in agenda.buckets() for line in bucket]
    wanted = sorted({line.person_id for line in lines})
    if not wanted:
        return
    shared = {
        int(row["person_id"]): row["date_of_birth"]
        for row in query(
            db,
            "SELECT s.person_id, s.date_of_birth FROM person_summary s "
            f"WHERE s.person_id IN ({', '.join('?' for _ in wanted)}) AND EXISTS ("
            "SELECT 1 FROM person_summary o WHERE o.full_name = s.full_name COLLATE NOCASE "
            "AND o.person_id != s.person_id)",
            wanted,
        )
    }
    for line in lines:
        born = shared.get(line.person_id)
        if born:
            line.born = date.fromisoformat(born)


#: A booked follow-up's bucket, by its date against ``:today``.
_FOLLOWUP_BUCKETS = {
    "due_today": "f.due_on = :today",
    "overdue": "f.due_on < :today",
    "this_week": "f.due_on > :today AND f.due_on <= :last",
}
#: The planned follow-ups the agenda shows (``r`` their referral: only open ones count).
_PLANNED = (
    "f.status = 'planned' AND f.entered_in_error_at IS NULL AND f.due_on <= :last "
    f"AND (f.referral_id IS NULL OR r.status IN {OPEN_REFERRAL_SQL})"
)


def _followup_lines(db: Reads, agenda: Agenda, today: date, days: int, limit: int) -> None:
    last = today + timedelta(days=days - 1)
    params = {"today": today.isoformat(), "last": last.isoformat(), "limit": limit}
    # Counted in one pass, and each bucket's first lines read on their own: a year of
    # overdue follow-ups is thousands of rows that Today never shows.
    counts = db.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE {where})" for where in _FOLLOWUP_BUCKETS.values())
        + " FROM followups f LEFT JOIN referrals r ON r.id = f.referral_id "
        f"WHERE {_PLANNED}",
        params,
    ).fetchone()
    agenda.totals.update(zip(_FOLLOWUP_BUCKETS, (int(n) for n in counts), strict=True))
    for bucket, where in _FOLLOWUP_BUCKETS.items():
        if agenda.totals[bucket]:
            _bucket_of_followups(db, agenda, today, bucket, where, params)


def _bucket_of_followups(
    db: Reads, agenda: Agenda, today: date, bucket: str, where: str, params: dict[str, Any]
) -> None:
    for row in query(
        db,
        "SELECT f.*, p.given_name, p.family_name, s.flags AS person_flags FROM followups f "
        "JOIN people p ON p.id = f.person_id "
        "LEFT JOIN person_summary s ON s.person_id = f.person_id "
        "LEFT JOIN referrals r ON r.id = f.referral_id "
        f"WHERE {_PLANNED} AND {where} "
        "ORDER BY f.due_on, f.due_time IS NULL, f.due_time, f.id LIMIT :limit",
        params,
    ):
        due = date.fromisoformat(row["due_on"])
        getattr(agenda, bucket).append(
            AgendaLine(
                bucket=bucket,
                person_id=int(row["person_id"]),
                name=full_name(row),
                what=followup_what(row),
                on=due,
                time=row["due_time"],
                days=(today - due).days,
                kind=row["kind"],
                followup_id=int(row["id"]),
                referral_id=row["referral_id"],
                flags=_flags(row["person_flags"]),
            )
        )


#: Referrals waiting for a first contact (``:before``: received before that day).
_WAITING = (
    "FROM referrals r JOIN people p ON p.id = r.person_id "
    "LEFT JOIN person_summary s ON s.person_id = r.person_id "
    "WHERE r.status IN ('received', 'contacting') AND r.received_on < :before "
    "AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 0 "
    "  AND c.entered_in_error_at IS NULL)"
)


def _first_contact_lines(
    db: Reads, agenda: Agenda, today: date, settings: SettingsNow, most: int
) -> None:
    from linkworker.followups.days import working_day_back, working_days_between

    limit = settings.first_contact_working_days
    # Waiting more than ``limit`` working days is being received before the (limit + 1)th
    # working day back from today: counted and read in SQL, oldest first.
    params = {
        "before": working_day_back(today, limit + 1, settings.bank_holidays).isoformat(),
        "most": most,
    }
    agenda.totals["awaiting_first_contact"] = int(
        db.execute(f"SELECT count(*) {_WAITING}", params).fetchone()[0]
    )
    for row in query(
        db,
        "SELECT r.id, r.person_id, r.received_on, r.status, r.source, r.urgency, "
        "p.given_name, p.family_name, s.flags AS person_flags, "
        "(SELECT count(*) FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 1 "
        "  AND c.entered_in_error_at IS NULL) "
        "  AS attempts, "
        "(SELECT min(f.due_on) FROM followups f WHERE f.person_id = r.person_id "
        "  AND f.status = 'planned' AND f.referral_id = r.id) AS next_booked "
        f"{_WAITING} ORDER BY r.received_on, r.id LIMIT :most",
        params,
    ):
        received = date.fromisoformat(row["received_on"])
        waited = working_days_between(received, today, settings.bank_holidays)
        attempts = int(row["attempts"])
        source = row["source"]
        what = (
            "Self-referral" if source == "self" else f"Referred by {label(ReferralSource, source)}"
        )
        what += ", " + (
            f"{attempts} attempt{'s' if attempts != 1 else ''}" if attempts else "not tried yet"
        )
        if row["urgency"] != "routine":
            what += f", {row['urgency']}"
        if row["next_booked"]:
            what += f"; booked {day_text(row['next_booked'], today)}"
        agenda.awaiting_first_contact.append(
            AgendaLine(
                bucket="awaiting_first_contact",
                person_id=int(row["person_id"]),
                name=full_name(row),
                what=what,
                on=received,
                days=waited,
                referral_id=int(row["id"]),
                flags=_flags(row["person_flags"]),
            )
        )


def _quiet_lines(db: Reads, agenda: Agenda, today: date, settings: SettingsNow, most: int) -> None:
    from linkworker.followups.days import days_back_skipping_bank_holidays

    # Bank holidays do not count towards going quiet: no one is rung on Christmas Day.
    cutoff = days_back_skipping_bank_holidays(
        today, settings.gone_quiet_days, settings.bank_holidays
    )
    agenda.totals["gone_quiet"] = 0
    for row in query(
        db,
        "SELECT *, count(*) OVER () AS total FROM (SELECT s.person_id, s.full_name, s.flags, "
        "s.referral_id, s.last_contact_at, s.next_followup_on, r.accepted_on, "
        "coalesce(substr(s.last_contact_at, 1, 10), r.accepted_on, r.received_on) AS since "
        "FROM person_summary s JOIN referrals r ON r.id = s.referral_id "
        "WHERE s.status = 'accepted') AS q "
        "WHERE q.since <= ? AND NOT EXISTS (SELECT 1 FROM followups f WHERE "
        "f.person_id = q.person_id AND f.status = 'planned' AND f.due_on <= ?) "
        "ORDER BY q.since, q.person_id LIMIT ?",
        [cutoff.isoformat(), today.isoformat(), most],
    ):
        agenda.totals["gone_quiet"] = int(row["total"])
        since = date.fromisoformat(row["since"])
        if row["last_contact_at"]:
            what = f"Last contact {day_text(since, today)}"
        else:
            what = f"No contact since accepted on {day_text(since, today)}"
        what += (
            f"; next booked {day_text(row['next_followup_on'], today)}"
            if row["next_followup_on"]
            else "; nothing booked"
        )
        agenda.gone_quiet.append(_summary_line("gone_quiet", row, since, today, what))


def _summary_line(
    bucket: str, row: dict[str, Any], on: date, today: date, what: str = ""
) -> AgendaLine:
    """A line for a person read through person_summary (full_name, flags, referral_id)."""
    referral_id = row["referral_id"]
    return AgendaLine(
        bucket=bucket,
        person_id=int(row["person_id"]),
        name=row["full_name"],
        what=what,
        on=on,
        days=(today - on).days,
        referral_id=None if referral_id is None else int(referral_id),
        flags=_flags(row["flags"]),
    )


def _per_person(
    rows: Iterable[dict[str, Any]], bucket: str, day_column: str, today: date
) -> list[tuple[AgendaLine, list[dict[str, Any]]]]:
    """One line per person, dated by their first row, with all their rows in query order."""
    groups: dict[int, tuple[AgendaLine, list[dict[str, Any]]]] = {}
    for row in rows:
        pid = int(row["person_id"])
        if pid not in groups:
            on = date.fromisoformat(row[day_column])
            groups[pid] = (_summary_line(bucket, row, on, today), [])
        groups[pid][1].append(row)
    return list(groups.values())


def _live_rows_of_accepted(
    db: Reads,
    agenda: Agenda,
    bucket: str,
    today: date,
    *,
    columns: str,
    tables: str,
    where: str,
    day_column: str,
    until: date,
    most: int,
) -> list[tuple[AgendaLine, list[dict[str, Any]]]]:
    """One line per accepted person for their live rows (not struck out) of a goal or a
    connection, ``tables`` naming it ``x``, that meet ``where`` and whose ``day_column`` is
    on or before ``until``: oldest first, with the person's summary columns. The first
    ``most`` people only; ``agenda.totals[bucket]`` is how many there are."""
    # A person's place is their oldest row's; the first ``most`` people are numbered in SQL
    # so that only their rows are read.
    rows = query(
        db,
        f"WITH hit AS MATERIALIZED (SELECT {columns}, s.full_name, s.flags, s.referral_id, "
        f"x.{day_column} AS day_, x.id AS id_ FROM {tables} "
        "JOIN person_summary s ON s.person_id = x.person_id "
        f"WHERE {where} AND x.entered_in_error_at IS NULL AND x.{day_column} <= :until "
        "AND s.status = 'accepted'), "
        "firsts AS (SELECT person_id, day_, id_, "
        "row_number() OVER (PARTITION BY person_id ORDER BY day_, id_) AS k FROM hit), "
        "ranked AS (SELECT person_id, row_number() OVER (ORDER BY day_, id_) AS place, "
        "count(*) OVER () AS total FROM firsts WHERE k = 1) "
        "SELECT hit.*, ranked.total FROM hit JOIN ranked USING (person_id) "
        "WHERE ranked.place <= :most ORDER BY hit.day_, hit.id_",
        {"until": until.isoformat(), "most": most},
    )
    agenda.totals[bucket] = 0
    grouped = _per_person(rows, bucket, day_column, today)
    if grouped:
        agenda.totals[bucket] = int(grouped[0][1][0]["total"])
    return grouped


def _review_lines(db: Reads, agenda: Agenda, today: date, most: int) -> None:
    for line, goals in _live_rows_of_accepted(
        db,
        agenda,
        "reviews_due",
        today,
        columns="x.id, x.person_id, x.description, x.review_on",
        tables="goals x",
        where="x.status = 'open'",
        day_column="review_on",
        until=today,
        most=most,
    ):
        line.goal_ids = [int(g["id"]) for g in goals]
        count = f"{len(goals)} goals" if len(goals) > 1 else "goal"
        line.what = f"Review {count}: " + "; ".join(str(g["description"]) for g in goals)
        agenda.reviews_due.append(line)


def _outcome_lines(
    db: Reads, agenda: Agenda, today: date, settings: SettingsNow, most: int
) -> None:
    from linkworker.outcomes_due import due_measures

    due = due_measures(db, today, settings)
    agenda.totals["outcomes_due"] = len(due)
    due = due[:most]
    if not due:
        return
    wanted = sorted({d.person_id for d in due})
    people = {
        int(row["person_id"]): row
        for row in query(
            db,
            "SELECT person_id, full_name, flags, referral_id FROM person_summary "
            f"WHERE person_id IN ({', '.join('?' for _ in wanted)})",
            wanted,
        )
    }
    for d in due:
        row = people.get(d.person_id)
        if row is not None:
            line = _summary_line("outcomes_due", row, d.since, today, d.words())
            line.referral_id = d.referral_id
            agenda.outcomes_due.append(line)


def _connection_lines(
    db: Reads, agenda: Agenda, today: date, settings: SettingsNow, most: int
) -> None:
    for line, connections in _live_rows_of_accepted(
        db,
        agenda,
        "connections_to_check",
        today,
        columns="x.id, x.person_id, x.status, x.status_changed_on, a.name AS activity",
        tables="connections x JOIN activities a ON a.id = x.activity_id",
        # _live_rows_of_accepted already leaves out struck-out rows.
        where=f"x.status IN ('suggested', 'referred') AND {open_episode_connection_sql('x')}",
        day_column="status_changed_on",
        until=today - timedelta(days=settings.connection_check_days),
        most=most,
    ):
        line.connection_ids = [int(c["id"]) for c in connections]
        line.what = "Did they go? " + "; ".join(
            f"{c['activity']} ({c['status']} "
            f"{day_text(date.fromisoformat(c['status_changed_on']), today)})"
            for c in connections
        )
        agenda.connections_to_check.append(line)
