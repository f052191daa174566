"""Follow-ups and the daily agenda: who is due, who is overdue, who has gone quiet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker.settings import Settings


def add_working_days(start: date, days: int) -> date:
    """``start`` moved by ``days`` working days (Monday to Friday); negative goes back."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if current.weekday() < 5:
            remaining -= 1
    return current


@dataclass
class AgendaLine:
    """One line of the agenda: a follow-up, a referral or a person needing attention."""

    bucket: str
    person_id: int
    name: str
    when: str | None
    what: str
    followup_id: int | None = None
    referral_id: int | None = None
    days: int | None = None


@dataclass
class Agenda:
    """The day's agenda in the order a link worker works through it."""

    today: date
    due_today: list[AgendaLine] = field(default_factory=list)
    overdue: list[AgendaLine] = field(default_factory=list)
    this_week: list[AgendaLine] = field(default_factory=list)
    awaiting_first_contact: list[AgendaLine] = field(default_factory=list)
    gone_quiet: list[AgendaLine] = field(default_factory=list)

    BUCKETS = (
        ("due_today", "Due today"),
        ("overdue", "Overdue"),
        ("awaiting_first_contact", "Waiting for a first contact"),
        ("gone_quiet", "Gone quiet"),
        ("this_week", "Later this week"),
    )

    def buckets(self) -> list[tuple[str, str, list[AgendaLine]]]:
        """(key, title, lines) for every bucket, in agenda order."""
        return [(key, title, getattr(self, key)) for key, title in self.BUCKETS]


def _name(row: dict[str, Any]) -> str:
    return f"{row['given_name']} {row['family_name']}"


def build_agenda(db: Database, today: date, settings: Settings) -> Agenda:
    """The agenda for ``today``: every bucket computed in SQL over the store."""
    agenda = Agenda(today=today)
    week_end = today + timedelta(days=6 - today.weekday() if today.weekday() < 6 else 7)
    for row in db.query(
        "SELECT f.*, p.given_name, p.family_name FROM followups f "
        "JOIN people p ON p.id = f.person_id WHERE f.status = 'planned' AND f.due_on <= ? "
        "ORDER BY f.due_on, coalesce(f.due_time, '99:99'), f.id",
        [week_end.isoformat()],
    ):
        due = date.fromisoformat(row["due_on"])
        line = AgendaLine(
            bucket="",
            person_id=int(row["person_id"]),
            name=_name(row),
            when=row["due_on"] + (f"T{row['due_time']}" if row["due_time"] else ""),
            what=row["purpose"] or "Follow-up",
            followup_id=int(row["id"]),
            referral_id=row["referral_id"],
            days=(today - due).days,
        )
        if due == today:
            line.bucket = "due_today"
            agenda.due_today.append(line)
        elif due < today:
            line.bucket = "overdue"
            agenda.overdue.append(line)
        else:
            line.bucket = "this_week"
            agenda.this_week.append(line)
    agenda.due_today.sort(key=lambda x: x.when or "")
    cutoff = add_working_days(today, -settings.first_contact_working_days)
    for row in db.query(
        "SELECT r.id, r.person_id, r.received_on, r.status, p.given_name, p.family_name "
        "FROM referrals r JOIN people p ON p.id = r.person_id "
        "WHERE r.status IN ('received', 'contacting') AND r.received_on <= ? "
        "AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 0) "
        "ORDER BY r.received_on, r.id",
        [cutoff.isoformat()],
    ):
        received = date.fromisoformat(row["received_on"])
        agenda.awaiting_first_contact.append(
            AgendaLine(
                bucket="awaiting_first_contact",
                person_id=int(row["person_id"]),
                name=_name(row),
                when=row["received_on"],
                what=f"Referral {row['status']}, no contact yet",
                referral_id=int(row["id"]),
                days=(today - received).days,
            )
        )
    quiet_since = today - timedelta(days=settings.gone_quiet_days)
    for row in db.query(
        "SELECT s.person_id, s.full_name, s.last_contact_at, s.referral_id FROM person_summary s "
        "WHERE s.status = 'accepted' AND (s.last_contact_at IS NULL OR s.last_contact_at < ?) "
        "AND (s.next_followup_on IS NULL) ORDER BY s.last_contact_at",
        [quiet_since.isoformat()],
    ):
        last = row["last_contact_at"]
        days = (today - date.fromisoformat(last[:10])).days if last else None
        agenda.gone_quiet.append(
            AgendaLine(
                bucket="gone_quiet",
                person_id=int(row["person_id"]),
                name=row["full_name"],
                when=last,
                what="No contact and nothing booked",
                referral_id=row["referral_id"],
                days=days,
            )
        )
    return agenda
