"""`linkworker report bundle` (a worker's figures for the hub) and `linkworker hub report`
(the hub's team report from every worker's bundle): see linkworker.team."""

from __future__ import annotations

from pathlib import Path

import click
from sqlite_utils import Database

from linkworker.cli.base import (
    Context,
    common_options,
    fail,
    force_option,
    opened_store,
    output_option,
    with_context,
)
from linkworker.cli.export import _store_must_exist, report_period, report_target
from linkworker.display import literal


@click.group(name="report")
@common_options
def report_group() -> None:
    """Reports for others: a team bundle of this period's figures for your hub."""


def _needs_identity(db: Database) -> bool:
    from linkworker.team import keys

    return not keys.has_identity(db)


@report_group.command(name="bundle")
@click.option("--from", "start", metavar="DATE", help="First day of the period (included).")
@click.option("--to", "end", metavar="DATE", help="Last day of the period (included).")
@click.option("--for", "hub", metavar="HUB", help="The hub, as you kept its key (contacts add).")
@output_option("FILE", "The bundle file to write (never replaced without --force).")
@force_option("Replace FILE if it exists.")
@with_context
def report_bundle(
    ctx: Context,
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
            fail(f"{option} is needed: {what}")
    assert hub and output  # fail() exits when either is missing
    target = Path(output).expanduser()
    check_target(target, force)
    _store_must_exist(ctx)
    widened = period.widened_words()
    if widened:
        click.echo(f"note: {widened}", err=True)
    with opened_store(ctx, readonly=True, writes_if=_needs_identity) as db:
        written = write_bundle(db, period, hub, target, clock=ctx.clock, force=force)
    click.echo(describe_written(written.path))
    click.echo(
        f"sealed for {literal(written.hub.name)} (fingerprint {written.hub.fingerprint}): "
        f"{period_words(period)}, {written.report.referrals_received} referrals, "
        f"{written.report.contacts_total} contacts, no names or identifiers"
    )


@click.group(name="hub")
@common_options
def hub_group() -> None:
    """The hub's side of a team: reports across every worker's bundle."""


@hub_group.command(name="report")
@click.argument("bundles", nargs=-1, metavar="BUNDLES_OR_FOLDER...")
@click.option("--format", "fmt", metavar="csv|json|md|html", help="Format.")
@output_option(
    "PATH", "File to write; for csv a folder (one file per table) or a name ending .zip."
)
@force_option("Replace files that exist.")
@with_context
def hub_report(
    ctx: Context, bundles: tuple[str, ...], fmt: str | None, output: str | None, force: bool
) -> None:
    """The team's commissioner report from the workers' bundles (files or folders).

    Run on the hub's own store, which holds the hub's key pair and each worker's key. Every
    bundle must be for this hub, signed by a kept key, unchanged, one a worker and for the
    same period; the first that is not is named and nothing is written. Disclosure control
    is applied to the team's figures and to each worker's, as in `export caseload`.
    """
    from linkworker.formats.writer import describe_written
    from linkworker.team.hub import bundle_files, export_team_report

    if not bundles:
        fail("name the bundles to combine (files, or a folder of them)")
    fmt_name, target = report_target(fmt, output, force)
    found = bundle_files(Path(b).expanduser() for b in bundles)
    if found.skipped:
        shown = ", ".join(literal(str(p)) for p in found.skipped[:5])
        more = f" and {len(found.skipped) - 5} more" if len(found.skipped) > 5 else ""
        click.echo(f"note: left out what is not a sealed file: {shown}{more}", err=True)
    _store_must_exist(ctx)
    settings, _ = ctx.settings()
    with opened_store(ctx, readonly=True) as db:
        written = export_team_report(
            db,
            found.files,
            (fmt_name, target),
            ctx.clock.today(),
            force=force,
            prepared_by=settings.signature(),
        )
    count = len(found.files)
    click.echo(f"combined {count} bundle{'' if count == 1 else 's'}", err=True)
    for path in written:
        click.echo(describe_written(path))
