"""Which files are copies of this store: its random id, carried into every backup.

Migration m006 (and the creation of every new store, which runs it) writes a random
``store_id`` into the store's ``meta`` table; SQLite's backup API copies it into every
backup. ``passphrase``, ``encrypt`` and erasure touch a file only when it opens (with the
store's passphrase, or as a plain file for an unencrypted store) and carries the same id:
another store's backups in the same folder and unrelated files are left alone, whatever
they are called.

A backup made before m006 has no id. It counts as this store's only when it is named as
linkworker names this store's backups and, if encrypted, starts with the store's own salt
(16 random bytes every backup of an encrypted store shares with it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from linkworker import paths
from linkworker.store.db import StoreError, connect, file_salt, is_plain_sqlite

if TYPE_CHECKING:
    from sqlite_utils import Database

STORE_ID_META = "store_id"


def store_id(db: Database) -> str | None:
    """The random id of the open store (None for a store made before m006)."""
    if not db["meta"].exists():
        return None
    row = db.execute("SELECT value FROM meta WHERE key = ?", [STORE_ID_META]).fetchone()
    return str(row[0]) if row else None


def candidate_files(store: Path) -> list[Path]:
    """Every file that could be a copy linkworker made: backups/*.db and migration copies."""
    folder = paths.backup_dir(store)
    found = sorted(folder.glob("*.db")) if folder.is_dir() else []
    found += sorted(store.parent.glob(f"{store.stem}.before-migration-*.db"))
    return [p for p in found if p.is_file() and p.resolve() != store.resolve()]


def _named_as_ours(store: Path, path: Path) -> bool:
    if path.parent == store.parent:
        return path.name.startswith(f"{store.stem}.before-migration-")
    return path.name.startswith(f"{store.stem}-")


def id_of_file(path: Path, key: str | None) -> str | None:
    """The store id a file carries (None: none recorded); StoreError when it does not open."""
    db = connect(path, key, wal=False)
    try:
        if not db["_sqlite_migrations"].exists():
            raise StoreError(f"{path}: is not a linkworker store")
        return store_id(db)
    finally:
        db.close()


def is_copy_of(
    store: Path, path: Path, ours: str | None, key: str | None, salt: bytes | None
) -> bool:
    """True when ``path`` opens with ``key`` and is a copy of the store whose id is ``ours``.

    ``key`` None means plain files only. Any file that does not open, is not a linkworker
    store, or carries another id is not ours.
    """
    if (key is None) != is_plain_sqlite(path):
        return False
    try:
        found = id_of_file(path, key)
    except StoreError:
        return False
    if found is not None:
        return ours is not None and found == ours
    if not _named_as_ours(store, path):
        return False
    return key is None or (salt is not None and file_salt(path) == salt)


def copies_of(store: Path, ours: str | None, key: str | None) -> list[Path]:
    """Every backup of this store that opens with ``key`` (plain ones when ``key`` is None)."""
    salt = file_salt(store) if key is not None else None
    return [p for p in candidate_files(store) if is_copy_of(store, p, ours, key, salt)]
