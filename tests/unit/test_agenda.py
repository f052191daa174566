"""The agenda buckets for a fixed today over the demo caseload, with people at each boundary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from linkworker import followups, people, referrals
from linkworker.clock import Clock
from linkworker.followups.agenda import Agenda, AgendaLine, build_agenda
from linkworker.models import ContactDetails, DischargeReason, PersonDetails, ReferralDetails
from linkworker.settings import Settings
from linkworker.store import audit
from linkworker.store.db import Database

TODAY = date(2026, 11, 23)  # a Monday
SETTINGS = Settings()  # gone quiet 21 days, first contact 5 working days, connections 14 days


class Case:
    """A person added to the demo caseload at a known state."""

    def __init__(self, db: Database, clock: Clock, name: str, received: date) -> None:
        self.db, self.clock = db, clock
        given, family = name.split()
        self.pid = people.add_person(db, PersonDetails(given_name=given, family_name=family), clock)
        details = ReferralDetails.model_validate(
            {"source": "gp_practice", "received_on": received}, context={"today": TODAY}
        )
        self.rid = referrals.add_referral(db, self.pid, details, clock)

    def accept(self, on: date) -> Case:
        referrals.accept(self.db, self.rid, on, self.clock)
        return self

    def contact(self, at: str, *, attempt: bool = False) -> Case:
        details = ContactDetails.model_validate(
            {"contact_at": at, "mode": "phone", "attempt": attempt}
        )
        referrals.log_contact(self.db, self.pid, details, self.clock, referral_id=self.rid)
        return self

    def followup(self, due: date, at: str | None = None) -> int:
        # Inserted directly: some of these were booked in the past and are now overdue.
        return audit.insert(
            self.db,
            "followups",
            {
                "person_id": self.pid,
                "referral_id": self.rid,
                "due_on": due,
                "due_time": at,
                "kind": "phone",
                "status": "planned",
            },
            person_id=self.pid,
            clock=self.clock,
        )

    def goal(self, review_on: date, status: str = "open") -> int:
        return audit.insert(
            self.db,
            "goals",
            {
                "person_id": self.pid,
                "referral_id": self.rid,
                "description": f"Goal reviewed {review_on}",
                "status": status,
                "review_on": review_on,
                "set_on": date(2026, 10, 1),
            },
            person_id=self.pid,
            clock=self.clock,
        )

    def connection(self, status: str, changed: date) -> int:
        activity = self.db.execute("SELECT min(id) FROM activities").fetchone()[0]
        return audit.insert(
            self.db,
            "connections",
            {
                "person_id": self.pid,
                "activity_id": activity,
                "referral_id": self.rid,
                "status": status,
                "suggested_on": changed,
                "status_changed_on": changed,
            },
            person_id=self.pid,
            clock=self.clock,
        )


def lines_for(agenda: Agenda, bucket: str, pid: int) -> list[AgendaLine]:
    return [line for line in getattr(agenda, bucket) if line.person_id == pid]


def people_in(agenda: Agenda, bucket: str) -> set[int]:
    return {line.person_id for line in getattr(agenda, bucket)}


# --- follow-up buckets --------------------------------------------------------------------


def test_demo_follow_ups_fall_in_due_overdue_and_this_week(demo_db: Database) -> None:
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    rows = list(
        demo_db.query(
            "SELECT f.id, f.due_on, f.due_time FROM followups f JOIN referrals r "
            "ON r.id = f.referral_id WHERE f.status = 'planned' "
            "AND r.status IN ('received', 'contacting', 'accepted')"
        )
    )
    today = TODAY.isoformat()
    week_end = (TODAY + timedelta(days=6)).isoformat()
    due = sorted((r["due_time"] or "99", r["id"]) for r in rows if r["due_on"] == today)
    overdue = sorted(
        (r["due_on"], r["due_time"] or "99", r["id"]) for r in rows if r["due_on"] < today
    )
    week = {r["id"] for r in rows if today < r["due_on"] <= week_end}
    assert due and overdue and week, "the demo should fill each bucket"
    assert [line.followup_id for line in agenda.due_today] == [i for _, i in due]
    assert [line.followup_id for line in agenda.overdue] == [i for _, _, i in overdue]
    assert {line.followup_id for line in agenda.this_week} == week
    assert all(line.days and line.days > 0 for line in agenda.overdue)
    oldest = agenda.overdue[0]
    assert oldest.days == (TODAY - date.fromisoformat(overdue[0][0])).days
    assert oldest.when_text() == f"{oldest.days} days late"


def test_due_today_by_time_then_any_time_and_the_window_edges(
    demo_db: Database, clock: Clock
) -> None:
    case = Case(demo_db, clock, "Edge Due", date(2026, 10, 1)).accept(date(2026, 10, 2))
    any_time = case.followup(TODAY)
    early = case.followup(TODAY, "08:00")
    yesterday = case.followup(TODAY - timedelta(days=1), "16:00")
    last_day = case.followup(TODAY + timedelta(days=6))
    too_far = case.followup(TODAY + timedelta(days=7))
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    assert agenda.due_today[0].followup_id == early
    assert agenda.due_today[-1].followup_id == any_time
    assert agenda.due_today[-1].when_text() == "any time"
    late = [line for line in agenda.overdue if line.followup_id == yesterday]
    assert late and late[0].days == 1 and late[0].when_text() == "1 day late"
    week = {line.followup_id for line in agenda.this_week}
    assert last_day in week and too_far not in week
    # --days widens the window.
    wider = build_agenda(demo_db, TODAY, SETTINGS, days=8)
    assert too_far in {line.followup_id for line in wider.this_week}


def test_follow_ups_of_a_closed_referral_do_not_nag(demo_db: Database, clock: Clock) -> None:
    case = Case(demo_db, clock, "Closed Case", date(2026, 10, 1)).accept(date(2026, 10, 2))
    fid = case.followup(TODAY, "10:00")
    referrals.discharge(demo_db, case.rid, TODAY, DischargeReason.GOALS_MET, None, clock)
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    assert fid not in {line.followup_id for line in agenda.due_today}


# --- waiting for a first contact ----------------------------------------------------------


def test_first_contact_waits_more_than_five_working_days(demo_db: Database, clock: Clock) -> None:
    five = Case(demo_db, clock, "Wait Five", date(2026, 11, 16))  # Mon: 5 working days
    six = Case(demo_db, clock, "Wait Six", date(2026, 11, 13))  # Fri: 6 working days
    sunday = Case(demo_db, clock, "Wait Sunday", date(2026, 11, 15))  # Sun: 6 working days
    reached = Case(demo_db, clock, "Wait Reached", date(2026, 11, 2)).contact("2026-11-04T10:00:00")
    tried = Case(demo_db, clock, "Wait Tried", date(2026, 11, 2))
    for day in ("2026-11-03T10:00:00", "2026-11-05T10:00:00"):
        tried.contact(day, attempt=True)
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    waiting = people_in(agenda, "awaiting_first_contact")
    assert five.pid not in waiting
    assert {six.pid, sunday.pid, tried.pid} <= waiting
    assert reached.pid not in waiting
    line = lines_for(agenda, "awaiting_first_contact", six.pid)[0]
    assert (line.days, line.when_text()) == (6, "6 working days")
    assert "2 attempts" in lines_for(agenda, "awaiting_first_contact", tried.pid)[0].what
    # Oldest first.
    received = [line.on for line in agenda.awaiting_first_contact]
    assert received == sorted(received)


def test_first_contact_counts_no_weekend_days(demo_db: Database, clock: Clock) -> None:
    friday = Case(demo_db, clock, "Wait Friday", date(2026, 11, 20))
    on = {
        day: friday.pid in people_in(build_agenda(demo_db, day, SETTINGS), "awaiting_first_contact")
        for day in (date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30))
    }
    # Fri 27: 5 working days; Sat 28 and Sun 29 add none; Mon 30 is the 6th.
    assert on == {
        date(2026, 11, 27): False,
        date(2026, 11, 28): False,
        date(2026, 11, 29): False,
        date(2026, 11, 30): True,
    }


def test_demo_referrals_waiting_match_an_independent_count(demo_db: Database) -> None:
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    expected = set()
    for row in demo_db.query(
        "SELECT r.id, r.received_on FROM referrals r WHERE r.status IN ('received', 'contacting') "
        "AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 0)"
    ):
        day, weekdays = date.fromisoformat(row["received_on"]), 0
        while day < TODAY:
            day += timedelta(days=1)
            weekdays += day.weekday() < 5
        if weekdays > SETTINGS.first_contact_working_days:
            expected.add(row["id"])
    assert expected, "the demo should have referrals waiting"
    assert {line.referral_id for line in agenda.awaiting_first_contact} == expected


# --- gone quiet ---------------------------------------------------------------------------


def test_gone_quiet_from_exactly_21_days(demo_db: Database, clock: Clock) -> None:
    def accepted(name: str) -> Case:
        return Case(demo_db, clock, name, date(2026, 9, 1)).accept(date(2026, 9, 2))

    exactly = accepted("Quiet Exactly").contact("2026-11-02T15:00:00")
    twenty = accepted("Quiet Twenty").contact("2026-11-03T09:00:00")
    never = Case(demo_db, clock, "Quiet Never", date(2026, 11, 1)).accept(date(2026, 11, 2))
    overdue = accepted("Quiet Overdue").contact("2026-10-01T10:00:00")
    overdue.followup(date(2026, 11, 20))
    booked = accepted("Quiet Booked").contact("2026-10-01T10:00:00")
    booked.followup(date(2026, 12, 10))
    gone = accepted("Quiet Gone").contact("2026-10-01T10:00:00")
    referrals.discharge(demo_db, gone.rid, TODAY, DischargeReason.DISENGAGED, None, clock)
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    quiet = people_in(agenda, "gone_quiet")
    assert {exactly.pid, never.pid, booked.pid} <= quiet
    assert twenty.pid not in quiet
    assert overdue.pid not in quiet and overdue.pid in people_in(agenda, "overdue")
    assert gone.pid not in quiet
    assert lines_for(agenda, "gone_quiet", exactly.pid)[0].days == 21
    assert (
        "No contact since accepted on 2 Nov" in lines_for(agenda, "gone_quiet", never.pid)[0].what
    )
    assert "next booked 10 Dec" in lines_for(agenda, "gone_quiet", booked.pid)[0].what
    # A later setting moves the boundary.
    later = build_agenda(demo_db, TODAY, Settings(gone_quiet_days=22))
    assert exactly.pid not in people_in(later, "gone_quiet")


def test_demo_gone_quiet_are_active_and_unseen_for_21_days(demo_db: Database) -> None:
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    assert agenda.gone_quiet, "the demo should have people gone quiet"
    for line in agenda.gone_quiet:
        row = demo_db.execute(
            "SELECT status, last_contact_at FROM person_summary WHERE person_id = ?",
            [line.person_id],
        ).fetchone()
        assert row[0] == "accepted"
        assert (TODAY - date.fromisoformat(row[1][:10])).days >= 21
        assert line.days is not None and line.days >= 21
    days = [line.days for line in agenda.gone_quiet]
    assert days == sorted(days, reverse=True)  # longest silence first


# --- reviews and connections --------------------------------------------------------------


def test_plan_reviews_due_today_or_earlier_one_line_per_person(
    demo_db: Database, clock: Clock
) -> None:
    case = Case(demo_db, clock, "Review Today", date(2026, 9, 1)).accept(date(2026, 9, 2))
    case.contact("2026-11-20T10:00:00")
    due = case.goal(TODAY)
    earlier = case.goal(TODAY - timedelta(days=10))
    tomorrow = case.goal(TODAY + timedelta(days=1))
    case.goal(TODAY - timedelta(days=30), status="achieved")
    waiting = Case(demo_db, clock, "Review Waiting", date(2026, 11, 20))
    waiting.goal(TODAY - timedelta(days=3))  # referral not accepted: no plan to review yet
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    [line] = lines_for(agenda, "reviews_due", case.pid)
    assert line.goal_ids == [earlier, due]
    assert tomorrow not in line.goal_ids
    assert (line.days, line.when_text()) == (10, "10 days late")
    assert line.what.startswith("Review 2 goals:")
    assert waiting.pid not in people_in(agenda, "reviews_due")
    only_today = Case(demo_db, clock, "Review Exact", date(2026, 9, 1)).accept(date(2026, 9, 2))
    only_today.goal(TODAY)
    again = build_agenda(demo_db, TODAY, SETTINGS)
    assert lines_for(again, "reviews_due", only_today.pid)[0].when_text() == "due today"
    demo_goals = demo_db.execute(
        "SELECT count(DISTINCT g.person_id) FROM goals g JOIN person_summary s "
        "ON s.person_id = g.person_id WHERE g.status = 'open' AND g.review_on <= ? "
        "AND s.status = 'accepted'",
        [TODAY.isoformat()],
    ).fetchone()[0]
    assert len(again.reviews_due) == demo_goals


def test_connections_waiting_14_days_for_did_they_go(demo_db: Database, clock: Clock) -> None:
    case = Case(demo_db, clock, "Went Maybe", date(2026, 9, 1)).accept(date(2026, 9, 2))
    fourteen = case.connection("referred", TODAY - timedelta(days=14))
    thirteen = case.connection("referred", TODAY - timedelta(days=13))
    case.connection("attended", TODAY - timedelta(days=40))
    suggested = case.connection("suggested", TODAY - timedelta(days=20))
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    [line] = lines_for(agenda, "connections_to_check", case.pid)
    assert line.connection_ids == [suggested, fourteen]
    assert thirteen not in line.connection_ids
    assert line.days == 20 and line.what.startswith("Did they go? ")
    assert "referred 9 Nov" in line.what
    shorter = build_agenda(demo_db, TODAY, Settings(connection_check_days=13))
    assert thirteen in lines_for(shorter, "connections_to_check", case.pid)[0].connection_ids


def test_agenda_as_json_ready_dict(demo_db: Database) -> None:
    agenda = build_agenda(demo_db, TODAY, SETTINGS)
    data = agenda.to_dict()
    assert data["today"] == "2026-11-23" and data["days"] == 7
    assert list(data["buckets"]) == [
        "due_today",
        "overdue",
        "awaiting_first_contact",
        "gone_quiet",
        "reviews_due",
        "outcomes_due",
        "connections_to_check",
        "this_week",
    ]
    assert data["counts"]["overdue"] == len(agenda.overdue)
    first: dict[str, Any] = data["buckets"]["overdue"][0]
    assert {"person_id", "name", "on", "days", "followup_id", "what"} <= set(first)


def test_days_must_be_positive(demo_db: Database) -> None:
    with pytest.raises(ValueError, match="days"):
        build_agenda(demo_db, TODAY, SETTINGS, days=0)


def test_agenda_reads_only(demo_db: Database) -> None:
    before = demo_db.execute("SELECT count(*) FROM audit").fetchone()[0]
    build_agenda(demo_db, TODAY, SETTINGS)
    assert demo_db.execute("SELECT count(*) FROM audit").fetchone()[0] == before
    assert followups.working_days_between(TODAY, TODAY) == 0


@pytest.mark.parametrize("day", [TODAY, date(2026, 12, 29), date(2027, 2, 15)])
def test_an_agenda_of_the_first_lines_is_the_whole_agendas_start_with_its_counts(
    demo_db: Database, day: date
) -> None:
    # Today builds the agenda with lines_per_bucket (it shows 100 a bucket): each bucket
    # must be the whole agenda's first lines, in its order, and every count exact.
    settings = Settings(outcome_interval_weeks=12)
    whole = build_agenda(demo_db, day, settings)
    assert whole.totals == {}
    assert sum(whole.counts().values()) > 0
    for most in (1, 3, 50):
        first = build_agenda(demo_db, day, settings, lines_per_bucket=most)
        assert first.counts() == whole.counts()
        assert first.summary() == whole.summary()
        for key, _title, lines in whole.buckets():
            assert getattr(first, key) == lines[:most], (key, most)
    with pytest.raises(ValueError, match="lines_per_bucket"):
        build_agenda(demo_db, day, settings, lines_per_bucket=0)
