"""`linkworker people list` and `linkworker referrals import` from the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.factories import open_store

from linkworker import people, referrals
from linkworker.cli import main
from linkworker.clock import fixed
from linkworker.models import DischargeReason, PersonDetails, ReferralDetails
from linkworker.referral_import import COLUMNS

TODAY = "2026-11-23"
HEADER = (
    "given_name,family_name,date_of_birth,nhs_number,postcode,phone,email,source,"
    "referrer_name,referrer_organisation,received_on,needs,urgency,reason,consent_to_share_gp"
)
GOOD = [
    "Joan,Smith,01/02/1950,943 476 5919,hv1 2ab,07700 900123,,GP practice,Dr Patel,"
    "Riverside Health Centre,20/11/2026,loneliness; money_debt,soon,Lonely since her husband "
    "died,yes",
    "Tomasz,Nowak,1962-07-14,,HV2 3CD,,tomasz@example.org,housing,A. Clarke,Haverleigh Homes,"
    "2026-11-18,housing,,,no",
    'Aisha,Khan,,,,,,self,,,19/11/2026,mental_wellbeing,routine,"Wants to get out more,\n'
    'meet people",',
]
BAD_NHS = "Peter,Brown,03/03/1944,943 476 5918,,,,pharmacy,,,21/11/2026,,,,"  # check digit wrong


def run(*args: str) -> tuple[int, str, str]:
    # These stores are plain SQLite by explicit choice (the security tests cover encryption).
    result = CliRunner().invoke(main, [*args, "--unencrypted", "--create"])
    return result.exit_code, result.stdout, result.stderr


def write(
    tmp_path: Path, lines: list[str], *, name: str = "referrals.csv", bom: bool = False
) -> Path:
    path = tmp_path / name
    text = "\n".join(lines) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def counts(store: Path) -> tuple[int, int]:
    db = open_store(store)
    try:
        row = db.execute(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM referrals)"
        ).fetchone()
        return int(row[0]), int(row[1])
    finally:
        db.close()


def imp(store: Path, csv_path: Path, *extra: str) -> tuple[int, str, str]:
    return run("referrals", "import", str(csv_path), "--db", str(store), "--today", TODAY, *extra)


def test_a_good_file_is_imported_and_listed(tmp_path: Path, store_path: Path) -> None:
    code, out, err = imp(store_path, write(tmp_path, [HEADER, *GOOD], bom=True))
    assert code == 0, err
    assert "imported 3 of 3 referrals" in out and "3 new people, 0 re-referrals" in out
    code, out, _ = run("people", "list", "--json", "--db", str(store_path))
    listed = json.loads(out)
    assert [(p["given_name"], p["family_name"], p["status"]) for p in listed] == [
        ("Aisha", "Khan", "received"),
        ("Tomasz", "Nowak", "received"),
        ("Joan", "Smith", "received"),
    ]
    assert all(isinstance(p["id"], int) for p in listed)
    db = open_store(store_path)
    joan = people.get_person(db, next(p["id"] for p in listed if p["given_name"] == "Joan"))
    referral = referrals.latest_referral(db, int(joan["id"]))
    aisha = referrals.latest_referral(
        db, next(p["id"] for p in listed if p["given_name"] == "Aisha")
    )
    db.close()
    assert (joan["nhs_number"], joan["postcode"], joan["consent_to_share_gp"]) == (
        "9434765919",
        "HV1 2AB",
        1,
    )
    assert referral is not None and aisha is not None
    assert (referral["source"], referral["urgency"], referral["needs"]) == (
        "gp_practice",
        "soon",
        '["loneliness", "money_debt"]',
    )
    assert aisha["reason"] == "Wants to get out more,\nmeet people"


def test_one_bad_row_writes_nothing_and_names_the_row(tmp_path: Path, store_path: Path) -> None:
    code, _, err = imp(store_path, write(tmp_path, [HEADER, GOOD[0], BAD_NHS, GOOD[1]]))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0] == ("row 3: nhs_number: is not a valid NHS number (check digit does not match)")
    assert "nothing written: 1 of 3 rows have problems" in lines[-1]
    assert "--keep-good to import the 2 good rows" in lines[-1]
    assert counts(store_path) == (0, 0)


def test_keep_good_writes_the_rest_and_still_reports(tmp_path: Path, store_path: Path) -> None:
    code, out, err = imp(
        store_path, write(tmp_path, [HEADER, GOOD[0], BAD_NHS, GOOD[1]]), "--keep-good"
    )
    assert code == 1
    assert "row 3: nhs_number: is not a valid NHS number" in err
    assert "1 of 3 rows not imported" in err
    assert "imported 2 of 3 referrals" in out
    assert counts(store_path) == (2, 2)


def test_every_problem_of_every_row_is_reported(tmp_path: Path, store_path: Path) -> None:
    rows = [
        HEADER,
        ",Smith,31/02/1950,,,,,gp,,,20/11/2026,,,,",
        "Ann,Lee,,,XX1,0123,not-an-email,self,,,24/11/2026,knitting,very,,maybe",
    ]
    code, _, err = imp(store_path, write(tmp_path, rows))
    assert code == 1
    problems = err.strip().splitlines()[:-1]
    assert "row 2: given_name: is required" in problems
    assert any(p.startswith("row 2: date_of_birth: '31/02/1950' is not a date") for p in problems)
    assert any(p.startswith("row 2: source: 'gp' is not one of") for p in problems)
    for field in ("postcode", "phone", "email", "received_on", "needs", "urgency"):
        assert any(p.startswith(f"row 3: {field}: ") for p in problems), field
    assert "row 3: consent_to_share_gp: must be yes or no" in problems
    assert "row 3: received_on: 24 Nov 2026 is in the future" in problems


def _discharged(store: Path, **person: object) -> int:
    db = open_store(store)
    clock = fixed(date(2026, 11, 23))
    try:
        result = referrals.take_referral(
            db,
            ReferralDetails(source="self", received_on=date(2026, 5, 1)),
            clock,
            person=PersonDetails.model_validate(person),
        )
        referrals.accept(db, result.referral_id, date(2026, 5, 2), clock)
        referrals.discharge(
            db, result.referral_id, date(2026, 9, 1), DischargeReason.GOALS_MET, None, clock
        )
        return result.person_id
    finally:
        db.close()


def test_duplicates_are_matched_as_at_intake(tmp_path: Path, store_path: Path) -> None:
    joan = _discharged(store_path, given_name="Joan", family_name="Smith", nhs_number="9434765919")
    tomasz = _discharged(
        store_path, given_name="TOMASZ", family_name="nowak", date_of_birth="1962-07-14"
    )
    code, out, err = imp(store_path, write(tmp_path, [HEADER, GOOD[0], GOOD[1]]))
    assert code == 0, err
    assert "0 new people, 2 re-referrals" in out
    db = open_store(store_path)
    episodes = dict(db.execute("SELECT person_id, count(*) FROM referrals GROUP BY 1").fetchall())
    filled = people.get_person(db, joan)
    db.close()
    assert episodes == {joan: 2, tomasz: 2}
    assert filled["postcode"] == "HV1 2AB" and filled["date_of_birth"] == "1950-02-01"
    assert counts(store_path)[0] == 2


def test_a_person_with_an_open_referral_is_reported_not_referred_twice(
    tmp_path: Path, store_path: Path
) -> None:
    # The same new person twice in one file: the second row meets the first one's open referral.
    code, _, err = imp(store_path, write(tmp_path, [HEADER, GOOD[0], GOOD[0]]))
    assert code == 1
    assert err.startswith("row 3: nhs_number: this is Joan Smith")
    assert "already has an open referral" in err
    assert counts(store_path) == (0, 0)


def test_an_nhs_number_on_someone_quite_different_is_reported(
    tmp_path: Path, store_path: Path
) -> None:
    _discharged(store_path, given_name="Zed", family_name="Zulu", nhs_number="9434765919")
    code, _, err = imp(store_path, write(tmp_path, [HEADER, GOOD[0]]))
    assert code == 1
    assert "row 2: nhs_number: belongs to Zed Zulu" in err and "check the number" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a CSV text file"),
        ("given_name,family_name\nJos\xe9,Ruiz\n".encode("latin-1"), "is not UTF-8 text"),
        (b"name,age\nJoan,76\n", "the first row is not a header of referral columns"),
        (
            b"given_name,family_name,source\nJoan,Smith,self\n",
            "missing required column received_on",
        ),
        (
            f"{HEADER},shoe_size\n{GOOD[0]},9\n".encode(),
            "unknown column shoe_size",
        ),
        (f"{HEADER}\n".encode(), "has a header but no referrals"),
        (b'given_name,family_name,source,received_on\n"Joan,Smith\n', "not a well-formed CSV"),
    ],
)
def test_files_that_cannot_be_imported_get_one_line(
    tmp_path: Path, store_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    code, out, err = imp(store_path, path)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert "Traceback" not in err


def test_a_missing_file_is_one_line(tmp_path: Path, store_path: Path) -> None:
    code, _, err = imp(store_path, tmp_path / "nope.csv")
    assert code == 1 and "nope.csv: no such file" in err


def test_semicolon_separated_files_from_excel_work(tmp_path: Path, store_path: Path) -> None:
    lines = [
        "given_name;family_name;source;received_on;needs",
        "Joan;Smith;GP practice;20/11/2026;loneliness,housing",
    ]
    code, out, err = imp(store_path, write(tmp_path, lines, bom=True))
    assert code == 0, err
    assert "imported 1 of 1" in out


def test_row_numbers_count_spreadsheet_rows_not_lines(tmp_path: Path, store_path: Path) -> None:
    # GOOD[2] holds a line break inside quotes: it is one spreadsheet row (row 2).
    code, _, err = imp(store_path, write(tmp_path, [HEADER, GOOD[2], "", BAD_NHS]))
    assert code == 1
    assert err.startswith("row 4: nhs_number:")


def test_the_template_lists_every_column() -> None:
    code, out, _ = run("referrals", "template")
    assert code == 0 and out.strip().split(",") == list(COLUMNS)


def test_people_list_text_and_status_filter(tmp_path: Path, store_path: Path) -> None:
    imp(store_path, write(tmp_path, [HEADER, *GOOD]))
    db = open_store(store_path)
    clock = fixed(date(2026, 11, 23))
    rid = db.execute(
        "SELECT r.id FROM referrals r JOIN people p ON p.id = r.person_id "
        "WHERE p.given_name = 'Joan'"
    ).fetchone()[0]
    referrals.accept(db, rid, date(2026, 11, 21), clock)
    zulu = people.add_person(db, PersonDetails(given_name="[bold]Esc", family_name="Zulu"), clock)
    # No form lets an escape code in any more (issue 19); an old store may still hold one.
    db.execute("UPDATE people SET given_name = ? WHERE id = ?", ["[bold]Esc\x1b[31m", zulu])
    db.close()
    code, out, _ = run("people", "list", "--db", str(store_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "name", "born", "NHS", "number", "status", "referred"]
    assert any(
        "Smith, Joan" in line and "943 476 5919" in line and "Accepted" in line for line in lines
    )
    assert any("Zulu, [bold]Esc␛[31m" in line and "no referral" in line for line in lines)
    assert "\x1b" not in out and lines[-1] == "4 people"
    code, out, _ = run("people", "list", "--status", "ACCEPTED", "--json", "--db", str(store_path))
    assert [p["given_name"] for p in json.loads(out)] == ["Joan"]
    code, out, _ = run("people", "list", "--status", "none", "--json", "--db", str(store_path))
    assert [p["family_name"] for p in json.loads(out)] == ["Zulu"]
    code, _, err = run("people", "list", "--status", "lost", "--db", str(store_path))
    assert code == 2 and "'lost' is not one of" in err


@pytest.mark.parametrize(
    ("on_record", "differs"),
    [
        ({"given_name": "Joan", "family_name": "Smith", "date_of_birth": "1948-06-30"}, "date"),
        ({"given_name": "Jean", "family_name": "Smith", "date_of_birth": "1950-02-01"}, "given"),
    ],
)
def test_an_nhs_number_whose_name_or_birthday_differs_is_refused(
    tmp_path: Path, store_path: Path, on_record: dict[str, str], differs: str
) -> None:
    # Issue 13 item 2, the intake form's rule: the name OR the date of birth differing is
    # enough (main refused only when the family name and the date of birth both differed).
    _discharged(store_path, nhs_number="9434765919", **on_record)
    code, _, err = imp(store_path, write(tmp_path, [HEADER, GOOD[0]]))
    assert code == 1
    assert "row 2: nhs_number: belongs to" in err and f"whose {differs}" in err
    assert "check the number" in err
    assert counts(store_path) == (1, 1)


def test_a_row_received_over_a_year_ago_or_over_110_is_taken_and_reported(
    tmp_path: Path, store_path: Path
) -> None:
    # Issue 13 item 3: "received in 2001" is not taken without a word.
    old = "Edith,Old,02/01/1910,,,,,self,,,20/11/2026,,,,"
    late = "Len,Late,,,,,,self,,,05/03/2001,,,,"
    code, out, err = imp(store_path, write(tmp_path, [HEADER, old, late, GOOD[1]]))
    assert code == 0, err
    assert "imported 3 of 3 referrals" in out
    lines = err.splitlines()
    assert "check row 2: date_of_birth: a date of birth of 2 Jan 1910 makes them 116" in lines[0]
    assert lines[1].startswith("check row 3: received_on: the referral was received on 5 Mar 2001")
    assert "over a year ago (taken as given)" in lines[1]
    assert len(lines) == 2
