"""Shared builders of the link worker's records, for tests (import as ``factories``).

Each builder writes through the same core functions the app and the CLI use, so what it
builds obeys every rule they enforce (validation, audit, the referral lifecycle). Each has
defaults a test need not spell out and takes keyword overrides for the fields the test is
about; dates are validated against the suite's fixed TODAY, never the machine's clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from linkworker import directory, followups, outcomes, people, referrals
from linkworker.clock import Clock, fixed
from linkworker.models import (
    ActivityDetails,
    AttemptOutcome,
    ContactDetails,
    ContactMode,
    DischargeReason,
    FollowUpDetails,
    PersonDetails,
    ReferralDetails,
)
from linkworker.store import db as store_db
from linkworker.store.db import Database
from linkworker.team import keys

TODAY = date(2026, 11, 23)
CLOCK = fixed(TODAY)
#: The day a referral is received unless a test says otherwise.
RECEIVED = date(2026, 11, 2)
#: The statuses add_referral can leave a referral in, in lifecycle order.
STATUSES = ("received", "contacting", "accepted", "declined", "not_reached", "discharged")
#: Unanswered attempts that let a referral be closed as not reached (the default setting).
NOT_REACHED_AFTER = 3

T = TypeVar("T")


def _context(clock: Clock) -> dict[str, object]:
    return {"today": clock.today()}


def person_details(clock: Clock = CLOCK, **fields: Any) -> PersonDetails:
    """A person's details: Joan Smith unless ``fields`` say otherwise (typed as a form would)."""
    return PersonDetails.model_validate(
        {"given_name": "Joan", "family_name": "Smith", **fields}, context=_context(clock)
    )


def referral_details(clock: Clock = CLOCK, **fields: Any) -> ReferralDetails:
    """A referral's details: from a GP practice, received on RECEIVED, unless overridden."""
    return ReferralDetails.model_validate(
        {"source": "gp_practice", "received_on": RECEIVED, **fields}, context=_context(clock)
    )


def add_person(db: Database, clock: Clock = CLOCK, **fields: Any) -> int:
    """Put a person on record (no referral); returns their id."""
    return people.add_person(db, person_details(clock, **fields), clock)


def add_referral(
    db: Database,
    person_id: int,
    clock: Clock = CLOCK,
    *,
    status: str = "received",
    on: date | None = None,
    **fields: Any,
) -> int:
    """Give a person a referral and move it along the lifecycle to ``status``.

    ``on`` is the day of the last move (default: the day received). Moves go through the
    core: "contacting" logs one unanswered attempt, "not_reached" logs enough of them,
    "discharged" accepts the referral first (goals met).
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    details = referral_details(clock, **fields)
    referral_id = referrals.add_referral(db, person_id, details, clock)
    day = on or details.received_on
    if status in ("contacting", "not_reached"):
        for _ in range(1 if status == "contacting" else NOT_REACHED_AFTER):
            attempt = ContactDetails(
                contact_at=day.isoformat(), mode=ContactMode.PHONE, outcome=AttemptOutcome.NO_ANSWER
            )
            referrals.log_attempt(db, referral_id, attempt, clock, threshold=NOT_REACHED_AFTER)
    if status == "not_reached":
        referrals.mark_not_reached(db, referral_id, day, clock, threshold=NOT_REACHED_AFTER)
    elif status in ("accepted", "discharged"):
        referrals.accept(db, referral_id, day, clock)
    elif status == "declined":
        referrals.decline(db, referral_id, day, clock, reason="Not for now")
    if status == "discharged":
        referrals.discharge(db, referral_id, day, DischargeReason.GOALS_MET, "Goals met", clock)
    return referral_id


def add_walk(db: Database, clock: Clock = CLOCK, **fields: Any) -> int:
    """Health Walks, on Tuesdays 10-11 in Riverside Park, free: the activity a handout shows."""
    values: dict[str, Any] = {
        "name": "Health Walks",
        "description": "Friendly walks in the park. Participants require sensible shoes.",
        "venue": "Riverside Park",
        "postcode": "HV1 5LP",
        "days": ["tu"],
        "opens_at": "10:00",
        "closes_at": "11:00",
        "is_free": True,
        **fields,
    }
    return directory.add_activity(db, ActivityDetails.model_validate(values), clock)


def add_person_with_referral(
    db: Database,
    clock: Clock = CLOCK,
    *,
    status: str = "received",
    referral: dict[str, Any] | None = None,
    **fields: Any,
) -> tuple[int, int]:
    """A person and one referral in ``status``; returns (person id, referral id)."""
    person_id = add_person(db, clock, **fields)
    return person_id, add_referral(db, person_id, clock, status=status, **(referral or {}))


@dataclass
class Episode:
    """What add_episode built: the person, their accepted referral and its records."""

    person_id: int
    referral_id: int
    contact_ids: list[int] = field(default_factory=list)
    measure_ids: list[int] = field(default_factory=list)
    followup_ids: list[int] = field(default_factory=list)


def add_episode(
    db: Database,
    clock: Clock = CLOCK,
    *,
    contacts: int = 2,
    baseline: dict[str, int] | None = None,
    follow_up: dict[str, int] | None = None,
    followups_due: tuple[date, ...] = (date(2026, 11, 30),),
    **fields: Any,
) -> Episode:
    """A person with an accepted referral, ``contacts`` phone contacts a week apart, ONS4
    at baseline (and at follow-up when ``follow_up`` answers are given) and follow-ups.
    """
    person_id, referral_id = add_person_with_referral(db, clock, status="accepted", **fields)
    episode = Episode(person_id, referral_id)
    for week in range(contacts):
        day = date.fromordinal(RECEIVED.toordinal() + 7 * week)
        contact = ContactDetails(contact_at=f"{day.isoformat()}T10:00", mode=ContactMode.PHONE)
        episode.contact_ids.append(referrals.log_contact(db, person_id, contact, clock))
    ons4 = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 4, "anxiety": 6}
    episode.measure_ids.append(
        outcomes.record_measure(
            db, person_id, "ons4", "baseline", RECEIVED, baseline or ons4, clock
        )
    )
    if follow_up is not None:
        episode.measure_ids.append(
            outcomes.record_measure(db, person_id, "ons4", "follow_up", TODAY, follow_up, clock)
        )
    for due in followups_due:
        booking = followups.schedule(db, person_id, FollowUpDetails(due_on=due), clock)
        episode.followup_ids.extend(booking.followup_ids)
    return episode


#: An empty migrated store made once per session (tests/conftest.py sets it): a store a test
#: creates is a copy of it, since migrating a new one costs ~0.1 s of CPU a store.
_template: Path | None = None


def use_template(path: Path | None) -> None:
    """Make new stores (``open_store`` below) copies of the migrated store at ``path``."""
    global _template
    _template = path


def open_store(path: Path | str, key: str | None = None, **options: Any) -> Database:
    """``linkworker.store.db.open_store``; a new plain store is a copy of the session's template.

    The copy is what creating it would have left: the same migrated schema, made 0600 in a
    private folder, with its own random ``store_id`` (backups are told apart by it) and its
    ``created_at`` / ``schema_updated_at`` of now. An encrypted store, a store that exists,
    and any call with other options are the core's own.
    """
    path = Path(path)
    fresh = not (path.exists() and path.stat().st_size > 0)
    if not fresh or key is not None or options or _template is None:
        return store_db.open_store(path, key, **options)
    store_db.make_private_folder(path.parent)
    store_db.copy_privately(_template, path)
    db = store_db.open_store(path)
    now = datetime.now().isoformat()
    with db.atomic():
        db.execute("UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'store_id'")
        db.execute(
            "UPDATE meta SET value = ? WHERE key IN ('created_at', 'schema_updated_at')", [now]
        )
    return db


@contextmanager
def store_at(path: Path) -> Iterator[Database]:
    """The store at ``path`` (created if need be), open for the length of a block."""
    db = open_store(path)
    try:
        yield db
    finally:
        db.close()


def build_in(path: Path, builder: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one builder on the store at ``path`` and close it (to seed a store for an app)."""
    with store_at(path) as db:
        return builder(db, *args, **kwargs)


def damage_an_index(path: Path) -> str:
    """Make one index of ``people`` disagree with its table, as a failing disk can.

    ``PRAGMA integrity_check`` then fails while every read still works: the store is
    damaged but readable. Returns the index's name.
    """
    from linkworker.store.db import connect

    db = connect(path)
    name = str(
        db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' "
            "AND sql IS NOT NULL ORDER BY name LIMIT 1"
        ).fetchone()[0]
    )
    db.execute("PRAGMA writable_schema = ON")
    db.execute(
        "UPDATE sqlite_master SET sql = ? WHERE name = ?",
        [f"CREATE INDEX [{name}] ON people(id DESC)", name],
    )
    db.conn.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return name


def stored_raw(db: Database, table: str, row_id: int, **fields: Any) -> None:
    """Write values straight into a row, as a store made before issue 19 may hold them.

    Forms and imports now refuse control characters, so a test of how an old store's escape
    codes are shown puts them in this way (the caseload summary's triggers still fire).
    """
    assignments = ", ".join(f"[{name}] = ?" for name in fields)
    db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*fields.values(), row_id])
    db.conn.commit()


#: Someone visited at home, with an address for the visit plan (lone working, issue 16).
VISITED = {
    "given_name": "Joan",
    "family_name": "Smith",
    "address": "12 Acacia Road",
    "postcode": "HV1 2AB",
}


def add_visit(
    db: Database,
    person_id: int,
    clock: Clock = CLOCK,
    *,
    kind: str = "home_visit",
    at: str | None = "10:00",
    **fields: Any,
) -> int:
    """Book a visit (a home visit at 10:00 by default) on the clock's day; returns its id."""
    details = FollowUpDetails.model_validate(
        {"due_on": clock.today(), "due_time": at, "kind": kind, **fields},
        context=_context(clock),
    )
    return followups.schedule(db, person_id, details, clock).followup_id


def exchange_keys(ann: Database, bea: Database, clock: Clock = CLOCK) -> None:
    """Ann keeps Bea's key as "Bea Jones" and Bea keeps Ann's as "Ann Smith" (contacts add)."""
    keys.add_key(ann, "Bea Jones", keys.my_identity(bea, clock).public().text, clock)
    keys.add_key(bea, "Ann Smith", keys.my_identity(ann, clock).public().text, clock)
