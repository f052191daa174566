"""Issue 19 item 5: faults told truly (a hot journal left by a kill; a damaged plain header)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker.cli import main
from linkworker.store.db import connect, integrity_problems


def _run(*args: str, key: str | None = None) -> tuple[int, str, str]:
    env = {"LINKWORKER_PASSPHRASE": key} if key else {}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _kill_a_writer_mid_transaction(store: Path, key: str | None) -> None:
    """Leave what a SIGKILL mid-write leaves: a hot rollback journal (pages already spilt)."""
    db = connect(store, key, wal=False)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA journal_mode = DELETE").fetchall()  # as encrypt and restore leave it
    db.close()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child is killed
        writer = connect(store, key, wal=False)
        writer.execute("PRAGMA cache_size = 5")  # spill changed pages into the file itself
        writer.execute("BEGIN")
        for n in range(2000):
            writer.execute("INSERT INTO meta(key, value) VALUES (?, ?)", [f"k{n}", "x" * 200])
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(child, 0)
    assert Path(f"{store}-journal").stat().st_size > 0


@pytest.mark.skipif(os.name != "posix", reason="fork and SIGKILL")
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_hot_journal_left_by_a_kill_is_rolled_back_not_called_read_only(
    demo_path: Path, encrypted_demo_path: Path, passphrase: str, encrypted: bool
) -> None:
    store, key = (encrypted_demo_path, passphrase) if encrypted else (demo_path, None)
    _kill_a_writer_mid_transaction(store, key)
    # The readers open read-only (beside the app): they roll the journal back and read.
    for args in (("people", "list"), ("check",), ("agenda",)):
        code, out, err = _run(*args, "--db", str(store), key=key)
        assert code == 0, (args, err)
        assert "read-only" not in err and out, (args, err)
    assert not Path(f"{store}-journal").exists()
    db = connect(store, key, readonly=True)
    try:
        assert integrity_problems(db) == []
        # The killed transaction is gone whole: none of its rows is in the store.
        assert db.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == 0
    finally:
        db.close()


def test_a_plain_store_with_a_damaged_header_is_not_called_encrypted(demo_path: Path) -> None:
    with open(demo_path, "r+b") as handle:
        handle.write(b"\x00" * 16)  # SQLite's "SQLite format 3" magic overwritten
    for args in (("check",), ("people", "list"), ("backup",)):
        code, _out, err = _run(*args, "--db", str(demo_path))
        assert code != 0, args
        assert "damaged" in err and "plain (unencrypted) store" in err, (args, err)
        assert "passphrase" not in err.lower() and "is encrypted" not in err, (args, err)
        assert len(err.strip().splitlines()) == 1, err
