"""The gap report laid out for commissioners and community funders: unmet needs by area
and barrier, and by need, every figure through one
:class:`~linkworker.reports.disclosure.Disclosure` (the commissioner report's rule), so the
files (:mod:`linkworker.formats.report_files`) and the Reports screen show the same cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from linkworker.formats.report_document import (
    Cell,
    ReportDocument,
    ReportTable,
    pseudonymised_document,
)
from linkworker.formats.text import words
from linkworker.models import GapBarrier, Labelled, NeedDomain
from linkworker.reports.content import NOT_KNOWN
from linkworker.reports.disclosure import Disclosure
from linkworker.reports.shapes import GapReport

GAP_TITLE = "Unmet need and directory gaps"
GAP_FORMATS = ("csv", "json", "md", "html")
GAP_SECTIONS = ("By area", "By need")
GAP_NOTICE = (
    "Pseudonymised: unmet needs a link worker recorded when no activity answered a "
    "person's need, or a barrier kept them from it. No names or full postcodes: the area is "
    "the postcode district. Small numbers suppressed and counts rounded."
)


def cross_table(
    counts: dict[tuple[str, str], int],
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    d: Disclosure,
    everyone: str,
) -> list[list[Cell]]:
    """A table of counts: one row per (key, words), one column per (key, words), each row's
    total at the end and a last row of totals. Every cell is disclosed on its own (a total
    is the exact total, rounded, never the sum of the rounded cells), and a total that would
    give back a suppressed cell of its row or column is withheld (:meth:`Disclosure.total`).
    """
    exact = [[counts.get((r, c), 0) for c, _ in columns] for r, _ in rows]
    shown = [[d.count(n) for n in line] for line in exact]
    out: list[list[Cell]] = [
        [words_, *cells, d.total(sum(line), cells)]
        for (_, words_), cells, line in zip(rows, shown, exact, strict=True)
    ]
    down = [[line[i] for line in shown] for i in range(len(columns))]
    totals = [d.total(sum(line[i] for line in exact), down[i]) for i in range(len(columns))]
    grand = d.total(sum(map(sum, exact)), [row[-1] for row in out], totals)
    out.append([everyone, *totals, grand])
    return out


def _keys(counts: dict[tuple[str, str], int], position: int) -> list[str]:
    return sorted({key[position] for key in counts})


def _coded(enum: type[Labelled], found: list[str], *, every: bool) -> list[tuple[str, str]]:
    """The codes of ``enum`` in its order (``every`` one, or those found), then any other
    code found (in words)."""
    members = [m.value for m in enum]
    keys = [k for k in members if every or k in found] + [k for k in found if k not in members]
    return [(k, "Not known" if k == NOT_KNOWN else words(enum, k)) for k in keys]


def _areas(found: list[str]) -> list[tuple[str, str]]:
    known = [(a, a) for a in found if a != NOT_KNOWN]
    return known + ([(NOT_KNOWN, "Not known")] if NOT_KNOWN in found else [])


def gap_document(report: GapReport, *, prepared_by: Sequence[str] = ()) -> ReportDocument:
    """Lay out the gap report (always pseudonymised and suppressed)."""
    d = Disclosure()
    barriers = _coded(GapBarrier, _keys(report.by_need, 1), every=True)
    needs = _coded(NeedDomain, _keys(report.by_need, 0), every=False)
    areas = _areas(_keys(report.by_area, 0))
    headline: list[tuple[str, Cell]] = [
        ("Unmet needs recorded", d.count(report.gaps)),
        ("People with an unmet need", d.count(report.people)),
        ("Areas (postcode districts)", len([a for a, _ in areas if a != NOT_KNOWN])),
    ]
    doc = pseudonymised_document(
        GAP_TITLE,
        report.period,
        report.generated_on,
        GAP_NOTICE,
        headline,
        GAP_SECTIONS,
        prepared_by,
    )
    # (key, section, title, rows, columns, counts, what the columns total, note)
    tables = (
        (
            "gaps_by_area",
            0,
            "area and barrier",
            areas,
            barriers,
            report.by_area,
            "barriers",
            "Area: the postcode district of where the person lived when it was recorded.",
        ),
        (
            "needs_by_area",
            0,
            "area and need",
            areas,
            needs,
            report.need_by_area,
            "needs",
            "Needs as the referral records them (only the needs some gap was recorded for).",
        ),
        (
            "gaps_by_need",
            1,
            "need and barrier",
            needs,
            barriers,
            report.by_need,
            "barriers",
            "No suitable activity: nothing in the directory answered the need; the other "
            "barriers kept the person from an activity that did.",
        ),
    )
    for key, section, by, rows, columns, counts, totalled, note in tables:
        first = "Area" if rows is areas else "Need"
        doc.tables.append(
            ReportTable(
                key,
                GAP_SECTIONS[section],
                f"Unmet needs by {by}",
                [first, *(w for _, w in columns), f"All {totalled}"],
                cross_table(counts, rows, columns, d, f"All {first.lower()}s"),
                note,
            )
        )
    return doc
