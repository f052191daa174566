"""What every screen and dialog reaches through the app: the app itself, the store, the clock
and the settings, typed (Textual's ``self.app`` is only an ``App``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from linkworker.clock import Clock
from linkworker.tui.guides import Guided

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.settings import Settings
    from linkworker.tui.app import LinkWorkerApp


class ReachesTheApp(Guided, Screen[Any]):
    """A screen (or dialog) of linkworker's app: ``lw``, ``db``, ``clock``, ``settings``.

    Its title, help and keys come from ``guide="name"`` in the class header (tui/guides.py).
    """

    @property
    def lw(self) -> LinkWorkerApp:
        return cast("LinkWorkerApp", self.app)

    @property
    def db(self) -> Database:
        return self.lw.db

    @property
    def clock(self) -> Clock:
        return self.lw.clock

    @property
    def settings(self) -> Settings:
        return self.lw.settings
