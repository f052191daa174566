"""A worker's team bundle: one period's caseload figures for the hub, sealed and signed.

The bundle holds the figures of the worker's commissioner report in the form that adds up
across workers (:func:`linkworker.reports.combined.additive_figures`): exact counts, the
histograms behind the medians and each outcome score's sums month by month. It never holds
a name, an NHS number, a date of birth, a full postcode or any id of a person or referral:
only counts, and the labels of what was counted (source, need, age band, postcode area,
activity category...). It is sealed (kind ``team-bundle``) to the hub's kept key only and
signed by the worker, so only the hub can read it and the hub knows who sent it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.formats import writer
from linkworker.reports.caseload import caseload_report
from linkworker.reports.combined import (
    BundleFigures,
    FiguresError,
    additive_figures,
    figures_from_data,
)
from linkworker.reports.content import CaseloadReport
from linkworker.reports.period import Period
from linkworker.reports.quick_read import read_figures
from linkworker.team import keys

KIND = "team-bundle"
FORMAT = "linkworker-team-bundle"
VERSION = 1


def bundle_payload(report: CaseloadReport) -> bytes:
    """The bundle's contents (before sealing): plain JSON of the additive figures."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "generated_on": report.generated_on.isoformat(),
        **additive_figures(report),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_bundle(payload: bytes) -> CaseloadReport:
    """A bundle's contents read back as a report's figures; FiguresError says what is wrong."""
    return figures_from_data(*_bundle_data(payload))


def read_bundle_figures(payload: bytes) -> BundleFigures:
    """A bundle's contents read for adding to a team's (the hub's way: no whole report is
    made, see :mod:`linkworker.reports.quick_read`); FiguresError says what is wrong, as
    :func:`read_bundle` would."""
    return read_figures(*_bundle_data(payload))


def _bundle_data(payload: bytes) -> tuple[dict[str, Any], date]:
    try:
        data = json.loads(payload)
    except ValueError:
        raise FiguresError("its contents are not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FiguresError("its contents are not a team bundle")
    if data.get("version") != VERSION:
        raise FiguresError(
            f"it is a version {data.get('version')} bundle; this linkworker reads version "
            f"{VERSION} (update linkworker, or ask the worker to)"
        )
    try:
        made_on = date.fromisoformat(str(data.get("generated_on")))
    except ValueError:
        raise FiguresError("its date of making is not a date") from None
    return data, made_on


@dataclass(frozen=True)
class WrittenBundle:
    """What ``report bundle`` wrote: the file, the hub it is for and the figures it holds."""

    path: Path
    hub: keys.TeamKey
    report: CaseloadReport


def write_bundle(
    db: Database,
    period: Period,
    hub: str,
    output: Path,
    *,
    clock: Clock,
    force: bool = False,
) -> WrittenBundle:
    """Work out the period's figures (widened to whole months) and write them to ``output``,
    sealed for the hub kept as ``hub`` and signed with this worker's key."""
    writer.check_target(output, force)
    hub_key = keys.key_of(db, hub)  # refused before any work when there is no such key
    report = caseload_report(db, period, clock.today())
    sealed, _ = keys.seal_for(db, KIND, bundle_payload(report), [hub_key.name], clock)
    return WrittenBundle(writer.write_file(output, sealed, force=force), hub_key, report)
