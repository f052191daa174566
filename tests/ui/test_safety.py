"""Store safety in the app: passphrase first, the lock screen, read-only, faults, backups."""

from __future__ import annotations

import html
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from linkworker import paths
from linkworker.clock import Clock
from linkworker.settings import Settings
from linkworker.store import security, storelock
from linkworker.store.backups import list_backups, take_backup
from linkworker.store.db import WrongPassphrase, connect, integrity_problems, open_store
from linkworker.store.kind import StoreKind, store_kind
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import MessageDialog
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.help import HelpScreen
from linkworker.tui.screens.lock import LockScreen
from linkworker.tui.screens.passphrase import EnterPassphraseScreen, SetPassphraseScreen
from linkworker.tui.screens.store_choice import StoreChoiceScreen
from linkworker.tui.screens.today import TodayScreen

from pilots import wait_for_exit, wait_for_screen, wait_until


def make_app(path: Path, clock: Clock, **kwargs: Any) -> LinkWorkerApp:
    return LinkWorkerApp(store_path=path, clock=clock, **kwargs)


def _visible_text(app: LinkWorkerApp) -> str:
    """Everything the terminal shows right now (every layer), as plain text."""
    svg = app.export_screenshot()
    text = html.unescape("".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
    return text.replace("\xa0", " ")


def names_in(db_path: Path, key: str | None) -> list[str]:
    db = connect(db_path, key, readonly=True)
    rows = db.execute("SELECT family_name FROM people ORDER BY id LIMIT 20").fetchall()
    activities = db.execute("SELECT name FROM activities ORDER BY id LIMIT 5").fetchall()
    db.close()
    return [str(r[0]) for r in rows] + [str(r[0])[:12] for r in activities]


def count_idle_checks(app: LinkWorkerApp) -> list[int]:
    """Count the idle lock's looks at the clock (its timer calls the method set here)."""
    looks = [0]
    look = app.check_idle_lock

    def counted() -> None:
        look()
        looks[0] += 1

    app.check_idle_lock = counted  # type: ignore[method-assign]
    return looks


async def after_idle_checks(pilot: Pilot[Any], looks: list[int]) -> None:
    """Wait until the idle lock has looked at the (moved) clock twice more."""
    target = looks[0] + 2
    await wait_until(pilot, lambda: looks[0] >= target or not pilot.app.is_running, "idle checks")
    await pilot.pause()


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


# --- the passphrase comes first --------------------------------------------------------------


async def test_encrypted_store_asks_for_the_passphrase_before_showing_anything(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    names = names_in(encrypted_demo_path, passphrase)
    before = encrypted_demo_path.read_bytes()
    app = make_app(encrypted_demo_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EnterPassphraseScreen)
        shown = _visible_text(app)
        assert not [n for n in names if n in shown]
        assert not list(app.query(DataTable))
        # Wrong: a clear message, another try, nothing written.
        await type_into(pilot, "#passphrase", "not the right one at all")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EnterPassphraseScreen)
        error = str(app.screen.query_one("#passphrase-error", Static).render())
        assert "Wrong passphrase" in error
        assert encrypted_demo_path.read_bytes() == before
        # Right, typed key by key.
        field = app.screen.query_one("#passphrase", Input)
        field.focus()
        await pilot.press(*["space" if c == " " else c for c in passphrase], "enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Today · encrypted" in _visible_text(app)
        assert app.key == passphrase and app.encryption == "encrypted"


async def test_a_wrong_passphrase_from_the_environment_asks_again(
    encrypted_demo_path: Path, clock: Clock
) -> None:
    app = make_app(encrypted_demo_path, clock, key="a passphrase that is wrong")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, EnterPassphraseScreen)
        assert "Wrong passphrase" in str(app.screen.query_one("#passphrase-error", Static).render())


async def test_first_run_sets_a_passphrase_typed_twice(
    store_path: Path, clock: Clock, passphrase: str
) -> None:
    app = make_app(store_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetPassphraseScreen)
        shown = _visible_text(app)
        assert "nobody can recover" in shown and "password manager" in shown
        assert "At least 12 characters" in shown
        error = app.screen.query_one("#passphrase-error", Static)
        await type_into(pilot, "#new-passphrase", "short")
        await type_into(pilot, "#again-passphrase", "short")
        await pilot.press("enter")
        assert "too short" in str(error.render())
        await type_into(pilot, "#new-passphrase", passphrase)
        await type_into(pilot, "#again-passphrase", passphrase + "!")
        await pilot.press("enter")
        assert "differ" in str(error.render())
        assert not store_path.exists()
        await type_into(pilot, "#new-passphrase", passphrase)
        await type_into(pilot, "#again-passphrase", passphrase)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    assert store_kind(store_path) is StoreKind.ENCRYPTED
    connect(store_path, passphrase).close()


async def test_unencrypted_by_choice_offers_a_lock_passphrase(
    store_path: Path, clock: Clock
) -> None:
    app = make_app(store_path, clock, unencrypted=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetPassphraseScreen)
        assert "NOT encrypted" in _visible_text(app)
        await type_into(pilot, "#new-passphrase", "pebble harbour winter")
        await type_into(pilot, "#again-passphrase", "pebble harbour winter")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Today · unencrypted" in _visible_text(app)
        assert security.check_lock_passphrase(app.db, "pebble harbour winter")
    assert store_kind(store_path) is StoreKind.PLAIN


async def test_an_old_plain_store_is_offered_encryption(
    demo_path: Path, clock: Clock, passphrase: str
) -> None:
    db = open_store(demo_path)
    db.execute("DELETE FROM meta WHERE key = 'encryption'")
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StoreChoiceScreen)
        await pilot.click("#choice-later")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Today · NOT ENCRYPTED" in _visible_text(app)
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.click("#choice-encrypt")
        await pilot.pause()
        assert isinstance(app.screen, SetPassphraseScreen)
        await type_into(pilot, "#new-passphrase", passphrase)
        await type_into(pilot, "#again-passphrase", passphrase)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Today · encrypted" in _visible_text(app)
    assert store_kind(demo_path) is StoreKind.ENCRYPTED


# --- the lock screen -------------------------------------------------------------------------


async def test_lock_hides_everything_and_keeps_the_work_in_progress(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    names = names_in(encrypted_demo_path, passphrase)
    app = make_app(encrypted_demo_path, clock, key=passphrase)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3", "slash", "a", "h")
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
        typed = app.screen.query_one(Input).value
        assert typed == "ah"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        app.notify("Logged a contact with Mrs Example", title="Saved")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        shown = _visible_text(app)
        assert [n for n in names if n in shown] == []
        assert "Mrs Example" not in shown and "Caseload" not in shown
        # Section keys, help and the command palette do nothing while locked.
        await pilot.press("f2", "f4", "f1", "ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        app.open_person(1)  # something opening behind the scenes waits for the unlock
        app.notify("Export finished for Mrs Example")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "Mrs Example" not in _visible_text(app)
        await type_into(pilot, "#unlock-passphrase", "wrong words entirely")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "Wrong passphrase" in _visible_text(app)
        await type_into(pilot, "#unlock-passphrase", passphrase)
        await pilot.press("enter")
        await pilot.pause()
        from linkworker.tui.screens.person import PersonScreen

        assert isinstance(app.screen, PersonScreen)  # held until the unlock
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # the stack is as it was
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
        assert app.screen.query_one(Input).value == "ah"


async def test_idle_lock_after_the_set_minutes(
    encrypted_demo_path: Path, clock: Clock, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LinkWorkerApp, "IDLE_CHECK_SECONDS", 0.05)
    now = [1000.0]
    app = make_app(
        encrypted_demo_path, clock, key=passphrase, settings=Settings(idle_lock_minutes=2)
    )
    app.monotonic = lambda: now[0]
    looks = count_idle_checks(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        now[0] += 100  # 1 min 40 s: not yet
        await after_idle_checks(pilot, looks)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("f3")  # a key press starts the count again
        now[0] += 100
        await after_idle_checks(pilot, looks)
        assert isinstance(app.screen, CaseloadScreen)
        now[0] += 21  # 2 min 1 s since the last key
        await after_idle_checks(pilot, looks)
        assert isinstance(app.screen, LockScreen)
        await type_into(pilot, "#unlock-passphrase", passphrase)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)


async def test_idle_lock_off_with_zero(
    encrypted_demo_path: Path, clock: Clock, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LinkWorkerApp, "IDLE_CHECK_SECONDS", 0.05)
    now = [1000.0]
    app = make_app(
        encrypted_demo_path, clock, key=passphrase, settings=Settings(idle_lock_minutes=0)
    )
    app.monotonic = lambda: now[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, TodayScreen)
        now[0] += 100_000
        app.check_idle_lock()  # with the lock off no timer calls it; calling it does nothing
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_unencrypted_store_locks_with_its_lock_passphrase(
    demo_path: Path, clock: Clock
) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, SetPassphraseScreen)  # none yet: set one first
        await type_into(pilot, "#new-passphrase", "pebble harbour winter")
        await type_into(pilot, "#again-passphrase", "pebble harbour winter")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await type_into(pilot, "#unlock-passphrase", "pebble harbour winter")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_unencrypted_store_without_lock_passphrase_closes_when_idle(
    demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LinkWorkerApp, "IDLE_CHECK_SECONDS", 0.05)
    now = [0.0]
    app = make_app(demo_path, clock, settings=Settings(idle_lock_minutes=1))
    app.monotonic = lambda: now[0]
    looks = count_idle_checks(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, TodayScreen)
        now[0] += 61
        await after_idle_checks(pilot, looks)
        await wait_for_exit(app)
    assert app.return_code == 0
    assert not app.is_running


# --- single writer -----------------------------------------------------------------------


async def test_a_second_instance_is_offered_read_only(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    other = storelock.acquire(encrypted_demo_path)  # "another linkworker"
    try:
        app = make_app(encrypted_demo_path, clock, key=passphrase)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StoreChoiceScreen)
            assert "another linkworker" in _visible_text(app)
            await pilot.click("#choice-read-only")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            assert app.read_only
            assert "encrypted · READ-ONLY" in _visible_text(app)
            # A write that slipped through ends with a message, never a traceback.
            app.call_later(app.db.execute, "DELETE FROM followups")
            await wait_for_exit(app)  # the app ends itself
        assert app.return_code == 1
        assert "was open read-only" in app.fault_message
        db = connect(encrypted_demo_path, passphrase)
        assert db.execute("SELECT count(*) FROM followups").fetchone()[0] == 24
        db.close()
        app = make_app(encrypted_demo_path, clock, key=passphrase)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.click("#choice-quit")
            await pilot.pause()
        assert not app.is_running
    finally:
        other.release()


# --- faults -------------------------------------------------------------------------------


def fault_body(app: LinkWorkerApp) -> str:
    assert isinstance(app.screen, MessageDialog)
    return str(app.screen.query_one("#message-body", Static).render())


async def test_foreign_file_is_left_alone_with_one_message(tmp_path: Path, clock: Clock) -> None:
    other = tmp_path / "recipes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    app = make_app(other, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "not a linkworker store" in fault_body(app)
        await pilot.press("enter")
    assert app.return_code == 1
    assert other.read_bytes() == before


async def test_newer_store_names_the_newest_good_backup(demo_path: Path, clock: Clock) -> None:
    db = open_store(demo_path)
    backup = take_backup(db, demo_path, None, datetime(2026, 11, 22, 9, 0), kind="auto")
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('linkworker', 'm999_future', '2030-01-01')"
    )
    db.close()
    before = demo_path.read_bytes()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        body = fault_body(app)
        assert "newer linkworker" in body and f"Newest good backup: {backup}" in body
    assert demo_path.read_bytes() == before


async def test_read_only_folder_is_one_message(
    demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storelock.os, "open", refuse)
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "is read-only" in fault_body(app)


async def test_damaged_encrypted_store_names_the_backup_the_passphrase_opens(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    db = open_store(encrypted_demo_path, passphrase)
    backup = take_backup(db, encrypted_demo_path, passphrase, datetime(2026, 11, 22, 9, 0))
    db.close()
    data = bytearray(encrypted_demo_path.read_bytes())
    data[100:4000] = b"\x00" * 3900
    encrypted_demo_path.write_bytes(bytes(data))
    app = make_app(encrypted_demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_into(pilot, "#passphrase", passphrase)
        await pilot.press("enter")
        await pilot.pause()
        body = fault_body(app)
        assert "is damaged (your passphrase opens its backups)" in body
        assert f"Newest good backup: {backup}" in body
    assert encrypted_demo_path.read_bytes() == bytes(data)


async def test_full_disk_while_the_app_runs_ends_with_a_message(
    demo_path: Path, clock: Clock
) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        used = int(app.db.execute("PRAGMA page_count").fetchone()[0])
        app.db.execute(f"PRAGMA max_page_count = {used}")

        def save_something_big() -> None:
            with app.db.atomic():
                app.db.execute("INSERT INTO meta (key, value) VALUES ('big', ?)", ["x" * 200_000])

        app.call_later(save_something_big)
        await wait_for_exit(app)  # the app ends itself
    assert app.return_code == 1
    assert "the disk is full" in app.fault_message
    assert "everything saved before it is safe" in app.fault_message
    db = open_store(demo_path)
    assert db.execute("SELECT count(*) FROM meta WHERE key = 'big'").fetchone()[0] == 0
    assert integrity_problems(db) == []
    db.close()


# --- passphrase change and backups ----------------------------------------------------------------


async def test_change_passphrase_in_the_app(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    new = "harbour lantern quince 42"
    app = make_app(encrypted_demo_path, clock, key=passphrase)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.action_change_passphrase()
        await pilot.pause()
        await type_into(pilot, "#current-passphrase", "not the current one")
        await type_into(pilot, "#new-passphrase", new)
        await type_into(pilot, "#again-passphrase", new)
        await pilot.press("enter")
        await pilot.pause()
        assert "current passphrase: wrong" in _visible_text(app)
        await type_into(pilot, "#current-passphrase", passphrase)
        await type_into(pilot, "#again-passphrase", new)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert app.key == new
    with pytest.raises(WrongPassphrase):
        connect(encrypted_demo_path, passphrase)
    connect(encrypted_demo_path, new).close()
    for backup in list_backups(encrypted_demo_path):  # the automatic one, rekeyed too
        connect(backup.path, new).close()


async def test_automatic_backup_at_start_once_a_day(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    for _ in range(2):
        app = make_app(encrypted_demo_path, clock, key=passphrase)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
    taken = list_backups(encrypted_demo_path)
    assert [b.kind for b in taken] == ["auto"]
    assert taken[0].path.parent == paths.backup_dir(encrypted_demo_path)
    assert store_kind(taken[0].path) is StoreKind.ENCRYPTED
    connect(taken[0].path, passphrase).close()


async def test_lock_and_passphrase_are_in_the_palette_and_help(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    app = make_app(encrypted_demo_path, clock, key=passphrase)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Lock the screen", "Back up now", "Change passphrase"} <= set(titles)
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        assert "lock" in {str(table.get_row_at(i)[2]) for i in range(table.row_count)}


async def test_while_locked_a_section_switch_waits_and_guessing_is_slowed(
    encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    app = make_app(encrypted_demo_path, clock, key=passphrase)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
        app.switch_mode("directory")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        for n in range(5):
            await type_into(pilot, "#unlock-passphrase", f"guess number {n} here")
            await pilot.press("enter")
            await pilot.pause()
        assert app.screen.query_one("#unlock-passphrase", Input).disabled
        assert "wait 30 seconds" in _visible_text(app)
        lock = app.screen
        assert isinstance(lock, LockScreen)
        lock._resume()  # the 30 seconds are up
        await type_into(pilot, "#unlock-passphrase", passphrase)
        await pilot.press("enter")
        await pilot.pause()
        from linkworker.tui.screens.directory import DirectoryScreen

        assert isinstance(app.screen, DirectoryScreen)


async def test_a_new_store_takes_the_passphrase_from_the_environment(
    store_path: Path, clock: Clock, passphrase: str
) -> None:
    app = make_app(store_path, clock, key=passphrase)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    connect(store_path, passphrase).close()


async def test_the_writer_cleans_what_killed_backups_left_before_the_checks(
    demo_path: Path, clock: Clock
) -> None:
    # Cleaned after Today's first paint (backups.py loads then), before the store's checks
    # and the automatic backup could write a partial of their own.
    folder = paths.backup_dir(demo_path)
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / "demo-20261101-090000.db.partial"
    left.write_bytes(b"half a backup")
    migration_copy = demo_path.with_name(f"{demo_path.stem}.before-migration-1.db.partial")
    migration_copy.write_bytes(b"half a copy")
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(
            pilot,
            lambda: app.store_checked and isinstance(app.screen, TodayScreen),
            "Today shown, the store checked",
        )
        assert not left.exists() and not migration_copy.exists()


async def test_a_read_only_app_cleans_nothing(demo_path: Path, clock: Clock) -> None:
    folder = paths.backup_dir(demo_path)
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / "demo-20261101-090000.db.partial"
    left.write_bytes(b"half a backup")
    with storelock.acquire(demo_path):
        app = LinkWorkerApp(store_path=demo_path, clock=clock)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, StoreChoiceScreen)
            await pilot.click("#choice-read-only")
            await wait_until(
                pilot,
                lambda: app.store_checked and isinstance(app.screen, TodayScreen),
                "Today shown read-only, the store checked",
            )
            assert app.read_only and left.exists()
