"""Intake in the core: duplicates by NHS number or name and birthday, re-referrals, edits."""

from __future__ import annotations

from datetime import date

import pytest

from linkworker import caseload, people, referrals
from linkworker.clock import Clock
from linkworker.errors import CaseloadError
from linkworker.models import (
    DischargeReason,
    EthnicGroup,
    Ethnicity,
    FlagDetails,
    FlagKind,
    PersonDetails,
    ReferralDetails,
)
from linkworker.people import DuplicatePersonError
from linkworker.store.db import Database

NHS = "943 476 5919"
OTHER_NHS = "401 023 2137"


def joan(**extra: object) -> PersonDetails:
    values: dict[str, object] = {
        "given_name": "Joan",
        "family_name": "Smith",
        "date_of_birth": "01/02/1950",
    }
    values.update(extra)
    return PersonDetails.model_validate(values)


def referral(day: int = 2, **extra: object) -> ReferralDetails:
    return ReferralDetails.model_validate(
        {"source": "gp_practice", "received_on": date(2026, 11, day), **extra}
    )


def test_a_new_person_and_their_referral_are_one_intake(db: Database, clock: Clock) -> None:
    result = referrals.take_referral(db, referral(consent_to_share_gp=True), clock, person=joan())
    assert result.new_person
    person = people.get_person(db, result.person_id)
    assert (person["consent_to_share_gp"], person["consent_date"]) == (1, "2026-11-02")
    assert referrals.get_referral(db, result.referral_id)["status"] == "received"


@pytest.mark.parametrize(
    "typed",
    [
        {"given_name": "JOAN", "family_name": " smith "},
        {"given_name": "joan", "family_name": "Smith", "nhs_number": NHS},
        {"given_name": "Jo-an", "family_name": "SMITH"},
    ],
)
def test_same_name_and_birthday_is_found_whatever_the_case_and_spaces(
    db: Database, clock: Clock, typed: dict[str, str]
) -> None:
    first = referrals.take_referral(db, referral(), clock, person=joan())
    matches = people.find_duplicates(db, joan(**typed))
    assert [m.person_id for m in matches] == [first.person_id]
    assert matches[0].matched_on == people.MATCHED_ON_NAME
    assert matches[0].has_open_referral


def test_same_nhs_number_is_found_even_with_another_name(db: Database, clock: Clock) -> None:
    first = referrals.take_referral(db, referral(), clock, person=joan(nhs_number=NHS))
    matches = people.find_duplicates(
        db, PersonDetails(given_name="Joanie", family_name="Smythe", nhs_number="9434765919")
    )
    assert [(m.person_id, m.matched_on) for m in matches] == [
        (first.person_id, people.MATCHED_ON_NHS)
    ]


def test_different_nhs_numbers_mean_different_people(db: Database, clock: Clock) -> None:
    referrals.take_referral(db, referral(), clock, person=joan(nhs_number=NHS))
    assert people.find_duplicates(db, joan(nhs_number=OTHER_NHS)) == []
    assert people.find_duplicates(db, joan(date_of_birth="02/02/1950")) == []


def test_a_duplicate_is_refused_and_nothing_is_written(db: Database, clock: Clock) -> None:
    referrals.take_referral(db, referral(), clock, person=joan())
    before = db.execute("SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM audit)")
    counts = before.fetchone()
    with pytest.raises(DuplicatePersonError) as caught:
        referrals.take_referral(db, referral(5), clock, person=joan(given_name="joan"))
    assert caught.value.matches[0].name == "Joan Smith"
    after = db.execute("SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM audit)")
    assert after.fetchone() == counts


def test_someone_else_with_the_same_name_and_birthday_can_be_added_when_confirmed(
    db: Database, clock: Clock
) -> None:
    referrals.take_referral(db, referral(), clock, person=joan())
    second = referrals.take_referral(db, referral(5), clock, person=joan(), different_person=True)
    assert second.new_person
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 2


def test_an_nhs_number_match_can_never_become_a_second_person(db: Database, clock: Clock) -> None:
    referrals.take_referral(db, referral(), clock, person=joan(nhs_number=NHS))
    with pytest.raises(DuplicatePersonError) as caught:
        referrals.take_referral(
            db,
            referral(5),
            clock,
            person=PersonDetails(given_name="Jo", family_name="Smith", nhs_number=NHS),
            different_person=True,
        )
    assert caught.value.field == "nhs_number"


def test_a_re_referral_is_a_new_episode_on_the_same_person(db: Database, clock: Clock) -> None:
    first = referrals.take_referral(db, referral(), clock, person=joan())
    with pytest.raises(CaseloadError, match="already has an open referral"):
        referrals.take_referral(db, referral(5), clock, person_id=first.person_id)
    referrals.accept(db, first.referral_id, date(2026, 11, 3), clock)
    referrals.discharge(
        db, first.referral_id, date(2026, 11, 10), DischargeReason.GOALS_MET, None, clock
    )
    again = referrals.take_referral(
        db,
        referral(20),
        clock,
        person_id=first.person_id,
        person=joan(phone="07700 900123", given_name="Someone Else"),
    )
    assert not again.new_person and again.person_id == first.person_id
    assert again.referral_id != first.referral_id
    person = people.get_person(db, first.person_id)
    # Blanks are filled in; what was recorded is not overwritten.
    assert (person["phone"], person["given_name"]) == ("07700 900123", "Joan")
    assert set(again.filled) == {"phone"}
    statuses = [r[0] for r in db.execute("SELECT status FROM referrals ORDER BY id")]
    assert statuses == ["discharged", "received"]


def test_update_person_audits_each_changed_field(db: Database, clock: Clock) -> None:
    pid = referrals.take_referral(db, referral(), clock, person=joan()).person_id
    changed = people.update_person(db, pid, joan(postcode="hv1 2ab", family_name="Jones"), clock)
    assert set(changed) == {"postcode", "family_name"}
    rows = {
        r[0]: (r[1], r[2])
        for r in db.execute(
            "SELECT field, old, new FROM audit WHERE action = 'update' AND table_name = 'people'"
        )
    }
    assert rows["family_name"] == ("Smith", "Jones")
    assert rows["postcode"] == (None, "HV1 2AB")


def test_update_person_refuses_someone_elses_nhs_number(db: Database, clock: Clock) -> None:
    referrals.take_referral(db, referral(), clock, person=joan(nhs_number=NHS))
    other = people.add_person(db, PersonDetails(given_name="Al", family_name="Bo"), clock)
    with pytest.raises(CaseloadError, match="already the NHS number of Joan Smith") as caught:
        people.update_person(
            db, other, PersonDetails(given_name="Al", family_name="Bo", nhs_number=NHS), clock
        )
    assert caught.value.field == "nhs_number"
    assert people.get_person(db, other)["nhs_number"] is None


def test_flags_are_raised_and_cleared_but_stay_on_record(db: Database, clock: Clock) -> None:
    pid = people.add_person(db, joan(), clock)
    fid = people.add_flag(db, pid, FlagDetails(kind=FlagKind.LONE_WORKING, note="Dog"), clock)
    assert [f["id"] for f in people.open_flags(db, pid)] == [fid]
    summary = db.execute("SELECT flags FROM person_summary WHERE person_id = ?", [pid])
    assert summary.fetchone()[0] == "lone_working"
    people.clear_flag(db, fid, clock, reason="Dog rehomed")
    assert people.open_flags(db, pid) == []
    with pytest.raises(CaseloadError, match="already cleared"):
        people.clear_flag(db, fid, clock, reason="Dog rehomed")
    row = db.execute("SELECT cleared_on, cleared_reason FROM flags").fetchone()
    assert tuple(row) == ("2026-11-23", "Dog rehomed")


@pytest.mark.parametrize("kind", [FlagKind.SAFEGUARDING, FlagKind.LONE_WORKING])
def test_a_safety_flag_is_cleared_only_with_a_reason(
    db: Database, clock: Clock, kind: FlagKind
) -> None:
    # Issue 13 item 3: clearing a safeguarding or lone-working flag needs a reason.
    pid = people.add_person(db, joan(), clock)
    fid = people.add_flag(db, pid, FlagDetails(kind=kind), clock)
    with pytest.raises(CaseloadError, match="say why") as caught:
        people.clear_flag(db, fid, clock, reason="  ")
    assert caught.value.field == "reason"
    assert [f["id"] for f in people.open_flags(db, pid)] == [fid]
    with pytest.raises(CaseloadError) as caught:
        people.clear_flag(db, fid, clock, reason="bad\x1b[31m")
    assert caught.value.field == "reason"
    people.clear_flag(db, fid, clock, reason="Reviewed with the safeguarding lead")
    assert people.open_flags(db, pid) == []
    history = db.execute(
        "SELECT new FROM audit WHERE table_name = 'flags' AND "
        "record_id = ? AND field = 'cleared_reason'",
        [fid],
    ).fetchall()
    assert [tuple(r) for r in history] == [("Reviewed with the safeguarding lead",)]


def test_an_other_flag_clears_without_a_reason(db: Database, clock: Clock) -> None:
    pid = people.add_person(db, joan(), clock)
    fid = people.add_flag(db, pid, FlagDetails(kind=FlagKind.OTHER, note="Hard of hearing"), clock)
    people.clear_flag(db, fid, clock)
    assert people.open_flags(db, pid) == []


def test_safeguarding_is_listed_first_then_lone_working(db: Database, clock: Clock) -> None:
    pid = people.add_person(db, joan(), clock)
    other = people.add_flag(db, pid, FlagDetails(kind=FlagKind.OTHER), clock)
    lone = people.add_flag(db, pid, FlagDetails(kind=FlagKind.LONE_WORKING), clock)
    safe = people.add_flag(db, pid, FlagDetails(kind=FlagKind.SAFEGUARDING), clock)
    assert [f["id"] for f in people.open_flags(db, pid)] == [safe, lone, other]


@pytest.mark.parametrize(
    ("typed", "differs"),
    [
        ({"given_name": "Joanie", "family_name": "Smythe"}, ("given_name", "family_name")),
        ({"date_of_birth": "02/02/1950"}, ("date_of_birth",)),
        ({"given_name": "JOAN", "family_name": "smith"}, ()),
        ({"date_of_birth": None}, ()),
    ],
)
def test_an_nhs_number_match_says_which_of_name_and_birthday_differ(
    db: Database, clock: Clock, typed: dict[str, object], differs: tuple[str, ...]
) -> None:
    # Issue 13 item 2: the intake form shows these side by side before anything is saved.
    referrals.take_referral(db, referral(), clock, person=joan(nhs_number=NHS))
    (match,) = people.find_duplicates(db, joan(nhs_number=NHS, **typed))
    assert match.differs == differs
    assert match.identity_differs is bool(differs)


def test_the_ethnic_group_gives_its_census_heading(db: Database, clock: Clock) -> None:
    # Issue 13 item 8: the 19 groups of the 2021 Census under 5 headings, and "Not stated".
    groups = list(EthnicGroup)
    assert len(groups) == 20 and groups[-1] is EthnicGroup.NOT_STATED
    assert {g.heading for g in groups} == set(Ethnicity)
    pid = people.add_person(db, joan(sex="female", ethnic_group="white_irish"), clock)
    row = people.get_person(db, pid)
    assert (row["sex"], row["ethnicity"], row["ethnic_group"]) == ("female", "white", "white_irish")
    with pytest.raises(ValueError, match="not under the heading"):
        joan(ethnicity="asian", ethnic_group="white_irish")


def test_people_list_by_status(db: Database, clock: Clock) -> None:
    a = referrals.take_referral(db, referral(), clock, person=joan()).person_id
    b = referrals.take_referral(
        db, referral(), clock, person=PersonDetails(given_name="Al", family_name="Adams")
    )
    referrals.accept(db, b.referral_id, date(2026, 11, 3), clock)
    people.add_person(db, PersonDetails(given_name="Zed", family_name="Zulu"), clock)
    assert [p["family_name"] for p in caseload.list_people(db)] == ["Adams", "Smith", "Zulu"]
    assert [p["id"] for p in caseload.list_people(db, "received")] == [a]
    assert [p["family_name"] for p in caseload.list_people(db, "open")] == ["Adams", "Smith"]
    assert [p["family_name"] for p in caseload.list_people(db, "none")] == ["Zulu"]
    with pytest.raises(ValueError, match="is not one of"):
        caseload.list_people(db, "lost")


def test_the_group_sex_and_a_flag_s_reason_reach_the_subject_access_export(
    db: Database, clock: Clock
) -> None:
    from linkworker import subject_access
    from linkworker.formats.subject_access import sar_markdown

    pid = people.add_person(db, joan(sex="female", ethnic_group="white_roma"), clock)
    fid = people.add_flag(db, pid, FlagDetails(kind=FlagKind.SAFEGUARDING), clock)
    people.clear_flag(db, fid, clock, reason="Closed by the safeguarding lead")
    text = sar_markdown(subject_access.subject_access(db, pid, "2026-11-23T10:00"))
    assert "- **Sex:** Female" in text and "- **Ethnic group:** White: Roma" in text
    assert "- **Cleared reason:** Closed by the safeguarding lead" in text
