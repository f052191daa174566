"""`linkworker agenda`: text, JSON, and the .ics calendar (parsed back with icalendar)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar

from linkworker import followups
from linkworker.cli import main
from linkworker.clock import fixed
from linkworker.formats.ics import LONDON
from linkworker.store.db import Database, open_store

TODAY = date(2026, 11, 23)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def agenda(store: Path, *args: str) -> tuple[int, str, str]:
    return run("agenda", "--db", str(store), "--today", TODAY.isoformat(), *args)


def planned_in_window(db: Database, days: int) -> list[int]:
    last = (TODAY + timedelta(days=days - 1)).isoformat()
    return [
        int(r[0])
        for r in db.execute(
            "SELECT f.id FROM followups f JOIN referrals r ON r.id = f.referral_id "
            "WHERE f.status = 'planned' AND f.due_on BETWEEN ? AND ? "
            "AND r.status IN ('received', 'contacting', 'accepted')",
            [TODAY.isoformat(), last],
        ).fetchall()
    ]


def events(path: Path) -> list[Calendar]:
    calendar = Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_text_agenda_lists_every_bucket_with_counts(demo_path: Path) -> None:
    code, out, err = agenda(demo_path)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Agenda for Monday 23 Nov 2026 (today and the next 6 days)"
    assert lines[1].startswith("Due today: ") and "Gone quiet: " in lines[1]
    for heading in ("Due today (", "Overdue (", "Waiting for a first contact (", "Gone quiet ("):
        assert any(line.startswith(heading) for line in lines), heading
    assert any("days late" in line for line in lines)
    assert any("working days" in line for line in lines)


def test_json_agenda_is_the_same_agenda(demo_path: Path) -> None:
    code, out, err = agenda(demo_path, "--json")
    assert code == 0, err
    data = json.loads(out)
    db = open_store(demo_path)
    try:
        due_today = db.execute(
            "SELECT count(*) FROM followups f JOIN referrals r ON r.id = f.referral_id "
            "WHERE f.status = 'planned' AND f.due_on = ? "
            "AND r.status IN ('received', 'contacting', 'accepted')",
            [TODAY.isoformat()],
        ).fetchone()[0]
    finally:
        db.close()
    assert data["today"] == "2026-11-23"
    assert data["counts"]["due_today"] == due_today == len(data["buckets"]["due_today"])
    line = data["buckets"]["overdue"][0]
    assert line["days"] > 0 and line["followup_id"] and line["name"]


def test_date_and_days_choose_the_window(demo_path: Path) -> None:
    code, out, _ = agenda(demo_path, "--date", "24/11/2026", "--days", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["today"], data["days"]) == ("2026-11-24", 3)
    last = {line["on"] for line in data["buckets"]["this_week"]}
    assert last <= {"2026-11-25", "2026-11-26"}


def test_bad_options_get_one_line(demo_path: Path) -> None:
    code, _, err = agenda(demo_path, "--date", "next tuesday")
    assert code == 2 and "--date: 'next tuesday' is not a date" in err
    code, _, err = agenda(demo_path, "--identifiable")
    assert code == 2 and "only apply with --ics" in err
    code, _, err = agenda(demo_path, "--json", "--ics", "x.ics")
    assert code == 2 and "choose one" in err
    code, _, err = agenda(demo_path, "--days", "0")
    assert code == 2 and "--days" in err


# --- the calendar -------------------------------------------------------------------------


def test_ics_has_one_event_per_upcoming_follow_up_and_no_names(
    demo_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "followups.ics"
    code, out, err = agenda(demo_path, "--ics", str(target))
    assert code == 0, err
    db = open_store(demo_path)
    try:
        expected = planned_in_window(db, followups.CALENDAR_DAYS)
        names = {
            word
            for row in db.execute("SELECT given_name, family_name FROM people").fetchall()
            for word in row
        }
        purposes = {r[0] for r in db.execute("SELECT DISTINCT purpose FROM followups") if r[0]}
        uid_of = dict(db.execute("SELECT id, calendar_uid FROM followups").fetchall())
        uids = {uid_of[fid] for fid in expected}
    finally:
        db.close()
    found = events(target)
    assert len(found) == len(expected) > 0
    assert {str(e["UID"]) for e in found} == uids
    text = target.read_text(encoding="utf-8")
    assert not [n for n in names if n in text], "a name leaked into the calendar"
    assert not [p for p in purposes if p in text], "a purpose leaked into the calendar"
    summary = str(found[0]["SUMMARY"])
    initials, _, rest = summary.partition(" – ")
    assert len(initials) == 4 and initials[1] == initials[3] == "."
    assert rest.endswith(" follow-up")
    assert f"wrote {len(expected)} follow-ups (23 Nov 2026 to 20 Dec 2026)" in out
    assert "initials and kind only" in out
    assert target.stat().st_mode & 0o077 == 0  # readable by the user only


def test_ics_events_have_times_or_whole_days(demo_path: Path, tmp_path: Path) -> None:
    db = open_store(demo_path)
    clock = fixed(TODAY)
    try:
        pid = db.execute(
            "SELECT person_id FROM person_summary WHERE status = 'accepted' LIMIT 1"
        ).fetchone()[0]
        untimed = followups.schedule(
            db, pid, followups.details({"due_on": "2026-11-25"}, TODAY), clock
        ).followup_id
        timed = followups.schedule(
            db,
            pid,
            followups.details(
                {"due_on": "2026-11-26", "due_time": "10:15", "duration_minutes": 45}, TODAY
            ),
            clock,
        ).followup_id
        uid_of = dict(db.execute("SELECT id, calendar_uid FROM followups").fetchall())
    finally:
        db.close()
    target = tmp_path / "a.ics"
    assert agenda(demo_path, "--ics", str(target))[0] == 0
    by_uid = {str(e["UID"]): e for e in events(target)}
    whole_day = by_uid[uid_of[untimed]]
    assert whole_day.decoded("DTSTART") == date(2026, 11, 25)
    assert whole_day.decoded("DTEND") == date(2026, 11, 26)
    meeting = by_uid[uid_of[timed]]
    # London time: in November that is GMT, so 10:15 there is 10:15 UTC.
    assert meeting["DTSTART"].params["TZID"] == "Europe/London"
    assert meeting.decoded("DTSTART") == datetime(2026, 11, 26, 10, 15, tzinfo=LONDON)
    assert meeting.decoded("DTEND") == datetime(2026, 11, 26, 11, 0, tzinfo=LONDON)
    assert meeting.decoded("DTSTAMP").utcoffset() == timedelta(0)  # DTSTAMP is UTC


def test_identifiable_calendar_names_people(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "named.ics"
    code, out, _ = agenda(demo_path, "--ics", str(target), "--identifiable")
    assert code == 0 and "with names" in out
    db = open_store(demo_path)
    try:
        row = db.execute(
            "SELECT f.calendar_uid, p.given_name, p.family_name, f.purpose FROM followups f "
            "JOIN people p ON p.id = f.person_id WHERE f.status = 'planned' AND f.due_on = ? "
            "ORDER BY f.id LIMIT 1",
            [TODAY.isoformat()],
        ).fetchone()
    finally:
        db.close()
    event = next(e for e in events(target) if str(e["UID"]) == row[0])
    assert str(event["SUMMARY"]).startswith(f"{row[1]} {row[2]} – ")
    assert str(event["DESCRIPTION"]) == row[3]


def test_uids_are_stable_and_a_change_raises_the_sequence(demo_path: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    assert agenda(demo_path, "--ics", str(first))[0] == 0
    assert agenda(demo_path, "--ics", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()  # nothing changed: the same file
    db = open_store(demo_path)
    try:
        fid, moved = db.execute(
            "SELECT id, calendar_uid FROM followups WHERE status = 'planned' AND due_on = ? "
            "LIMIT 1",
            [TODAY.isoformat()],
        ).fetchone()
        followups.reschedule(db, fid, date(2026, 11, 27), "15:00", fixed(TODAY))
    finally:
        db.close()
    third = tmp_path / "3.ics"
    assert agenda(demo_path, "--ics", str(third))[0] == 0
    before = {str(e["UID"]): e for e in events(first)}
    after = {str(e["UID"]): e for e in events(third)}
    assert set(before) == set(after)
    assert int(after[moved]["SEQUENCE"]) == int(before[moved]["SEQUENCE"]) + 1
    assert after[moved].decoded("DTSTART") == datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)


def test_ics_never_overwrites_without_force(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "cal.ics"
    target.write_text("my own calendar")
    code, _, err = agenda(demo_path, "--ics", str(target))
    assert code == 1 and "already exists; use --force" in err
    assert target.read_text() == "my own calendar"
    code, out, _ = agenda(demo_path, "--ics", str(target), "--force")
    assert code == 0 and "wrote" in out
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_ics_into_a_missing_folder_fails_cleanly(demo_path: Path, tmp_path: Path) -> None:
    code, _, err = agenda(demo_path, "--ics", str(tmp_path / "nowhere" / "cal.ics"))
    assert code == 1 and "nowhere does not exist" in err
