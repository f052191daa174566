"""`linkworker report gaps|referrers|reach`: the reports beyond the commissioner's, for a
period, pseudonymised and suppressed (see :mod:`linkworker.reports.catalogue`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from linkworker.cli import base
from linkworker.cli.export import day_option, format_option, store_must_exist


@click.group()
@base.common_options
def report() -> None:
    """Reports for a period: unmet need, referrer feedback, who is reached."""


def _write(ctx: base.Context, key: str, options: dict[str, Any]) -> None:
    """Check what was asked, then make the report ``key`` and write it."""
    from linkworker.formats.writer import describe_written
    from linkworker.reports import Period
    from linkworker.reports.catalogue import (
        REPORT_KINDS,
        ReportRequest,
        check_output,
        export_report,
    )

    kind = REPORT_KINDS[key]
    first, last = day_option("--from", options["start"]), day_option("--to", options["end"])
    if first > last:
        base.fail(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    if options["fmt"] is None:
        base.fail(f"--format is needed: one of {', '.join(kind.formats)}")
    fmt = format_option(options["fmt"], kind.formats)
    if not options["output"]:
        base.fail("--output is needed: the file to write")
    target = Path(options["output"]).expanduser()
    check_output(kind, fmt, target, options["force"])
    store_must_exist(ctx)
    period = Period(first, last).whole_months()
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
