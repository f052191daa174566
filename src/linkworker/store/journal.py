"""The journal that makes `passphrase` and `encrypt` resumable to completion.

Both commands change the store and then every backup linkworker made of it. A kill (a
power cut, a closed lid) between the two used to leave backups on the old passphrase, or
plain, for good. Before the first file changes, the list of backups still to do is
written to ``<store>.backups-journal`` beside the store (0600, written to a temporary name,
flushed and renamed). It holds the operation's name, the store's random id and the backups'
paths: no passphrase, no key and no personal data. The next time the store is opened with
its passphrase (the app or any command), or when the command is run again, the work left
is finished and the journal removed (see security.resume_interrupted).

How each operation stays safe at every moment:

- ``passphrase``: first a copy of every backup keyed with the new passphrase is written
  beside it (``<backup>.rekeyed``, whole or not there), then the store is rekeyed (one
  SQLCipher transaction), then each copy is renamed over its backup. Until the store is
  rekeyed every backup still opens with the old passphrase; afterwards each one opens with
  the new passphrase, its ``.rekeyed`` copy with the new one. Never neither.
- ``encrypt``: the store is converted first (an encrypted copy renamed over it), then each
  plain backup is encrypted in place the same way. Once the store is encrypted the journal
  lists the plain backups left, and they are converted when the store is next opened.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from linkworker.store.db import StoreError, _sync_folder

PASSPHRASE = "passphrase"
ENCRYPT = "encrypt"
REKEYED_SUFFIX = ".rekeyed"


@dataclass
class Journal:
    """What an interrupted `passphrase` or `encrypt` has left to do."""

    operation: str
    store_id: str | None
    pending: list[Path] = field(default_factory=list)


def journal_path(store: Path) -> Path:
    """Where the journal of ``store`` lives (beside it)."""
    return store.with_name(store.name + ".backups-journal")


def rekeyed_path(backup: Path) -> Path:
    """The new-passphrase copy of ``backup`` written before the store is rekeyed."""
    return backup.with_name(backup.name + REKEYED_SUFFIX)


def write_journal(store: Path, journal: Journal) -> Path:
    """Write the journal durably (temporary name, fsync, rename; 0600)."""
    path = journal_path(store)
    temporary = path.with_name(path.name + ".partial")
    data = json.dumps(
        {
            "operation": journal.operation,
            "store_id": journal.store_id,
            "pending": [str(p) for p in journal.pending],
        }
    ).encode("utf-8")
    try:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise StoreError(
            f"{path}: could not be written ({exc.strerror or exc}); nothing was changed"
        ) from exc
    _sync_folder(path.parent)
    return path


def read_journal(store: Path) -> Journal | None:
    """The journal left by an interrupted operation, or None when there is none."""
    path = journal_path(store)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        operation = str(raw["operation"])
        pending = [Path(str(p)) for p in raw["pending"]]
        found = raw.get("store_id")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"{path}: is damaged; delete it and run `linkworker passphrase` or "
            "`linkworker encrypt` again"
        ) from exc
    if operation not in (PASSPHRASE, ENCRYPT):
        raise StoreError(f"{path}: names an operation linkworker does not know ({operation!r})")
    return Journal(operation, None if found is None else str(found), pending)


def remove_journal(store: Path) -> None:
    """The operation is complete: remove its journal (and a half-written one)."""
    path = journal_path(store)
    for leftover in (path, path.with_name(path.name + ".partial")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    _sync_folder(store.parent)


def remove_partials(backup: Path) -> None:
    """Delete the temporary files a killed copy of ``backup`` may have left."""
    for leftover in (
        backup.with_name(backup.name + ".partial"),
        rekeyed_path(backup).with_name(rekeyed_path(backup).name + ".partial"),
    ):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
