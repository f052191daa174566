"""Unmet needs (issue 16 item 3): recorded for a person, part of their record, counted by
the gap report by area (postcode district), need and barrier; and the practice population
(item 6), loaded from a CSV whose every mistake names its row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.factories import CLOCK, TODAY, add_person, add_person_with_referral, open_store

from linkworker import corrections, erasure, gaps, population, subject_access, timeline
from linkworker.cli import main
from linkworker.formats.gap_report import gap_document
from linkworker.models import GapDetails
from linkworker.reports import Period
from linkworker.reports.gap_report import gap_report
from linkworker.store.db import Database

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def details(**fields: object) -> GapDetails:
    values = {"need": "loneliness", "barrier": "cost", "recorded_on": TODAY, **fields}
    return GapDetails.model_validate(values, context={"today": TODAY})


def test_a_gap_keeps_the_district_not_the_postcode_and_is_audited(db: Database) -> None:
    pid = add_person(db, postcode="hv2 1ab")
    gap_id = gaps.record_gap(db, pid, details(note="Lunch club is £5 a week"), CLOCK)
    row = db.execute("SELECT area, need, barrier, note FROM gaps WHERE id = ?", [gap_id])
    assert tuple(row.fetchone()) == ("HV2", "loneliness", "cost", "Lunch club is £5 a week")
    audited = db.execute(
        "SELECT count(*) FROM audit WHERE table_name = 'gaps' AND person_id = ?", [pid]
    ).fetchone()[0]
    assert audited >= 1
    assert [g["id"] for g in gaps.person_gaps(db, pid)] == [gap_id]


def test_a_person_without_a_postcode_has_no_area(db: Database) -> None:
    pid = add_person(db)
    gaps.record_gap(db, pid, details(), CLOCK)
    assert gaps.person_gaps(db, pid)[0]["area"] is None
    assert gaps.postcode_district("HV2") == "HV2"
    assert gaps.postcode_district(" ") is None


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"need": "lonely"}, "'lonely' is not one of"),
        ({"barrier": "weather"}, "'weather' is not one of"),
        ({"recorded_on": date(2026, 12, 1)}, "in the future"),
    ],
)
def test_bad_details_are_refused_naming_the_field(fields: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        details(**fields)


def test_control_characters_in_a_note_are_refused(db: Database) -> None:
    pid = add_person(db)
    with pytest.raises(ValueError, match="note"):
        gaps.record_gap(db, pid, details(note="bad \x1b[31m red"), CLOCK)
    assert db.execute("SELECT count(*) FROM gaps").fetchone()[0] == 0


def test_an_unknown_person_is_refused_and_nothing_is_written(db: Database) -> None:
    with pytest.raises(LookupError, match="42"):
        gaps.record_gap(db, 42, details(), CLOCK)
    assert db.execute("SELECT count(*) FROM gaps").fetchone()[0] == 0


def test_a_gap_is_on_the_timeline_in_subject_access_and_gone_on_erasure(db: Database) -> None:
    pid = add_person(db, postcode="HV2 1AB")
    gaps.record_gap(db, pid, details(barrier="no_activity", note="no men's group"), CLOCK)
    events = timeline.person_timeline(db, pid)
    assert any(
        e.summary == "Unmet need: Loneliness and isolation (no suitable activity): no men's group"
        for e in events
    )
    held = subject_access.subject_access(db, pid, CLOCK.stamp())
    assert [g["note"] for g in held["tables"]["gaps"]] == ["no men's group"]
    erasure.erase_person(db, pid, CLOCK)
    assert db.execute("SELECT count(*) FROM gaps").fetchone()[0] == 0


def test_a_gap_struck_out_in_error_is_not_counted(db: Database) -> None:
    pid = add_person(db, postcode="HV2 1AB")
    gap_id = gaps.record_gap(db, pid, details(), CLOCK)
    assert gap_report(db, NOVEMBER, TODAY).gaps == 1
    corrections.strike_out(db, "gaps", gap_id, "wrong person", CLOCK, "Asha")
    assert gap_report(db, NOVEMBER, TODAY).gaps == 0
    assert gaps.person_gaps(db, pid) == []


def test_the_gap_report_counts_by_area_need_and_barrier(db: Database) -> None:
    for n in range(12):
        pid = add_person(db, family_name=f"P{n}", postcode="HV1 1AA" if n < 7 else "HV3 2BB")
        barrier = "no_activity" if n % 2 else "transport"
        gaps.record_gap(db, pid, details(need="money_debt", barrier=barrier), CLOCK)
    # A gap from October is outside November's report; a period inside a month is widened.
    old = add_person(db, family_name="Old", postcode="HV1 1AA")
    gaps.record_gap(db, old, details(recorded_on=date(2026, 10, 30)), CLOCK)
    report = gap_report(db, Period(date(2026, 11, 5), date(2026, 11, 20)), TODAY)
    assert report.period == NOVEMBER
    assert (report.gaps, report.people) == (12, 12)
    assert report.by_area == {
        ("HV1", "no_activity"): 3,
        ("HV1", "transport"): 4,
        ("HV3", "no_activity"): 3,
        ("HV3", "transport"): 2,
    }
    assert report.by_need == {("money_debt", "no_activity"): 6, ("money_debt", "transport"): 6}
    doc = gap_document(report)
    by_area = doc.table("gaps_by_area")
    assert by_area.columns[:3] == ["Area", "No suitable activity", "Cost"]
    assert by_area.rows[0][:5] == ["HV1", "<5", 0, 0, "<5"]
    assert by_area.rows[-1][0] == "All areas" and by_area.rows[-1][-1] == 10


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--db", str(store), "--today", TODAY.isoformat()])
    return result.exit_code, result.stdout, result.stderr


def one_line(code: int, err: str) -> str:
    assert code != 0 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err.strip()


def test_gaps_add_records_one_and_says_so(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    db = open_store(store)
    pid, _ = add_person_with_referral(db, postcode="HV4 9ZZ")
    db.close()
    code, out, err = run(
        store,
        "gaps",
        "add",
        str(pid),
        "--need",
        "Money and debt",
        "--barrier",
        "waiting list",
        "--note",
        "debt advice: 8 week wait",
    )
    assert code == 0, err
    assert out == f"recorded unmet need 1: Money and debt (waiting list) for person {pid}\n"
    db = open_store(store)
    assert db.execute("SELECT area, need, barrier FROM gaps").fetchone() == (
        "HV4",
        "money_debt",
        "waiting_list",
    )
    db.close()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["x", "--need", "housing", "--barrier", "cost"], "PERSON_ID: 'x' is not"),
        (["1", "--barrier", "cost"], "--need is needed"),
        (["1", "--need", "housing", "--barrier", "rain"], "--barrier: 'rain' is not one of"),
        (["1", "--need", "housing", "--barrier", "cost", "--on", "2027-01-01"], "--on:"),
        (["99", "--need", "housing", "--barrier", "cost"], "no person with id 99"),
    ],
)
def test_gaps_add_refuses_in_one_line(tmp_path: Path, args: list[str], words: str) -> None:
    store = tmp_path / "s.db"
    db = open_store(store)
    add_person(db)
    db.close()
    code, _, err = run(store, "gaps", "add", *args)
    assert words in one_line(code, err)


POPULATION = (
    "group,value,people\n"
    "age_band,65-74,1000\n"
    "sex,Female,5100\n"
    "sex,male,5000\n"
    "ethnicity,Asian or Asian British,900\n"
    "postcode_district,hv2,2500\n"
)


def test_a_population_loads_replacing_the_one_before(db: Database) -> None:
    assert population.load_population(db, POPULATION, "pop.csv", CLOCK) == 5
    assert population.population(db) == {
        "age_band": {"65-74": 1000},
        "ethnicity": {"asian": 900},
        "postcode_district": {"HV2": 2500},
        "sex": {"female": 5100, "male": 5000},
    }
    population.load_population(db, "group,value,people\nsex,female,10\n", "b.csv", CLOCK)
    assert population.population(db) == {"sex": {"female": 10}}
    assert population.loaded_at(db) == CLOCK.stamp()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("grp,value,people\n", "row 1: the header must be group,value,people"),
        ("group,value,people\n", "a header but no counts"),
        ("group,value,people\nage,65-74,3\n", "row 2, column group: 'age' is not one of"),
        ("group,value,people\nage_band,65-75,3\n", "row 2, column value: '65-75' is not an age"),
        ("group,value,people\nsex,female,3\nsex,x,3\n", "row 3, column value: 'x' is not one"),
        ("group,value,people\npostcode_district,HV2 1AB,3\n", "row 2, column value: 'HV2 1AB'"),
        ("group,value,people\nsex,female,-3\n", "row 2, column people: '-3' is not a whole"),
        ("group,value,people\nsex,female\n", "row 2: 2 columns, expected 3"),
        ("group,value,people\nsex,female,3\nsex,Female,4\n", "row 3, column value: sex"),
        ("group,value,people\nsex,female,²\n", "row 2, column people: '²' is not a whole"),
        ("group,value,people\nsex,female," + "9" * 40 + "\n", "more than 10,000,000 people"),
    ],
)
def test_a_bad_population_names_row_and_column_and_keeps_the_old(
    db: Database, text: str, words: str
) -> None:
    population.load_population(db, POPULATION, "pop.csv", CLOCK)
    with pytest.raises(population.PopulationError, match=words):
        population.load_population(db, text, "bad.csv", CLOCK)
    assert population.population(db)["sex"] == {"female": 5100, "male": 5000}


def test_population_load_from_the_command_line(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    open_store(store).close()
    good = tmp_path / "pop.csv"
    good.write_text(POPULATION, encoding="utf-8-sig")
    code, out, err = run(store, "population", "load", str(good))
    assert code == 0, err
    assert out == f"loaded the practice population: 5 groups from {good}\n"
    bad = tmp_path / "bad.csv"
    bad.write_text("group,value,people\nsex,female,lots\n")
    code, _, err = run(store, "population", "load", str(bad))
    assert "row 2, column people: 'lots' is not a whole number" in one_line(code, err)
    code, _, err = run(store, "population", "load", str(tmp_path / "none.csv"))
    assert "none.csv: no such file" in one_line(code, err)
