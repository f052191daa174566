"""Shared fixtures for the Textual tests; the Pilot helpers are in pilots.py beside this.

- ``steady_cursor`` (autouse): text fields' cursors do not blink.
- ``steady_pilot`` (autouse): keys and pauses wait until the app has settled (steady.py).
- ``start_app``: the whole app on a store, today fixed, started at a size.
- ``DialogHost`` / ``dialog_host``: one dialog alone over a bare screen, with the
  ``db``, ``clock`` and ``settings`` a dialog reads from the app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TextArea

from linkworker.clock import Clock
from linkworker.settings import Settings
from linkworker.store.db import Database
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.stylesheet import ParsedOnceApp

import steady

#: The size most Pilot tests use; the snapshot and small-screen tests say theirs.
SIZE = (100, 30)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text fields' cursors do not blink in tests; a focused field always shows its cursor.

    Textual hides the cursor for the second half of every second: a snapshot or a check
    made more than 0.5 s after a field got the focus (as on a busy machine) would catch it
    in the other phase. ``cursor_blink`` is the widgets' own switch for this; its class
    default is turned off because the app creates the fields itself.
    """
    for widget in (Input, TextArea):
        switch = widget.__dict__["cursor_blink"]
        monkeypatch.setattr(switch, "_default", False)


@pytest.fixture(autouse=True)
def steady_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Pilot waits after each key and pause until the app has settled (steady.py)."""
    steady.install(monkeypatch)


StartApp = Callable[..., AbstractAsyncContextManager[Pilot[Any]]]


@pytest.fixture
def start_app(clock: Clock) -> StartApp:
    """``async with start_app(path, size=(80, 24), **app_options) as pilot:``.

    The app runs on the store at ``path`` with the suite's fixed today (or ``clock=``),
    and the block starts once the app has settled on its first screen.
    """

    @asynccontextmanager
    async def start(
        path: Path, *, size: tuple[int, int] = SIZE, clock: Clock = clock, **options: Any
    ) -> AsyncIterator[Pilot[Any]]:
        app = LinkWorkerApp(store_path=path, clock=clock, **options)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield pilot

    return start


class DialogHost(ParsedOnceApp[None]):
    """A bare app that shows one dialog (a ModalScreen) and keeps what it returned.

    It has the app's stylesheet and the attributes dialogs read from the app (``db``,
    ``clock``, ``settings``, and ``store_path`` and ``key`` for a dialog whose worker opens
    its own connection), so a dialog is tested without the whole app around it.
    """

    CSS_PATH = LinkWorkerApp.CSS_PATH

    def __init__(
        self,
        dialog: Screen[Any],
        *,
        db: Database | None = None,
        clock: Clock | None = None,
        settings: Settings | None = None,
        store_path: Path | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__()
        self.dialog = dialog
        self.db = db
        self.clock = clock
        self.settings = settings or Settings()
        self.store_path = store_path
        self.key = key  # the store's passphrase (None: a plain store), as LinkWorkerApp's
        self.results: list[Any] = []  # what the dialog dismissed with, in order

    def on_mount(self) -> None:
        self.push_screen(Screen())
        self.push_screen(self.dialog, self.results.append)


HostDialog = Callable[..., AbstractAsyncContextManager[Pilot[None]]]


@pytest.fixture
def dialog_app(clock: Clock) -> Callable[..., DialogHost]:
    """``dialog_app(dialog, settings=...)``: a DialogHost to give ``snap_compare``."""

    def make(dialog: Screen[Any], **options: Any) -> DialogHost:
        return DialogHost(dialog, **{"clock": clock, **options})

    return make


@pytest.fixture
def dialog_host(clock: Clock) -> HostDialog:
    """``async with dialog_host(dialog, db=db, size=(80, 24)) as pilot:`` (pilot.app.results)."""

    @asynccontextmanager
    async def host(
        dialog: Screen[Any],
        *,
        db: Database | None = None,
        size: tuple[int, int] = SIZE,
        clock: Clock = clock,
        settings: Settings | None = None,
        store_path: Path | None = None,
    ) -> AsyncIterator[Pilot[None]]:
        app = DialogHost(dialog, db=db, clock=clock, settings=settings, store_path=store_path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield pilot

    return host


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each stylesheet source Textual itself tokenises, as it does it; the process-wide
    parse cache (tui/stylesheet.py) starts empty."""
    from textual.css.stylesheet import Stylesheet


    seen: list[str] = []
    textual_parse = Stylesheet._parse_rules

    def counted(self: Stylesheet, css: str, *args: object, **kwargs: object) -> object:
        seen.append(css)
        return textual_parse(self, css, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Stylesheet, "_parse_rules", counted)
    new_process_styles(monkeypatch)
    return seen


def new_process_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process's stylesheet has: nothing parsed or read yet, still starting."""
    from linkworker.tui.stylesheet import ParsedOnceStylesheet

    monkeypatch.setattr(ParsedOnceStylesheet, "_parsed", {})
    monkeypatch.setattr(ParsedOnceStylesheet, "_at_start", {})
    monkeypatch.setattr(ParsedOnceStylesheet, "_later_read", set())
    monkeypatch.setattr(ParsedOnceStylesheet, "_starting", True)

