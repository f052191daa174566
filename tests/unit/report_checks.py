"""Disclosure checks shared by the tests of the gap report, the referrer feedback and the
reach report: what the commissioner report's tests ask of its cells, asked of any
laid-out report (a :class:`~linkworker.formats.caseload_report.ReportDocument`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from linkworker.formats.report_document import Cell, ReportDocument, ReportTable
from linkworker.reports.disclosure import SUPPRESSED, WITHHELD, Disclosure

RULE = Disclosure()


def exact_values(shown: Cell) -> range:
    """Every exact count the rule shows as ``shown`` (an interval)."""
    if shown == SUPPRESSED:
        return range(1, 5)
    if shown == WITHHELD:
        return range(0, 10**9)  # a withheld total says nothing
    assert isinstance(shown, int), f"not a count: {shown!r}"
    near = [n for n in range(max(0, shown - 2), shown + 3) if RULE.count(n) == shown]
    return range(min(near), max(near) + 1)


#: Columns that hold no count of the caseload: percentages, rates, the practice's counts.
NOT_COUNTS = ("%", "per 1,000", "Practice population")


def count_columns(table: ReportTable) -> list[int]:
    """The columns of ``table`` that hold counts (not its labels, shares or rates)."""
    return [
        i
        for i, heading in enumerate(table.columns)
        if i and not any(word in heading for word in NOT_COUNTS)
    ]


def assert_counts_disclosed(doc: ReportDocument) -> None:
    """Every count cell is 0, '<5', withheld or a multiple of 5: no small number and no
    exact size is printed (a row of a statistic, such as a median, aside)."""
    for table in doc.tables:
        for row in table.rows:
            if str(row[0]).startswith("Median"):
                assert_statistics_disclosed(row[1:])
                continue
            for index in count_columns(table):
                cell = row[index]
                assert cell in (SUPPRESSED, WITHHELD) or (
                    isinstance(cell, int) and cell % 5 == 0
                ), f"{table.key} {row[0]!r}: {cell!r} is not a disclosed count"


def assert_statistics_disclosed(cells: Iterable[Cell]) -> None:
    """A percentage, median or rate is withheld, or a number (medians to one decimal)."""
    for cell in cells:
        if isinstance(cell, float):
            assert round(cell, 1) == cell, cell
        else:
            assert cell is None or cell == WITHHELD or isinstance(cell, int), cell


def feasible(cells: Sequence[Cell], total: Cell, position: int) -> list[int]:
    """The exact values the cell at ``position`` can hold, given every cell of its line and
    the line's total as shown: what an attacker subtracting the shown cells from the total
    can narrow a suppressed cell to."""
    others = [exact_values(c) for i, c in enumerate(cells) if i != position]
    low = sum(r.start for r in others)
    high = sum(r.stop - 1 for r in others)
    totals = exact_values(total)
    return [
        v
        for v in exact_values(cells[position])
        if v + low <= totals.stop - 1 and v + high >= totals.start
    ]


def assert_no_cell_differenced_from_totals(table: ReportTable) -> None:
    """In a cross table (rows of cells and a total, then a row of totals), no suppressed
    cell can be narrowed to one value by its row's or its column's total."""
    body = [row[1:] for row in table.rows]
    for r, row in enumerate(body):
        for c, cell in enumerate(row[:-1]):
            if cell != SUPPRESSED:
                continue
            across = feasible(row[:-1], row[-1], c)
            column = [line[c] for line in body[:-1]]
            down = feasible(column, body[-1][c], r) if r < len(body) - 1 else across
            assert len(across) >= 2 and len(down) >= 2, (
                f"{table.key} {table.rows[r][0]!r}: the totals give it as {across} / {down}"
            )
