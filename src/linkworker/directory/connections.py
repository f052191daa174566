"""Connections: a person linked to an activity, and the rules for moving one on.

suggested -> referred -> attended -> attending ("still attending") | stopped.
Steps may be skipped forwards (someone signposted may simply turn up), never taken back;
"stopped" can follow any step and is final (connect the person again to start afresh).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from linkworker.clock import Clock
from linkworker.directory.rows import (
    ActivityRow,
    ConnectionWithActivity,
    ConnectionWithPerson,
    DirectoryError,
    get_activity,
)
from linkworker.display import label, literal, short_date
from linkworker.models import ConnectionKind, ConnectionStatus
from linkworker.store import audit
from linkworker.vocabulary import open_episode_connection_sql as open_episode_connection_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

S = ConnectionStatus
CONNECTION_STEPS: dict[ConnectionStatus, frozenset[ConnectionStatus]] = {
    S.SUGGESTED: frozenset({S.REFERRED, S.ATTENDED, S.STOPPED}),
    S.REFERRED: frozenset({S.ATTENDED, S.STOPPED}),
    S.ATTENDED: frozenset({S.ATTENDING, S.STOPPED}),
    S.ATTENDING: frozenset({S.STOPPED}),
    S.STOPPED: frozenset(),
}
_ORDER = [S.SUGGESTED, S.REFERRED, S.ATTENDED, S.ATTENDING, S.STOPPED]
#: The column holding the date each status was reached (attending keeps status_changed_on).
_STEP_DATE = {S.REFERRED: "referred_on", S.ATTENDED: "attended_on", S.STOPPED: "stopped_on"}
OPEN_CONNECTION_STATUSES = (S.SUGGESTED, S.REFERRED, S.ATTENDED, S.ATTENDING)

#: A connection with its activity's name and state; open ones first, newest first.
_WITH_ACTIVITY = (
    "SELECT c.*, a.name AS activity_name, a.retired AS activity_retired, "
    "a.status AS activity_status, a.schedule_text AS activity_when "
    "FROM connections c JOIN activities a ON a.id = c.activity_id "
)


#: SQL on connections ``c``: worth asking "did they go?" about. It is not struck out, can
#: still move on, and belongs to an open episode: its own referral is open, or it has none
#: and the person has an open referral now. A closed episode's connections are never asked.
def ask_did_they_go_sql(c: str = "c") -> str:
    """The SQL condition on a connection (table alias ``c``) to ask "did they go?" about."""
    return f"{c}.entered_in_error_at IS NULL AND {open_episode_connection_sql(c)}"


ASK_DID_THEY_GO_SQL = ask_did_they_go_sql()
_NEWEST_OPEN_FIRST = " ORDER BY c.status = 'stopped', c.status_changed_on DESC, c.id DESC"


def status_words(status: str) -> str:
    """A connection status as the link worker says it ('still attending')."""
    return label(ConnectionStatus, status).lower()


def next_statuses(current: str) -> list[ConnectionStatus]:
    """The statuses a connection may move to from ``current``, in order."""
    allowed = CONNECTION_STEPS[ConnectionStatus(current)]
    return [s for s in _ORDER if s in allowed]


def check_connection_move(current: str, target: ConnectionStatus) -> None:
    """Raise DirectoryError, in words, when a connection may not move from current to target."""
    status = ConnectionStatus(current)
    if target in CONNECTION_STEPS[status]:
        return
    if target == status:
        raise DirectoryError(f"this connection is already {status_words(status)}")
    if status == S.STOPPED:
        raise DirectoryError(
            "this connection has stopped; connect the person to the activity again to start afresh"
        )
    if target == S.ATTENDING:
        raise DirectoryError("mark them attended first: 'still attending' follows a first visit")
    if target == S.SUGGESTED:
        raise DirectoryError("a connection cannot go back to suggested")
    raise DirectoryError(
        f"a connection that is {status_words(status)} cannot go back to {status_words(target)}"
    )


def get_connection(db: Database, connection_id: int) -> ConnectionWithActivity:
    """One connection with its activity's name; LookupError names the id when there is none."""
    rows = list(db.query(_WITH_ACTIVITY + "WHERE c.id = ?", [connection_id]))
    if not rows:
        raise LookupError(f"no connection with id {connection_id}")
    return cast(ConnectionWithActivity, rows[0])


def open_connection_count(db: Database, activity_id: int) -> int:
    """People connected to an activity whose connection has not stopped."""
    return int(
        db.execute(
            "SELECT count(*) FROM connections WHERE activity_id = ? AND status != 'stopped'",
            [activity_id],
        ).fetchone()[0]
    )


def _feedback_line(on: date, status: ConnectionStatus, note: str | None) -> str | None:
    text = " ".join((note or "").split())
    if not text:
        return None
    if len(text) > 2000:
        raise DirectoryError("feedback: at most 2000 characters")
    return f"{short_date(on)} {status_words(status)}: {text}"


def _not_in_future(day: date, clock: Clock) -> None:
    if day > clock.today():
        raise DirectoryError(f"{short_date(day)} is in the future")


def _check_can_connect(db: Database, person_id: int, activity: ActivityRow) -> None:
    name = literal(activity["name"])
    if activity["retired"]:
        raise DirectoryError(f"{name} is retired; it cannot take new connections")
    if activity["status"] in ("inactive", "defunct"):
        raise DirectoryError(f"{name} is {activity['status']}; it cannot take new connections")
    existing = db.execute(
        "SELECT status FROM connections WHERE person_id = ? AND activity_id = ? "
        "AND status != 'stopped'",
        [person_id, activity["id"]],
    ).fetchone()
    if existing:
        raise DirectoryError(
            f"already connected to {name} ({status_words(existing[0])}); move that connection on"
        )


def connect(
    db: Database,
    person_id: int,
    activity_id: int,
    kind: ConnectionKind,
    clock: Clock,
    *,
    on: date | None = None,
    note: str | None = None,
) -> int:
    """Connect a person to an activity (status 'suggested'); returns the connection id.

    Refused for a retired or closed activity, and when the person already has an open
    connection to it. The connection hangs on the person's current referral.
    """
    from linkworker.people import get_person
    from linkworker.referrals import latest_referral, open_referral

    day = on or clock.today()
    _not_in_future(day, clock)
    get_person(db, person_id)
    _check_can_connect(db, person_id, get_activity(db, activity_id))
    referral = open_referral(db, person_id) or latest_referral(db, person_id)
    values = {
        "person_id": person_id,
        "activity_id": activity_id,
        "referral_id": referral["id"] if referral else None,
        "kind": ConnectionKind(kind),
        "status": S.SUGGESTED,
        "suggested_on": day,
        "status_changed_on": day,
        "feedback": _feedback_line(day, S.SUGGESTED, note),
    }
    with db.atomic():
        return audit.insert(db, "connections", values, person_id=person_id, clock=clock)


def move_connection(
    db: Database,
    connection_id: int,
    target: ConnectionStatus,
    clock: Clock,
    *,
    on: date | None = None,
    feedback: str | None = None,
) -> ConnectionWithActivity:
    """Move a connection on (referred, attended, still attending, stopped) with a date and
    an optional feedback note; illegal moves raise DirectoryError saying why."""
    target = ConnectionStatus(target)
    day = on or clock.today()
    with db.atomic():
        conn = get_connection(db, connection_id)
        check_connection_move(conn["status"], target)
        _not_in_future(day, clock)
        since = conn["status_changed_on"]
        if day.isoformat() < since:
            raise DirectoryError(
                f"{short_date(day)} is before the last change ({short_date(since)}, "
                f"{status_words(conn['status'])})"
            )
        changes: dict[str, object] = {"status": target, "status_changed_on": day}
        if target in _STEP_DATE:
            changes[_STEP_DATE[target]] = day
        line = _feedback_line(day, target, feedback)
        if line:
            changes["feedback"] = "\n".join(p for p in (conn["feedback"], line) if p)
        audit.update(
            db, "connections", connection_id, changes, person_id=conn["person_id"], clock=clock
        )
        return get_connection(db, connection_id)


def connections_for_person(db: Database, person_id: int) -> list[ConnectionWithActivity]:
    """A person's connections (open ones first, newest first), with each activity's name;
    retired activities stay on the person's history."""
    sql = _WITH_ACTIVITY + "WHERE c.person_id = ?" + _NEWEST_OPEN_FIRST
    return [cast(ConnectionWithActivity, r) for r in db.query(sql, [person_id])]


def connections_to_ask(db: Database, person_id: int) -> list[ConnectionWithActivity]:
    """The person's connections to ask "did they go?" about (:data:`ASK_DID_THEY_GO_SQL`),
    newest first: none from a closed episode."""
    sql = _WITH_ACTIVITY + f"WHERE c.person_id = ? AND {ASK_DID_THEY_GO_SQL}" + _NEWEST_OPEN_FIRST
    return [cast(ConnectionWithActivity, r) for r in db.query(sql, [person_id])]


def connections_for_activity(db: Database, activity_id: int) -> list[ConnectionWithPerson]:
    """Everyone connected to an activity (for the link worker's eyes only), newest first."""
    sql = (
        "SELECT c.*, p.given_name || ' ' || p.family_name AS person_name "
        "FROM connections c JOIN people p ON p.id = c.person_id WHERE c.activity_id = ?"
        + _NEWEST_OPEN_FIRST
    )
    return [cast(ConnectionWithPerson, r) for r in db.query(sql, [activity_id])]
