"""Golden files of the gap report, the referrer feedback and the reach report (issue 16):
what commissioners, funders and the practice meeting receive, byte for byte.

Made from the fixed demo caseload (60 people, seed 7, today 23 Nov 2026) with unmet needs
and a practice population added by rule below, so they change only when the wording or
layout changes. After an intended change, read the difference, then::

    .venv/bin/python -m pytest tests/unit/test_golden_reports.py --snapshot-update
"""

from __future__ import annotations

from datetime import date

import pytest
from syrupy.assertion import SnapshotAssertion
from tests.factories import CLOCK
from tests.unit.test_golden_files import QUARTER, SENDER, golden

from linkworker import gaps, population
from linkworker.formats.report_document import ReportDocument
from linkworker.formats.report_files import caseload_csv_files, caseload_html, caseload_markdown
from linkworker.formats.report_text import document_text
from linkworker.models import GapBarrier, GapDetails, NeedDomain
from linkworker.reports.catalogue import REPORT_KINDS
from linkworker.store.db import Database

NEEDS = list(NeedDomain)
BARRIERS = list(GapBarrier)
POPULATION = "\n".join(
    [
        "group,value,people",
        *(
            f"age_band,{band},{people}"
            for band, people in (
                ("Under 18", 2100),
                ("18-24", 900),
                ("25-34", 1500),
                ("35-44", 1400),
                ("45-54", 1300),
                ("55-64", 1200),
                ("65-74", 1000),
                ("75-84", 600),
                ("85 and over", 200),
            )
        ),
        "sex,female,5150",
        "sex,male,5050",
        "ethnicity,white,8100",
        "ethnicity,asian,1100",
        "ethnicity,black,500",
        "ethnicity,mixed,300",
        "ethnicity,other,200",
        *(f"postcode_district,HV{n},{2000 + 100 * n}" for n in range(1, 5)),
    ]
)


def with_gaps(db: Database) -> Database:
    """Unmet needs for every second person of the demo, by rule, in July to September."""
    for person_id in range(2, 61, 2):
        details = GapDetails.model_validate(
            {
                "need": NEEDS[person_id % 3].value,
                "barrier": BARRIERS[person_id % 4].value,
                "recorded_on": date(2026, 7 + person_id % 3, 1 + person_id % 28),
                "note": f"looked for something for person {person_id}",
            }
        )
        gaps.record_gap(db, person_id, details, CLOCK)
    population.load_population(db, POPULATION + "\n", "practice.csv", CLOCK)
    return db


def document(db: Database, key: str) -> ReportDocument:
    return REPORT_KINDS[key].build(db, QUARTER, date(2026, 11, 23), SENDER.signature(), None)


@pytest.fixture
def gap_doc(demo_db: Database) -> ReportDocument:
    return document(with_gaps(demo_db), "gaps")


def test_gap_report_markdown(gap_doc: ReportDocument, snapshot: SnapshotAssertion) -> None:
    assert caseload_markdown(gap_doc).encode("utf-8") == snapshot.use_extension(golden("md"))


def test_gap_report_html_holds_the_markdowns_tables(gap_doc: ReportDocument) -> None:
    # The HTML page is the caseload report's writer (its golden file is test_golden_files');
    # the cells are the Markdown golden file's.
    page = caseload_html(gap_doc)
    assert page.count("<table>") == 3 and "<footer>" not in page
    assert "<td>All areas</td>" in page and "<td>suppressed</td>" in page


def test_gap_report_csv(gap_doc: ReportDocument, snapshot: SnapshotAssertion) -> None:
    files = caseload_csv_files(gap_doc)
    assert [name for name, _ in files] == [
        "00_about.csv",
        "01_gaps_by_area.csv",
        "02_needs_by_area.csv",
        "03_gaps_by_need.csv",
    ]
    assert b"".join(data for _, data in files) == snapshot.use_extension(golden("csv"))


@pytest.fixture
def referrer_doc(demo_db: Database) -> ReportDocument:
    return document(demo_db, "referrers")


def test_referrer_summary_text(referrer_doc: ReportDocument, snapshot: SnapshotAssertion) -> None:
    assert document_text(referrer_doc).encode("utf-8") == snapshot.use_extension(golden("txt"))


def test_referrer_summary_html_prints_a_page_a_referrer(referrer_doc: ReportDocument) -> None:
    page = caseload_html(referrer_doc)
    # Every referrer's heading but the first starts a printed page.
    assert page.count('<h2 class="new-page">') == len(referrer_doc.sections) - 1 > 1
    assert "@media print { h2.new-page { break-before: page; } }" in page


def test_referrer_summary_markdown(
    referrer_doc: ReportDocument, snapshot: SnapshotAssertion
) -> None:
    assert caseload_markdown(referrer_doc).encode("utf-8") == snapshot.use_extension(golden("md"))


def test_reach_report_markdown(demo_db: Database, snapshot: SnapshotAssertion) -> None:
    doc = document(with_gaps(demo_db), "reach")
    assert caseload_html(doc).count("<svg") == 4  # a chart for each grouping
    assert caseload_markdown(doc).encode("utf-8") == snapshot.use_extension(golden("md"))
