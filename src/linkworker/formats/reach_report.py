"""Who is reached, laid out: for each grouping (age band, sex, ethnic group, postcode
district) the share of the people referred beside the practice population's share, the
rate per 1,000 of the practice, and who accepted, declined or was not reached. Every
caseload figure goes through the one :class:`~linkworker.reports.disclosure.Disclosure`;
the practice population is the practice's published counts, shown as loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

from linkworker.formats.report_document import (
    Cell,
    ReportDocument,
    ReportTable,
    pseudonymised_document,
)
from linkworker.formats.text import long_date, words
from linkworker.models import Ethnicity, Sex
from linkworker.reports.content import AGE_BANDS, NOT_KNOWN
from linkworker.reports.disclosure import Disclosure, round_half_up
from linkworker.reports.shapes import GroupFigures, ReachReport

REACH_TITLE = "Who is reached"
REACH_FORMATS = ("csv", "json", "md", "html")
REACH_SECTIONS = ("Against the practice population",)
REACH_NOTICE = (
    "Pseudonymised: the people referred in the period (each once, by their first referral "
    "then), by group, and what became of that referral by the end of the period, beside "
    "the practice population. Small numbers suppressed, counts rounded, percentages only "
    "for groups of 10 or more; a rate per 1,000 is worked out from the rounded count shown."
)
NO_POPULATION = (
    "No practice population is loaded, so there is nothing to compare with: load one with "
    "`linkworker population load FILE.csv` (counts by group, see the README)."
)
COLUMNS = [
    "Referred",
    "Referred %",
    "Practice population",
    "Practice %",
    "Referred per 1,000",
    "Accepted %",
    "Declined %",
    "Not reached %",
]
_GROUPINGS: tuple[tuple[str, str, str], ...] = (
    ("age_band", "By age band", "Age band"),
    ("sex", "By sex", "Sex"),
    ("ethnicity", "By ethnic group", "Ethnic group"),
    ("postcode_district", "By postcode district", "Postcode district"),
)


def _group_words(grouping: str, value: str) -> str:
    if value == NOT_KNOWN:
        return "Not known"
    if grouping == "sex":
        return words(Sex, value)
    if grouping == "ethnicity":
        return words(Ethnicity, value)
    return value


def _order(grouping: str, found: set[str]) -> list[str]:
    """The groups in their natural order: bands and codes as listed, districts sorted."""
    natural: list[str] = {
        "age_band": [name for _, _, name in AGE_BANDS],
        "sex": [m.value for m in Sex],
        "ethnicity": [m.value for m in Ethnicity],
    }.get(grouping, [])
    rest = sorted(found - set(natural) - {NOT_KNOWN})
    shown = [v for v in natural if v in found] + rest
    return shown + ([NOT_KNOWN] if NOT_KNOWN in found else [])


def _row(
    name: str, f: GroupFigures, total: int, people: int | None, practice: int, d: Disclosure
) -> list[Cell]:
    shown = d.count(f.referred)
    rate: Cell = None
    if people and isinstance(shown, int):
        rate = round_half_up(1000 * shown / people, 1)
    practice_share: Cell = None
    if people is not None and practice:
        practice_share = int(round_half_up(100 * people / practice, 0))
    return [
        name,
        shown,
        d.share(f.referred, total),
        people,
        practice_share,
        rate,
        d.share(f.accepted, f.referred),
        d.share(f.declined, f.referred),
        d.share(f.not_reached, f.referred),
    ]


def _table(
    report: ReachReport, grouping: str, title: str, column: str, d: Disclosure
) -> ReportTable:
    groups = report.groups.get(grouping, {})
    known = report.population.get(grouping, {})
    practice = sum(known.values())
    rows = [
        _row(
            _group_words(grouping, v),
            groups.get(v, GroupFigures()),
            report.everyone.referred,
            known.get(v) if known else None,
            practice,
            d,
        )
        for v in _order(grouping, set(groups) | set(known))
    ]
    everyone = _row(
        "All people referred",
        report.everyone,
        report.everyone.referred,
        practice or None,
        practice,
        d,
    )
    # The groups add up to everyone referred: that total must not give one of them back.
    everyone[1] = d.total(report.everyone.referred, [row[1] for row in rows])
    if not isinstance(everyone[1], int):
        everyone[5] = None  # no rate from a withheld count
    rows.append(everyone)
    return ReportTable(
        f"reach_{grouping}",
        REACH_SECTIONS[0],
        f"{title}: referred against the practice",
        [column, *COLUMNS],
        rows,
        "Referred %: of everyone referred; Practice %: of the practice population; "
        "Accepted, Declined and Not reached %: of those referred in the group.",
        chart="shares" if known else None,
    )


def reach_document(report: ReachReport, *, prepared_by: Sequence[str] = ()) -> ReportDocument:
    """Lay out the reach report (always pseudonymised and suppressed)."""
    d = Disclosure()
    e = report.everyone
    headline: list[tuple[str, Cell]] = [
        ("People referred", d.count(e.referred)),
        ("Accepted %", d.share(e.accepted, e.referred)),
        ("Declined %", d.share(e.declined, e.referred)),
        ("Not reached %", d.share(e.not_reached, e.referred)),
    ]
    doc = pseudonymised_document(
        REACH_TITLE,
        report.period,
        report.generated_on,
        REACH_NOTICE,
        headline,
        REACH_SECTIONS,
        prepared_by,
    )
    if report.population_loaded_at:
        loaded = long_date(report.population_loaded_at[:10])
        doc.notices.append(f"Practice population as loaded on {loaded}.")
    else:
        doc.notices.append(NO_POPULATION)
    doc.tables = [_table(report, g, title, column, d) for g, title, column in _GROUPINGS]
    return doc
