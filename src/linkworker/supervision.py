"""Supervision: people marked for it with a question, and the sessions the worker has.

Marking a person gives their case a random reference (``SV-3F9A``), so the supervision
pack (:mod:`linkworker.reports.supervision_pack`) can speak of the case without their
name. Each session records its date, kind (practice, clinical or professional), who
supervised and the actions agreed: an action about a person becomes a follow-up booked
on their open referral; any other action is a general task, open until marked done.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.errors import CaseloadError
from linkworker.followups.booking import schedule
from linkworker.followups.days import add_working_days
from linkworker.models import FollowUpDetails, FollowUpKind
from linkworker.models.care import SupervisionKind
from linkworker.store import audit
from linkworker.validation import form_text, format_date

QUESTION_MAX = 1000
ACTION_MAX = 300


class SupervisionError(CaseloadError):
    """A supervision step is refused; the message (and field) say why."""


@dataclass(frozen=True)
class MarkedCase:
    """A person marked for supervision, their case reference and the question."""

    person_id: int
    case_ref: str
    question: str
    marked_on: date


@dataclass(frozen=True)
class AgreedAction:
    """An action agreed in supervision: for a person (a follow-up) or a general task."""

    text: str
    person_id: int | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class SessionAction:
    id: int
    text: str
    person_id: int | None
    due_on: date
    followup_id: int | None
    done_on: date | None


@dataclass(frozen=True)
class Session:
    """One supervision session as recorded, with its actions."""

    id: int
    held_on: date
    kind: str
    supervisor: str
    note: str | None
    actions: list[SessionAction] = field(default_factory=list)

    def headline(self) -> str:
        """'12 Nov 2026 clinical supervision with Dr A Lee'."""
        kind = SupervisionKind(self.kind).label.lower()
        return f"{format_date(self.held_on)} {kind} supervision with {self.supervisor}"


def _text(value: str, name: str, most: int, *, multiline: bool = False) -> str:
    checked = form_text(
        value, name, most, multiline=multiline, required=True, error=SupervisionError
    )
    assert checked is not None  # required: a blank is refused
    return checked


def _new_case_ref(db: Database) -> str:
    while True:
        ref = f"SV-{secrets.token_hex(2).upper()}"
        if not db.execute("SELECT 1 FROM supervision_cases WHERE case_ref = ?", [ref]).fetchone():
            return ref


def marked_case(db: Database, person_id: int) -> MarkedCase | None:
    """The person's mark for supervision, or None."""
    row = db.execute(
        "SELECT person_id, case_ref, question, marked_on FROM supervision_cases "
        "WHERE person_id = ?",
        [person_id],
    ).fetchone()
    return MarkedCase(row[0], row[1], row[2], date.fromisoformat(row[3])) if row else None


def marked_cases(db: Database) -> list[MarkedCase]:
    """Everyone marked for supervision, longest waiting first."""
    return [
        MarkedCase(r[0], r[1], r[2], date.fromisoformat(r[3]))
        for r in db.execute(
            "SELECT person_id, case_ref, question, marked_on FROM supervision_cases "
            "ORDER BY marked_on, id"
        ).fetchall()
    ]


def mark(db: Database, person_id: int, question: str, clock: Clock) -> MarkedCase:
    """Mark a person for supervision with the question (a marked person's question changes)."""
    question = _text(question, "question", QUESTION_MAX, multiline=True)
    with db.atomic():
        if not db.execute("SELECT 1 FROM people WHERE id = ?", [person_id]).fetchone():
            raise LookupError(f"no person with id {person_id}")
        found = db.execute(
            "SELECT id FROM supervision_cases WHERE person_id = ?", [person_id]
        ).fetchone()
        if found:
            audit.update(
                db,
                "supervision_cases",
                int(found[0]),
                {"question": question},
                person_id=person_id,
                clock=clock,
            )
        else:
            values = {
                "person_id": person_id,
                "case_ref": _new_case_ref(db),
                "question": question,
                "marked_on": clock.today(),
            }
            audit.insert(db, "supervision_cases", values, person_id=person_id, clock=clock)
    case = marked_case(db, person_id)
    assert case is not None
    return case


def unmark(db: Database, person_id: int, clock: Clock) -> MarkedCase:
    """Take a person off the supervision list (SupervisionError if they are not on it)."""
    with db.atomic():
        case = marked_case(db, person_id)
        if case is None:
            raise SupervisionError(f"person {person_id} is not marked for supervision")
        row_id = db.execute(
            "SELECT id FROM supervision_cases WHERE person_id = ?", [person_id]
        ).fetchone()[0]
        audit.delete(db, "supervision_cases", int(row_id), person_id=person_id, clock=clock)
    return case


def _action_due(action: AgreedAction, today: date, nation: str) -> date:
    due = action.due_on or add_working_days(today, 1, nation)
    if due < today:
        raise SupervisionError(
            f"actions: '{action.text}' is due {format_date(due)}, in the past", field="actions"
        )
    return due


def record_session(
    db: Database,
    held_on: date,
    kind: SupervisionKind | str,
    supervisor: str,
    actions: list[AgreedAction],
    clock: Clock,
    *,
    note: str | None = None,
    nation: str = "england-and-wales",
) -> Session:
    """Record a session and its actions in one transaction; each person's action is booked
    as a follow-up (a phone call by default, on the next working day unless given)."""
    try:
        kind = SupervisionKind(kind)
    except ValueError as exc:
        choices = ", ".join(k.value for k in SupervisionKind)
        raise SupervisionError(f"kind: choose one of {choices}", field="kind") from exc
    if held_on > clock.today():
        raise SupervisionError("held on: a session is recorded once it has happened", "held_on")
    supervisor = _text(supervisor, "supervisor", 120)
    note = _text(note, "note", 2000, multiline=True) if note and note.strip() else None
    with db.atomic():
        session_id = db.execute(
            "INSERT INTO supervision_sessions (held_on, kind, supervisor, note, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [held_on.isoformat(), kind.value, supervisor, note, clock.stamp()],
        ).lastrowid
        for action in actions:
            _agree(db, int(session_id or 0), action, clock, nation)
    return sessions(db, session_id=int(session_id or 0))[0]


def _agree(db: Database, session_id: int, action: AgreedAction, clock: Clock, nation: str) -> None:
    text = _text(action.text, "actions", ACTION_MAX)
    due = _action_due(action, clock.today(), nation)
    followup_id = None
    if action.person_id is not None:
        booking = FollowUpDetails.model_validate(
            {"due_on": due, "kind": FollowUpKind.PHONE, "purpose": f"From supervision: {text}"},
            context={"today": clock.today()},
        )
        try:
            followup_id = schedule(db, action.person_id, booking, clock, nation=nation).followup_id
        except CaseloadError as exc:
            raise SupervisionError(f"actions: person {action.person_id}: {exc}", "actions") from exc
    values = {
        "session_id": session_id,
        "person_id": action.person_id,
        "action": text,
        "due_on": due,
        "followup_id": followup_id,
    }
    audit.insert(db, "supervision_actions", values, person_id=action.person_id, clock=clock)


def sessions(db: Database, *, session_id: int | None = None) -> list[Session]:
    """Every session (or one), latest first, each with its actions."""
    where = "WHERE id = ?" if session_id is not None else ""
    rows = db.execute(
        f"SELECT id, held_on, kind, supervisor, note FROM supervision_sessions {where} "
        "ORDER BY held_on DESC, id DESC",
        [session_id] if session_id is not None else [],
    ).fetchall()
    found = []
    for sid, held_on, kind, supervisor, note in rows:
        actions = [
            SessionAction(
                a[0],
                a[1],
                a[2],
                date.fromisoformat(a[3]),
                a[4],
                date.fromisoformat(a[5]) if a[5] else None,
            )
            for a in db.execute(
                "SELECT id, action, person_id, due_on, followup_id, done_on "
                "FROM supervision_actions WHERE session_id = ? ORDER BY id",
                [sid],
            ).fetchall()
        ]
        found.append(Session(sid, date.fromisoformat(held_on), kind, supervisor, note, actions))
    return found


def task_done(db: Database, action_id: int, clock: Clock) -> None:
    """Mark a general task from supervision done (a person's action is done by its follow-up)."""
    with db.atomic():
        row = db.execute(
            "SELECT person_id, done_on FROM supervision_actions WHERE id = ?", [action_id]
        ).fetchone()
        if row is None:
            raise LookupError(f"no supervision action with id {action_id}")
        if row[0] is not None:
            raise SupervisionError(
                "this action is a follow-up for a person: complete it on Today or their record"
            )
        if row[1] is not None:
            raise SupervisionError(f"this task was already done on {format_date(row[1])}")
        audit.update(
            db,
            "supervision_actions",
            action_id,
            {"done_on": clock.today()},
            person_id=None,
            clock=clock,
        )


def open_tasks(db: Database) -> list[SessionAction]:
    """The general tasks agreed in supervision and not yet done, the soonest due first."""
    rows = db.execute(
        "SELECT id, action, person_id, due_on, followup_id, done_on FROM supervision_actions "
        "WHERE person_id IS NULL AND done_on IS NULL ORDER BY due_on, id"
    ).fetchall()
    return [SessionAction(r[0], r[1], None, date.fromisoformat(r[3]), r[4], None) for r in rows]


def task_words(task: SessionAction, today: date) -> str:
    """'Read the lone working policy (due 10 Dec 2026, overdue)'."""
    late = ", overdue" if task.due_on < today else ""
    return f"{task.text} (due {format_date(task.due_on)}{late})"


def open_tasks_words(tasks: list[SessionAction], today: date) -> str:
    """What the Reports screen says of the open tasks ('' when there are none)."""
    if not tasks:
        return ""
    count = "1 task" if len(tasks) == 1 else f"{len(tasks)} tasks"
    shown = "; ".join(task_words(t, today) for t in tasks[:3])
    more = f"; and {len(tasks) - 3} more" if len(tasks) > 3 else ""
    return f"From supervision, open: {count}: {shown}{more}."


def last_session_words(db: Database, today: date) -> str:
    """'Last supervision: 12 Nov 2026 (clinical, 11 days ago)', or that there is none."""
    found = db.execute(
        "SELECT held_on, kind FROM supervision_sessions ORDER BY held_on DESC, id DESC LIMIT 1"
    ).fetchone()
    if found is None:
        return "Last supervision: none recorded"
    held_on = date.fromisoformat(found[0])
    days = (today - held_on).days
    ago = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return f"Last supervision: {format_date(held_on)} ({found[1]}, {ago})"


def session_lines(found: list[Session]) -> list[str]:
    """Sessions and their actions as lines, for ``supervision list``."""
    lines = []
    for session in found:
        lines.append(session.headline())
        if session.note:
            lines.append(f"  Note: {session.note}")
        for action in session.actions:
            whose = f"person {action.person_id}" if action.person_id else "task"
            state = (
                f"follow-up {action.followup_id}"
                if action.followup_id
                else (f"done {format_date(action.done_on)}" if action.done_on else "open")
            )
            lines.append(
                f"  [{action.id}] {action.text} ({whose}, due {format_date(action.due_on)}, "
                f"{state})"
            )
    return lines
