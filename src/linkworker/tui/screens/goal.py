"""Goal forms: a new goal with its agreed actions, and a goal's review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, RadioSet, Select, Static

from linkworker import plans
from linkworker.display import literal, short_date
from linkworker.models import ActionDetails, ActionOwner, GoalDetails, GoalStatus, field_errors
from linkworker.tui.dialogs import FormDialog, FormError, date_field, field_row, typed_date
from linkworker.tui.dialogs.form import FieldRow
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.widgets.choices import RadioChoice

#: A goal is looked at again four weeks on unless the link worker says otherwise.
REVIEW_AFTER = timedelta(days=28)


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """The fields that were filled in: a blank one is missing ("is required"), not ""."""
    return {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}


class ActionRow(Vertical):
    """One agreed action: what, who (and their name if someone else), by when."""

    def __init__(self, number: int) -> None:
        super().__init__(classes="action-row")
        self.number = number

    def field(self, name: str) -> str:
        """The id of this action's ``name`` field (``action-2-owner_name``)."""
        return f"action-{self.number}-{name}"

    def _text_row(self, name: str, label: str, placeholder: str, classes: str) -> FieldRow:
        """One labelled one-line text box of this action (what, their name, by when)."""
        box = Input(placeholder=placeholder, id=self.field(name), classes=classes, compact=True)
        return field_row(self.field(name), label, box)

    def compose(self) -> ComposeResult:
        yield Label(f"Action {self.number}", classes="form-section")
        yield self._text_row("description", "What", "what will happen", "action-what")
        yield field_row(
            self.field("owner"),
            "Who",
            Select(
                ActionOwner.choices(),
                value=ActionOwner.PERSON.value,
                allow_blank=False,
                id=self.field("owner"),
                classes="action-owner",
                compact=True,
            ),
        )
        yield self._text_row("owner_name", "Their name", "name (someone else)", "action-name")
        yield self._text_row("due_on", "By when", "dd/mm/yyyy", "action-due date")

    def values(self) -> dict[str, Any] | None:
        """ActionDetails input, or None when the row was left empty."""
        what = self.query_one(".action-what", Input).value
        name = self.query_one(".action-name", Input).value
        due = self.query_one(".action-due", Input).value
        if not (what.strip() or name.strip() or due.strip()):
            return None
        return {
            "description": what,
            "owner": self.query_one(".action-owner", Select).value,
            "owner_name": name,
            "due_on": due,
        }


class GoalForm(FormDialog[int], guide="goal"):
    """A goal in the person's own words, a review date and one or more actions."""

    def __init__(self, person_id: int, name: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = name

    def heading(self) -> Text:
        return Text(f"New goal: {self.person_name}")

    def compose_fields(self) -> ComposeResult:
        review = self.clock.today() + REVIEW_AFTER
        yield field_row(
            "description", "The goal, in their words", Input(id="description", compact=True)
        )
        yield field_row(
            "review_on",
            "Review on",
            Input(typed_date(review), id="review_on", compact=True, classes="date"),
        )
        yield Static(
            "Agreed actions: what, who, by when", classes="form-section", id="actions-head"
        )
        yield ActionRow(1)
        yield Button(
            "+ Another action (Ctrl+N)", id="add-action", classes="add-action", compact=True
        )

    def focus_first_field(self) -> None:
        self.query_one("#description", Input).focus()

    def button_pressed(self, button_id: str) -> None:
        if button_id == "add-action":
            self.call_next(self.action_add_action)
        else:
            super().button_pressed(button_id)

    async def action_add_action(self) -> None:
        """Add another empty action row and put the cursor in it."""
        row = ActionRow(len(self.query(ActionRow)) + 1)
        await self.query_one("#form", VerticalScroll).mount(row, before="#add-action")
        row.query_one(".action-what", Input).focus()
        self.query_one("#add-action").scroll_visible()

    def save(self) -> None:
        errors: dict[str, str] = {}
        goal: GoalDetails | None = None
        try:
            goal = GoalDetails.model_validate(
                _typed(
                    {
                        "description": self.query_one("#description", Input).value,
                        "review_on": self.query_one("#review_on", Input).value,
                    }
                )
            )
        except ValidationError as exc:
            errors.update(field_errors(exc))
        actions: list[ActionDetails] = []
        for row in self.query(ActionRow):
            values = row.values()
            if values is None:
                continue
            try:
                actions.append(ActionDetails.model_validate(_typed(values)))
            except ValidationError as exc:
                errors.update(
                    {row.field(name): reason for name, reason in field_errors(exc).items()}
                )
        if errors or goal is None:
            self.show_errors(errors)
            return
        try:
            goal_id = plans.add_goal(self.db, self.person_id, goal, actions, self.clock)
        except (plans.PlanError, LookupError) as exc:
            self.show_exception(exc)
            return
        self.app.post_message(CaseloadChanged(self.person_id))
        self.notify(
            f"Goal saved with {len(actions)} action{'s' if len(actions) != 1 else ''}.",
            title="Plan",
        )
        self.saved(goal_id)


_STATUS_WORDS = {
    GoalStatus.OPEN: "Still working on it (open)",
    GoalStatus.ACHIEVED: "Achieved",
    GoalStatus.CHANGED: "Changed (the person wants something different)",
    GoalStatus.DROPPED: "Dropped",
}


class GoalReviewForm(FormDialog[int], guide="goal_review"):
    """What happened: the new status, a note, the date, and the next review or new words."""

    def __init__(self, goal_id: int) -> None:
        super().__init__()
        self.goal_id = goal_id
        self.person_id: int | None = None

    def compose_fields(self) -> ComposeResult:
        goal = plans.get_goal(self.db, self.goal_id)
        self.person_id = goal.person_id
        today = self.clock.today()
        about = Text()
        about.append(literal(goal.description), style="bold")
        about.append(f"\nSet {short_date(goal.set_on)}")
        if goal.review_on:
            about.append(f"  ·  review due {short_date(goal.review_on)}")
        about.append(f"  ·  now {goal.status.label.lower()}")
        for action in goal.actions:
            done = f"done {short_date(action.done_on)}" if action.done_on else "to do"
            about.append(f"\n  [{'x' if action.done_on else ' '}] ")
            about.append(literal(f"{action.description} ({action.who}): {done}"))
        yield Static(about, id="review-goal")
        yield Label("What happened?", classes="form-section")
        with RadioSet(id="review-status", compact=True):
            for status in GoalStatus:
                yield RadioChoice(
                    _STATUS_WORDS[status],
                    value=status is GoalStatus.OPEN,
                    id=f"status-{status.value}",
                )
        yield field_row("note", "How it went", Input(id="note", compact=True))
        yield field_row(
            "reviewed_on",
            "Reviewed on",
            Input(typed_date(today), id="reviewed_on", compact=True, classes="date"),
        )
        yield field_row(
            "next_review_on",
            "Next review",
            Input(
                typed_date(today + REVIEW_AFTER),
                id="next_review_on",
                compact=True,
                classes="date",
            ),
        )
        yield field_row(
            "new_description",
            "New words",
            Input(id="new_description", compact=True),
            hint="optional: the goal in its new words starts a new open goal",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self._show_for(GoalStatus.OPEN)

    def focus_first_field(self) -> None:
        self.query_one(RadioSet).focus()

    def chosen(self) -> GoalStatus:
        pressed = self.query_one(RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return GoalStatus.OPEN
        return GoalStatus(pressed.id.removeprefix("status-"))

    def _show_for(self, status: GoalStatus) -> None:
        shown = status in (GoalStatus.OPEN, GoalStatus.CHANGED)
        self.query_one("#next_review_on-row").display = shown
        self.query_one("#new_description-row").display = status is GoalStatus.CHANGED

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._show_for(self.chosen())

    def save(self) -> None:
        status = self.chosen()
        new_words = self.query_one("#new_description", Input).value
        try:
            reviewed_on = date_field(self.query_one("#reviewed_on", Input).value, "reviewed_on")
            next_review = None
            if status is GoalStatus.OPEN or (status is GoalStatus.CHANGED and new_words.strip()):
                next_review = date_field(
                    self.query_one("#next_review_on", Input).value,
                    "next_review_on",
                    required=False,
                )
            plans.review_goal(
                self.db,
                self.goal_id,
                status,
                self.clock,
                note=self.query_one("#note", Input).value,
                reviewed_on=reviewed_on,
                next_review_on=next_review,
                new_description=new_words if status is GoalStatus.CHANGED else None,
            )
        except (FormError, plans.PlanError, LookupError) as exc:
            self.show_exception(exc)
            return
        self.app.post_message(CaseloadChanged(self.person_id))
        self.notify(f"Review saved: {status.label.lower()}.", title="Plan")
        self.saved(self.goal_id)
