""" "Did they go?" asks only about connections of an open episode (issue 15 item 7)."""

from __future__ import annotations

from datetime import timedelta

from linkworker import directory
from linkworker.followups.agenda import build_agenda
from linkworker.models import ActivityDetails, ConnectionKind, ConnectionStatus
from linkworker.settings import Settings
from linkworker.store.db import Database

from factories import CLOCK, TODAY, add_person_with_referral, add_referral

THREE_WEEKS_AGO = TODAY - timedelta(days=21)


def _connect(db: Database, person_id: int, name: str) -> int:
    activity = directory.add_activity(db, ActivityDetails(name=name), CLOCK)
    return directory.connect(
        db, person_id, activity, ConnectionKind.REFERRAL, CLOCK, on=THREE_WEEKS_AGO
    )


def test_a_closed_episodes_connections_are_not_asked_about(db: Database) -> None:
    pid, _ = add_person_with_referral(db, status="discharged")
    old = _connect(db, pid, "Choir from the last episode")
    assert directory.connections_to_ask(db, pid) == []
    assert build_agenda(db, TODAY, Settings()).connections_to_check == []
    add_referral(db, pid, status="accepted")
    new = _connect(db, pid, "Walking group")
    assert [int(c["id"]) for c in directory.connections_to_ask(db, pid)] == [new]
    [line] = build_agenda(db, TODAY, Settings()).connections_to_check
    assert line.connection_ids == [new] and old not in line.connection_ids
    assert "Walking group" in line.what and "Choir" not in line.what


def test_stopped_and_struck_out_connections_are_not_asked_about(db: Database) -> None:
    pid, _ = add_person_with_referral(db, status="accepted")
    stopped = _connect(db, pid, "Lunch club")
    directory.move_connection(db, stopped, ConnectionStatus.STOPPED, CLOCK)
    went = _connect(db, pid, "Men's shed")
    directory.move_connection(db, went, ConnectionStatus.ATTENDED, CLOCK)
    # Went: still asked from the person screen (still attending?), but no longer on Today.
    assert [int(c["id"]) for c in directory.connections_to_ask(db, pid)] == [went]
    assert build_agenda(db, TODAY, Settings()).connections_to_check == []
