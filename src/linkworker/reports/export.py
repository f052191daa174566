"""Reports written to files: each reads the store, lays the result out with the pure
writers of :mod:`linkworker.formats`, and writes through the one file writer (never
replacing a file unless asked, all files or none).

* :func:`export_caseload`: the commissioner's caseload report for a period, as a
  :class:`CaseloadRequest` asks;
* :func:`export_sar`: the subject access export (JSON and Markdown beside it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from linkworker import subject_access
from linkworker.formats import writer
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.report_files import caseload_outputs, check_format, is_csv_folder
from linkworker.formats.subject_access import sar_files, sar_paths
from linkworker.reports.caseload import STEPS, caseload_report
from linkworker.reports.period import Period

#: (done, total, what): how far an export has got, for a progress bar.
Progress = Callable[[int, int, str], None]

#: A suffix that names a kind of file (.csv, .json, .html, .xlsx...): no name for a folder.
FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}")

# Working out the figures: one step each, and one for the list of episodes.
COMPUTE_STEPS = len(STEPS) + 1


def check_caseload_output(fmt: str, output: Path, force: bool) -> None:
    """Refuse, before any work, a format or an output the export could not write."""
    check_format(fmt)
    if not is_csv_folder(fmt, output):
        writer.check_target(output, force)
        return
    if output.exists() and not output.is_dir():
        raise writer.ExportError(f"{output} is a file; CSV needs a folder (or a name ending .zip)")
    if FILE_SUFFIX.fullmatch(output.suffix):
        # `--format csv --output X.csv` once wrote a folder called X.csv, which no one
        # would look for or open: the name must say it is a folder (or a .zip).
        raise writer.ExportError(
            f"{output.name} ends in {output.suffix}, but CSV writes a folder of tables (one "
            "file each): give a folder name without a suffix, such as "
            f"{output.with_suffix('').name}, or a name ending .zip for one file"
        )
    if not output.parent.is_dir():
        raise writer.ExportError(
            f"cannot write {output}: the folder {output.parent} does not exist"
        )


@dataclass(frozen=True)
class CaseloadRequest:
    """One caseload report to write: for what period, as what, where, as of which day,
    identifiable or pseudonymised, whether it may replace files, and signed by whom
    (``Settings.signature()``). The CLI and the Reports screen each build one."""

    period: Period
    fmt: str
    output: Path
    today: date
    identifiable: bool = False
    force: bool = False
    prepared_by: Sequence[str] = ()


def export_caseload(
    db: Database, asked: CaseloadRequest, *, progress: Progress | None = None
) -> list[Path]:
    """Compute the caseload report asked for and write it; returns the files written.

    csv writes a folder of tables (made, 0700, if missing) or, for a name ending .zip, one
    zip; json, md and html write one file.
    """
    check_caseload_output(asked.fmt, asked.output, asked.force)

    def computing(step: int, steps: int) -> None:
        if progress:
            progress(step, COMPUTE_STEPS + 1, "computing")

    identifiable = asked.identifiable
    report = caseload_report(
        db, asked.period, asked.today, with_episodes=identifiable, progress=computing
    )
    document = caseload_document(report, identifiable=identifiable, prepared_by=asked.prepared_by)
    files = caseload_outputs(document, asked.fmt, asked.output)
    total = COMPUTE_STEPS + len(files)
    done = COMPUTE_STEPS

    def wrote(path: Path) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, f"wrote {path.name}")

    return writer.write_files(files, force=asked.force, progress=wrote, make_folders=True)


def check_sar_output(output: Path, force: bool) -> None:
    """Refuse, before any work, a subject access output that could not be written."""
    for path in sar_paths(output):
        writer.check_target(path, force)


def export_sar(
    db: Database,
    person_id: int,
    output: Path,
    *,
    generated_at: str,
    force: bool = False,
    prepared_by: Sequence[str] = (),
) -> list[Path]:
    """Write the subject access export: JSON at ``output`` and Markdown beside it, signed
    with ``prepared_by`` (``Settings.signature()``)."""
    check_sar_output(output, force)
    data = subject_access.subject_access(db, person_id, generated_at)
    if prepared_by:
        data["export"]["prepared_by"] = list(prepared_by)
    return writer.write_files(sar_files(data, output), force=force)
