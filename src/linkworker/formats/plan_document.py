"""The personalised care and support plan as one readable page, in plain text or Markdown.

Pure: it is given the person's name, their latest conversation and their goals (the
dataclasses of :mod:`linkworker.models.plans`) and returns the page; no store is read here.
Stored text is shown literally: no escape codes in a file someone may ``cat``, and no
Markdown or HTML read into what the person typed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from typing import Literal

from linkworker.display import escape_markdown, literal
from linkworker.models import Conversation, Goal
from linkworker.validation import format_date

#: The line the link worker fills in by hand on a printed plan.
CONTACT_LINE = "Your link worker: ____________________  Phone or email: ____________________"

Style = Literal["text", "markdown"]
_WIDTH = 78


class _Page:
    """Builds the same document as plain text (wrapped to 78 columns) or as Markdown."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.lines: list[str] = []

    def clean(self, value: object) -> str:
        text = literal(value, single_line=False).strip()
        return escape_markdown(text) if self.style == "markdown" else text

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

    def needs(self, conversation: Conversation) -> None:
        for domain, note in conversation.needs.items():
            self.bullet(domain.label + (f": {self.clean(note)}" if note else ""))
        self.gap()

    def render(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _what_matters(page: _Page, latest: Conversation | None) -> None:
    if latest is None:
        page.para("We have not yet talked about what matters to you.")
        return
    page.para(f"From our conversation on {format_date(latest.held_on)}.")
    page.heading("What matters to me")
    page.para(page.clean(latest.what_matters) if latest.what_matters else "(not written yet)")
    if latest.strengths:
        page.heading("My strengths and the people and things I can draw on")
        page.para(page.clean(latest.strengths))
    if latest.needs:
        page.heading("What I would like support with")
        page.needs(latest)
    if latest.barriers or latest.barriers_note:
        page.heading("What can get in the way")
        words = ", ".join(b.label for b in latest.barriers).capitalize()
        note = page.clean(latest.barriers_note) if latest.barriers_note else ""
        page.para(". ".join(x for x in (words, note) if x))


def _review_words(review_on: date | None, today: date) -> str:
    if review_on is None:
        return ""
    if review_on < today:  # a review date that has passed is never written as still to come
        return f" (we were going to look at this again on {format_date(review_on)})"
    return f" (we will look at this again on {format_date(review_on)})"


def _open_goals(page: _Page, current: list[Goal], any_finished: bool, today: date) -> None:
    page.heading("My goals")
    if not current:
        page.para("No open goals yet." if not any_finished else "No open goals at the moment.")
    for n, goal in enumerate(current, start=1):
        page.para(
            f"{n}. {page.clean(goal.description)}" + _review_words(goal.review_on, today),
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


def plan_document(
    name: str,
    today: date,
    latest: Conversation | None,
    goals: Sequence[Goal],
    style: Style,
    contact_line: str | None = None,
) -> str:
    """The plan page: name and date, what matters, strengths, needs, barriers, goals with who
    does what by when, the next review, and a line for the link worker's contact details."""
    page = _Page(style)
    page.title("My personalised care and support plan")
    page.para(f"Name: {page.clean(name)}\nDate: {format_date(today)}")
    _what_matters(page, latest)
    current = [g for g in goals if g.is_open]
    finished = [g for g in goals if not g.is_open]
    _open_goals(page, current, bool(finished), today)
    if finished:
        page.heading("Goals reached, changed or stopped")
        for goal in finished:
            when = f" on {format_date(goal.status_changed_on)}" if goal.status_changed_on else ""
            page.bullet(f"{page.clean(goal.description)}: {goal.status.label.lower()}{when}")
        page.gap()
    reviews = sorted(g.review_on for g in current if g.review_on)
    page.heading("Next review")
    if not reviews:
        page.para("To be agreed.")
    elif reviews[0] < today:
        page.para(f"It was due on {format_date(reviews[0])}: we will agree a new date together.")
    else:
        page.para(format_date(reviews[0]))
    page.para(page.clean(contact_line) if contact_line else CONTACT_LINE)
    return page.render()


def conversations_document(
    name: str, conversations: Sequence[Conversation], style: Style = "text"
) -> str:
    """Every conversation, newest first, as a readable document."""
    page = _Page(style)
    page.title(f"Conversations with {page.clean(name)}")
    if not conversations:
        page.para("No conversations recorded yet.")
    for n, c in enumerate(conversations):
        page.heading(format_date(c.held_on) + (" (latest)" if n == 0 else ""))
        page.para("What matters: " + (page.clean(c.what_matters) if c.what_matters else "-"))
        page.para("Strengths and assets: " + (page.clean(c.strengths) if c.strengths else "-"))
        if c.needs:
            page.para("Needs:", blank=False)
            page.needs(c)
        barriers = ", ".join(b.label for b in c.barriers).capitalize() or "none noted"
        note = f". {page.clean(c.barriers_note)}" if c.barriers_note else ""
        page.para(f"Barriers: {barriers}{note}")
    return page.render()
