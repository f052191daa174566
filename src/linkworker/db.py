"""Opening the store: one function makes connections, one opens and migrates.

Every connection linkworker makes goes through :func:`connect`, so encryption, pragmas
and error handling live in one place. :func:`open_store` adds the checks that make a bad
file fail with one clear sentence (not ours, damaged, from a newer linkworker) and takes a
backup with SQLite's backup API before it migrates an existing store.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from linkworker import driver
from linkworker.migrations import known_names, migrations

BUSY_TIMEOUT_MS = 5000
MIGRATION_SET = "linkworker"


class StoreError(Exception):
    """The store cannot be opened or used; the message is one sentence for the user."""


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def connect(
    path: Path | str, key: str | None = None, *, readonly: bool = False, wal: bool = True
) -> Database:
    """Open one connection to ``path`` with linkworker's pragmas; encrypted when ``key`` is set.

    This is the only place a connection is made (encryption is one concern of it).
    """
    target = str(path)
    if readonly:
        target = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        conn = driver.dbapi2.connect(target, uri=readonly, check_same_thread=False)
    except driver.DatabaseError as exc:
        raise StoreError(f"{path}: cannot be opened ({exc})") from exc
    try:
        # SQLCipher's C code prints key errors straight to stderr, which would garble a TUI.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            conn.execute(f"PRAGMA key = {_quote(key)}")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Reading the schema is the first real access: a wrong key or a foreign file fails here.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        if wal and not readonly:
            _use_wal(conn, path)
        conn.execute("PRAGMA synchronous = NORMAL")
    except driver.DatabaseError as exc:
        conn.close()
        message = str(exc)
        if "not a database" in message or "encrypted" in message:
            hint = "the passphrase is wrong" if key is not None else "it may be encrypted"
            raise StoreError(
                f"{path}: is not a readable linkworker store (damaged, not a database, or {hint})"
            ) from exc
        raise StoreError(f"{path}: cannot be opened ({message})") from exc
    return Database(conn)


def _use_wal(conn: driver.Connection, path: Path | str) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode and str(mode[0]).lower() != "wal" and str(path) != ":memory:":
        raise StoreError(f"{path}: cannot switch to WAL journal mode (got {mode[0]})")


def is_linkworker_store(db: Database) -> bool:
    """True when the file carries linkworker's migration record."""
    if not db["_sqlite_migrations"].exists():
        return False
    row = db.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
    ).fetchone()
    return bool(row and row[0])


def applied_names(db: Database) -> list[str]:
    """Names of the linkworker migrations applied to this store."""
    return [m.name for m in migrations.applied(db)]


def backup_copy(db: Database, destination: Path, key: str | None = None) -> Path:
    """Copy a consistent snapshot of ``db`` to ``destination`` with SQLite's backup API.

    Written to a temporary name and renamed, so a crash never leaves half a backup that
    looks whole. The copy is encrypted with ``key`` (the same key as the store).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(destination.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    target = driver.dbapi2.connect(str(temporary))
    try:
        target.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            target.execute(f"PRAGMA key = {_quote(key)}")
        # One step: the paged form restarts forever under concurrent writes (MEASURED.md).
        db.conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        target.close()
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    target.close()
    os.replace(temporary, destination)
    return destination


def open_store(
    path: Path | str,
    key: str | None = None,
    *,
    create: bool = True,
    now: datetime | None = None,
) -> Database:
    """Open (and if need be create and migrate) the store at ``path``.

    Raises :class:`StoreError` with one clear sentence for a file that is not a linkworker
    store, is damaged, or was written by a newer linkworker. Before migrating an existing
    store that has pending migrations, a dated backup is written beside it.
    """
    path = Path(path)
    existed = path.exists() and path.stat().st_size > 0
    if not existed and not create:
        raise StoreError(f"{path}: no store here")
    if not existed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the folder ({exc.strerror})") from exc
    # WAL changes the file header, so it waits until the file is known to be ours.
    db = connect(path, key, wal=False)
    try:
        _check_and_migrate(db, path, existed, key, now or datetime.now())
        try:
            _use_wal(db.conn, path)
        except driver.DatabaseError as exc:
            raise StoreError(f"{path}: cannot be opened for writing ({exc})") from exc
    except BaseException:
        db.close()
        raise
    return db


def _check_and_migrate(
    db: Database, path: Path, existed: bool, key: str | None, now: datetime
) -> None:
    has_tables = bool(
        db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
    )
    if has_tables and not is_linkworker_store(db):
        raise StoreError(f"{path}: is an SQLite file but not a linkworker store")
    applied = applied_names(db) if has_tables else []
    unknown = [name for name in applied if name not in known_names()]
    if unknown:
        raise StoreError(
            f"{path}: was written by a newer linkworker (schema step {unknown[-1]}); "
            "upgrade linkworker to open it"
        )
    pending = migrations.pending(db)
    if not pending:
        return
    if existed and applied:
        stamp = now.strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.stem}.before-migration-{stamp}{path.suffix or '.db'}")
        backup_copy(db, backup, key)
    try:
        migrations.apply(db)
    except driver.DatabaseError as exc:
        raise StoreError(f"{path}: could not be upgraded ({exc}); the file is unchanged") from exc
    with db.atomic():
        db.table("meta").upsert({"key": "schema_updated_at", "value": now.isoformat()}, pk="key")
        if not existed or not applied:
            db.table("meta").upsert({"key": "created_at", "value": now.isoformat()}, pk="key")


def integrity_problems(db: Database, limit: int = 20) -> list[str]:
    """The lines `PRAGMA integrity_check` reports; empty when the file is sound."""
    rows = db.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    lines = [str(r[0]) for r in rows]
    return [] if lines == ["ok"] else lines


@contextlib.contextmanager
def store(path: Path | str, key: str | None = None) -> Iterator[Database]:
    """Open the store for the length of a block (CLI commands, workers)."""
    db = open_store(path, key)
    try:
        yield db
    finally:
        db.close()
