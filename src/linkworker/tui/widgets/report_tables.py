"""The tables and charts of a laid-out report as Rich renderables, for the Reports screen
(stored text kept literal: nothing typed reaches the terminal as markup)."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from linkworker import reports
from linkworker.formats.charts import chart_points, text_bars
from linkworker.formats.report_document import Cell, ReportDocument, ReportTable, cell_text
from linkworker.tui.widgets.text import plain

#: How a wide table writes "suppressed" in the terminal, so its columns fit 80 cells.
WITHHELD_SHORT = "supp."


def _cell(value: Cell, *, short: bool = False) -> Text:
    text = WITHHELD_SHORT if short and value == reports.WITHHELD else cell_text(value)
    numeric = isinstance(value, (int, float)) or text in (reports.SUPPRESSED,)
    return plain(text, "") if not numeric else Text(text, justify="right")


# Wide tables shown with fewer, shorter columns so that they read at 80 columns; the
# export keeps them all. key -> [(column index, heading)].
TERMINAL_COLUMNS: dict[str, list[tuple[int, str]]] = {
    "outcome_change": [
        (0, "Score"),
        (2, "People"),
        (3, "Baseline"),
        (4, "Follow-up"),
        (5, "Change"),
        (7, "Improved %"),
    ],
    "episodes": [(2, "Name"), (4, "NHS number"), (9, "Received"), (10, "At end"), (17, "Contacts")],
    # The gap report's barriers (always all seven, in GapBarrier's order) in short words:
    # none fits, cost, waiting list, transport, access, language, timing.
    **{
        key: [
            (0, first),
            *enumerate(
                ("None", "Cost", "Wait", "Travel", "Access", "Lang", "Time", "All"),
                start=1,
            ),
        ]
        for key, first in (("gaps_by_area", "Area"), ("gaps_by_need", "Need"))
    },
    # Who is reached: shares only (the practice's counts and the rate are in the export).
    **{
        f"reach_{grouping}": [
            (0, first),
            (1, "Referred"),
            (2, "Ref %"),
            (4, "Practice %"),
            (6, "Acc %"),
            (7, "Dec %"),
            (8, "NR %"),
        ]
        for grouping, first in (
            ("age_band", "Age band"),
            ("sex", "Sex"),
            ("ethnicity", "Ethnic group"),
            ("postcode_district", "District"),
        )
    },
}
#: A table with more columns than this shows its labels narrower.
WIDE_TABLE = 6
#: The record-level list can run to thousands of rows: the screen shows the first few.
TERMINAL_ROWS = 50


def table_renderable(table: ReportTable) -> Table:
    """One report table as a Rich table (stored text kept literal)."""
    shown = Table(
        title=Text(table.title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=False,
        pad_edge=False,
    )
    columns = TERMINAL_COLUMNS.get(table.key) or list(enumerate(table.columns))
    longest = max((len(cell_text(row[0])) for row in table.rows), default=10)
    for position, (_, heading) in enumerate(columns):
        if position == 0:
            # Labels wrap at word breaks rather than the numbers beside them.
            # Many columns (the gap report's) leave less room: the labels wrap sooner.
            widest = 24 if len(columns) <= WIDE_TABLE else 12
            shown.add_column(heading, justify="left", min_width=min(longest, widest), ratio=1)
        else:
            shown.add_column(heading, justify="right")
    wide = len(columns) > WIDE_TABLE
    for row in table.rows[:TERMINAL_ROWS] if table.key == "episodes" else table.rows:
        shown.add_row(*[_cell(row[i], short=wide) for i, _ in columns])
    if wide and any(row[i] == reports.WITHHELD for row in table.rows for i, _ in columns):
        shown.caption = f"{WITHHELD_SHORT} suppressed: too few to show"
    if table.key == "episodes" and len(table.rows) > TERMINAL_ROWS:
        shown.caption = f"The first {TERMINAL_ROWS} of {len(table.rows)}; the export has them all."
    return shown


#: What the terminal calls each kind of chart (a table's title when it is not here).
CHART_HEADINGS = {
    "months": "Referrals received, by month",
    "outcomes": "People whose score improved (baseline to last follow-up)",
}


def chart_text(doc: ReportDocument, width: int) -> Text:
    """Every chart of the report drawn with block characters (none: empty)."""
    text = Text()
    bar_width = max(10, min(40, width - 36))
    for t in (t for t in doc.tables if t.chart):
        heading = CHART_HEADINGS.get(t.chart or "", t.title)
        text.append(("\n" if text else "") + heading + "\n", style="bold")
        for line in text_bars(chart_points(t), bar_width, "" if t.chart == "months" else "%"):
            text.append(line + "\n")
    return text
