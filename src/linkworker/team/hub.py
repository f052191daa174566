"""The hub's side of team reporting: open every worker's bundle, check it, add it up, and
write the team's commissioner report.

Each bundle is opened, checked, added to the team's figures and dropped before the next
is read (a few cells a worker are kept for the By worker tables), so memory stays flat
however many bundles there are. A bundle is refused, naming its file, when it is not for
this hub, was changed, is signed by a key the hub has not added, is the same bundle twice
(the same sealed id) or a second one from the same worker, or is for another period than
the others; nothing is written then.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from linkworker.formats import writer
from linkworker.formats.report_document import ReportDocument
from linkworker.formats.report_files import caseload_outputs
from linkworker.formats.sealed import MAGIC, Opened, SealError
from linkworker.formats.team_report import WorkerRows, team_document, worker_rows
from linkworker.formats.text import period_words
from linkworker.reports.combined import BundleFigures, FiguresError, TeamFigures
from linkworker.reports.content import CaseloadReport
from linkworker.reports.export import check_caseload_output
from linkworker.team import keys
from linkworker.team.bundle import KIND, read_bundle_figures


class BundleRefused(ValueError):
    """One bundle that cannot be used: the message names its file and says why."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: {reason}")


def _is_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


@dataclass(frozen=True)
class BundleFiles:
    """The files a hub report reads: those named, and the sealed files in folders named."""

    files: list[Path]
    #: Files in a named folder that are not sealed files (left alone, and said so).
    skipped: list[Path] = field(default_factory=list)


def bundle_files(given: Iterable[Path]) -> BundleFiles:
    """Every file named, and every sealed file in every folder named (by name); refuses a
    path that does not exist and a folder with no sealed file."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in given:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file())
            sealed = [p for p in inside if _is_sealed(p)]
            if not sealed:
                raise BundleRefused(path, "this folder holds no sealed files (no bundles)")
            files += sealed
            skipped += [p for p in inside if p not in sealed]
        elif path.exists():
            files.append(path)
        else:
            raise BundleRefused(path, "there is no such file or folder")
    if not files:
        raise ValueError("name at least one bundle (or a folder of them)")
    return BundleFiles(files, skipped)


def _read_whole(path: Path) -> bytes:
    """The file's bytes in two reads (the second finds its end), without the buffered file
    object that Path.read_bytes makes: a hub reads hundreds of small bundles."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        want = os.fstat(handle).st_size + 1
        parts = [os.read(handle, want)]
        while parts[-1]:
            parts.append(os.read(handle, want))
        return b"".join(parts)
    finally:
        os.close(handle)


@dataclass
class _Seen:
    """What the bundles read so far were, to refuse a second copy or a second worker."""

    ids: dict[str, Path] = field(default_factory=dict)
    workers: dict[str, Path] = field(default_factory=dict)


def _open_one(
    read: Callable[[bytes, str], Opened], path: Path, seen: _Seen
) -> tuple[str, BundleFigures]:
    """(worker's kept name, their figures) from one bundle file, checked."""
    try:
        blob = _read_whole(path)
    except OSError as exc:
        raise BundleRefused(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        opened = read(blob, KIND)
    except SealError as exc:
        raise BundleRefused(path, str(exc)) from None
    if opened.sealed_id in seen.ids:
        raise BundleRefused(
            path, f"this is the same bundle as {seen.ids[opened.sealed_id]} (a copy): use one"
        )
    if opened.sender_name in seen.workers:
        raise BundleRefused(
            path,
            f"a second bundle from {opened.sender_name} (the first is "
            f"{seen.workers[opened.sender_name]}): give one bundle a worker",
        )
    try:
        figures = read_bundle_figures(opened.payload)
    except FiguresError as exc:
        raise BundleRefused(path, f"its figures cannot be read: {exc}") from None
    seen.ids[opened.sealed_id] = path
    seen.workers[opened.sender_name] = path
    return opened.sender_name, figures


#: Told (bundles read, bundles in all) after each bundle.
Progress = Callable[[int, int], None]


def combine_bundles(
    db: Database, files: Sequence[Path], today: date, progress: Progress | None = None
) -> tuple[CaseloadReport, list[WorkerRows]]:
    """The team's figures from every bundle, and each worker's cells for By worker."""
    team: TeamFigures | None = None
    first: Path | None = None
    workers: list[WorkerRows] = []
    seen = _Seen()
    read = keys.sealed_reader(db)
    for number, path in enumerate(files, start=1):
        name, figures = _open_one(read, path, seen)
        if team is None or first is None:
            team, first = TeamFigures(figures.period, today), path
        elif figures.period != team.total.period:
            raise BundleRefused(
                path,
                f"it is for {period_words(figures.period)}, but {first} is for "
                f"{period_words(team.total.period)}: a team report combines one period",
            )
        team.add_bundle(figures)
        workers.append(worker_rows(name, figures.worker))
        if progress:
            progress(number, len(files))
    if team is None:
        raise ValueError("name at least one bundle (or a folder of them)")
    return team.report(), workers


def team_report(
    db: Database, files: Sequence[Path], today: date, *, prepared_by: Sequence[str] = ()
) -> ReportDocument:
    """The team's commissioner report from ``files``, laid out, disclosure applied."""
    team, workers = combine_bundles(db, files, today)
    return team_document(team, workers, prepared_by=prepared_by)


def export_team_report(
    db: Database,
    files: Sequence[Path],
    target: tuple[str, Path],
    today: date,
    *,
    force: bool = False,
    prepared_by: Sequence[str] = (),
) -> list[Path]:
    """Combine the bundles and write the team's report in ``fmt`` (as ``export caseload``
    writes one worker's) to ``target``, a (format, path); nothing is written when any bundle
    is refused."""
    fmt, output = target
    check_caseload_output(fmt, output, force)
    document = team_report(db, files, today, prepared_by=prepared_by)
    return writer.write_files(
        caseload_outputs(document, fmt, output), force=force, make_folders=True
    )
