"""The plan as the one readable page the person keeps, and writing it to a file.

This gathers the person's conversation and goals; :mod:`linkworker.formats.plan_document`
lays out the page.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from linkworker.formats.plan_document import Style, conversations_document, plan_document
from linkworker.plans.conversations import conversations, latest_conversation
from linkworker.plans.goals import goals
from linkworker.plans.records import person_row


def _name(db: Database, person_id: int) -> str:
    person = person_row(db, person_id)
    return f"{person['given_name']} {person['family_name']}"


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


def _plan(db: Database, person_id: int, today: date, style: Style, contact_line: str | None) -> str:
    name = _name(db, person_id)
    latest = latest_conversation(db, person_id)
    return plan_document(name, today, latest, goals(db, person_id), style, contact_line)


def conversations_text(db: Database, person_id: int, style: Style = "text") -> str:
    """Every conversation, newest first, as a readable document."""
    return conversations_document(_name(db, person_id), conversations(db, person_id), style)
