"""The worker's identity (issue 13 item 6): the plan and the shortlist are signed from settings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from tests.factories import add_person

from linkworker import directory, plans, reports
from linkworker.cli import main
from linkworker.clock import Clock
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.report_document import ReportDocument
from linkworker.formats.report_files import (
    caseload_csv_files,
    caseload_html,
    caseload_json,
    caseload_markdown,
)
from linkworker.reports import Period
from linkworker.reports.export import export_sar
from linkworker.settings import Settings
from linkworker.store.db import Database

TODAY = date(2026, 11, 23)
SIGNED = Settings(
    worker_name="Priya Shah", worker_organisation="Leeds North PCN", worker_email="p.shah@nhs.net"
)


def test_the_signature_leaves_out_what_is_not_set() -> None:
    assert SIGNED.sign_off() == [
        "Your link worker: Priya Shah",
        "Social prescribing link worker, Leeds North PCN",
        "p.shah@nhs.net",
    ]
    assert Settings(worker_name="Priya Shah", worker_role="").sign_off() == [
        "Your link worker: Priya Shah"
    ]
    assert Settings().sign_off() is None  # no name: the page keeps its line to fill in


def _shortlist(db: Database, settings: Settings, *, markdown: bool) -> str:
    activity = int(db.execute("SELECT min(id) FROM activities").fetchone()[0])
    return directory.shortlist_text(
        db, [activity], for_name="Joan", today=TODAY, markdown=markdown, signed=settings.sign_off()
    )


def test_the_shortlist_is_signed_with_no_blank_lines(db: Database, clock: Clock) -> None:
    directory.ensure_starter(db, clock)
    for markdown in (False, True):
        text = _shortlist(db, SIGNED, markdown=markdown)
        assert "Priya Shah" in text and "Leeds North PCN" in text
        assert "____" not in text
        unsigned = _shortlist(db, Settings(), markdown=markdown)
        assert "Your link worker: ____" in unsigned


def test_the_plan_is_signed(db: Database) -> None:
    pid = add_person(db)
    lines = SIGNED.sign_off()
    assert lines is not None
    text = plans.plan_text(db, pid, TODAY, " · ".join(lines))
    assert "Your link worker: Priya Shah" in text and "p.shah@nhs.net" in text
    assert "____" not in text


# --- the commissioner report (issue 13 item 6: "... and the reports") ----------------------

QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30))


def _signed_report(db: Database, settings: Settings) -> ReportDocument:
    report = reports.caseload_report(db, QUARTER, TODAY)
    return caseload_document(report, prepared_by=settings.signature())


def test_the_report_is_signed_in_every_format_and_nothing_else_changes(db: Database) -> None:
    add_person(db)
    signed = _signed_report(db, SIGNED)
    unsigned = caseload_document(reports.caseload_report(db, QUARTER, TODAY))
    assert signed.prepared_by == SIGNED.signature()
    assert (signed.tables, signed.headline, signed.notices) == (
        unsigned.tables,
        unsigned.headline,
        unsigned.notices,
    )
    assert "**Prepared by:** Priya Shah  \n" in caseload_markdown(signed)
    assert "Leeds North PCN" in caseload_markdown(signed)
    assert "Prepared by: <b>Priya Shah</b><br>" in caseload_html(signed)
    assert json.loads(caseload_json(signed))["prepared_by"][0] == "Priya Shah"
    about = dict(caseload_csv_files(signed))["00_about.csv"].decode("utf-8-sig")
    assert 'Prepared by,"Priya Shah; Social prescribing link worker, Leeds North PCN;' in about
    # Unsigned (a caller with no settings): no empty "Prepared by" line anywhere.
    assert "Prepared by" not in caseload_markdown(unsigned) + caseload_html(unsigned)


def test_what_the_worker_typed_is_never_markup_in_the_report(db: Database) -> None:
    typed = Settings(worker_name="<b>Sam</b> *Okafor*", worker_organisation="=HYPERLINK(1)")
    signed = _signed_report(db, typed)
    assert "&lt;b&gt;Sam&lt;/b&gt;" in caseload_html(signed) and "<b>Sam</b>" not in (
        caseload_html(signed)
    )
    assert r"\*Okafor\*" in caseload_markdown(signed)
    csv_signed = _signed_report(db, Settings(worker_name="=cmd", worker_role=""))
    about = dict(caseload_csv_files(csv_signed))["00_about.csv"].decode("utf-8-sig")
    assert "Prepared by,'=cmd" in about  # a formula is never run by a spreadsheet


def test_export_caseload_signs_the_files_from_settings(
    demo_path: Path, tmp_path: Path, isolated_home: Path
) -> None:
    isolated_home.mkdir(exist_ok=True)
    (isolated_home / "settings.toml").write_text(
        'worker_name = "Priya Shah"\nworker_organisation = "Leeds North PCN"\n', encoding="utf-8"
    )
    out = tmp_path / "report.md"
    period = ["--from", "2026-07-01", "--to", "2026-09-30", "--format", "md"]
    where = ["--output", str(out), "--db", str(demo_path), "--today", TODAY.isoformat()]
    result = CliRunner().invoke(main, ["export", "caseload", *period, *where])
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "**Prepared by:** Priya Shah  \nSocial prescribing link worker, Leeds North PCN  \n" in (
        text
    )


def test_the_subject_access_export_is_signed(db: Database, tmp_path: Path) -> None:
    pid = add_person(db)
    written = export_sar(
        db,
        pid,
        tmp_path / "sar.json",
        generated_at="2026-11-23T09:00:00",
        prepared_by=SIGNED.signature(),
    )
    data = json.loads(written[0].read_text(encoding="utf-8"))
    assert data["export"]["prepared_by"] == SIGNED.signature()
    markdown = written[1].read_text(encoding="utf-8")
    assert "**Prepared by:** Priya Shah  \nSocial prescribing link worker, Leeds North PCN  \n" in (
        markdown
    )
    unsigned = export_sar(db, pid, tmp_path / "plain.json", generated_at="2026-11-23T09:00:00")
    assert "Prepared by" not in unsigned[1].read_text(encoding="utf-8")
