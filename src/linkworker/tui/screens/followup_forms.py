"""The follow-up dialogs: book, reschedule and cancel, on the shared :class:`FollowUpForm`.

Logging how a contact went (complete, missed, the threshold prompt) is in
:mod:`linkworker.tui.screens.contact_forms`.

Each is a :class:`~linkworker.tui.dialogs.FormDialog`: it gathers input, calls one function
of :mod:`linkworker.followups` and closes with its result (``None`` when the user backs out),
so the screen that opened it decides what happens next. Errors show beside the field;
nothing is written until the input is valid.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, Static

from linkworker import followups, people
from linkworker.display import label
from linkworker.followups.booking import Clash
from linkworker.models import (
    FollowUpKind,
)
from linkworker.tui.dialogs import (
    FormDialog,
    FormError,
    choice_row,
    date_field,
    field_row,
    text_row,
    whole_number,
)
from linkworker.tui.widgets.choices import TickBox
from linkworker.tui.widgets.text import plain
from linkworker.validation import ValidationError as InputError
from linkworker.validation import format_date, parse_date

# --- Shared form machinery ------------------------------------------------------------


def _selected(select: Select[Any]) -> Any:
    return None if select.is_blank() else select.value


def clash_lines(clashes: list[Clash], limit: int = 4) -> list[str]:
    """'Clashes with ...' lines, at most ``limit`` of them plus 'and N more'."""
    lines = [f"  {c.describe()}" for c in clashes[:limit]]
    if len(clashes) > limit:
        lines.append(f"  and {len(clashes) - limit} more")
    return lines


class FollowUpForm(FormDialog[Any]):
    """A follow-up form about one person: their name under the title, Enter saves."""

    SAVE_LABEL = "Save"
    SUBMIT_ON_ENTER = True

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def person_name(self) -> str:
        person = people.get_person(self.db, self.person_id)
        return f"{person['given_name']} {person['family_name']}"

    def form_title(self) -> str:
        return ""

    def load(self) -> None:
        """Read what the dialog is about from the store (the app is running by now)."""

    def read_followup(self, followup_id: int | None) -> dict[str, Any]:
        """A follow-up's stored row, or nothing when there is none to read."""
        if followup_id is None:
            return {}
        return dict(followups.get_followup(self.db, followup_id))

    def compose(self) -> ComposeResult:
        self.load()
        yield from super().compose()

    def heading(self) -> Text:
        return Text(self.form_title())

    def subtitle(self) -> str:
        return self.person_name()

    def text(self, field_id: str) -> str:
        """What a one-line field holds, trimmed."""
        return self.query_one(f"#{field_id}", Input).value.strip()

    def choice(self, field_id: str) -> Any:
        """What a drop-down holds (None when blank)."""
        return _selected(self.query_one(f"#{field_id}", Select))


def _weekday(text: str) -> str:
    try:
        return parse_date(text).strftime("%A")
    except InputError:
        return ""


def _when_rows(
    due_on: str, due_time: str, minutes: str, *, minutes_placeholder: str = ""
) -> ComposeResult:
    """The date (with its weekday), time and length rows booking and rescheduling share."""
    yield text_row("due_on", "Date", due_on, hint=_weekday(due_on) or " ")
    yield text_row("due_time", "Time", due_time, "HH:MM (blank: any time)")
    yield text_row("duration_minutes", "Minutes", minutes, minutes_placeholder, integer=True)


# --- Book ---------------------------------------------------------------------------------


class BookFollowUpModal(FollowUpForm, guide="book_follow_up"):
    """Book a follow-up: date, time, minutes, kind, where, purpose, goal, activity, repeat.

    ``like`` (a follow-up's id) starts the form with that follow-up's kind, time, length,
    goal and activity: the next booking after a contact is usually like the last one.
    """

    SAVE_LABEL = "Book"

    def __init__(
        self,
        person_id: int,
        *,
        title: str = "Book a follow-up",
        due_on: date | None = None,
        like: int | None = None,
    ) -> None:
        super().__init__(person_id)
        self.title_text = title
        self.due_on = due_on
        self.like_id = like
        self.like: dict[str, Any] = {}

    def load(self) -> None:
        self.like = self.read_followup(self.like_id)

    def form_title(self) -> str:
        return self.title_text

    def link_fields(self) -> ComposeResult:
        """The goal and the activity a follow-up may be about (open ones only)."""
        goals = list(
            self.db.query(
                "SELECT id, description FROM goals WHERE person_id = ? AND status = 'open' "
                "ORDER BY set_on, id",
                [self.person_id],
            )
        )
        links = list(
            self.db.query(
                "SELECT c.id, a.name, c.status FROM connections c JOIN activities a "
                "ON a.id = c.activity_id WHERE c.person_id = ? AND c.status != 'stopped' "
                "ORDER BY c.suggested_on, c.id",
                [self.person_id],
            )
        )
        yield field_row(
            "goal_id",
            "Goal",
            Select(
                [(plain(g["description"]), int(g["id"])) for g in goals],
                prompt="(none)" if goals else "(no open goals)",
                value=self.like.get("goal_id") or Select.NULL,
                id="goal_id",
                compact=True,
                disabled=not goals,
            ),
        )
        yield field_row(
            "connection_id",
            "Activity",
            Select(
                [(plain(f"{c['name']} ({c['status']})"), int(c["id"])) for c in links],
                prompt="(none)" if links else "(no activities)",
                value=self.like.get("connection_id") or Select.NULL,
                id="connection_id",
                compact=True,
                disabled=not links,
            ),
        )

    def compose_fields(self) -> ComposeResult:
        due = self.due_on or followups.add_working_days(
            self.clock.today(), 1, self.settings.bank_holidays
        )
        like = self.like
        yield from _when_rows(
            format_date(due),
            like.get("due_time") or "",
            str(like.get("duration_minutes") or ""),
            minutes_placeholder="how long (optional)",
        )
        yield choice_row(
            "kind", "Kind", FollowUpKind.choices(), like.get("kind") or FollowUpKind.PHONE.value
        )
        yield text_row("location", "Where", placeholder="venue or address (optional)")
        yield text_row("purpose", "Purpose", placeholder="what it is for")
        yield from self.link_fields()
        yield text_row("every_weeks", "Repeat every", placeholder="N weeks", integer=True)
        yield text_row("until", "Until", placeholder="date (with repeat)")

    @on(Input.Changed, "#due_on")
    def _date_changed(self, event: Input.Changed) -> None:
        self.query_one("#due_on-hint", Static).update(_weekday(event.value) or " ")

    def save(self) -> None:
        data = {
            "due_on": self.text("due_on"),
            "due_time": self.text("due_time"),
            "duration_minutes": self.text("duration_minutes"),
            "kind": self.choice("kind"),
            "location": self.text("location"),
            "purpose": self.text("purpose"),
            "goal_id": self.choice("goal_id"),
            "connection_id": self.choice("connection_id"),
        }
        try:
            booking = followups.details(data, self.clock.today())
        except ValidationError as exc:
            self.show_exception(exc)
            return
        try:
            every = whole_number(self.text("every_weeks"), "every_weeks")
            until = date_field(self.text("until"), "until", required=False)
            if until is not None and every is None:
                raise FormError("every_weeks", "give the number of weeks between reviews")
            repeat = followups.Repeat(
                every_weeks=every, until=until, nation=self.settings.bank_holidays
            )
            clashes = followups.check_booking(self.db, self.person_id, booking, **repeat)
            dates, moved = followups.booking_days(booking.due_on, repeat)
        except (ValueError, LookupError) as exc:
            self.show_exception(exc)
            return
        changes = followups.clock_changes(dates, booking.due_time)
        if (clashes or moved or changes) and not self.warn_once(
            (booking, every, until), _booking_warning(clashes, moved, changes), "Book anyway"
        ):
            return
        self.save_with(
            lambda: followups.schedule(self.db, self.person_id, booking, self.clock, **repeat)
        )


def _booking_warning(
    clashes: list[followups.Clash], moved: list[followups.MovedDay], changes: list[str]
) -> list[str]:
    """What the worker reads before a second Save: clashes, bank holidays moved, then times
    the clock change makes missing or double."""
    lines: list[str] = []
    if clashes:
        lines += ["This overlaps another booking:", *clash_lines(clashes)]
    if moved:
        lines += ["Bank holidays are not working days:", *(m.describe() for m in moved)]
    if changes:
        lines += ["The clocks change that night:", *changes]
    lines.append("Book anyway, or change the date or time.")
    return lines


def _move_warning(clashes: list[followups.Clash], changes: list[str]) -> list[str]:
    """What the worker reads before moving a follow-up onto a clash or a clock change."""
    lines: list[str] = []
    if clashes:
        lines += ["The new time overlaps another booking:", *clash_lines(clashes)]
    if changes:
        lines += ["The clocks change that night:", *changes]
    lines.append("Move anyway, or change the date or time.")
    return lines


# --- Reschedule ---------------------------------------------------------------------------


def rest_of_series(form: FollowUpForm) -> bool:
    """Whether the form's "the later follow-ups of this series too" box is there and ticked."""
    return bool(form.query("#rest_of_series") and form.query_one("#rest_of_series", Checkbox).value)


class PlannedFollowUpForm(FollowUpForm):
    """A form about one planned follow-up: its title says which ("Move the phone follow-up
    of 7 Dec 2026 10:00")."""

    VERB = ""

    def __init__(self, followup_id: int) -> None:
        super().__init__(0)
        self.followup_id = followup_id
        self.row: dict[str, Any] = {}

    def load(self) -> None:
        self.row = self.read_followup(self.followup_id)
        self.person_id = int(self.row["person_id"])

    def form_title(self) -> str:
        row = self.row
        when = format_date(row["due_on"]) + (f" {row['due_time']}" if row["due_time"] else "")
        return f"{self.VERB} the {label(FollowUpKind, row['kind']).lower()} follow-up of {when}"


class RescheduleModal(PlannedFollowUpForm, guide="reschedule"):
    """Move a planned follow-up to another date, time or length."""

    SAVE_LABEL = "Move"

    VERB = "Reschedule"

    def compose_fields(self) -> ComposeResult:
        row = self.row
        yield from _when_rows(
            format_date(row["due_on"]), row["due_time"] or "", str(row["duration_minutes"] or "")
        )
        later = followups.later_in_series(
            self.db, followups.get_followup(self.db, self.followup_id)
        )
        if later:
            yield TickBox(
                f"Also move the {len(later)} later follow-up{'s' if len(later) != 1 else ''} "
                "of this series by as many days",
                id="rest_of_series",
                compact=True,
            )

    @on(Input.Changed, "#due_on")
    def _date_changed(self, event: Input.Changed) -> None:
        self.query_one("#due_on-hint", Static).update(_weekday(event.value) or " ")

    def save(self) -> None:
        row = self.row
        try:
            moved = followups.details(
                {
                    "due_on": self.text("due_on"),
                    "due_time": self.text("due_time"),
                    "duration_minutes": self.text("duration_minutes"),
                    "kind": row["kind"],
                },
                self.clock.today(),
            )
        except ValidationError as exc:
            self.show_exception(exc)
            return
        clashes = followups.find_clashes(
            self.db,
            moved.due_on,
            moved.due_time,
            moved.duration_minutes,
            ignore=[self.followup_id],
        )
        changes = followups.clock_changes([moved.due_on], moved.due_time)
        if (clashes or changes) and not self.warn_once(
            moved, _move_warning(clashes, changes), "Move anyway"
        ):
            return
        self.save_with(
            lambda: followups.reschedule(
                self.db,
                self.followup_id,
                moved.due_on,
                moved.due_time,
                self.clock,
                duration_minutes=moved.duration_minutes,
                keep_duration=False,  # the form shows the length: what it holds is meant
                rest_of_series=rest_of_series(self),
                nation=self.settings.bank_holidays,
            )
        )


# --- Cancel -------------------------------------------------------------------------------


class CancelFollowUpModal(PlannedFollowUpForm, guide="cancel_follow_up"):
    """Cancel a planned follow-up with a reason (and the rest of its series, if asked)."""

    SAVE_LABEL = "Cancel follow-up"

    VERB = "Cancel"

    def compose_fields(self) -> ComposeResult:
        yield text_row("reason", "Reason", placeholder="why (required)")
        if self.row["series_id"]:
            yield TickBox(
                "Also cancel the later follow-ups of this series", id="rest_of_series", compact=True
            )

    def save(self) -> None:
        rest = rest_of_series(self)
        self.save_with(
            lambda: followups.cancel(
                self.db, self.followup_id, self.text("reason"), self.clock, rest_of_series=rest
            )
        )
