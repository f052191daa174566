"""The reports beyond the commissioner's: the gap report, referrer feedback and who is
reached. Each is one :class:`ReportKind`, so the `linkworker report ...` commands and the
Reports screen make and write them the same way: gather the figures, lay them out as a
:class:`~linkworker.formats.caseload_report.ReportDocument` (every figure disclosed), and
write its files through the one file writer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from linkworker.formats import writer
from linkworker.formats.gap_report import GAP_FORMATS, gap_document
from linkworker.formats.reach_report import REACH_FORMATS, reach_document
from linkworker.formats.referrer_report import REFERRER_FORMATS, referrer_document
from linkworker.formats.report_document import ReportDocument
from linkworker.formats.report_files import CASELOAD_FORMATS, caseload_outputs, check_format
from linkworker.formats.report_text import document_text
from linkworker.reports.export import check_caseload_output
from linkworker.reports.gap_report import gap_report
from linkworker.reports.period import Period
from linkworker.reports.reach import reach_report
from linkworker.reports.referrers import referrer_report

#: (store, period, today, prepared_by, referrer) -> the laid-out report.
Build = Callable[[Database, Period, date, Sequence[str], str | None], ReportDocument]


@dataclass(frozen=True)
class ReportKind:
    """One report: its name in the link worker's words, its formats and how it is made."""

    key: str
    title: str
    formats: tuple[str, ...]
    build: Build


def _gaps(
    db: Database, period: Period, today: date, by: Sequence[str], _: str | None
) -> ReportDocument:
    return gap_document(gap_report(db, period, today), prepared_by=by)


def _referrers(
    db: Database, period: Period, today: date, by: Sequence[str], referrer: str | None
) -> ReportDocument:
    found = referrer_report(db, period, today, referrer=referrer)
    if referrer is not None and not found.referrers:
        raise LookupError(f"--referrer: no referrals from '{referrer}' were received in the period")
    return referrer_document(found, prepared_by=by)


def _reach(
    db: Database, period: Period, today: date, by: Sequence[str], _: str | None
) -> ReportDocument:
    return reach_document(reach_report(db, period, today), prepared_by=by)


REPORT_KINDS: dict[str, ReportKind] = {
    kind.key: kind
    for kind in (
        ReportKind("gaps", "Unmet need and directory gaps", GAP_FORMATS, _gaps),
        ReportKind("referrers", "Referrer feedback", REFERRER_FORMATS, _referrers),
        ReportKind("reach", "Who is reached", REACH_FORMATS, _reach),
    )
}


def check_output(kind: ReportKind, fmt: str, output: Path, force: bool) -> None:
    """Refuse, before any work, a format or an output this report could not write."""
    check_format(fmt, kind.formats)
    if fmt in CASELOAD_FORMATS:
        check_caseload_output(fmt, output, force)
    else:
        writer.check_target(output, force)


def document_files(doc: ReportDocument, fmt: str, output: Path) -> list[tuple[Path, bytes]]:
    """The files a report's document is written as: plain text, or the caseload formats."""
    if fmt == "txt":
        return [(output, document_text(doc).encode("utf-8"))]
    return caseload_outputs(doc, fmt, output)


@dataclass(frozen=True)
class ReportRequest:
    """One report to write: which, for what period, as what, where, and signed by whom."""

    kind: ReportKind
    period: Period
    fmt: str
    output: Path
    today: date
    force: bool = False
    prepared_by: Sequence[str] = ()
    #: Referrer feedback for this practice or organisation only.
    referrer: str | None = None


def export_report(db: Database, asked: ReportRequest) -> list[Path]:
    """Make the report asked for (its period widened to whole months) and write it; the
    files written."""
    check_output(asked.kind, asked.fmt, asked.output, asked.force)
    doc = asked.kind.build(db, asked.period, asked.today, asked.prepared_by, asked.referrer)
    files = document_files(doc, asked.fmt, asked.output)
    return writer.write_files(files, force=asked.force, make_folders=True)
