"""The Textual app: sections as modes, global keys with ids, the command palette, the keymap.

Screens are thin: they read and write through the core modules with ``app.db`` and the
injected ``app.clock``. Nothing here holds a business rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from sqlite_utils import Database
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from linkworker import caseload, directory
from linkworker.clock import Clock
from linkworker.commands import ActivityCommands, PeopleCommands
from linkworker.db import StoreError, open_store
from linkworker.display import short_date
from linkworker.screens.caseload import CaseloadScreen
from linkworker.screens.directory import DirectoryScreen
from linkworker.screens.help import HelpScreen
from linkworker.screens.message import MessageScreen
from linkworker.screens.reports import ReportsScreen
from linkworker.screens.today import TodayScreen
from linkworker.settings import Settings


class LinkWorkerApp(App[None]):
    """linkworker's TUI."""

    TITLE = "linkworker"
    # Absolute, so that a subclass defined elsewhere (tests, bench) still finds the stylesheet.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_BINDING = "ctrl+p"
    COMMANDS: ClassVar[set[type[Provider] | object]] = {  # type: ignore[assignment]
        PeopleCommands,
        ActivityCommands,
        *App.COMMANDS,
    }
    MODES: ClassVar = {
        "today": TodayScreen,
        "caseload": CaseloadScreen,
        "directory": DirectoryScreen,
        "reports": ReportsScreen,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "section('today')", "Today", id="section.today"),
        Binding("f3", "section('caseload')", "Caseload", id="section.caseload"),
        Binding("f4", "section('directory')", "Directory", id="section.directory"),
        Binding("f5", "section('reports')", "Reports", id="section.reports"),
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        *,
        store_path: Path,
        clock: Clock,
        settings: Settings | None = None,
        warnings: list[str] | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__()
        self.store_path = store_path
        self.clock = clock
        self.settings = settings or Settings()
        self.startup_warnings = list(warnings or [])
        self.key = key
        self._db: Database | None = None
        self.return_code_value = 0

    # --- the store -------------------------------------------------------------------

    @property
    def db(self) -> Database:
        """The open store (screens only exist once it is open)."""
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    def on_mount(self) -> None:
        try:
            self.theme = self.settings.theme
        except Exception:  # an unknown theme name must not stop the app opening
            self.startup_warnings.append(
                f"settings: theme '{self.settings.theme}' is not available; using the default"
            )
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        try:
            self._db = open_store(self.store_path, self.key, now=self.clock.now())
            directory.ensure_starter(self._db, self.clock)
        except StoreError as exc:
            self.push_screen(
                MessageScreen("linkworker cannot open the store", str(exc), quit_on_close=True)
            )
            return
        self.refresh_header()
        self.switch_mode("today")
        for warning in self.startup_warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=10)

    def on_unmount(self) -> None:
        if self._db is not None:
            self._db.close()

    def refresh_header(self) -> None:
        """Today's date and the caseload counts, in the header."""
        if self._db is None:
            return
        counts = caseload.status_counts(self._db)
        open_now = sum(counts.get(s, 0) for s in ("received", "contacting", "accepted"))
        today = self.clock.today()
        self.sub_title = (
            f"{today.strftime('%a')} {short_date(today)}  ·  {open_now} open  ·  "
            f"{counts.get('received', 0) + counts.get('contacting', 0)} awaiting contact"
        )

    # --- actions ---------------------------------------------------------------------

    def action_section(self, name: str) -> None:
        """Switch to one of the four sections."""
        if self._db is None:
            return
        # A person or modal open on top of a section closes when the section changes.
        while len(self.screen_stack) > 1 and not isinstance(
            self.screen, (TodayScreen, CaseloadScreen, DirectoryScreen, ReportsScreen)
        ):
            self.pop_screen()
        self.switch_mode(name)

    def action_help(self) -> None:
        """Show the keys of the screen in front."""
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

    def open_person(self, person_id: int) -> None:
        """Show one person's record on top of the current section."""
        from linkworker.screens.person import PersonScreen

        self.push_screen(PersonScreen(person_id))

    def open_activity(self, activity_id: int) -> None:
        """Show one activity of the directory."""
        from linkworker.screens.activity import ActivityScreen

        self.push_screen(ActivityScreen(activity_id))
