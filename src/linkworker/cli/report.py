"""`linkworker report gaps|referrers|reach`: the reports beyond the commissioner's, for a
period, pseudonymised and suppressed (see :mod:`linkworker.reports.catalogue`)."""

from __future__ import annotations

from pathlib import Path

import click

from linkworker.cli.base import (
    Context,
    common_options,
    fail,
    force_option,
    opened_store,
    output_option,
    with_context,
)
from linkworker.cli.export import day_option, format_option, store_must_exist


@click.group()
@common_options
def report() -> None:
    """Reports for a period: unmet need, referrer feedback, who is reached."""


def _write(
    ctx: Context,
    key: str,
    dates: tuple[str | None, str | None],
    fmt: str | None,
    output: str | None,
    force: bool,
    referrer: str | None = None,
) -> None:
    from linkworker.formats.writer import describe_written
    from linkworker.reports import Period
    from linkworker.reports.catalogue import REPORT_KINDS, check_output, export_report

    kind = REPORT_KINDS[key]
    first, last = day_option("--from", dates[0]), day_option("--to", dates[1])
    if first > last:
        fail(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    if fmt is None:
        fail(f"--format is needed: one of {', '.join(kind.formats)}")
        return
    fmt = format_option(fmt, kind.formats)
    if not output:
        fail("--output is needed: the file to write")
        return
    target = Path(output).expanduser()
    check_output(kind, fmt, target, force)
    store_must_exist(ctx)
    period = Period(first, last).whole_months()
    widened = period.widened_words()
    if widened:
        click.echo(f"note: {widened}", err=True)
    settings, _ = ctx.settings()
    with opened_store(ctx, readonly=True) as db:
        written = export_report(
            db,
            kind,
            period,
            fmt,
            target,
            today=ctx.clock.today(),
            force=force,
            prepared_by=settings.signature(),
            referrer=referrer,
        )
    for path in written:
        click.echo(describe_written(path))


_FROM = click.option("--from", "start", metavar="DATE", help="First day of the period.")
_TO = click.option("--to", "end", metavar="DATE", help="Last day of the period (included).")
_FORCE = force_option("Replace files that exist.")


@report.command(name="gaps")
@_FROM
@_TO
@click.option("--format", "fmt", metavar="csv|json|md|html", help="Format.")
@output_option("PATH", "File to write; for csv a folder (one file per table) or a .zip.")
@_FORCE
@with_context
def report_gaps(
    ctx: Context,
    start: str | None,
    end: str | None,
    fmt: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Unmet needs recorded in the period, by area (postcode district), need and barrier,
    for commissioners and community funders. Pseudonymised and suppressed as the caseload
    report is; the period is widened to whole calendar months."""
    _write(ctx, "gaps", (start, end), fmt, output, force)


@report.command(name="referrers")
@_FROM
@_TO
@click.option("--referrer", metavar="NAME", help="Only this practice or organisation.")
@click.option("--format", "fmt", metavar="md|html|txt", help="Format.")
@output_option("FILE", "File to write.")
@_FORCE
@with_context
def report_referrers(
    ctx: Context,
    start: str | None,
    end: str | None,
    referrer: str | None,
    fmt: str | None,
    output: str | None,
    force: bool,
) -> None:
    """A one-page summary per referring practice or organisation for the practice
    meeting: referrals, accepted, declined (with reasons), not reached, typical needs,
    median days to first contact, and what worked. Pseudonymised and suppressed."""
    _write(ctx, "referrers", (start, end), fmt, output, force, referrer)


@report.command(name="reach")
@_FROM
@_TO
@click.option("--format", "fmt", metavar="csv|json|md|html", help="Format.")
@output_option("PATH", "File to write; for csv a folder (one file per table) or a .zip.")
@_FORCE
@with_context
def report_reach(
    ctx: Context,
    start: str | None,
    end: str | None,
    fmt: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Who is referred, accepts, declines and is not reached, by age band, sex, ethnic
    group and postcode district, against the practice population when one is loaded
    (`linkworker population load`). Pseudonymised and suppressed; charts in html."""
    _write(ctx, "reach", (start, end), fmt, output, force)
