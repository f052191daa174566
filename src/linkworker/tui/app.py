"""The Textual app: sections as modes, global keys with ids, the command palette, the keymap.

Screens are thin: they read and write through the core modules with ``app.db`` and the
injected ``app.clock``. Nothing here holds a business rule.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import DataTable, OptionList
from textual.worker import Worker, WorkerState

from linkworker import collector
from linkworker.clock import Clock
from linkworker.display import short_date
from linkworker.followups import early
from linkworker.followups.early import LINES_PER_BUCKET
from linkworker.settings_start import SettingsNow, differs, read_start_settings
from linkworker.store import driver
from linkworker.tui import accessibility, keymap
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.screens.today import TodayScreen
from linkworker.tui.store_safety import StoreSafety
from linkworker.tui.stylesheet import ParsedOnceStylesheet
from linkworker.tui.typed_ahead import TypedAhead

if TYPE_CHECKING:
    # Neither loads before Today is painted (the driver reads it; settings wait for it).
    from sqlite_utils import Database

    from linkworker.followups.early import EarlyAgenda
    from linkworker.settings import Settings
    from linkworker.store.driver import Connection
    from linkworker.tui.messages import CaseloadChanged
    from linkworker.tui.screens.lock import LockScreen

STYLES = Path(__file__).parent / "styles"


def _provider(name: str) -> Any:
    """A command palette provider class, imported on first use."""
    from linkworker.tui import commands

    return getattr(commands, name)


def _section(module: str, name: str) -> Screen[Any]:
    """A section screen, imported on first use."""
    import importlib

    screen_class = getattr(importlib.import_module(f"linkworker.tui.screens.{module}"), name)
    return cast("Screen[Any]", screen_class())


class LinkWorkerApp(StoreSafety):
    """linkworker's TUI."""

    TITLE = "linkworker"
    # Absolute, so that a subclass defined elsewhere (tests, bench) still finds the styles:
    # app.tcss (what every screen shares) first, then one stylesheet per component.
    CSS_PATH: ClassVar = [
        STYLES / "app.tcss",
        *sorted(p for p in STYLES.glob("*.tcss") if p.name != "app.tcss"),
    ]
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    # Providers load when the palette first opens, not at start.
    COMMANDS: ClassVar = {
        lambda: _provider("PeopleCommands"),
        lambda: _provider("ActivityCommands"),
        *App.COMMANDS,
    }
    MODES: ClassVar = {
        # Only Today is imported at start: the others load when first opened.
        "today": TodayScreen,
        "caseload": lambda: _section("caseload", "CaseloadScreen"),
        "directory": lambda: _section("directory", "DirectoryScreen"),
        "reports": lambda: _section("reports", "ReportsScreen"),
    }
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("app")
    # How often the idle lock looks at the time since the last input (tests shorten it).
    IDLE_CHECK_SECONDS: ClassVar[float] = 5.0

    def __init__(
        self,
        *,
        store_path: Path,
        clock: Clock,
        settings: Settings | None = None,
        warnings: list[str] | None = None,
        settings_file: Path | None = None,
        key: str | None = None,
        unencrypted: bool = False,
        ask_name_into: Path | None = None,
        early_agenda: EarlyAgenda | None = None,
        keep_styles_in: Path | None = None,
    ) -> None:
        super().__init__(keep_styles_in=keep_styles_in)
        # The settings.toml a first run saves the worker's name to (None: never asks).
        self.ask_name_into = ask_name_into
        self.store_path = store_path
        self.clock = clock
        self._settings = settings
        # Given none, settings.toml is read raw for Today's paint and validated after it.
        self._settings_file = settings_file if settings is None else None
        self._start_settings = read_start_settings(self._settings_file)
        self.startup_warnings = list(warnings or [])
        self.key = key
        self.connection: Connection | None = None
        # The store's checks that wait for Today's first paint (screens/opening.py).
        self._checks: Callable[[], bool] | None = None
        self.return_code_value = 0
        # Store safety (issue 8): see the section at the end of this class.
        self.unencrypted = unencrypted  # --unencrypted: the explicit choice of a plain store
        self.read_only = False  # another linkworker has the store: nothing may be written
        self.damaged = ""  # set when the store failed its integrity check (read-only then)
        self.encryption = ""  # what the header says: "encrypted", "not encrypted (by choice)"
        # Today's agenda read in a child as the app starts, with the lock it took for the app.
        self.early_agenda = early_agenda.kept_for(store_path) if early_agenda else None
        self.store_lock = self.early_agenda.lock if self.early_agenda else None
        self.monotonic: Callable[[], float] = time.monotonic  # injected by idle-lock tests
        self._last_input = 0.0
        self._lock_screen: LockScreen | None = None
        self._held_screens: list[tuple[Screen[Any], Any]] = []
        self._held_mode: str | None = None
        self._held_notes: list[tuple[str, dict[str, Any]]] = []
        self.fault_message = ""  # set when a store fault ended the app
        self.typed_ahead = TypedAhead(self, super().on_event)
        accessibility.apply_settings(self, self.settings_now)

    # --- the store -------------------------------------------------------------------

    @property
    def db(self) -> Database:
        """The open store (screens only exist once it is open)."""
        db = self._db
        if db is None:
            raise RuntimeError("the store is not open")
        return db

    @property
    def settings(self) -> Settings:
        """The settings, validated: those given, else settings.toml's (its warnings join the
        ones shown after the paint), else the defaults; worked out on first use."""
        if self._settings is None:
            from linkworker.settings import load_settings

            self._settings, warnings = load_settings(self._settings_file)
            self.startup_warnings.extend(warnings)
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def settings_now(self) -> SettingsNow:
        """What Today's first paint reads: the settings given, else their defaults, which
        need no pydantic (the full settings are validated right after the paint)."""
        return self._settings if self._settings is not None else self._start_settings

    @property
    def store_checked(self) -> bool:
        """False while the store's integrity and migration checks wait for the first paint."""
        return self._checks is None

    def on_mount(self) -> None:
        try:
            self.theme = accessibility.theme_name(self.settings_now.theme)
        except Exception:  # an unknown theme name must not stop the app opening
            self.startup_warnings.append(
                f"settings: theme '{self.settings_now.theme}' is not available; using the default"
            )
        accessibility.match_colour_filter(self)
        self.theme_changed_signal.subscribe(self, lambda _: accessibility.match_colour_filter(self))
        if self.settings_now.keymap:
            # Old binding ids still work (dialogs/base.py, loaded only for a keymap).
            from linkworker.tui.dialogs.base import keymap_of

            self.set_keymap(keymap_of(self.settings_now.keymap))
        # After Textual's start-up batch, in which no frame reaches the terminal: Today's
        # first paint must be one that does, before the store's checks run (they follow it).
        self.call_later(self._open_the_store)
        # Today lets the cycle collector go after its first frame; this, if it never paints.
        self.set_timer(collector.AT_THE_LATEST_SECONDS, collector.resume_after_start)

    def on_unmount(self) -> None:
        ParsedOnceStylesheet.save_kept()
        if self.early_agenda is not None:
            self.early_agenda.close()
        if self.connection is not None:
            self.connection.close()
        if self.store_lock is not None:
            self.store_lock.release()

    def refresh_header(self) -> None:
        """Today's date and the caseload counts, in the header."""
        try:
            counts = early.header_counts(self.early_agenda, self.connection)
        except driver.DatabaseError:
            if self.store_checked:
                raise
            return  # not readable as it is: the store's checks, next, say why or migrate it
        if counts is None:
            return  # the store is not open yet
        open_now = sum(counts.get(s, 0) for s in ("received", "contacting", "accepted"))
        today = self.clock.today()
        self.sub_title = (
            f"{today.strftime('%a')} {short_date(today)}  ·  {open_now} open  ·  "
            f"{counts.get('received', 0) + counts.get('contacting', 0)} awaiting contact"
        )

    def on_caseload_changed(self, event: CaseloadChanged) -> None:
        """Something was saved: the header's counts, and every section when next shown
        (Textual finds this by its name: the message's module loads with the first write)."""
        self.refresh_header()
        for screen in self._every_screen():
            if hasattr(screen, "stale"):
                screen.stale = True

    @on(events.DescendantFocus)
    @on(DataTable.RowHighlighted)
    @on(DataTable.CellHighlighted)
    @on(OptionList.OptionHighlighted)
    def _follow_focus(self) -> None:
        # Screen readers and braille displays follow the terminal cursor (accessibility.py).
        self.call_after_refresh(accessibility.place_cursor, self)

    def on_list_view_highlighted(self) -> None:
        # By its handler's name: ListView's module loads with the first list (not Today).
        self._follow_focus()

    def _every_screen(self) -> Iterable[Screen[Any]]:
        seen: set[int] = set()
        for stack in self._screen_stacks.values():
            for screen in stack:
                if id(screen) not in seen:
                    seen.add(id(screen))
                    yield screen

    def worker_failed(self, worker: Worker[Any]) -> None:
        """The one handler of a failed worker: a store fault ends the app, else a message."""
        error = worker.error
        if error is None:
            return
        if self.store_fault(error) is not None:
            self._handle_exception(error if isinstance(error, Exception) else Exception(error))
            return
        from linkworker.tui.dialogs.message import MessageDialog

        what = worker.name or "That"
        self.push_screen(
            MessageDialog(
                f"{what[:1].upper()}{what[1:]} did not finish",
                f"{error}\n\nNothing was half-saved: each change is saved whole or not at all.",
            )
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app's own workers (backups); screens forward theirs to worker_failed.
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)

    # --- actions ---------------------------------------------------------------------

    def action_section(self, name: str) -> None:
        """Switch to one of the four sections."""
        if self.connection is None or not self.store_checked:
            return
        # A person or modal open on top of a section closes when the section changes.
        while len(self.screen_stack) > 1 and not getattr(self.screen, "IS_SECTION", False):
            self.pop_screen()
        self.switch_mode(name)

    def action_help(self) -> None:
        """Show the keys of the screen in front."""
        from linkworker.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Today", "The daily agenda (F2)", lambda: self.action_section("today"))
        yield SystemCommand(
            "Caseload", "Everyone on the caseload (F3)", lambda: self.action_section("caseload")
        )
        yield SystemCommand(
            "Directory", "Community activities (F4)", lambda: self.action_section("directory")
        )
        yield SystemCommand(
            "Reports", "Caseload figures (F5)", lambda: self.action_section("reports")
        )
        yield from self.safety_commands()

    def open_person(self, person_id: int) -> None:
        """Show one person's record on top of the current section."""
        from linkworker.tui.screens.person import PersonScreen

        self.push_screen(PersonScreen(person_id))

    def open_activity(self, activity_id: int) -> None:
        """Show one activity of the directory."""
        from linkworker.tui.screens.activity import ActivityScreen

        self.push_screen(ActivityScreen(activity_id))

    # --- store safety (issue 8): the opened store, idle lock, backups, faults -----------

    def _open_the_store(self) -> None:
        """Paint Today from the early read when it allows, and open the store right after
        that paint; else open it first: lock, passphrase and faults come before the
        caseload (screens/opening.py), and store_opened() shows it."""
        early = self.early_agenda
        if early and early.paints_first(self.clock.today(), self.settings_now, LINES_PER_BUCKET):
            self._checks = self._open_after_paint  # run_store_checks, after Today's paint
            self.encryption = early.encryption()  # the header says so from the first paint
            self.typed_ahead.hold()
            self.refresh_header()
            self.switch_mode("today")
            return
        from linkworker.tui.screens.opening import StoreOpening

        StoreOpening(self).start()

    def _open_after_paint(self) -> bool:
        """Open the store Today was painted for (nothing is asked: the child judged so),
        then run its checks; False when there is nothing more to do here: the store was
        refused, or it asked after all, or it opened checked (the safeguards started)."""
        from linkworker.tui.screens.opening import StoreOpening

        StoreOpening(self).start()  # ends in store_opened, with the checks still to run
        checks, self._checks = self._checks, None
        for screen in self._every_screen():
            if isinstance(screen, LinkWorkerScreen):
                # What Today shows is the store as it is now (the lock was held from the
                # read); if the opening asked after all, it is read again once open.
                screen.mark_shown()
                screen.stale = self.connection is None
        return checks() if checks is not None and self.connection is not None else False

    def store_opened(
        self,
        connection: Connection,
        key: str | None,
        *,
        read_only: bool = False,
        damaged: str = "",
        checks: Callable[[], bool] | None = None,
    ) -> None:
        """The store is open (screens/opening.py): paint Today, then start the safeguards.

        ``damaged``: the store failed its integrity check, so it is open read-only; the
        words say why and name the newest good backup. ``checks``: the store's integrity
        and migration checks, not run yet: Today is painted first, from the driver's
        connection, and they run right after (:meth:`run_store_checks`), with every key
        typed meanwhile held, so nothing can be written before they have passed.
        """
        from linkworker.store import security

        self.connection = connection
        self.key = key
        self.read_only = read_only
        self.damaged = damaged
        self.encryption = security.describe_encryption(
            key is not None, security.encryption_record(connection)
        )
        self._checks = checks
        if checks is not None:
            self.typed_ahead.hold()
        if self.current_mode != "today":  # else painted already, from the early read
            self.refresh_header()
            self.switch_mode("today")
        if checks is None:
            self._safeguards()

    def run_store_checks(self) -> None:
        """Run the checks that waited for Today's first paint, then start the safeguards;
        the keys typed meanwhile go on once they are done (or to the fault's message)."""
        checks, self._checks = self._checks, None
        if checks is None:
            return
        try:
            if not checks():
                return  # the store was refused: its message is shown, the app closes
            self.refresh_header()
            screen, painted_with = self.screen, self._start_settings
            # Migrated, or not readable before, or painted with a setting the validation
            # refuses (validated here, after the paint): Today is painted again now.
            refused = self._settings is None and differs(painted_with, self.settings)
            if isinstance(screen, LinkWorkerScreen) and (screen.needs_reload() or refused):
                screen.mark_shown()
                screen.reload()
            self._safeguards()
        finally:
            self.typed_ahead.release()

    def _safeguards(self) -> None:
        """What follows a store that passed its checks: the first run's directory, the
        settings' and the store's warnings, the idle lock, backups, the name."""
        db = self.db
        _ = self.settings  # validated now, after the first paint
        starter_done = db.execute(
            "SELECT 1 FROM meta WHERE key = 'starter_directory_loaded'"
        ).fetchone()
        if not self.read_only and not starter_done:
            # Imported only on a first run: the importer is not needed to show Today.
            from linkworker import directory

            directory.ensure_starter(db, self.clock)
            self.refresh_header()
        for warning in self.startup_warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=10)
        if not self.read_only:
            self._finish_interrupted(self.key)
        self.say_if_read_only()
        self._start_idle_lock()
        self._start_automatic_backup()
        self._ask_for_name()
        # Pushed last, so it is the first thing read: a lone visit not checked out in time.
        self.call_later(self._warn_overdue_visits)

    def _warn_overdue_visits(self) -> None:
        # The care screen's message (and the dialog family) load only when one is late.
        from linkworker import lone_working

        conn = self.connection
        if conn is None or not lone_working.overdue_visits(conn, self.clock.now(), self.settings):
            return
        from linkworker.tui.screens.care import warn_overdue_visits

        warn_overdue_visits(self)

    def _ask_for_name(self) -> None:
        """A first run asks who is writing; skipped, it asks once more at the next start."""
        path, settings = self.ask_name_into, self.settings
        if path is None or self.read_only or settings.worker_name:
            return
        if settings.worker_name_asked < 2:
            # Only when it asks: the dialog family is not needed at every start.
            from linkworker.tui.screens.worker_name import ask_for_name

            ask_for_name(self, path, settings)

    # The idle lock --------------------------------------------------------------------

    def _start_idle_lock(self) -> None:
        self._last_input = self.monotonic()
        if self.settings.idle_lock_minutes > 0:
            self.set_interval(self.IDLE_CHECK_SECONDS, self.check_idle_lock, name="idle-lock")

    async def on_event(self, event: events.Event) -> None:
        # Key presses, clicks and scrolling count as input; a mouse drifting over does not.
        if isinstance(
            event, (events.Key, events.MouseDown, events.MouseScrollUp, events.MouseScrollDown)
        ):
            self._last_input = self.monotonic()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.typed_ahead.key(event)  # in turn, once the screen has settled
        else:
            await super().on_event(event)

    def check_idle_lock(self) -> None:
        """Lock the screen once ``idle_lock_minutes`` have passed without input."""
        minutes = self.settings.idle_lock_minutes
        if minutes <= 0 or self._db is None or self._lock_screen is not None:
            return
        if self.monotonic() - self._last_input < minutes * 60:
            return
        if not self.can_lock():
            # Nothing could check who unlocks it, so close rather than stay open.
            self.exit(
                return_code=0,
                message=f"linkworker closed itself after {minutes} minutes without input "
                "(this unencrypted store has no lock passphrase to lock it with).",
            )
            return
        self.lock_now()

    def action_lock(self) -> None:
        """Hide the caseload behind the lock screen now."""
        if self._db is None or self._lock_screen is not None:
            return
        if not self.can_lock():
            if self.read_only:
                self.notify("Set a lock passphrase in the linkworker that can write first.")
                return
            self.action_set_lock_passphrase(then_lock=True)
            return
        self.lock_now()

    def lock_now(self) -> None:
        """Push the lock screen over everything (modals included); keep what is beneath."""
        self.clear_notifications()
        what = "passphrase" if self.key is not None else "lock passphrase"
        from linkworker.tui.screens.lock import LockScreen

        self._lock_screen = LockScreen(self.unlock, what)
        super().push_screen(self._lock_screen)

    @property
    def locked(self) -> bool:
        return self._lock_screen is not None

    def unlock(self, typed: str) -> str | None:
        """Check what was typed on the lock screen; unlock and return None when right."""
        if not self.unlocks(typed):
            return "Wrong passphrase"
        screen, self._lock_screen = self._lock_screen, None
        if screen is not None and self.screen is screen:
            self.pop_screen()
        self._last_input = self.monotonic()
        # Whatever tried to appear while locked appears now, in order.
        mode, self._held_mode = self._held_mode, None
        if mode is not None:
            self.switch_mode(mode)
        held, self._held_screens = self._held_screens, []
        for waiting, callback in held:
            self.push_screen(waiting, callback)
        notes, self._held_notes = self._held_notes, []
        for message, options in notes:
            self.notify(message, **options)
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While locked, only quitting works: no section keys, help or command palette.
        if self._lock_screen is not None and action not in ("quit", "lock"):
            return False
        return super().check_action(action, parameters)

    def push_screen(
        self,
        screen: Screen[Any] | str,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        """Push a screen, except over the lock screen: then it waits for the unlock."""
        visible = mode is None or mode == self.current_mode
        if self._lock_screen is not None and visible and screen is not self._lock_screen:
            if wait_for_dismiss:
                future: Any = asyncio.get_running_loop().create_future()

                def settle(result: Any) -> None:
                    if callback is not None:
                        callback(result)
                    if not future.done():
                        future.set_result(result)

                self._held_screens.append((screen, settle))  # type: ignore[arg-type]
                return future
            self._held_screens.append((screen, callback))  # type: ignore[arg-type]
            return AwaitMount(self.screen, [])
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload]

    def delay_update(self, delay: float = 0.05) -> None:
        # Textual's switch_mode holds frames back 50 ms to mask a change of section; the
        # first section, shown at start over an empty screen, has nothing to mask.
        if self.current_mode != self.DEFAULT_MODE:
            super().delay_update(delay)

    def switch_mode(self, mode: str) -> AwaitMount:
        """Switch section, except while locked: then after the unlock."""
        if self._lock_screen is not None:
            self._held_mode = mode
            return AwaitMount(self.screen, [])
        return super().switch_mode(mode)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification, except over the lock screen: then after the unlock."""
        options: dict[str, Any] = {
            "title": title,
            "severity": severity,
            "timeout": timeout,
            "markup": markup,
        }
        if self._lock_screen is not None:
            self._held_notes.append((message, options))
            return
        super().notify(message, **options)
