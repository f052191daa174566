"""Backups and restore: consistent, encrypted, dated, pruned; restore is checked and atomic."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from linkworker import paths
from linkworker.store.backups import (
    AUTO,
    automatic_backup,
    backup_due,
    backup_path,
    list_backups,
    newest_good_backup,
    prune,
    restore,
    take_backup,
    with_newest_backup,
)
from linkworker.store.db import Database, StoreError, WrongPassphrase, connect, open_store
from linkworker.store.health import check_store
from linkworker.store.kind import StoreKind, store_kind

NOW = datetime(2026, 11, 23, 9, 0)
Dump = Callable[[Database], dict[str, list[tuple[object, ...]]]]


def corrupt(path: Path) -> None:
    """Overwrite the middle of a file with garbage (a failing disk, a bad copy)."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xde\xad\xbe\xef" * 2048
    path.write_bytes(bytes(data))


def test_backup_is_encrypted_with_the_same_passphrase_and_checks_ok(
    encrypted_demo_path: Path, passphrase: str, dump_tables: Dump
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    written = take_backup(db, encrypted_demo_path, passphrase, NOW)
    assert written.parent == paths.backup_dir(encrypted_demo_path)
    assert written.name == "encrypted-20261123-090000-manual.db"
    assert store_kind(written) is StoreKind.ENCRYPTED
    report = check_store(written, passphrase)
    assert report.ok and report.encryption == "encrypted" and report.counts["people"] == 60
    with pytest.raises(WrongPassphrase):
        connect(written, "some other passphrase")
    copy = connect(written, passphrase)
    assert dump_tables(copy) == dump_tables(db)
    copy.close()
    db.close()


def test_backup_is_consistent_while_another_connection_writes(
    encrypted_demo_path: Path, passphrase: str
) -> None:
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        other = connect(encrypted_demo_path, passphrase)
        while not stop.is_set():
            with other.atomic():
                other.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)", [f"w{len(written)}", "x" * 500]
                )
            written.append(1)
        other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        db = connect(encrypted_demo_path, passphrase)
        backups = [
            take_backup(db, encrypted_demo_path, passphrase, NOW + timedelta(seconds=i))
            for i in range(5)
        ]
        db.close()
    finally:
        stop.set()
        thread.join()
    assert len(written) > 5
    for backup in backups:
        assert check_store(backup, passphrase).ok


def test_backup_never_overwrites_a_file(db: Database, store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.db"
    target.write_text("precious")
    with pytest.raises(StoreError, match="already exists"):
        take_backup(db, store_path, None, NOW, output=target)
    assert target.read_text() == "precious"


def test_schedule_prune_and_listing(db: Database, store_path: Path) -> None:
    assert backup_due(store_path, 1, NOW)
    assert not backup_due(store_path, 0, NOW)  # 0 turns automatic backups off
    for days_ago in range(10, 0, -1):
        taken = automatic_backup(store_path, None, 1, 7, NOW - timedelta(days=days_ago))
        assert taken is not None
    autos = [b for b in list_backups(store_path) if b.kind == AUTO]
    assert len(autos) == 7
    assert autos[0].taken == NOW - timedelta(days=1)  # newest first
    assert backup_due(store_path, 1, NOW)  # yesterday's is a day old
    assert not backup_due(store_path, 2, NOW)
    assert automatic_backup(store_path, None, 1, 7, NOW) is not None
    assert automatic_backup(store_path, None, 1, 7, NOW + timedelta(hours=5)) is None  # same day
    manual = take_backup(db, store_path, None, NOW)
    prune(store_path, 2)
    kinds = [(b.kind, b.taken) for b in list_backups(store_path)]
    assert kinds.count((AUTO, NOW)) == 1 and len([k for k in kinds if k[0] == AUTO]) == 2
    assert manual.exists()  # manual backups are never pruned


def test_backup_names_never_collide(store_path: Path, db: Database) -> None:
    first = take_backup(db, store_path, None, NOW)
    second = take_backup(db, store_path, None, NOW)
    assert first != second and first.exists() and second.exists()
    assert backup_path(store_path, "manual", NOW).name == "store-20261123-090000-manual-3.db"


def test_an_automatic_backup_of_a_damaged_store_is_refused_and_nothing_pruned(
    encrypted_demo_path: Path, passphrase: str
) -> None:
    olds = [
        automatic_backup(encrypted_demo_path, passphrase, 1, 2, NOW - timedelta(days=d))
        for d in (3, 2)
    ]
    corrupt(encrypted_demo_path)
    with pytest.raises(StoreError, match="failed its check"):
        automatic_backup(encrypted_demo_path, passphrase, 1, 2, NOW)
    assert [b.path for b in list_backups(encrypted_demo_path)] == olds[::-1]


def test_newest_good_backup_skips_a_damaged_one(encrypted_demo_path: Path, passphrase: str) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    good = take_backup(db, encrypted_demo_path, passphrase, NOW - timedelta(days=1), kind=AUTO)
    bad = take_backup(db, encrypted_demo_path, passphrase, NOW, kind=AUTO)
    db.close()
    corrupt(bad)
    assert newest_good_backup(encrypted_demo_path, passphrase) == good
    assert newest_good_backup(encrypted_demo_path, "wrong passphrase here") is None
    message = with_newest_backup("it broke", encrypted_demo_path, passphrase)
    assert (
        message
        == f"it broke. Newest good backup: {good} (`linkworker restore {good}` puts it back)"
    )


# --- restore ------------------------------------------------------------------------------


def test_restore_gives_back_an_identical_store_and_keeps_the_one_it_replaced(
    encrypted_demo_path: Path, passphrase: str, dump_tables: Dump
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    saved = dump_tables(db)
    backup = take_backup(db, encrypted_demo_path, passphrase, NOW)
    db.execute("DELETE FROM followups")
    db.execute("UPDATE people SET given_name = 'Changed'")
    changed = dump_tables(db)
    db.close()

    done = restore(encrypted_demo_path, backup, passphrase, NOW + timedelta(minutes=1))

    restored = open_store(encrypted_demo_path, passphrase)
    assert dump_tables(restored) == saved  # every table, every row
    restored.close()
    assert done.previous is not None and not done.previous_unreadable
    previous = connect(done.previous, passphrase)
    assert dump_tables(previous) == changed
    previous.close()
    assert store_kind(encrypted_demo_path) is StoreKind.ENCRYPTED


def test_restore_of_a_plain_store(demo_path: Path, dump_tables: Dump) -> None:
    db = open_store(demo_path)
    saved = dump_tables(db)
    backup = take_backup(db, demo_path, None, NOW)
    db.execute("DELETE FROM contacts")
    db.close()
    restore(demo_path, backup, None, NOW)
    restored = open_store(demo_path)
    assert dump_tables(restored) == saved
    restored.close()


@pytest.mark.parametrize("problem", ["damaged", "foreign", "newer", "wrong-key", "plain"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    encrypted_demo_path: Path, demo_path: Path, tmp_path: Path, passphrase: str, problem: str
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    backup = take_backup(db, encrypted_demo_path, passphrase, NOW)
    db.close()
    if problem == "damaged":
        corrupt(backup)
    elif problem == "foreign":
        backup = tmp_path / "recipes.db"  # an SQLCipher file with the same key, not ours
        foreign = connect(backup, passphrase, wal=False)
        foreign.execute("CREATE TABLE recipes (name TEXT)")
        foreign.close()
    elif problem == "newer":
        other = connect(backup, passphrase, wal=False)
        other.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('linkworker', 'm999_future', '2030-01-01')"
        )
        other.close()
    elif problem == "wrong-key":
        other = connect(backup, passphrase, wal=False)
        other.execute("PRAGMA rekey = 'a different passphrase'")
        other.close()
    else:
        backup = demo_path  # a plain store over an encrypted one would undo the encryption
    before = encrypted_demo_path.read_bytes()
    expected = {
        "damaged": "damaged",
        "foreign": "not a linkworker store",
        "newer": "newer linkworker",
        "wrong-key": "wrong passphrase",
        "plain": "leave your caseload unencrypted",
    }[problem]
    with pytest.raises(StoreError, match=expected):
        restore(encrypted_demo_path, backup, passphrase, NOW)
    assert encrypted_demo_path.read_bytes() == before
    assert not list(encrypted_demo_path.parent.glob("*.restoring*"))


def test_restore_over_an_unreadable_store_keeps_its_bytes(
    encrypted_demo_path: Path, passphrase: str, dump_tables: Dump
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    saved = dump_tables(db)
    backup = take_backup(db, encrypted_demo_path, passphrase, NOW)
    db.close()
    data = bytearray(encrypted_demo_path.read_bytes())
    data[100:4000] = b"\x00" * 3900  # the first page: nothing opens it any more
    encrypted_demo_path.write_bytes(bytes(data))
    damaged = encrypted_demo_path.read_bytes()
    done = restore(encrypted_demo_path, backup, passphrase, NOW)
    assert done.previous_unreadable and done.previous is not None
    assert done.previous.read_bytes() == damaged
    restored = open_store(encrypted_demo_path, passphrase)
    assert dump_tables(restored) == saved
    restored.close()
