"""The `linkworker` command. Bare, it opens the TUI; subcommands serve scripts and cron jobs.

``--db PATH`` and ``--today YYYY-MM-DD`` are accepted before or after the subcommand name
(``linkworker --db X check`` and ``linkworker check --db X`` both work). Failures print one
line naming what is wrong and exit non-zero; no traceback reaches the user. This is the only
module of the CLI that opens the TUI.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from linkworker import __version__, paths
from linkworker.cli import (
    agenda,
    care,
    directory,
    export,
    gaps,
    handover,
    hub,
    people,
    plans,
    report,
    store,
    team,
)
from linkworker.cli.base import (
    Context,
    common_options,
    fail,
    force_option,
    handle_errors,
    json_option,
    opened_store,
    pass_context,
    with_context,
)
from linkworker.settings import load_settings


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="linkworker")
@common_options
@click.pass_context
def main(click_ctx: click.Context) -> None:
    """linkworker: a social prescribing link worker's caseload, offline.

    With no command, opens the app on your store.
    """
    click_ctx.ensure_object(Context)
    if click_ctx.invoked_subcommand is None:
        _run_tui(click_ctx.obj)


@handle_errors
def _run_tui(ctx: Context) -> None:
    from linkworker.store.security import passphrase_from_env
    from linkworker.tui.app import LinkWorkerApp

    settings, warnings = ctx.settings()
    app = LinkWorkerApp(
        store_path=ctx.store_path,
        clock=ctx.clock,
        settings=settings,
        warnings=warnings,
        key=passphrase_from_env(),
        unencrypted=ctx.unencrypted,
        ask_name_into=paths.settings_path(),
    )
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@main.command()
@common_options
@pass_context
def locate(ctx: Context) -> None:
    """Print where the store, settings and backups are."""
    store = ctx.store_path
    click.echo(f"store:    {store}")
    click.echo(f"settings: {paths.settings_path()}")
    click.echo(f"backups:  {paths.backup_dir(store)}")


@main.command()
@json_option("Print a JSON object instead of text.")
@click.option(
    "--backup",
    "backup_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check this backup file instead of the store (same as --db FILE).",
)
@with_context
def check(ctx: Context, as_json: bool, backup_file: Path | None) -> None:
    """Check the store (or a backup): integrity, schema version, encryption and counts."""
    from linkworker.cli.store import key_to_read
    from linkworker.store.backups import with_newest_backup
    from linkworker.store.health import check_store

    path = backup_file or ctx.store_path
    key = key_to_read(ctx, path)
    report = check_store(path, key)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    if not report.ok:
        problem = report.problem or "the store is not sound"
        if backup_file is None and path.exists():
            problem = with_newest_backup(problem, path, key)
        fail(problem)


@main.command()
@click.option(
    "--people",
    default=250,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="How many people to generate.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@force_option("Replace the people already in the store.")
@with_context
def demo(ctx: Context, people: int, seed: int, force: bool) -> None:
    """Write a realistic, deterministic demo caseload (fictional people)."""
    from linkworker.demo import write_demo

    if ctx.db_path is None:
        fail("demo needs --db PATH, so a demo never lands in your real caseload", 2)
    today = ctx.today or date.today()
    ctx.create = True  # a demo store is made on purpose (--db is required above)
    with opened_store(ctx) as db:
        counts = write_demo(db, people=people, seed=seed, today=today, force=force)
    parts = ", ".join(f"{n} {table}" for table, n in counts.items())
    click.echo(f"wrote a demo caseload to {ctx.store_path} (today {today.isoformat()}): {parts}")


@main.command(name="settings")
@common_options
def settings_command() -> None:
    """Show every setting, its value and what it does."""
    from linkworker.settings import describe

    current, warnings = load_settings(paths.settings_path())
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"# {paths.settings_path()}")
    for name, default, description in describe():
        value = getattr(current, name)
        click.echo(f"{name} = {value!r}    # {description} (default {default!r})")


for command in (
    agenda.agenda,
    directory.directory_group,
    export.export,
    gaps.gaps,
    gaps.population,
    report.report,
    hub.hub_group,
    people.people,
    people.referrals,
    plans.plan,
    plans.outcomes,
    plans.measure,
    store.backup,
    store.restore,
    store.passphrase,
    store.encrypt,
    team.identity,
    team.contacts,
    handover.handover,
    care.visits_group,
    care.supervision_group,
    care.community_group,
):
    main.add_command(command)
