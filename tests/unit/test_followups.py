"""Follow-ups in the core: booking, clashes, series, reschedule, cancel, complete, missed."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from pydantic import ValidationError

from linkworker import followups, referrals
from linkworker.clock import Clock, fixed
from linkworker.errors import CaseloadError
from linkworker.followups.booking import FollowUpError
from linkworker.models import (
    AttemptOutcome,
    ContactDetails,
    ContactMode,
    DischargeReason,
    FollowUpDetails,
    ReferralDetails,
    field_errors,
)
from linkworker.settings import Settings
from linkworker.store import audit
from linkworker.store.db import Database

import factories

TODAY = date(2026, 11, 23)  # a Monday
SETTINGS = Settings()


def referral(db: Database, clock: Clock, pid: int, received: date = date(2026, 11, 2)) -> int:
    details = ReferralDetails.model_validate(
        {"source": "gp_practice", "received_on": received}, context={"today": TODAY}
    )
    return referrals.add_referral(db, pid, details, clock)


def booking(**values: Any) -> FollowUpDetails:
    data: dict[str, Any] = {"due_on": "2026-11-30", "kind": "phone"}
    data.update(values)
    return followups.details(data, TODAY)


def count(db: Database, sql: str, params: list[Any] | None = None) -> int:
    return int(db.execute(sql, params or []).fetchone()[0])


@pytest.fixture
def joan(db: Database, clock: Clock) -> tuple[int, int]:
    """Joan Smith with an accepted referral."""
    pid = factories.add_person(db, clock)
    rid = referral(db, clock, pid)
    referrals.accept(db, rid, date(2026, 11, 4), clock)
    return pid, rid


# --- dates --------------------------------------------------------------------------------


def test_suggest_next_is_the_interval_moved_off_weekends() -> None:
    assert followups.suggest_next(TODAY, SETTINGS) == date(2026, 12, 7)  # Mon + 14 = Mon
    assert followups.suggest_next(date(2026, 11, 26), SETTINGS) == date(2026, 12, 10)
    # Friday + 15 days lands on a Saturday: offered the Monday after.
    fifteen = Settings(followup_interval_days=15)
    assert followups.suggest_next(date(2026, 11, 20), fifteen) == date(2026, 12, 7)
    # Friday + 16 lands on a Sunday: also the Monday.
    sixteen = Settings(followup_interval_days=16)
    assert followups.suggest_next(date(2026, 11, 20), sixteen) == date(2026, 12, 7)


def test_working_days_skip_weekends() -> None:
    friday, saturday, monday = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)
    assert followups.working_days_between(friday, monday) == 1
    assert followups.working_days_between(saturday, monday) == 1
    assert followups.working_days_between(date(2026, 11, 16), monday) == 5
    assert followups.working_days_between(date(2026, 11, 13), monday) == 6
    assert followups.working_days_between(monday, monday) == 0
    assert followups.working_days_between(monday, date(2026, 11, 29)) == 4  # to a Sunday
    assert followups.add_working_days(monday, -5) == date(2026, 11, 16)
    assert followups.add_working_days(friday, 1) == monday
    assert followups.suggest_retry(friday) == monday


# --- booking ------------------------------------------------------------------------------


def test_schedule_books_on_the_open_referral_with_an_audit_entry(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, rid = joan
    result = followups.schedule(
        db, pid, booking(due_time="10:00", duration_minutes=30, purpose="Review plan"), clock
    )
    row = followups.get_followup(db, result.followup_id)
    assert (row["referral_id"], row["status"], row["due_on"], row["due_time"]) == (
        rid,
        "planned",
        "2026-11-30",
        "10:00",
    )
    assert result.clashes == []
    assert count(
        db,
        "SELECT count(*) FROM audit WHERE table_name = 'followups' AND record_id = ? "
        "AND person_id = ? AND action = 'insert'",
        [result.followup_id, pid],
    )
    assert db.execute(
        "SELECT next_followup_on FROM person_summary WHERE person_id = ?", [pid]
    ).fetchone()[0] == ("2026-11-30")


def test_booking_input_is_validated_field_by_field() -> None:
    with pytest.raises(ValidationError) as past:
        booking(due_on="20/11/2026")
    assert field_errors(past.value)["due_on"] == "20 Nov 2026 is in the past"
    with pytest.raises(ValidationError) as bad_time:
        booking(due_time="25:00")
    assert "is not a time" in field_errors(bad_time.value)["due_time"]
    with pytest.raises(ValidationError) as short:
        booking(duration_minutes=2)
    assert "duration_minutes" in field_errors(short.value)
    with pytest.raises(ValidationError) as kind:
        booking(kind="carrier pigeon")
    assert "kind" in field_errors(kind.value)
    # UK dates and times written loosely are understood.
    ok = booking(due_on="7/12/2026", due_time="2.30pm", kind="Home visit")
    assert (ok.due_on, ok.due_time, ok.kind.value) == (date(2026, 12, 7), "14:30", "home_visit")
    assert booking(due_on="23/11/2026").due_on == TODAY  # today itself is fine


def test_no_booking_without_an_open_referral(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock)
    with pytest.raises(FollowUpError, match="no open referral"):
        followups.schedule(db, pid, booking(), clock)
    rid = referral(db, clock, pid)
    referrals.decline(db, rid, date(2026, 11, 5), clock)
    with pytest.raises(FollowUpError, match="no open referral"):
        followups.schedule(db, pid, booking(), clock)
    assert count(db, "SELECT count(*) FROM followups") == 0


def test_linked_goal_must_be_on_the_persons_plan(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    other = factories.add_person(db, clock, given_name="Bob", family_name="Jones")
    goal = audit.insert(
        db,
        "goals",
        {"person_id": other, "description": "Walk", "set_on": "2026-11-05"},
        person_id=other,
        clock=clock,
    )
    with pytest.raises(FollowUpError, match="linked goal"):
        followups.schedule(db, pid, booking(goal_id=goal), clock)
    own = audit.insert(
        db,
        "goals",
        {"person_id": pid, "description": "Choir", "set_on": "2026-11-05"},
        person_id=pid,
        clock=clock,
    )
    result = followups.schedule(db, pid, booking(goal_id=own), clock)
    assert followups.get_followup(db, result.followup_id)["goal_id"] == own


# --- clashes ------------------------------------------------------------------------------


def test_overlapping_times_clash_and_the_booking_still_goes_ahead(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    bob = factories.add_person(db, clock, given_name="Bob", family_name="Jones")
    referral(db, clock, bob)
    first = followups.schedule(db, bob, booking(due_time="10:00", duration_minutes=30), clock)
    overlapping = followups.schedule(db, pid, booking(due_time="10:15"), clock)
    assert [c.followup_id for c in overlapping.clashes] == [first.followup_id]
    assert overlapping.clashes[0].describe() == "Mon 30 Nov 2026 10:00-10:30 Bob Jones (Phone)"
    assert count(db, "SELECT count(*) FROM followups WHERE status = 'planned'") == 2


def test_touching_untimed_and_other_days_do_not_clash(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    followups.schedule(db, pid, booking(due_time="10:00", duration_minutes=30), clock)
    assert followups.find_clashes(db, date(2026, 11, 30), "10:30", 30) == []  # starts at end
    assert followups.find_clashes(db, date(2026, 11, 30), "09:30", 30) == []  # ends at start
    assert len(followups.find_clashes(db, date(2026, 11, 30), "09:31", 30)) == 1
    assert followups.find_clashes(db, date(2026, 11, 30), None, None) == []  # untimed
    assert followups.find_clashes(db, date(2026, 12, 1), "10:00", 30) == []
    # A timed booking without a duration is taken as 30 minutes.
    followups.schedule(db, pid, booking(due_on="2026-12-02", due_time="14:00"), clock)
    assert len(followups.find_clashes(db, date(2026, 12, 2), "14:29", 15)) == 1
    assert followups.find_clashes(db, date(2026, 12, 2), "14:30", 15) == []
    # An untimed follow-up on the day never blocks a timed one.
    followups.schedule(db, pid, booking(due_on="2026-12-03"), clock)
    assert followups.find_clashes(db, date(2026, 12, 3), "11:00", 60) == []


def test_cancelled_and_done_follow_ups_do_not_clash(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    first = followups.schedule(db, pid, booking(due_time="10:00"), clock)
    followups.cancel(db, first.followup_id, "Person on holiday", clock)
    assert followups.find_clashes(db, date(2026, 11, 30), "10:00", 30) == []


# --- recurring reviews --------------------------------------------------------------------


def test_a_series_books_every_n_weeks_until_the_date(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    result = followups.schedule(
        db,
        pid,
        booking(due_time="11:00", purpose="Plan review"),
        clock,
        every_weeks=2,
        until=date(2027, 1, 11),
    )
    rows = list(
        db.query(
            "SELECT due_on, series_id, due_time FROM followups WHERE person_id = ? ORDER BY due_on",
            [pid],
        )
    )
    # Monday 28 December 2026 is Boxing Day (observed): that review goes to the Tuesday.
    assert [r["due_on"] for r in rows] == ["2026-11-30", "2026-12-14", "2026-12-29", "2027-01-11"]
    assert [m.describe() for m in result.moved] == [
        "28 Dec 2026 is Boxing Day (observed): booked on 29 Dec 2026 instead"
    ]
    assert {r["series_id"] for r in rows} == {result.series_id}
    assert result.series_id and len(result.followup_ids) == 4
    assert {r["due_time"] for r in rows} == {"11:00"}


def test_a_series_reports_a_clash_on_any_of_its_dates(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    followups.schedule(db, pid, booking(due_on="2026-12-14", due_time="11:15"), clock)
    clashes = followups.check_booking(
        db, pid, booking(due_time="11:00"), every_weeks=2, until=date(2027, 1, 11)
    )
    assert [c.due_on for c in clashes] == [date(2026, 12, 14)]


def test_bad_series_are_refused_and_nothing_is_written(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    with pytest.raises(FollowUpError, match=r"repeat until: .* is before the first"):
        followups.schedule(db, pid, booking(), clock, every_weeks=2, until=date(2026, 11, 29))
    with pytest.raises(FollowUpError, match="at most 52"):
        followups.schedule(db, pid, booking(), clock, every_weeks=1, until=date(2028, 1, 1))
    with pytest.raises(FollowUpError, match="repeat every"):
        followups.schedule(db, pid, booking(), clock, every_weeks=0, until=date(2027, 1, 1))
    with pytest.raises(FollowUpError, match="repeat until"):
        followups.check_booking(db, pid, booking(), every_weeks=2)
    assert count(db, "SELECT count(*) FROM followups") == 0


def test_cancel_the_rest_of_a_series(db: Database, clock: Clock, joan: tuple[int, int]) -> None:
    pid, _ = joan
    result = followups.schedule(db, pid, booking(), clock, every_weeks=1, until=date(2026, 12, 21))
    second = result.followup_ids[1]
    cancelled = followups.cancel(db, second, "Plan finished early", clock, rest_of_series=True)
    statuses = [
        r["status"]
        for r in db.query("SELECT status FROM followups WHERE person_id = ? ORDER BY due_on", [pid])
    ]
    assert cancelled == 3
    assert statuses == ["planned", "cancelled", "cancelled", "cancelled"]


# --- reschedule and cancel ---------------------------------------------------------------


def test_reschedule_moves_the_follow_up_and_audits_it(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    bob = factories.add_person(db, clock, given_name="Bob", family_name="Jones")
    referral(db, clock, bob)
    fid = followups.schedule(
        db, pid, booking(due_time="10:00", duration_minutes=45), clock
    ).followup_id
    other = followups.schedule(db, bob, booking(due_on="2026-12-01", due_time="10:30"), clock)
    # Moving onto itself never clashes with itself; onto Bob's slot does.
    assert followups.reschedule(db, fid, date(2026, 11, 30), "10:15", clock) == []
    clashes = followups.reschedule(db, fid, date(2026, 12, 1), "10:00", clock)
    assert [c.followup_id for c in clashes] == [other.followup_id]
    row = followups.get_followup(db, fid)
    assert (row["due_on"], row["due_time"], row["duration_minutes"]) == ("2026-12-01", "10:00", 45)
    changed = {
        r["field"]
        for r in db.query(
            "SELECT field FROM audit WHERE table_name = 'followups' AND record_id = ? "
            "AND action = 'update'",
            [fid],
        )
    }
    assert changed == {"due_on", "due_time"}


def test_reschedule_refuses_the_past_and_finished_follow_ups(
    db: Database, clock: Clock, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    fid = followups.schedule(db, pid, booking(), clock).followup_id
    with pytest.raises(FollowUpError, match="in the past"):
        followups.reschedule(db, fid, date(2026, 11, 20), None, clock)
    followups.cancel(db, fid, "No longer needed", clock)
    with pytest.raises(FollowUpError, match="already cancelled"):
        followups.reschedule(db, fid, date(2026, 12, 1), None, clock)


def test_cancel_needs_a_reason(db: Database, clock: Clock, joan: tuple[int, int]) -> None:
    pid, _ = joan
    fid = followups.schedule(db, pid, booking(), clock).followup_id
    with pytest.raises(FollowUpError, match="reason"):
        followups.cancel(db, fid, "   ", clock)
    assert followups.get_followup(db, fid)["status"] == "planned"
    followups.cancel(db, fid, "Moved to a group session", clock)
    row = followups.get_followup(db, fid)
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "Moved to a group session")


# --- completing ---------------------------------------------------------------------------


def contact(at: str = "2026-11-23T10:20:00", **values: Any) -> ContactDetails:
    data: dict[str, Any] = {"contact_at": at, "mode": "phone", "duration_minutes": 25}
    data.update(values)
    return ContactDetails.model_validate(data)


def test_complete_logs_the_contact_and_marks_the_follow_up_done(
    db: Database, joan: tuple[int, int]
) -> None:
    clock = fixed(TODAY, time(11, 0))
    pid, rid = joan
    fid = followups.schedule(db, pid, booking(due_on="2026-11-23"), clock).followup_id
    done = followups.complete(db, fid, contact(note="Went to the choir"), clock, SETTINGS)
    row = followups.get_followup(db, fid)
    saved = db.execute(
        "SELECT referral_id, mode, duration_minutes, note, attempt, followup_id FROM contacts "
        "WHERE id = ?",
        [done.contact_id],
    ).fetchone()
    assert (row["status"], row["contact_id"]) == ("done", done.contact_id)
    assert saved == (rid, "phone", 25, "Went to the choir", 0, fid)
    assert done.suggested_next == date(2026, 12, 7)
    assert done.offer_next and done.next_booked is None


def test_complete_says_when_the_next_one_is_already_booked(
    db: Database, joan: tuple[int, int]
) -> None:
    clock = fixed(TODAY, time(11, 0))
    pid, _ = joan
    series = followups.schedule(
        db, pid, booking(due_on="2026-11-23"), clock, every_weeks=2, until=date(2026, 12, 21)
    )
    done = followups.complete(db, series.followup_ids[0], contact(), clock, SETTINGS)
    assert not done.offer_next
    assert done.next_booked == date(2026, 12, 7)


def test_complete_refuses_a_contact_in_the_future_and_writes_nothing(
    db: Database, joan: tuple[int, int]
) -> None:
    clock = fixed(TODAY, time(9, 0))
    pid, _ = joan
    fid = followups.schedule(db, pid, booking(due_on="2026-11-23"), clock).followup_id
    with pytest.raises(FollowUpError, match=r"when: .* is in the future"):
        followups.complete(db, fid, contact("2026-11-23T10:00:00"), clock, SETTINGS)
    assert count(db, "SELECT count(*) FROM contacts") == 0
    assert followups.get_followup(db, fid)["status"] == "planned"


def test_complete_is_one_transaction(
    db: Database, joan: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = fixed(TODAY, time(11, 0))
    pid, _ = joan
    fid = followups.schedule(db, pid, booking(due_on="2026-11-23"), clock).followup_id
    real_update = audit.update

    def failing(db: Database, table: str, *args: Any, **kwargs: Any) -> Any:
        if table == "followups":
            raise RuntimeError("disk full")
        return real_update(db, table, *args, **kwargs)

    monkeypatch.setattr(audit, "update", failing)
    with pytest.raises(RuntimeError):
        followups.complete(db, fid, contact(), clock, SETTINGS)
    assert count(db, "SELECT count(*) FROM contacts") == 0
    assert count(db, "SELECT count(*) FROM audit WHERE table_name = 'contacts'") == 0
    assert followups.get_followup(db, fid)["status"] == "planned"


def test_a_finished_follow_up_cannot_be_completed_twice(
    db: Database, joan: tuple[int, int]
) -> None:
    clock = fixed(TODAY, time(11, 0))
    pid, _ = joan
    fid = followups.schedule(db, pid, booking(due_on="2026-11-23"), clock).followup_id
    followups.complete(db, fid, contact(), clock, SETTINGS)
    with pytest.raises(FollowUpError, match="already done"):
        followups.complete(db, fid, contact(), clock, SETTINGS)
    assert count(db, "SELECT count(*) FROM contacts") == 1


def test_logging_a_contact_without_a_follow_up_also_suggests_the_next(
    db: Database, joan: tuple[int, int]
) -> None:
    clock = fixed(TODAY, time(11, 0))
    pid, rid = joan
    done = followups.record_contact(db, pid, contact(), clock, SETTINGS)
    assert done.followup_id is None and done.suggested_next == date(2026, 12, 7)
    assert db.execute("SELECT referral_id FROM contacts").fetchone()[0] == rid


# --- did not attend / could not reach -----------------------------------------------------


def test_did_not_attend_records_an_attempt_and_marks_the_follow_up_missed(
    db: Database, joan: tuple[int, int]
) -> None:
    clock = fixed(TODAY, time(11, 0))
    pid, rid = joan
    fid = followups.schedule(db, pid, booking(due_on="2026-11-23", kind="venue"), clock).followup_id
    missed = followups.record_missed(
        db, fid, AttemptOutcome.DID_NOT_ATTEND, clock, SETTINGS, note="Waited 20 minutes"
    )
    row = followups.get_followup(db, fid)
    attempt = db.execute(
        "SELECT attempt, outcome, mode, note, followup_id, referral_id FROM contacts WHERE id = ?",
        [missed.contact_id],
    ).fetchone()
    assert (row["status"], row["contact_id"]) == ("missed", missed.contact_id)
    assert attempt == (1, "did_not_attend", "venue", "Waited 20 minutes", fid, rid)
    assert (missed.attempts, missed.threshold_reached, missed.next_step) == (1, False, None)
    assert missed.retry_on == date(2026, 11, 24)
    assert missed.offer_retry


def test_misses_on_a_new_referral_reach_not_reached(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock)
    rid = referral(db, clock, pid)
    results = []
    for due in ("2026-11-23", "2026-11-24", "2026-11-25"):
        day = date.fromisoformat(due)
        fid = followups.schedule(db, pid, booking(due_on=due), fixed(TODAY)).followup_id
        results.append(
            followups.record_missed(db, fid, AttemptOutcome.NO_ANSWER, fixed(day), SETTINGS)
        )
    assert referrals.get_referral(db, rid)["status"] == "contacting"
    assert [r.attempts for r in results] == [1, 2, 3]
    assert [r.next_step for r in results] == [None, None, "not_reached"]
    assert not results[-1].offer_retry
    later = followups.schedule(db, pid, booking(due_on="2026-12-01"), clock).followup_id
    closing = fixed(date(2026, 11, 25))
    cancelled = referrals.mark_not_reached(
        db, rid, closing.today(), closing, threshold=SETTINGS.not_reached_attempts
    )
    assert referrals.get_referral(db, rid)["status"] == "not_reached"
    assert cancelled == 1
    assert followups.get_followup(db, later)["status"] == "cancelled"


def test_an_accepted_person_counts_misses_since_the_last_contact(
    db: Database, clock: Clock
) -> None:
    pid = factories.add_person(db, clock)
    rid = referral(db, clock, pid)
    early = ContactDetails(contact_at="2026-11-03T10:00:00", mode=ContactMode.PHONE)
    for _ in range(2):
        referrals.log_attempt(db, rid, early, clock, threshold=3)
    referrals.accept(db, rid, date(2026, 11, 4), clock)
    referrals.log_contact(db, pid, contact("2026-11-10T10:00:00"), clock)
    first = followups.record_attempt(db, rid, AttemptOutcome.DID_NOT_ATTEND, clock, SETTINGS)
    assert (first.attempts, first.next_step) == (1, None)  # not 3: the early ones came before
    followups.record_attempt(db, rid, AttemptOutcome.DID_NOT_ATTEND, clock, SETTINGS)
    third = followups.record_attempt(db, rid, AttemptOutcome.NO_ANSWER, clock, SETTINGS)
    assert (third.attempts, third.threshold_reached, third.next_step) == (3, True, "discharge")
    referrals.discharge(
        db,
        rid,
        clock.today(),
        DischargeReason.DISENGAGED,
        "Stopped answering after three sessions",
        clock,
    )
    row = referrals.get_referral(db, rid)
    assert (row["status"], row["discharge_reason"]) == ("discharged", "disengaged")


def test_an_attempt_on_a_closed_referral_is_refused(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock)
    rid = referral(db, clock, pid)
    referrals.decline(db, rid, date(2026, 11, 5), clock)
    with pytest.raises(CaseloadError, match="declined"):
        followups.record_attempt(db, rid, AttemptOutcome.NO_ANSWER, clock, SETTINGS)
    assert count(db, "SELECT count(*) FROM contacts") == 0


def test_missed_is_one_transaction(
    db: Database, joan: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = fixed(TODAY, time(11, 0))
    pid, _ = joan
    fid = followups.schedule(db, pid, booking(due_on="2026-11-23"), clock).followup_id
    real_update = audit.update

    def failing(db: Database, table: str, *args: Any, **kwargs: Any) -> Any:
        if table == "followups":
            raise RuntimeError("disk full")
        return real_update(db, table, *args, **kwargs)

    monkeypatch.setattr(audit, "update", failing)
    with pytest.raises(RuntimeError):
        followups.record_missed(db, fid, AttemptOutcome.NO_ANSWER, clock, SETTINGS)
    assert count(db, "SELECT count(*) FROM contacts") == 0
    assert followups.get_followup(db, fid)["status"] == "planned"


def test_default_outcome_follows_the_kind() -> None:
    assert followups.default_outcome("venue") == AttemptOutcome.DID_NOT_ATTEND
    assert followups.default_outcome("home_visit") == AttemptOutcome.DID_NOT_ATTEND
    assert followups.default_outcome("phone") == AttemptOutcome.NO_ANSWER
    assert followups.default_outcome(None) == AttemptOutcome.NO_ANSWER


# --- the booked time, not the clock time (issue 13) ---------------------------------------


def test_missing_a_follow_up_records_its_booked_time_unless_the_worker_says_when(
    db: Database, joan: tuple[int, int]
) -> None:
    pid, _ = joan
    clock = fixed(TODAY, time(16, 45))

    def missed_at(contact_at: str | None = None) -> str:
        fid = followups.schedule(db, pid, booking(due_on="2026-11-23", due_time="09:30"), clock)
        missed = followups.record_missed(
            db, fid.followup_id, AttemptOutcome.NO_ANSWER, clock, SETTINGS, contact_at=contact_at
        )
        row = db.execute("SELECT contact_at FROM contacts WHERE id = ?", [missed.contact_id])
        return str(row.fetchone()[0])

    assert missed_at() == "2026-11-23T09:30:00"  # not the clock's 16:45
    assert missed_at("2026-11-23T10:05:00") == "2026-11-23T10:05:00"
    with pytest.raises(FollowUpError, match="in the future"):
        missed_at("2026-11-23T17:00:00")


def test_the_booked_moment_is_the_booked_time_or_now_when_it_is_still_ahead() -> None:
    from datetime import datetime

    now = datetime(2026, 11, 23, 11, 0, 27)
    row = {"due_on": "2026-11-20", "due_time": "14:15"}
    assert followups.booked_moment(row, now) == datetime(2026, 11, 20, 14, 15)
    # No time booked: "that day", recorded at midnight.
    assert followups.booked_moment({**row, "due_time": None}, now) == datetime(2026, 11, 20)
    # Done before its booked time (completed early): now, to the minute.
    ahead = {"due_on": "2026-12-07", "due_time": "10:00"}
    assert followups.booked_moment(ahead, now) == datetime(2026, 11, 23, 11, 0)
