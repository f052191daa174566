"""Today painted from the early read before the app opens the store (issue 18).

When the child's read says the store opens without asking (followups/early.py), the app
paints Today from it alone and opens the store right after that paint, as the store's
checks begin; keys typed meanwhile wait for both. The read is made here, in this process,
by the child's own function (the fork itself is tested in tests/unit/test_early_agenda.py).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from tests.factories import TODAY, VISITED, add_episode, add_visit, store_at
from tests.ui.pilots import wait_until
from textual import events
from textual.widgets import DataTable, Static

from linkworker import lone_working
from linkworker.clock import Clock, fixed
from linkworker.followups import early
from linkworker.settings_start import read_start_settings
from linkworker.store import storelock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.store_choice import StoreChoiceScreen
from linkworker.tui.screens.today import TodayScreen


def read_early(store: Path, clock: Clock, key: str | None = None) -> early.EarlyAgenda:
    """An early read of ``store`` as the child makes it, with the lock taken for the app."""
    read = early.EarlyAgenda(
        store, clock.today(), read_start_settings(None), storelock.acquire(store), now=clock.now()
    )
    # Into a file, not a pipe: a pipe holds 64 KB, and nothing here reads it meanwhile.
    with tempfile.TemporaryFile() as sent:
        assert early._read_in_child(read, key, os.dup(sent.fileno())) == 0
        sent.seek(0)
        read._read = pickle.loads(sent.read())
    return read


class Watched(LinkWorkerApp):
    """The app, noting what was on the screen when it came to open the store."""

    seen: dict[str, Any]

    def _open_after_paint(self) -> bool:
        screen = self.screen
        self.seen = {
            "connection": self.connection,
            "holding": self.typed_ahead.holding,
            "today": isinstance(screen, TodayScreen),
            "agenda": getattr(screen, "agenda", None),
            "rows": screen.query_one(DataTable).row_count,
            "banner": str(screen.query_one("#today-late-visits", Static).render()),
            "header": self.sub_title,
            "store": self.store_label,
        }
        return super()._open_after_paint()


async def _until_checked(pilot: Any, app: LinkWorkerApp) -> None:
    checked = lambda: app.store_checked and isinstance(app.screen, TodayScreen)  # noqa: E731
    await wait_until(pilot, checked, "Today shown and the store checked")


async def test_today_is_painted_from_the_read_then_the_store_is_opened_and_keys_act(
    demo_path: Path, clock: Clock
) -> None:
    read = read_early(demo_path, clock)
    app = Watched(store_path=demo_path, clock=clock, early_agenda=read)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until_checked(pilot, app)
        seen, screen = app.seen, app.screen
        assert isinstance(screen, TodayScreen)
        # Painted with the rows and the header's counts, before any connection, keys held.
        assert seen["connection"] is None and seen["holding"] and seen["today"]
        assert seen["rows"] > 1 and "open" in seen["header"]
        assert seen["store"] == app.store_label == "unencrypted"  # as the header says it
        # Then opened and checked: the lock taken for the read is the app's, and the agenda
        # painted is kept (the lock was held from the read: nothing can have changed).
        assert app.connection is not None and not app.read_only
        assert app.store_lock is read.lock and screen.agenda is seen["agenda"]
        assert not app.typed_ahead.holding
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.current_mode == "caseload", "Caseload shown")
    assert not read.lock.held


async def test_an_encrypted_store_opened_with_its_passphrase_is_painted_first_too(
    encrypted_demo_path: Path, clock: Clock
) -> None:
    from tests.conftest import PASSPHRASE

    read = read_early(encrypted_demo_path, clock, PASSPHRASE)
    app = Watched(store_path=encrypted_demo_path, clock=clock, key=PASSPHRASE, early_agenda=read)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until_checked(pilot, app)
        assert app.seen["connection"] is None and app.seen["rows"] > 1
        assert app.seen["store"] == "encrypted" and app.key == PASSPHRASE


async def test_a_key_typed_before_the_store_is_open_acts_once_it_is_checked(
    demo_path: Path, clock: Clock
) -> None:
    class TypesEarly(Watched):
        def _open_after_paint(self) -> bool:
            key = events.Key("f3", None)
            key.set_sender(self)
            self.post_message(key)  # handled once this, and the checks, are done
            return super()._open_after_paint()

    app = TypesEarly(store_path=demo_path, clock=clock, early_agenda=read_early(demo_path, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "caseload", "the early key acted on")
        assert app.seen["connection"] is None and app.store_checked


async def test_a_late_lone_visit_is_on_the_first_paint(store_path: Path) -> None:
    with store_at(store_path) as db:
        episode = add_episode(db, followups_due=(), **VISITED)
        visit = add_visit(db, episode.person_id)
        lone_working.check_in(db, visit, fixed(TODAY, time(10, 0)))
    next_morning = fixed(TODAY + timedelta(days=1), time(9, 0))
    app = Watched(
        store_path=store_path, clock=next_morning, early_agenda=read_early(store_path, next_morning)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        # Once checked, the start-up message about the visit comes over Today.
        await wait_until(pilot, lambda: app.store_checked, "the store checked")
        assert app.seen["connection"] is None
        assert "Home visit with Joan Smith" in app.seen["banner"]


async def test_a_store_that_asks_first_is_opened_before_today_is_painted(
    demo_path: Path, clock: Clock
) -> None:
    with store_at(demo_path) as db:
        db.execute("DELETE FROM meta WHERE key = 'encryption'")
        db.conn.commit()
    read = read_early(demo_path, clock)
    app = Watched(store_path=demo_path, clock=clock, early_agenda=read)
    async with app.run_test(size=(100, 30)) as pilot:
        asked = lambda: isinstance(app.screen, StoreChoiceScreen)  # noqa: E731
        await wait_until(pilot, asked, "the offer to encrypt")
        # Asked before anything of the caseload shows; the store is open (not yet checked).
        assert app.current_mode != "today" and not hasattr(app, "seen")
        assert app.store_lock is read.lock
