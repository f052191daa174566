"""Referrer feedback laid out: one printable page per referring practice or organisation,
every figure through the one :class:`~linkworker.reports.disclosure.Disclosure`.

Reasons for declining are the link worker's own words, and a reason typed for one person
can name them: a reason is shown in words only when at least :data:`SMALL_NUMBER` declines
give it (folded to lower case); the rest are counted together.
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
from linkworker.models import NeedDomain
from linkworker.reports.disclosure import SMALL_NUMBER, Disclosure
from linkworker.reports.shapes import ReferrerFigures, ReferrerReport, referrer_name

REFERRER_TITLE = "Referrer feedback"
REFERRER_FORMATS = ("md", "html", "txt")
REFERRER_NOTICE = (
    "Pseudonymised: what became of the referrals each practice or organisation sent in the "
    "period, followed to the end of the period. No names or identifiers; small numbers "
    "suppressed, counts rounded, medians and percentages only for groups of 10 or more."
)
#: The most needs a summary lists for one referrer.
TYPICAL_NEEDS = 5


def _shown_order(counts: dict[str, int], d: Disclosure) -> list[tuple[str, Cell]]:
    """(key, shown count), largest shown first: ordered by what is printed, never by the
    exact counts, so the order cannot tell two suppressed cells apart."""
    shown = [(key, d.count(n)) for key, n in counts.items() if n]
    return sorted(shown, key=lambda kv: (-(kv[1] if isinstance(kv[1], int) else 0), kv[0]))


def _outcome_rows(f: ReferrerFigures, d: Disclosure) -> list[list[Cell]]:
    still = f.referrals - f.accepted - f.declined - f.not_reached
    parts = (
        ("Accepted", f.accepted),
        ("Declined", f.declined),
        ("Not reached", f.not_reached),
        ("Still being worked at the end", still),
    )
    # The four parts add up to the referrals: the total must not give one of them back.
    received = d.total(f.referrals, [d.count(n) for _, n in parts])
    rows: list[list[Cell]] = [["Referrals received", received, None]]
    for name, n in parts:
        rows.append([name, d.count(n), d.share(n, f.referrals)])
    rows.append(
        ["Median days to first contact", d.median(f.first_contact_median, f.first_contact_n), None]
    )
    return rows


def _reason_rows(f: ReferrerFigures, d: Disclosure) -> list[list[Cell]]:
    shown: dict[str, int] = {}
    others = f.decline_reasons.get("", 0)
    hidden = 0
    for reason, n in f.decline_reasons.items():
        if not reason:
            continue
        if n >= SMALL_NUMBER:
            shown[reason[:1].upper() + reason[1:]] = n
        else:
            hidden += n
    rows: list[list[Cell]] = [[reason, n] for reason, n in _shown_order(shown, d)]
    if hidden:
        fewer = f"Other reasons (each given fewer than {SMALL_NUMBER} times)"
        rows.append([fewer, d.count(hidden)])
    if others:
        rows.append(["No reason recorded", d.count(others)])
    rows.append(["All declined", d.total(f.declined, [row[1] for row in rows])])
    return rows


def _need_rows(f: ReferrerFigures, d: Disclosure) -> list[list[Cell]]:
    top = _shown_order(f.needs, d)[:TYPICAL_NEEDS]
    return [[words(NeedDomain, need), n] for need, n in top]


def _worked_rows(f: ReferrerFigures, d: Disclosure) -> list[list[Cell]]:
    made = {category: m for category, (m, _) in f.connections.items()}
    rows: list[list[Cell]] = []
    for category, shown in _shown_order(made, d):
        attended = f.connections[category][1]
        rows.append([category, shown, d.count(attended), d.share(attended, made[category])])
    return rows


def _goal_rows(f: ReferrerFigures, d: Disclosure) -> list[list[Cell]]:
    met = d.share(f.goals_met, f.goals_set)
    return [["Goals set in the episode", d.count(f.goals_set), d.count(f.goals_met), met]]


def _referrer_tables(number_: int, f: ReferrerFigures, d: Disclosure) -> list[ReportTable]:
    name = referrer_name(f.key)
    key = f"referrer_{number_}"
    return [
        ReportTable(
            f"{key}_referrals",
            name,
            "What became of the referrals",
            ["", "Referrals", "Share %"],
            _outcome_rows(f, d),
            "Accepted, declined and not reached by the end of the period.",
        ),
        ReportTable(
            f"{key}_declined",
            name,
            "Reasons for declining",
            ["Reason", "Declined"],
            _reason_rows(f, d),
        ),
        ReportTable(
            f"{key}_needs",
            name,
            "Typical needs",
            ["Need", "Referrals"],
            _need_rows(f, d),
            "The needs the referrals named most often.",
        ),
        ReportTable(
            f"{key}_worked",
            name,
            "What worked",
            ["Activities by category", "Connected", "Attended", "Attended %"],
            _worked_rows(f, d),
            "Activities the people referred were connected to after the referral.",
        ),
        ReportTable(f"{key}_goals", name, "Goals", ["", "Set", "Met", "Met %"], _goal_rows(f, d)),
    ]


def referrer_document(report: ReferrerReport, *, prepared_by: Sequence[str] = ()) -> ReportDocument:
    """Lay out the referrer feedback (always pseudonymised and suppressed): one section,
    and one printed page, per referrer."""
    d = Disclosure()
    total = d.count(sum(f.referrals for f in report.referrers))
    headline: list[tuple[str, Cell]] = [
        ("Referrers", len(report.referrers)),
        ("Referrals received", total),
    ]
    names = [referrer_name(f.key) for f in report.referrers]
    doc = pseudonymised_document(
        REFERRER_TITLE,
        report.period,
        report.generated_on,
        REFERRER_NOTICE,
        headline,
        names,
        prepared_by,
        page_per_section=True,
    )
    for number_, figures in enumerate(report.referrers, start=1):
        doc.tables += _referrer_tables(number_, figures, d)
    return doc
