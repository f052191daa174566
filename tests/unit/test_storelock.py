"""Single writer: the lock file beside the store, who holds it, and what a second writer hears."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker.cli import main
from linkworker.store import storelock
from linkworker.store.db import StoreError


def test_a_second_writer_is_told_who_has_the_store(store_path: Path) -> None:
    first = storelock.acquire(store_path)
    with pytest.raises(storelock.StoreBusy, match=rf"process {os.getpid()}"):
        storelock.acquire(store_path)
    first.release()
    again = storelock.acquire(store_path)
    assert again.held
    again.release()
    assert not again.held


def test_the_lock_dies_with_its_process(store_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from linkworker.store import storelock\n"
            f"lock = storelock.acquire(Path({str(store_path)!r}))\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(storelock.StoreBusy, match=rf"process {holder.pid}"):
        storelock.acquire(store_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    storelock.acquire(store_path).release()  # no stale lock to clear by hand


def test_a_read_only_folder_is_named(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(storelock.os, "open", refuse)
    with pytest.raises(StoreError, match="is read-only, so linkworker cannot open the store"):
        storelock.acquire(store_path)


def test_cli_writers_respect_the_lock_and_readers_carry_on(demo_path: Path) -> None:
    lock = storelock.acquire(demo_path)
    before = demo_path.read_bytes()
    try:
        result = CliRunner().invoke(
            main, ["demo", "--db", str(demo_path), "--people", "5", "--force"]
        )
        assert result.exit_code == 1
        assert "another linkworker" in result.stderr and "close it first" in result.stderr
        assert demo_path.read_bytes() == before
        checked = CliRunner().invoke(main, ["check", "--db", str(demo_path)])
        assert checked.exit_code == 0 and "integrity: ok" in checked.stdout
        backed = CliRunner().invoke(main, ["backup", "--db", str(demo_path)])
        assert backed.exit_code == 0, backed.stderr
        restored = CliRunner().invoke(
            main, ["restore", "--db", str(demo_path), "--yes", str(demo_path)]
        )
        assert restored.exit_code == 1
    finally:
        lock.release()
