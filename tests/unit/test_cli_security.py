"""The command line and the passphrase: prompt or LINKWORKER_PASSPHRASE, backup, restore, rekey."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker.cli import main
from linkworker.store.db import connect, open_store
from linkworker.store.kind import StoreKind, store_kind


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend a person is at the keyboard (hidden prompts are answered from stdin)."""
    # By name: importing cli_security before cli would be a circular import.
    monkeypatch.setattr("linkworker.cli.store.can_prompt", lambda: True)


def test_a_new_store_needs_a_passphrase_or_the_explicit_choice(tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    code, _, err = run("demo", "--db", str(store), "--people", "3")
    assert code == 1
    assert err.count("\n") == 1 and "a new passphrase is needed" in err and "--unencrypted" in err
    assert not store.exists()
    code, _, err = run("demo", "--db", str(store), "--people", "3", "--unencrypted")
    assert code == 0, err
    assert store_kind(store) is StoreKind.PLAIN
    code, out, _ = run("check", "--db", str(store))
    assert "encryption: not encrypted (by choice)" in out


def test_passphrase_from_the_environment_makes_an_encrypted_store(
    tmp_path: Path, passphrase: str
) -> None:
    store = tmp_path / "secret.db"
    env = {"LINKWORKER_PASSPHRASE": passphrase}
    code, out, err = run("demo", "--db", str(store), "--people", "3", env=env)
    assert code == 0, err
    assert store_kind(store) is StoreKind.ENCRYPTED
    code, out, _ = run("check", "--db", str(store), env=env)
    assert code == 0 and "encryption: encrypted" in out and "people: 3" in out


def test_a_weak_passphrase_from_the_environment_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "secret.db"
    code, _, err = run("demo", "--db", str(store), env={"LINKWORKER_PASSPHRASE": "short"})
    assert code == 1 and "LINKWORKER_PASSPHRASE: passphrase: too short" in err
    assert not store.exists()


def test_wrong_passphrase_is_refused_in_one_line_and_the_file_is_untouched(
    encrypted_demo_path: Path,
) -> None:
    before = encrypted_demo_path.read_bytes()
    code, out, err = run(
        "demo",
        "--db",
        str(encrypted_demo_path),
        "--force",
        env={"LINKWORKER_PASSPHRASE": "a wrong passphrase here"},
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "wrong passphrase" in err
    assert encrypted_demo_path.read_bytes() == before


def test_without_a_terminal_or_the_variable_it_stops_before_touching_the_file(
    encrypted_demo_path: Path,
) -> None:
    before = encrypted_demo_path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "linkworker", "check", "--db", str(encrypted_demo_path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"linkworker: {encrypted_demo_path}: is encrypted and no passphrase was given "
        "(set LINKWORKER_PASSPHRASE or run the command in a terminal)"
    ]
    assert encrypted_demo_path.read_bytes() == before


def test_the_hidden_prompt_asks_again_after_a_wrong_passphrase(
    encrypted_demo_path: Path, passphrase: str, terminal: None
) -> None:
    code, out, err = run(
        "check", "--db", str(encrypted_demo_path), stdin=f"not it at all\n{passphrase}\n"
    )
    # check reads with the first answer; a wrong one fails like a damaged file would.
    assert code == 1 and "wrong passphrase" in err
    code, out, err = run(
        "backup",
        "--db",
        str(encrypted_demo_path),
        stdin=f"not it at all\n{passphrase}\n",
    )
    assert code == 0, err
    assert "wrong passphrase" in err and "backed up" in out and "(encrypted" in out


def test_a_new_passphrase_is_typed_twice(tmp_path: Path, passphrase: str, terminal: None) -> None:
    store = tmp_path / "new.db"
    code, _, err = run(
        "demo",
        "--db",
        str(store),
        "--people",
        "2",
        stdin=f"short\nshort\n{passphrase}\n{passphrase}x\n{passphrase}\n{passphrase}\n",
    )
    assert code == 0, err
    assert "nobody can recover your caseload" in err  # the warning about losing it
    assert "too short" in err and "differ" in err
    connect(store, passphrase).close()


def test_backup_and_check_of_the_backup(
    encrypted_demo_path: Path, passphrase: str, tmp_path: Path
) -> None:
    env = {"LINKWORKER_PASSPHRASE": passphrase}
    target = tmp_path / "elsewhere" / "copy.db"
    code, out, err = run(
        "backup", "--db", str(encrypted_demo_path), "--output", str(target), env=env
    )
    assert code == 0, err
    assert f"to {target} (encrypted, 60 people, checked: ok)" in out
    code, out, _ = run("check", "--backup", str(target), env=env)
    assert code == 0 and f"store: {target}" in out and "people: 60" in out
    code, out, _ = run("check", "--db", str(target), env=env)
    assert code == 0
    code, _, err = run("backup", "--db", str(encrypted_demo_path), "--output", str(target), env=env)
    assert code == 1 and "already exists" in err
    target.write_bytes(target.read_bytes()[:50_000])
    code, _, err = run("check", "--backup", str(target), env=env)
    assert code == 1 and "Traceback" not in err


def test_restore_asks_for_yes_and_backs_up_first(
    encrypted_demo_path: Path, passphrase: str, terminal: None
) -> None:
    env = {"LINKWORKER_PASSPHRASE": passphrase}
    code, out, _ = run("backup", "--db", str(encrypted_demo_path), env=env)
    backup = Path(out.split(" to ")[1].split(" (")[0])
    db = open_store(encrypted_demo_path, passphrase)
    db.execute("DELETE FROM followups")
    db.close()
    code, _, err = run(
        "restore", "--db", str(encrypted_demo_path), str(backup), env=env, stdin="no\n"
    )
    assert code == 1 and "not restored" in err
    code, out, err = run(
        "restore", "--db", str(encrypted_demo_path), str(backup), env=env, stdin="YES\n"
    )
    assert code == 0, err
    assert "Type YES" in err and f"restored {backup}" in out and "kept at" in out
    db = open_store(encrypted_demo_path, passphrase)
    assert db.execute("SELECT count(*) FROM followups").fetchone()[0] == 24
    db.close()


def test_restore_in_a_script_needs_yes(encrypted_demo_path: Path, passphrase: str) -> None:
    env = {"LINKWORKER_PASSPHRASE": passphrase}
    code, out, _ = run("backup", "--db", str(encrypted_demo_path), env=env)
    backup = Path(out.split(" to ")[1].split(" (")[0])
    code, _, err = run("restore", "--db", str(encrypted_demo_path), str(backup), env=env)
    assert code == 1 and "--yes" in err
    code, out, err = run("restore", "--db", str(encrypted_demo_path), "--yes", str(backup), env=env)
    assert code == 0, err


def test_change_passphrase_from_the_command_line(
    encrypted_demo_path: Path, passphrase: str
) -> None:
    new = "harbour lantern quince 42"
    env = {"LINKWORKER_PASSPHRASE": passphrase, "LINKWORKER_NEW_PASSPHRASE": new}
    code, out, err = run("passphrase", "--db", str(encrypted_demo_path), env=env)
    assert code == 0, err
    assert "changed the passphrase" in out
    connect(encrypted_demo_path, new).close()
    code, _, err = run(
        "check", "--db", str(encrypted_demo_path), env={"LINKWORKER_PASSPHRASE": passphrase}
    )
    assert code == 1 and "wrong passphrase" in err


def test_encrypt_converts_a_plain_store(demo_path: Path, passphrase: str) -> None:
    code, out, err = run(
        "encrypt", "--db", str(demo_path), env={"LINKWORKER_PASSPHRASE": passphrase}
    )
    assert code == 0, err
    assert store_kind(demo_path) is StoreKind.ENCRYPTED
    assert "before-encryption" in out
    code, out, _ = run("check", "--db", str(demo_path), env={"LINKWORKER_PASSPHRASE": passphrase})
    assert code == 0 and "encryption: encrypted" in out and "people: 60" in out
    code, _, err = run("encrypt", "--db", str(demo_path), env={"LINKWORKER_PASSPHRASE": passphrase})
    assert code == 1 and "already encrypted" in err


def test_an_old_plain_store_warns_until_the_choice_is_recorded(demo_path: Path) -> None:
    db = open_store(demo_path)
    db.execute("DELETE FROM meta WHERE key = 'encryption'")  # as made before encryption existed
    db.close()
    code, _, err = run("demo", "--db", str(demo_path), "--people", "2", "--force")
    assert code == 0 and "is not encrypted; `linkworker encrypt` converts it" in err
    code, _, err = run("demo", "--db", str(demo_path), "--people", "2", "--force", "--unencrypted")
    assert code == 0 and "not encrypted" not in err
    code, _, err = run("demo", "--db", str(demo_path), "--people", "2", "--force")
    assert code == 0 and err == ""
