"""Issue 19 item 7: with a umask of 022, everything linkworker writes is 0600, its folders 0700.

One test runs each writer (store, backups, the before-migration copy, the encrypt and
restore copies, exports, the plan file, the .ics calendar; the shortlist uses the same
writer as the plan, tested in tests/ui) and stats every file and folder it left.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker.cli import main
from linkworker.store import backups, security
from linkworker.store.db import open_store

NOW = datetime(2026, 11, 23, 9, 0)


def _cli(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (args, result.output, result.stderr)


def _modes(top: Path) -> dict[str, int]:
    found = {str(p.relative_to(top)): stat.S_IMODE(p.stat().st_mode) for p in top.rglob("*")}
    return {name: mode for name, mode in found.items() if not name.endswith(".lock")}


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes (Windows: the profile's ACLs)")
def test_every_file_linkworker_writes_is_private_with_umask_022(
    demo_template: Path, tmp_path: Path, passphrase: str
) -> None:
    before = os.umask(0o022)
    try:
        _write_everything(demo_template, tmp_path, passphrase)
    finally:
        os.umask(before)


def _write_everything(demo_template: Path, tmp_path: Path, passphrase: str) -> None:
    top = tmp_path / "work"
    top.mkdir(mode=0o700)
    store = top / "caseload" / "s.db"
    database = open_store(store)  # a new store and its folder
    database.close()
    store.unlink()
    store.write_bytes(demo_template.read_bytes())
    store.chmod(0o600)  # (a store copied by hand keeps its own mode)
    out = top / "out"
    out.mkdir(mode=0o700)  # a folder the worker chose
    _cli("backup", "--db", str(store))
    export = f"export caseload --format csv --from 2026-01-01 --to 2026-11-23 --db {store}"
    _cli(*export.split(), "--output", str(out / "c.zip"))
    _cli("plan", "1", "--out", str(out / "plan.md"), "--markdown", "--db", str(store))
    _cli("agenda", "--ics", str(out / "f.ics"), "--db", str(store))
    security.encrypt_store(store, passphrase, NOW)  # the encrypted copy renamed over the store
    source = next(p for p in backups.list_backups(store) if p.kind == "before-encryption").path
    backups.restore(store, source, passphrase, NOW.replace(hour=10))
    modes = _modes(top)
    loose = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (top / name).is_dir() else 0o600)
    }
    assert loose == {}, modes
    assert {"caseload/s.db", "caseload/backups", "out/plan.md", "out/f.ics", "out/c.zip"} <= set(
        modes
    )
    assert any(name.endswith("before-restore.db") for name in modes), modes
