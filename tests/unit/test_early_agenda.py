"""Today's agenda read in a child while the app starts (followups/early.py, issue 18).

The fork is exercised in a fresh interpreter (a test process has threads, and ``begin``
rightly refuses to fork one): the child's agenda must be the one the app would build, the
lock must be held for the app, and anything that stops the child from reading must leave
the app to build the agenda itself. Never timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from linkworker.clock import Clock
from linkworker.followups import early
from linkworker.store import storelock

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork here")

#: Run in a fresh interpreter: begin, then what the caller asks of the early agenda.
SCRIPT = """
import json, os, sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from linkworker.clock import Clock
from linkworker.followups import early
from linkworker.followups.agenda import build_agenda
from linkworker.settings_start import read_start_settings
from linkworker.store import storelock
from linkworker.store.db import StoreError, connect_raw

store, day, asked, key = Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), sys.argv[3], None
settings_file = Path(sys.argv[4]) if len(sys.argv) > 4 else None
got = early.begin(store, Clock(fixed_date=day), settings_file, key)
said = {"began": got is not None, "child": got is not None and got.pid is not None}
if got is not None:
    try:
        storelock.acquire(store)
        said["lock held"] = False
    except StoreError:
        said["lock held"] = True
    if asked == "no time":
        early.WAIT_SECONDS = 0.0
    asked_day = day if asked != "next day" else date.fromordinal(day.toordinal() + 1)
    settings = read_start_settings(settings_file)
    # The app asks first whether Today can be painted before the store is opened.
    said["paints first"] = got.paints_first(asked_day, settings, early.LINES_PER_BUCKET)
    late = got.late_visits()
    said["late visits"] = None if late is None else len(late)
    counts = got.status_counts()  # the header asks next, as the app does
    agenda = got.take(asked_day, settings, early.LINES_PER_BUCKET)
    said["counted"] = counts is not None
    if counts is not None:
        from linkworker.caseload import status_counts
        said["counts right"] = counts == status_counts(connect_raw(store, None, readonly=True))
    said["counted again"] = got.status_counts() is not None
    said["taken"] = agenda is not None
    said["again"] = got.take(asked_day, settings, early.LINES_PER_BUCKET) is not None
    if agenda is not None:
        connection = connect_raw(store, None, readonly=True)
        built = build_agenda(connection, day, settings, lines_per_bucket=early.LINES_PER_BUCKET)
        said["same as built"] = agenda == built
        said["lines"] = sum(len(v) for v in asdict(agenda).values() if isinstance(v, list))
    got.close()  # as the app does when it closes
    try:
        os.waitpid(-1, os.WNOHANG)
        said["children left"] = True
    except ChildProcessError:
        said["children left"] = False
print(json.dumps(said))
"""


def run_begin(store: Path, day: date, asked: str = "same day", *extra: str) -> dict[str, Any]:
    """What a fresh interpreter found when it began an early read of ``store``."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(store), day.isoformat(), asked, *extra],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    said: dict[str, Any] = json.loads(result.stdout)
    return said


def test_the_child_reads_the_agenda_the_app_would_build_and_the_lock_stays_held(
    demo_path: Path, today: date
) -> None:
    said = run_begin(demo_path, today)
    assert said["began"] and said["child"] and said["lock held"]
    assert said["taken"] and said["same as built"] and said["lines"] > 0
    # A plain store recorded as plain by choice opens without asking: painted first.
    assert said["paints first"] and said["late visits"] == 0
    # The header's counts come with it, once; later ones are counted on the app's connection.
    assert said["counted"] and said["counts right"] and not said["counted again"]
    # Taken once: a later reload builds its own, as the store may have changed by then.
    assert not said["again"]
    assert not said["children left"]


def test_an_agenda_read_for_another_day_or_other_settings_is_not_used(
    demo_path: Path, today: date, tmp_path: Path
) -> None:
    said = run_begin(demo_path, today, "next day")
    assert said["began"] and said["lock held"] and not said["taken"]
    assert not said["paints first"]  # the store is opened first, and Today built from it
    assert said["counts right"]  # the counts are the same on any day
    assert not said["children left"]  # the child is killed and reaped all the same


def test_a_child_too_slow_is_killed_and_the_app_builds_the_agenda(
    demo_path: Path, today: date
) -> None:
    said = run_begin(demo_path, today, "no time")
    assert said["began"] and said["lock held"] and not said["taken"] and not said["counted"]
    assert not said["paints first"] and said["late visits"] is None
    assert not said["children left"]


def test_settings_read_at_start_are_the_ones_the_agenda_is_read_with(
    demo_path: Path, today: date, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("gone_quiet_days = 3\nfirst_contact_working_days = 1\n")
    said = run_begin(demo_path, today, "same day", str(settings))
    assert said["taken"] and said["same as built"]


def test_nothing_is_read_early_when_another_linkworker_has_the_store(
    demo_path: Path, today: date
) -> None:
    with storelock.acquire(demo_path):
        said = run_begin(demo_path, today)
    assert said == {"began": False, "child": False}


def test_a_missing_store_or_an_encrypted_one_without_its_passphrase_is_not_read_early(
    tmp_path: Path, today: date
) -> None:
    assert run_begin(tmp_path / "none.db", today) == {"began": False, "child": False}
    encrypted = tmp_path / "encrypted.db"
    encrypted.write_bytes(bytes(range(256)) * 16)  # pages of what looks like SQLCipher
    assert run_begin(encrypted, today) == {"began": False, "child": False}


def test_a_store_the_child_cannot_read_leaves_the_app_to_build_the_agenda(
    tmp_path: Path, today: date
) -> None:
    from linkworker.store.db import connect_raw

    plain = tmp_path / "not-ours.db"
    connection = connect_raw(plain, None)
    connection.execute("CREATE TABLE something_else (x)")
    connection.commit()
    connection.close()
    said = run_begin(plain, today)
    assert said["began"] and said["child"] and said["lock held"]
    # The child failed: Today builds it (and the store's checks refuse the store).
    assert not said["taken"] and not said["counted"] and not said["paints first"]
    assert not said["children left"]


def test_a_plain_store_not_recorded_as_plain_by_choice_is_opened_first(
    demo_path: Path, today: date
) -> None:
    from linkworker.store.db import connect_raw

    connection = connect_raw(demo_path, None)
    connection.execute("DELETE FROM meta WHERE key = 'encryption'")
    connection.commit()
    connection.close()
    said = run_begin(demo_path, today)
    # The app's opening offers to encrypt it before the caseload shows; the agenda read
    # early still serves Today's paint after that.
    assert said["began"] and not said["paints first"] and said["taken"] and said["counted"]


def test_no_fork_while_other_threads_run(demo_path: Path, clock: Clock) -> None:
    # A forked child has only the forking thread: a lock another one held would stay held.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert early.begin(demo_path, clock, None, None) is None
    finally:
        stop.set()
        thread.join()


def test_the_switch_turns_early_reading_off(
    demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(early.OFF_ENV, "1")
    assert early.begin(demo_path, clock, None, None) is None


class ReadEarly(early.EarlyAgenda):
    """An early agenda whose child already read ``agenda`` (the fork is tested above)."""

    def __init__(self, store: Path, clock: Clock, agenda: Any) -> None:
        from linkworker.settings_start import StartSettings

        super().__init__(store, clock.today(), StartSettings(), storelock.acquire(store))
        self.agenda = agenda
        self.asked: list[date] = []

    def take(self, today: date, settings: Any, lines_per_bucket: int) -> Any:
        self.asked.append(today)
        return self.agenda if len(self.asked) == 1 else None


async def test_the_app_paints_the_early_agenda_and_keeps_the_lock_taken_for_it(
    demo_path: Path, clock: Clock
) -> None:
    from linkworker.followups.agenda import Agenda, AgendaLine
    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.screens.today import TodayScreen

    read = Agenda(today=clock.today())
    read.due_today.append(
        AgendaLine(bucket="due_today", person_id=1, name="Read Early", what="From the child")
    )
    taken = ReadEarly(demo_path, clock, read)
    app = LinkWorkerApp(store_path=demo_path, clock=clock, early_agenda=taken)
    async with app.run_test(size=(100, 30)) as pilot:
        while not (app.store_checked and isinstance(app.screen, TodayScreen)):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert screen.agenda is read and taken.asked == [clock.today()]
        assert app.store_lock is taken.lock and not app.read_only  # not taken twice
        screen.reload()  # a later reload reads the store itself
        assert screen.agenda is not read and len(taken.asked) == 2
    assert not taken.lock.held  # released with the app


def test_an_early_read_of_another_store_is_let_go(
    demo_path: Path, clock: Clock, tmp_path: Path
) -> None:
    from linkworker.tui.app import LinkWorkerApp

    taken = ReadEarly(demo_path, clock, None)
    app = LinkWorkerApp(store_path=tmp_path / "other.db", clock=clock, early_agenda=taken)
    assert app.early_agenda is None and app.store_lock is None and not taken.lock.held
    # The lock is free again for whoever opens that store next.
    storelock.acquire(demo_path).release()
