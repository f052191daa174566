"""The `linkworker` command. Bare, it opens the TUI; subcommands serve scripts and cron jobs.

``--db PATH`` and ``--today YYYY-MM-DD`` are accepted before or after the subcommand name
(``linkworker --db X check`` and ``linkworker check --db X`` both work). Failures print one
line naming what is wrong and exit non-zero; no traceback reaches the user.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlite_utils import Database

from linkworker import __version__, paths
from linkworker.clock import Clock
from linkworker.db import StoreError, describe_fault
from linkworker.driver import DatabaseError
from linkworker.settings import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    """What every command needs: where the store is and what day it is."""

    db_path: Path | None = None
    today: date | None = None
    unencrypted: bool = False  # --unencrypted: the explicit choice of a plain new store
    key: str | None = None  # the store's passphrase once opened_store has checked it

    @property
    def store_path(self) -> Path:
        return self.db_path or paths.default_store_path()

    @property
    def clock(self) -> Clock:
        return Clock(fixed_date=self.today)

    def settings(self) -> tuple[Settings, list[str]]:
        return load_settings(paths.settings_path())


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    # The same option may come before or after the subcommand; the later one wins.
    if value is None:
        return value
    state = ctx.ensure_object(Context)
    if param.name == "db":
        state.db_path = Path(value).expanduser()
    elif param.name == "today":
        state.today = _parse_today(ctx, param, value)
    elif param.name == "unencrypted" and value:
        state.unencrypted = True
    return value


def common_options(func: F) -> F:
    """Add --db and --today to a command (and record them on the shared Context)."""
    func = click.option(
        "--today",
        metavar="YYYY-MM-DD",
        expose_value=False,
        callback=_remember,
        help="Treat this date as today (demos, tests, reproducible output).",
    )(func)
    func = click.option(
        "--db",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_remember,
        help="The store to use (default: see `linkworker locate`).",
    )(func)
    func = click.option(
        "--unencrypted",
        is_flag=True,
        default=None,
        expose_value=False,
        callback=_remember,
        help="Create a NEW store without encryption (only where the disk is already encrypted).",
    )(func)
    return func


def fail(message: str, code: int = 1) -> None:
    """Print one line to stderr and exit non-zero."""
    click.echo(f"linkworker: {message}", err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Turn the errors a user can cause into one line and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StoreError as exc:
            fail(str(exc))
        except (LookupError, ValueError) as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        except DatabaseError as exc:
            # A write that failed (full disk, read-only file) is rolled back whole.
            fail(f"the store could not be used: {describe_fault(exc)}; nothing was half-written")
        return None

    return wrapper  # type: ignore[return-value]


@contextmanager
def opened_store(ctx: Context, *, readonly: bool = False) -> Iterator[Database]:
    """Open the context's store for one command.

    Asks for the passphrase (hidden prompt or LINKWORKER_PASSPHRASE; a new store needs
    one, or --unencrypted), and, unless ``readonly``, holds the store's single-writer lock
    for the command's length (cli_security.py).
    """
    from linkworker.cli_security import open_for_command

    with open_for_command(ctx, readonly=readonly) as db:
        yield db


# Annotated so that mypy can type cli_<area> modules, which import it while cli.py imports them.
pass_context: Callable[[Callable[..., Any]], Callable[..., Any]] = click.make_pass_decorator(
    Context, ensure=True
)


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
    from linkworker.app import LinkWorkerApp
    from linkworker.security import passphrase_from_env

    settings, warnings = ctx.settings()
    app = LinkWorkerApp(
        store_path=ctx.store_path,
        clock=ctx.clock,
        settings=settings,
        warnings=warnings,
        key=passphrase_from_env(),
        unencrypted=ctx.unencrypted,
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
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@click.option(
    "--backup",
    "backup_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check this backup file instead of the store (same as --db FILE).",
)
@common_options
@pass_context
@handle_errors
def check(ctx: Context, as_json: bool, backup_file: Path | None) -> None:
    """Check the store (or a backup): integrity, schema version, encryption and counts."""
    from linkworker.backups import with_newest_backup
    from linkworker.cli_security import key_to_read
    from linkworker.health import check_store

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
@click.option("--force", is_flag=True, help="Replace the people already in the store.")
@common_options
@pass_context
@handle_errors
def demo(ctx: Context, people: int, seed: int, force: bool) -> None:
    """Write a realistic, deterministic demo caseload (fictional people)."""
    from linkworker.demo import write_demo

    if ctx.db_path is None:
        fail("demo needs --db PATH, so a demo never lands in your real caseload", 2)
    today = ctx.today or date.today()
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


# --- subcommands registered by feature modules ---
# Each module adds its commands to `main` when imported; importing them here (rather than
# `from ... import command`) lets either module be imported first without a cycle failing.
from linkworker import (  # noqa: E402, F401
    cli_agenda,
    cli_directory,
    cli_export,
    cli_people,
    cli_plans,
    cli_security,
)
