"""Today: the agenda the app opens on, and one key per action on each line.

The agenda itself (who is due, overdue, waiting, quiet...) and every bucket's words come
from :mod:`linkworker.followups.agenda`; this screen shows them and opens the follow-up
dialogs of :mod:`linkworker.tui.screens.followup_forms` and ``contact_forms`` on the
highlighted line.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from linkworker import collector
from linkworker.display import flag_words, literal, short_date
from linkworker.followups.agenda import NOTHING_DUE, UP_TO_DATE, Agenda, AgendaLine, build_agenda
from linkworker.followups.early import LINES_PER_BUCKET
from linkworker.store import driver
from linkworker.tui.screens.followup_actions import FollowUpActions
from linkworker.tui.stylesheet import ParsedOnceStylesheet
from linkworker.tui.widgets.keys_footer import KeysFooter
from linkworker.tui.widgets.tables import RowTable

WHEN_WIDTH = 17

#: A table row: its key, its agenda line (None on a heading or a "more" row), its cells.
AgendaRow = tuple[str, AgendaLine | None, tuple[Text, Text, Text]]


class TodayScreen(FollowUpActions, guide="today"):
    """Due today, overdue, first contacts, gone quiet, reviews, connections, coming up."""

    def __init__(self) -> None:
        super().__init__()
        self.agenda: Agenda | None = None
        self._shown_widths: tuple[int, int] | None = None
        self._reload_queued = False
        self._lines: dict[str, AgendaLine] = {}
        self._shown = 0  # how many times the table was painted (a later paint drops rows due)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="today-late-visits")
        yield Static(id="today-summary", classes="summary")
        yield RowTable(id="agenda", cursor_type="row", zebra_stripes=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        # Textual resumes a newly shown mode screen twice at start; one reload serves both.
        if self.needs_reload() and not self._reload_queued:
            self._reload_queued = True
            self.call_later(self._queued_reload)

    def _queued_reload(self) -> None:
        self._reload_queued = False
        # Textual runs LinkWorkerScreen.on_screen_resume too (handlers run along the MRO), and
        # it may have reloaded already: a second build of the agenda would double the start.
        if self.needs_reload():
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
        app = self.lw
        early = app.early_agenda
        today, settings = self.clock.today(), app.settings_now
        agenda = early.take(today, settings, LINES_PER_BUCKET) if early else None
        if agenda is None and app.connection is None:
            return  # nothing read early: painted once the store is open
        if not app.store_checked:
            # The store's checks (and, painted from the early read, its opening) run once
            # this first paint is on the screen (app.py).
            self.call_after_refresh(app.run_store_checks)
        try:
            if agenda is None and app.connection is not None:
                # Through the driver: the first paint needs neither sqlite-utils nor pydantic.
                agenda = build_agenda(
                    app.connection, today, settings, lines_per_bucket=LINES_PER_BUCKET
                )
            if agenda is not None:
                self.agenda = agenda
                self._show(agenda)
        except driver.DatabaseError:
            if app.store_checked:
                raise
            self.stale = True  # not readable as it is: painted again once it is checked

    def _show_late_visits(self) -> None:
        # Before everything else: a lone visit not checked out in time (lone_working.py,
        # loaded here: painted from the early read with none late, Today needs none of it).
        now, connection, early = self.clock.now(), self.lw.connection, self.lw.early_agenda
        if connection is not None:
            from linkworker.lone_working import overdue_visits

            late = overdue_visits(connection, now, self.lw.settings_now)
        elif early is not None and (read := early.late_visits()) is not None:
            late = read  # painted before the store is open: as the child found them
        else:
            return
        banner = self.query_one("#today-late-visits", Static)
        banner.display = bool(late)
        if late:
            from linkworker.lone_working import overdue_text

            banner.update(Text("⚠ " + overdue_text(late, now), style="bold"))

    def _widths(self) -> tuple[int, int]:
        width = self.size.width or 80
        who = 18 if width < 100 else 26
        # Three columns of cell padding (2 each) and the scrollbar.
        what = max(20, width - WHEN_WIDTH - who - 6 - 2)
        return who, what

    def _show(self, agenda: Agenda) -> None:
        self._show_late_visits()
        self.query_one("#today-summary", Static).update(Text(agenda.summary()))
        table = self.query_one(DataTable)
        row_before = table.cursor_row
        before = self.current_line() if self._lines else None
        table.clear(columns=True)
        self._shown += 1
        who_width, what_width = self._shown_widths = self._widths()
        # Labels as Text: a str label is read as markup, and Rich's markup loads its emoji
        # table (~2.5 ms) the first time, before Today's first paint (issue 18).
        table.add_column(Text("When"), key="when", width=WHEN_WIDTH)
        table.add_column(Text("Who"), key="who", width=who_width)
        table.add_column(Text("What"), key="what", width=what_width)
        self._lines = {}
        rows = self._rows(agenda)
        if before is None:
            # The first paint is of the rows a terminal can show; the rest follow straight
            # after that frame (a row costs ~0.2 ms to add, and the agenda has up to 800).
            self._add_rows(table, rows, most=self.app.size.height or 24)
            self.call_after_refresh(self._add_rest, self._shown, rows)
            self.call_after_refresh(collector.resume_after_start)  # held by the command
            self.call_after_refresh(ParsedOnceStylesheet.started)  # styles_kept.py
        else:
            self._add_rows(table, rows)
        if not table.row_count:
            table.add_row(
                Text(f"{NOTHING_DUE}."),
                Text(""),
                Text(f"{UP_TO_DATE.capitalize()}."),
                key="heading:empty",
            )
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

    def _add_rows(self, table: DataTable[Text], rows: Iterator[AgendaRow], most: int = 0) -> None:
        """Add the agenda's rows to the table (at most ``most`` of them when it is given)."""
        for added, (key, line, cells) in enumerate(rows, start=1):
            if line is not None:
                self._lines[key] = line
            table.add_row(*cells, key=key)
            if added == most:
                return

    def _add_rest(self, shown: int, rows: Iterator[AgendaRow]) -> None:
        if shown == self._shown:  # not painted again meanwhile
            self._add_rows(self.query_one(DataTable), rows)

    def _rows(self, agenda: Agenda) -> Iterator[AgendaRow]:
        """Each row of the table: its key, its agenda line (None on a heading), its cells."""
        settings = self.lw.settings_now
        for key, _title, lines in agenda.buckets():
            if not lines:
                continue
            total = agenda.count(key)
            yield (
                f"heading:{key}",
                None,
                (
                    Text(f"{agenda.heading(key)} ({total})", style="bold"),
                    Text(""),
                    Text(agenda.rule(key, settings), style="italic"),
                ),
            )
            for index, line in enumerate(lines):
                yield f"{key}:{index}", line, self._cells(key, line)
            if total > len(lines):
                yield (
                    f"heading:{key}:more",
                    None,
                    (
                        Text(f"… {total - len(lines)} more"),
                        Text(""),
                        Text("`linkworker agenda` lists them all", style="italic"),
                    ),
                )

    @staticmethod
    def _cells(key: str, line: AgendaLine) -> tuple[Text, Text, Text]:
        what = Text(overflow="ellipsis", no_wrap=True)
        if line.flags:
            what.append(flag_words(line.flags, short=True) + " ", style="bold reverse")
            what.append(" ")
        if line.born:
            # Someone else has this name: the date of birth tells them apart, at the start
            # of the wide column so that no width cuts it off.
            what.append(f"born {short_date(line.born)}", style="bold")
            what.append(" · ")
        what.append(literal(line.what))
        return (
            Text(line.when_text(), style="bold" if key == "overdue" else ""),
            Text(literal(line.name), overflow="ellipsis", no_wrap=True),
            what,
        )

    def current_line(self) -> AgendaLine | None:
        """The agenda line under the cursor (None on a heading)."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self._lines.get(str(row_key.value))

    def _booked_line_or_hint(self, hint: str) -> AgendaLine | None:
        """The highlighted line if it is a booked follow-up; otherwise say ``hint``."""
        line = self._line_or_hint()
        if line is not None and line.followup_id is None:
            self.say(hint, severity="warning")
            return None
        return line

    def _line_or_hint(self) -> AgendaLine | None:
        line = self.current_line()
        if line is None:
            self.say("Move to a line under a heading first.", severity="warning")
        return line

    # --- actions (the dialogs and what follows them: followup_actions.py) --------------

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
        if line is not None:
            self.complete_followup(line.person_id, line.followup_id)

    def action_reschedule(self) -> None:
        """Move the highlighted follow-up to another date or time."""
        line = self._booked_line_or_hint("r moves a booked follow-up; press b to book one.")
        if line is not None and line.followup_id is not None:
            self.reschedule_followup(line.person_id, line.followup_id)

    def action_did_not_attend(self) -> None:
        """Did not attend / could not reach: record an attempt; prompt at the threshold."""
        line = self._line_or_hint()
        if line is not None:
            self.miss_followup(line.person_id, line.followup_id, line.referral_id)

    def action_book(self) -> None:
        """Book a follow-up for the person on the highlighted line."""
        line = self._line_or_hint()
        if line is not None:
            self.offer_booking(line.person_id, title="Book a follow-up", due_on=None)

    def action_cancel_followup(self) -> None:
        """Cancel the highlighted follow-up, with a reason."""
        line = self._booked_line_or_hint("x cancels a booked follow-up; this line has none.")
        if line is not None and line.followup_id is not None:
            self.cancel_followup(line.followup_id)

    def action_did_they_go(self) -> None:
        """Ask "did they go?" about the line's connections (went / did not go / not yet),
        with the same dialog as the person screen's D."""
        line = self._line_or_hint()
        if line is None:
            return
        if not line.connection_ids:
            self.say(
                "D asks about a connection: use it on a line under DID THEY GO?",
                severity="warning",
            )
            return
        # The person screen's files (plans, reports, exports) load on first use, not at start.
        from linkworker.tui.screens.person_files import did_they_go

        did_they_go(self, line.person_id, line.connection_ids)

    # --- lone visits and community work (tui/screens/care.py) ---------------------------

    def action_check_visit(self) -> None:
        """Check in to the visit on the line, or out of it when checked in."""
        from linkworker.tui.screens.care import check_visit

        line = self._booked_line_or_hint("k checks in and out of a booked visit.")
        if (
            line is not None
            and line.followup_id is not None
            and check_visit(self, line.followup_id)
        ):
            self.mark_shown()
            self.reload()

    def action_visit_plan(self) -> None:
        """The day's visit plan for your buddy: copy it or write it to a file."""
        from linkworker.tui.screens.care import visit_plan

        visit_plan(self)

    def action_community_work(self) -> None:
        """Log community development time."""
        from linkworker.tui.screens.care import CommunityWorkDialog

        self.app.push_screen(CommunityWorkDialog())
