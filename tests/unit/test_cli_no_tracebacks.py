"""Issue 19 item 8: bad arguments and odd files get one line, nothing hangs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker.cli import main
from linkworker.store.db import backup_copy, connect


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_far_dates_are_one_line(demo_path: Path, day: str) -> None:
    for args in (
        ("agenda", "--date", day),
        (
            "export",
            "caseload",
            "--format",
            "csv",
            "--from",
            "2026-01-01",
            "--to",
            day,
            "--output",
            str(demo_path) + ".x",
        ),
    ):
        code, err = run(*args, "--db", str(demo_path))
        assert code in (1, 2) and "out of range" in err


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
def test_pipes_and_devices_are_refused_without_waiting(demo_path: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "feed.csv"
    os.mkfifo(fifo)
    for source in (str(fifo), "/dev/zero"):
        code, err = run("referrals", "import", source, "--db", str(demo_path))
        assert code == 1 and "not an ordinary file" in err


def test_a_nul_after_the_first_8_kb_is_refused(demo_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    rows = "".join(f"Joan{n},Smith,self,2026-11-20\n" for n in range(600))
    csv.write_bytes(
        b"given_name,family_name,source,received_on\n"
        + rows.encode()
        + b"Jo\x00an,S,self,2026-11-20\n"
    )
    assert csv.stat().st_size > 8192
    code, err = run("referrals", "import", str(csv), "--db", str(demo_path))
    assert code == 1 and "NUL byte on line" in err


def test_killed_backups_partials_are_cleaned_and_files_are_private(demo_path: Path) -> None:
    from linkworker import paths

    old = os.umask(0o022)
    try:
        db = connect(demo_path)
        taken = backup_copy(db, paths.backup_dir(demo_path) / "demo-20261122-090000-auto.db")
        db.close()
        left = taken.with_name("demo-20261123-090000-auto.db.partial")
        left.write_bytes(b"half")  # as a SIGKILL mid-backup leaves it
        code, _ = run("referrals", "import", "/nonexistent.csv", "--db", str(demo_path))
        csv = demo_path.with_name("r.csv")
        csv.write_text("given_name,family_name,source,received_on\nJoan,Smith,self,2026-11-20\n")
        code, err = run("referrals", "import", str(csv), "--db", str(demo_path))
        assert code == 0, err
        assert not left.exists()
        assert stat.S_IMODE(taken.stat().st_mode) == 0o600
        assert stat.S_IMODE(taken.parent.stat().st_mode) == 0o700
        new = demo_path.with_name("new.db")
        code, err = run("people", "list", "--db", str(new), "--create", "--unencrypted")
        assert code == 0, err
        assert stat.S_IMODE(new.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_a_feed_that_is_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    """A FIFO given as a feed is refused from its file status; it is never opened."""
    from linkworker.formats import oruk

    fifo = tmp_path / "feed.json"
    os.mkfifo(fifo)
    with pytest.raises(oruk.FeedError, match="not an ordinary file"):
        oruk.load_feed(fifo)
