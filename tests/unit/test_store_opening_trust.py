"""How the CLI opens the store (issues 13 item 7, 19 items 3 and 5).

Readers open read-only and work while the app holds the writer lock and writes; writers
are refused with one line; no command creates a store by accident; an empty, missing but
expected or unreadable store is a fault naming the newest backup, and nothing is created.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker.cli import main
from linkworker.clock import Clock
from linkworker.directory import ensure_starter
from linkworker.store import storelock
from linkworker.store.db import connect, open_store


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_readers_work_while_the_app_writes_and_a_writer_is_refused(
    demo_path: Path, tmp_path: Path
) -> None:
    db = str(demo_path)
    # As the app does: the starter directory loaded on its first run, then the writer
    # lock held and a write transaction open in WAL.
    first_run = open_store(demo_path)
    ensure_starter(first_run, Clock())
    first_run.close()
    lock = storelock.acquire(demo_path)
    app = connect(demo_path)
    try:
        app.execute("BEGIN IMMEDIATE")
        app.execute("UPDATE people SET given_name = given_name WHERE id = 1")
        for args in (
            ("people", "list"),
            ("agenda", "--json", "--today", "2026-11-23"),
            ("export", "sar", "3", "--output", str(tmp_path / "p3.json")),
            ("directory", "search", "walk"),
            ("plan", "3"),
            ("outcomes", "3"),
            ("export", "person", "3"),
        ):
            code, out, err = run(*args, "--db", db)
            assert code == 0, (args, err)
            assert out or args[0] == "export"
        csv = tmp_path / "r.csv"
        csv.write_text("given_name,family_name,source,received_on\nJoan,Smith,self,2026-11-20\n")
        code, _, err = run("referrals", "import", str(csv), "--db", db)
        assert code == 1
        line = one_line(err)
        assert "has this store open" in line and "commands that only read still work" in line
        app.execute("ROLLBACK")
    finally:
        app.close()
        lock.release()


def test_a_reader_never_takes_the_lock(demo_path: Path) -> None:
    code, _, err = run("people", "list", "--db", str(demo_path))
    assert code == 0, err
    # The lock file is a writer's: a reader neither makes nor holds it.
    assert not storelock.lock_path(demo_path).exists()


@pytest.mark.parametrize(
    "args",
    [
        ("people", "list"),
        ("agenda",),
        ("referrals", "import", "{csv}"),
        ("directory", "search", "walk"),
        ("export", "sar", "1", "--output", "{tmp}/s.json"),
    ],
)
def test_a_mistyped_db_creates_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text("given_name,family_name,source,received_on\nJoan,Smith,self,2026-11-20\n")
    wrong = tmp_path / "typo" / "stroe.db"
    wrong.parent.mkdir()
    filled = [a.format(csv=csv, tmp=tmp_path) for a in args]
    code, _, err = run(*filled, "--db", str(wrong), "--unencrypted")
    assert code == 1
    line = one_line(err)
    assert "no store here" in line or "there is no store there" in line
    assert list(wrong.parent.iterdir()) == []


def test_create_makes_a_new_store_on_purpose(tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    code, _, err = run("people", "list", "--db", str(store), "--unencrypted", "--create")
    assert code == 0, err
    assert store.stat().st_size > 0


def test_an_empty_store_is_a_fault_and_is_not_replaced(demo_path: Path) -> None:
    code, _, err = run("backup", "--db", str(demo_path))
    assert code == 0, err
    demo_path.write_bytes(b"")  # a 0-byte store (a failed sync, a bad copy)
    csv = demo_path.with_name("r.csv")
    csv.write_text("given_name,family_name,source,received_on\nJoan,Smith,self,2026-11-20\n")
    for args in (("people", "list"), ("referrals", "import", str(csv)), ("agenda",)):
        code, _, err = run(*args, "--db", str(demo_path), "--unencrypted", "--create")
        assert code == 1
        line = one_line(err)
        assert "is empty (0 bytes)" in line and "Newest good backup:" in line
        assert demo_path.stat().st_size == 0
    wal = Path(f"{demo_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_missing_store_with_backups_is_a_fault(demo_path: Path) -> None:
    code, _, err = run("backup", "--db", str(demo_path))
    assert code == 0, err
    demo_path.unlink()
    code, _, err = run("people", "list", "--db", str(demo_path), "--create", "--unencrypted")
    assert code == 1
    line = one_line(err)
    assert "the store is missing" in line and "Newest good backup:" in line
    assert not demo_path.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_store_is_a_fault(demo_path: Path) -> None:
    demo_path.chmod(0)
    try:
        code, _, err = run("people", "list", "--db", str(demo_path))
    finally:
        demo_path.chmod(0o600)
    assert code == 1 and "cannot be read" in one_line(err)


def test_a_damaged_store_refuses_writes_and_still_reads(demo_path: Path, tmp_path: Path) -> None:
    from factories import damage_an_index

    code, _, err = run("backup", "--db", str(demo_path))
    assert code == 0, err
    damage_an_index(demo_path)
    before = demo_path.read_bytes()
    csv = tmp_path / "r.csv"
    csv.write_text("given_name,family_name,source,received_on\nJoan,Smith,self,2026-11-20\n")
    code, _, err = run("referrals", "import", str(csv), "--db", str(demo_path))
    assert code == 1
    line = one_line(err)
    assert "is damaged (integrity check:" in line and "Newest good backup:" in line
    assert demo_path.read_bytes() == before
    code, out, err = run("people", "list", "--db", str(demo_path))
    assert code == 0 and out, err
