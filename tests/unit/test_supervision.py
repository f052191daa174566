"""Supervision (issue 16 item 2): marking people with a question, sessions and their actions,
and the pseudonymised pack (a golden file per format, and the commissioner report's
disclosure-control tests played against its figures)."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from syrupy.assertion import SnapshotAssertion
from tests.factories import CLOCK, TODAY, add_episode, add_person, add_person_with_referral
from tests.unit.test_differencing import (
    SEPTEMBER,
    SEPTEMBER_AND_OCTOBER,
    WHOLE_SCORES,
    _person_with_scores,
    assert_each_report_hides_its_cohort,
    entering_person,
    outcome_rows,
)

from linkworker import erasure, people, supervision
from linkworker.formats.supervision_pack import pack_file
from linkworker.models import FlagDetails, FlagKind
from linkworker.reports.period import Period
from linkworker.reports.supervision_pack import supervision_pack
from linkworker.settings import Settings
from linkworker.store.db import Database

SETTINGS = Settings(worker_name="Sam Okafor")


def test_marking_gives_a_case_reference_and_a_new_question_replaces_the_old(db: Database) -> None:
    person_id, _ = add_person_with_referral(db)
    case = supervision.mark(db, person_id, "How do I end well?", CLOCK)
    assert re.fullmatch(r"SV-[0-9A-F]{4}", case.case_ref)
    again = supervision.mark(db, person_id, "How do I end well, kindly?", CLOCK)
    assert (again.case_ref, again.question) == (case.case_ref, "How do I end well, kindly?")
    assert [c.person_id for c in supervision.marked_cases(db)] == [person_id]
    assert supervision.unmark(db, person_id, CLOCK).case_ref == case.case_ref
    assert supervision.marked_case(db, person_id) is None
    with pytest.raises(supervision.SupervisionError, match="not marked for supervision"):
        supervision.unmark(db, person_id, CLOCK)


def test_a_mark_needs_a_question_and_a_person(db: Database) -> None:
    person_id, _ = add_person_with_referral(db)
    with pytest.raises(supervision.SupervisionError, match="question: say what it is") as e:
        supervision.mark(db, person_id, "  ", CLOCK)
    assert e.value.field == "question"
    with pytest.raises(LookupError, match="no person with id 99"):
        supervision.mark(db, 99, "Why?", CLOCK)


def test_a_session_books_a_persons_action_and_keeps_a_general_task(db: Database) -> None:
    episode = add_episode(db, followups_due=())
    session = supervision.record_session(
        db,
        TODAY - timedelta(days=3),
        "clinical",
        "Dr A Lee",
        [
            supervision.AgreedAction("Phone her GP about the pain clinic", episode.person_id),
            supervision.AgreedAction("Read the lone-working policy again"),
        ],
        CLOCK,
        note="Talked about endings.",
    )
    booked, task = session.actions
    assert booked.followup_id is not None and task.followup_id is None
    purpose, due = db.execute(
        "SELECT purpose, due_on FROM followups WHERE id = ?", [booked.followup_id]
    ).fetchone()
    assert purpose == "From supervision: Phone her GP about the pain clinic"
    assert due == "2026-11-24"  # the next working day after today
    assert supervision.last_session_words(db, TODAY) == (
        "Last supervision: 20 Nov 2026 (clinical, 3 days ago)"
    )
    supervision.task_done(db, task.id, CLOCK)
    with pytest.raises(supervision.SupervisionError, match="already done"):
        supervision.task_done(db, task.id, CLOCK)
    with pytest.raises(supervision.SupervisionError, match="complete it on Today"):
        supervision.task_done(db, booked.id, CLOCK)
    lines = supervision.session_lines(supervision.sessions(db))
    assert lines[0] == "20 Nov 2026 clinical supervision with Dr A Lee"
    assert any("done 23 Nov 2026" in line for line in lines)


def test_a_session_refused_leaves_nothing_half_written(db: Database) -> None:
    person_id = add_person(db)  # no referral: nothing can be booked for them
    with pytest.raises(supervision.SupervisionError, match=f"person {person_id}"):
        supervision.record_session(
            db, TODAY, "practice", "Kim", [supervision.AgreedAction("Call", person_id)], CLOCK
        )
    assert db.execute("SELECT count(*) FROM supervision_sessions").fetchone()[0] == 0
    with pytest.raises(supervision.SupervisionError, match="kind: choose one of"):
        supervision.record_session(db, TODAY, "weekly", "Kim", [], CLOCK)
    with pytest.raises(supervision.SupervisionError, match="once it has happened"):
        supervision.record_session(db, TODAY + timedelta(days=1), "practice", "Kim", [], CLOCK)
    assert supervision.last_session_words(db, TODAY) == "Last supervision: none recorded"


def test_erasure_removes_the_mark_and_the_persons_actions(db: Database) -> None:
    episode = add_episode(db, followups_due=())
    supervision.mark(db, episode.person_id, "Endings?", CLOCK)
    supervision.record_session(
        db, TODAY, "practice", "Kim", [supervision.AgreedAction("Call", episode.person_id)], CLOCK
    )
    erasure.erase_person(db, episode.person_id, CLOCK)
    for table in ("supervision_cases", "supervision_actions"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM supervision_sessions").fetchone()[0] == 1


# --- the pack -------------------------------------------------------------------------


def _marked(db: Database) -> tuple[int, str]:
    episode = add_episode(
        db,
        contacts=4,
        follow_up={"life_satisfaction": 7, "worthwhile": 6, "happiness": 6, "anxiety": 3},
        given_name="Joan",
        family_name="Smith",
        nhs_number="9434765919",
        date_of_birth=date(1958, 3, 14),
        postcode="HV1 2AB",
    )
    flag = FlagDetails.model_validate(
        {"kind": FlagKind.LONE_WORKING, "note": "Dog at the door"}, context={"today": TODAY}
    )
    people.add_flag(db, episode.person_id, flag, CLOCK)
    db.execute(
        "UPDATE followups SET due_on = '2026-11-16' WHERE person_id = ?", [episode.person_id]
    )
    return episode.person_id, "She keeps cancelling: how do I keep the door open?"


def _pack_files(db: Database) -> dict[str, str]:
    person_id, question = _marked(db)
    case = supervision.mark(db, person_id, question, CLOCK)
    # A fixed reference, so the golden files do not change with each random one.
    db.execute("UPDATE supervision_cases SET case_ref = 'SV-0A1B' WHERE id = 1")
    assert case.case_ref
    supervision.record_session(db, date(2026, 11, 9), "practice", "Kim Patel", [], CLOCK)
    pack = supervision_pack(db, TODAY, Period(date(2026, 10, 1), date(2026, 11, 30)), SETTINGS)
    return {fmt: pack_file(pack, fmt) for fmt in ("md", "html", "txt")}


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_the_pack_as_written(db: Database, fmt: str, snapshot: SnapshotAssertion) -> None:
    assert _pack_files(db)[fmt] == snapshot


def test_the_pack_never_names_the_person(db: Database) -> None:
    for fmt, text in _pack_files(db).items():
        for identifier in ("Joan", "Smith", "9434765919", "943 476 5919", "1958", "HV1 2AB"):
            assert identifier not in text, (fmt, identifier)
        assert "Dog at the door" not in text  # a flag's note never goes
        assert "SV-0A1B" in text and "how do I keep the door open?" in text
        assert "Lone-working risk" in text
        assert "1 follow-up overdue (the oldest by 7 days)" in text
        assert "4 in this episode: below the usual 6-12" in text


def test_a_pack_with_no_one_marked_still_gives_the_figures(db: Database) -> None:
    pack = supervision_pack(db, TODAY, Period(date(2026, 11, 1), date(2026, 11, 30)), SETTINGS)
    assert "No one is marked for supervision." in pack_file(pack, "md")
    with pytest.raises(ValueError, match="format: 'pdf' is not one of md, html, txt"):
        pack_file(pack, "pdf")


@pytest.mark.parametrize("cohort", [23, 22], ids=["within-a-step", "across-a-step"])
def test_the_packs_figures_pass_the_differencing_attack(db: Database, cohort: int) -> None:
    """The commissioner report's attack (tests/unit/test_differencing.py) on two packs whose
    periods differ by one person: nothing exact comes back from the figures they print."""
    rng = random.Random(14)
    for day in range(cohort):
        _person_with_scores(db, rng, date(2026, 9, 1 + day % 28))
    _person_with_scores(db, rng, date(2026, 10, 5))
    first, second = (
        supervision_pack(db, TODAY, period, SETTINGS).figures
        for period in (SEPTEMBER, SEPTEMBER_AND_OCTOBER)
    )
    assert_each_report_hides_its_cohort(first)
    assert_each_report_hides_its_cohort(second)
    assert not any(outcome_rows(second)[key].has_means for key in WHOLE_SCORES)
    assert entering_person(first, second) == {}
    text = pack_file(supervision_pack(db, TODAY, SEPTEMBER, SETTINGS), "md")
    for row in first.table("outcome_change").rows:
        assert f"| {row[0]} |" in text  # the pack prints the very cells the attack read
