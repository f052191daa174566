"""The shape every report is laid out in: tables of cells under named sections, ready for
any writer (:mod:`linkworker.formats.report_files`, the Reports screen).

The commissioner's report (:mod:`linkworker.formats.caseload_report`) fills one; the other
reports start from :func:`pseudonymised_document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from linkworker import measures
from linkworker.formats.text import number
from linkworker.reports.disclosure import DISCLOSURE_RULE, SECONDARY_RULE
from linkworker.reports.period import Period

Cell = int | float | str | None

REPORT_TITLE = "Social prescribing caseload report"
INFORMATION_STANDARD_GROUPS = (
    "Person demographics",
    "Needs and concerns",
    "Support offered",
    "Outcomes",
)
#: Not an Information Standard group: the worker's own community development time, its
#: own section after the four.
COMMUNITY_GROUP = "Community development"
REPORT_GROUPS = (*INFORMATION_STANDARD_GROUPS, COMMUNITY_GROUP)
PSEUDONYMISED_NOTICE = (
    "Pseudonymised: no names, NHS numbers, dates of birth or full postcodes; "
    "small numbers suppressed, counts rounded, statistics only for groups of 10 or more."
)


def cell_text(value: Cell) -> str:
    """A cell as shown: numbers without needless decimals, None as nothing."""
    if value is None:
        return ""
    if isinstance(value, float):
        # A controlled mean is to one decimal: 7.1, not 7.10 (number() gives two places).
        shown = number(value)
        return shown[:-1] if "." in shown and shown.endswith("0") else shown
    return str(value)


@dataclass
class ReportTable:
    """One table of the caseload report, figures already disclosed (suppressed or exact)."""

    key: str
    group: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    #: "months", "outcomes" or "shares" (a share of those counted beside a share of the
    #: practice population): drawn by the HTML and terminal views.
    chart: str | None = None


@dataclass
class ReportDocument:
    """A whole report, ready for any writer: the commissioner report by default, under
    the four Information Standard groups and community development; other reports name
    their own ``sections``."""

    title: str
    period: Period
    generated_on: date
    identifiable: bool
    notices: list[str]
    headline: list[tuple[str, Cell]]
    tables: list[ReportTable] = field(default_factory=list)
    #: Who prepared it (``Settings.signature()``: name, role and organisation, contact).
    prepared_by: list[str] = field(default_factory=list)
    #: The groups the tables sit under, in order (the commissioner report's: the four of the
    #: Information Standard, then community development).
    sections: tuple[str, ...] = REPORT_GROUPS
    #: The line at the foot of every format (the commissioner report's SWEMWBS licence).
    footer: str | None = measures.SWEMWBS_COPYRIGHT
    #: Each section starts a new printed page (one page per referrer, say).
    page_per_section: bool = False

    def groups(self) -> list[tuple[str, list[ReportTable]]]:
        """Tables under their sections, in order."""
        return [(g, [t for t in self.tables if t.group == g]) for g in self.sections]

    def table(self, key: str) -> ReportTable:
        """The table called ``key`` (KeyError when this report has none)."""
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


def pseudonymised_document(
    title: str,
    period: Period,
    generated_on: date,
    notice: str,
    headline: list[tuple[str, Cell]],
    sections: Sequence[str],
    prepared_by: Sequence[str] = (),
    *,
    page_per_section: bool = False,
) -> ReportDocument:
    """An empty report of another kind than the commissioner's, always pseudonymised: its
    ``notice``, the disclosure rule and secondary suppression (and what the period was
    widened from) at the top, no footer; the caller adds its tables."""
    notices = [notice, DISCLOSURE_RULE, SECONDARY_RULE]
    widened = period.widened_words()
    if widened:
        notices.insert(0, widened)
    return ReportDocument(
        title,
        period,
        generated_on,
        False,
        notices,
        headline,
        prepared_by=list(prepared_by),
        sections=tuple(sections),
        footer=None,
        page_per_section=page_per_section,
    )
