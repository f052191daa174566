"""What every full screen of linkworker shares: the app, the store, the clock, and when to reload.

A screen shows the store as it was when it last called :meth:`LinkWorkerScreen.reload`. It
reloads when it comes back into view only if something changed since: a write on the app's
connection (SQLite's ``total_changes`` moved), a commit by any other connection (``PRAGMA
data_version`` moved: a thread worker, another process), or an app-wide
:class:`~linkworker.tui.messages.CaseloadChanged` (posted after work on another connection,
such as an import in a thread) that marked it stale. A worker that fails is reported by the
app's one handler (:meth:`LinkWorkerApp.worker_failed`), never here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from linkworker.tui.reach import ReachesTheApp

if TYPE_CHECKING:
    from textual.app import App

#: What a screen's styles depend on beyond its own widgets: the stylesheet (and with it the
#: theme) and the app's classes and pseudo-classes (focus, dark, ansi, no colour...).
Styling = tuple[int, frozenset[str], frozenset[str]]


def app_styling(app: App[Any]) -> Styling:
    """The app-wide state every screen's styles were worked out for."""
    return (
        app._css_update_count,
        frozenset(app.classes),
        frozenset(app.get_pseudo_classes()),
    )


class ResumesWithItsStyles(Screen[Any]):
    """A screen Textual does not restyle whole each time a section switch shows it again.

    Textual's ``switch_mode`` restyles every widget of the screen it shows (126 on Caseload:
    ~30 ms of a ~57 ms switch, where the floor's bare screen took 13; issue 18). A widget's
    own changes (its classes, focus, hover, disabled) restyle it at once, shown or not; what
    a hidden screen misses is an app-wide change: a new stylesheet or theme, or the app's
    classes and pseudo-classes, which Textual restyles on the screens in front only. So a
    screen notes that state when it is hidden and is restyled on return only if it moved.
    """

    _styled_for: Styling | None = None

    def _on_screen_suspend(self) -> None:
        self._styled_for = app_styling(self.app)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual calls them along the MRO), which
        # restyles the screen only when this leaves refresh_styles set.
        if self._styled_for is not None and self._styled_for == app_styling(self.app):
            event.refresh_styles = False


class LinkWorkerScreen(ResumesWithItsStyles, ReachesTheApp):
    """A full screen of linkworker. HELP is shown at the top of the help screen."""

    def __init__(self) -> None:
        super().__init__()
        self.stale = True
        self._changes_seen: tuple[int, int] = (-1, -1)

    def on_mount(self) -> None:
        # Mounted now, so styled with the stylesheet as it is. Textual's switch_mode marks a
        # screen's styles current only if it is mounted when it restyles the app, which a
        # section opened for the first time is not yet; without this, every later switch
        # to it restyled the whole app again (issue 18: later switches took 3-4x their floor).
        self._css_update_count = self.app._css_update_count

    # --- reloading -----------------------------------------------------------------------

    def reload(self) -> None:
        """Show the store as it is now (screens that show the store override this)."""

    def changes_now(self) -> tuple[int, int]:
        """Counters that move with every write: this connection's and any other's."""
        store = self.lw.connection  # the driver's: Today reads it before sqlite-utils loads
        if store is None:
            return (-1, -1)
        version = store.execute("PRAGMA data_version").fetchone()[0]
        return (store.total_changes, int(version))

    def mark_shown(self) -> None:
        """The screen now shows the store as it is (call after painting from the store)."""
        self.stale = False
        self._changes_seen = self.changes_now()

    def needs_reload(self) -> bool:
        """Whether the store changed since this screen last showed it."""
        return self.stale or self._changes_seen != self.changes_now()

    def on_screen_resume(self) -> None:
        if self.needs_reload():
            self.mark_shown()
            self.reload()

    # --- workers ---------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A worker's failure goes to the app's one handler; its result to worker_done.
        if event.state is WorkerState.ERROR:
            if not self.worker_refused(event.worker):
                self.lw.worker_failed(event.worker)
        elif event.state is WorkerState.SUCCESS:
            self.worker_done(event.worker)

    def worker_refused(self, worker: Worker[Any]) -> bool:
        """Say a worker's expected failure (``worker.error``) on this screen; True if said.

        An import refused for a bad feed belongs in the screen's status line, not a dialog;
        anything a screen does not claim goes to the app's one handler.
        """
        return False

    def worker_done(self, worker: Worker[Any]) -> None:
        """A worker this screen started finished; its return value is ``worker.result``."""
