"""How good each feed is (`q` on the Directory screen): the feed-quality panel.

One row a source (a pulled API, an imported file, your own entries): its records, the share
not checked in 12 months, how many lack a contact, a place or times, how many another feed
also lists, and whether its last pull had paging problems or errors. The highlighted
source's problems are written out in full under the table.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from linkworker.directory import quality
from linkworker.display import literal
from linkworker.tui.dialogs import Dialog, button
from linkworker.tui.widgets.tables import RowTable
from linkworker.tui.widgets.text import plain

#: (key, header) of the table; short headers so it reads at 80 columns.
COLUMNS = (
    ("source", "Source"),
    ("records", "Recs"),
    ("stale", "Stale"),
    ("contact", "No contact"),
    ("place", "No place"),
    ("times", "No times"),
    ("dupes", "Dupes"),
    ("pull", "Pull"),
)
#: A longer source name is cut in the table (the line under it names it in full).
SOURCE_WIDTH = 16


def source_cell(name: str) -> Text:
    """The source's name, cut with … to fit the table at 80 columns."""
    text = plain(name)
    text.truncate(SOURCE_WIDTH, overflow="ellipsis")
    return text


def pull_cell(q: quality.SourceQuality) -> Text:
    """The last pull in a word: fine, its problems counted, or not a pull."""
    if q.kind != "pull":
        return Text("-")
    problems = len(q.paging_problems) + len(q.errors)
    if problems:
        return Text(f"⚠ {problems}", style="bold")
    return Text("✓ ok")


def detail_text(q: quality.SourceQuality) -> Text:
    """The highlighted source in words, its problems in full."""
    kind = {"pull": "pulled", "file": "imported file", "hand": "your own entries"}[q.kind]
    lines = [
        f"{q.stale} of {q.records} records ({q.stale_percent}%) not checked in "
        f"{quality.STALE_MONTHS} months; they sink below fresh ones in search. "
        f"{q.duplicates} also listed by another source."
    ]
    if q.last_pulled:
        lines.append(f"Last pulled {pulled_when(q.last_pulled)}.")
    lines += [f"Paging problem: {problem}" for problem in q.paging_problems]
    lines += [f"Error: {error}" for error in q.errors]
    if q.kind == "pull" and not q.paging_problems and not q.errors:
        lines.append("The last pull read every page without a problem.")
    text = plain(f"{q.source} ({kind})", style="bold")
    if q.url:
        text.append(literal(f"  {q.url}"))
    for line in lines:
        # Each line made literal on its own: a newline inside one would be shown, not kept.
        text.append("\n")
        text.append(literal(line))
    return text


def pulled_when(stamp: str) -> str:
    """A stored time stamp as "2026-11-22 08:30"."""
    return stamp[:16].replace("T", " ")


class FeedQualityDialog(Dialog[None], guide="feed_quality"):
    """Every source's quality figures, and the highlighted one's problems in full."""

    def compose_body(self) -> ComposeResult:
        yield RowTable(id="quality-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="quality-detail", classes="dialog-body")

    def compose_buttons(self) -> ComposeResult:
        yield button("Close (Esc)", "close", default=True)

    def on_mount(self) -> None:
        self.sources = quality.source_quality(self.db, self.clock.today())
        table = self.query_one("#quality-table", DataTable)
        for key, header in COLUMNS:
            table.add_column(header, key=key)
        for n, q in enumerate(self.sources):
            table.add_row(
                source_cell(q.source),
                Text(str(q.records), justify="right"),
                Text(f"{q.stale_percent}%", justify="right"),
                Text(str(q.no_contact), justify="right"),
                Text(str(q.no_location), justify="right"),
                Text(str(q.no_schedule), justify="right"),
                Text(str(q.duplicates), justify="right"),
                pull_cell(q),
                key=str(n),
            )
        if not self.sources:
            self.query_one("#quality-detail", Static).update(
                "The directory is empty: import a file (i) or pull a feed (p)."
            )
        table.focus()

    @on(DataTable.RowHighlighted, "#quality-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            q = self.sources[int(event.row_key.value)]
            self.query_one("#quality-detail", Static).update(detail_text(q))

    def button_pressed(self, button_id: str) -> None:
        if button_id == "close":
            self.dismiss(None)
