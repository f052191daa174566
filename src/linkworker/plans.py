"""Conversations, goals and actions: the personalised care and support plan.

A "what matters to you" conversation records what matters to the person in their own words,
their strengths, their needs by domain (each with a note) and what gets in the way. Goals are
in the person's words, each with agreed actions (what, who, by when) and a review date.
Reviewing a goal records what happened (a ``goal_reviews`` row) and moves its status.

Every write is one transaction through :mod:`linkworker.store.audit`; time comes from a
:class:`~linkworker.clock.Clock`. :func:`plan_text` and :func:`plan_markdown` turn the plan
into the one readable page the person keeps.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.display import literal
from linkworker.models import (
    ActionDetails,
    ActionOwner,
    Barrier,
    ConversationDetails,
    GoalDetails,
    GoalStatus,
    NeedDomain,
)
from linkworker.store import audit
from linkworker.validation import format_date

__all__ = [
    "Action",
    "Conversation",
    "Goal",
    "GoalReview",
    "PlanError",
    "add_action",
    "add_goal",
    "conversations",
    "conversations_text",
    "get_goal",
    "goals",
    "latest_conversation",
    "plan_markdown",
    "plan_text",
    "record_conversation",
    "review_goal",
    "set_action_done",
]

#: Goals still being worked on come first on the plan; then the ones that are finished.
CLOSED_GOAL_STATUSES = (GoalStatus.ACHIEVED, GoalStatus.CHANGED, GoalStatus.DROPPED)

#: The line the link worker fills in by hand on a printed plan.
CONTACT_LINE = "Your link worker: ____________________  Phone or email: ____________________"


class PlanError(ValueError):
    """A plan change that is not allowed; the message names the field and says why."""


# --- What is read back ---------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    """One "what matters to you" conversation, decoded."""

    id: int
    person_id: int
    held_on: date
    what_matters: str | None
    strengths: str | None
    needs: dict[NeedDomain, str]
    barriers: list[Barrier]
    barriers_note: str | None


@dataclass(frozen=True)
class Action:
    """An agreed step towards a goal."""

    id: int
    goal_id: int
    description: str
    owner: ActionOwner
    owner_name: str | None
    due_on: date | None
    done_on: date | None

    @property
    def who(self) -> str:
        """Who does it, in the link worker's words."""
        if self.owner is ActionOwner.SOMEONE_ELSE:
            return self.owner_name or "Someone else"
        base = self.owner.label
        return f"{base} ({self.owner_name})" if self.owner_name else base

    @property
    def who_for_person(self) -> str:
        """Who does it, as the person reads it on their copy of the plan."""
        if self.owner is ActionOwner.PERSON:
            return "You"
        if self.owner is ActionOwner.LINK_WORKER:
            return "Your link worker" + (f" ({self.owner_name})" if self.owner_name else "")
        return self.owner_name or "Someone else"


@dataclass(frozen=True)
class GoalReview:
    """What happened when a goal was reviewed."""

    id: int
    goal_id: int
    reviewed_on: date
    status: GoalStatus
    note: str | None


@dataclass(frozen=True)
class Goal:
    """A goal in the person's words, with its actions and reviews (oldest review first)."""

    id: int
    person_id: int
    description: str
    status: GoalStatus
    status_changed_on: date | None
    review_on: date | None
    set_on: date
    conversation_id: int | None
    actions: list[Action] = field(default_factory=list)
    reviews: list[GoalReview] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status is GoalStatus.OPEN


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _conversation(row: dict[str, Any]) -> Conversation:
    try:
        raw_needs = json.loads(row["needs"] or "{}")
    except json.JSONDecodeError:
        raw_needs = {}
    needs: dict[NeedDomain, str] = {}
    if isinstance(raw_needs, dict):
        for key, note in raw_needs.items():
            try:
                needs[NeedDomain(key)] = "" if note is None else str(note)
            except ValueError:
                needs[NeedDomain.OTHER] = f"{key}: {note}" if note else str(key)
    try:
        raw_barriers = json.loads(row["barriers"] or "[]")
    except json.JSONDecodeError:
        raw_barriers = []
    barriers = []
    for code in raw_barriers if isinstance(raw_barriers, list) else []:
        try:
            barriers.append(Barrier(code))
        except ValueError:
            continue
    # Show the domains in the order of the form, whatever order they were stored in.
    ordered = {d: needs[d] for d in NeedDomain if d in needs}
    return Conversation(
        id=int(row["id"]),
        person_id=int(row["person_id"]),
        held_on=date.fromisoformat(row["held_on"][:10]),
        what_matters=row["what_matters"],
        strengths=row["strengths"],
        needs=ordered,
        barriers=[b for b in Barrier if b in barriers],
        barriers_note=row["barriers_note"],
    )


def _action(row: dict[str, Any]) -> Action:
    try:
        owner = ActionOwner(row["owner"])
    except ValueError:
        owner = ActionOwner.SOMEONE_ELSE
    return Action(
        id=int(row["id"]),
        goal_id=int(row["goal_id"]),
        description=row["description"],
        owner=owner,
        owner_name=row["owner_name"],
        due_on=_date(row["due_on"]),
        done_on=_date(row["done_on"]),
    )


# --- Conversations -------------------------------------------------------------------------


def _person_exists(db: Database, person_id: int) -> None:
    if db.execute("SELECT 1 FROM people WHERE id = ?", [person_id]).fetchone() is None:
        raise LookupError(f"no person with id {person_id}")


def _current_referral_id(db: Database, person_id: int) -> int | None:
    row = db.execute(
        "SELECT id FROM referrals WHERE person_id = ? ORDER BY received_on DESC, id DESC LIMIT 1",
        [person_id],
    ).fetchone()
    return int(row[0]) if row else None


def record_conversation(
    db: Database,
    person_id: int,
    details: ConversationDetails,
    clock: Clock,
    referral_id: int | None = None,
) -> int:
    """Store a "what matters to you" conversation (on the current referral); returns its id.

    What matters to the person is the heart of it and is required (their words; "not sure
    yet" is an answer), so a form saved by mistake with only the referral's needs ticked
    records nothing.
    """
    if details.held_on > clock.today():
        raise PlanError(f"held on: {format_date(details.held_on)} is in the future")
    if not details.what_matters:
        raise PlanError("what matters: write what matters to the person, in their words")
    with db.atomic():
        _person_exists(db, person_id)
        if referral_id is None:
            referral_id = _current_referral_id(db, person_id)
        values = details.model_dump()
        values.update(person_id=person_id, referral_id=referral_id)
        return audit.insert(db, "conversations", values, person_id=person_id, clock=clock)


def conversations(db: Database, person_id: int) -> list[Conversation]:
    """Every conversation with the person, newest first."""
    return [
        _conversation(r)
        for r in db.query(
            "SELECT * FROM conversations WHERE person_id = ? ORDER BY held_on DESC, id DESC",
            [person_id],
        )
    ]


def latest_conversation(db: Database, person_id: int) -> Conversation | None:
    """The most recent conversation, or None."""
    rows = list(
        db.query(
            "SELECT * FROM conversations WHERE person_id = ? ORDER BY held_on DESC, id DESC "
            "LIMIT 1",
            [person_id],
        )
    )
    return _conversation(rows[0]) if rows else None


# --- Goals and actions ----------------------------------------------------------------------


def _check_action(action: ActionDetails, set_on: date, number: int | None = None) -> None:
    where = f"action {number}: " if number is not None else ""
    if action.due_on is not None and action.due_on < set_on:
        raise PlanError(
            f"{where}by when: {format_date(action.due_on)} is before the goal was set "
            f"({format_date(set_on)})"
        )


def add_goal(
    db: Database,
    person_id: int,
    goal: GoalDetails,
    actions: Sequence[ActionDetails],
    clock: Clock,
    *,
    set_on: date | None = None,
    conversation_id: int | None = None,
) -> int:
    """Agree a goal in the person's words with its actions, in one transaction; returns its id.

    The goal hangs off the latest conversation unless ``conversation_id`` says otherwise.
    """
    today = clock.today()
    set_on = set_on or today
    if set_on > today:
        raise PlanError(f"set on: {format_date(set_on)} is in the future")
    if goal.review_on is not None and goal.review_on < set_on:
        raise PlanError(
            f"review on: {format_date(goal.review_on)} is before the goal was set "
            f"({format_date(set_on)})"
        )
    for n, action in enumerate(actions, start=1):
        _check_action(action, set_on, n)
    with db.atomic():
        _person_exists(db, person_id)
        if conversation_id is None:
            latest = latest_conversation(db, person_id)
            conversation_id = latest.id if latest else None
        values: dict[str, object] = {
            "person_id": person_id,
            "referral_id": _current_referral_id(db, person_id),
            "conversation_id": conversation_id,
            "description": goal.description,
            "status": goal.status,
            "status_changed_on": None if goal.status is GoalStatus.OPEN else set_on,
            "review_on": goal.review_on,
            "set_on": set_on,
        }
        goal_id = audit.insert(db, "goals", values, person_id=person_id, clock=clock)
        for action in actions:
            _insert_action(db, goal_id, person_id, action, clock)
        return goal_id


def _insert_action(
    db: Database, goal_id: int, person_id: int, action: ActionDetails, clock: Clock
) -> int:
    values = action.model_dump()
    values["goal_id"] = goal_id
    return audit.insert(db, "actions", values, person_id=person_id, clock=clock)


def _goal_row(db: Database, goal_id: int) -> dict[str, Any]:
    rows = list(db.query("SELECT * FROM goals WHERE id = ?", [goal_id]))
    if not rows:
        raise LookupError(f"no goal with id {goal_id}")
    return rows[0]


def add_action(db: Database, goal_id: int, action: ActionDetails, clock: Clock) -> int:
    """Add an agreed action to an existing goal; returns its id."""
    with db.atomic():
        goal = _goal_row(db, goal_id)
        _check_action(action, date.fromisoformat(goal["set_on"]))
        return _insert_action(db, goal_id, int(goal["person_id"]), action, clock)


def set_action_done(
    db: Database, action_id: int, clock: Clock, done_on: date | None = None, *, done: bool = True
) -> None:
    """Mark an action done (today unless ``done_on``), or not done again with ``done=False``."""
    rows = list(
        db.query(
            "SELECT a.*, g.person_id, g.set_on FROM actions a JOIN goals g ON g.id = a.goal_id "
            "WHERE a.id = ?",
            [action_id],
        )
    )
    if not rows:
        raise LookupError(f"no action with id {action_id}")
    row = rows[0]
    when: date | None = None
    if done:
        when = done_on or clock.today()
        if when > clock.today():
            raise PlanError(f"done on: {format_date(when)} is in the future")
        if when < date.fromisoformat(row["set_on"]):
            raise PlanError(
                f"done on: {format_date(when)} is before the goal was set "
                f"({format_date(row['set_on'])})"
            )
    with db.atomic():
        audit.update(
            db, "actions", action_id, {"done_on": when}, person_id=row["person_id"], clock=clock
        )


def review_goal(
    db: Database,
    goal_id: int,
    status: GoalStatus,
    clock: Clock,
    *,
    note: str | None = None,
    reviewed_on: date | None = None,
    next_review_on: date | None = None,
    new_description: str | None = None,
) -> int:
    """Record what happened at a goal's review and move its status; returns the review's id.

    The goal's ``status_changed_on`` becomes the review date when the status changes. For a goal
    still open, ``next_review_on`` sets the next review. A goal marked *changed* with
    ``new_description`` gets a new open goal in the new words (same conversation), with the
    open actions carried over. Everything happens in one transaction.
    """
    today = clock.today()
    reviewed_on = reviewed_on or today
    note = (note or "").strip() or None
    new_description = (new_description or "").strip() or None
    if reviewed_on > today:
        raise PlanError(f"reviewed on: {format_date(reviewed_on)} is in the future")
    if next_review_on is not None and next_review_on < reviewed_on:
        raise PlanError(
            f"next review: {format_date(next_review_on)} is before this review "
            f"({format_date(reviewed_on)})"
        )
    if new_description is not None and status is not GoalStatus.CHANGED:
        raise PlanError("new goal: only a goal marked changed takes new words")
    if new_description is not None and len(new_description) > 2000:
        raise PlanError("new goal: at most 2000 characters")
    with db.atomic():
        goal = _goal_row(db, goal_id)
        person_id = int(goal["person_id"])
        set_on = date.fromisoformat(goal["set_on"])
        if reviewed_on < set_on:
            raise PlanError(
                f"reviewed on: {format_date(reviewed_on)} is before the goal was set "
                f"({format_date(set_on)})"
            )
        review_id = audit.insert(
            db,
            "goal_reviews",
            {"goal_id": goal_id, "reviewed_on": reviewed_on, "status": status, "note": note},
            person_id=person_id,
            clock=clock,
        )
        changes: dict[str, object] = {}
        if goal["status"] != status.value:
            changes["status"] = status
            changes["status_changed_on"] = reviewed_on
        if status is GoalStatus.OPEN and next_review_on is not None:
            changes["review_on"] = next_review_on
        if changes:
            audit.update(db, "goals", goal_id, changes, person_id=person_id, clock=clock)
        if new_description is not None:
            new_id = audit.insert(
                db,
                "goals",
                {
                    "person_id": person_id,
                    "referral_id": goal["referral_id"],
                    "conversation_id": goal["conversation_id"],
                    "description": new_description,
                    "status": GoalStatus.OPEN,
                    "review_on": next_review_on,
                    "set_on": reviewed_on,
                },
                person_id=person_id,
                clock=clock,
            )
            for action in db.query(
                "SELECT id FROM actions WHERE goal_id = ? AND done_on IS NULL", [goal_id]
            ):
                audit.update(
                    db,
                    "actions",
                    int(action["id"]),
                    {"goal_id": new_id},
                    person_id=person_id,
                    clock=clock,
                )
        return review_id


def get_goal(db: Database, goal_id: int) -> Goal:
    """One goal with its actions and reviews."""
    row = _goal_row(db, goal_id)
    return _goals(db, [row])[0]


def _goals(db: Database, rows: list[dict[str, Any]]) -> list[Goal]:
    if not rows:
        return []
    ids = [int(r["id"]) for r in rows]
    marks = ", ".join("?" for _ in ids)
    actions: dict[int, list[Action]] = {i: [] for i in ids}
    for a in db.query(
        f"SELECT * FROM actions WHERE goal_id IN ({marks}) "
        "ORDER BY done_on IS NOT NULL, due_on IS NULL, due_on, id",
        ids,
    ):
        actions[int(a["goal_id"])].append(_action(a))
    reviews: dict[int, list[GoalReview]] = {i: [] for i in ids}
    for r in db.query(
        f"SELECT * FROM goal_reviews WHERE goal_id IN ({marks}) ORDER BY reviewed_on, id", ids
    ):
        reviews[int(r["goal_id"])].append(
            GoalReview(
                id=int(r["id"]),
                goal_id=int(r["goal_id"]),
                reviewed_on=date.fromisoformat(r["reviewed_on"][:10]),
                status=GoalStatus(r["status"]),
                note=r["note"],
            )
        )
    return [
        Goal(
            id=int(r["id"]),
            person_id=int(r["person_id"]),
            description=r["description"],
            status=GoalStatus(r["status"]),
            status_changed_on=_date(r["status_changed_on"]),
            review_on=_date(r["review_on"]),
            set_on=date.fromisoformat(r["set_on"][:10]),
            conversation_id=r["conversation_id"],
            actions=actions[int(r["id"])],
            reviews=reviews[int(r["id"])],
        )
        for r in rows
    ]


def goals(db: Database, person_id: int, *, open_only: bool = False) -> list[Goal]:
    """The person's goals: open ones first (soonest review first), then finished ones (newest
    first)."""
    where = "person_id = ?" + (" AND status = 'open'" if open_only else "")
    rows = list(
        db.query(
            f"SELECT * FROM goals WHERE {where} ORDER BY status != 'open', "
            "CASE WHEN status = 'open' THEN coalesce(review_on, '9999') END, "
            "coalesce(status_changed_on, set_on) DESC, id",
            [person_id],
        )
    )
    return _goals(db, rows)


# --- The plan as a page ---------------------------------------------------------------------

Style = Literal["text", "markdown"]
_WIDTH = 78


def _person(db: Database, person_id: int) -> dict[str, Any]:
    rows = list(db.query("SELECT * FROM people WHERE id = ?", [person_id]))
    if not rows:
        raise LookupError(f"no person with id {person_id}")
    return rows[0]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


class _Page:
    """Builds the same document as plain text (wrapped to 78 columns) or as Markdown."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.lines: list[str] = []

    def clean(self, value: object) -> str:
        # Stored text is shown literally: no escape codes in a file someone may `cat`, and no
        # Markdown or HTML read into what the person typed.
        text = literal(value, single_line=False).strip()
        return _MD_SPECIAL.sub(r"\\\1", text) if self.style == "markdown" else text

    def title(self, text: str) -> None:
        if self.style == "markdown":
            self.lines += [f"# {text}", ""]
        else:
            self.lines += [text, "=" * len(text), ""]

    def heading(self, text: str) -> None:
        if self.style == "markdown":
            self.lines += [f"## {text}", ""]
        else:
            self.lines += [text, "-" * len(text), ""]

    def para(self, text: str, indent: str = "", *, blank: bool = True) -> None:
        """A paragraph (line breaks kept), followed by a blank line unless ``blank=False``."""
        blocks = text.split("\n")
        for n, block in enumerate(blocks):
            if self.style == "markdown":
                # Two trailing spaces keep the person's own line breaks inside a paragraph.
                more = n < len(blocks) - 1 and block
                self.lines.append(indent + block + ("  " if more else ""))
            else:
                wrapped = textwrap.wrap(
                    block,
                    _WIDTH,
                    initial_indent=indent,
                    subsequent_indent=indent,
                    break_long_words=True,
                )
                self.lines += wrapped or [""]
        if blank:
            self.lines.append("")

    def bullet(self, text: str, indent: int = 0, box: bool | None = None) -> None:
        pad = "  " * indent
        mark = "-" if box is None else ("- [x]" if box else "- [ ]")
        if self.style == "markdown":
            self.lines.append(f"{pad}{mark} {text}")
        else:
            mark = "-" if box is None else ("[x]" if box else "[ ]")
            first = f"{pad}{mark} "
            self.lines += textwrap.wrap(
                text,
                _WIDTH,
                initial_indent=first,
                subsequent_indent=" " * len(first),
                break_long_words=True,
            ) or [first]

    def gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def render(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _plan(db: Database, person_id: int, today: date, style: Style, contact_line: str | None) -> str:
    person = _person(db, person_id)
    page = _Page(style)
    name = f"{person['given_name']} {person['family_name']}"
    page.title("My personalised care and support plan")
    page.para(f"Name: {page.clean(name)}\nDate: {format_date(today)}")
    latest = latest_conversation(db, person_id)
    if latest is None:
        page.para("We have not yet talked about what matters to you.")
    else:
        page.para(f"From our conversation on {format_date(latest.held_on)}.")
        page.heading("What matters to me")
        page.para(page.clean(latest.what_matters) if latest.what_matters else "(not written yet)")
        if latest.strengths:
            page.heading("My strengths and the people and things I can draw on")
            page.para(page.clean(latest.strengths))
        if latest.needs:
            page.heading("What I would like support with")
            for domain, note in latest.needs.items():
                page.bullet(domain.label + (f": {page.clean(note)}" if note else ""))
            page.gap()
        if latest.barriers or latest.barriers_note:
            page.heading("What can get in the way")
            words = ", ".join(b.label for b in latest.barriers).capitalize()
            note = page.clean(latest.barriers_note) if latest.barriers_note else ""
            page.para(". ".join(x for x in (words, note) if x))
    all_goals = goals(db, person_id)
    current = [g for g in all_goals if g.is_open]
    finished = [g for g in all_goals if not g.is_open]
    page.heading("My goals")
    if not current:
        page.para("No open goals yet." if not finished else "No open goals at the moment.")
    for n, goal in enumerate(current, start=1):
        review = f" (we will look at this again on {format_date(goal.review_on)})"
        page.para(
            f"{n}. {page.clean(goal.description)}" + (review if goal.review_on else ""),
            blank=not goal.actions,
        )
        if goal.actions:
            page.para("What we agreed, who does it and by when:", indent="   ", blank=False)
            for action in goal.actions:
                by = f", by {format_date(action.due_on)}" if action.due_on else ""
                done = f" (done {format_date(action.done_on)})" if action.done_on else ""
                page.bullet(
                    f"{page.clean(action.description)}: {page.clean(action.who_for_person)}"
                    f"{by}{done}",
                    indent=2,
                    box=action.done_on is not None,
                )
            page.gap()
    if finished:
        page.heading("Goals reached, changed or stopped")
        for goal in finished:
            when = f" on {format_date(goal.status_changed_on)}" if goal.status_changed_on else ""
            page.bullet(f"{page.clean(goal.description)}: {goal.status.label.lower()}{when}")
        page.gap()
    reviews = sorted(g.review_on for g in current if g.review_on)
    page.heading("Next review")
    page.para(format_date(reviews[0]) if reviews else "To be agreed.")
    page.para(page.clean(contact_line) if contact_line else CONTACT_LINE)
    return page.render()


def plan_text(db: Database, person_id: int, today: date, contact_line: str | None = None) -> str:
    """The plan as one readable plain-text page (78 columns) for the person to keep.

    Their name and the date, what matters to them, strengths, needs, barriers, goals with who
    does what by when, review dates, and a line for the link worker's contact details (left
    blank to fill in unless ``contact_line`` is given). No NHS number.
    """
    return _plan(db, person_id, today, "text", contact_line)


def plan_markdown(
    db: Database, person_id: int, today: date, contact_line: str | None = None
) -> str:
    """The same plan as Markdown (headings, checkboxes for actions)."""
    return _plan(db, person_id, today, "markdown", contact_line)


def conversations_text(db: Database, person_id: int, style: Style = "text") -> str:
    """Every conversation, newest first, as a readable document."""
    person = _person(db, person_id)
    page = _Page(style)
    name = f"{person['given_name']} {person['family_name']}"
    page.title(f"Conversations with {page.clean(name)}")
    found = conversations(db, person_id)
    if not found:
        page.para("No conversations recorded yet.")
    for n, c in enumerate(found):
        page.heading(format_date(c.held_on) + (" (latest)" if n == 0 else ""))
        page.para("What matters: " + (page.clean(c.what_matters) if c.what_matters else "-"))
        page.para("Strengths and assets: " + (page.clean(c.strengths) if c.strengths else "-"))
        if c.needs:
            page.para("Needs:", blank=False)
            for domain, note in c.needs.items():
                page.bullet(domain.label + (f": {page.clean(note)}" if note else ""))
            page.gap()
        barriers = ", ".join(b.label for b in c.barriers).capitalize() or "none noted"
        note = f". {page.clean(c.barriers_note)}" if c.barriers_note else ""
        page.para(f"Barriers: {barriers}{note}")
    return page.render()
