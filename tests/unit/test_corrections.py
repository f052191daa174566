"""Correcting the record (issue 13, item 1): amend, strike out, reopen; all audited.

"Nothing recorded can be corrected" was the first finding of issue 13: these tests fail on
the main of before this change (there was no linkworker.corrections) and pass after.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from tests.factories import CLOCK, NOT_REACHED_AFTER, TODAY, add_episode, add_person_with_referral

from linkworker import caseload, corrections, referrals, subject_access
from linkworker.clock import fixed
from linkworker.errors import CaseloadError
from linkworker.formats.subject_access import sar_markdown
from linkworker.models import ContactDetails, ContactMode
from linkworker.reports.gp_message import gp_message
from linkworker.store.db import Database
from linkworker.timeline import person_timeline

LATER = fixed(TODAY + timedelta(days=3), time(10, 0))
WORKER = "Sam Patel"


def _summary_contacts(db: Database, person_id: int) -> int:
    row = db.execute(
        "SELECT contacts FROM person_summary WHERE person_id = ?", [person_id]
    ).fetchone()
    return int(row[0])


def test_every_kind_of_entry_can_be_amended_and_struck_out(db: Database) -> None:
    # The first bullet of issue 13: "Nothing recorded can be corrected".
    episode = add_episode(db, contacts=2)
    contact = episode.contact_ids[0]
    changed = corrections.amend(
        db, "contacts", contact, {"contact_at": "2026-11-03T10:00"}, None, CLOCK, WORKER
    )
    assert changed == {"contact_at": ("2026-11-02T10:00:00", "2026-11-03T10:00:00")}
    corrections.strike_out(db, "measures", episode.measure_ids[0], "wrong person", CLOCK, WORKER)
    corrections.strike_out(db, "followups", episode.followup_ids[0], "never booked", CLOCK, WORKER)
    followup = db.execute(
        "SELECT status, entered_in_error_reason FROM followups WHERE id = ?",
        [episode.followup_ids[0]],
    ).fetchone()
    assert followup == ("cancelled", "never booked")
    corrections.amend(
        db, "referrals", episode.referral_id, {"reason": "Lonely since moving"}, None, CLOCK, WORKER
    )
    trail = db.execute(
        "SELECT table_name, field, old, new, reason, worker FROM audit "
        "WHERE worker IS NOT NULL ORDER BY id"
    ).fetchall()
    assert (
        "contacts",
        "contact_at",
        "2026-11-02T10:00:00",
        "2026-11-03T10:00:00",
        "corrected",
        WORKER,
    ) in trail
    assert any(t[0] == "measures" and t[1] == "entered_in_error_reason" for t in trail)
    assert any(t[0] == "referrals" and t[1] == "reason" for t in trail)


def test_an_entry_saved_more_than_a_day_ago_needs_a_reason(db: Database) -> None:
    episode = add_episode(db, contacts=1)
    with pytest.raises(CaseloadError, match="more than a day ago") as refused:
        corrections.amend(
            db, "contacts", episode.contact_ids[0], {"duration_minutes": 30}, "", LATER, WORKER
        )
    assert refused.value.field == "reason"
    corrections.amend(
        db, "contacts", episode.contact_ids[0], {"duration_minutes": 30}, "typo", LATER, WORKER
    )
    assert db.execute("SELECT reason FROM audit ORDER BY id DESC").fetchone()[0] == "typo"


def test_strike_out_always_needs_a_reason_and_happens_once(db: Database) -> None:
    episode = add_episode(db, contacts=1)
    with pytest.raises(CaseloadError, match="say why"):
        corrections.strike_out(db, "contacts", episode.contact_ids[0], "  ", CLOCK, WORKER)
    corrections.strike_out(db, "contacts", episode.contact_ids[0], "wrong person", CLOCK, WORKER)
    with pytest.raises(CaseloadError, match="already struck out"):
        corrections.strike_out(db, "contacts", episode.contact_ids[0], "again", CLOCK, WORKER)
    with pytest.raises(CaseloadError, match="cannot be corrected"):
        corrections.amend(db, "contacts", episode.contact_ids[0], {"note": "x"}, "x", CLOCK, WORKER)


def test_corrections_refuse_what_the_forms_refuse(db: Database) -> None:
    episode = add_episode(db, contacts=1)
    cid = episode.contact_ids[0]
    with pytest.raises(CaseloadError, match="in the future") as future:
        corrections.amend(
            db, "contacts", cid, {"contact_at": "2026-12-25T10:00"}, None, CLOCK, WORKER
        )
    assert future.value.field == "contact_at"
    with pytest.raises(CaseloadError, match="before the referral was received"):
        corrections.amend(
            db, "contacts", cid, {"contact_at": "2026-10-01T10:00"}, None, CLOCK, WORKER
        )
    with pytest.raises(CaseloadError, match="cannot be corrected"):
        corrections.amend(db, "contacts", cid, {"person_id": 99}, None, CLOCK, WORKER)
    with pytest.raises(CaseloadError):
        corrections.amend(db, "contacts", cid, {"note": "bad\x1b[31m"}, None, CLOCK, WORKER)
    with pytest.raises(CaseloadError, match="struck out"):
        corrections.strike_out(db, "referrals", episode.referral_id, "x", CLOCK, WORKER)


def test_a_struck_out_contact_counts_nowhere(db: Database) -> None:
    episode = add_episode(db, contacts=3, consent_to_share_gp=True)
    pid, rid = episode.person_id, episode.referral_id
    assert _summary_contacts(db, pid) == 3
    assert referrals.referral_progress(db, rid)[0] == 3
    corrections.strike_out(db, "contacts", episode.contact_ids[2], "wrong person", CLOCK, WORKER)
    assert _summary_contacts(db, pid) == 2
    assert referrals.referral_progress(db, rid)[0] == 2
    row = caseload.caseload_page(db, caseload.CaseloadFilter(), TODAY)[0]
    assert row.contacts == 2
    message = gp_message(db, pid, TODAY)
    assert message.contacts == 2
    # It stays on the record, marked, in the timeline.
    struck = [e for e in person_timeline(db, pid) if e.record_id == episode.contact_ids[2]]
    assert struck and struck[0].struck_out == "wrong person"


def test_a_struck_out_attempt_does_not_count_towards_not_reached(db: Database) -> None:
    _pid, rid = add_person_with_referral(db, status="contacting")
    attempt = ContactDetails(contact_at="2026-11-03T10:00", mode=ContactMode.PHONE)
    for _ in range(NOT_REACHED_AFTER - 1):
        referrals.log_attempt(db, rid, attempt, CLOCK, threshold=NOT_REACHED_AFTER)
    assert referrals.unanswered_attempts(db, rid) == NOT_REACHED_AFTER
    last = db.execute("SELECT max(id) FROM contacts").fetchone()[0]
    corrections.strike_out(db, "contacts", last, "logged twice", CLOCK, WORKER)
    assert referrals.unanswered_attempts(db, rid) == NOT_REACHED_AFTER - 1
    with pytest.raises(CaseloadError, match="contact attempts are logged"):
        referrals.mark_not_reached(db, rid, TODAY, CLOCK, threshold=NOT_REACHED_AFTER)


def test_a_discharge_in_error_is_reopened_where_it_was(db: Database) -> None:
    episode = add_episode(db, contacts=1, followups_due=(date(2026, 11, 30),))
    rid = episode.referral_id
    referrals.discharge(db, rid, TODAY, "goals_met", "All done", CLOCK)
    planned = "SELECT count(*) FROM followups WHERE referral_id = ? AND status = 'planned'"
    assert db.execute(planned, [rid]).fetchone()[0] == 0
    with pytest.raises(CaseloadError, match="say why"):
        corrections.reopen(db, rid, "", CLOCK, WORKER)
    back = corrections.reopen(db, rid, "discharged the wrong person", CLOCK, WORKER)
    assert back == "accepted"
    row = referrals.get_referral(db, rid)
    assert (row["status"], row["discharged_on"], row["discharge_reason"]) == (
        "accepted",
        None,
        None,
    )
    assert row["accepted_on"] == "2026-11-02"
    assert db.execute(planned, [rid]).fetchone()[0] == 1
    reasons = {
        r[0]
        for r in db.execute(
            "SELECT reason FROM audit WHERE record_id = ? AND table_name = 'referrals' "
            "AND reason IS NOT NULL",
            [rid],
        )
    }
    assert reasons == {"discharged the wrong person"}
    # The episode can be closed again in the ordinary way.
    referrals.discharge(db, rid, TODAY, "goals_met", None, CLOCK)


@pytest.mark.parametrize(
    ("status", "back_to"),
    [("accepted", "received"), ("declined", "received"), ("not_reached", "contacting")],
)
def test_every_closing_decision_can_be_reopened(db: Database, status: str, back_to: str) -> None:
    _pid, rid = add_person_with_referral(db, status=status)
    assert corrections.reopen(db, rid, "the person answered after all", CLOCK, WORKER) == back_to
    row = referrals.get_referral(db, rid)
    assert row["status"] == back_to
    assert row["accepted_on"] is None and row["declined_on"] is None
    assert row["not_reached_on"] is None and row["snomed_code"] is None
    with pytest.raises(CaseloadError, match="no decision to reopen"):
        corrections.reopen(db, rid, "again", CLOCK, WORKER)


def test_the_subject_access_export_shows_corrections_with_their_reasons(db: Database) -> None:
    episode = add_episode(db, contacts=2)
    corrections.strike_out(db, "contacts", episode.contact_ids[1], "wrong person", CLOCK, WORKER)
    corrections.amend(
        db,
        "contacts",
        episode.contact_ids[0],
        {"contact_at": "2026-11-03T10:00"},
        "wrong day",
        CLOCK,
        WORKER,
    )
    data = subject_access.subject_access(db, episode.person_id, CLOCK.stamp())
    text = sar_markdown(data)
    assert "wrong person" in text
    assert "wrong day" in text
    assert WORKER in text
    assert "entered in error: wrong person" in text
