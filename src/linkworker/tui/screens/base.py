"""What every linkworker screen shares: typed access to the app, the store and the clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlite_utils import Database
from textual.screen import ModalScreen, Screen

from linkworker.clock import Clock

if TYPE_CHECKING:
    from linkworker.tui.app import LinkWorkerApp


class LinkWorkerScreen(Screen[Any]):
    """A full screen of linkworker. HELP is shown at the top of the help screen."""

    HELP = ""

    @property
    def lw(self) -> LinkWorkerApp:
        return cast("LinkWorkerApp", self.app)

    @property
    def db(self) -> Database:
        return self.lw.db

    @property
    def clock(self) -> Clock:
        return self.lw.clock


class LinkWorkerModal(ModalScreen[Any]):
    """A dialog over the current screen."""

    HELP = ""

    @property
    def lw(self) -> LinkWorkerApp:
        return cast("LinkWorkerApp", self.app)

    @property
    def db(self) -> Database:
        return self.lw.db

    @property
    def clock(self) -> Clock:
        return self.lw.clock
