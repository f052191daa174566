"""The command line: options anywhere, one-line failures, check on good and bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from linkworker import __version__
from linkworker.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_db_option_before_or_after_the_subcommand(tmp_path: Path) -> None:
    store = tmp_path / "x.db"
    code, out, _ = run("--db", str(store), "locate")
    assert code == 0 and f"store:    {store}" in out
    code, out, _ = run("locate", "--db", str(store))
    assert code == 0 and f"store:    {store}" in out


def test_locate_uses_linkworker_home(isolated_home: Path) -> None:
    code, out, _ = run("locate")
    assert code == 0
    assert str(isolated_home / "linkworker.store.db") in out
    assert str(isolated_home / "settings.toml") in out
    assert str(isolated_home / "backups") in out
    assert f"cache:    {isolated_home / 'cache'}" in out


def test_demo_then_check(tmp_path: Path) -> None:
    store = tmp_path / "d.db"
    code, out, err = run(
        "demo",
        "--db",
        str(store),
        "--people",
        "20",
        "--seed",
        "3",
        "--today",
        "2026-11-23",
        "--unencrypted",
    )
    assert code == 0, err
    assert "20 people" in out
    code, out, _ = run("check", "--db", str(store))
    assert code == 0
    assert "integrity: ok" in out and "people: 20" in out
    code, _, err = run("demo", "--db", str(store), "--people", "5")
    assert code == 1 and "already holds 20 people" in err


def test_demo_requires_an_explicit_store() -> None:
    code, _, err = run("demo", "--people", "5")
    assert code == 2 and "--db" in err


def test_check_on_random_bytes_is_one_line_without_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x13\x37" * 50_000)
    result = subprocess.run(
        [sys.executable, "-m", "linkworker", "check", "--db", str(junk)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a readable linkworker store" in lines[0]
    assert "Traceback" not in result.stderr


def test_check_on_a_missing_file(tmp_path: Path) -> None:
    code, _, err = run("check", "--db", str(tmp_path / "nope.db"))
    assert code == 1 and "no such file" in err


def test_bad_today_is_a_usage_error() -> None:
    code, _, err = run("--today", "23/11/2026", "locate")
    assert code == 2 and "YYYY-MM-DD" in err


def test_every_subcommand_takes_db_and_today() -> None:
    import click

    missing = []

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, name
                walk(sub, [*path, name])
        names = {p.name for p in command.params}
        if not {"db", "today"} <= names:
            missing.append(" ".join(path))

    walk(main, ["linkworker"])
    assert missing == []
