"""Opening the store: one function makes connections, one opens and migrates.

Every connection linkworker makes goes through :func:`connect`, so encryption, pragmas
and error handling live in one place. :func:`open_store` adds the checks that make a bad
file fail with one clear sentence (not ours, damaged, from a newer linkworker) and takes a
backup with SQLite's backup API before it migrates an existing store.

Encryption: ``key`` is the user's passphrase. SQLCipher 4 turns a passphrase into a key
with PBKDF2-HMAC-SHA512 (256,000 rounds, ~100 ms) over the 16-byte salt at the start of
the file, on every connection. We run that same derivation once per passphrase and salt
(:func:`derive_key`) and hand SQLCipher the raw key plus the salt, so the app, its
workers and its backups pay the cost once, and the file still opens with the plain
passphrase in any SQLCipher 4 tool (``PRAGMA key = 'passphrase'``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from linkworker.store import driver

if TYPE_CHECKING:
    # sqlite-utils (and the migrations, which need it) load on first use: Today's first
    # paint reads through the driver alone (connect_raw, query).
    from sqlite_utils import Database

    #: What a read-only query runs on: the driver's connection or a sqlite-utils Database.
    Reads: TypeAlias = driver.Connection | Database

BUSY_TIMEOUT_MS = 5000
MIGRATION_SET = "linkworker"
ENCRYPTION_META = "encryption"  # meta row: how the store was created
ENCRYPTED = "sqlcipher"
UNENCRYPTED = "none"


# SQLCipher 4's defaults (PRAGMA kdf_iter, cipher_kdf_algorithm): keep them in step.
KDF_ITERATIONS = 256_000
KDF_HASH = "sha512"
KEY_BYTES = 32
SALT_BYTES = 16
SQLITE_MAGIC = b"SQLite format 3\x00"

_derived: dict[tuple[str, bytes], bytes] = {}
_derived_lock = threading.Lock()


class StoreError(Exception):
    """The store cannot be opened or used; the message is one sentence for the user."""


class StoreDamaged(StoreError):
    """The store opens but fails SQLite's integrity check: it may be read, never written."""


class WrongPassphrase(StoreError):
    """The file did not open with the passphrase given (or it is damaged or not a store)."""


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def file_salt(path: Path | str) -> bytes | None:
    """The SQLCipher salt (first 16 bytes) of an existing encrypted file, else None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SALT_BYTES)
    except OSError:
        return None
    if len(head) < SALT_BYTES or head == SQLITE_MAGIC:
        return None
    return head


def is_plain_sqlite(path: Path | str) -> bool:
    """True when the file starts with SQLite's plain-text header (it is not encrypted)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def derive_key(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's key for ``passphrase`` and ``salt``, derived once per process."""
    token = (passphrase, salt)
    with _derived_lock:
        known = _derived.get(token)
    if known is not None:
        return known
    import hashlib  # on first use: OpenSSL's set-up is ~2 ms of every start (issue 18)

    key = hashlib.pbkdf2_hmac(KDF_HASH, passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    with _derived_lock:
        _derived[token] = key
    return key


def forget_key(passphrase: str) -> None:
    """Drop every derived key of ``passphrase`` (wrong passphrases, changed passphrases)."""
    with _derived_lock:
        for token in [t for t in _derived if t[0] == passphrase]:
            del _derived[token]


def key_literal(passphrase: str, salt: bytes) -> str:
    """The raw-key form SQLCipher takes in PRAGMA key / rekey / ATTACH ... KEY."""
    return f"\"x'{derive_key(passphrase, salt).hex()}{salt.hex()}'\""


def new_salt() -> bytes:
    """A fresh random salt for a new encrypted file."""
    return os.urandom(SALT_BYTES)


def describe_fault(exc: BaseException) -> str:
    """A few words for the user about an SQLite error: full disk, read-only, damaged..."""
    message = str(exc)
    lowered = message.lower()
    if "disk is full" in lowered or "database or disk is full" in lowered:
        return "the disk is full"
    if "readonly" in lowered or "read-only" in lowered:
        return "the store or its folder is read-only"
    if "malformed" in lowered or "not a database" in lowered:
        return "the file is damaged"
    if "disk i/o error" in lowered:
        return "a disk error (the drive may be failing, full or removed)"
    if "unable to open" in lowered:
        return "the file cannot be opened (its folder is missing or read-only)"
    if "locked" in lowered or "busy" in lowered:
        return "another program is writing to the store"
    return message


def connect(
    path: Path | str, key: str | None = None, *, readonly: bool = False, wal: bool = True
) -> Database:
    """Open one connection to ``path`` with linkworker's pragmas; encrypted when ``key`` is set.

    ``key`` is the passphrase; a wrong one raises :class:`WrongPassphrase` and leaves
    the file untouched (nothing is written before the key has been checked).
    """
    from sqlite_utils import Database

    return Database(connect_raw(path, key, readonly=readonly, wal=wal))


def query(
    db: Reads, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> Iterator[dict[str, Any]]:
    """The rows of ``sql`` as dicts (as sqlite-utils' ``Database.query`` gives them), on the
    driver's connection or a Database alike."""
    cursor = db.execute(sql, params)
    keys = [column[0] for column in cursor.description or ()]
    for row in cursor:
        yield dict(zip(keys, row, strict=True))


def connect_raw(
    path: Path | str,
    key: str | None = None,
    *,
    readonly: bool = False,
    wal: bool = True,
    _immutable: bool = False,
) -> driver.Connection:
    """The driver's connection behind :func:`connect`: the only place a connection is made
    (encryption is one concern of it). Today is read through it, without sqlite-utils."""
    if key is not None and is_plain_sqlite(path):
        raise StoreError(f"{path}: is not encrypted, so it opens without a passphrase")
    target = str(path)
    if readonly:
        target = Path(path).resolve().as_uri() + (
            "?mode=ro&immutable=1" if _immutable else "?mode=ro"
        )
    try:
        conn = driver.dbapi2.connect(target, uri=readonly, check_same_thread=False)
    except driver.DatabaseError as exc:
        raise StoreError(f"{path}: cannot be opened ({describe_fault(exc)})") from exc
    salt = b""
    try:
        # SQLCipher's C code prints key errors straight to stderr, which would garble a TUI.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            salt = file_salt(path) or new_salt()
            conn.execute(f"PRAGMA key = {key_literal(key, salt)}")
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
            if key is not None:
                # The derived key stays cached: checking the backups with the same wrong
                # passphrase (same salt) then costs no second derivation.
                raise WrongPassphrase(
                    f"{path}: wrong passphrase (or the file is damaged or not a linkworker "
                    "store); nothing was changed"
                ) from exc
            raise StoreError(
                f"{path}: is not a readable linkworker store (damaged, not a database, or "
                "it may be encrypted)"
            ) from exc
        if readonly and not _immutable and "readonly" in message and _hot_journal(path):
            # A writer killed mid-transaction left a hot rollback journal: a read-only
            # connection cannot roll it back, and it is not the store that is read-only.
            # One ordinary connection rolls it back (SQLite does so only when no writer
            # holds the store), then the read goes ahead; in a truly read-only folder that
            # fails and the true reason is given.
            _roll_back_hot_journal(path, key)
            return connect_raw(path, key, readonly=True, wal=wal)
        if readonly and not _immutable and "unable to open" in message and _no_journal(path):
            # A WAL store in a read-only folder (a locked-down share, a backup on read-only
            # media): SQLite cannot create its -shm file, but with no -wal to read the main
            # file alone is the whole store, so read it as immutable.
            return connect_raw(path, key, readonly=True, wal=wal, _immutable=True)
        raise StoreError(f"{path}: cannot be opened ({describe_fault(exc)})") from exc
    return conn


def _hot_journal(path: Path | str) -> bool:
    return Path(f"{path}-journal").exists()


def _roll_back_hot_journal(path: Path | str, key: str | None) -> None:
    """Let SQLite roll back the hot journal a killed writer left (see connect)."""
    try:
        connect_raw(path, key, wal=False).close()  # the first read rolls the journal back
    except StoreError as exc:
        raise StoreError(
            f"{path}: a write interrupted by a crash must be rolled back before it can be "
            f"read, and that failed ({str(exc).removeprefix(f'{path}: ')})"
        ) from exc
    if _hot_journal(path):
        raise StoreError(
            f"{path}: a write interrupted by a crash could not be rolled back "
            "(is the store's folder read-only?)"
        )


def _no_journal(path: Path | str) -> bool:
    wal = Path(f"{path}-wal")
    return not wal.exists() or wal.stat().st_size == 0


def _use_wal(conn: driver.Connection, path: Path | str) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode and str(mode[0]).lower() != "wal" and str(path) != ":memory:":
        raise StoreError(f"{path}: cannot switch to WAL journal mode (got {mode[0]})")


def has_table(db: Reads, name: str) -> bool:
    """True when the store has a table ``name`` (on the driver's connection or a Database)."""
    found = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
    ).fetchone()
    return found is not None


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
    from linkworker.store.migrations import migrations

    return [m.name for m in migrations.applied(db)]


def first_column(db: Database, sql: str) -> list[str]:
    """The first column of every row ``sql`` returns, as text (names, towns, postcodes)."""
    return [str(r[0]) for r in db.execute(sql).fetchall()]


def row_by_id(db: Database, table: str, row_id: int, what: str) -> dict[str, Any]:
    """The row of ``table`` with this id; LookupError "no <what> with id N" when there is none."""
    rows = list(db.query(f"SELECT * FROM [{table}] WHERE id = ?", [row_id]))
    if not rows:
        raise LookupError(f"no {what} with id {row_id}")
    return rows[0]


def store_file(db: Database) -> Path | None:
    """The file behind an open connection (None for an in-memory database)."""
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def backup_copy(db: Database, destination: Path, key: str | None = None) -> Path:
    """Copy a consistent snapshot of ``db`` to ``destination`` with SQLite's backup API.

    Written to a temporary name and renamed, so a crash never leaves half a backup that
    looks whole. The copy is encrypted with ``key`` (the same key as the store, and the
    same salt, so opening a backup costs no second key derivation); the temporary file is
    keyed before the first page is copied, so no plaintext ever reaches the disk.
    """
    make_private_folder(destination.parent)
    temporary = destination.with_name(destination.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    source = store_file(db)
    # Made 0600 here (SQLite would follow the umask) and held with a lock for as long as it
    # is written, so clean_partials() can tell a killed backup's leftover from one running.
    claim = claim_partial(temporary)
    target = driver.dbapi2.connect(str(temporary))
    try:
        target.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            salt = (file_salt(source) if source else None) or new_salt()
            target.execute(f"PRAGMA key = {key_literal(key, salt)}")
        # One step: the paged form restarts forever under concurrent writes (MEASURED.md).
        db.conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        target.close()
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        os.close(claim)
        raise
    target.close()
    os.replace(temporary, destination)
    os.close(claim)
    _sync_folder(destination.parent)
    return destination


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def make_private_folder(folder: Path) -> None:
    """Make ``folder`` (and missing folders above it) readable by the worker alone (0700).

    A folder that exists already is left as it is: it may be shared on purpose.
    """
    if folder.is_dir():
        return
    if not folder.parent.is_dir():
        make_private_folder(folder.parent)
    try:
        folder.mkdir(mode=PRIVATE_FOLDER)
    except FileExistsError:
        if not folder.is_dir():
            reason = os.strerror(errno.ENOTDIR)
            raise NotADirectoryError(errno.ENOTDIR, reason, str(folder)) from None
    with contextlib.suppress(OSError):
        os.chmod(folder, PRIVATE_FOLDER)  # mkdir's mode is cut by the umask


def make_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 whatever the umask, before SQLite opens it.

    SQLite gives a database's -wal and -shm files the mode of the database file, so
    they are 0600 too. An existing file is left alone.
    """
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    with contextlib.suppress(OSError):
        os.fchmod(handle, PRIVATE_FILE)
    os.close(handle)


def copy_privately(source: Path, destination: Path) -> Path:
    """Copy the bytes of ``source`` to ``destination``, made 0600 whatever the umask."""
    with contextlib.suppress(FileNotFoundError):
        destination.unlink()
    make_private_file(destination)
    shutil.copyfile(source, destination)  # writes into the file made above: keeps its mode
    return destination


def claim_partial(path: Path) -> int:
    """Create the temporary file ``path`` (0600) and hold a lock on it; close to let go."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    with contextlib.suppress(OSError):
        os.fchmod(handle, PRIVATE_FILE)
    if os.name == "posix":
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def partial_abandoned(path: Path) -> bool:
    """True when no process is writing the temporary file ``path`` (it was left by a kill)."""
    if os.name != "posix":  # pragma: no cover - Windows: judge by age instead
        import time

        try:
            return time.time() - path.stat().st_mtime > 3600
        except OSError:
            return False
    import fcntl

    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a backup is writing it now
    finally:
        os.close(handle)
    return True


def _sync_folder(folder: Path) -> None:
    # A rename is durable only once the folder itself is flushed (POSIX; no-op elsewhere).
    if os.name != "posix":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


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
            make_private_folder(path.parent)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the folder ({exc.strerror})") from exc
        try:
            make_private_file(path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot be created ({exc.strerror})") from exc
    # WAL changes the file header, so it waits until the file is known to be ours.
    return check_opened(connect_raw(path, key, wal=False), path, key, existed=existed, now=now)


def check_opened(
    conn: driver.Connection,
    path: Path | str,
    key: str | None,
    *,
    existed: bool = True,
    now: datetime | None = None,
) -> Database:
    """:func:`open_store`'s checks on a ``connect_raw(wal=False)`` connection (closed when one
    fails): refuse a damaged store, one not ours or from a newer linkworker; back up and
    migrate an older one; switch to WAL. The app runs them right after Today's first paint."""
    from sqlite_utils import Database

    path = Path(path)
    db = Database(conn)
    try:
        if existed:
            _refuse_damaged(db, path)
        _check_and_migrate(db, path, existed, key, now or datetime.now())
        try:
            _use_wal(db.conn, path)
        except driver.DatabaseError as exc:
            raise StoreError(f"{path}: cannot be opened for writing ({exc})") from exc
    except BaseException:
        db.close()
        if not existed:
            # Never leave the empty file made above: it would read as a lost store.
            with contextlib.suppress(OSError):
                if path.stat().st_size == 0:
                    path.unlink()
        raise
    return db


def _refuse_damaged(db: Database, path: Path) -> None:
    # A damaged store must not be written: a write can spread the damage, and an import
    # would put new work where it may be lost. (About 1 ms for every 300 people: MEASURED.md.)
    try:
        problems = integrity_problems(db)
    except driver.DatabaseError as exc:
        problems = [str(exc)]
    if problems:
        raise StoreDamaged(
            f"{path}: is damaged (integrity check: {problems[0]}), so nothing can be saved "
            "to it; it can still be opened read-only"
        )


def _check_and_migrate(
    db: Database, path: Path, existed: bool, key: str | None, now: datetime
) -> None:
    from linkworker.store import handed_over
    from linkworker.store.migrations import known_names, migrations

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
        # A later step may rewrite every row; a handed-over record must not block it.
        with handed_over.guard_suspended(db):
            migrations.apply(db)
    except driver.DatabaseError as exc:
        raise StoreError(f"{path}: could not be upgraded ({exc}); the file is unchanged") from exc
    with db.atomic():
        db.table("meta").upsert({"key": "schema_updated_at", "value": now.isoformat()}, pk="key")
        if not existed or not applied:
            db.table("meta").upsert({"key": "created_at", "value": now.isoformat()}, pk="key")
            # Written once, at creation: how this store was made. A store opened without
            # a key was created unencrypted on purpose (the app and CLI only do that after
            # --unencrypted); see security.py for how the choice is shown and checked.
            kind = ENCRYPTED if key is not None else UNENCRYPTED
            db.table("meta").upsert({"key": ENCRYPTION_META, "value": kind}, pk="key")


def integrity_problems(db: Database, limit: int = 20) -> list[str]:
    """The lines `PRAGMA integrity_check` reports; empty when the file is sound."""
    rows = db.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    lines = [line for r in rows for line in str(r[0]).splitlines()]
    if lines == ["ok"]:
        return []
    # One finding a line, without SQLite's "*** in database main ***" headings.
    return [line.strip() for line in lines if line.strip() and not line.startswith("***")]


@contextlib.contextmanager
def store(path: Path | str, key: str | None = None) -> Iterator[Database]:
    """Open the store for the length of a block (CLI commands, workers)."""
    db = open_store(path, key)
    try:
        yield db
    finally:
        db.close()


def __getattr__(name: str) -> Any:
    # ``from linkworker.store.db import Database`` keeps working, without importing
    # sqlite-utils along with this module (the start path reads through the driver).
    if name == "Database":
        from sqlite_utils import Database

        return Database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
