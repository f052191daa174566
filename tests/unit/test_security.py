"""Encryption at rest: no plaintext on disk, the passphrase (right, wrong, changed), conversion."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3

from linkworker import paths
from linkworker.demo import write_demo
from linkworker.store import db as dbmodule
from linkworker.store.backups import take_backup
from linkworker.store.db import Database, StoreError, WrongPassphrase, connect, open_store
from linkworker.store.security import (
    StoreKind,
    change_passphrase,
    check_lock_passphrase,
    encrypt_store,
    encryption_record,
    has_lock_passphrase,
    new_passphrase_problem,
    passphrase_problem,
    set_lock_passphrase,
    store_kind,
)

NOW = datetime(2026, 11, 23, 9, 0)
Dump = Callable[[Database], dict[str, list[tuple[object, ...]]]]


def words_held(db: Database) -> list[bytes]:
    """A person's names and an activity's name, as they would appear in a plain file."""
    given, family = db.execute(
        "SELECT given_name, family_name FROM people ORDER BY id LIMIT 1"
    ).fetchone()
    activity = db.execute("SELECT name FROM activities ORDER BY id LIMIT 1").fetchone()[0]
    return [str(w).encode() for w in (family, given, activity)]


def holds_any(path: Path, words: list[bytes]) -> list[bytes]:
    raw = path.read_bytes() if path.exists() else b""
    return [w for w in words if w in raw]


# --- the passphrase rule -------------------------------------------------------------------


def test_passphrase_rule() -> None:
    assert passphrase_problem("short") == "passphrase: too short (5 characters; at least 12 needed)"
    assert "repetitive" in (passphrase_problem("aaaaaaaaaaaaaaaa") or "")
    assert "space" in (passphrase_problem(" kettle orbit meadow") or "")
    assert passphrase_problem("kettle orbit meadow") is None
    assert passphrase_problem("Tr0ub4dor&3xyz") is None
    assert "differ" in (new_passphrase_problem("kettle orbit meadow", "kettle orbit meado") or "")
    assert new_passphrase_problem("kettle orbit meadow", "kettle orbit meadow") is None


def test_store_kind_needs_no_key(tmp_path: Path, passphrase: str) -> None:
    assert store_kind(tmp_path / "none.db") is StoreKind.MISSING
    (tmp_path / "empty.db").write_bytes(b"")
    assert store_kind(tmp_path / "empty.db") is StoreKind.MISSING
    open_store(tmp_path / "plain.db").close()
    assert store_kind(tmp_path / "plain.db") is StoreKind.PLAIN
    open_store(tmp_path / "secret.db", passphrase).close()
    assert store_kind(tmp_path / "secret.db") is StoreKind.ENCRYPTED
    (tmp_path / "junk.db").write_bytes(b"\x00\xff" * 5000)
    assert store_kind(tmp_path / "junk.db") is StoreKind.NOT_A_STORE


# --- no plaintext on disk ----------------------------------------------------------------


def test_encrypted_store_and_its_wal_hold_none_of_the_words(
    tmp_path: Path, passphrase: str, today: object
) -> None:
    secret = tmp_path / "secret.db"
    db = open_store(secret, passphrase)
    write_demo(db, people=30, seed=5, today=today)  # type: ignore[arg-type]
    words = words_held(db)
    wal = Path(f"{secret}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the writes are in the WAL right now
    assert holds_any(secret, words) == []
    assert holds_any(wal, words) == []
    db.close()
    assert holds_any(secret, words) == []
    # The same data in a plain store shows the words: the grep above can find them.
    plain = open_store(tmp_path / "plain.db")
    write_demo(plain, people=30, seed=5, today=today)  # type: ignore[arg-type]
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert holds_any(tmp_path / "plain.db", words) == words
    plain.close()


def test_backups_and_temporary_files_hold_no_plaintext(
    encrypted_demo_path: Path, passphrase: str
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    words = words_held(db)
    backup = take_backup(db, encrypted_demo_path, passphrase, NOW)
    db.close()
    everything = [p for p in encrypted_demo_path.parent.rglob("*") if p.is_file()]
    assert backup in everything
    assert {p.name: holds_any(p, words) for p in everything} == {p.name: [] for p in everything}


def test_the_file_opens_with_the_plain_passphrase_in_any_sqlcipher(
    encrypted_demo_path: Path, passphrase: str
) -> None:
    # linkworker keys with the raw key it derived once; SQLCipher's own derivation must agree.
    conn = sqlcipher3.dbapi2.connect(str(encrypted_demo_path))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 60
    conn.close()


def test_the_key_is_derived_once_per_passphrase(
    encrypted_demo_path: Path, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib  # db.py imports it where the key is derived

    calls: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dbmodule, "_derived", {})
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    for _ in range(3):
        connect(encrypted_demo_path, passphrase).close()
    assert len(calls) == 1


# --- the wrong passphrase ------------------------------------------------------------------


def test_wrong_passphrase_is_refused_and_the_file_is_untouched(
    encrypted_demo_path: Path,
) -> None:
    before = encrypted_demo_path.read_bytes()
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        open_store(encrypted_demo_path, "not the passphrase at all")
    with pytest.raises(WrongPassphrase):
        connect(encrypted_demo_path, "not the passphrase at all", readonly=True)
    assert encrypted_demo_path.read_bytes() == before
    assert not Path(f"{encrypted_demo_path}-wal").exists()


def test_a_passphrase_for_a_plain_store_is_a_clear_error(demo_path: Path) -> None:
    with pytest.raises(StoreError, match="is not encrypted"):
        connect(demo_path, "kettle orbit meadow sparrow")


def test_new_stores_record_how_they_were_made(tmp_path: Path, passphrase: str) -> None:
    plain = open_store(tmp_path / "plain.db")
    secret = open_store(tmp_path / "secret.db", passphrase)
    assert encryption_record(plain) == "none"
    assert encryption_record(secret) == "sqlcipher"
    plain.close()
    secret.close()


# --- changing the passphrase -----------------------------------------------------------------


def test_change_passphrase_rekeys_the_store_and_its_backups(
    encrypted_demo_path: Path, passphrase: str, dump_tables: Dump
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    before = dump_tables(db)
    backup = take_backup(db, encrypted_demo_path, passphrase, NOW)
    new = "harbour lantern quince 42"
    change = change_passphrase(db, encrypted_demo_path, passphrase, new)
    assert change.backups_rekeyed == [backup]
    assert dump_tables(db) == before  # the open connection carries on
    db.close()
    for path in (encrypted_demo_path, backup):
        with pytest.raises(WrongPassphrase):
            connect(path, passphrase)
        reopened = connect(path, new)
        assert dump_tables(reopened) == before
        reopened.close()


def test_change_passphrase_refuses_a_weak_or_unchanged_one(
    encrypted_demo_path: Path, passphrase: str
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    with pytest.raises(ValueError, match="too short"):
        change_passphrase(db, encrypted_demo_path, passphrase, "short")
    with pytest.raises(ValueError, match="same as the old"):
        change_passphrase(db, encrypted_demo_path, passphrase, passphrase)
    db.close()
    connect(encrypted_demo_path, passphrase).close()  # still the old one


# --- converting a plain store ------------------------------------------------------------


def test_encrypt_converts_the_store_and_the_plain_copies_linkworker_made(
    demo_path: Path, passphrase: str, dump_tables: Dump
) -> None:
    plain = open_store(demo_path)
    before = dump_tables(plain)
    words = words_held(plain)
    old_backup = take_backup(plain, demo_path, None, datetime(2026, 11, 20, 9, 0), kind="auto")
    plain.close()
    migration_copy = demo_path.with_name("demo.before-migration-20261101-090000.db")
    shutil.copyfile(old_backup, migration_copy)

    done = encrypt_store(demo_path, passphrase, NOW)

    assert store_kind(demo_path) is StoreKind.ENCRYPTED
    converted = connect(demo_path, passphrase)
    after = dump_tables(converted)
    assert encryption_record(converted) == "sqlcipher"
    converted.close()
    assert {k: v for k, v in after.items() if k != "meta"} == {
        k: v for k, v in before.items() if k != "meta"
    }
    assert done.backup.parent == paths.backup_dir(demo_path)
    assert store_kind(done.backup) is StoreKind.ENCRYPTED
    assert sorted(done.converted) == sorted([old_backup, migration_copy])
    for copy in (old_backup, migration_copy):
        assert store_kind(copy) is StoreKind.ENCRYPTED
        connect(copy, passphrase).close()
    # No file anywhere beside the store still holds the caseload in plain text.
    for path in [p for p in demo_path.parent.rglob("*") if p.is_file()]:
        assert holds_any(path, words) == [], path


def test_encrypt_refuses_what_it_cannot_convert(
    encrypted_demo_path: Path, tmp_path: Path, passphrase: str
) -> None:
    with pytest.raises(StoreError, match="not an unencrypted store"):
        encrypt_store(encrypted_demo_path, passphrase, NOW)
    other = tmp_path / "other.db"
    conn = sqlcipher3.dbapi2.connect(str(other))
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a linkworker store"):
        encrypt_store(other, passphrase, NOW)
    assert other.read_bytes() == before
    with pytest.raises(ValueError, match="too short"):
        encrypt_store(other, "short", NOW)


# --- the lock passphrase of an unencrypted store -----------------------------------------------


def test_lock_passphrase_is_kept_only_as_a_hash(db: Database) -> None:
    assert not has_lock_passphrase(db)
    set_lock_passphrase(db, "pebble harbour winter")
    assert has_lock_passphrase(db)
    stored = db.execute("SELECT value FROM meta WHERE key = 'lock_passphrase'").fetchone()[0]
    assert "pebble" not in stored and stored.startswith("scrypt$")
    assert check_lock_passphrase(db, "pebble harbour winter")
    assert not check_lock_passphrase(db, "pebble harbour winters")
    with pytest.raises(ValueError, match="too short"):
        set_lock_passphrase(db, "short")
