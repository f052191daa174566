"""Faults: damaged, foreign, newer, full disk, read-only folder. One clear line, nothing
overwritten, the store still opens, and the newest good backup is named.

The full disk is injected with ``PRAGMA max_page_count`` (SQLITE_FULL, exactly what a full
disk returns) and, where the kernel lets an unprivileged user mount a tmpfs (``unshare
-rm``), also on a real 2 MB filesystem that fills up. The read-only folder is a read-only
mount the same way (root ignores file permissions, so chmod would prove nothing).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkworker import people
from linkworker.cli import main
from linkworker.clock import Clock
from linkworker.models import PersonDetails
from linkworker.store import db as dbmodule
from linkworker.store import storelock
from linkworker.store.backups import take_backup
from linkworker.store.db import StoreError, integrity_problems, open_store
from linkworker.store.driver import Connection, OperationalError

NOW = datetime(2026, 11, 23, 9, 0)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def good_backup(demo_path: Path) -> Path:
    db = open_store(demo_path)
    backup = take_backup(db, demo_path, None, NOW)
    db.close()
    return backup


def one_line_naming(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_damaged_store(demo_path: Path, good_backup: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8192] = b"\xde\xad\xbe\xef" * 2048
    demo_path.write_bytes(bytes(data))
    before = demo_path.read_bytes()
    code, _, err = run("check", "--db", str(demo_path))
    assert code == 1
    one_line_naming(err, "damaged", f"Newest good backup: {good_backup}")
    assert demo_path.read_bytes() == before


def test_damaged_first_page(demo_path: Path, good_backup: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    data[0:4096] = b"\x00" * 4096
    demo_path.write_bytes(bytes(data))
    before = demo_path.read_bytes()
    code, _, err = run(
        "demo", "--db", str(demo_path), "--force", env={"LINKWORKER_PASSPHRASE": "any old words"}
    )
    assert code == 1
    one_line_naming(err, "damaged", f"Newest good backup: {good_backup}")
    assert demo_path.read_bytes() == before


def test_foreign_file(tmp_path: Path) -> None:
    other = tmp_path / "recipes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    code, _, err = run("demo", "--db", str(other), "--people", "3")
    assert code == 1
    one_line_naming(err, "not a linkworker store", "No good backup found")
    assert other.read_bytes() == before


def test_store_from_a_newer_linkworker(demo_path: Path, good_backup: Path) -> None:
    conn = sqlite3.connect(demo_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('linkworker', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = demo_path.read_bytes()
    code, _, err = run("demo", "--db", str(demo_path), "--people", "3", "--force")
    assert code == 1
    one_line_naming(err, "newer linkworker", "upgrade linkworker", str(good_backup))
    assert demo_path.read_bytes() == before


def test_read_only_folder_is_named(
    demo_path: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storelock.os, "open", refuse)
    before = demo_path.read_bytes()
    code, _, err = run("demo", "--db", str(demo_path), "--people", "3", "--force")
    assert code == 1
    one_line_naming(err, "is read-only", "copy the store to a folder you can write to")
    assert demo_path.read_bytes() == before


# --- a full disk, injected -----------------------------------------------------------------


@pytest.fixture
def small_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Once ``pages`` is set, every new connection may grow the store by that many pages."""
    room: dict[str, int] = {}
    real = dbmodule.connect_raw  # the one place a connection is made (connect uses it too)

    def cramped(*args: Any, **kwargs: Any) -> Connection:
        conn = real(*args, **kwargs)
        if "pages" in room:
            used = int(conn.execute("PRAGMA page_count").fetchone()[0])
            conn.execute(f"PRAGMA max_page_count = {used + room['pages']}")
        return conn

    monkeypatch.setattr(dbmodule, "connect_raw", cramped)
    yield room


def person(n: int) -> PersonDetails:
    return PersonDetails(given_name=f"Given{n}", family_name=f"Family{n}", address="x" * 400)


def test_full_disk_while_saving_loses_nothing_saved(
    store_path: Path, clock: Clock, small_disk: dict[str, int]
) -> None:
    open_store(store_path).close()
    small_disk["pages"] = 3
    db = open_store(store_path)
    saved: list[int] = []
    with pytest.raises(OperationalError, match="full"):
        for n in range(10_000):
            saved.append(people.add_person(db, person(n), clock))
    assert len(saved) > 3
    db.close()
    del small_disk["pages"]
    db = open_store(store_path)
    assert [r[0] for r in db.execute("SELECT id FROM people ORDER BY id")] == saved
    # nothing half-written: every saved person has their audit entry, and no more
    audited = {r[0] for r in db.execute("SELECT DISTINCT record_id FROM audit")}
    assert audited == set(saved)
    assert integrity_problems(db) == []
    db.close()


def test_full_disk_in_the_cli_is_one_line(
    demo_path: Path, small_disk: dict[str, int], dump_tables: Any
) -> None:
    db = open_store(demo_path)
    before = dump_tables(db)
    db.close()
    small_disk["pages"] = 3
    code, _, err = run("demo", "--db", str(demo_path), "--people", "200", "--force")
    assert code == 1
    one_line_naming(err, "the disk is full", "nothing was half-written")
    del small_disk["pages"]
    db = open_store(demo_path)
    assert dump_tables(db) == before  # the demo's one transaction left no trace
    assert integrity_problems(db) == []
    db.close()


def test_full_disk_during_a_backup_leaves_no_partial_file(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = dbmodule.driver.dbapi2.connect

    def cramped(target: str, *args: Any, **kwargs: Any) -> Any:
        conn = real(target, *args, **kwargs)
        if str(target).endswith(".partial"):
            conn.execute("PRAGMA max_page_count = 5")
        return conn

    monkeypatch.setattr(dbmodule.driver.dbapi2, "connect", cramped)
    code, _, err = run("backup", "--db", str(demo_path))
    assert code == 1
    one_line_naming(err, "the disk is full", "your store is unchanged")
    leftovers = list((demo_path.parent / "backups").glob("*"))
    assert leftovers == []


# --- a real small filesystem and a real read-only mount -------------------------------------


def _namespaces_work() -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || "
            'mount -t tmpfs -o size=1m tmpfs "$TMPDIR"',
        ],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "TMPDIR": "/tmp"},
    )
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(
    not _namespaces_work(), reason="unprivileged mounts (unshare -rm) are not available here"
)

FILL_SCRIPT = textwrap.dedent(
    """
    import json, subprocess, sys
    from pathlib import Path
    import linkworker.store.driver
    from linkworker import people
    from linkworker.store.backups import take_backup
    from linkworker.clock import fixed
    from linkworker.store.db import StoreError, describe_fault, integrity_problems, open_store
    from linkworker.store.driver import DatabaseError
    from linkworker.models import PersonDetails
    from datetime import date, datetime

    root, key = Path(sys.argv[1]), sys.argv[2]
    store = root / "full.db"
    clock = fixed(date(2026, 11, 23))
    db = open_store(store, key)
    saved, error = [], None
    for n in range(100000):
        try:
            saved.append(people.add_person(db, PersonDetails(
                given_name=f"Given{n}", family_name=f"Family{n}", address="x" * 400), clock))
        except DatabaseError as exc:
            error = describe_fault(exc)
            break
    try:
        take_backup(db, store, key, datetime(2026, 11, 23, 9, 0))
        backup_error = None
    except StoreError as exc:
        backup_error = str(exc)
    db.close()
    db = open_store(store, key)
    present = [r[0] for r in db.execute("SELECT id FROM people ORDER BY id")]
    audited = sorted({r[0] for r in db.execute("SELECT DISTINCT record_id FROM audit")})
    problems = integrity_problems(db)
    db.close()
    cli = subprocess.run([sys.executable, "-m", "linkworker", "demo", "--db", str(store),
                          "--people", "300", "--force"], capture_output=True, text=True,
                         env={"LINKWORKER_PASSPHRASE": key, "PATH": "/usr/bin:/bin",
                              "LINKWORKER_HOME": str(root)})
    print(json.dumps({"saved": saved, "present": present, "audited": audited,
                      "error": error, "problems": problems, "backup_error": backup_error,
                      "leftovers": sorted(p.name for p in (root / "backups").glob("*")),
                      "cli_code": cli.returncode, "cli_err": cli.stderr}))
    """
)

READ_ONLY_SCRIPT = textwrap.dedent(
    """
    import json, subprocess, sys
    from pathlib import Path
    store = Path(sys.argv[1])
    before = store.read_bytes()
    def run(*args):
        r = subprocess.run([sys.executable, "-m", "linkworker", *args, "--db", str(store)],
                           capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "LINKWORKER_HOME": str(store.parent)})
        return {"code": r.returncode, "out": r.stdout, "err": r.stderr}
    print(json.dumps({"demo": run("demo", "--people", "3", "--force"),
                      "check": run("check"), "same": store.read_bytes() == before}))
    """
)


def _in_namespace(shell: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", shell], capture_output=True, text=True, timeout=120
    )


@needs_mounts
def test_a_real_full_filesystem(tmp_path: Path, passphrase: str) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    script = tmp_path / "fill.py"
    script.write_text(FILL_SCRIPT)
    result = _in_namespace(
        f"mount -t tmpfs -o size=2m tmpfs {mount} && "
        f"{sys.executable} {script} {mount} '{passphrase}'"
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["error"] == "the disk is full"
    assert len(outcome["saved"]) > 10
    assert outcome["present"] == outcome["saved"]  # every saved person, nothing else
    assert outcome["audited"] == outcome["saved"]  # each with its audit entry
    assert outcome["problems"] == []
    assert "the disk is full" in (outcome["backup_error"] or "")
    assert outcome["leftovers"] == []  # no half-written backup
    assert outcome["cli_code"] == 1 and "Traceback" not in outcome["cli_err"]
    assert len(outcome["cli_err"].strip().splitlines()) == 1


@needs_mounts
def test_a_real_read_only_folder(tmp_path: Path, demo_template: Path) -> None:
    mount = tmp_path / "readonly"
    mount.mkdir()
    script = tmp_path / "ro.py"
    script.write_text(READ_ONLY_SCRIPT)
    store = mount / "store.db"
    result = _in_namespace(
        f"mount -t tmpfs -o size=8m tmpfs {mount} && cp {demo_template} {store} && "
        f"mkdir {mount}/backups && cp {demo_template} {mount}/backups/store-20261122-090000-auto.db"
        f" && mount -o remount,ro {mount} && {sys.executable} {script} {store}"
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    demo = outcome["demo"]
    assert demo["code"] == 1 and "Traceback" not in demo["err"]
    assert len(demo["err"].strip().splitlines()) == 1
    assert "is read-only" in demo["err"]
    assert "Newest good backup" in demo["err"] and "store-20261122-090000-auto.db" in demo["err"]
    # Reading still works on a read-only folder (check opens the store read-only).
    assert outcome["check"]["code"] == 0 and "integrity: ok" in outcome["check"]["out"]
    assert outcome["same"]


def test_store_error_messages_are_one_sentence_for_each_fault() -> None:
    assert dbmodule.describe_fault(OperationalError("database or disk is full")) == (
        "the disk is full"
    )
    assert "read-only" in dbmodule.describe_fault(
        OperationalError("attempt to write a readonly database")
    )
    assert "damaged" in dbmodule.describe_fault(
        OperationalError("database disk image is malformed")
    )
    assert isinstance(StoreError("x"), Exception)
