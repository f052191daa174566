"""Exports: the message back to the GP, the commissioner report in every format, and subject
access (the file writer itself is tested in test_writer.py)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from linkworker import measures, people, referrals, reports, subject_access
from linkworker.clock import Clock
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.charts import text_bars
from linkworker.formats.gp_message import (
    gp_message_json,
    gp_message_markdown,
    gp_message_text,
    render_gp_message,
)
from linkworker.formats.report_document import INFORMATION_STANDARD_GROUPS
from linkworker.formats.report_files import caseload_csv_files, caseload_markdown
from linkworker.formats.subject_access import sar_markdown, sar_paths
from linkworker.formats.text import md
from linkworker.formats.writer import ExportError
from linkworker.models import (
    SNOMED_DECLINED,
    SNOMED_REFERRED,
    ContactDetails,
    DischargeReason,
    FlagDetails,
    PersonDetails,
    ReferralDetails,
)
from linkworker.reports import Period
from linkworker.reports.export import CaseloadRequest, export_caseload, export_sar
from linkworker.store import audit
from linkworker.store.db import Database
from linkworker.validation import format_date, format_nhs_number

NHS = "9434765919"
BROAD = Period(date(2025, 5, 1), date(2026, 11, 23))


# --- a whole episode, written through the core (so the audit trail is real) -------------


def add_person(
    db: Database, clock: Clock, *, consent: bool | None = True, nhs: str | None = NHS, **more: Any
) -> int:
    details = PersonDetails.model_validate(
        {
            "given_name": "Edith",
            "family_name": "Crawley",
            "date_of_birth": "1948-02-14",
            "nhs_number": nhs,
            "postcode": "HV2 7QT",
            "gp_practice": "Castle Street Surgery",
            "consent_to_share_gp": consent,
            **more,
        },
        context={"today": clock.today()},
    )
    return people.add_person(db, details, clock)


def add_referral(
    db: Database, clock: Clock, pid: int, received: str, consent: bool | None = None
) -> int:
    details = ReferralDetails.model_validate(
        {
            "source": "gp_practice",
            "referrer_name": "Dr S Grant",
            "received_on": received,
            "needs": ["loneliness", "bereavement"],
            "reason": "Lonely since her husband died; stopped going out.",
            "consent_to_share_gp": consent,
        },
        context={"today": clock.today()},
    )
    return referrals.add_referral(db, pid, details, clock)


def add_measure(
    db: Database,
    clock: Clock,
    pid: int,
    rid: int,
    kind: str,
    stage: str,
    day: str,
    answers: dict[str, int],
) -> int:
    scored = measures.score(kind, answers)
    return audit.insert(
        db,
        "measures",
        {
            "person_id": pid,
            "referral_id": rid,
            "kind": kind,
            "stage": stage,
            "taken_on": day,
            "answers": answers,
            # As JSON text: audit.to_db would encode the nested "values" dict a second time.
            "scores": scored.model_dump_json(),
            "complete": scored.complete,
        },
        person_id=pid,
        clock=clock,
    )


def swemwbs(value: int) -> dict[str, int]:
    return {k: value for k in measures.definition("swemwbs").item_keys}


def build_episode(db: Database, clock: Clock, *, consent: bool | None = True) -> dict[str, int]:
    """Edith: referred, accepted, three contacts, a plan, measured twice, discharged."""
    pid = add_person(db, clock, consent=consent)
    rid = add_referral(db, clock, pid, "2026-08-03")
    referrals.accept(db, rid, date(2026, 8, 5), clock)
    for day in ("2026-08-05T10:00:00", "2026-08-19T10:00:00", "2026-10-28T14:30:00"):
        referrals.log_contact(db, pid, ContactDetails(contact_at=day, mode="phone"), clock)
    conversation = audit.insert(
        db,
        "conversations",
        {
            "person_id": pid,
            "referral_id": rid,
            "held_on": "2026-08-05",
            "what_matters": "Singing again, like she did in the chapel choir.",
            "strengths": "Warm, funny, knows everyone on her street.",
            "needs": {"loneliness": "Sees nobody most days."},
        },
        person_id=pid,
        clock=clock,
    )
    goal = audit.insert(
        db,
        "goals",
        {
            "person_id": pid,
            "referral_id": rid,
            "conversation_id": conversation,
            "description": "Go to the community choir twice this month",
            "status": "achieved",
            "set_on": "2026-08-05",
            "status_changed_on": "2026-09-30",
        },
        person_id=pid,
        clock=clock,
    )
    audit.insert(
        db,
        "actions",
        {"goal_id": goal, "description": "Ask about a lift to choir", "owner": "link_worker"},
        person_id=pid,
        clock=clock,
    )
    audit.insert(
        db,
        "goal_reviews",
        {"goal_id": goal, "reviewed_on": "2026-09-30", "status": "achieved", "note": "Went 3x"},
        person_id=pid,
        clock=clock,
    )
    activity = int(
        db.execute(
            "INSERT INTO activities (source_id, name, organisation, categories, created_at, "
            "updated_at) VALUES ('t-choir', 'Haverleigh Community Choir', 'Haverleigh Arts', "
            "'[\"Arts and music\"]', '2026-01-01', '2026-01-01')"
        ).lastrowid
        or 0
    )
    audit.insert(
        db,
        "connections",
        {
            "person_id": pid,
            "activity_id": activity,
            "referral_id": rid,
            "kind": "referral",
            "status": "attending",
            "suggested_on": "2026-08-19",
            "referred_on": "2026-08-20",
            "attended_on": "2026-08-27",
            "status_changed_on": "2026-08-27",
            "feedback": "Loves it; goes with her neighbour.",
        },
        person_id=pid,
        clock=clock,
    )
    ons = {"life_satisfaction": 3, "worthwhile": 4, "happiness": 2, "anxiety": 8}
    add_measure(db, clock, pid, rid, "ons4", "baseline", "2026-08-05", ons)
    add_measure(
        db,
        clock,
        pid,
        rid,
        "ons4",
        "follow_up",
        "2026-10-28",
        {"life_satisfaction": 7, "worthwhile": 7, "happiness": 6, "anxiety": 3},
    )
    add_measure(db, clock, pid, rid, "swemwbs", "baseline", "2026-08-05", swemwbs(2))
    add_measure(db, clock, pid, rid, "swemwbs", "follow_up", "2026-10-28", swemwbs(4))
    add_measure(
        db,
        clock,
        pid,
        rid,
        "ucla3",
        "baseline",
        "2026-08-05",
        {"companionship": 3, "left_out": 3, "isolated": 3},
    )
    referrals.discharge(
        db, rid, date(2026, 10, 30), DischargeReason.GOALS_MET, "Settled at choir.", clock
    )
    return {"person": pid, "referral": rid, "activity": activity}


# --- message back to GP and referrer ----------------------------------------------------


def test_the_message_holds_the_whole_episode(db: Database, clock: Clock, today: date) -> None:
    ids = build_episode(db, clock)
    message = reports.gp_message(db, ids["person"], today)
    text = gp_message_text(message)
    for expected in (
        "Patient: Edith Crawley",
        "Date of birth: 14/02/1948",
        "NHS number: 943 476 5919",
        "Received: 03/08/2026 from GP practice (Dr S Grant)",
        "Reason: Lonely since her husband died; stopped going out.",
        "Needs: Loneliness and isolation, Bereavement",
        "Singing again, like she did in the chapel choir.",
        "- Go to the community choir twice this month: achieved",
        "- Haverleigh Community Choir (Haverleigh Arts), referred 19/08/2026: still attending "
        "since 27/08/2026",
        "Feedback: Loves it; goes with her neighbour.",
        "3 contacts from 05/08/2026 to 28/10/2026",
        "life satisfaction: 3 -> 7 (+4, better)",
        "anxiety: 8 -> 3 (-5, better)",
        "SWEMWBS metric score: 15.32 -> 25.03 (+9.71, better)",
        measures.SWEMWBS_COPYRIGHT,
        "UCLA3 (05/08/2026)",
        "last follow-up: not taken",
        "Reason: Goals met",
        "Summary: Settled at choir.",
        f"{SNOMED_REFERRED[0]} {SNOMED_REFERRED[1]}, 05/08/2026",
    ):
        assert expected in text, expected
    assert SNOMED_DECLINED[0] not in text
    assert "NOTE:" not in text
    # The Markdown and JSON say the same.
    markdown = gp_message_markdown(message)
    assert "| 871731000000106 | Referral to social prescribing service (procedure) |" in markdown
    assert "Haverleigh Community Choir" in markdown and "SWEMWBS ©" in markdown
    data = json.loads(gp_message_json(message))
    assert data["snomed_ct"] == [
        {"code": SNOMED_REFERRED[0], "term": SNOMED_REFERRED[1], "recorded_on": "2026-08-05"}
    ]
    assert data["contacts"]["contacts"] == 3
    assert data["outcome_measures"][1]["change"][0]["difference"] == pytest.approx(9.71)
    assert data["activities"][0]["status"] == "attending"


def test_a_declined_referral_carries_the_declined_code(
    db: Database, clock: Clock, today: date
) -> None:
    pid = add_person(db, clock)
    rid = add_referral(db, clock, pid, "2026-11-02")
    referrals.decline(db, rid, date(2026, 11, 4), clock, "Managing for now")
    text = gp_message_text(reports.gp_message(db, pid, today))
    assert f"{SNOMED_DECLINED[0]} {SNOMED_DECLINED[1]}, 04/11/2026" in text
    assert SNOMED_REFERRED[0] not in text
    assert "Declined social prescribing on 04/11/2026 (Managing for now)" in text


def test_every_demo_episode_gets_the_codes_its_history_calls_for(
    demo_db: Database, today: date
) -> None:
    seen = set()
    for r in demo_db.query("SELECT * FROM referrals"):
        codes = [c.code for c in reports.gp_message(demo_db, r["person_id"], today, r["id"]).codes]
        expected = []
        if r["status"] in ("accepted", "discharged"):
            expected.append(SNOMED_REFERRED[0])
        if r["status"] == "declined":
            expected.append(SNOMED_DECLINED[0])
        assert codes == expected, r
        seen.add(r["status"])
    assert {"accepted", "declined", "discharged", "not_reached"} <= seen


@pytest.mark.parametrize(
    ("person_consent", "referral_consent", "words"),
    [
        (False, None, "has not consented"),
        (None, None, "Consent to share with the GP is not recorded"),
        (True, False, "has not consented"),
    ],
)
def test_without_consent_the_message_gives_only_who_and_the_codes(
    db: Database,
    clock: Clock,
    today: date,
    person_consent: bool | None,
    referral_consent: bool | None,
    words: str,
) -> None:
    ids = build_episode(db, clock, consent=person_consent)
    if referral_consent is not None:
        db.execute(
            "UPDATE referrals SET consent_to_share_gp = ? WHERE id = ?",
            [int(referral_consent), ids["referral"]],
        )
    message = reports.gp_message(db, ids["person"], today)
    assert not message.shares_detail
    text = gp_message_text(message)
    lines = text.splitlines()
    assert lines[2].startswith("NOTE: ") and words in lines[2]
    assert "Patient: Edith Crawley" in text and "943 476 5919" in text
    assert f"{SNOMED_REFERRED[0]} {SNOMED_REFERRED[1]}" in text
    for private in (
        "Lonely since",
        "Singing again",
        "choir",
        "Choir",
        "contacts from",
        "SWEMWBS",
        "Goals met",
        "Settled",
        "Castle Street",
    ):
        for rendered in (
            text,
            gp_message_markdown(message),
            gp_message_json(message),
        ):
            assert private not in rendered, private
    data = json.loads(gp_message_json(message))
    assert data["details_included"] is False and "what_matters" not in data


def test_the_episode_can_be_chosen_and_must_be_the_persons(
    db: Database, clock: Clock, today: date
) -> None:
    ids = build_episode(db, clock)
    later = add_referral(db, clock, ids["person"], "2026-11-10")
    assert reports.gp_message(db, ids["person"], today).referral_id == later
    assert reports.gp_message(db, ids["person"], today, ids["referral"]).discharged_on
    other = add_person(db, clock, nhs=None, given_name="Olu")
    with pytest.raises(LookupError, match=f"referral {later} is not one of person {other}'s"):
        reports.gp_message(db, other, today, later)
    with pytest.raises(LookupError, match=f"person {other} has no referral"):
        reports.gp_message(db, other, today)
    with pytest.raises(LookupError, match="no person with id 999"):
        reports.gp_message(db, 999, today)
    with pytest.raises(LookupError, match="no referral with id 999"):
        reports.gp_message(db, ids["person"], today, 999)


def test_stored_text_is_shown_literally(db: Database, clock: Clock, today: date) -> None:
    pid = add_person(db, clock, given_name="*Bob*", family_name="[bold red]Evil[/]")
    rid = add_referral(db, clock, pid, "2026-11-02")
    db.execute(
        "UPDATE referrals SET reason = ? WHERE id = ?", ["Bad \x1b[31mred\x1b[0m _day_", rid]
    )
    message = reports.gp_message(db, pid, today)
    text = gp_message_text(message)
    assert "Patient: *Bob* [bold red]Evil[/]" in text
    assert "\x1b" not in text and "␛[31mred␛[0m" in text
    markdown = gp_message_markdown(message)
    assert r"\*Bob\* \[bold red\]Evil\[/\]" in markdown and r"\_day\_" in markdown


# --- subject access ---------------------------------------------------------------------


def test_the_subject_access_export_holds_every_record_measure_and_audit_entry(
    db: Database, clock: Clock
) -> None:
    ids = build_episode(db, clock)
    pid = ids["person"]
    people.add_flag(db, pid, FlagDetails(kind="lone_working", note="Dog"), clock)
    audit.update(db, "people", pid, {"phone": "07700 900123"}, person_id=pid, clock=clock)
    other = add_person(db, clock, nhs=None, given_name="Ophelia", family_name="Notme")
    add_referral(db, clock, other, "2026-11-01")

    data = subject_access.subject_access(db, pid, clock.stamp())
    tables = data["tables"]
    for name in (
        "people",
        "referrals",
        "contacts",
        "flags",
        "conversations",
        "goals",
        "goal_reviews",
        "actions",
        "measures",
        "connections",
        "followups",
        "audit",
    ):
        assert name in tables, name
    stored = list(db.query("SELECT * FROM measures WHERE person_id = ? ORDER BY id", [pid]))
    assert len(tables["measures"]) == len(stored) == 5
    for row, original in zip(tables["measures"], stored, strict=True):
        assert row["answers"] == json.loads(original["answers"])
        assert row["scores"] == json.loads(original["scores"])
        assert [i["item"] for i in row["items"]] == list(measures.definition(row["kind"]).item_keys)
        assert all(i["wording"] and i["answer"] is not None for i in row["items"])
    swemwbs_row = next(r for r in tables["measures"] if r["kind"] == "swemwbs")
    assert swemwbs_row["scores"]["values"] == {"raw": 14.0, "metric": 15.32}
    assert swemwbs_row["items"][0]["answer_label"] == "rarely"
    entries = list(db.query("SELECT id FROM audit WHERE person_id = ? ORDER BY id", [pid]))
    assert [a["id"] for a in tables["audit"]] == [e["id"] for e in entries]
    assert len(entries) > 15
    assert any(a["field"] == "phone" and a["new"] == "07700 900123" for a in tables["audit"])
    assert len(tables["actions"]) == 1 and len(tables["goal_reviews"]) == 1
    assert data["activities_referred_to"][0]["name"] == "Haverleigh Community Choir"
    assert data["notices"] == [measures.SWEMWBS_COPYRIGHT]
    text = json.dumps(data, ensure_ascii=False)
    assert "Ophelia" not in text and "Notme" not in text

    markdown = sar_markdown(data)
    assert markdown.startswith("# Subject access export")
    assert "**Edith Crawley**" in markdown
    for item in measures.definition("swemwbs").items:
        assert item.wording in markdown
    assert "| I've been feeling useful | rarely (2) |" in markdown
    assert "## Audit trail: every recorded change to this record" in markdown
    assert "| phone | " in markdown and "07700 900123" in markdown
    assert "- **NHS number:** 943 476 5919" in markdown
    assert "Lone-working risk" in markdown and measures.SWEMWBS_COPYRIGHT in markdown
    assert "Ophelia" not in markdown


def test_a_table_added_later_is_part_of_the_subject_access_export(
    db: Database, clock: Clock
) -> None:
    pid = add_person(db, clock)
    db.execute("CREATE TABLE letters (id INTEGER PRIMARY KEY, person_id INTEGER, body TEXT)")
    db.execute("INSERT INTO letters (person_id, body) VALUES (?, 'Dear Edith')", [pid])
    data = subject_access.subject_access(db, pid, clock.stamp())
    assert data["tables"]["letters"] == [{"id": 1, "person_id": pid, "body": "Dear Edith"}]
    assert "Dear Edith" in sar_markdown(data)


def test_subject_access_for_an_unknown_person(db: Database, clock: Clock) -> None:
    with pytest.raises(LookupError, match="no person with id 4"):
        subject_access.subject_access(db, 4, clock.stamp())


def test_export_sar_writes_json_and_markdown_beside_it(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    pid = build_episode(db, clock)["person"]
    written = export_sar(db, pid, tmp_path / "edith.json", generated_at=clock.stamp())
    assert written == [tmp_path / "edith.json", tmp_path / "edith.md"]
    assert json.loads(written[0].read_text())["export"]["person_id"] == pid
    assert sar_paths(tmp_path / "edith") == (tmp_path / "edith", tmp_path / "edith.md")
    with pytest.raises(ExportError, match="give the JSON file name"):
        sar_paths(tmp_path / "edith.md")
    # Both are checked before either is written.
    (tmp_path / "other.md").write_text("mine")
    with pytest.raises(ExportError, match=r"other\.md already exists"):
        export_sar(db, pid, tmp_path / "other.json", generated_at=clock.stamp())
    assert not (tmp_path / "other.json").exists()
    assert (tmp_path / "other.md").read_text() == "mine"


# --- the commissioner report: every format ----------------------------------------------


def read_export(paths: list[Path]) -> dict[str, str]:
    """Every file written (and every member of a zip) as text."""
    out: dict[str, str] = {}
    for path in paths:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    out[f"{path.name}/{name}"] = archive.read(name).decode("utf-8-sig")
        else:
            out[path.name] = path.read_bytes().decode("utf-8-sig")
    return out


def export_every_format(
    db: Database, folder: Path, today: date, period: Period = BROAD, **kwargs: Any
) -> dict[str, str]:
    written: list[Path] = []
    for fmt, name in (
        ("csv", "csv-folder"),
        ("csv", "report.zip"),
        ("json", "report.json"),
        ("md", "report.md"),
        ("html", "report.html"),
    ):
        written += export_caseload(db, CaseloadRequest(period, fmt, folder / name, today, **kwargs))
    return read_export(written)


def identifiers(db: Database) -> list[str]:
    """Everything that identifies someone, in every form an export might spell it."""
    found: list[str] = []
    for p in db.query("SELECT * FROM people"):
        found.append(f"{p['given_name']} {p['family_name']}")
        if p["nhs_number"]:
            found += [p["nhs_number"], format_nhs_number(p["nhs_number"])]
        if p["date_of_birth"]:
            dob = p["date_of_birth"]
            found += [dob, format_date(dob), format_date(dob, "numeric")]
        if p["postcode"]:
            found.append(p["postcode"])
    return found


def test_no_default_export_file_holds_a_name_nhs_number_dob_or_postcode(
    demo_db: Database, tmp_path: Path, today: date
) -> None:
    files = export_every_format(demo_db, tmp_path, today)
    assert len(files) == 17 + 17 + 3  # CSV folder, zip members, json/md/html
    secrets = identifiers(demo_db)
    assert len(secrets) > 200
    for name, text in files.items():
        for secret in secrets:
            assert secret not in text, (name, secret)
        assert "IDENTIFIABLE" not in text
    # The check can fail: the identifiable report holds them and says so.
    (tmp_path / "id").mkdir()
    identifiable = export_every_format(demo_db, tmp_path / "id", today, identifiable=True)
    everything = "\n".join(identifiable.values())
    assert sum(secret in everything for secret in secrets) > 100
    for name, text in identifiable.items():
        if name.endswith(("report.json", "report.md", "report.html", "00_about.csv")):
            assert reports.IDENTIFIABLE_NOTICE in text, name


def test_default_counts_are_suppressed_and_rounded(
    demo_db: Database, tmp_path: Path, today: date
) -> None:
    export_caseload(demo_db, CaseloadRequest(BROAD, "json", tmp_path / "r.json", today))
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["pseudonymised"] is True and data["disclosure_rule"] == reports.DISCLOSURE_RULE
    cells = [
        (column, value)
        for group in data["groups"]
        for table in group["tables"]
        for row in table["rows"]
        for column, value in row.items()
    ]
    counts = [v for c, v in cells if isinstance(v, int) and not c.endswith("(%)")]
    assert counts and all(v % 5 == 0 for v in counts)
    assert sum(v == "<5" for _, v in cells) >= 5
    assert all(not isinstance(v, int) or v % 5 == 0 for v in data["headline"].values())


def test_identifiable_counts_are_exact(demo_db: Database, tmp_path: Path, today: date) -> None:
    report = reports.caseload_report(demo_db, BROAD, today, with_episodes=True)
    doc = caseload_document(report, identifiable=True)
    sources = {r[0]: r[1] for r in doc.table("referrals_by_source").rows}
    assert sources["All referrals"] == report.referrals_received
    assert sources["GP practice"] == report.referrals_by_source["gp_practice"]
    assert doc.table("episodes").rows
    suppressed = caseload_document(report)
    with pytest.raises(KeyError):
        suppressed.table("episodes")


def feasible(shown: int | str | None) -> range:
    """The true counts a shown count can stand for under the rule (which it must follow)."""
    if shown == "<5":
        return range(1, 5)
    assert isinstance(shown, int) and shown % 5 == 0, shown
    if shown == 0:
        return range(0, 1)
    return range(max(5, shown - 2), shown + 3)


@pytest.mark.parametrize(
    "period",
    [
        Period(date(2026, 10, 1), date(2026, 10, 31)),
        Period(date(2026, 7, 1), date(2026, 9, 30)),
        BROAD,
    ],
    ids=["month", "quarter", "all"],
)
def test_no_total_backs_out_a_suppressed_cell(
    demo_db: Database, today: date, period: Period
) -> None:
    doc = caseload_document(reports.caseload_report(demo_db, period, today))
    checked = 0
    for key in (
        "age_bands",
        "sex",
        "ethnicity",
        "postcode_areas",
        "referrals_by_month",
        "referrals_by_source",
        "discharges_by_reason",
    ):
        table = doc.table(key)
        *cells, total = [row[1] for row in table.rows]
        ranges = [feasible(c) for c in cells]
        totals = feasible(total)
        for i, shown in enumerate(cells):
            if shown != "<5":
                continue
            low_rest = sum(r.start for j, r in enumerate(ranges) if j != i)
            high_rest = sum(r.stop - 1 for j, r in enumerate(ranges) if j != i)
            possible = [v for v in ranges[i] if any(low_rest <= t - v <= high_rest for t in totals)]
            assert len(possible) >= 2, (key, table.rows[i], possible)
            checked += 1
    assert checked > 3


def test_shares_agree_with_the_counts_beside_them(demo_db: Database, today: date) -> None:
    doc = caseload_document(reports.caseload_report(demo_db, BROAD, today))
    for row in doc.table("activities_by_category").rows[:-1]:
        _, made, attended, share = row
        if isinstance(share, int):
            assert isinstance(made, int) and isinstance(attended, int)
            assert share == int(100 * attended / made + 0.5)


def test_the_html_is_one_self_contained_printable_page(
    demo_db: Database, tmp_path: Path, today: date
) -> None:
    export_caseload(demo_db, CaseloadRequest(BROAD, "html", tmp_path / "r.html", today))
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for outside in ("http://", "https://", "<script", "<link", "src=", "@import", "url("):
        assert outside not in page, outside
    assert page.count("<svg") == 2
    assert "Share of people whose score improved" in page
    assert "1 May 2025 to 23 Nov 2026" in page
    assert "@media print" in page and "@page" in page
    positions = [page.index(f"{n}. {g}") for n, g in enumerate(INFORMATION_STANDARD_GROUPS, 1)]
    assert positions == sorted(positions)
    assert measures.SWEMWBS_COPYRIGHT in page


def test_csv_files_open_cleanly_in_excel(demo_db: Database, tmp_path: Path, today: date) -> None:
    folder = export_caseload(
        demo_db, CaseloadRequest(BROAD, "csv", tmp_path / "out", today, identifiable=True)
    )
    zipped = export_caseload(
        demo_db, CaseloadRequest(BROAD, "csv", tmp_path / "out.zip", today, identifiable=True)
    )
    assert [p.name for p in folder][:2] == ["00_about.csv", "01_age_bands.csv"]
    # Tables added after the list of episodes are numbered after it: no file is renamed.
    assert [p.name for p in folder][-4:] == [
        "14_episodes.csv",
        "15_involvement.csv",
        "16_measures_recorded.csv",
        "17_community_work.csv",
    ]
    with zipfile.ZipFile(zipped[0]) as archive:
        assert archive.namelist() == [p.name for p in folder]
        for path in folder:
            assert archive.read(path.name) == path.read_bytes()
    for path in folder:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len({len(r) for r in parsed}) == 1, path.name
    about = dict(csv.reader(io.StringIO(folder[0].read_bytes().decode("utf-8-sig"))))
    assert about["Period from"] == "2025-05-01" and about["Period to"] == "2026-11-30"
    listed = next(p for p in folder if p.name == "14_episodes.csv")
    episodes = list(csv.DictReader(io.StringIO(listed.read_bytes().decode("utf-8-sig"))))
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", e["Received"]) for e in episodes)
    assert all(re.fullmatch(r"\d{3} \d{3} \d{4}|", e["NHS number"]) for e in episodes)


def test_a_csv_cell_never_runs_as_a_formula(db: Database, clock: Clock, today: date) -> None:
    ids = build_episode(db, clock)
    db.execute(
        "UPDATE activities SET categories = ? WHERE id = ?",
        ['["=HYPERLINK(\\"http://x\\")", "-1+2", "@SUM(A1)"]', ids["activity"]],
    )
    doc = caseload_document(reports.caseload_report(db, BROAD, today), identifiable=True)
    files = dict(caseload_csv_files(doc))
    text = files["10_activities_by_category.csv"].decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'-1+2" in cells and "'@SUM(A1)" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_the_markdown_reads_on_its_own(demo_db: Database, today: date) -> None:
    doc = caseload_document(reports.caseload_report(demo_db, BROAD, today))
    text = caseload_markdown(doc)
    assert text.startswith("# Social prescribing caseload report\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## At a glance",
        "## 1. Person demographics",
        "## 2. Needs and concerns",
        "## 3. Support offered",
        "## 4. Outcomes",
        "## 5. Community development",
    ]
    assert "| Month | Referrals |" in text and "| --- | ---: |" in text
    assert "```text\nMay 2025" in text and "█" in text
    assert "\\<5" not in text and "| <5 |" in text


def test_text_bars() -> None:
    lines = text_bars([("Jan", 10), ("Feb", "<5"), ("Mar", 5), ("Apr", None)], width=10)
    assert lines == ["Jan ██████████ 10", "Feb ░ <5", "Mar █████ 5", "Apr  no data"]


def test_unknown_formats_are_refused(demo_db: Database, tmp_path: Path, today: date) -> None:
    with pytest.raises(ExportError, match="format: 'pdf' is not one of csv, json, md, html"):
        export_caseload(demo_db, CaseloadRequest(BROAD, "pdf", tmp_path / "x.pdf", today))
    with pytest.raises(ExportError, match="format: 'rtf' is not one of text, md, json"):
        render_gp_message(reports.gp_message(demo_db, 1, today), "rtf")


def test_a_csv_folder_is_checked_before_anything_is_written(
    demo_db: Database, tmp_path: Path, today: date
) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "09_contacts.csv").write_text("mine")
    with pytest.raises(ExportError, match=r"09_contacts\.csv already exists"):
        export_caseload(demo_db, CaseloadRequest(BROAD, "csv", folder, today))
    assert [p.name for p in folder.iterdir()] == ["09_contacts.csv"]
    written = export_caseload(demo_db, CaseloadRequest(BROAD, "csv", folder, today, force=True))
    assert len(written) == 17 and (folder / "09_contacts.csv").read_text() != "mine"
    with pytest.raises(ExportError, match="is a file; CSV needs a folder"):
        export_caseload(demo_db, CaseloadRequest(BROAD, "csv", folder / "09_contacts.csv", today))


def test_progress_is_reported_to_the_end(demo_db: Database, tmp_path: Path, today: date) -> None:
    steps: list[tuple[int, int, str]] = []
    export_caseload(
        demo_db,
        CaseloadRequest(BROAD, "md", tmp_path / "r.md", today),
        progress=lambda done, total, what: steps.append((done, total, what)),
    )
    assert steps[-1] == (11, 11, "wrote r.md")  # one step more for community work
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("3.80", "3.80"),
        ("-1.45", "-1.45"),
        ("<5", "<5"),
        ("*Bob* [x](y) a|b `c`", r"\*Bob\* \[x\](y) a\|b \`c\`"),
        ("<b>bold</b>", r"\<b>bold\</b>"),
        ("# heading", r"\# heading"),
        ("- item", r"\- item"),
        ("> quote", r"\> quote"),
        ("1. first", r"1\. first"),
        ("line\nbreak\x1b[0m", "line break␛\\[0m"),
    ],
)
def test_markdown_escapes_only_what_markdown_would_act_on(typed: str, written: str) -> None:
    assert md(typed) == written
