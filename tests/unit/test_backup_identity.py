"""Issue 19 items 2, 4 and 6: only this store's backups are touched; erasure reaches them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from linkworker import erasure
from linkworker.clock import Clock
from linkworker.store import backups, journal, security
from linkworker.store.db import StoreError, connect, open_store

from factories import add_person

NOW = datetime(2026, 11, 23, 9, 0)
NEW = "lantern quarry thistle beacon"


def _opens(path: Path, key: str | None) -> bool:
    try:
        connect(path, key, wal=False).close()
    except StoreError:
        return False
    return True


def _store_with_backups(path: Path, key: str | None, clock: Clock) -> list[Path]:
    db = open_store(path, key)
    add_person(db, clock, given_name="Ada", family_name="Quartermaine", nhs_number="9434765919")
    taken = [
        backups.take_backup(db, path, key, NOW.replace(minute=m), kind=backups.MANUAL)
        for m in (1, 2)
    ]
    db.close()
    return taken


def test_passphrase_rekeys_only_this_stores_backups(
    tmp_path: Path, passphrase: str, clock: Clock
) -> None:
    mine = _store_with_backups(tmp_path / "mine.db", passphrase, clock)
    # Another store in the same folder, same passphrase, its backups named like mine.
    theirs = _store_with_backups(tmp_path / "theirs.db", passphrase, clock)
    renamed = theirs[0].with_name("mine-20261123-090500-manual.db")
    theirs[0].rename(renamed)
    unrelated = tmp_path / "backups" / "notes.db"
    unrelated.write_bytes(b"not a database at all" * 100)
    db = open_store(tmp_path / "mine.db", passphrase)
    change = security.change_passphrase(db, tmp_path / "mine.db", passphrase, NEW)
    db.close()
    assert sorted(change.backups_rekeyed) == sorted(mine)
    assert all(_opens(b, NEW) and not _opens(b, passphrase) for b in mine)
    assert _opens(renamed, passphrase) and _opens(theirs[1], passphrase)
    assert unrelated.read_bytes() == b"not a database at all" * 100
    assert journal.read_journal(tmp_path / "mine.db") is None


def test_encrypt_converts_only_this_stores_plain_backups(tmp_path: Path, clock: Clock) -> None:
    mine = _store_with_backups(tmp_path / "mine.db", None, clock)
    theirs = _store_with_backups(tmp_path / "theirs.db", None, clock)
    renamed = theirs[0].with_name("mine-20261123-090500-manual.db")
    theirs[0].rename(renamed)
    done = security.encrypt_store(tmp_path / "mine.db", NEW, NOW)
    assert sorted(done.converted) == sorted(mine)
    assert all(_opens(b, NEW) for b in mine)
    assert _opens(renamed, None) and _opens(theirs[1], None)
    assert journal.read_journal(tmp_path / "mine.db") is None


def _files_hold(folder: Path, key: str, needles: list[bytes]) -> list[str]:
    """Every file under ``folder`` whose bytes, or decrypted pages, hold one of ``needles``."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if any(n in raw for n in needles):
            found.append(str(path))
        elif path.suffix == ".db" and _opens(path, key):
            db = connect(path, key, wal=False)
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            dump = repr([db.execute(f"SELECT * FROM [{t}]").fetchall() for t in tables]).encode()
            db.close()
            if any(n in dump for n in needles):
                found.append(f"{path} (decrypted)")
    return found


def test_an_erased_person_is_in_no_file_and_no_restore_brings_them_back(
    tmp_path: Path, passphrase: str, clock: Clock
) -> None:
    store = tmp_path / "caseload.db"
    taken = _store_with_backups(store, passphrase, clock)
    db = open_store(store, passphrase)
    person = db.execute("SELECT id FROM people WHERE family_name = 'Quartermaine'").fetchone()[0]
    add_person(db, clock, given_name="Bea", family_name="Staying")
    result = erasure.erase_person(db, person, clock, passphrase)
    db.close()
    assert sorted(result.backups_rewritten) == sorted(taken)
    needles = [b"Quartermaine", b"9434765919"]
    assert _files_hold(tmp_path, passphrase, needles) == []
    # An older copy the erasure could not reach (kept elsewhere, then put back).
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = _store_with_backups(elsewhere / "caseload.db", passphrase, clock)[0]
    for source in [*taken, old]:
        backups.restore(store, source, passphrase, NOW.replace(hour=10))
        db = open_store(store, passphrase)
        names = [r[0] for r in db.execute("SELECT family_name FROM people")]
        db.close()
        assert "Quartermaine" not in names or source == old, source
