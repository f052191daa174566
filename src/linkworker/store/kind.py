"""What kind of store a file is, judged from its first bytes alone (no key, no driver).

Its own module, apart from :mod:`linkworker.store.security` (which re-exports it), so
that the start can judge a store before anything of the driver or of encryption loads
(:func:`linkworker.followups.early.begin`, issue 18).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from linkworker.store.db import is_plain_sqlite


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
