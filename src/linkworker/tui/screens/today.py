"""Today: the agenda the app opens on, and one key per action on each line.

The agenda itself (who is due, overdue, waiting, quiet...) and every bucket's words come
from :mod:`linkworker.followups.agenda`; this screen shows them and opens the follow-up
dialogs of :mod:`linkworker.tui.screens.followup_forms` and ``contact_forms`` on the
highlighted line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from linkworker import people
from linkworker.display import flag_words, literal, short_date
from linkworker.followups.agenda import NOTHING_DUE, UP_TO_DATE, Agenda, AgendaLine, build_agenda
from linkworker.followups.booking import Booking
from linkworker.followups.contacts import Completed, Missed
from linkworker.tui import keymap
from linkworker.tui.screens.base import LinkWorkerScreen

Result = TypeVar("Result")

WHEN_WIDTH = 17
#: DataTable paints ~0.25 ms a row (MEASURED.md): a bucket shows its first 100 lines, the
#: counts stay exact, and `linkworker agenda` lists every line.
LINES_PER_BUCKET = 100


def _forms() -> Any:
    """The follow-up dialogs, imported when first used (they are not needed to show Today)."""
    from linkworker.tui.screens import followup_forms

    return followup_forms


def _contact_forms() -> Any:
    """The contact and attempt dialogs, imported when first used."""
    from linkworker.tui.screens import contact_forms

    return contact_forms


class TodayScreen(LinkWorkerScreen):
    """Due today, overdue, first contacts, gone quiet, reviews, connections, coming up."""

    IS_SECTION = True  # one of the four sections (modes) of the app

    TITLE = "Today"
    HELP = (
        "Everything that needs you today, most urgent first; each heading says its rule. "
        "On a line: Enter, c, r, d, b, x (below)."
    )
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("today")

    def __init__(self) -> None:
        super().__init__()
        self.agenda: Agenda | None = None
        self._shown_widths: tuple[int, int] | None = None
        self._reload_queued = False
        self._lines: dict[str, AgendaLine] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="today-summary", classes="summary")
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        # Textual resumes a newly shown mode screen twice at start; one reload serves both.
        if self.needs_reload() and not self._reload_queued:
            self._reload_queued = True
            self.call_later(self._queued_reload)

    def _queued_reload(self) -> None:
        self._reload_queued = False
        self.mark_shown()
        self.reload()

    def on_resize(self) -> None:
        # Column widths follow the width; repaint only when they would change (a start-up
        # sends several resizes, and each repaint re-measures every cell).
        if self.agenda is not None and self._widths() != self._shown_widths:
            self._show(self.agenda)

    # --- data ------------------------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the agenda from the store and repaint, keeping the cursor's place."""
        if self.lw._db is None:
            return
        self.agenda = build_agenda(self.db, self.clock.today(), self.lw.settings)
        self._show(self.agenda)

    def _widths(self) -> tuple[int, int]:
        width = self.size.width or 80
        who = 18 if width < 100 else 26
        # Three columns of cell padding (2 each) and the scrollbar.
        what = max(20, width - WHEN_WIDTH - who - 6 - 2)
        return who, what

    def _show(self, agenda: Agenda) -> None:
        self.query_one("#today-summary", Static).update(Text(agenda.summary()))
        table = self.query_one(DataTable)
        row_before = table.cursor_row
        before = self.current_line() if self._lines else None
        table.clear(columns=True)
        who_width, what_width = self._shown_widths = self._widths()
        table.add_column("When", key="when", width=WHEN_WIDTH)
        table.add_column("Who", key="who", width=who_width)
        table.add_column("What", key="what", width=what_width)
        self._lines = {}
        settings = self.lw.settings
        for key, _title, lines in agenda.buckets():
            if not lines:
                continue
            table.add_row(
                Text(f"{agenda.heading(key)} ({len(lines)})", style="bold"),
                Text(""),
                Text(agenda.rule(key, settings), style="italic"),
                key=f"heading:{key}",
            )
            for index, line in enumerate(lines[:LINES_PER_BUCKET]):
                row_key = f"{key}:{index}"
                self._lines[row_key] = line
                what = Text(overflow="ellipsis", no_wrap=True)
                if line.flags:
                    what.append(flag_words(line.flags, short=True) + " ", style="bold reverse")
                    what.append(" ")
                if line.born:
                    # Someone else has this name: the date of birth tells them apart, at the
                    # start of the wide column so that no width cuts it off.
                    what.append(f"born {short_date(line.born)}", style="bold")
                    what.append(" · ")
                what.append(literal(line.what))
                table.add_row(
                    Text(line.when_text(), style="bold" if key == "overdue" else ""),
                    Text(literal(line.name), overflow="ellipsis", no_wrap=True),
                    what,
                    key=row_key,
                )
            if len(lines) > LINES_PER_BUCKET:
                table.add_row(
                    Text(f"… {len(lines) - LINES_PER_BUCKET} more"),
                    Text(""),
                    Text("`linkworker agenda` lists them all", style="italic"),
                    key=f"heading:{key}:more",
                )
        if not self._lines:
            table.add_row(
                Text(f"{NOTHING_DUE}."),
                Text(""),
                Text(f"{UP_TO_DATE.capitalize()}."),
                key="heading:empty",
            )
        if table.row_count:
            target = row_before if row_before > 0 else 1
            if before is not None:
                # Stay on the same follow-up or person when the agenda re-sorts.
                for key in self._lines:
                    line = self._lines[key]
                    if (line.bucket, line.person_id, line.followup_id) == (
                        before.bucket,
                        before.person_id,
                        before.followup_id,
                    ):
                        target = table.get_row_index(key)
                        break
            table.move_cursor(row=min(target, table.row_count - 1))

    def current_line(self) -> AgendaLine | None:
        """The agenda line under the cursor (None on a heading)."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self._lines.get(str(row_key.value))

    def _open_change(self, dialog: Screen[Result | None], then: Callable[[Result], None]) -> None:
        """Open a dialog that may change the agenda; when it saves, repaint, then ``then``.

        Closing the dialog without saving (a None result) leaves the agenda as it was.
        """

        def closed(result: Result | None) -> None:
            if result is None:
                return
            self._after_change()
            then(result)

        self.app.push_screen(dialog, closed)

    def _booked_line_or_hint(self, hint: str) -> AgendaLine | None:
        """The highlighted line if it is a booked follow-up; otherwise say ``hint``."""
        line = self._line_or_hint()
        if line is not None and line.followup_id is None:
            self._say(hint, severity="warning")
            return None
        return line

    def _line_or_hint(self) -> AgendaLine | None:
        line = self.current_line()
        if line is None:
            self._say("Move to a line under a heading first.", severity="warning")
        return line

    def _person_name(self, person_id: int) -> str:
        person = people.get_person(self.db, person_id)
        return literal(f"{person['given_name']} {person['family_name']}")

    def _say(self, message: str, *, severity: Any = "information") -> None:
        # Names are stored text: never let them be read as markup.
        self.notify(message, severity=severity, markup=False)

    def _after_change(self, person_id: int | None = None) -> None:
        from linkworker.tui.messages import CaseloadChanged

        self.reload()
        self.app.post_message(CaseloadChanged(person_id))

    # --- actions ---------------------------------------------------------------------

    def action_open_person(self) -> None:
        """Open the person of the highlighted line."""
        line = self.current_line()
        if line is not None:
            self.lw.open_person(line.person_id)

    @on(DataTable.RowSelected)
    def _clicked(self, event: DataTable.RowSelected) -> None:
        # A mouse click on a highlighted row; Enter is the today.open binding.
        line = self._lines.get(str(event.row_key.value))
        if line is not None:
            self.lw.open_person(line.person_id)

    def action_complete(self) -> None:
        """Complete the follow-up (or log a contact) and offer the next booking."""
        line = self._line_or_hint()
        if line is None:
            return
        person_id = line.person_id

        def done(result: Completed) -> None:
            name = self._person_name(person_id)
            if result.offer_next:
                self.offer_booking(
                    person_id,
                    title="Book the next follow-up "
                    f"(suggested {short_date(result.suggested_next)})",
                    due_on=result.suggested_next,
                    line=line,
                )
            else:
                booked = short_date(result.next_booked)
                self._say(f"Contact logged for {name}. Next follow-up already booked: {booked}.")

        dialog = _contact_forms().CompleteFollowUpModal(person_id, line.followup_id)
        self._open_change(dialog, done)

    def offer_booking(
        self, person_id: int, *, title: str, due_on: Any, line: AgendaLine | None = None
    ) -> None:
        """Open the booking dialog prefilled (date suggested by the core, same kind and time)."""
        followup = None
        if line is not None and line.followup_id is not None:
            followup = self.db.execute(
                "SELECT kind, due_time, duration_minutes, purpose, goal_id, connection_id "
                "FROM followups WHERE id = ?",
                [line.followup_id],
            ).fetchone()

        def booked(result: Booking) -> None:
            self._say(self._booked_text(person_id, result))

        modal = _forms().BookFollowUpModal(
            person_id,
            title=title,
            due_on=due_on,
            kind=followup[0] if followup else None,
            due_time=followup[1] if followup else None,
            duration_minutes=followup[2] if followup else None,
            goal_id=followup[4] if followup else None,
            connection_id=followup[5] if followup else None,
        )
        self._open_change(modal, booked)

    def _booked_text(self, person_id: int, result: Booking) -> str:
        count = len(result.followup_ids)
        name = self._person_name(person_id)
        text = f"Booked {count} follow-up{'s' if count != 1 else ''} for {name}."
        if result.clashes:
            text += f" It overlaps {len(result.clashes)} other booking(s)."
        return text

    def action_reschedule(self) -> None:
        """Move the highlighted follow-up to another date or time."""
        line = self._booked_line_or_hint("r moves a booked follow-up; press b to book one.")
        if line is None or line.followup_id is None:
            return
        followup_id = line.followup_id

        def moved(result: list[Any]) -> None:
            self._say(f"Follow-up for {self._person_name(line.person_id)} moved.")

        self._open_change(_forms().RescheduleModal(followup_id), moved)

    def action_did_not_attend(self) -> None:
        """Did not attend / could not reach: record an attempt; prompt at the threshold."""
        line = self._line_or_hint()
        if line is None:
            return
        person_id = line.person_id

        def recorded(result: Missed) -> None:
            name = self._person_name(person_id)
            if result.threshold_reached and result.next_step is not None:
                self.prompt_threshold(person_id, result)
            elif result.offer_retry:
                self.offer_booking(
                    person_id,
                    title=f"Attempt recorded ({result.attempts} of {result.threshold}). "
                    "Book another try?",
                    due_on=result.retry_on,
                    line=line,
                )
            else:
                self._say(f"Attempt recorded for {name} ({result.attempts} of {result.threshold}).")

        self._open_change(
            _contact_forms().MissedModal(
                person_id, followup_id=line.followup_id, referral_id=line.referral_id
            ),
            recorded,
        )

    def prompt_threshold(self, person_id: int, missed: Missed) -> None:
        """The referral rules apply: offer to mark not reached or discharge."""

        def closed(how: str | None) -> None:
            if how is None:
                self._say("The referral stays open.", severity="warning")
                return
            self._after_change()
            words = "marked not reached" if how == "not_reached" else "discharged (disengaged)"
            self._say(f"{self._person_name(person_id)}: referral {words}.")

        dialog = _contact_forms().ThresholdModal.after_missed(person_id, missed)
        self.app.push_screen(dialog, closed)

    def action_book(self) -> None:
        """Book a follow-up for the person on the highlighted line."""
        line = self._line_or_hint()
        if line is None:
            return
        self.offer_booking(line.person_id, title="Book a follow-up", due_on=None, line=None)

    def action_cancel_followup(self) -> None:
        """Cancel the highlighted follow-up, with a reason."""
        line = self._booked_line_or_hint("x cancels a booked follow-up; this line has none.")
        if line is None or line.followup_id is None:
            return
        followup_id = line.followup_id

        def cancelled(count: int) -> None:
            self._say(f"Cancelled {count} follow-up{'s' if count != 1 else ''}.")

        self._open_change(_forms().CancelFollowUpModal(followup_id), cancelled)
