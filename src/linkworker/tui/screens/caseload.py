"""Caseload: everyone on the books, filtered and sorted in SQL, one screenful at a time.

Textual's DataTable measures every cell it is given, so the screen only ever holds the
rows that fit (MEASURED.md: 10,000 rows take ~2 s to paint). Paging moves the SQL window.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Select, Static

from linkworker import caseload
from linkworker.collector import set_aside_long_lived
from linkworker.display import contacts_against_norm, days_ago, flag_words, label, table_date
from linkworker.models import NeedDomain, ReferralSource, ReferralStatus
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.widgets.keys_footer import KeysFooter
from linkworker.tui.widgets.paging import PagedList, last_page_offset, page_numbers, shown_span
from linkworker.tui.widgets.tables import RowTable, highlighted_key
from linkworker.tui.widgets.text import plain

# Flags sit beside the name so that they are on screen even at 80 columns.
COLUMNS: list[tuple[str, str]] = [
    ("name", "Name"),
    ("flags", "Flags"),
    ("age", "Age"),
    ("status", "Status"),
    ("referred", "Referred"),
    ("last_contact", "Last seen"),
    ("next_followup", "Next due"),
    ("contacts", "Contacts"),
]
OPEN = "open"


#: From this many columns a handed-over row says to whom and when ("handed over" below).
WIDE = 120


def _cells(row: caseload.CaseloadRow, wide: bool) -> tuple[Text, ...]:
    """The cells of a person's row; ``wide``: there is room for whom a case went to."""
    status = (
        # The whole sentence where there is room; at 80 columns it would push the other
        # columns off the screen (the person's record shows it in full).
        plain(row.handed_over if wide else "handed over")
        if row.handed_over
        else Text(label(ReferralStatus, row.status) or "no referral")
    )
    return (
        plain(row.name),
        Text(flag_words(row.flags, short=True), style="bold"),
        Text("" if row.age is None else str(row.age)),
        status,
        Text(table_date(row.referred_on)),
        Text(days_ago(row.days_since_contact)),
        Text(table_date(row.next_followup_on)),
        Text(contacts_against_norm(row.contacts)),
    )


class CaseloadScreen(PagedList, LinkWorkerScreen, guide="caseload"):
    """The caseload table."""

    def __init__(self) -> None:
        super().__init__()
        self.caseload_filter = caseload.CaseloadFilter()
        self.page_offset = 0
        self.total = 0
        # The rows the table holds now, and whether they were made wide: a reload that
        # would show the same page (a letter that changes no row on it) leaves it alone.
        self._shown: tuple[bool, list[caseload.CaseloadRow]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="caseload-filters", classes="filters"):
            yield Input(
                placeholder="/ Find: name, NHS number, phone, postcode, born",
                id="filter",
                compact=True,
            )
            yield Select(
                [("Open referrals", OPEN), *[(s.label, s.value) for s in ReferralStatus]],
                prompt="Any status",
                id="status",
                allow_blank=True,
                compact=True,
            )
            yield Select(NeedDomain.choices(), prompt="Any need", id="need", compact=True)
            yield Select(ReferralSource.choices(), prompt="Any source", id="source", compact=True)
        yield RowTable(id="caseload-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="caseload-status", classes="status-line")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in COLUMNS:
            table.add_column(title, key=key)
        table.focus()
        # The table is refilled as the letter goes into the box, so that Textual paints the
        # letter and the rows it finds in one frame. Input.Changed reaches this screen only
        # after bubbling through the filter row, by which time Textual has painted the
        # letter alone and the rows wait for its next frame (16-33 ms later at 60 fps).
        self.watch(self.query_one("#filter", Input), "value", self._text_changed, init=False)
        # Typing here makes garbage fast enough to run the collector every few keys.
        set_aside_long_lived()

    def on_resize(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        # Back from a person (opened from the filter with Enter, or from the palette): n, s
        # and r are the caseload's keys again, not letters typed into the filter.
        self.query_one(DataTable).focus()

    # --- data --------------------------------------------------------------------------

    @property
    def page_size(self) -> int:
        table = self.query_one(DataTable)
        # Only what fits: the header takes one line of the table's height.
        return max(10, table.size.height - 1) if table.size.height else 20

    def reload(self) -> None:
        """Re-run the query for the current filter, sort and page, and repaint the table."""
        if self.lw._db is None:
            return
        self.total = caseload.caseload_count(self.db, self.caseload_filter)
        size = self.page_size
        if self.page_offset >= self.total:
            self.page_offset = last_page_offset(self.total, size)
        rows = caseload.caseload_page(
            self.db, self.caseload_filter, self.clock.today(), limit=size, offset=self.page_offset
        )
        self._fill(rows, wide=self.app.size.width >= WIDE)
        self._show_status(len(rows))

    def _fill(self, rows: list[caseload.CaseloadRow], *, wide: bool) -> None:
        """Put these rows in the table, unless it holds them already (then nothing repaints:
        Textual renders every visible cell again after any change to a DataTable)."""
        if self._shown == (wide, rows):
            return
        self._shown = (wide, rows)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*_cells(row, wide), key=str(row.person_id))
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    def _show_status(self, shown: int) -> None:
        title = dict(COLUMNS).get(self.caseload_filter.sort, self.caseload_filter.sort)
        arrow = "↓" if self.caseload_filter.descending else "↑"
        if self.total == 0:
            text = (
                "Nobody matches this filter."
                if self._filtered()
                else ("No one on the caseload yet. Press n to take in a referral.")
            )
        else:
            page, pages = page_numbers(self.page_offset, self.page_size, self.total)
            text = (
                f"{shown_span(self.page_offset, shown, self.total)}"
                f"  ·  page {page}/{pages}  ·  sorted by {title} {arrow}"
            )
        line = Text(text)
        typed = self.caseload_filter.text.strip()
        if typed:
            # What is being matched, shown literally (it is whatever was typed).
            line.append("  ·  matching ")
            line.append_text(plain(f'"{typed}"'))
        self.query_one("#caseload-status", Static).update(line)

    def _filtered(self) -> bool:
        f = self.caseload_filter
        return bool(f.text or f.statuses or f.need or f.source)

    # --- events ------------------------------------------------------------------------

    def _text_changed(self, typed: str) -> None:
        self.search_for(typed, self.caseload_filter)

    @on(Input.Submitted, "#filter")
    def _text_submitted(self) -> None:
        # Type a name, press Enter: the highlighted (usually only) match opens.
        table = self.query_one(DataTable)
        key = highlighted_key(table)
        if key is not None:
            self.lw.open_person(int(key))
            return
        self.set_focus(table)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        # A cleared select holds Select.NULL (Select.BLANK is only the allow_blank flag).
        value = None if event.value in (Select.NULL, Select.BLANK) else str(event.value)
        if event.select.id == "status":
            if value == OPEN:
                self.caseload_filter.statuses = ["received", "contacting", "accepted"]
            else:
                self.caseload_filter.statuses = [value] if value else []
        elif event.select.id == "need":
            self.caseload_filter.need = value
        elif event.select.id == "source":
            self.caseload_filter.source = value
        self.reload_from_first_page()

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.caseload_filter.sort:
            self.caseload_filter.descending = not self.caseload_filter.descending
        else:
            self.caseload_filter.sort = key
            self.caseload_filter.descending = key in (
                "referred",
                "last_contact",
                "contacts",
                "flags",
            )
        self.reload()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.lw.open_person(int(event.row_key.value))

    # --- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the filter, / is typed (a date of birth is 23/11/1950), not a jump to the filter.
        return not (action == "focus_filter" and self.query_one("#filter", Input).has_focus)

    def action_focus_filter(self) -> None:
        # Focus now, not after the queued keys: a fast typist's next letters belong in the box.
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.query_one(DataTable).focus()

    def action_next_sort(self) -> None:
        keys = [k for k, _ in COLUMNS]
        self.caseload_filter.sort = keys[(keys.index(self.caseload_filter.sort) + 1) % len(keys)]
        self.reload_from_first_page()

    def action_reverse_sort(self) -> None:
        self.caseload_filter.descending = not self.caseload_filter.descending
        self.reload_from_first_page()

    def action_new_referral(self) -> None:
        """The referral form; once saved, the person's record opens."""
        from linkworker.referrals import IntakeResult
        from linkworker.tui.messages import CaseloadChanged
        from linkworker.tui.screens.intake import IntakeScreen, intake_done_message

        def done(result: IntakeResult | None) -> None:
            if result is None:
                return
            self.app.post_message(CaseloadChanged(result.person_id))
            self.notify(intake_done_message(result), markup=False)
            self.lw.open_person(result.person_id)
            if result.differs:
                # "The same person (review their details)": the details open on their record.
                from linkworker.tui.screens.person_edit import PersonEditScreen

                self.app.push_screen(PersonEditScreen(result.person_id, review=result.differs))

        self.app.push_screen(IntakeScreen(), done)

    def action_receive_handover(self) -> None:
        """Receive a case a colleague handed over: the sealed file, then merge or new."""
        from linkworker.team.receive import ReceivedCase
        from linkworker.tui.screens.handover import receive

        def done(result: ReceivedCase) -> None:
            self.notify(result.summary(), markup=False)
            self.lw.open_person(result.person_id)

        receive(self, done)
