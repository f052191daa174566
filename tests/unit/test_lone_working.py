"""Lone working (issue 16 item 1): the day's visit plan, checking in and out, late visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from tests.factories import CLOCK, TODAY, VISITED, add_person_with_referral, add_visit

from linkworker import corrections, followups, lone_working, referrals
from linkworker.clock import fixed
from linkworker.models import AttemptOutcome, ContactDetails, ContactMode, DischargeReason
from linkworker.settings import DEFAULT_BUDDY_ACTION, Settings
from linkworker.store.db import Database


def _book(db: Database, person_id: int, kind: str, at: str | None, **extra: object) -> int:
    return add_visit(db, person_id, kind=kind, at=at, **extra)


def _joan(db: Database) -> int:
    return add_person_with_referral(db, status="accepted", **VISITED)[0]


SETTINGS = Settings(
    worker_name="Sam Okafor",
    worker_phone="07700 900123",
    buddy_name="Alex Reid",
    buddy_phone="07700 900456",
    visit_margin_minutes=20,
)


def test_the_days_visits_are_home_venue_and_walks_in_time_order(db: Database) -> None:
    joan = _joan(db)
    walk = _book(db, joan, "walk_and_talk", "14:00")
    home = _book(db, joan, "home_visit", "10:00", duration_minutes=60)
    _book(db, joan, "phone", "11:00")  # a phone call takes no one out
    venue = _book(db, joan, "venue", None, location="Hove Library")
    found = lone_working.visits_on(db, TODAY)
    assert [v.followup_id for v in found] == [home, walk, venue]
    assert found[0].where == "12 Acacia Road, HV1 2AB"
    assert found[2].where == "Hove Library"  # the booking's place before the address


def test_the_plan_names_people_as_chosen_and_says_what_the_buddy_does(db: Database) -> None:
    joan = _joan(db)
    _book(db, joan, "home_visit", "10:00", duration_minutes=60)
    plan = lone_working.plan_text(lone_working.visits_on(db, TODAY), TODAY, SETTINGS, "initials")
    lines = plan.splitlines()
    assert lines[:3] == [
        "Lone working plan: my visits on Mon 23 Nov 2026",
        "Me: Sam Okafor, 07700 900123",
        "Buddy: Alex Reid, 07700 900456",
    ]
    assert lines[4:7] == [
        "10:00-11:00 Home visit with J.S.",
        "  Where: 12 Acacia Road, HV1 2AB",
        "  Expected back: 11:00 (check on me from 11:20)",
    ]
    assert DEFAULT_BUDDY_ACTION in plan and "Joan" not in plan
    full = lone_working.plan_text(lone_working.visits_on(db, TODAY), TODAY, SETTINGS, "full")
    assert "Home visit with Joan Smith" in full


def test_a_plan_without_visits_or_buddy_says_so(db: Database) -> None:
    plan = lone_working.plan_text([], TODAY, Settings(buddy_action="Ring my manager."), "full")
    assert "No home or community visits booked today." in plan
    assert "(set buddy_name and buddy_phone in settings)" in plan
    assert plan.rstrip().endswith("Ring my manager.")


def test_check_in_then_out_with_the_expected_time_and_an_audit_trail(db: Database) -> None:
    visit = _book(db, _joan(db), "home_visit", "10:00", duration_minutes=60)
    arrived = fixed(TODAY, time(10, 5))
    found = lone_working.check_in(db, visit, arrived)
    assert found.checked_in_at == datetime(2026, 11, 23, 10, 5)
    assert found.expected_back_at == datetime(2026, 11, 23, 11, 0)  # the booked end
    with pytest.raises(lone_working.VisitError, match="already checked in at 10:05"):
        lone_working.check_in(db, visit, arrived)
    done, out = lone_working.check_in_or_out(db, visit, fixed(TODAY, time(10, 50)))
    assert (done, out.state()) == ("checked out", "checked out 10:50")
    with pytest.raises(lone_working.VisitError, match="already checked out"):
        lone_working.check_out(db, visit, arrived)
    changed = db.execute(
        "SELECT action, field FROM audit WHERE table_name = 'visit_checks' ORDER BY id"
    ).fetchall()
    assert ("update", "checked_out_at") in changed and changed[0][0] == "insert"


def test_starting_late_or_untimed_expects_the_worker_back_its_length_after(db: Database) -> None:
    joan = _joan(db)
    late = _book(db, joan, "home_visit", "10:00", duration_minutes=60)
    untimed = _book(db, joan, "venue", None, duration_minutes=45)
    found = lone_working.check_in(db, late, fixed(TODAY, time(11, 30)))
    assert found.expected_back_at == datetime(2026, 11, 23, 12, 30)
    found = lone_working.check_in(db, untimed, fixed(TODAY, time(14, 0)))
    assert found.expected_back_at == datetime(2026, 11, 23, 14, 45)


def test_only_visits_are_checked_and_only_checked_in_ones_out(db: Database) -> None:
    joan = _joan(db)
    call = _book(db, joan, "phone", "10:00")
    with pytest.raises(lone_working.VisitError, match="phone, not a visit"):
        lone_working.check_in(db, call, CLOCK)
    visit = _book(db, joan, "home_visit", "12:00")
    with pytest.raises(lone_working.VisitError, match="was not checked in"):
        lone_working.check_out(db, visit, CLOCK)
    with pytest.raises(LookupError, match="no follow-up with id 999"):
        lone_working.check_in(db, 999, CLOCK)


def test_a_visit_is_late_only_after_its_expected_time_and_the_margin(db: Database) -> None:
    visit = _book(db, _joan(db), "home_visit", "10:00", duration_minutes=60)
    assert lone_working.overdue_visits(db, datetime(2026, 11, 23, 23, 0), SETTINGS) == []
    lone_working.check_in(db, visit, fixed(TODAY, time(10, 0)))
    assert lone_working.overdue_visits(db, datetime(2026, 11, 23, 11, 20), SETTINGS) == []
    late = lone_working.overdue_visits(db, datetime(2026, 11, 23, 11, 21), SETTINGS)
    assert [v.followup_id for v in late] == [visit]
    words = lone_working.overdue_text(late, datetime(2026, 11, 23, 12, 30))
    assert "Home visit with Joan Smith at 12 Acacia Road, HV1 2AB" in words
    assert "expected back 11:00 on 23 Nov 2026 (1 h 30 min ago)" in words
    lone_working.check_out(db, visit, fixed(TODAY, time(12, 30)))
    assert lone_working.overdue_visits(db, datetime(2026, 11, 24, 9, 0), SETTINGS) == []


def test_erasing_the_person_erases_their_visit_checks(db: Database) -> None:
    from linkworker import erasure

    joan = _joan(db)
    lone_working.check_in(db, _book(db, joan, "home_visit", "10:00"), CLOCK)
    erasure.erase_person(db, joan, CLOCK)
    assert db.execute("SELECT count(*) FROM visit_checks").fetchone()[0] == 0


def test_settings_refuse_a_buddy_action_with_a_control_character() -> None:
    with pytest.raises(ValueError, match="control character"):
        Settings(buddy_action="Ring me\x1b[31m")
    assert Settings().visit_margin_minutes == 30


def test_only_a_planned_visit_booked_for_today_is_checked_in(db: Database) -> None:
    joan = _joan(db)
    tomorrow = fixed(TODAY + timedelta(days=1))
    later = add_visit(db, joan, tomorrow)
    with pytest.raises(lone_working.VisitError, match="booked for Tue 24 Nov 2026: check in on"):
        lone_working.check_in(db, later, CLOCK)
    today = _book(db, joan, "home_visit", "10:00")
    with pytest.raises(lone_working.VisitError, match="booked for Mon 23 Nov 2026"):
        lone_working.check_in(db, today, tomorrow)  # yesterday's, the day after
    followups.cancel(db, today, "Joan is unwell", CLOCK)
    with pytest.raises(lone_working.VisitError, match="is cancelled, so there is nothing"):
        lone_working.check_in(db, today, CLOCK)
    assert db.execute("SELECT count(*) FROM visit_checks").fetchone()[0] == 0


#: After the 10:00 visit: when the endings below are recorded.
AFTER = fixed(TODAY, time(11, 0))


def _complete(db: Database, visit: int, referral: int) -> None:
    contact = ContactDetails(contact_at="2026-11-23T10:20", mode=ContactMode.HOME_VISIT)
    followups.complete(db, visit, contact, AFTER, SETTINGS)


def _miss(db: Database, visit: int, referral: int) -> None:
    followups.record_missed(db, visit, AttemptOutcome.DID_NOT_ATTEND, AFTER, SETTINGS)


def _cancel(db: Database, visit: int, referral: int) -> None:
    followups.cancel(db, visit, "Joan rang to cancel", AFTER)


def _discharge(db: Database, visit: int, referral: int) -> None:
    referrals.discharge(db, referral, TODAY, DischargeReason.MOVED_AWAY, None, AFTER)


def _strike_out(db: Database, visit: int, referral: int) -> None:
    corrections.strike_out(db, "followups", visit, "booked for the wrong person", AFTER, "Sam")


@pytest.mark.parametrize("ending", [_complete, _miss, _cancel, _discharge, _strike_out])
def test_a_visit_that_ends_while_checked_in_is_checked_out(
    db: Database, ending: Callable[[Database, int, int], None]
) -> None:
    joan, referral = add_person_with_referral(db, status="accepted", **VISITED)
    visit = _book(db, joan, "home_visit", "10:00")
    lone_working.check_in(db, visit, fixed(TODAY, time(10, 0)))
    ending(db, visit, referral)
    assert lone_working.visit(db, visit).checked_out_at is not None
    assert lone_working.overdue_visits(db, datetime(2026, 11, 24, 9, 0), SETTINGS) == []
    audited = db.execute(
        "SELECT field FROM audit WHERE table_name = 'visit_checks' AND action = 'update'"
    ).fetchall()
    assert audited == [("checked_out_at",)]


def test_a_venue_booked_without_its_place_never_sends_the_buddy_home(db: Database) -> None:
    joan = _joan(db)
    _book(db, joan, "venue", "11:00")
    _book(db, joan, "walk_and_talk", "14:00")
    venue, walk = lone_working.visits_on(db, TODAY)
    assert venue.where == "(no venue recorded: tell your buddy where)"
    assert walk.where == "12 Acacia Road, HV1 2AB"  # a walk starts from the door
