"""Golden files: what the GP and the commissioner receive, byte for byte.

Each output below is compared with one readable file under
``tests/unit/__snapshots__/test_golden_files/`` (syrupy's single-file extension, bytes exactly
as written, so CSV keeps its byte order mark and CRLF line ends). They are made from the fixed
demo caseload (60 people, seed 7, today 23 Nov 2026), so they change only when the wording or
layout of an export changes.

When a change to an export is intended, look at the difference, then rewrite the files with::

    .venv/bin/python -m pytest tests/unit/test_golden_files.py --snapshot-update

and commit the new files with the change, so the reviewer sees the new output too.
"""

from __future__ import annotations

from datetime import date

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from linkworker import information_needs, reports
from linkworker.clock import fixed
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.gp_message import render_gp_message
from linkworker.formats.report_document import ReportDocument
from linkworker.formats.report_files import (
    caseload_csv_files,
    caseload_html,
    caseload_json,
    caseload_markdown,
)
from linkworker.models import InformationNeeds
from linkworker.reports import Period
from linkworker.reports.gp_parts import with_defaults
from linkworker.settings import Settings
from linkworker.store.db import Database

QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30))

# Person 12's episode (referral 13): consent given, two goals, three activities, three
# measures, discharged. Person 5 has not consented, so only who and the codes go out.
SHARED = (12, 13)
WITHHELD = (5, 5)

SENDER = Settings(
    worker_name="Sam Okafor",
    worker_organisation="Riverside PCN",
    worker_phone="01632 960 123",
    worker_email="sam.okafor@nhs.net",
)

CSV_FILES = (
    "00_about",
    "01_age_bands",
    "02_sex",
    "03_ethnicity",
    "04_postcode_areas",
    "05_referrals_by_month",
    "06_referrals_by_source",
    "07_referrals_by_need",
    "08_referral_outcomes",
    "09_contacts",
    "10_activities_by_category",
    "11_outcome_change",
    "12_discharges_by_reason",
    "13_contacts_per_episode",
    "15_involvement",
    "16_measures_recorded",
    "17_community_work",
)


def golden(extension: str) -> type[SingleFileSnapshotExtension]:
    """A single-file snapshot kind whose files end ``.extension`` (so they open readably)."""
    return type(
        f"Golden{extension.capitalize()}",
        (SingleFileSnapshotExtension,),
        {"_file_extension": extension},
    )


@pytest.mark.parametrize(
    ("fmt", "extension"),
    [("text", "txt"), ("md", "md"), ("json", "json")],
    ids=["text", "md", "json"],
)
@pytest.mark.parametrize(("person", "referral"), [SHARED, WITHHELD], ids=["shared", "withheld"])
def test_gp_message(
    demo_db: Database,
    today: date,
    snapshot: SnapshotAssertion,
    person: int,
    referral: int,
    fmt: str,
    extension: str,
) -> None:
    # Both people need large print and a BSL interpreter: only the consenting one's go.
    needs = InformationNeeds(large_print=True, large_print_size=18, interpreter="bsl")
    information_needs.save_needs(demo_db, person, needs, fixed(today), checked=True)
    message = reports.gp_message(demo_db, person, today, referral, sender=SENDER.signature())
    assert message.shares_detail == ((person, referral) == SHARED)
    # What goes when the worker changes nothing in the preview (flags and notes left out).
    rendered = render_gp_message(with_defaults(message), fmt)
    assert rendered.encode("utf-8") == snapshot.use_extension(golden(extension))


@pytest.fixture
def quarter_report(demo_db: Database, today: date) -> ReportDocument:
    # Signed as the worker's settings sign it (issue 13 item 6).
    report = reports.caseload_report(demo_db, QUARTER, today)
    return caseload_document(report, prepared_by=SENDER.signature())


@pytest.mark.parametrize("name", CSV_FILES)
def test_caseload_csv(
    quarter_report: ReportDocument, snapshot: SnapshotAssertion, name: str
) -> None:
    files = dict(caseload_csv_files(quarter_report))
    assert sorted(files) == [f"{n}.csv" for n in CSV_FILES]
    assert files[f"{name}.csv"] == snapshot.use_extension(golden("csv"))


def test_caseload_html(quarter_report: ReportDocument, snapshot: SnapshotAssertion) -> None:
    page = caseload_html(quarter_report)
    assert page.encode("utf-8") == snapshot.use_extension(golden("html"))


def test_caseload_markdown(quarter_report: ReportDocument, snapshot: SnapshotAssertion) -> None:
    page = caseload_markdown(quarter_report)
    assert page.encode("utf-8") == snapshot.use_extension(golden("md"))


def test_caseload_json(quarter_report: ReportDocument, snapshot: SnapshotAssertion) -> None:
    page = caseload_json(quarter_report)
    assert page.encode("utf-8") == snapshot.use_extension(golden("json"))
