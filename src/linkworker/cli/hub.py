"""`linkworker hub report`: the hub's team report from every worker's bundle (a worker
writes one with `linkworker report bundle`, in :mod:`linkworker.cli.report`); see
linkworker.team."""

from __future__ import annotations

from pathlib import Path

import click

from linkworker.cli import base
from linkworker.cli.export import report_target, store_must_exist
from linkworker.display import literal


@click.group(name="hub")
@base.common_options
def hub_group() -> None:
    """The hub's side of a team: reports across every worker's bundle."""


@hub_group.command(name="report")
@click.argument("bundles", nargs=-1, metavar="BUNDLES_OR_FOLDER...")
@click.option("--format", "fmt", metavar="csv|json|md|html", help="Format.")
@base.output_option(
    "PATH", "File to write; for csv a folder (one file per table) or a name ending .zip."
)
@base.force_option("Replace files that exist.")
@base.with_context
def hub_report(
    ctx: base.Context, bundles: tuple[str, ...], fmt: str | None, output: str | None, force: bool
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
        base.fail("name the bundles to combine (files, or a folder of them)")
    fmt_name, target = report_target(fmt, output, force)
    found = bundle_files(Path(b).expanduser() for b in bundles)
    if found.skipped:
        shown = ", ".join(literal(str(p)) for p in found.skipped[:5])
        more = f" and {len(found.skipped) - 5} more" if len(found.skipped) > 5 else ""
        click.echo(f"note: left out what is not a sealed file: {shown}{more}", err=True)
    store_must_exist(ctx)
    settings, _ = ctx.settings()
    with base.opened_store(ctx, readonly=True) as db:
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
