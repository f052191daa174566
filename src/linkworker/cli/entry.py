"""The `linkworker` command. Bare, it opens the TUI; subcommands serve scripts and cron jobs.

``--db PATH`` and ``--today YYYY-MM-DD`` are accepted before or after the subcommand name
(``linkworker --db X check`` and ``linkworker check --db X`` both work). Failures print one
line naming what is wrong and exit non-zero; no traceback reaches the user. This is the only
module of the CLI that opens the TUI.
"""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

import click

from linkworker import __version__, paths
from linkworker.cli.base import (
    Context,
    PicturedStream,
    common_options,
    fail,
    force_option,
    handle_errors,
    json_option,
    opened_store,
    pass_context,
    with_context,
)

#: The command groups and commands of the other modules, each imported when it is run (or
#: listed in --help): a bare `linkworker`, which opens the app, then imports none of them,
#: and with them neither pydantic's models nor sqlite-utils before Today is painted.
LAZY_COMMANDS: dict[str, str] = {  # name: the command's import path, as click's docs do
    "agenda": "linkworker.cli.agenda.agenda",
    "directory": "linkworker.cli.directory.directory_group",
    "export": "linkworker.cli.export.export",
    "gaps": "linkworker.cli.gaps.gaps",
    "population": "linkworker.cli.gaps.population",
    "report": "linkworker.cli.report.report",
    "hub": "linkworker.cli.hub.hub_group",
    "people": "linkworker.cli.people.people",
    "referrals": "linkworker.cli.people.referrals",
    "plan": "linkworker.cli.plans.plan",
    "outcomes": "linkworker.cli.plans.outcomes",
    "measure": "linkworker.cli.plans.measure",
    "backup": "linkworker.cli.store.backup",
    "restore": "linkworker.cli.store.restore",
    "passphrase": "linkworker.cli.store.passphrase",
    "encrypt": "linkworker.cli.store.encrypt",
    "identity": "linkworker.cli.team.identity",
    "contacts": "linkworker.cli.team.contacts",
    "handover": "linkworker.cli.handover.handover",
    "visits": "linkworker.cli.care.visits_group",
    "supervision": "linkworker.cli.care.supervision_group",
    "community": "linkworker.cli.care.community_group",
}


class LazyGroup(click.Group):
    """The `linkworker` group: its own commands, and :data:`LAZY_COMMANDS` on first use.

    Run as a command (standalone), click's own error messages go through
    :class:`PicturedStream`, as :func:`fail`'s do through ``literal``.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.ClickException as exc:
            # A file-like enough for click's echo, which only writes, flushes and asks isatty.
            exc.show(file=cast("IO[str]", PicturedStream(sys.stderr)))
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        # As click's standalone mode: --help and --version come back as their exit code.
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, _, name = LAZY_COMMANDS[cmd_name].rpartition(".")
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
    from linkworker import start_up
    from linkworker.store.security import passphrase_from_env

    key = passphrase_from_env()
    # The collector held and Today's agenda read in a child while the app is imported.
    started = start_up.before_the_app(ctx.store_path, ctx.clock, paths.settings_path(), key)
    from linkworker.tui.app import LinkWorkerApp

    # The settings are read raw for Today's first paint and validated right after it.
    app = LinkWorkerApp(
        store_path=ctx.store_path,
        clock=ctx.clock,
        settings_file=paths.settings_path(),
        key=key,
        unencrypted=ctx.unencrypted,
        ask_name_into=paths.settings_path(),
        **started,
    )
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@main.command()
@common_options
@pass_context
def locate(ctx: Context) -> None:
    """Print where the store, settings, backups and cache are."""
    store = ctx.store_path
    click.echo(f"store:    {store}")
    click.echo(f"settings: {paths.settings_path()}")
    click.echo(f"backups:  {paths.backup_dir(store)}")
    click.echo(f"cache:    {paths.cache_dir()}")


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
    from linkworker.settings import describe, load_settings

    current, warnings = load_settings(paths.settings_path())
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"# {paths.settings_path()}")
    for name, default, description in describe():
        value = getattr(current, name)
        click.echo(f"{name} = {value!r}    # {description} (default {default!r})")

