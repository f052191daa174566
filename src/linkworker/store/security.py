"""Encryption at rest: passphrases, rekeying, converting (what kind of store a file is: kind.py).

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
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from linkworker.store import driver, identity, journal
from linkworker.store.db import (
    ENCRYPTED,
    ENCRYPTION_META,
    UNENCRYPTED,
    StoreError,
    _sync_folder,
    backup_copy,
    connect,
    copy_privately,
    describe_fault,
    file_salt,
    first_column,
    forget_key,
    has_table,
    integrity_problems,
    is_linkworker_store,
    key_literal,
    make_private_file,
    make_private_folder,
    new_salt,
)
from linkworker.store.kind import StoreKind as StoreKind
from linkworker.store.kind import store_kind as store_kind

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.store.db import Reads

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
    if not same_passphrase(passphrase, again):
        return "passphrase: the two entries differ; type the same passphrase twice"
    return None


def passphrase_from_env(name: str = PASSPHRASE_ENV) -> str | None:
    """The passphrase scripts pass in the environment, if any."""
    value = os.environ.get(name)
    return value if value else None


def same_passphrase(typed: str, known: str) -> bool:
    """Compare passphrases in constant time."""
    # hashlib, hmac and secrets load on first use here: OpenSSL's set-up is ~2 ms of every
    # start, before Today's first paint (issue 18).
    import hmac

    return hmac.compare_digest(typed.encode("utf-8"), known.encode("utf-8"))


# --- what kind of store is open -------------------------------------------------------


def encryption_record(db: Reads) -> str | None:
    """The ``encryption`` meta row: 'sqlcipher', 'none', or None for an older plain store."""
    if not has_table(db, "meta"):
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
    import hashlib

    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )


def set_lock_passphrase(db: Database, passphrase: str) -> None:
    """Store a salted scrypt hash (never the passphrase) that unlocks the idle lock."""
    problem = passphrase_problem(passphrase)
    if problem:
        raise ValueError(problem)
    import secrets

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
        import hashlib
        import hmac

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
    """Rekey the open store and every backup of THIS store that the old passphrase opens.

    Backups are rekeyed too, so a passphrase changed because it leaked no longer opens
    any copy linkworker keeps. Only files carrying this store's id are touched (another
    store's backups in the folder and unrelated files are left alone); copies elsewhere
    (``backup --output``) keep the old passphrase. Resumable: see journal.py for the order
    that keeps every backup openable with one of the two passphrases at every moment.
    """
    problem = passphrase_problem(new_passphrase)
    if problem:
        raise ValueError(problem)
    if same_passphrase(new_passphrase, old_passphrase):
        raise ValueError("passphrase: the new passphrase is the same as the old one")
    ours = identity.store_id(db)
    copies = identity.copies_of(store_path, ours, old_passphrase)
    journal.write_journal(store_path, journal.Journal(journal.PASSPHRASE, ours, copies))
    result = PassphraseChange()
    prepared: list[Path] = []
    for backup in copies:
        try:
            _write_rekeyed(backup, old_passphrase, new_passphrase)
            prepared.append(backup)
        except StoreError as exc:
            result.backups_skipped.append((backup, str(exc)))
    try:
        rekey_file(db, store_path, new_passphrase)
    except StoreError:
        _discard_rekeyed(copies)
        journal.remove_journal(store_path)
        raise
    result.backups_rekeyed = _swap_rekeyed(prepared)
    journal.remove_journal(store_path)
    forget_key(old_passphrase)
    return result


def _write_rekeyed(backup: Path, old_passphrase: str, new_passphrase: str) -> None:
    """Write ``<backup>.rekeyed``: the same pages under the new passphrase, checked."""
    journal.remove_partials(backup)
    target = journal.rekeyed_path(backup)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    source = connect(backup, old_passphrase, wal=False)
    try:
        backup_copy(source, target, new_passphrase)
    except (driver.DatabaseError, OSError) as exc:
        raise StoreError(f"{backup}: could not be rekeyed ({describe_fault(exc)})") from exc
    finally:
        source.close()
    check = connect(target, new_passphrase, wal=False)
    try:
        problems = integrity_problems(check)
    finally:
        check.close()
    if problems:
        target.unlink()
        raise StoreError(f"{backup}: the rekeyed copy failed its check ({problems[0]})")


def _swap_rekeyed(backups: list[Path]) -> list[Path]:
    """Rename each prepared ``.rekeyed`` copy over its backup (one atomic step each)."""
    swapped: list[Path] = []
    for backup in backups:
        copy = journal.rekeyed_path(backup)
        if copy.exists():
            os.replace(copy, backup)
            swapped.append(backup)
        journal.remove_partials(backup)
    if backups:
        _sync_folder(backups[0].parent)
    return swapped


def _discard_rekeyed(backups: list[Path]) -> None:
    for backup in backups:
        with contextlib.suppress(FileNotFoundError):
            journal.rekeyed_path(backup).unlink()
        journal.remove_partials(backup)


def _opens_with(path: Path, key: str) -> bool:
    try:
        connect(path, key, wal=False).close()
    except StoreError:
        return False
    return True


def resume_interrupted(store: Path, key: str | None) -> str | None:
    """Finish (or safely undo) a `passphrase` or `encrypt` a kill interrupted.

    Called whenever the store has been opened with ``key`` (its passphrase, None for a
    plain store): by the app at start and by every command. Returns one sentence for the
    user about what was done, or None when nothing was left to do.
    """
    left = journal.read_journal(store)
    if left is None:
        return None
    if left.operation == journal.PASSPHRASE:
        return _resume_passphrase(store, key, left)
    return _resume_encrypt(store, key, left)


def _resume_passphrase(store: Path, key: str | None, left: journal.Journal) -> str | None:
    if key is None:
        return None  # not opened with a passphrase: nothing can be decided yet
    prepared = [b for b in left.pending if journal.rekeyed_path(b).exists()]
    if prepared and not _opens_with(journal.rekeyed_path(prepared[0]), key):
        # The store still has the passphrase typed (it was not yet rekeyed), and so has
        # every backup: the new-passphrase copies are dropped; the change never happened.
        _discard_rekeyed(left.pending)
        journal.remove_journal(store)
        return (
            "an interrupted passphrase change was undone: the store and its backups keep the "
            "passphrase you typed; run `linkworker passphrase` again to change it"
        )
    swapped = _swap_rekeyed(left.pending)
    journal.remove_journal(store)
    if not swapped:
        return (
            "an interrupted passphrase change was tidied up; every backup opens as the store does"
        )
    return (
        f"finished an interrupted passphrase change: {len(swapped)} backups now open with "
        "the store's passphrase"
    )


def _resume_encrypt(store: Path, key: str | None, left: journal.Journal) -> str | None:
    for stale in (store.with_name(store.name + ".encrypting"),):
        journal.remove_partials(stale)
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    if key is None or store_kind(store) is not StoreKind.ENCRYPTED:
        return (
            f"{store}: an interrupted `linkworker encrypt` had not yet converted the store; "
            "it and its backups are still NOT encrypted: run `linkworker encrypt` again"
        )
    salt = file_salt(store)
    converted, failed = _encrypt_copies(left.pending, key, salt)
    if failed:
        journal.write_journal(store, journal.Journal(journal.ENCRYPT, left.store_id, failed))
        return (
            f"{len(failed)} backups of {store} are still NOT encrypted (first: {failed[0]}); "
            "they are tried again at the next start"
        )
    journal.remove_journal(store)
    return f"finished an interrupted `linkworker encrypt`: {len(converted)} more backups encrypted"


def _encrypt_copies(
    copies: list[Path], passphrase: str, salt: bytes | None
) -> tuple[list[Path], list[Path]]:
    """Encrypt each plain copy in place; the ones done and the ones that failed."""
    converted: list[Path] = []
    failed: list[Path] = []
    for copy in copies:
        journal.remove_partials(copy)
        if not copy.exists() or store_kind(copy) is not StoreKind.PLAIN:
            continue  # done before the interruption (or gone)
        try:
            encrypted_copy(copy, copy, passphrase, salt)
            converted.append(copy)
        except StoreError:
            failed.append(copy)
    return converted, failed


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
    make_private_file(temporary)  # 0600 before SQLite fills it (it would follow the umask)
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


def encrypt_store(store: Path, passphrase: str, now: datetime) -> Conversion:
    """Convert the unencrypted store at ``store`` to an encrypted one, in place.

    The caller holds the store's lock and has no connection open on it. Steps: fold the
    journal (-wal) into the file; list the plain backups of THIS store (by its id) in the
    resume journal (journal.py); write an encrypted copy beside the store; check it; rename
    it over the plain file (one atomic step); keep a copy of it as the before-encryption
    backup; then encrypt each listed backup the same way, so no plaintext copy linkworker
    made is left behind (a kill is finished at the next start). Blocks the plain files once
    held may still be readable from the disk's free space: only full-disk encryption
    covers that.
    """
    problem = passphrase_problem(passphrase)
    if problem:
        raise ValueError(problem)
    if store_kind(store) is not StoreKind.PLAIN:
        raise StoreError(f"{store}: is not an unencrypted store, so there is nothing to convert")
    ours = _prepare_plain(store)
    from linkworker.store.backups import (
        BEFORE_ENCRYPTION,
        backup_path,
    )  # backups imports this module's peers

    copies = identity.copies_of(store, ours, None)
    salt = new_salt()
    converting = store.with_name(store.name + ".encrypting")
    journal.write_journal(store, journal.Journal(journal.ENCRYPT, ours, copies))
    converted_store = encrypted_copy(store, converting, passphrase, salt)
    marked = connect(converted_store, passphrase, wal=False)
    try:
        with marked.atomic():
            marked.table("meta").upsert({"key": ENCRYPTION_META, "value": ENCRYPTED}, pk="key")
            marked.table("meta").upsert(
                {"key": "encrypted_at", "value": now.isoformat(timespec="seconds")}, pk="key"
            )
    finally:
        marked.close()
    for leftover in (Path(f"{store}-wal"), Path(f"{store}-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    os.replace(converted_store, store)
    _sync_folder(store.parent)
    # The backup kept is the encrypted store itself (keeping the plain original would
    # defeat the conversion): the same pages, copied byte for byte after the swap.
    backup = backup_path(store, BEFORE_ENCRYPTION, now)
    make_private_folder(backup.parent)
    partial = copy_privately(store, backup.with_name(backup.name + ".partial"))
    os.replace(partial, backup)
    result = Conversion(store=store, backup=backup)
    result.converted, failed = _encrypt_copies(copies, passphrase, salt)
    result.not_converted = [
        (p, "could not be encrypted; tried again at the next start") for p in failed
    ]
    if failed:
        journal.write_journal(store, journal.Journal(journal.ENCRYPT, ours, failed))
    else:
        journal.remove_journal(store)
    return result


def _prepare_plain(store: Path) -> str | None:
    """Check the plain store and fold its -wal into the file; returns its store id."""
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
        ours = identity.store_id(plain)
    except driver.DatabaseError as exc:
        raise StoreError(f"{store}: could not be prepared ({describe_fault(exc)})") from exc
    finally:
        plain.close()
    wal = Path(f"{store}-wal")
    if wal.exists() and wal.stat().st_size:
        raise StoreError(f"{store}: its journal could not be folded in; is it open elsewhere?")
    return ours
