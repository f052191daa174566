"""Encryption at rest: what kind of store a file is, passphrases, rekeying, converting.

The store is an SQLCipher 4 database whose key is the user's passphrase (see db.py for how
the key is derived once). An unencrypted store exists only by an explicit choice
(``--unencrypted`` when it is created), recorded in the store's ``meta`` table as
``encryption = none``. A plain file *without* that record was made before linkworker
encrypted stores (or by hand): it opens, with a warning and an offer to encrypt it.

For an unencrypted store the idle lock cannot use the store's passphrase (there is none),
so it uses a separate *lock passphrase*, kept only as a salted scrypt hash in ``meta``.
Without one, the idle lock closes linkworker instead of locking it (see README, Security).

Nothing here imports Textual: the app, the CLI and the tests share these functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path

from sqlite_utils import Database

from linkworker import paths
from linkworker.store import driver
from linkworker.store.db import (
    ENCRYPTED,
    ENCRYPTION_META,
    UNENCRYPTED,
    StoreError,
    _sync_folder,
    connect,
    describe_fault,
    file_salt,
    first_column,
    forget_key,
    integrity_problems,
    is_linkworker_store,
    is_plain_sqlite,
    key_literal,
    new_salt,
)

PASSPHRASE_ENV = "LINKWORKER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "LINKWORKER_NEW_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 5
LOCK_HASH_META = "lock_passphrase"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1

PASSPHRASE_RULE = (
    f"At least {MIN_PASSPHRASE_LENGTH} characters (spaces count), {MIN_DISTINCT_CHARACTERS} or "
    "more of them different. Three or four random words, such as 'kettle orbit meadow "
    "sparrow', are strong and easy to type."
)

LOST_PASSPHRASE_WARNING = (
    "A lost passphrase cannot be recovered: nobody can recover your caseload, not your IT "
    "team, not linkworker's developers. Keep it in your organisation's password manager, "
    "never on a note with the laptop. Backups use the same passphrase."
)


class StoreKind(Enum):
    """What a file on disk is, judged from its first bytes only (no key needed)."""

    MISSING = "missing"  # no file yet (or an empty one): a new store
    PLAIN = "plain"  # a readable SQLite file: an unencrypted store (or not ours)
    ENCRYPTED = "encrypted"  # anything else of a database's size: SQLCipher (or damaged)
    NOT_A_STORE = "not a store"  # not a whole number of pages: cannot be a database


def store_kind(path: Path) -> StoreKind:
    """Tell a missing, plain, encrypted or impossible file apart without a key."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return StoreKind.MISSING
    if size == 0:
        return StoreKind.MISSING
    if is_plain_sqlite(path):
        return StoreKind.PLAIN
    # Every SQLite and SQLCipher file is a whole number of pages (512 bytes or more).
    if size % 512:
        return StoreKind.NOT_A_STORE
    return StoreKind.ENCRYPTED


def passphrase_problem(passphrase: str) -> str | None:
    """Why ``passphrase`` is too weak for a store, or None when it will do."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return (
            f"passphrase: too short ({len(passphrase)} characters; at least "
            f"{MIN_PASSPHRASE_LENGTH} needed)"
        )
    if len(set(passphrase)) < MIN_DISTINCT_CHARACTERS:
        return (
            f"passphrase: too repetitive (at least {MIN_DISTINCT_CHARACTERS} different "
            "characters needed)"
        )
    if passphrase != passphrase.strip():
        return "passphrase: starts or ends with a space (easy to mistype; remove it)"
    return None


def new_passphrase_problem(passphrase: str, again: str) -> str | None:
    """The check for a passphrase typed twice: strong enough and the same both times."""
    problem = passphrase_problem(passphrase)
    if problem:
        return problem
    if not hmac.compare_digest(passphrase.encode(), again.encode()):
        return "passphrase: the two entries differ; type the same passphrase twice"
    return None


def passphrase_from_env(name: str = PASSPHRASE_ENV) -> str | None:
    """The passphrase scripts pass in the environment, if any."""
    value = os.environ.get(name)
    return value if value else None


def same_passphrase(typed: str, known: str) -> bool:
    """Compare passphrases in constant time."""
    return hmac.compare_digest(typed.encode("utf-8"), known.encode("utf-8"))


# --- what kind of store is open -------------------------------------------------------


def encryption_record(db: Database) -> str | None:
    """The ``encryption`` meta row: 'sqlcipher', 'none', or None for an older plain store."""
    if not db["meta"].exists():
        return None
    row = db.execute("SELECT value FROM meta WHERE key = ?", [ENCRYPTION_META]).fetchone()
    return str(row[0]) if row else None


def record_unencrypted_choice(db: Database, now: datetime) -> None:
    """Remember that the user chose an unencrypted store (``--unencrypted``)."""
    with db.atomic():
        db.table("meta").upsert({"key": ENCRYPTION_META, "value": UNENCRYPTED}, pk="key")
        db.table("meta").upsert(
            {"key": "unencrypted_chosen_at", "value": now.isoformat(timespec="seconds")},
            pk="key",
        )


def describe_encryption(encrypted: bool, record: str | None) -> str:
    """One phrase for the header and `linkworker check`."""
    if encrypted:
        return "encrypted"
    if record == UNENCRYPTED:
        return "not encrypted (by choice)"
    return "NOT ENCRYPTED"


# --- the lock passphrase of an unencrypted store -----------------------------------------


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )


def set_lock_passphrase(db: Database, passphrase: str) -> None:
    """Store a salted scrypt hash (never the passphrase) that unlocks the idle lock."""
    problem = passphrase_problem(passphrase)
    if problem:
        raise ValueError(problem)
    salt = secrets.token_bytes(16)
    value = (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${_scrypt(passphrase, salt).hex()}"
    )
    with db.atomic():
        db.table("meta").upsert({"key": LOCK_HASH_META, "value": value}, pk="key")


def has_lock_passphrase(db: Database) -> bool:
    """True when an unencrypted store has a lock passphrase set."""
    if not db["meta"].exists():
        return False
    row = db.execute("SELECT 1 FROM meta WHERE key = ?", [LOCK_HASH_META]).fetchone()
    return row is not None


def check_lock_passphrase(db: Database, passphrase: str) -> bool:
    """True when ``passphrase`` matches the stored lock passphrase hash."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [LOCK_HASH_META]).fetchone()
    if not row:
        return False
    try:
        scheme, n, r, p, salt_hex, digest_hex = str(row[0]).split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            passphrase.encode("utf-8"),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))


# --- changing the passphrase -----------------------------------------------------------


@dataclass
class PassphraseChange:
    """What changing the passphrase touched."""

    backups_rekeyed: list[Path] = field(default_factory=list)
    backups_skipped: list[tuple[Path, str]] = field(default_factory=list)


def rekey_file(db: Database, path: Path, new_passphrase: str) -> None:
    """Re-encrypt every page of the open database ``db`` (at ``path``) with a new passphrase.

    SQLCipher rewrites the pages in one transaction, so a crash leaves the old key or the
    new one, never a mixture. The salt is kept, which keeps backups cheap to open.
    """
    salt = file_salt(path)
    if salt is None:
        raise StoreError(f"{path}: is not encrypted, so it has no passphrase to change")
    try:
        db.execute(f"PRAGMA rekey = {key_literal(new_passphrase, salt)}")
        # Prove the new key reads the file before anyone relies on it.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver.DatabaseError as exc:
        raise StoreError(f"{path}: the passphrase was not changed ({describe_fault(exc)})") from exc


def change_passphrase(
    db: Database, store_path: Path, old_passphrase: str, new_passphrase: str
) -> PassphraseChange:
    """Rekey the open store, then every backup in its backups folder that the old one opens.

    Backups are rekeyed too, so a passphrase changed because it leaked no longer opens
    any copy linkworker keeps. Copies elsewhere (``backup --output``) keep the old one.
    """
    problem = passphrase_problem(new_passphrase)
    if problem:
        raise ValueError(problem)
    if same_passphrase(new_passphrase, old_passphrase):
        raise ValueError("passphrase: the new passphrase is the same as the old one")
    rekey_file(db, store_path, new_passphrase)
    result = PassphraseChange()
    folder = paths.backup_dir(store_path)
    candidates = sorted(folder.glob("*.db")) if folder.is_dir() else []
    candidates += sorted(store_path.parent.glob(f"{store_path.stem}.before-migration-*"))
    for backup in candidates:
        if store_kind(backup) is not StoreKind.ENCRYPTED:
            continue
        try:
            other = connect(backup, old_passphrase, wal=False)
        except StoreError as exc:
            result.backups_skipped.append((backup, str(exc)))
            continue
        try:
            rekey_file(other, backup, new_passphrase)
            result.backups_rekeyed.append(backup)
        except StoreError as exc:
            result.backups_skipped.append((backup, str(exc)))
        finally:
            other.close()
    forget_key(old_passphrase)
    return result


# --- converting an unencrypted store ------------------------------------------------------


@dataclass
class Conversion:
    """What `linkworker encrypt` did."""

    store: Path
    backup: Path
    converted: list[Path] = field(default_factory=list)
    not_converted: list[tuple[Path, str]] = field(default_factory=list)


def _table_counts(db: Database) -> dict[str, int]:
    names = first_column(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE '%_fts_%' ORDER BY name",
    )
    return {n: int(db.execute(f"SELECT count(*) FROM [{n}]").fetchone()[0]) for n in names}


def encrypted_copy(
    plain: Path, destination: Path, passphrase: str, salt: bytes | None = None
) -> Path:
    """Write an encrypted copy of the plain database ``plain`` to ``destination``.

    Uses ``sqlcipher_export`` into a file keyed *before* the first page is written (so no
    plaintext lands on disk), to a temporary name, verified (integrity and the same row
    counts) before it is renamed into place.
    """
    temporary = destination.with_name(destination.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    source = connect(plain, None, wal=False)
    try:
        before = _table_counts(source)
        version = int(source.execute("PRAGMA user_version").fetchone()[0])
        literal = key_literal(passphrase, salt or new_salt())
        path_literal = "'" + str(temporary).replace("'", "''") + "'"
        source.execute(f"ATTACH DATABASE {path_literal} AS encrypted KEY {literal}")
        try:
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute(f"PRAGMA encrypted.user_version = {version}")
        finally:
            source.execute("DETACH DATABASE encrypted")
    except driver.DatabaseError as exc:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise StoreError(f"{plain}: could not be encrypted ({describe_fault(exc)})") from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    finally:
        source.close()
    check = connect(temporary, passphrase, wal=False)
    try:
        problems = integrity_problems(check)
        after = _table_counts(check)
    finally:
        check.close()
    if problems or after != before:
        temporary.unlink()
        raise StoreError(f"{plain}: the encrypted copy did not match the original; nothing changed")
    os.replace(temporary, destination)
    _sync_folder(destination.parent)
    return destination


def _plain_copies_of(store: Path) -> list[Path]:
    """Plain linkworker files linkworker itself wrote beside the store and in backups/."""
    found = list(store.parent.glob(f"{store.stem}.before-migration-*"))
    folder = paths.backup_dir(store)
    if folder.is_dir():
        found += [p for p in folder.glob("*.db")]
    return sorted(p for p in found if store_kind(p) is StoreKind.PLAIN)


def encrypt_store(store: Path, passphrase: str, now: datetime) -> Conversion:
    """Convert the unencrypted store at ``store`` to an encrypted one, in place.

    The caller holds the store's lock and has no connection open on it. Steps: fold the
    journal (-wal) into the file; write an encrypted copy beside it; check it; rename it
    over the plain file (one atomic step). The plain backups linkworker wrote (automatic
    backups, copies taken before migrations) are then converted the same way, so no
    plaintext copy linkworker made is left behind. Blocks the plain files once held may
    still be readable from the disk's free space: only full-disk encryption covers that.
    """
    problem = passphrase_problem(passphrase)
    if problem:
        raise ValueError(problem)
    if store_kind(store) is not StoreKind.PLAIN:
        raise StoreError(f"{store}: is not an unencrypted store, so there is nothing to convert")
    plain = connect(store, None, wal=False)
    try:
        if not is_linkworker_store(plain):
            raise StoreError(f"{store}: is an SQLite file but not a linkworker store")
        problems = integrity_problems(plain)
        if problems:
            raise StoreError(f"{store}: is damaged ({problems[0]}); restore a backup first")
        # Everything committed moves from the -wal into the file, so the copy sees it all
        # and no stale -wal can be replayed over the encrypted file afterwards.
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        plain.execute("PRAGMA journal_mode = DELETE").fetchone()
    except driver.DatabaseError as exc:
        raise StoreError(f"{store}: could not be prepared ({describe_fault(exc)})") from exc
    finally:
        plain.close()
    for leftover in (Path(f"{store}-wal"), Path(f"{store}-shm")):
        if leftover.exists() and leftover.stat().st_size and leftover.name.endswith("-wal"):
            raise StoreError(f"{store}: its journal could not be folded in; is it open elsewhere?")
    salt = new_salt()
    from linkworker.store.backups import (
        BEFORE_ENCRYPTION,
        backup_path,
    )  # backups imports this module's peers

    backup = backup_path(store, BEFORE_ENCRYPTION, now)
    backup.parent.mkdir(parents=True, exist_ok=True)
    converted_store = encrypted_copy(
        store, store.with_name(store.name + ".encrypting"), passphrase, salt
    )
    marked = connect(converted_store, passphrase, wal=False)
    try:
        with marked.atomic():
            marked.table("meta").upsert({"key": ENCRYPTION_META, "value": ENCRYPTED}, pk="key")
            marked.table("meta").upsert(
                {"key": "encrypted_at", "value": now.isoformat(timespec="seconds")}, pk="key"
            )
    finally:
        marked.close()
    # The backup kept is the encrypted copy itself (keeping the plain original would
    # defeat the conversion): the same pages, copied byte for byte before the swap.
    partial = backup.with_name(backup.name + ".partial")
    shutil.copyfile(converted_store, partial)
    os.replace(partial, backup)
    for leftover in (Path(f"{store}-wal"), Path(f"{store}-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    os.replace(converted_store, store)
    _sync_folder(store.parent)
    result = Conversion(store=store, backup=backup)
    for copy in _plain_copies_of(store):
        try:
            encrypted_copy(copy, copy, passphrase, salt)
            result.converted.append(copy)
        except StoreError as exc:
            result.not_converted.append((copy, str(exc)))
    return result
