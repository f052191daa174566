"""Search the directory as you type, with filters: shared by the Directory section and the
activity picker that opens from a person.

The results are one page that fits the screen; paging moves the SQL window. They are an
OptionList of pre-formatted one-line rows under a header, not a DataTable: a DataTable
renders every cell through Rich (about 0.25 ms a cell), which made a 17-row page cost
20-30 ms to paint on each keystroke; one Text per row paints in about 3 ms (measured
with bench/directory_search.py). The words that matched are shown in bold reverse,
computed by the core from the query on the literal text, so stored markup is never
interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar, Self, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from linkworker import directory
from linkworker.directory import quality
from linkworker.display import literal
from linkworker.tui import accessibility, keymap
from linkworker.tui.widgets.paging import PagedList, last_page_offset, page_numbers, shown_span
from linkworker.validation import WEEKDAY_CODES, WEEKDAY_NAMES

if TYPE_CHECKING:
    from linkworker.tui.app import LinkWorkerApp

ACTIVE, FAVOURITES, EVERYTHING = "active", "favourites", "everything"

FITS, ANY_AGE = "fits", "any"


def highlighted(value: object, words: list[str], style: str = "") -> Text:
    """The literal text of a value with the words a search matched in bold reverse."""
    text = Text(literal(value), style=style, overflow="ellipsis", no_wrap=True)
    for start, end in directory.match_spans(text.plain, words):
        text.stylize("bold reverse", start, end)
    return text


COLUMNS: list[tuple[str, str]] = [
    ("name", "Activity"),
    ("when", "When"),
    ("where", "Where"),
    ("cost", "Cost"),
    ("checked", "Checked"),
]


def row_line(cells: dict[str, Text], widths: dict[str, int]) -> Text:
    """One result row: each cell cut (with …) or padded to its column, two spaces apart."""
    line = Text(no_wrap=True, overflow="ellipsis")
    for n, (key, _) in enumerate(COLUMNS):
        piece = cells[key].copy()
        piece.truncate(widths[key], overflow="ellipsis", pad=True)
        if n:
            line.append("  ")
        line.append_text(piece)
    return line


def cell(value: object, style: str = "") -> Text:
    """A table cell that never wraps and ends in … when cut."""
    return Text(literal(value), style=style, overflow="ellipsis", no_wrap=True)


def column_widths(width: int) -> dict[str, int]:
    """Widths of the columns for a list ``width`` cells wide, so nothing scrolls sideways."""
    # Two spaces between columns and three cells to spare, so a row never wraps.
    available = max(40, width - 2 * (len(COLUMNS) - 1) - 3)
    cost, checked = 6, 9
    rest = available - cost - checked
    when = max(15, rest * 24 // 100)
    where = max(12, rest * 24 // 100)
    return {
        "name": rest - when - where,
        "when": when,
        "where": where,
        "cost": cost,
        "checked": checked,
    }


class SearchBox(Input):
    """The search box. Its size is fixed by CSS (one line, the width of the screen), so the
    text typed into it can never change the layout; Textual's Input still asks for a
    whole-screen layout on every keystroke (its virtual size follows the text), which
    cost more than the search itself. This one asks for a repaint only."""

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        return super().refresh(*regions, repaint=repaint, layout=False, recompose=recompose)


#: How many activities' row parts are kept between keystrokes (far more than a page).
PARTS_KEPT = 2000


@dataclass(frozen=True)
class _RowParts:
    """What an activity's result row shows that does not depend on the words searched for,
    made once while the activity looks the same (when_short and freshness read its JSON)."""

    state: Text  # " (retired)", " (inactive)" or nothing
    when: Text
    where: str
    cost: Text
    checked: Text

    @classmethod
    def of(cls, row: directory.ActivityRow, today: date, months: int) -> _RowParts:
        fresh = directory.freshness(row, today, months)
        state = Text()
        if row["retired"]:
            state.append(" (retired)", style="italic")
        elif row["status"] != "active":
            state.append(f" ({row['status']})", style="italic")
        return cls(
            state=state,
            when=cell(directory.when_short(row)),
            where=directory.where_short(row),
            cost=cell(directory.cost_short(row)),
            checked=cell(fresh.cell(), style="bold" if fresh.stale else ""),
        )


class ResultsList(OptionList):
    """The results: an OptionList that, given a new page, repaints only the rows that
    changed. Typing one more letter often leaves most of the page as it was; Textual's
    set_options throws away every rendered row, and painting them again was most of a
    keystroke (bench/search_keystroke.py)."""

    def show_rows(self, options: list[Option]) -> bool:
        """Show ``options`` in order; one the same as the row already in its place keeps its
        rendered lines, and a page of the same rows changes nothing. True when it changed."""
        old = list(self._options)
        kept = [
            was if was.id == new.id and was.prompt == new.prompt else None
            for was, new in zip(old, options, strict=False)
        ]
        if len(old) == len(options) and all(k is not None for k in kept):
            return False
        keep = {id(k) for k in kept if k is not None}
        rendered = [
            (key, self._option_render_cache.get(key))
            for key in list(self._option_render_cache.keys())
            if id(key[0]) in keep
        ]
        self.set_options(
            [k if k is not None else new for k, new in zip(kept, options, strict=False)]
            + options[len(kept) :]
        )
        for key, strips in rendered:
            if strips is not None:
                self._option_render_cache.set(key, strips)
        return True


class ActivitySearch(PagedList, Vertical):
    """A search box, filters, one page of matching activities and a status line."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("activity_search")

    class Chosen(Message):
        """The link worker pressed Enter on an activity."""

        def __init__(self, activity_id: int) -> None:
            super().__init__()
            self.activity_id = activity_id

    def __init__(
        self,
        *,
        person_age: int | None = None,
        person_area: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="activity-search")
        self.person_age = person_age
        self.person_area = person_area
        self.search_filter = directory.SearchFilter(age=person_age)
        self.page_offset = 0
        self.total = 0
        self.words: list[str] = []
        self._rows: dict[str, directory.ActivityRow] = {}
        self._also_listed: dict[int, list[str]] = {}  # id -> the other feeds listing it
        self._widths: dict[str, int] = {}
        # The lines of the rows shown now, by what they show (see _reload), and the parts
        # of rows that do not depend on the words (see _row_line).
        self._lines: dict[tuple[object, ...], Text] = {}
        self._parts: dict[tuple[object, ...], _RowParts] = {}

    @property
    def lw(self) -> LinkWorkerApp:
        return cast("LinkWorkerApp", self.app)

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBox(
            placeholder="Search: walk, choir, debt, HV2 ...  (Enter: go to the list)",
            id="search",
            compact=True,
        )
        with Horizontal(classes="filters directory-filters"):
            yield Select[str]([], prompt="Category", id="category", compact=True)
            yield Select[str](
                [(WEEKDAY_NAMES[c], c) for c in WEEKDAY_CODES],
                prompt="Day",
                id="day",
                compact=True,
            )
            yield Select[str](
                [(p.capitalize(), p) for p in directory.TIMES_OF_DAY],
                prompt="Time",
                id="time",
                compact=True,
            )
            yield Select[str]([], prompt="Area", id="area", compact=True)
            yield Select[str]([("Free only", "free")], prompt="Cost", id="cost", compact=True)
            if self.person_age is not None:
                yield Select[str](
                    [(f"Age {self.person_age}", FITS), ("Any age", ANY_AGE)],
                    value=FITS,
                    allow_blank=False,
                    id="age",
                    compact=True,
                )
            yield Select[str](
                [("Active", ACTIVE), ("Favourites", FAVOURITES), ("All", EVERYTHING)],
                value=ACTIVE,
                allow_blank=False,
                id="show",
                compact=True,
            )
        yield Static(id="results-header", classes="results-header")
        yield ResultsList(id="activities", compact=True)
        yield Static(id="match-line", classes="match-line")
        yield Static(id="directory-status", classes="status-line")

    def on_mount(self) -> None:
        self.fill_choices()
        self._set_columns(self.size.width or 80)
        self.query_one("#search", Input).focus()

    def fill_choices(self) -> None:
        """Categories and areas come from the directory itself."""
        db = self.lw.db
        category = self.query_one("#category", Select)
        chosen = category.value
        options = [(f"{lab} ({n})", lab) for lab, _, n in directory.categories_in_use(db)]
        category.set_options(options)
        if chosen is not Select.NULL and chosen in {v for _, v in options}:
            category.value = chosen
        area = self.query_one("#area", Select)
        picked = area.value
        areas = directory.areas_in_use(db)
        if self.person_area and self.person_area not in areas:
            areas.insert(0, self.person_area)
        area.set_options([(a, a) for a in areas])
        if picked is not Select.NULL and picked in areas:
            area.value = picked

    def _set_columns(self, width: int) -> None:
        # The list has a cell of padding each side.
        widths = column_widths(width - 2)
        if widths == self._widths:
            return
        self._widths = widths
        header = row_line({k: Text(title) for k, title in COLUMNS}, widths)
        header.stylize("bold")
        self.query_one("#results-header", Static).update(header)

    def on_resize(self) -> None:
        self._set_columns(self.size.width)
        self.reload()

    # --- data --------------------------------------------------------------------------

    @property
    def results(self) -> ResultsList:
        return self.query_one("#activities", ResultsList)

    @property
    def page_size(self) -> int:
        """As many rows as the list shows without scrolling."""
        height = self.results.size.height
        return max(5, height) if height else 15

    def reload(self) -> None:
        """Run the search for the current text, filters and page, and repaint the list."""
        if self.lw._db is None or not self.is_mounted:
            return
        # One screen update for the list, the match line and the status line together.
        with self.app.batch_update():
            self._reload()

    def _reload(self) -> None:
        size = self.page_size
        # Stale records sink below fresh ones of the same relevance (quality.freshness_rank).
        self.search_filter.today = self.lw.clock.today()
        page = directory.search_page(
            self.lw.db, self.search_filter, limit=size, offset=self.page_offset
        )
        if not page.rows and self.page_offset and page.total:
            self.page_offset = last_page_offset(page.total, size)
            page = directory.search_page(
                self.lw.db, self.search_filter, limit=size, offset=self.page_offset
            )
        self.total = page.total
        self.words = page.words
        self._also_listed = page.also_listed
        today = self.lw.clock.today()
        months = self.lw.settings.stale_directory_months
        widths = self._widths or column_widths((self.size.width or 80) - 2)
        results = self.results
        cursor = results.highlighted or 0
        self._rows = {}
        options: list[Option] = []
        lines: dict[tuple[object, ...], Text] = {}
        for row in page.rows:
            key = str(row["id"])
            self._rows[key] = row
            # A row looks the same while it, the words, the widths and the day do: its line
            # is made once (typing a letter more mostly shows the same rows again).
            also = tuple(page.also_listed.get(row["id"], ()))
            seen = (*_shown(row), tuple(page.words), *widths.values(), today, months, also)
            line = self._lines.get(seen) or self._row_line(row, page.words, widths, today, also)
            lines[seen] = line
            options.append(Option(line, id=key))
        self._lines = lines
        if results.show_rows(options) and options:
            results.highlighted = min(max(cursor, 0), len(options) - 1)
        self._show_status(len(page.rows))
        self._show_match()

    def _row_line(
        self,
        row: directory.ActivityRow,
        words: list[str],
        widths: dict[str, int],
        today: date,
        also: tuple[str, ...],
    ) -> Text:
        """One result row as shown: the words searched for marked, then each column."""
        months = self.lw.settings.stale_directory_months
        key = (*_shown(row), today, months)
        parts = self._parts.get(key)
        if parts is None:
            if len(self._parts) > PARTS_KEPT:
                self._parts.clear()
            parts = self._parts[key] = _RowParts.of(row, today, months)
        name = highlighted(row["name"], words)
        if row["favourite"]:
            name = Text("★ ") + name
        name.append_text(parts.state)
        if also:  # a likely duplicate of another feed's: this one row stands for both
            name.append(f" (also {literal(', '.join(also))})", style="italic")
        cells = {
            "name": name,
            "when": parts.when,
            "where": highlighted(parts.where, words),
            "cost": parts.cost,
            "checked": parts.checked,
        }
        return row_line(cells, widths)

    def _show_status(self, shown: int) -> None:
        months = self.lw.settings.stale_directory_months
        filters = self.search_filter.describe()
        if self.total == 0:
            text = "No activity matches." + (
                "  Try fewer words or filters." if filters or self.words else ""
            )
        else:
            page, pages = page_numbers(self.page_offset, self.page_size, self.total)
            noun = "activity" if self.total == 1 else "activities"
            text = f"{shown_span(self.page_offset, shown, self.total)} {noun}"
            if pages > 1:
                text += f" · page {page}/{pages}"
        if filters:
            text += " · " + ", ".join(filters)
        text += f" · ★ favourite · ⚠ not checked in {months} months"
        # One line whatever it says: no layout pass needed (that would cost a keystroke
        # more than the search itself).
        self.query_one("#directory-status", Static).update(Text(literal(text)), layout=False)

    def _show_match(self) -> None:
        line = self.query_one("#match-line", Static)
        row = self.current_row()
        if row is None:
            line.update("", layout=False)
            return
        context = directory.match_context(row, self.words, width=max(30, self.size.width - 30))
        text = Text(no_wrap=True, overflow="ellipsis")
        also = self._also_listed.get(row["id"], [])
        if also:
            # A likely duplicate from another feed is this one row: say so first.
            words = quality.also_listed_words(also)
            text.append(literal(words[:1].upper() + words[1:]), style="italic")
            text.append(" · ")
        if context is not None:
            text.append(f"Matched {context.field}: ", style="italic")
            found = Text(context.text)
            for start, end in context.spans:
                found.stylize("bold reverse", start, end)
            text.append_text(found)
        else:
            bits = [literal(f"by {row['organisation']}") if row["organisation"] else ""]
            if row["min_age"] is not None or row["max_age"] is not None:
                bits.append(f"ages {_ages(row['min_age'], row['max_age'])}")
            if row["alert"]:
                bits.append("⚠ " + literal(row["alert"]))
            text.append(" · ".join(b for b in bits if b))
        line.update(text, layout=False)

    def current_row(self) -> directory.ActivityRow | None:
        """The activity under the cursor, as the store gave it."""
        option = self.results.highlighted_option
        return self._rows.get(str(option.id)) if option is not None else None

    @property
    def row_count(self) -> int:
        """How many activities the list shows now."""
        return self.results.option_count

    def row_names(self) -> list[str]:
        """The names of the activities shown, in order (for tests and screen readers)."""
        return [str(self._rows[str(o.id)]["name"]) for o in self.results.options]

    def current_id(self) -> int | None:
        """The id of the activity under the cursor."""
        row = self.current_row()
        return int(str(row["id"])) if row is not None else None

    # --- events ------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _text_changed(self, event: Input.Changed) -> None:
        self.search_for(event.value, self.search_filter)

    @on(Input.Submitted, "#search")
    def _text_submitted(self) -> None:
        self.results.focus()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else str(event.value)
        f = self.search_filter
        match event.select.id:
            case "category":
                f.category = value
            case "day":
                f.day = value
            case "time":
                f.time_of_day = value
            case "area":
                f.area = value
            case "cost":
                f.free_only = value == "free"
            case "age":
                f.age = self.person_age if value == FITS else None
            case "show":
                f.active_only = value != EVERYTHING
                f.favourites_only = value == FAVOURITES
        self.reload_from_first_page()

    @on(OptionList.OptionHighlighted, "#activities")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_match()
        # Stopped here, the app's own follower never hears of it: the terminal cursor goes
        # to the highlighted row (or stays in the search box) for screen readers.
        self.call_after_refresh(accessibility.place_cursor, self.app)

    @on(OptionList.OptionSelected, "#activities")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(int(event.option.id)))

    # --- actions -----------------------------------------------------------------------

    def focus_search(self) -> None:
        """Focus the box now, not after queued keys: a fast typist's letters belong in it."""
        self.screen.set_focus(self.query_one("#search", Input))

    def search_text(self) -> str:
        """The words in the search box, as typed."""
        return self.query_one("#search", Input).value

    def clear_search(self) -> None:
        """Empty the search box (filters stay) and go back to typing."""
        box = self.query_one("#search", Input)
        box.value = ""
        box.focus()

    def action_focus_results(self) -> None:
        self.results.focus()


def _shown(row: directory.ActivityRow) -> tuple[object, ...]:
    """What an activity's result row is made from beyond its words (updated_at for edits)."""
    return (
        row["id"],
        row["updated_at"],
        row["favourite"],
        row["retired"],
        row["status"],
        row["assured_date"],
        row["verified_on"],
    )


def _ages(low: object, high: object) -> str:
    if high is None:
        return f"{low}+"
    if low is None or low == 0:
        return f"up to {high}"
    return f"{low}-{high}"
