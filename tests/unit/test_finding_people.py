"""Finding people as they are spoken of (issue 13 item 5): the caseload filter's core query."""

from __future__ import annotations

from datetime import date

import pytest
from tests.factories import add_person, add_person_with_referral

from linkworker import caseload, people
from linkworker.clock import Clock
from linkworker.followups.agenda import build_agenda
from linkworker.models import PersonDetails
from linkworker.settings import Settings
from linkworker.store import finding
from linkworker.store.db import Database
from linkworker.store.migrations import rebuild_summary

TODAY = date(2026, 11, 23)


def found(db: Database, typed: str) -> list[str]:
    wanted = caseload.CaseloadFilter(text=typed, sort="name", descending=False)
    return [row.name for row in caseload.caseload_page(db, wanted, TODAY)]


@pytest.fixture
def caseload_db(db: Database) -> Database:
    add_person(
        db,
        given_name="Mary",
        family_name="O'Neill-Smith",
        preferred_name="Molly",
        date_of_birth="23/11/1950",
        nhs_number="943 476 5919",
        phone="07700 900123",
        postcode="ls1 4ab",
    )
    add_person(db, given_name="Zoë", family_name="Brontë", date_of_birth="1962-03-04")
    add_person(db, given_name="Ann", family_name="van der Berg", postcode="M1 1AA")
    add_person(db, given_name="Bob", family_name="Ambrose", date_of_birth="1970-01-02")
    return db


@pytest.mark.parametrize(
    "typed",
    [
        "oneill",
        "ONEILL SMITH",
        "o'neill-smith",
        "O’Neill",
        "neillsmith",
        "mary oneill",
        "molly",
        "9434765919",
        "943 476 5919",
        "943476",
        "07700900123",
        "07700 900123",
        "ls14ab",
        "LS1 4AB",
        "23/11/1950",
        "1950-11-23",
        "23-11-1950",
    ],
)
def test_one_person_is_found_however_they_are_spoken_of(caseload_db: Database, typed: str) -> None:
    assert found(caseload_db, typed) == ["Mary O'Neill-Smith"]


def test_accents_and_spaces_in_names_are_ignored(caseload_db: Database) -> None:
    assert found(caseload_db, "zoe bronte") == ["Zoë Brontë"]
    assert found(caseload_db, "Brontë") == ["Zoë Brontë"]
    assert found(caseload_db, "vanderberg") == ["Ann van der Berg"]
    assert found(caseload_db, "van der berg") == ["Ann van der Berg"]
    assert found(caseload_db, "m11aa") == ["Ann van der Berg"]


def test_what_does_not_match_finds_nobody(caseload_db: Database) -> None:
    assert found(caseload_db, "oneil smyth") == []
    assert found(caseload_db, "24/11/1950") == []
    assert found(caseload_db, "%") == []  # a typed wildcard is a character, not "anything"
    assert found(caseload_db, "_") == []


def test_the_caseload_sorts_by_family_name(caseload_db: Database) -> None:
    assert found(caseload_db, "") == [
        "Bob Ambrose",
        "Zoë Brontë",
        "Mary O'Neill-Smith",
        "Ann van der Berg",
    ]


def test_an_edit_and_a_rebuild_keep_what_is_found(caseload_db: Database, clock: Clock) -> None:
    pid = add_person(caseload_db, given_name="Siobhan", family_name="Ní Bhriain")
    assert found(caseload_db, "nibhriain") == ["Siobhan Ní Bhriain"]
    people.update_person(
        caseload_db,
        pid,
        PersonDetails.model_validate(
            {"given_name": "Siobhán", "family_name": "Ní Bhriain", "phone": "0113 496 0000"}
        ),
        clock,
    )
    assert found(caseload_db, "siobhan 01134960000") == ["Siobhán Ní Bhriain"]
    rebuild_summary(caseload_db)
    assert found(caseload_db, "siobhan 0113 496 0000") == ["Siobhán Ní Bhriain"]


def test_the_python_fold_is_the_sql_fold(db: Database) -> None:
    every = "".join(c for c, _ in finding.FOLDS) + "AZaz09|"
    db.execute("CREATE TEMP TABLE t (find_text TEXT)")
    db.execute("INSERT INTO t VALUES (?)", [every])
    for assignment, condition in finding.sql_fold_steps("find_text"):
        db.execute(f"UPDATE t SET {assignment} WHERE {condition}")
    assert db.execute("SELECT find_text FROM t").fetchone()[0] == finding.fold(every)


def test_two_people_with_one_name_are_told_apart_on_the_agenda(db: Database) -> None:
    ids = [
        add_person_with_referral(db, given_name=given, family_name=family, date_of_birth=born)[0]
        for given, family, born in (
            ("John", "Smith", "1950-11-23"),
            ("John", "Smith", "1961-05-02"),
            ("Jane", "Doe", "1950-11-23"),
        )
    ]
    agenda = build_agenda(db, date(2027, 1, 15), Settings())
    lines = {line.person_id: line for _, _, bucket in agenda.buckets() for line in bucket}
    assert lines[ids[0]].who() == "John Smith (born 23 Nov 1950)"
    assert lines[ids[1]].who() == "John Smith (born 2 May 1961)"
    assert lines[ids[2]].who() == "Jane Doe"
    assert lines[ids[0]].to_dict()["born"] == "1950-11-23"
    assert lines[ids[2]].to_dict()["born"] is None
    assert lines[ids[0]].to_dict()["name"] == "John Smith"
