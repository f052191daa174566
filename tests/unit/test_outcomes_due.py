"""Outcomes never forgotten (issue 20 item 4): what is due, Today's bucket, the report's
recorded-against-due counts and the GP message's copy-ready outcome lines."""

from __future__ import annotations

from datetime import date, timedelta

from sqlite_utils import Database
from tests.factories import CLOCK, RECEIVED, TODAY, add_episode, add_person_with_referral

from linkworker import outcomes, reports
from linkworker.clock import fixed
from linkworker.followups.agenda import build_agenda
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.gp_message import gp_message_json, gp_message_text, outcome_lines
from linkworker.outcomes_due import OUTCOME_KINDS, due_measures, recorded_vs_due
from linkworker.reports.period import Period
from linkworker.settings import Settings

ONS4 = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 4, "anxiety": 6}
TOP = {"understand": 9, "listen": 9, "include": 9}


def test_collaborate_is_not_an_outcome_measure() -> None:
    assert [k.value for k in OUTCOME_KINDS] == ["ons4", "swemwbs", "ucla3", "ons_loneliness"]


def test_a_baseline_is_due_from_acceptance_until_one_is_taken(db: Database) -> None:
    waiting, _ = add_person_with_referral(db, status="received")
    pid, rid = add_person_with_referral(db, status="accepted")
    [due] = due_measures(db, TODAY, Settings())
    assert (due.person_id, due.referral_id, due.reason) == (pid, rid, "baseline")
    assert due.since == RECEIVED and due.last_taken is None
    assert due.words() == "Baseline measure due (accepted 2 Nov 2026; none taken)"
    # CollaboRATE is about a conversation: it is no baseline.
    outcomes.record_measure(db, pid, "collaborate", "baseline", TODAY, TOP, CLOCK)
    assert [d.person_id for d in due_measures(db, TODAY, Settings())] == [pid]
    outcomes.record_measure(db, pid, "ons4", "baseline", TODAY, ONS4, CLOCK)
    assert due_measures(db, TODAY, Settings()) == []
    assert due_measures(db, TODAY, Settings(), person_id=waiting) == []


def test_a_measure_struck_out_counts_for_nothing(db: Database) -> None:
    episode = add_episode(db)
    assert due_measures(db, TODAY, Settings()) == []
    db.execute(
        "UPDATE measures SET entered_in_error_at = ? WHERE id = ?",
        [TODAY.isoformat(), episode.measure_ids[0]],
    )
    assert [d.reason for d in due_measures(db, TODAY, Settings())] == ["baseline"]


def test_a_follow_up_is_due_every_interval_and_zero_turns_it_off(db: Database) -> None:
    episode = add_episode(db)  # an ONS4 baseline on RECEIVED
    settings = Settings(outcome_interval_weeks=2)
    weeks_on = RECEIVED + timedelta(weeks=2)
    assert due_measures(db, weeks_on - timedelta(days=1), settings) == []
    [due] = due_measures(db, weeks_on, settings)
    assert (due.person_id, due.reason, due.since, due.last_taken) == (
        episode.person_id,
        "interval",
        weeks_on,
        RECEIVED,
    )
    assert due.short == "follow-up" and "last taken" in due.words()
    assert due_measures(db, TODAY, Settings(outcome_interval_weeks=0)) == []
    outcomes.record_measure(db, episode.person_id, "ons4", "follow_up", TODAY, ONS4, CLOCK)
    assert due_measures(db, TODAY, settings) == []


def test_a_closed_episode_never_nags(db: Database) -> None:
    add_person_with_referral(db, status="discharged")
    add_person_with_referral(db, status="declined")
    assert due_measures(db, TODAY, Settings(outcome_interval_weeks=1)) == []


def test_today_has_an_outcomes_due_bucket(db: Database) -> None:
    pid, rid = add_person_with_referral(db, status="accepted")
    agenda = build_agenda(db, TODAY, Settings())
    [line] = agenda.outcomes_due
    assert (line.person_id, line.referral_id, line.on) == (pid, rid, RECEIVED)
    assert line.what.startswith("Baseline measure due")
    assert line.when_text() == f"{(TODAY - RECEIVED).days} days late"
    assert agenda.heading("outcomes_due") == "OUTCOMES DUE"
    assert (
        agenda.rule("outcomes_due", Settings()) == "baseline at the first contact after acceptance"
    )
    assert agenda.rule("outcomes_due", Settings(outcome_interval_weeks=12)).endswith(
        ", a follow-up every 12 weeks"
    )
    assert "Outcomes: 1" in agenda.summary()


def test_recorded_against_due_in_a_period(db: Database) -> None:
    add_episode(db)  # accepted, baseline taken
    add_person_with_referral(db, status="accepted")  # accepted, no baseline
    done = add_episode(db)
    outcomes.record_measure(db, done.person_id, "ons4", "follow_up", TODAY, ONS4, CLOCK)
    from linkworker import referrals
    from linkworker.models import DischargeReason

    referrals.discharge(db, done.referral_id, TODAY, DischargeReason.GOALS_MET, "", CLOCK)
    forgot = add_episode(db)
    referrals.discharge(db, forgot.referral_id, TODAY, DischargeReason.GOALS_MET, "", CLOCK)
    counted = {r.key: (r.due, r.recorded) for r in recorded_vs_due(db, RECEIVED, TODAY)}
    assert counted == {"baseline": (4, 3), "discharge": (2, 1)}
    # The report shows them under Outcomes, exact when identifiable, controlled otherwise.
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    report = reports.caseload_report(db, period, TODAY)
    exact = caseload_document(report, identifiable=True).table("measures_recorded")
    assert exact.group == "Outcomes"
    assert exact.rows == [
        ["Baseline (episodes accepted in the period)", 4, 3, 75],
        ["Follow-up at discharge (episodes discharged in the period)", 2, 1, 50],
    ]
    controlled = caseload_document(report).table("measures_recorded")
    assert controlled.rows[0][1:] == ["<5", "<5", "suppressed"]


def test_involvement_in_the_report_is_the_top_score_share_and_the_mean(db: Database) -> None:
    people = [add_person_with_referral(db, status="accepted")[0] for _ in range(12)]
    for n, pid in enumerate(people):
        answers = TOP if n < 9 else {"understand": 6, "listen": 7, "include": 8}
        outcomes.record_measure(db, pid, "collaborate", "baseline", TODAY, answers, CLOCK)
    report = reports.caseload_report(db, Period(date(2026, 11, 1), date(2026, 11, 30)), TODAY)
    assert (report.involvement.n, report.involvement.top_score) == (12, 9)
    assert report.involvement.mean == (9 * 9 + 3 * 7) / 12
    exact = caseload_document(report, identifiable=True).table("involvement")
    assert exact.rows == [
        ["Conversations rated", 12, None],
        ["Top score (all three answers 9)", 9, 75],
        ["Mean score (0-9)", 8.5, None],
    ]
    assert "CollaboRATE: Elwyn G, Barr PJ et al. 2013; CC BY-NC-ND 3.0" in exact.note
    controlled = caseload_document(report).table("involvement")
    # 12 and 9 round to 10 and 10; the rest (3) is under 5, so the share is withheld.
    assert controlled.rows == [
        ["Conversations rated", 10, None],
        ["Top score (all three answers 9)", 10, "suppressed"],
        ["Mean score (0-9)", 8.5, None],
    ]


def test_the_gp_message_has_copy_ready_outcome_lines_coded_from_the_settings(
    db: Database,
) -> None:
    episode = add_episode(db, follow_up={**ONS4, "anxiety": 3}, consent_to_share_gp=True)
    outcomes.record_measure(db, episode.person_id, "collaborate", "baseline", TODAY, TOP, CLOCK)
    codes = Settings(outcome_codes={"ons4": "LOCAL01"}).outcome_codes
    message = reports.gp_message(db, episode.person_id, TODAY, outcome_codes=codes)
    lines = [line.text() for line in outcome_lines(message)]
    assert lines[0] == f"ONS4 life satisfaction 5, {RECEIVED:%d/%m/%Y} (baseline), code LOCAL01"
    assert f"ONS4 anxiety 3, {TODAY:%d/%m/%Y} (follow-up), code LOCAL01" in lines
    assert lines[-1] == f"CollaboRATE mean 9, {TODAY:%d/%m/%Y} (baseline)"
    text = gp_message_text(message)
    assert "OUTCOME LINES FOR THE GP RECORD (one a line, ready to copy)" in text
    assert "CollaboRATE: Elwyn G, Barr PJ et al. 2013; CC BY-NC-ND 3.0" in text
    assert '"code": "LOCAL01"' in gp_message_json(message)
    # Codes only, or no consent: no outcome lines at all.
    bare = reports.gp_message(db, add_person_with_referral(db)[0], TODAY, outcome_codes=codes)
    assert outcome_lines(bare) == [] and "OUTCOME LINES" not in gp_message_text(bare)


def test_a_code_names_a_measure_and_looks_like_a_code() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="'wellbeing' is not a measure"):
        Settings(outcome_codes={"wellbeing": "1"})
    with pytest.raises(ValidationError):
        Settings(outcome_codes={"ons4": "two words"})
    assert fixed(TODAY).today() == TODAY
