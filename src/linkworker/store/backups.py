"""Backups and restore: SQLite's backup API, the store's own key, dated names, kept N.

Every backup is a whole, consistent copy taken with SQLite's backup API while the app may
be writing (it copies a snapshot), encrypted with the same passphrase as the store, written
to a temporary name and renamed, so a crash never leaves half a backup that looks whole.

Names are ``<store>-YYYYMMDD-HHMMSS-<kind>.db`` in ``paths.backup_dir(store)``:

- ``auto``: taken at start when the newest one is ``backup_every_days`` old; only the
  newest ``backups_to_keep`` of these are kept;
- ``manual``: ``linkworker backup`` (never deleted by linkworker);
- ``before-restore``: the store as it was, taken by ``linkworker restore`` first;
- ``before-encryption``: the store as it was when ``linkworker encrypt`` converted it.

Copies taken before a schema upgrade sit beside the store (db.py); they count as backups
when looking for the newest good one.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from linkworker import paths
from linkworker.store import driver, identity, ledger
from linkworker.store.db import (
    StoreError,
    WrongPassphrase,
    _sync_folder,
    backup_copy,
    connect,
    copy_privately,
    describe_fault,
    is_plain_sqlite,
    make_private_folder,
    partial_abandoned,
)
from linkworker.store.health import check_store

if TYPE_CHECKING:
    from sqlite_utils import Database

AUTO = "auto"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
BEFORE_ENCRYPTION = "before-encryption"
STAMP = "%Y%m%d-%H%M%S"
_STALE_PARTIAL = timedelta(days=1)


@dataclass(frozen=True)
class BackupFile:
    """One backup on disk."""

    path: Path
    taken: datetime
    kind: str


def backup_path(store: Path, kind: str, now: datetime) -> Path:
    """A new, unused dated name for a backup of ``store``."""
    folder = paths.backup_dir(store)
    base = f"{store.stem}-{now.strftime(STAMP)}-{kind}"
    candidate = folder / f"{base}.db"
    n = 2
    while candidate.exists():
        candidate = folder / f"{base}-{n}.db"
        n += 1
    return candidate


def _parse(store: Path, path: Path) -> BackupFile | None:
    stem = re.escape(store.stem)
    match = re.fullmatch(rf"{stem}-(\d{{8}}-\d{{6}})-([a-z-]+?)(?:-\d+)?\.db", path.name)
    if match:
        return BackupFile(path, datetime.strptime(match[1], STAMP), match[2])
    match = re.fullmatch(rf"{stem}\.before-migration-(\d{{8}}-\d{{6}})\.db", path.name)
    if match:
        return BackupFile(path, datetime.strptime(match[1], STAMP), "before-migration")
    return None


def list_backups(store: Path) -> list[BackupFile]:
    """Every backup linkworker made of ``store``, newest first."""
    found: list[BackupFile] = []
    folder = paths.backup_dir(store)
    candidates = list(folder.glob("*.db")) if folder.is_dir() else []
    candidates += list(store.parent.glob(f"{store.stem}.before-migration-*.db"))
    for path in candidates:
        parsed = _parse(store, path)
        if parsed:
            found.append(parsed)
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def take_backup(
    db: Database,
    store: Path,
    key: str | None,
    now: datetime,
    *,
    kind: str = MANUAL,
    output: Path | None = None,
) -> Path:
    """Write a backup of the open store ``db``; returns where it went.

    ``output`` must not exist (backups never overwrite a file). A full disk or a
    read-only folder raises :class:`StoreError` and leaves no partial file behind.
    """
    destination = output or backup_path(store, kind, now)
    if output is not None and output.exists():
        raise StoreError(f"{output}: already exists; choose another name (nothing was written)")
    try:
        return backup_copy(db, destination, key)
    except driver.DatabaseError as exc:
        raise StoreError(
            f"{destination}: the backup could not be written ({describe_fault(exc)}); "
            "your store is unchanged"
        ) from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StoreError(
            f"{destination.parent}: the backup could not be written ({reason}); "
            "your store is unchanged"
        ) from exc


def backup_due(store: Path, every_days: int, now: datetime) -> bool:
    """True when an automatic backup should be taken now (none yet, or the last is old)."""
    if every_days <= 0:
        return False
    autos = [b for b in list_backups(store) if b.kind == AUTO]
    if not autos:
        return True
    # Calendar days, so "daily" means the first start of each day.
    return (now.date() - autos[0].taken.date()).days >= every_days


def prune(store: Path, keep: int, now: datetime | None = None) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep`` (and day-old partial files)."""
    deleted: list[Path] = []
    autos = [b for b in list_backups(store) if b.kind == AUTO]
    for old in autos[max(keep, 1) :]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
            deleted.append(old.path)
    folder = paths.backup_dir(store)
    if folder.is_dir():
        moment = (now or datetime.now()).timestamp()
        for partial in folder.glob("*.partial"):
            with contextlib.suppress(OSError):
                if moment - partial.stat().st_mtime > _STALE_PARTIAL.total_seconds():
                    partial.unlink()
                    deleted.append(partial)
    return deleted


def clean_partials(store: Path) -> list[Path]:
    """Delete the temporary files killed backups left behind (none is being written).

    Called by the store's writer at start; a backup running meanwhile holds a lock on
    its temporary file (db.claim_partial), so it is never deleted under it.
    """
    deleted: list[Path] = []
    folder = paths.backup_dir(store)
    found = list(folder.glob("*.partial")) if folder.is_dir() else []
    found += list(store.parent.glob(f"{store.stem}.before-migration-*.partial"))
    for partial in found:
        if partial_abandoned(partial):
            with contextlib.suppress(OSError):
                partial.unlink()
                deleted.append(partial)
    return deleted


def automatic_backup(
    store: Path, key: str | None, every_days: int, keep: int, now: datetime
) -> Path | None:
    """Take the scheduled backup if one is due (own connection: safe in a thread)."""
    if not backup_due(store, every_days, now):
        return None
    db = connect(store, key, wal=False)
    try:
        taken = take_backup(db, store, key, now, kind=AUTO)
    finally:
        db.close()
    # The backup API copies pages as they are, damage included: a backup that fails its
    # check must not push the last good ones out.
    report = check_store(taken, key)
    if not report.ok:
        taken.unlink()
        raise StoreError(
            f"{store}: failed its check while being backed up ({report.problem}); no older "
            "backup was deleted. Run `linkworker check`"
        )
    prune(store, keep, now)
    return taken


def key_for(path: Path, key: str | None) -> str | None:
    """The key to open ``path`` with: none for a plain file, else the passphrase."""
    return None if is_plain_sqlite(path) else key


def newest_good_backup(store: Path, key: str | None) -> Path | None:
    """The newest backup of ``store`` that passes `check` (opened with ``key``)."""
    for backup in list_backups(store):
        use = key_for(backup.path, key)
        if use is None and not is_plain_sqlite(backup.path):
            continue  # encrypted, and no passphrase to check it with
        if check_store(backup.path, use).ok:
            return backup.path
    return None


def with_newest_backup(message: str, store: Path, key: str | None) -> str:
    """A fault message followed by the newest good backup (or that there is none)."""
    message = message.rstrip(".")
    folder = paths.backup_dir(store)
    try:
        good = newest_good_backup(store, key)
        found = list_backups(store)
    except (StoreError, OSError) as exc:
        return f"{message}. The backups in {folder} could not be checked ({exc})"
    if good:
        return f"{message}. Newest good backup: {good} (`linkworker restore {good}` puts it back)"
    unchecked = [b.path for b in found if key is None and not is_plain_sqlite(b.path)]
    if unchecked:
        # Encrypted backups cannot be checked without the passphrase: not "no good backup".
        return (
            f"{message}. Newest backup: {unchecked[0]} (encrypted, so it was not checked "
            f"without the passphrase; `linkworker check --backup {unchecked[0]}` checks it)"
        )
    if found:
        return f"{message}. None of the {len(found)} backups in {folder} passed its check"
    return f"{message}. No good backup found in {folder} (it holds none)"


# --- restore -------------------------------------------------------------------------


@dataclass
class Restored:
    """What a restore did."""

    store: Path
    source: Path
    previous: Path | None  # the backup of the store as it was (None: there was no store)
    previous_unreadable: bool = False


def _copy_raw(store: Path, destination: Path) -> Path:
    """Copy the bytes of a store that cannot be opened (and its journal) aside."""
    make_private_folder(destination.parent)
    partial = copy_privately(store, destination.with_name(destination.name + ".partial"))
    os.replace(partial, destination)
    wal = Path(f"{store}-wal")
    if wal.exists() and wal.stat().st_size:
        copy_privately(wal, Path(f"{destination}-wal"))
    return destination


def _release_journal(db: Database, store: Path) -> None:
    # Leaving WAL mode needs every other connection gone and folds the journal into the
    # file, so nothing stale can be replayed over the file that replaces it.
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()
    except driver.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(
                f"{store}: is in use by another program; close it and try again"
            ) from exc
        raise
    if not mode or str(mode[0]).lower() != "delete":
        raise StoreError(f"{store}: is in use by another program; close it and try again")


def restore(store: Path, source: Path, key: str | None, now: datetime) -> Restored:
    """Replace ``store`` with the backup ``source``; the caller holds the store's lock.

    Order: check ``source`` (integrity, a linkworker store, opens with ``key``, not from
    a newer linkworker); back up the current store (or copy its bytes aside if it cannot
    be opened); copy ``source`` to a temporary file beside the store and check it; rename
    it over the store in one atomic step. Any failure before the rename leaves the store
    exactly as it was.
    """
    source_key = key_for(source, key)
    if source_key is None and key is not None:
        raise StoreError(
            f"{source}: is not encrypted but your store is; restoring it would leave your "
            "caseload unencrypted (run `linkworker encrypt --db` on a copy of it first)"
        )
    report = check_store(source, source_key)
    if not report.ok:
        raise StoreError(f"cannot restore: {report.problem or f'{source} is not sound'}")
    previous: Path | None = None
    unreadable = False
    erased: list[ledger.Erasure] = []
    ours: str | None = None
    if store.exists() and store.stat().st_size:
        current_key = key_for(store, key)
        try:
            current = connect(store, current_key, wal=False)
        except (WrongPassphrase, StoreError):
            current = None
        if current is not None:
            try:
                erased = ledger.ledger(current)
                ours = identity.store_id(current)
                _release_journal(current, store)
                previous = take_backup(current, store, current_key, now, kind=BEFORE_RESTORE)
            except driver.DatabaseError:
                unreadable = True  # opens, but is damaged inside
            finally:
                current.close()
        else:
            unreadable = True
        if unreadable:
            previous = _copy_raw(store, backup_path(store, f"{BEFORE_RESTORE}-unreadable", now))
    temporary = store.with_name(store.name + ".restoring")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    origin = connect(source, source_key, wal=False)
    try:
        take_backup(origin, store, source_key, now, output=temporary)
    finally:
        origin.close()
    second = check_store(temporary, source_key)
    if not second.ok or second.counts != report.counts:
        temporary.unlink()
        raise StoreError(f"{source}: the copy did not match the backup; nothing was changed")
    _carry_on(temporary, source_key, erased, ours)
    for journal in (Path(f"{store}-wal"), Path(f"{store}-shm")):
        with contextlib.suppress(FileNotFoundError):
            journal.unlink()
    os.replace(temporary, store)
    _sync_folder(store.parent)
    return Restored(store=store, source=source, previous=previous, previous_unreadable=unreadable)


def _carry_on(copy: Path, key: str | None, erased: list[ledger.Erasure], ours: str | None) -> None:
    """Re-apply to the restored copy every erasure made since its backup was taken.

    The current store's ledger says which; the copy's own ledger which it has seen. The
    copy also keeps the store's id (a backup from before m006 has none), so the store's
    other backups are still recognised as its own.
    """
    db = connect(copy, key, wal=False)
    try:
        if ours is not None and identity.store_id(db) is None:
            with db.atomic():
                db.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                    [identity.STORE_ID_META, ours],
                )
        ledger.apply_erasures(db, erased)
    finally:
        db.close()
