"""Community development time (issue 16 item 5): the log, and its section in the commissioner
report, in every format the report has."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.factories import CLOCK, TODAY

from linkworker import community, reports
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.report_document import COMMUNITY_GROUP
from linkworker.formats.report_files import (
    caseload_csv_files,
    caseload_data,
    caseload_html,
    caseload_markdown,
)
from linkworker.reports import Period
from linkworker.store.db import Database

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def _log(db: Database) -> None:
    for day, kind, minutes in (
        (date(2026, 11, 2), "outreach", 90),
        (date(2026, 11, 9), "outreach", 45),
        (date(2026, 11, 10), "mdt_meeting", 60),
        (date(2026, 10, 30), "training", 120),  # before the period
    ):
        community.add_work(db, day, kind, minutes, CLOCK, organisation="Hove Food Bank")


def test_work_is_logged_and_listed_latest_first(db: Database) -> None:
    work = community.add_work(
        db, TODAY, "Starting a group", 30, CLOCK, organisation=" Knit and natter ", note="Flyers"
    )
    assert (work.kind, work.organisation) == ("starting_group", "Knit and natter")
    _log(db)
    found = community.work_between(db, date(2026, 11, 1), TODAY)
    assert [w.worked_on for w in found] == sorted((w.worked_on for w in found), reverse=True)
    assert (
        "Starting a group" in found[0].line()
        and "30 min  Knit and natter: Flyers" in found[0].line()
    )


@pytest.mark.parametrize(
    ("day", "kind", "minutes", "field", "words"),
    [
        (TODAY, "knitting", 30, "kind", "kind: choose one of supporting_group"),
        (TODAY + timedelta(days=1), "outreach", 30, "worked_on", "not ahead"),
        (TODAY, "outreach", 0, "minutes", "minutes: from 1 to 1440"),
        (TODAY, "outreach", 1441, "minutes", "minutes: from 1 to 1440"),
    ],
)
def test_bad_work_is_refused_naming_the_field(
    db: Database, day: date, kind: str, minutes: int, field: str, words: str
) -> None:
    with pytest.raises(community.CommunityError, match=words) as refused:
        community.add_work(db, day, kind, minutes, CLOCK)
    assert refused.value.field == field
    assert db.execute("SELECT count(*) FROM community_work").fetchone()[0] == 0


def test_a_note_with_an_escape_code_is_refused(db: Database) -> None:
    with pytest.raises(community.CommunityError, match="note: contains a control character"):
        community.add_work(db, TODAY, "other", 10, CLOCK, note="\x1b[2J")


def test_the_report_counts_sessions_and_hours_by_kind_in_the_period(db: Database) -> None:
    _log(db)
    report = reports.caseload_report(db, NOVEMBER, TODAY)
    assert report.community["outreach"] == (2, 135)
    assert report.community["training"] == (0, 0)
    table = caseload_document(report).table("community_work")
    rows = {row[0]: row[1:] for row in table.rows}
    # Session counts obey the one rule (1-4 shown as <5); hours to one decimal, halves up.
    assert rows["Outreach"] == ["<5", 2.3]
    assert rows["Multidisciplinary meeting"] == ["<5", 1.0]
    assert rows["All community work"] == ["<5", 3.3]
    exact = caseload_document(report, identifiable=True).table("community_work")
    assert {row[0]: row[1] for row in exact.rows}["Outreach"] == 2


def test_the_section_is_in_every_format(db: Database) -> None:
    _log(db)
    doc = caseload_document(reports.caseload_report(db, NOVEMBER, TODAY))
    assert [group for group, _ in doc.groups()][-1] == COMMUNITY_GROUP
    assert "## 5. Community development" in caseload_markdown(doc)
    assert "| Outreach | <5 | 2.3 |" in caseload_markdown(doc)
    assert "<h2>5. Community development</h2>" in caseload_html(doc)
    assert caseload_data(doc)["groups"][-1]["group"] == COMMUNITY_GROUP
    files = dict(caseload_csv_files(doc))
    assert "Outreach,<5,2.3" in files["17_community_work.csv"].decode("utf-8-sig")
