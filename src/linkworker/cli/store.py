"""The command line's side of store safety: passphrases, the writer lock, backups, restore.

- Every command gets the passphrase from ``LINKWORKER_PASSPHRASE`` or a hidden prompt; with
  neither (a script without the variable) it stops with one line, before touching the file.
- A new store needs a new passphrase (typed twice, checked for strength) or
  ``--unencrypted``.
- Commands that write hold the single-writer lock (storelock.py) for their whole run.
- ``backup``, ``restore``, ``passphrase`` and ``encrypt`` are defined here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Unpack

import click
from sqlite_utils import Database

from linkworker.cli.base import Context, StoreUse, fail, with_context
from linkworker.store import backups, journal, security, storelock
from linkworker.store.db import UNENCRYPTED, StoreError, WrongPassphrase, connect, open_store
from linkworker.store.kind import StoreKind, store_kind

PROMPT_ATTEMPTS = 3


def can_prompt() -> bool:
    """True when a person is at the keyboard (stdin is a terminal)."""
    return sys.stdin.isatty()


def _no_passphrase(path: Path) -> None:
    fail(
        f"{path}: is encrypted and no passphrase was given (set {security.PASSPHRASE_ENV} "
        "or run the command in a terminal)"
    )


def ask_passphrase(path: Path, attempt: int = 0) -> str:
    """The passphrase of an existing store: from the environment or a hidden prompt."""
    from_env = security.passphrase_from_env()
    if from_env is not None:
        return from_env
    if not can_prompt():
        _no_passphrase(path)
    label = "Passphrase" if attempt == 0 else "Passphrase (try again)"
    return str(click.prompt(f"{label} for {path}", hide_input=True, err=True))


def ask_new_passphrase(path: Path, env: str = security.PASSPHRASE_ENV) -> str:
    """A new passphrase: from ``env`` (scripts) or typed twice at a hidden prompt."""
    from_env = security.passphrase_from_env(env)
    if from_env is not None:
        problem = security.passphrase_problem(from_env)
        if problem:
            fail(f"{env}: {problem}")
        return from_env
    if not can_prompt():
        fail(
            f"{path}: a new passphrase is needed (set {env}, run the command in a terminal, "
            "or pass --unencrypted if your disk is already encrypted)"
        )
    click.echo(security.PASSPHRASE_RULE, err=True)
    click.echo(f"Warning: {security.LOST_PASSPHRASE_WARNING}", err=True)
    for _ in range(PROMPT_ATTEMPTS):
        first = str(click.prompt("New passphrase", hide_input=True, err=True))
        again = str(click.prompt("Type it again", hide_input=True, err=True))
        problem = security.new_passphrase_problem(first, again)
        if problem is None:
            return first
        click.echo(problem, err=True)
    fail("no passphrase was set; nothing was changed")
    raise AssertionError  # pragma: no cover - fail() exits


def key_to_read(ctx: Context, path: Path) -> str | None:
    """The key to read ``path`` (None for plain files, missing ones and non-databases)."""
    from linkworker.store.health import file_fault

    # A damaged plain header looks encrypted by its first bytes: never ask a passphrase
    # for a file the fault check already knows is not an encrypted store.
    if store_kind(path) is not StoreKind.ENCRYPTED or file_fault(path) is not None:
        return None
    if ctx.key is not None:
        return ctx.key
    ctx.key = ask_passphrase(path)
    return ctx.key


def _fault(message: str, store: Path, key: str | None) -> StoreError:
    return StoreError(backups.with_newest_backup(message, store, key))


def _unlock_store(ctx: Context, path: Path, *, readonly: bool) -> Database:
    """Open the encrypted store, asking again (in a terminal) after a wrong passphrase."""
    now = ctx.clock.now()
    attempts = PROMPT_ATTEMPTS if security.passphrase_from_env() is None else 1
    for attempt in range(attempts):
        key = ctx.key if ctx.key is not None else ask_passphrase(path, attempt)
        try:
            db = connect(path, key, readonly=True) if readonly else open_store(path, key, now=now)
        except WrongPassphrase as exc:
            ctx.key = None
            if attempt + 1 < attempts:
                click.echo("linkworker: wrong passphrase", err=True)
                continue
            raise _fault(str(exc), path, key) from exc
        except StoreError as exc:
            raise _fault(str(exc), path, key) from exc
        ctx.key = key
        return db
    raise StoreError(f"{path}: wrong passphrase")  # pragma: no cover - loop returns or raises


def _open_plain(ctx: Context, path: Path, *, readonly: bool) -> Database:
    try:
        if readonly:
            return connect(path, None, readonly=True)
        db = open_store(path, None, now=ctx.clock.now())
    except StoreError as exc:
        raise _fault(str(exc), path, None) from exc
    if security.encryption_record(db) != UNENCRYPTED:
        if ctx.unencrypted:
            security.record_unencrypted_choice(db, ctx.clock.now())
        else:
            click.echo(
                f"warning: {path} is not encrypted; `linkworker encrypt` converts it "
                "(or pass --unencrypted once to record that your disk is encrypted)",
                err=True,
            )
    return db


def _judge(ctx: Context, path: Path) -> StoreKind:
    """What is at ``path``; refuses (one line) a faulty file and an accidental new store."""
    from linkworker.store.health import file_fault

    fault = file_fault(path)
    if fault:
        raise _fault(fault, path, None)
    kind = store_kind(path)
    if kind is StoreKind.NOT_A_STORE:
        raise _fault(
            f"{path}: is not a readable linkworker store (damaged, or not a database)", path, None
        )
    if kind is StoreKind.MISSING:
        if backups.list_backups(path):
            # Its backups are there, so a store was expected: it was moved or deleted.
            raise _fault(f"{path}: the store is missing (nothing was created)", path, None)
        if not ctx.create:
            raise StoreError(
                f"{path}: no store here (check --db and `linkworker locate`; --create makes "
                "a new one)"
            )
    return kind


def _open_kind(ctx: Context, path: Path, kind: StoreKind, *, readonly: bool) -> Database:
    if kind is StoreKind.MISSING:
        if ctx.unencrypted:
            return open_store(path, None, now=ctx.clock.now())
        ctx.key = ask_new_passphrase(path)
        return open_store(path, ctx.key, now=ctx.clock.now())
    if kind is StoreKind.PLAIN:
        return _open_plain(ctx, path, readonly=readonly)
    return _unlock_store(ctx, path, readonly=readonly)


def _reader_must_write(
    db: Database, path: Path, writes_if: Callable[[Database], bool] | None
) -> bool:
    """True when a read-only command must take the writer's path after all."""
    from linkworker.store.migrations import known_names, migrations

    if not db["_sqlite_migrations"].exists():
        raise StoreError(f"{path}: is an SQLite file but not a linkworker store")
    unknown = [m.name for m in migrations.applied(db) if m.name not in known_names()]
    if unknown:
        raise StoreError(
            f"{path}: was written by a newer linkworker (schema step {unknown[-1]}); "
            "upgrade linkworker to open it"
        )
    # A store from an older linkworker is upgraded first (that writes, so it takes the lock).
    return bool(migrations.pending(db)) or (writes_if is not None and writes_if(db))


@contextmanager
def open_for_command(ctx: Context, **use: Unpack[StoreUse]) -> Iterator[Database]:
    """Open the context's store for one command (see the module docstring).

    A reader opens the file read-only and takes no lock, so it works beside the app; a
    writer takes the single-writer lock first. A new store is made only with --create.
    """
    path = ctx.store_path
    kind = _judge(ctx, path)
    # A missing store is made (--create): that writes, so it never opens as a reader.
    if use.get("readonly", False) and kind is not StoreKind.MISSING:
        db = _open_kind(ctx, path, kind, readonly=True)
        try:
            must_write = _reader_must_write(db, path, use.get("writes_if"))
        except BaseException:
            db.close()
            raise
        if not must_write:
            try:
                yield db
            finally:
                db.close()
            return
        db.close()
    try:
        lock = storelock.acquire(path, ctx.clock.now())
    except storelock.StoreBusy as exc:
        raise StoreError(f"{exc}; close it first (commands that only read still work)") from exc
    except StoreError as exc:  # a read-only folder, a full disk
        raise _fault(str(exc), path, None) from exc
    try:
        backups.clean_partials(path)  # left by killed backups; only the writer cleans
        db = _open_kind(ctx, path, kind, readonly=False)
        # A `passphrase` or `encrypt` a kill interrupted is finished (or undone) now.
        told = security.resume_interrupted(path, ctx.key)
        if told:
            click.echo(f"linkworker: {told}", err=True)
        try:
            yield db
        finally:
            db.close()
    finally:
        lock.release()


@contextmanager
def _writer_lock(ctx: Context, path: Path) -> Iterator[None]:
    """Hold the store's single-writer lock for a command that replaces the file itself."""
    try:
        lock = storelock.acquire(path, ctx.clock.now())
    except storelock.StoreBusy as exc:
        fail(f"{exc}; close it first")
        raise  # unreachable: fail() exits
    try:
        yield
    finally:
        lock.release()


def _existing_kind(path: Path) -> StoreKind:
    """What kind of store is at ``path``; fails if there is none (these commands never make one)."""
    kind = store_kind(path)
    if kind is StoreKind.MISSING:
        fail(f"{path}: no store here")
    return kind


# --- commands -------------------------------------------------------------------------


@click.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the backup here (it must not exist) instead of the backups folder.",
)
@with_context
def backup(ctx: Context, output: Path | None) -> None:
    """Back up the store now (safe while the app is open); encrypted like the store."""
    from linkworker.store.health import check_store

    path = ctx.store_path
    _existing_kind(path)
    with open_for_command(ctx, readonly=True) as db:
        written = backups.take_backup(db, path, ctx.key, ctx.clock.now(), output=output)
    report = check_store(written, ctx.key)
    if not report.ok:
        fail(f"{written}: the backup failed its check ({report.problem}); try again")
    kind = "encrypted" if ctx.key else "not encrypted"
    people = report.counts.get("people", 0)
    click.echo(f"backed up {path} to {written} ({kind}, {people} people, checked: ok)")


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (scripts).")
@with_context
def restore(ctx: Context, source: Path, yes: bool) -> None:
    """Replace the store with a backup (the current store is backed up first)."""
    from linkworker.store.health import check_store

    path = ctx.store_path
    if not source.exists():
        fail(f"{source}: no such file")
    if source.resolve() == path.resolve():
        fail(f"{source}: is the store itself; choose a backup")
    with _writer_lock(ctx, path):
        key = None
        if StoreKind.ENCRYPTED in (store_kind(path), store_kind(source)):
            key = ask_passphrase(path if store_kind(path) is StoreKind.ENCRYPTED else source)
        report = check_store(source, backups.key_for(source, key))
        if not report.ok:
            fail(f"cannot restore: {report.problem}")
        if not yes:
            if not can_prompt():
                fail("restore replaces your store: confirm in a terminal, or pass --yes")
            click.echo(
                f"This replaces {path} with {source} "
                f"({report.counts.get('people', 0)} people). The store as it is now is "
                "backed up first.",
                err=True,
            )
            answer = click.prompt("Type YES to restore", default="", show_default=False, err=True)
            if answer != "YES":
                fail("not restored; nothing was changed")
        done = backups.restore(path, source, key, ctx.clock.now())
    click.echo(f"restored {source} to {path}")
    if done.previous is not None:
        note = (
            " (it could not be opened, so its bytes were copied)"
            if done.previous_unreadable
            else ""
        )
        click.echo(f"the store as it was is kept at {done.previous}{note}")


@click.command()
@with_context
def passphrase(ctx: Context) -> None:
    """Change the store's passphrase (and its backups'); asks for the old one first."""
    path = ctx.store_path
    kind = _existing_kind(path)
    if kind is StoreKind.PLAIN:
        fail(f"{path}: is not encrypted; `linkworker encrypt` encrypts it with a passphrase")
    with open_for_command(ctx) as db:
        old = ctx.key or ""
        new = ask_new_passphrase(path, security.NEW_PASSPHRASE_ENV)
        change = security.change_passphrase(db, path, old, new)
    click.echo(f"changed the passphrase of {path}")
    if change.backups_rekeyed:
        click.echo(
            f"and of {len(change.backups_rekeyed)} backups in {change.backups_rekeyed[0].parent}"
        )
    for skipped, reason in change.backups_skipped:
        click.echo(f"warning: {skipped} keeps its old passphrase ({reason})", err=True)
    click.echo("copies kept elsewhere (backup --output) still open with the old passphrase")


@click.command()
@with_context
def encrypt(ctx: Context) -> None:
    """Encrypt an unencrypted store (and the backups linkworker made of it) in place."""
    path = ctx.store_path
    kind = _existing_kind(path)
    if kind is StoreKind.ENCRYPTED and journal.read_journal(path) is not None:
        # Rerun after a kill: the store was converted; its plain backups are finished now.
        with _writer_lock(ctx, path):
            told = security.resume_interrupted(path, ask_passphrase(path))
        click.echo(told or f"{path}: is encrypted; nothing was left to do")
        return
    if kind is not StoreKind.PLAIN:
        fail(f"{path}: is already encrypted (or is not a store)")
    with _writer_lock(ctx, path):
        new = ask_new_passphrase(path)
        done = security.encrypt_store(path, new, ctx.clock.now())
    click.echo(f"encrypted {path}; a copy as it was, encrypted, is kept at {done.backup}")
    if done.converted:
        click.echo(f"also encrypted {len(done.converted)} earlier plain backups")
    for left, reason in done.not_converted:
        click.echo(f"warning: {left} is still NOT encrypted ({reason})", err=True)
    click.echo(
        "exports you made and copies elsewhere are not changed; the disk's free space may "
        "still hold the old plain pages (full-disk encryption covers that)"
    )
