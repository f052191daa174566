"""Every follow-up of one person (planned, done, missed, cancelled), opened from their record.

Each planned one can be completed, marked missed, rescheduled or cancelled with the same
dialogs and the same follow-through as on Today (:mod:`followup_actions`), however far ahead
it is; a follow-up of a series says so ("2 of 6 in a series"), and rescheduling or cancelling
offers the rest of the series too (the rule is :mod:`linkworker.followups.booking`'s).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from linkworker import followups
from linkworker.display import label, literal
from linkworker.followups.booking import ListedFollowUp
from linkworker.models import FollowUpStatus
from linkworker.tui.screens.entry import struck_text
from linkworker.tui.screens.followup_actions import FollowUpActions
from linkworker.tui.widgets.tables import highlighted_key, show_table, table_page
from linkworker.tui.widgets.text import plain
from linkworker.validation import format_date


def when_words(row: followups.FollowUpRow) -> str:
    """'Mon 7 Dec 2026 10:00' ('any time' when no time was booked)."""
    day = date.fromisoformat(row["due_on"])
    return f"{day.strftime('%a')} {format_date(day)} {row['due_time'] or 'any time'}"


def status_text(listed: ListedFollowUp, today: date) -> Text:
    """'Planned', 'Planned, 3 days late', 'Done', 'Cancelled: moved to monthly'."""
    row = listed.row
    words = label(FollowUpStatus, row["status"])
    if row["status"] == FollowUpStatus.PLANNED:
        late = (today - date.fromisoformat(row["due_on"])).days
        if late > 0:
            return Text(f"{words}, {late} day{'s' if late != 1 else ''} late", style="bold")
    if row["status"] == FollowUpStatus.CANCELLED and row["cancel_reason"]:
        return plain(f"{words}: {row['cancel_reason']}")
    return Text(words)


class PersonFollowUpsScreen(FollowUpActions, guide="person_followups"):
    """A person's follow-ups, earliest first; the cursor starts on the next planned one."""

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self._rows: dict[str, ListedFollowUp] = {}

    def compose(self) -> ComposeResult:
        yield from table_page(
            "person-followups",
            above=Static(id="person-followups-summary", classes="summary"),
            below=Static(id="person-followup-detail", classes="status-line"),
        )

    def on_mount(self) -> None:
        headings = ("When", "What", "Status", "Series")
        show_table(self.query_one(DataTable), {h.lower(): h for h in headings})

    def reload(self) -> None:
        """Read the person's follow-ups again, keeping the cursor on the same one."""
        today = self.clock.today()
        self.sub_title = self.person_name(self.person_id)
        table = self.query_one(DataTable)
        before = self.current()
        table.clear()
        listed = followups.followups_of(self.db, self.person_id)
        self._rows = {str(x.row["id"]): x for x in listed}
        for key, x in self._rows.items():
            what = plain(followups.followup_what(x.row))
            struck = x.row["entered_in_error_at"] is not None
            table.add_row(
                Text(when_words(x.row)),
                struck_text(followups.followup_what(x.row), x.row["entered_in_error_reason"])
                if struck
                else what,
                status_text(x, today),
                Text(x.series_words),
                key=key,
            )
        planned = [x for x in listed if x.row["status"] == FollowUpStatus.PLANNED]
        self.query_one("#person-followups-summary", Static).update(
            Text(
                f"{len(planned)} planned, {len(listed) - len(planned)} done, missed or cancelled."
                if listed
                else "No follow-ups yet: b books one."
            )
        )
        if not listed:
            return
        target = before.row["id"] if before is not None else None
        if str(target) not in self._rows:
            upcoming = [x for x in planned if x.row["due_on"] >= today.isoformat()]
            target = (upcoming or planned or listed[-1:])[0].row["id"]
        table.move_cursor(row=table.get_row_index(str(target)))
        self._show_detail()

    def current(self) -> ListedFollowUp | None:
        """The follow-up under the cursor (None when there are none)."""
        return self._rows.get(str(highlighted_key(self.query_one(DataTable))))

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        listed = self.current()
        line = self.query_one("#person-followup-detail", Static)
        if listed is None:
            line.update("")
            return
        row = listed.row
        parts = [followups.followup_what(row)]
        if row["duration_minutes"]:
            parts.append(f"{row['duration_minutes']} minutes")
        if listed.series_words:
            parts.append(listed.series_words)
        line.update(Text(literal("  ·  ".join(parts))))

    def _planned(self, doing: str) -> int | None:
        """The highlighted follow-up's id if it can still be ``doing``; otherwise say why not."""
        listed = self.current()
        if listed is None:
            self.say("There is no follow-up here: b books one.", severity="warning")
            return None
        row = listed.row
        if row["entered_in_error_at"] is not None:
            self.say("This follow-up was entered in error.", severity="warning")
            return None
        if row["status"] != FollowUpStatus.PLANNED:
            status = label(FollowUpStatus, row["status"]).lower()
            self.say(
                f"This follow-up is already {status}; only a planned one can be {doing}.",
                severity="warning",
            )
            return None
        return int(row["id"])

    # --- actions (the dialogs and what follows them: followup_actions.py) ----------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_complete(self) -> None:
        """Complete the highlighted follow-up: log the contact, offer the next booking."""
        if (followup_id := self._planned("completed")) is not None:
            self.complete_followup(self.person_id, followup_id)

    def action_missed(self) -> None:
        """Did not attend / could not reach: an attempt on the follow-up's own referral."""
        if (followup_id := self._planned("marked missed")) is not None:
            self.miss_followup(self.person_id, followup_id, None)

    def action_reschedule(self) -> None:
        """Move the highlighted follow-up (of a series, the later ones too if asked)."""
        if (followup_id := self._planned("rescheduled")) is not None:
            self.reschedule_followup(self.person_id, followup_id)

    def action_cancel_followup(self) -> None:
        """Cancel the highlighted follow-up with a reason (of a series, the rest if asked)."""
        if (followup_id := self._planned("cancelled")) is not None:
            self.cancel_followup(followup_id)

    def action_book(self) -> None:
        """Book another follow-up for this person."""
        self.offer_booking(self.person_id, title="Book a follow-up", due_on=None)
