"""Directory: the community activities, searchable as you type, with filters."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.widgets import Header

from linkworker import directory
from linkworker.display import literal
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.widgets.activity_search import ActivitySearch
from linkworker.tui.widgets.keys_footer import KeysFooter


class DirectoryScreen(LinkWorkerScreen, guide="directory"):
    """Search and browse activities; add, edit, verify and import them."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ActivitySearch(id="activity-search")
        yield KeysFooter()

    @property
    def search(self) -> ActivitySearch:
        return self.query_one(ActivitySearch)

    def reload(self) -> None:
        """Read the filters' choices and run the search again."""
        self.search.fill_choices()
        self.search.reload()

    @on(ActivitySearch.Chosen)
    def _open(self, event: ActivitySearch.Chosen) -> None:
        self.lw.open_activity(event.activity_id)

    def action_focus_search(self) -> None:
        self.search.focus_search()

    def action_clear_search(self) -> None:
        self.search.clear_search()

    def _current(self) -> int | None:
        activity_id = self.search.current_id()
        if activity_id is None:
            self.notify("No activity is highlighted.", severity="warning", markup=False)
        return activity_id

    def action_add(self) -> None:
        from linkworker.tui.screens.activity_form import ActivityFormScreen

        def added(activity_id: int | None) -> None:
            if activity_id is not None:
                self.lw.open_activity(activity_id)

        self.app.push_screen(ActivityFormScreen(None), added)

    def action_edit(self) -> None:
        from linkworker.tui.screens.activity_form import ActivityFormScreen

        activity_id = self._current()
        if activity_id is not None:
            self.app.push_screen(ActivityFormScreen(activity_id))

    def action_verified(self) -> None:
        def verify(activity_id: int) -> str:
            on = directory.mark_verified(self.db, activity_id, self.clock)
            return f"verified by you today ({on})."

        self._mark_current(verify, title="Verified")

    def action_favourite(self) -> None:
        def toggle(activity_id: int) -> str:
            now = directory.toggle_favourite(self.db, activity_id, self.clock)
            return "★ a favourite." if now else "no longer a favourite."

        self._mark_current(toggle)

    def _mark_current(self, mark: Callable[[int], str], *, title: str = "") -> None:
        """Mark the highlighted activity (``mark`` says what it did) and tell the worker."""
        activity_id = self._current()
        if activity_id is None:
            return
        done = mark(activity_id)
        name = directory.get_activity(self.db, activity_id)["name"]
        self.reload()
        self.notify(literal(f"{name}: {done}"), title=title, markup=False)

    def action_import_feed(self) -> None:
        from linkworker.tui.screens.directory_files import ImportFeedScreen

        self.app.push_screen(ImportFeedScreen())

    def action_pull_feed(self) -> None:
        from linkworker.tui.screens.directory_pull import PullFeedScreen

        self.app.push_screen(PullFeedScreen())

    def action_export_feed(self) -> None:
        from linkworker.tui.screens.directory_files import ExportFeedScreen

        self.app.push_screen(ExportFeedScreen())

    def action_feed_quality(self) -> None:
        from linkworker.tui.screens.directory_quality import FeedQualityDialog

        self.app.push_screen(FeedQualityDialog())

    def action_merge_knowledge(self) -> None:
        """Merge what a colleague shared about activities: the changes shown, then applied."""
        from linkworker.tui.screens.handover import merge_knowledge

        merge_knowledge(self, lambda words: self.notify(words, markup=False))
