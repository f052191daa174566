"""Headline counts over the whole store: the first line of the Reports section."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlite_utils import Database


@dataclass
class Snapshot:
    """Headline figures for the Reports section."""

    today: date
    people: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    referrals_last_year_by_source: dict[str, int] = field(default_factory=dict)
    contacts_last_30_days: int = 0
    discharges_by_reason: dict[str, int] = field(default_factory=dict)
    activities: int = 0
    connections_by_status: dict[str, int] = field(default_factory=dict)


def _grouped(db: Database, sql: str, params: list[object]) -> dict[str, int]:
    return {str(k): int(n) for k, n in db.execute(sql, params).fetchall()}


def _count(db: Database, sql: str, params: list[object] | None = None) -> int:
    return int(db.execute(sql, params or []).fetchone()[0])


def snapshot(db: Database, today: date) -> Snapshot:
    """Counts over the whole store as of ``today``."""
    year_ago = (today - timedelta(days=365)).isoformat()
    snap = Snapshot(today=today)
    snap.people = _count(db, "SELECT count(*) FROM people")
    snap.by_status = _grouped(
        db,
        "SELECT coalesce(status, 'none'), count(*) FROM person_summary GROUP BY 1 ORDER BY 2 DESC",
        [],
    )
    snap.referrals_last_year_by_source = _grouped(
        db,
        "SELECT source, count(*) FROM referrals WHERE received_on > ? GROUP BY 1 ORDER BY 2 DESC",
        [year_ago],
    )
    snap.contacts_last_30_days = _count(
        db,
        "SELECT count(*) FROM contacts WHERE attempt = 0 AND entered_in_error_at IS NULL "
        "AND contact_at > ? AND contact_at <= ?",
        [(today - timedelta(days=30)).isoformat(), (today + timedelta(days=1)).isoformat()],
    )
    snap.discharges_by_reason = _grouped(
        db,
        "SELECT discharge_reason, count(*) FROM referrals WHERE status = 'discharged' "
        "AND discharged_on > ? GROUP BY 1 ORDER BY 2 DESC",
        [year_ago],
    )
    snap.activities = _count(db, "SELECT count(*) FROM activities WHERE retired = 0")
    snap.connections_by_status = _grouped(
        db,
        "SELECT status, count(*) FROM connections WHERE entered_in_error_at IS NULL "
        "GROUP BY 1 ORDER BY 2 DESC",
        [],
    )
    return snap
