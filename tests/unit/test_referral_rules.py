"""Every rule of the referral lifecycle, and the contact rules that move a referral along."""

from __future__ import annotations

from datetime import date

import pytest

from linkworker import people, referrals
from linkworker.clock import Clock
from linkworker.display import short_date
from linkworker.errors import CaseloadError
from linkworker.models import (
    ContactDetails,
    ContactMode,
    DecisionDetails,
    DischargeDetails,
    DischargeReason,
    ReferralStatus,
)
from linkworker.store.db import Database

import factories

S = ReferralStatus
# The lifecycle as DESIGN.md draws it, written out independently of referrals.ALLOWED:
# received -> contacting -> accepted | declined | not_reached; accepted -> discharged.
LEGAL = {
    (S.RECEIVED, S.CONTACTING),
    (S.RECEIVED, S.ACCEPTED),
    (S.RECEIVED, S.DECLINED),
    (S.RECEIVED, S.NOT_REACHED),
    (S.CONTACTING, S.ACCEPTED),
    (S.CONTACTING, S.DECLINED),
    (S.CONTACTING, S.NOT_REACHED),
    (S.ACCEPTED, S.DISCHARGED),
}
RECEIVED = date(2026, 11, 2)


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition_is_allowed_or_refused_in_words(current: S, target: S) -> None:
    if (current, target) in LEGAL:
        referrals.check_transition(current.value, target)
        return
    with pytest.raises(CaseloadError) as caught:
        referrals.check_transition(current.value, target)
    message = str(caught.value)
    assert message and "_" not in message  # words, not codes like not_reached


def _contact(when: str, *, attempt: bool = False) -> ContactDetails:
    return ContactDetails(contact_at=when, mode=ContactMode.PHONE, attempt=attempt)


def test_a_successful_contact_moves_a_received_referral_to_contacting(
    db: Database, clock: Clock
) -> None:
    pid, rid = factories.add_person_with_referral(db, clock)
    referrals.log_contact(db, pid, _contact("2026-11-04T10:00"), clock)
    row = referrals.get_referral(db, rid)
    assert (row["status"], row["status_changed_on"]) == ("contacting", "2026-11-04")


def test_a_contact_on_an_accepted_referral_leaves_the_status_alone(
    db: Database, clock: Clock
) -> None:
    pid, rid = factories.add_person_with_referral(db, clock)
    referrals.accept(db, rid, date(2026, 11, 3), clock)
    referrals.log_contact(db, pid, _contact("2026-11-04T10:00"), clock)
    assert referrals.get_referral(db, rid)["status"] == "accepted"


def test_a_contact_in_the_future_is_refused_and_nothing_is_written(
    db: Database, clock: Clock
) -> None:
    pid, rid = factories.add_person_with_referral(db, clock)
    with pytest.raises(CaseloadError, match="in the future") as caught:
        referrals.log_contact(db, pid, _contact("2026-11-24T10:00"), clock)
    assert caught.value.field == "contact_at"
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    assert referrals.get_referral(db, rid)["status"] == "received"


@pytest.mark.parametrize("attempt", [False, True])
def test_a_contact_or_attempt_before_the_referral_arrived_is_refused_naming_its_date(
    db: Database, clock: Clock, attempt: bool
) -> None:
    # Issue 13 item 3: such an entry cannot be true and would count towards "not reached".
    pid, rid = factories.add_person_with_referral(db, clock)
    received = referrals.get_referral(db, rid)["received_on"]
    with pytest.raises(CaseloadError) as caught:
        if attempt:
            referrals.log_attempt(db, rid, _contact("2026-10-30T10:00"), clock, threshold=3)
        else:
            referrals.log_contact(db, pid, _contact("2026-10-30T10:00"), clock)
    assert caught.value.field == "contact_at"
    assert short_date(received) in str(caught.value)
    assert "before the referral was received" in str(caught.value)
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    assert referrals.get_referral(db, rid)["status"] == "received"


def test_a_contact_on_the_day_the_referral_arrived_is_taken(db: Database, clock: Clock) -> None:
    pid, rid = factories.add_person_with_referral(db, clock)
    received = referrals.get_referral(db, rid)["received_on"]
    referrals.log_contact(db, pid, _contact(f"{received}T09:00"), clock)
    assert referrals.get_referral(db, rid)["status"] == "contacting"


def test_contact_times_typed_the_uk_way_are_stored_as_iso(today: date) -> None:
    details = ContactDetails.model_validate(
        {"contact_at": "23/11/2026 14:30", "mode": "phone"}, context={"today": today}
    )
    assert details.contact_at == "2026-11-23T14:30:00"
    with pytest.raises(ValueError, match="in the future"):
        ContactDetails.model_validate(
            {"contact_at": "24/11/2026", "mode": "phone"}, context={"today": today}
        )
    with pytest.raises(ValueError, match="not a date"):
        ContactDetails.model_validate({"contact_at": "last tuesday", "mode": "phone"})


def test_only_attempts_since_the_person_was_last_reached_count(db: Database, clock: Clock) -> None:
    pid, rid = factories.add_person_with_referral(db, clock)
    for day in (3, 4):
        referrals.log_attempt(db, rid, _contact(f"2026-11-{day:02d}T10:00"), clock, threshold=3)
    referrals.log_contact(db, pid, _contact("2026-11-05T10:00"), clock)
    result = referrals.log_attempt(db, rid, _contact("2026-11-09T10:00"), clock, threshold=3)
    assert result.attempts == 1 and not result.threshold_reached
    with pytest.raises(CaseloadError, match="only 1 of 3"):
        referrals.mark_not_reached(db, rid, date(2026, 11, 9), clock, threshold=3)


def test_not_reached_is_offered_only_while_the_referral_is_being_worked(
    db: Database, clock: Clock
) -> None:
    _, rid = factories.add_person_with_referral(db, clock)
    results = [
        referrals.log_attempt(db, rid, _contact(f"2026-11-0{d}T10:00"), clock, threshold=2)
        for d in (3, 4)
    ]
    assert [r.offer_not_reached for r in results] == [False, True]
    referrals.accept(db, rid, date(2026, 11, 5), clock)
    later = [
        referrals.log_attempt(db, rid, _contact(f"2026-11-{d}T10:00"), clock, threshold=2)
        for d in (10, 11)
    ]
    assert later[-1].threshold_reached and not later[-1].offer_not_reached


def test_not_reached_on_an_accepted_referral_says_to_discharge(db: Database, clock: Clock) -> None:
    _, rid = factories.add_person_with_referral(db, clock)
    referrals.accept(db, rid, date(2026, 11, 5), clock)
    with pytest.raises(CaseloadError, match="discharge it"):
        referrals.mark_not_reached(db, rid, date(2026, 11, 9), clock, threshold=3)


def test_attempts_on_a_closed_referral_are_refused(db: Database, clock: Clock) -> None:
    _, rid = factories.add_person_with_referral(db, clock)
    referrals.decline(db, rid, date(2026, 11, 5), clock)
    with pytest.raises(CaseloadError, match="attempts are logged on open referrals"):
        referrals.log_attempt(db, rid, _contact("2026-11-06T10:00"), clock, threshold=3)


def test_discharge_records_reason_and_summary_and_the_person_stays(
    db: Database, clock: Clock
) -> None:
    pid, rid = factories.add_person_with_referral(db, clock)
    referrals.accept(db, rid, date(2026, 11, 3), clock)
    referrals.discharge(
        db, rid, date(2026, 11, 20), DischargeReason.MOVED_AWAY, "  Moved to Leeds ", clock
    )
    row = referrals.get_referral(db, rid)
    assert (row["status"], row["discharge_reason"], row["discharge_summary"]) == (
        "discharged",
        "moved_away",
        "Moved to Leeds",
    )
    assert people.get_person(db, pid)["given_name"] == "Joan"
    assert referrals.open_referral(db, pid) is None


def test_decision_and_discharge_forms_refuse_future_dates_and_unknown_reasons(
    today: date,
) -> None:
    ok = DecisionDetails.model_validate({"on": "23/11/2026"}, context={"today": today})
    assert ok.on == today
    with pytest.raises(ValueError, match="in the future"):
        DecisionDetails.model_validate({"on": "24/11/2026"}, context={"today": today})
    with pytest.raises(ValueError, match="is not one of"):
        DischargeDetails.model_validate({"on": "20/11/2026", "reason": "bored"})
    assert (
        DischargeDetails.model_validate({"on": "20/11/2026", "reason": "Goals met"}).reason
        == DischargeReason.GOALS_MET
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("23/11/2026 14:30", "2026-11-23T14:30:00"),
        ("23 Nov 2026 2pm", "2026-11-23T14:00:00"),
        ("2026-11-23T09:05", "2026-11-23T09:05:00"),
        ("2026-11-23 09:05:00", "2026-11-23T09:05:00"),
        ("23/11/2026", "2026-11-23"),
        (" 23 Nov 2026 ", "2026-11-23"),
    ],
)
def test_moments_typed_the_uk_way(typed: str, stored: str) -> None:
    from linkworker.validation import normalise_moment

    assert normalise_moment(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "is empty"), ("yesterday", "is not a date"), ("23/11/2026 25:00", "date and time")],
)
def test_moments_that_are_not(typed: str, message: str) -> None:
    from linkworker.validation import ValidationError, normalise_moment

    with pytest.raises(ValidationError, match=message):
        normalise_moment(typed)
