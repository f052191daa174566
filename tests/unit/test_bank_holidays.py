"""UK bank holidays in every working-day rule: series, first contact, gone quiet, retries."""

from __future__ import annotations

from datetime import date

import pytest

from linkworker import followups, referrals
from linkworker.clock import fixed
from linkworker.followups.agenda import build_agenda
from linkworker.followups.days import (
    add_working_days,
    bank_holiday,
    days_back_skipping_bank_holidays,
    is_working_day,
    next_working_day,
    working_days_between,
)
from linkworker.models import ContactDetails
from linkworker.settings import Settings
from linkworker.store.db import Database

import factories

CLOCK = fixed(date(2026, 12, 1))


def booked_series(db: Database, first: str, until: date, every: int) -> followups.Booking:
    pid, _rid = factories.add_person_with_referral(db, CLOCK, status="accepted")
    details = followups.details({"due_on": first, "kind": "phone"}, CLOCK.today())
    return followups.schedule(db, pid, details, CLOCK, every_weeks=every, until=until)


def test_a_weekly_series_over_christmas_2026_moves_off_the_bank_holidays(db: Database) -> None:
    result = booked_series(db, "2026-12-11", date(2027, 1, 8), 1)
    dates = [
        row["due_on"]
        for row in db.query(
            "SELECT due_on FROM followups WHERE series_id = ? ORDER BY due_on", [result.series_id]
        )
    ]
    # Fri 25 Dec (Christmas) goes past the weekend and Mon 28 (Boxing Day observed) to Tue 29;
    # Fri 1 Jan (New Year's Day) to Mon 4 Jan.
    assert dates == ["2026-12-11", "2026-12-18", "2026-12-29", "2027-01-04", "2027-01-08"]
    assert [m.describe() for m in result.moved] == [
        "25 Dec 2026 is Christmas Day: booked on 29 Dec 2026 instead",
        "1 Jan 2027 is New Year's Day: booked on 4 Jan 2027 instead",
    ]


def test_a_fortnightly_series_over_easter_2027_moves_off_easter_monday(db: Database) -> None:
    result = booked_series(db, "2027-03-15", date(2027, 4, 12), 2)
    dates = [row["due_on"] for row in db.query("SELECT due_on FROM followups ORDER BY due_on")]
    assert dates == ["2027-03-15", "2027-03-30", "2027-04-12"]
    assert [m.describe() for m in result.moved] == [
        "29 Mar 2027 is Easter Monday: booked on 30 Mar 2027 instead"
    ]


def test_the_series_plan_in_scotland_keeps_easter_monday() -> None:
    dates, moved = followups.series_plan(date(2027, 3, 15), 2, date(2027, 4, 12), "scotland")
    assert dates == [date(2027, 3, 15), date(2027, 3, 29), date(2027, 4, 12)]
    assert moved == []


@pytest.mark.parametrize(
    ("day", "nation", "working"),
    [
        (date(2026, 12, 28), "england-and-wales", False),  # Boxing Day (observed)
        (date(2027, 1, 4), "england-and-wales", True),
        (date(2027, 1, 4), "scotland", False),  # 2 January (observed)
        (date(2027, 3, 17), "northern-ireland", False),  # St Patrick's Day
        (date(2027, 3, 17), "england-and-wales", True),
        (date(2027, 3, 29), "scotland", True),  # no Easter Monday holiday in Scotland
        (date(2027, 3, 27), "england-and-wales", False),  # a Saturday
    ],
)
def test_working_days_follow_the_nations_bank_holidays(
    day: date, nation: str, working: bool
) -> None:
    assert is_working_day(day, nation) is working


def test_counting_and_adding_working_days_skip_christmas() -> None:
    assert working_days_between(date(2026, 12, 22), date(2026, 12, 31)) == 5
    assert working_days_between(date(2026, 12, 22), date(2027, 1, 4)) == 6
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 29), -1) == date(2026, 12, 24)
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 29)
    assert bank_holiday(date(2026, 12, 25)) == "Christmas Day"
    assert bank_holiday(date(2026, 12, 24)) is None


def test_a_retry_after_christmas_eve_is_offered_after_boxing_day() -> None:
    assert followups.suggest_retry(date(2026, 12, 24), Settings()) == date(2026, 12, 29)
    assert followups.suggest_next(date(2026, 12, 11), Settings()) == date(2026, 12, 29)


def test_first_contact_does_not_count_christmas(db: Database) -> None:
    clock = fixed(date(2027, 1, 4))
    _pid, rid = factories.add_person_with_referral(
        db, clock, referral={"received_on": date(2026, 12, 22)}
    )

    def waiting(day: date) -> bool:
        agenda = build_agenda(db, day, Settings())
        return rid in {line.referral_id for line in agenda.awaiting_first_contact}

    # 23, 24, 29, 30, 31 December are the five working days; 4 January is the sixth.
    assert [waiting(d) for d in (date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 4))] == [
        False,
        False,
        True,
    ]


def test_bank_holidays_do_not_count_towards_gone_quiet(db: Database) -> None:
    clock = fixed(date(2027, 1, 4))
    pid, rid = factories.add_person_with_referral(
        db, clock, status="accepted", referral={"received_on": date(2026, 12, 1)}
    )
    contact = ContactDetails.model_validate({"contact_at": "2026-12-10T10:00:00", "mode": "phone"})
    referrals.log_contact(db, pid, contact, clock, referral_id=rid)

    def quiet(day: date) -> bool:
        return pid in {line.person_id for line in build_agenda(db, day, Settings()).gone_quiet}

    # 21 calendar days after 10 December is the 31st, but four of them were bank holidays.
    assert days_back_skipping_bank_holidays(date(2027, 1, 4), 21) == date(2026, 12, 10)
    assert not quiet(date(2026, 12, 31))
    assert quiet(date(2027, 1, 4))


def test_the_bank_holidays_setting_names_the_nations() -> None:
    assert Settings().bank_holidays == "england-and-wales"
    assert Settings(bank_holidays="scotland").bank_holidays == "scotland"
    with pytest.raises(ValueError, match="bank_holidays"):
        Settings(bank_holidays="wales")  # type: ignore[arg-type]
