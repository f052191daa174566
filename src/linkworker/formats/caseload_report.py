"""The commissioner's caseload report laid out as tables, figures already disclosed.

The tables sit under the four groups of the PRSB / NHS England Social Prescribing
Information Standard, and one :class:`~linkworker.reports.disclosure.Disclosure` is applied
to every figure, so every format (:mod:`linkworker.formats.report_files`, the Reports
screen) shows the same cells.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date

from linkworker import measures
from linkworker.formats.report_document import (
    COMMUNITY_GROUP,
    INFORMATION_STANDARD_GROUPS,
    PSEUDONYMISED_NOTICE,
    REPORT_TITLE,
    Cell,
    ReportDocument,
    ReportTable,
)
from linkworker.formats.text import words
from linkworker.models import (
    DischargeReason,
    Ethnicity,
    Labelled,
    NeedDomain,
    ReferralSource,
    ReferralStatus,
    Sex,
)
from linkworker.models.care import CommunityKind
from linkworker.norms import CONTACT_NORM
from linkworker.reports.content import AGE_BANDS, NOT_KNOWN, CaseloadReport, OutcomeChange
from linkworker.reports.disclosure import (
    DISCLOSURE_RULE,
    IDENTIFIABLE_NOTICE,
    Disclosure,
    round_half_up,
)
from linkworker.reports.shapes import WorkerFigures
from linkworker.validation import format_nhs_number


def _enum_rows(
    counts: dict[str, int], enum: type[Labelled], d: Disclosure, *, all_members: bool = True
) -> list[list[Cell]]:
    keys = [m.value for m in enum] if all_members else []
    keys += [k for k in counts if k not in keys and k != NOT_KNOWN]
    rows: list[list[Cell]] = [[words(enum, k), d.count(counts.get(k, 0))] for k in keys]
    if counts.get(NOT_KNOWN) and NOT_KNOWN not in keys:
        rows.append(["Not known", d.count(counts[NOT_KNOWN])])
    return rows


def _named_rows(counts: dict[str, int], d: Disclosure, names: list[str]) -> list[list[Cell]]:
    """One row per name (in that order), then 'Not known' if any were not known."""
    rows: list[list[Cell]] = [[name, d.count(counts.get(name, 0))] for name in names]
    if counts.get(NOT_KNOWN):
        rows.append(["Not known", d.count(counts[NOT_KNOWN])])
    return rows


def _month_words(month: str) -> str:
    return date.fromisoformat(month + "-01").strftime("%b %Y")


def headline(report: CaseloadReport | WorkerFigures, d: Disclosure) -> list[tuple[str, Cell]]:
    """The figures at a glance, as shown."""
    return [
        ("Referrals received", d.count(report.referrals_received)),
        ("Accepted social prescribing", d.count(report.accepted)),
        ("People on the active caseload at the end", d.count(report.active_at_end)),
        ("Contacts", d.count(report.contacts_total)),
        ("Discharged", d.count(report.discharges)),
        (
            "Median days from referral to first contact",
            d.median(report.first_contact_days_median, report.first_contact_n),
        ),
    ]


# One function per Information Standard group: (report, disclosure, identifiable) -> tables.
Section = Callable[[CaseloadReport, Disclosure, bool], list[ReportTable]]


def caseload_document(
    report: CaseloadReport, *, identifiable: bool = False, prepared_by: Sequence[str] = ()
) -> ReportDocument:
    """Lay out a caseload report as tables under the four Information Standard groups,
    signed with ``prepared_by`` (``Settings.signature()``)."""
    d = Disclosure(identifiable=identifiable)
    notices = [IDENTIFIABLE_NOTICE] if identifiable else [PSEUDONYMISED_NOTICE, DISCLOSURE_RULE]
    widened = report.period.widened_words()
    if widened:
        notices.insert(0, widened)
    notices.append(measures.SWEMWBS_COPYRIGHT)
    doc = ReportDocument(
        title=REPORT_TITLE,
        period=report.period,
        generated_on=report.generated_on,
        identifiable=identifiable,
        notices=notices,
        prepared_by=list(prepared_by),
        headline=headline(report, d),
    )
    sections: tuple[Section, ...] = (_demographics, _needs, _support, _outcomes, _community)
    for section in sections:
        doc.tables += section(report, d, identifiable)
    return doc


# --- Person demographics ----------------------------------------------------------------

_WHO = "People with a referral received in the period (each person once)."


def _demographics(report: CaseloadReport, d: Disclosure, identifiable: bool) -> list[ReportTable]:
    group = INFORMATION_STANDARD_GROUPS[0]
    everyone: list[Cell] = ["All people referred", d.count(report.people_referred)]
    areas = [code for code in report.outward_codes if code != NOT_KNOWN]

    def table(key: str, title: str, column: str, rows: list[list[Cell]], note: str) -> ReportTable:
        return ReportTable(key, group, title, [column, "People"], [*rows, everyone], note)

    tables = [
        table(
            "age_bands",
            "People referred, by age band",
            "Age band",
            _named_rows(report.age_bands, d, [name for _, _, name in AGE_BANDS]),
            _WHO + " Age on the day of their referral.",
        ),
        table("sex", "People referred, by sex", "Sex", _enum_rows(report.sex, Sex, d), _WHO),
        table(
            "ethnicity",
            "People referred, by ethnic group",
            "Ethnic group",
            _enum_rows(report.ethnicity, Ethnicity, d),
            _WHO + " 2021 Census (England) high-level groups.",
        ),
        table(
            "postcode_areas",
            "People referred, by postcode area (outward code)",
            "Postcode area",
            _named_rows(report.outward_codes, d, areas),
            _WHO + " Only the first half of the postcode (e.g. HV1) is used.",
        ),
    ]
    if identifiable and report.episodes is not None:
        tables.append(_episodes(report, group))
    return tables


_EPISODE_COLUMNS = [
    "Referral",
    "Person",
    "Name",
    "Date of birth",
    "NHS number",
    "Postcode",
    "Sex",
    "Ethnic group",
    "Source",
    "Received",
    "Status at period end",
    "Accepted",
    "Declined",
    "Not reached",
    "Discharged",
    "Discharge reason",
    "First contact",
    "Contacts",
]


def _episodes(report: CaseloadReport, group: str) -> ReportTable:
    """The identifiable list of episodes, one row each."""
    rows: list[list[Cell]] = [
        [
            e.referral_id,
            e.person_id,
            e.name,
            e.date_of_birth,
            format_nhs_number(e.nhs_number) or None,
            e.postcode,
            words(Sex, e.sex),
            words(Ethnicity, e.ethnicity),
            words(ReferralSource, e.source),
            e.received_on,
            "Awaiting a decision"
            if e.status_at_end == "awaiting"
            else words(ReferralStatus, e.status_at_end),
            e.accepted_on,
            e.declined_on,
            e.not_reached_on,
            e.discharged_on,
            words(DischargeReason, e.discharge_reason) if e.discharged_on else None,
            e.first_contact_on,
            e.contacts,
        ]
        for e in report.episodes or []
    ]
    return ReportTable(
        "episodes",
        group,
        "Referral episodes open during the period (identifiable)",
        _EPISODE_COLUMNS,
        rows,
        "Every referral received by the end of the period and not closed before it "
        "began. Contacts counted to the end of the period.",
    )


# --- Needs and concerns -----------------------------------------------------------------


def _needs(report: CaseloadReport, d: Disclosure, identifiable: bool) -> list[ReportTable]:
    group = INFORMATION_STANDARD_GROUPS[1]
    total: list[Cell] = ["All referrals", d.count(report.referrals_received)]
    months: list[list[Cell]] = [
        [_month_words(m), d.count(n)] for m, n in report.referrals_by_month.items()
    ]
    needs: list[list[Cell]] = [
        [words(NeedDomain, k) if k != NOT_KNOWN else "No need recorded", d.count(n)]
        for k, n in {**{m.value: 0 for m in NeedDomain}, **report.referrals_by_need}.items()
    ]
    sources = _enum_rows(report.referrals_by_source, ReferralSource, d)
    return [
        ReportTable(
            "referrals_by_month",
            group,
            "Referrals received, by month",
            ["Month", "Referrals"],
            [*months, total],
            "By the date the referral was received. The first and last months may be part months.",
            chart="months",
        ),
        ReportTable(
            "referrals_by_source",
            group,
            "Referrals received, by source",
            ["Source", "Referrals"],
            [*sources, total],
        ),
        ReportTable(
            "referrals_by_need",
            group,
            "Referrals received, by need",
            ["Need", "Referrals"],
            [*needs, total],
            "A referral can name several needs, so the needs add up to more than the referrals.",
        ),
    ]


# --- Support offered --------------------------------------------------------------------


def _support(report: CaseloadReport, d: Disclosure, identifiable: bool) -> list[ReportTable]:
    group = INFORMATION_STANDARD_GROUPS[2]
    r = report
    outcomes: list[list[Cell]] = [
        ["Accepted social prescribing (SNOMED CT 871731000000106)", d.count(r.accepted)],
        ["Declined (SNOMED CT 871711000000103)", d.count(r.declined)],
        ["Not reached after repeated attempts", d.count(r.not_reached)],
        ["Awaiting a decision at the end of the period", d.count(r.awaiting_at_end)],
        ["People on the active caseload at the end", d.count(r.active_at_end)],
    ]
    contacts: list[list[Cell]] = [
        ["Contacts in the period", d.count(r.contacts_total)],
        ["People with a contact in the period", d.count(r.people_contacted)],
        [
            "Median contacts per person in the period",
            d.median(r.contacts_per_person_median, r.people_contacted),
        ],
        [
            "Referrals received in the period with a first contact by its end",
            d.count(r.first_contact_n),
        ],
        [
            "Median days from referral to first contact",
            d.median(r.first_contact_days_median, r.first_contact_n),
        ],
    ]
    return [
        ReportTable(
            "referral_outcomes",
            group,
            "What happened to referrals",
            ["Figure", "Count"],
            outcomes,
            "Accepted, declined and not reached are counted on the day each happened, "
            "whenever the referral arrived. The active caseload is everyone accepted and not "
            "yet discharged on the last day of the period.",
        ),
        ReportTable(
            "contacts",
            group,
            "Contacts",
            ["Figure", "Value"],
            contacts,
            "Contacts are conversations that happened (phone, face to face, video, text...), "
            "not unanswered attempts.",
        ),
        _activities(report, d, group),
    ]


def _activities(report: CaseloadReport, d: Disclosure, group: str) -> ReportTable:
    rows: list[list[Cell]] = [
        [
            c.category,
            d.count(c.connections),
            d.count(c.attended),
            d.share(c.attended, c.connections),
        ]
        for c in report.connections_by_category
    ]
    rows += [
        [
            "All connections",
            d.count(report.connections_total),
            d.count(report.connections_attended),
            d.share(report.connections_attended, report.connections_total),
        ],
        ["People connected to an activity", d.count(report.people_connected), None, None],
    ]
    return ReportTable(
        "activities_by_category",
        group,
        "Activities connected, by category",
        ["Category", "Connections", "Attended", "Attended (%)"],
        rows,
        "Connections (signposts and referrals to community activities) made in the period. "
        "An activity can be in several categories. Attended: the person went at least once "
        "by the end of the period.",
    )


# --- Outcomes ---------------------------------------------------------------------------


@functools.cache  # the same few scores, for each of a hub's hundreds of workers
def _score_words(kind: str, name: str) -> str:
    if kind == measures.MeasureKind.ONS4.value:
        return f"ONS4 {measures.score_label(kind, name)}"
    return measures.score_label(kind, name)


def outcome_row(o: OutcomeChange, d: Disclosure) -> list[Cell]:
    """One score's row of the outcome table, as shown."""
    # A team's mean is withheld when one worker's part of it is small, as for one month.
    parts = (*o.by_month, *o.by_worker)
    baseline = d.mean(o.mean_baseline, o.n, parts)
    follow_up = d.mean(o.mean_follow_up, o.n, parts)
    return [
        _score_words(o.kind, o.name),
        "higher" if o.higher_is_better else "lower",
        d.count(o.n),
        baseline,
        follow_up,
        d.change(o.mean_change, baseline, follow_up),
        d.count(o.improved),
        d.share(o.improved, o.n),
    ]


def _outcomes(report: CaseloadReport, d: Disclosure, identifiable: bool) -> list[ReportTable]:
    group = INFORMATION_STANDARD_GROUPS[3]
    changes = [outcome_row(o, d) for o in report.outcomes]
    reasons = _enum_rows(report.discharges_by_reason, DischargeReason, d)
    return [
        ReportTable(
            "outcome_change",
            group,
            "Change in wellbeing and loneliness (baseline to last follow-up)",
            [
                "Score",
                "Better is",
                "People",
                "Mean at baseline",
                "Mean at follow-up",
                "Mean change",
                "Improved",
                "Improved (%)",
            ],
            changes,
            "People: episodes with a baseline and a follow-up, whose last follow-up was taken "
            "in the period. Each ONS4 item is reported on its own; SWEMWBS as the metric "
            "score; UCLA3 as its total (3-9, lower is less lonely). " + measures.SWEMWBS_COPYRIGHT,
            chart="outcomes",
        ),
        _involvement(report, d, group),
        _measures_recorded(report, d, group),
        ReportTable(
            "discharges_by_reason",
            group,
            "Discharges, by reason",
            ["Reason", "Discharges"],
            [*reasons, ["All discharges", d.count(report.discharges)]],
        ),
        _contacts_per_episode(report, d, group),
    ]


def _involvement(report: CaseloadReport, d: Disclosure, group: str) -> ReportTable:
    rated = report.involvement
    parts = (*rated.by_month, *rated.by_worker)
    return ReportTable(
        "involvement",
        group,
        "Involvement in conversations (CollaboRATE)",
        ["Figure", "Value", "Share (%)"],
        [
            ["Conversations rated", d.count(rated.n), None],
            [
                "Top score (all three answers 9)",
                d.count(rated.top_score),
                d.share(rated.top_score, rated.n),
            ],
            # A team's mean is withheld when one worker's part is small, as for one month.
            ["Mean score (0-9)", d.mean(rated.mean, rated.n, parts), None],
        ],
        "CollaboRATE, asked after planning conversations and at discharge, scored as its "
        "authors report it: the share of conversations given the top score, and the mean of "
        f"the three answers. {measures.COLLABORATE_ATTRIBUTION}",
    )


_RECORDED_WORDS = {
    "baseline": "Baseline (episodes accepted in the period)",
    "discharge": "Follow-up at discharge (episodes discharged in the period)",
}


def _measures_recorded(report: CaseloadReport, d: Disclosure, group: str) -> ReportTable:
    return ReportTable(
        "measures_recorded",
        group,
        "Outcome measures recorded against those due",
        ["Measure due", "Due", "Recorded", "Recorded (%)"],
        [
            [
                _RECORDED_WORDS[r.key],
                d.count(r.due),
                d.count(r.recorded),
                d.share(r.recorded, r.due),
            ]
            for r in report.measures_recorded
        ],
        "A baseline is due at the first contact after acceptance, a follow-up at discharge. "
        "Recorded: ONS4, SWEMWBS, UCLA3 or the ONS loneliness question taken in the episode "
        "(the follow-up by the discharge day).",
    )


def _contacts_per_episode(report: CaseloadReport, d: Disclosure, group: str) -> ReportTable:
    low, high = CONTACT_NORM
    ended = report.completed_episodes

    def share(label: str, n: int) -> list[Cell]:
        return [label, d.count(n), d.share(n, ended)]

    return ReportTable(
        "contacts_per_episode",
        group,
        f"Contacts per completed episode, against the {low}-{high} norm",
        ["Figure", "Episodes", "Share (%)"],
        [
            ["Episodes ended by discharge in the period", d.count(ended), None],
            [
                "Median contacts per episode",
                d.median(report.completed_contacts_median, ended),
                None,
            ],
            share(f"Within {low}-{high} contacts", report.completed_within_norm),
            share(f"Fewer than {low}", report.completed_below_norm),
            share(f"More than {high}", report.completed_above_norm),
        ],
        "NHS England's reference guide expects most people to be supported over "
        f"{CONTACT_NORM.words()} contacts.",
    )


# --- Community development --------------------------------------------------------------


def _community(report: CaseloadReport, d: Disclosure, identifiable: bool) -> list[ReportTable]:
    """Sessions and hours of community work by kind: the worker's time, no person's data,
    and its session counts still shown under the one rule."""

    def hours(minutes: int) -> Cell:
        return round_half_up(minutes / 60, 1) if minutes else 0

    rows: list[list[Cell]] = [
        [CommunityKind(kind).label, d.count(sessions), hours(minutes)]
        for kind, (sessions, minutes) in report.community.items()
    ]
    all_sessions = sum(n for n, _ in report.community.values())
    all_minutes = sum(m for _, m in report.community.values())
    rows.append(["All community work", d.count(all_sessions), hours(all_minutes)])
    return [
        ReportTable(
            "community_work",
            COMMUNITY_GROUP,
            "Community development time, by kind",
            ["Kind", "Sessions", "Hours"],
            rows,
            "Work that is no one person's case: supporting and starting groups, outreach, "
            "multidisciplinary meetings and training, logged by the link worker. Hours to "
            "one decimal.",
        )
    ]
