"""`linkworker report gaps|referrers|reach`: the reports beyond the commissioner's, for a
period, pseudonymised and suppressed (see :mod:`linkworker.reports.catalogue`); and
`linkworker report bundle`, this worker's figures sealed for the team's hub (see
:mod:`linkworker.team.bundle`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from linkworker.cli import base
from linkworker.cli.export import format_option, report_period, store_must_exist
from linkworker.display import literal


@click.group()
@base.common_options
def report() -> None:
    """Reports for a period: unmet need, referrer feedback, who is reached, and a team
    bundle of this period's figures for your hub."""


def _write(ctx: base.Context, key: str, options: dict[str, Any]) -> None:
    """Check what was asked, then make the report ``key`` and write it."""
    from linkworker.formats.writer import describe_written
    from linkworker.reports.catalogue import (
        REPORT_KINDS,
        ReportRequest,
        check_output,
        export_report,
    )

    kind = REPORT_KINDS[key]
    period = report_period(options["start"], options["end"])
    if options["fmt"] is None:
        base.fail(f"--format is needed: one of {', '.join(kind.formats)}")
    fmt = format_option(options["fmt"], kind.formats)
    if not options["output"]:
        base.fail("--output is needed: the file to write")
    target = Path(options["output"]).expanduser()
    check_output(kind, fmt, target, options["force"])
    store_must_exist(ctx)
    widened = period.widened_words()
    if widened:
        click.echo(f"note: {widened}", err=True)
    settings, _ = ctx.settings()
    asked = ReportRequest(
        kind,
        period,
        fmt,
        target,
        ctx.clock.today(),
        options["force"],
        settings.signature(),
        options.get("referrer"),
    )
    with base.opened_store(ctx, readonly=True) as db:
        written = export_report(db, asked)
    for path in written:
        click.echo(describe_written(path))


def _report_command(
    name: str, formats: str, output: str, *extra: Callable[[Any], Any]
) -> Callable[[Callable[..., None]], click.Command]:
    """A `report NAME` command: --from, --to, any ``extra`` options, --format, --output,
    --force; its function's docstring is its help."""

    def made(func: Callable[..., None]) -> click.Command:
        def run(ctx: base.Context, **options: Any) -> None:
            _write(ctx, name, options)

        run.__doc__ = func.__doc__
        decorators = [
            click.option("--from", "start", metavar="DATE", help="First day of the period."),
            click.option("--to", "end", metavar="DATE", help="Last day of the period (included)."),
            *extra,
            click.option("--format", "fmt", metavar=formats, help="Format."),
            base.output_option("PATH", output),
            base.force_option("Replace files that exist."),
        ]
        command: Callable[..., Any] = base.with_context(run)
        for decorator in reversed(decorators):
            command = decorator(command)
        return report.command(name=name)(command)

    return made


_FOLDER = "File to write; for csv a folder (one file per table) or a .zip."


@_report_command("gaps", "csv|json|md|html", _FOLDER)
def report_gaps() -> None:
    """Unmet needs recorded in the period, by area (postcode district), need and barrier,
    for commissioners and community funders. Pseudonymised and suppressed as the caseload
    report is; the period is widened to whole calendar months."""


@_report_command(
    "referrers",
    "md|html|txt",
    "File to write.",
    click.option("--referrer", metavar="NAME", help="Only this practice or organisation."),
)
def report_referrers() -> None:
    """A one-page summary per referring practice or organisation for the practice
    meeting: referrals, accepted, declined (with reasons), not reached, typical needs,
    median days to first contact, and what worked. Pseudonymised and suppressed."""


@_report_command("reach", "csv|json|md|html", _FOLDER)
def report_reach() -> None:
    """Who is referred, accepts, declines and is not reached, by age band, sex, ethnic
    group and postcode district, against the practice population when one is loaded
    (`linkworker population load`). Pseudonymised and suppressed; charts in html."""


def _needs_identity(db: Database) -> bool:
    from linkworker.team import keys

    return not keys.has_identity(db)


@report.command(name="bundle")
@click.option("--from", "start", metavar="DATE", help="First day of the period (included).")
@click.option("--to", "end", metavar="DATE", help="Last day of the period (included).")
@click.option("--for", "hub", metavar="HUB", help="The hub, as you kept its key (contacts add).")
@base.output_option("FILE", "The bundle file to write (never replaced without --force).")
@base.force_option("Replace FILE if it exists.")
@base.with_context
def report_bundle(
    ctx: base.Context,
    start: str | None,
    end: str | None,
    hub: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Write the period's caseload figures for your hub, sealed to its key and signed.

    The bundle holds the commissioner report's figures, exact, in a form that adds up
    across workers (counts, histograms, sums), and no names, NHS numbers, dates of birth,
    full postcodes or ids. Only the hub can open it. The period is widened to whole months.
    """
    from linkworker.formats.text import period_words
    from linkworker.formats.writer import check_target, describe_written
    from linkworker.team.bundle import write_bundle

    period = report_period(start, end)
    needed = (
        ("--for", hub, "the hub's name, as you kept its key (`linkworker contacts list`)"),
        ("--output", output, "the bundle file to write"),
    )
    for option, value, what in needed:
        if not value:
            base.fail(f"{option} is needed: {what}")
    assert hub and output  # fail() exits when either is missing
    target = Path(output).expanduser()
    check_target(target, force)
    store_must_exist(ctx)
    widened = period.widened_words()
    if widened:
        click.echo(f"note: {widened}", err=True)
    with base.opened_store(ctx, readonly=True, writes_if=_needs_identity) as db:
        written = write_bundle(db, period, hub, target, clock=ctx.clock, force=force)
    click.echo(describe_written(written.path))
    click.echo(
        f"sealed for {literal(written.hub.name)} (fingerprint {written.hub.fingerprint}): "
        f"{period_words(period)}, {written.report.referrals_received} referrals, "
        f"{written.report.contacts_total} contacts, no names or identifiers"
    )
