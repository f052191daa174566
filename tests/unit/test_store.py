"""open_store: pragmas, migrations, the backup before migrating, and refusing bad files."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from linkworker.store.db import Database, StoreError, connect, open_store
from linkworker.store.migrations import known_names, migrations


def test_new_store_has_pragmas_and_every_table(store_path: Path) -> None:
    db = open_store(store_path)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert db.execute("PRAGMA synchronous").fetchone()[0] in (1, 2, 3)  # NORMAL or stricter
    for table in (
        "people",
        "referrals",
        "contacts",
        "conversations",
        "goals",
        "actions",
        "measures",
        "activities",
        "activities_fts",
        "connections",
        "followups",
        "flags",
        "audit",
        "meta",
    ):
        assert db[table].exists(), table
    assert [m.name for m in migrations.applied(db)] == known_names()
    db.close()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.execute(
            "INSERT INTO referrals (person_id, source, received_on, created_at, "
            "updated_at) VALUES (999, 'self', '2026-11-01', 'x', 'x')"
        )


def test_reopening_a_current_store_takes_no_backup(store_path: Path) -> None:
    open_store(store_path).close()
    open_store(store_path).close()
    assert not list(store_path.parent.glob("*before-migration*"))


def test_pending_migrations_back_up_the_file_first(store_path: Path) -> None:
    db = Database(connect(store_path).conn)
    migrations.apply(db, stop_before=known_names()[-1])
    db.execute(
        "INSERT INTO people (given_name, family_name, created_at, updated_at) "
        "VALUES ('Ada', 'Lovelace', 'x', 'x')"
    )
    db.close()
    opened = open_store(store_path, now=datetime(2026, 11, 23, 9, 30))
    opened.close()
    backups = list(store_path.parent.glob("store.before-migration-20261123-093000.db"))
    assert len(backups) == 1
    # The backup is the old schema with the data, readable on its own.
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT given_name FROM people").fetchall() == [("Ada",)]
    names = [r[0] for r in old.execute("SELECT name FROM _sqlite_migrations")]
    assert known_names()[-1] not in names
    old.close()


def test_random_bytes_are_refused_with_one_sentence(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(bytes(range(256)) * 400)
    with pytest.raises(StoreError, match="not a readable linkworker store"):
        open_store(junk)
    assert junk.read_bytes() == bytes(range(256)) * 400


def test_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a linkworker store"):
        open_store(other)
    assert other.read_bytes() == before


def test_store_from_a_newer_linkworker_is_refused(store_path: Path) -> None:
    open_store(store_path).close()
    conn = sqlite3.connect(store_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('linkworker', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer linkworker"):
        open_store(store_path)


def test_missing_folder_is_created_but_an_impossible_one_is_reported(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "store.db"
    open_store(deep).close()
    assert deep.exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder"):
        open_store(blocker / "store.db")
