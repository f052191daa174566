"""One activity of the directory, in full."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from linkworker import directory
from linkworker.display import literal, short_date
from linkworker.screens.base import LinkWorkerScreen


class ActivityScreen(LinkWorkerScreen):
    """Everything the directory knows about one activity."""

    TITLE = "Activity"
    HELP = "The activity's details, its last check, and how to get in touch."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="activity.back"),
        Binding("question_mark", "app.help", "Help", id="activity.help", show=False),
    ]

    def __init__(self, activity_id: int) -> None:
        super().__init__()
        self.activity_id = activity_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="activity-details")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the activity and repaint."""
        a = directory.get_activity(self.db, self.activity_id)
        today = self.clock.today()
        stale = directory.is_stale(a, today, self.lw.settings.stale_directory_months)
        text = Text()
        text.append(literal(a["name"]), style="bold")
        if a["organisation"]:
            text.append(literal(f"  ·  {a['organisation']}"))
        text.append(f"\nStatus: {literal(a['status'])}{'  (retired)' if a['retired'] else ''}")
        if a["alert"]:
            text.append("\n⚠ " + literal(a["alert"]), style="bold")
        text.append("\n\n" + literal(a["description"] or "", single_line=False))
        rows = [
            ("Categories", ", ".join(directory.decode_list(a["categories"]))),
            ("When", a["schedule_text"]),
            (
                "Where",
                ", ".join(x for x in (a["venue"], a["address"], a["town"], a["postcode"]) if x),
            ),
            ("Cost", a["cost"]),
            ("Who for", a["eligibility"]),
            ("Ages", _ages(a["min_age"], a["max_age"])),
            ("Access", a["accessibility"]),
            ("Languages", ", ".join(directory.decode_list(a["languages"]))),
            ("Contact", a["contact_name"]),
            ("Phone", a["phone"]),
            ("Email", a["email"]),
            ("Web", a["url"]),
            (
                "Last checked",
                (short_date(directory.last_checked(a)) or "never")
                + ("  ⚠ STALE: check before recommending" if stale else ""),
            ),
        ]
        for title, value in rows:
            if value:
                text.append(f"\n{title + ':':<14}", style="bold")
                text.append(literal(value))
        self.query_one("#activity-details", Static).update(text)
        self.sub_title = literal(a["name"])

    def action_back(self) -> None:
        self.app.pop_screen()


def _ages(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"{low}+"
    if low is None:
        return f"up to {high}"
    return f"{low}-{high}"
