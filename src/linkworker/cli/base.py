"""What every command shares: the context, --db/--today, one-line failures, opening the store.

``--db PATH`` and ``--today YYYY-MM-DD`` are accepted before or after the subcommand name
(``linkworker --db X check`` and ``linkworker check --db X`` both work). Failures print one
line naming what is wrong and exit non-zero; no traceback reaches the user.
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypedDict, TypeVar, Unpack

import click

from linkworker import paths
from linkworker.clock import Clock
from linkworker.store import driver
from linkworker.store.db import StoreError, describe_fault
from linkworker.validation import (
    FIRST_YEAR,
    LAST_YEAR,
    ValidationError,
    check_year,
    escape_controls_in_json,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    """What every command needs: where the store is and what day it is."""

    db_path: Path | None = None
    today: date | None = None
    unencrypted: bool = False  # --unencrypted: the explicit choice of a plain new store
    create: bool = False  # --create: make a new store if there is none (never by accident)
    key: str | None = None  # the store's passphrase once opened_store has checked it

    @property
    def store_path(self) -> Path:
        return self.db_path or paths.default_store_path()

    @property
    def clock(self) -> Clock:
        return Clock(fixed_date=self.today)

    def settings(self) -> tuple[Settings, list[str]]:
        """The settings file, validated (pydantic is imported here, on first use)."""
        from linkworker.settings import load_settings

        return load_settings(paths.settings_path())


#: A record's id as a command takes it: a whole number from 1 that SQLite can hold (a
#: larger one would fail as a number too large, not as "no such record").
RECORD_ID = click.IntRange(min=1, max=2**63 - 1)


def date_in_range(name: str, value: date) -> date:
    """``value``, or ValueError naming ``name`` when it is outside the years the core allows
    (validation.FIRST_YEAR..LAST_YEAR)."""
    try:
        return check_year(value)
    except ValidationError as exc:
        raise ValueError(f"{name}: {exc}") from None


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD") from None
    try:
        return date_in_range("--today", parsed)
    except ValueError as exc:
        raise click.BadParameter(str(exc).removeprefix("--today: ")) from None


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
    elif param.name == "create" and value:
        state.create = True
    return value


# The options every command takes, outermost first in --help; each is recorded on the
# shared Context by _remember rather than passed to the command.
_COMMON_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "--create",
        {
            "is_flag": True,
            "default": None,
            "help": "Make a new store at --db if there is none (without it a command never "
            "creates one, so a mistyped --db is refused).",
        },
    ),
    (
        "--unencrypted",
        {
            "is_flag": True,
            "default": None,
            "help": "Create a NEW store without encryption (only where the disk is already "
            "encrypted).",
        },
    ),
    (
        "--db",
        {
            "type": click.Path(dir_okay=False),
            "help": "The store to use (default: see `linkworker locate`).",
        },
    ),
    (
        "--today",
        {
            "metavar": "YYYY-MM-DD",
            "help": "Treat this date as today (demos, tests, reproducible output).",
        },
    ),
)


def common_options(func: F) -> F:
    """Add --db and --today to a command (and record them on the shared Context)."""
    for name, settings in reversed(_COMMON_OPTIONS):
        func = click.option(name, expose_value=False, callback=_remember, **settings)(func)
    return func


def force_option(help: str) -> Callable[[F], F]:
    """``--force``: replace what a command would otherwise refuse to overwrite."""
    return click.option("--force", is_flag=True, help=help)


def output_option(metavar: str, help: str) -> Callable[[F], F]:
    """``--output``: where a command writes instead of printing (its help says what goes there)."""
    return click.option("--output", metavar=metavar, help=help)


def file_options(flag: str) -> Callable[[F], F]:
    """``flag`` FILE (write there instead of printing) and --force (replace it if it exists)."""

    def add(func: F) -> F:
        func = click.option(
            "--force", "replace", is_flag=True, help=f"With {flag}: replace the file if it exists."
        )(func)
        return click.option(
            flag,
            "out",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to this file instead of printing (refuses to replace an existing file).",
        )(func)

    return add


def print_or_write(text: str, out: Path | None, replace: bool, what: str) -> None:
    """Print ``text``, or write it to ``out`` (replacing a file only with ``replace``)."""
    from linkworker.formats import writer

    if out is None:
        click.echo(text, nl=False)
        return
    written = writer.write_text(out, text, force=replace)
    click.echo(f"wrote {what} to {written}")


def json_option(help: str) -> Callable[[F], F]:
    """``--json``: print machine-readable JSON (the command receives it as ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def fail(message: str, code: int = 1) -> None:
    """Print one line to stderr and exit non-zero (what the user gave is shown literally)."""
    from linkworker.display import literal

    click.echo(f"linkworker: {literal(message, single_line=False)}", err=True)
    sys.exit(code)


class PicturedStream:
    """A text stream that shows control characters as pictures (ESC as ␛) before writing.

    Click's own messages (a bad option value, an unknown command) repeat what was typed;
    they are shown through this so no escape code typed or pasted reaches the terminal.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from linkworker.display import literal

        return self._stream.write(literal(text, single_line=False))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()


def _reader_went_away() -> None:
    # `linkworker agenda | head -1`: the reader closed the pipe, which is not an error.
    # Point stdout at /dev/null so the interpreter's last flush cannot complain either.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
    sys.exit(0)


def handle_errors(func: F) -> F:
    """Turn the errors a user can cause into one line and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            _reader_went_away()
        except StoreError as exc:
            fail(str(exc))
        except (LookupError, ValueError) as exc:
            fail(str(exc))
        except OverflowError:
            # A date so far off that counting from it leaves the calendar.
            fail(f"a date is out of range (give dates between {FIRST_YEAR} and {LAST_YEAR})")
        except OSError as exc:
            fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        except driver.DatabaseError as exc:
            # A write that failed (full disk, read-only file) is rolled back whole.
            fail(f"the store could not be used: {describe_fault(exc)}; nothing was half-written")
        return None

    return wrapper  # type: ignore[return-value]


class StoreUse(TypedDict, total=False):
    """How a command uses the store: ``readonly`` (default False) and ``writes_if``."""

    readonly: bool
    writes_if: Callable[[Database], bool] | None


@contextmanager
def opened_store(ctx: Context, **use: Unpack[StoreUse]) -> Iterator[Database]:
    """Open the context's store for one command.

    Asks for the passphrase (hidden prompt or LINKWORKER_PASSPHRASE; a new store needs
    one and --create). A command that only reads passes ``readonly``: it opens the store
    read-only without the single-writer lock, so it works while the app is open (WAL lets
    it read while the app writes). ``writes_if`` tells a reader that must write once (a
    first-run step not yet done) to take the lock after all. Writers hold the lock for
    the command's length (cli/store.py).
    """
    from linkworker.cli.store import open_for_command

    with open_for_command(ctx, **use) as db:
        yield db


pass_context: Callable[[Callable[..., Any]], Callable[..., Any]] = click.make_pass_decorator(
    Context, ensure=True
)


def with_context(func: F) -> F:
    """The usual command: --db/--today/--unencrypted, the Context as first argument, and
    the errors a user can cause as one line and a non-zero exit."""
    return common_options(pass_context(handle_errors(func)))  # type: ignore[return-value]


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON, non-ASCII letters kept, every control escaped.

    json.dumps escapes C0 controls itself; DEL and the C1 controls (which some terminals
    obey as escape codes) are written as \\u escapes too, so stored text never reaches the
    terminal raw.
    """
    text = json.dumps(value, indent=2, ensure_ascii=False)
    click.echo(escape_controls_in_json(text))
