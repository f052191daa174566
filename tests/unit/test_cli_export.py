"""`linkworker export ...`: output, what is printed, and one-line failures for bad arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker.cli import main
from linkworker.store.db import open_store

TODAY = ["--today", "2026-11-23"]


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export", *args, "--db", str(store), *TODAY])
    return result.exit_code, result.stdout, result.stderr


def one_line_failure(code: int, err: str) -> str:
    assert code == 1, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkworker: "), err
    assert "Traceback" not in err
    return lines[0]


def first_person_with(db_path: Path, where: str) -> int:
    db = open_store(db_path)
    try:
        return int(
            db.execute(
                "SELECT p.id FROM people p JOIN referrals r ON r.person_id = p.id "
                f"WHERE {where} ORDER BY p.id LIMIT 1"
            ).fetchone()[0]
        )
    finally:
        db.close()


def test_person_message_prints_to_stdout(demo_path: Path) -> None:
    pid = first_person_with(demo_path, "r.status = 'discharged' AND p.consent_to_share_gp = 1")
    code, out, err = run(demo_path, "person", str(pid))
    assert code == 0, err
    assert out.startswith("SOCIAL PRESCRIBING: MESSAGE BACK TO GP AND REFERRER\n")
    assert "871731000000106 Referral to social prescribing service (procedure)" in out
    code, out, _ = run(demo_path, "person", str(pid), "--format", "json")
    assert code == 0 and json.loads(out)["person"]["id"] == pid
    code, out, _ = run(demo_path, "person", str(pid), "--format", "md")
    assert code == 0 and out.startswith("# Social prescribing: message back to GP and referrer")


def test_person_message_to_a_file_never_overwrites_without_force(
    demo_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "gp.txt"
    code, out, err = run(demo_path, "person", "1", "--output", str(target))
    assert code == 0, err
    assert out.startswith(f"wrote {target} (") and target.read_text().startswith("SOCIAL")
    target.write_text("edited by hand")
    line = one_line_failure(*run(demo_path, "person", "1", "--output", str(target))[::2])
    assert line == f"linkworker: {target} already exists; use --force to replace it"
    assert target.read_text() == "edited by hand"
    code, _, _ = run(demo_path, "person", "1", "--output", str(target), "--force")
    assert code == 0 and target.read_text().startswith("SOCIAL")


def test_declined_and_no_consent_from_the_command_line(demo_path: Path) -> None:
    declined = first_person_with(demo_path, "r.status = 'declined'")
    code, out, _ = run(demo_path, "person", str(declined))
    assert code == 0 and "871711000000103 Social prescribing declined (situation)" in out
    db = open_store(demo_path)
    db.execute("UPDATE people SET consent_to_share_gp = 0 WHERE id = ?", [declined])
    db.close()
    code, out, _ = run(demo_path, "person", str(declined))
    assert out.splitlines()[2].startswith("NOTE: The person has not consented")
    assert "871711000000103" in out and "REFERRAL" not in out


def test_caseload_report_in_every_format(demo_path: Path, tmp_path: Path) -> None:
    for fmt, name in (("csv", "csv"), ("csv", "r.zip"), ("json", "r.json"), ("md", "r.md")):
        code, out, err = run(
            demo_path,
            "caseload",
            "--from",
            "2026-07-01",
            "--to",
            "30/09/2026",
            "--format",
            fmt,
            "--output",
            str(tmp_path / name),
        )
        assert code == 0, err
        assert all(line.startswith("wrote ") for line in out.splitlines())
        assert err == ""
    assert (
        len(list((tmp_path / "csv").iterdir())) == 17
    )  # 00-13, then 15_involvement, 16_measures_recorded and 17_community_work
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["period"] == {"from": "2026-07-01", "to": "2026-09-30"}
    code, out, err = run(
        demo_path,
        "caseload",
        "--from",
        "2026-07-01",
        "--to",
        "2026-09-30",
        "--format",
        "html",
        "--output",
        str(tmp_path / "r.html"),
        "--identifiable",
    )
    assert code == 0 and out.startswith(f"wrote {tmp_path / 'r.html'}")
    assert err.splitlines()[0].startswith("warning: this report is IDENTIFIABLE (names, NHS")
    assert "IDENTIFIABLE" in (tmp_path / "r.html").read_text()


def test_a_period_of_other_days_is_widened_to_whole_months(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    args = ("--format", "json", "--output", str(target))
    code, _out, err = run(
        demo_path, "caseload", "--from", "2026-07-03", "--to", "2026-09-17", *args
    )
    assert code == 0, err
    assert err == (
        "note: The period asked for, 3 Jul 2026 to 17 Sep 2026, was widened to whole calendar "
        "months (1 Jul 2026 to 30 Sep 2026) so that reports cannot be compared day by day.\n"
    )
    data = json.loads(target.read_text())
    assert data["period"] == {"from": "2026-07-01", "to": "2026-09-30"}
    assert data["notices"][0].startswith("The period asked for, 3 Jul 2026 to 17 Sep 2026")


def test_subject_access_writes_json_and_markdown(demo_path: Path, tmp_path: Path) -> None:
    code, out, err = run(demo_path, "sar", "3", "--output", str(tmp_path / "p3.json"))
    assert code == 0, err
    assert out.splitlines()[0].startswith(f"wrote {tmp_path / 'p3.json'} (")
    assert out.splitlines()[1].startswith(f"wrote {tmp_path / 'p3.md'} (")
    assert json.loads((tmp_path / "p3.json").read_text())["tables"]["people"][0]["id"] == 3
    one_line_failure(*run(demo_path, "sar", "3", "--output", str(tmp_path / "p3.json"))[::2])
    code, _, _ = run(demo_path, "sar", "3", "--output", str(tmp_path / "p3.json"), "--force")
    assert code == 0


CASELOAD = "caseload --from 2026-01-01 --to 2026-09-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("person 999", "no person with id 999"),
        ("person abc", "ID: 'abc' is not a whole number"),
        ("person 1 --referral 9999", "no referral with id 9999"),
        ("person 1 --format pdf", "--format: 'pdf' is not one of text, md, json"),
        ("person 1 --output {tmp}/nowhere/x.txt", "the folder {tmp}/nowhere does not exist"),
        (
            "caseload --from 2026-10-01 --to 2026-09-01 --format md --output {tmp}/x.md",
            "--from 2026-10-01 is after --to 2026-09-01",
        ),
        (
            "caseload --from yesterday --to 2026-09-01 --format md --output {tmp}/x.md",
            "--from: 'yesterday' is not a date",
        ),
        ("caseload --to 2026-09-01", "--from is needed"),
        (
            f"{CASELOAD} --format xlsx --output {{tmp}}/x",
            "--format: 'xlsx' is not one of csv, json, md, html",
        ),
        (f"{CASELOAD} --format md", "--output is needed"),
        (
            f"{CASELOAD} --format html --output {{tmp}}/a-file/x.html",
            "{tmp}/a-file is not a folder",
        ),
        (
            f"{CASELOAD} --format csv --output {{tmp}}/q3.csv",
            "q3.csv ends in .csv, but CSV writes a folder of tables (one file each): give a "
            "folder name without a suffix, such as q3, or a name ending .zip",
        ),
        ("sar 999 --output {tmp}/s.json", "no person with id 999"),
        ("sar 1", "--output is needed"),
        ("sar 1 --output {tmp}/s.md", "give the JSON file name"),
    ],
)
def test_bad_arguments_are_one_line(
    demo_path: Path, tmp_path: Path, args: str, message: str
) -> None:
    (tmp_path / "a-file").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.db"))
    filled = [a.replace("{tmp}", str(tmp_path)) for a in args.split()]
    code, out, err = run(demo_path, *filled)
    line = one_line_failure(code, err)
    assert message.replace("{tmp}", str(tmp_path)) in line
    assert out == ""
    after = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.db"))
    assert after == before, "a failed export must not leave files behind"


def test_an_export_never_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    line = one_line_failure(*run(missing, "person", "1")[::2])
    assert "there is no store there" in line
    assert not missing.exists()
