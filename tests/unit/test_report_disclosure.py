"""The gap report, the referrer feedback and the reach report obey the commissioner
report's disclosure control (issue 16, "Done when"): every count 0, <5 or rounded to 5;
medians and percentages only for groups of 10 or more; whole months only; no total that
gives back a suppressed cell; and nothing typed about one person in the output."""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import pytest
from tests.factories import CLOCK, TODAY, add_person, add_person_with_referral
from tests.unit.report_checks import (
    assert_counts_disclosed,
    assert_no_cell_differenced_from_totals,
    assert_statistics_disclosed,
    feasible,
)

from linkworker import gaps, population, referrals
from linkworker.formats.reach_report import reach_document
from linkworker.formats.referrer_report import referrer_document
from linkworker.formats.report_document import ReportDocument
from linkworker.formats.report_files import caseload_json
from linkworker.formats.report_text import document_text
from linkworker.models import ContactDetails, ContactMode, GapDetails
from linkworker.reports import Disclosure, Period
from linkworker.reports.catalogue import REPORT_KINDS
from linkworker.reports.disclosure import SUPPRESSED, WITHHELD
from linkworker.reports.shapes import GroupFigures, ReachReport, ReferrerFigures, ReferrerReport
from linkworker.store.db import Database

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def build(db: Database, key: str, period: Period = NOVEMBER, **options: str) -> ReportDocument:
    return REPORT_KINDS[key].build(db, period, TODAY, (), options.get("referrer"))


def add_gap(db: Database, pid: int, need: str, barrier: str, **fields: object) -> int:
    values = {"need": need, "barrier": barrier, "recorded_on": date(2026, 11, 2), **fields}
    return gaps.record_gap(db, pid, GapDetails.model_validate(values), CLOCK)


@pytest.fixture
def busy(db: Database) -> Database:
    """Twenty-three people with gaps, referrals from two practices, contacts, a population."""
    for n in range(23):
        pid, _ = add_person_with_referral(
            db,
            family_name=f"Person{n}",
            postcode=f"HV{1 + n % 3} {n % 9}AB",
            sex="female" if n % 3 else "male",
            date_of_birth=f"19{40 + n}-03-01",
            status=("accepted", "declined", "not_reached", "received")[n % 4],
            referral={
                "received_on": date(2026, 11, 2),
                "referrer_organisation": "Castle Street Surgery" if n < 14 else "Food bank",
                "needs": "loneliness,money_debt" if n % 2 else "housing",
            },
        )
        referrals.log_contact(
            db,
            pid,
            ContactDetails(contact_at=f"2026-11-{3 + n % 9:02d}T10:00", mode=ContactMode.PHONE),
            CLOCK,
        )
        barrier = ("no_activity", "cost", "transport", "waiting_list")[n % 4]
        add_gap(
            db,
            pid,
            "loneliness" if n % 2 else "housing",
            barrier,
            note=f"note about Person{n}",
            searched=f"search{n}",
        )
    population.load_population(
        db,
        "group,value,people\nsex,female,5100\nsex,male,5000\npostcode_district,HV1,3000\n"
        "postcode_district,HV2,2500\npostcode_district,HV3,2500\n",
        "pop.csv",
        CLOCK,
    )
    return db


@pytest.mark.parametrize("key", ["gaps", "referrers", "reach"])
def test_every_count_is_disclosed_and_every_statistic_controlled(busy: Database, key: str) -> None:
    doc = build(busy, key)
    assert not doc.identifiable
    assert_counts_disclosed(doc)
    for table in doc.tables:
        columns = [c for c in range(1, len(table.columns)) if "%" in table.columns[c]]
        assert_statistics_disclosed(row[c] for row in table.rows for c in columns)
    # Headline counts of people or referrals too (how many areas or referrers is no one's).
    for name, value in doc.headline:
        if name not in ("Referrers", "Areas (postcode districts)"):
            assert (
                value in (SUPPRESSED, WITHHELD, None)
                or not isinstance(value, int)
                or (value % 5 == 0 or "%" in name)
            ), (name, value)


@pytest.mark.parametrize("key", ["gaps", "referrers", "reach"])
def test_nothing_typed_about_a_person_reaches_the_report(busy: Database, key: str) -> None:
    doc = build(busy, key)
    for text in (caseload_json(doc), document_text(doc)):
        for secret in ("Person1", "note about", "search1", "AB", "1941-03-01"):
            assert secret not in text, f"{secret!r} is in the {key} report"


@pytest.mark.parametrize("key", ["gaps", "referrers", "reach"])
def test_a_period_inside_a_month_is_the_whole_month(busy: Database, key: str) -> None:
    inside = build(busy, key, Period(date(2026, 11, 10), date(2026, 11, 12)))
    whole = build(busy, key)
    assert inside.period == NOVEMBER
    assert [t.rows for t in inside.tables] == [t.rows for t in whole.tables]
    assert "widened to whole calendar months" in inside.notices[0]


def test_the_gap_tables_give_no_suppressed_cell_back_from_their_totals(busy: Database) -> None:
    doc = build(busy, "gaps")
    for key in ("gaps_by_area", "needs_by_area", "gaps_by_need"):
        assert_no_cell_differenced_from_totals(doc.table(key))


def test_seven_ones_beside_a_total_of_five_withhold_the_total(db: Database) -> None:
    # Seven districts with one gap each: each shown as <5, the exact total 7 would round
    # to 5, and 5 (at most 7) less six cells of at least 1 leaves the seventh only 1.
    for n in range(7):
        pid = add_person(db, family_name=f"P{n}", postcode=f"HV{n + 1} 1AB")
        add_gap(db, pid, "loneliness", "cost")
    table = build(db, "gaps").table("gaps_by_area")
    assert [row[2] for row in table.rows[:-1]] == [SUPPRESSED] * 7
    assert table.rows[-1][2] == WITHHELD and table.rows[-1][-1] == WITHHELD
    assert_no_cell_differenced_from_totals(table)
    # Without the rule, the attacker's arithmetic pins it.
    assert feasible([SUPPRESSED] * 7, Disclosure().count(7), 0) == [1]


def test_a_reason_given_by_fewer_than_five_is_never_printed(db: Database) -> None:
    for n in range(12):
        pid = add_person(db, family_name=f"P{n}")
        rid = referrals.add_referral(
            db, pid, referral_details(referrer_organisation="Castle Street Surgery"), CLOCK
        )
        reason = "Moved to live with daughter Jane" if n == 0 else "Not the right time"
        referrals.decline(db, rid, date(2026, 11, 3), CLOCK, reason=reason)
    doc = build(db, "referrers")
    text = document_text(doc)
    assert "daughter" not in text.lower()
    reasons = doc.table("referrer_1_declined").rows
    assert reasons[0] == ["Not the right time", 10]
    assert reasons[1] == ["Other reasons (each given fewer than 5 times)", SUPPRESSED]


def test_a_median_is_shown_only_for_ten_and_to_one_decimal(busy: Database) -> None:
    doc = build(busy, "referrers")
    castle = doc.table("referrer_1_referrals").rows
    assert castle[-1][0] == "Median days to first contact"
    assert isinstance(castle[-1][1], float)  # fourteen contacted
    food = doc.table("referrer_2_referrals").rows
    assert food[-1][1] == WITHHELD  # nine contacted
    assert doc.sections == ("Castle Street Surgery", "Food bank")


def test_one_referrer_only_and_an_unknown_one_refused(busy: Database) -> None:
    doc = build(busy, "referrers", referrer="food BANK")
    assert doc.sections == ("Food bank",)
    with pytest.raises(LookupError, match="--referrer: no referrals from 'Nobody'"):
        build(busy, "referrers", referrer="Nobody")


def test_reach_sets_each_group_beside_the_practice(busy: Database) -> None:
    doc = build(busy, "reach")
    by_sex = doc.table("reach_sex")
    assert by_sex.columns[:3] == ["Sex", "Referred", "Referred %"]
    female = by_sex.rows[0]
    assert female[0] == "Female" and female[3] == 5100 and female[4] == 50
    assert female[1] == 15 and female[5] == round(1000 * 15 / 5100, 1)
    assert by_sex.chart == "shares"
    assert doc.table("reach_age_band").chart is None  # no population by age was loaded
    data = json.loads(caseload_json(doc))
    assert data["report"] == "Who is reached"


def referral_details(**fields: object):  # type: ignore[no-untyped-def]
    from tests.factories import referral_details as details

    return details(CLOCK, received_on=date(2026, 11, 2), **fields)


def _line_gives_nothing_back(cells: list[Any], total: Any, where: str) -> None:
    for position, cell in enumerate(cells):
        if cell == SUPPRESSED:
            fits = feasible(cells, total, position)
            assert len(fits) >= 2, f"{where}: the total gives cell {position} as {fits}"


def test_no_referrer_total_gives_back_a_suppressed_cell() -> None:
    # Every mix of 0-6 accepted, declined, not reached and still open, one referrer each;
    # and every mix of reasons for the declines.
    shapes = list(itertools.product(range(7), repeat=4))
    figures = [
        ReferrerFigures(
            key=f"Practice {n}",
            referrals=sum(shape),
            accepted=shape[0],
            declined=shape[1],
            not_reached=shape[2],
            decline_reasons={"cost": shape[1] // 2, "": shape[1] - shape[1] // 2},
        )
        for n, shape in enumerate(shapes)
    ]
    doc = referrer_document(ReferrerReport(NOVEMBER, TODAY, figures))
    for n in range(len(shapes)):
        outcomes = doc.table(f"referrer_{n + 1}_referrals").rows
        parts = [row[1] for row in outcomes[1:5]]
        _line_gives_nothing_back(parts, outcomes[0][1], f"referrer {n + 1}")
        reasons = doc.table(f"referrer_{n + 1}_declined").rows
        _line_gives_nothing_back([r[1] for r in reasons[:-1]], reasons[-1][1], f"reasons {n + 1}")


@pytest.mark.parametrize("grouping", ["sex", "age_band"])
def test_no_reach_total_gives_back_a_suppressed_cell(grouping: str) -> None:
    values = {"sex": ["female", "male", "other"], "age_band": ["18-24", "25-34", "35-44"]}
    for counts in itertools.product(range(8), repeat=3):
        named = zip(values[grouping], counts, strict=True)
        groups = {v: GroupFigures(referred=n, accepted=n) for v, n in named}
        everyone = GroupFigures(referred=sum(counts), accepted=sum(counts))
        report = ReachReport(NOVEMBER, TODAY, {grouping: groups}, everyone)
        rows = reach_document(report).table(f"reach_{grouping}").rows
        _line_gives_nothing_back([r[1] for r in rows[:-1]], rows[-1][1], f"{grouping} {counts}")
