"""The plan the person holds, in plain words: their goals as they said them, who does what,
when it will be looked at again and how to reach their link worker.

Pure: given a :class:`PlanCopy`, it returns the document through
:class:`linkworker.formats.handout.Handout`, so the copy comes in large print or easy read
when the person needs it, as text, Markdown or a printable page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from linkworker.formats.handout import Handout, HandoutStyle, Reading, say
from linkworker.models import Goal
from linkworker.validation import format_date

#: The lines to fill in by hand while the worker's name is not in the settings.
FILL_IN = ["Your link worker: ____________________", "Phone or email: ____________________"]


@dataclass(frozen=True)
class PlanCopy:
    """What the person's copy says."""

    name: str
    made_on: date
    what_matters: str | None
    goals: Sequence[Goal]
    review_on: date | None
    #: Settings.sign_off(): the worker's name, role and how to reach them.
    signed: list[str] | None = None


def _goals(doc: Handout, goals: Sequence[Goal]) -> None:
    r = doc.reading
    doc.heading(say(r, "My goals, in my words", "My goals"))
    if not goals:
        doc.para(say(r, "We have not agreed any goals yet.", "We have no goals yet."))
    for n, goal in enumerate(goals, start=1):
        doc.subheading(f"Goal {n}")
        doc.para(goal.description, typed=True)
        if any(action.done_on is None for action in goal.actions):
            doc.para(say(r, "Who does what:", "Who does what:"))
        for action in goal.actions:
            if action.done_on is not None:
                continue
            by = format_date(action.due_on) if action.due_on else None
            if r.easy_read:
                lines = [f"What: {action.description}", f"Who: {action.who_for_person}"]
                lines += [f"When: by {by}"] if by else []
                doc.item("\n".join(lines), typed=True)
            else:
                when = f", by {by}" if by else ""
                doc.item(f"{action.who_for_person}: {action.description}{when}", typed=True)


def person_plan_document(copy: PlanCopy, style: HandoutStyle, reading: Reading) -> str:
    """The person's copy of their plan, written as ``reading`` says and in ``style``."""
    doc = Handout(reading)
    r = reading
    doc.title(say(r, f"{copy.name}'s plan", f"My plan, {copy.name}"))
    doc.para(
        say(
            r,
            f"Made with your link worker on {format_date(copy.made_on)}. It is yours to keep.",
            f"We made this plan together.\nThe date is {format_date(copy.made_on)}.\n"
            "This plan is yours.",
        )
    )
    doc.heading(say(r, "What matters to me", "What matters to me"))
    if copy.what_matters:
        doc.para(copy.what_matters, typed=True)
    else:
        doc.para(say(r, "We have not written this down yet.", "We will write this together."))
    _goals(doc, copy.goals)
    doc.heading(say(r, "When we will look at this again", "When we meet again"))
    if copy.review_on and copy.review_on < copy.made_on:
        # A review date that has passed is never written as if it were still to come.
        doc.para(
            say(
                r,
                f"The review of this plan was due on {format_date(copy.review_on)}. "
                "We will agree a new date together.",
                f"We were going to look at this plan on {format_date(copy.review_on)}.\n"
                "We will choose a new date together.",
            )
        )
    elif copy.review_on:
        doc.para(
            say(
                r,
                f"We will look at this plan together on {format_date(copy.review_on)}.",
                f"We will look at this plan on {format_date(copy.review_on)}.",
            )
        )
    else:
        doc.para(say(r, "We will agree a date together.", "We will choose a date together."))
    doc.heading(say(r, "How to reach your link worker", "How to talk to your link worker"))
    doc.lines(copy.signed or FILL_IN)
    doc.para(
        say(
            r,
            "If you need this plan in another format (large print, easy read, audio or "
            "another language), tell your link worker.",
            "Do you need this plan in a different way?\nTell your link worker.",
        )
    )
    return doc.render(style)
