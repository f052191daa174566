"""Reports: headline figures about the caseload."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from linkworker.display import label, short_date
from linkworker.models import ConnectionStatus, DischargeReason, ReferralSource, ReferralStatus
from linkworker.reports import snapshot
from linkworker.screens.base import LinkWorkerScreen


class ReportsScreen(LinkWorkerScreen):
    """Counts by status, source, discharge reason and connection."""

    TITLE = "Reports"
    HELP = "Figures over the whole store as of today."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", id="reports.help", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="reports-body"):
            yield Static(id="reports-headline", classes="summary")
            yield DataTable(
                id="report-figures", cursor_type="row", zebra_stripes=True, show_cursor=False
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Figure", "Count")

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Recompute the figures."""
        snap = snapshot(self.db, self.clock.today())
        self.query_one("#reports-headline", Static).update(
            f"As of {short_date(snap.today)}: {snap.people} people on record, "
            f"{snap.contacts_last_30_days} contacts in the last 30 days, "
            f"{snap.activities} activities in the directory."
        )
        table = self.query_one(DataTable)
        table.clear()

        def section(title: str, rows: dict[str, int], name: object) -> None:
            table.add_row(Text(title, style="bold"), Text(""))
            for code, n in rows.items():
                shown = label(name, code) if code != "none" else "No referral"  # type: ignore[arg-type]
                table.add_row(Text("  " + shown), Text(str(n), justify="right"))

        section("People by current referral status", snap.by_status, ReferralStatus)
        section(
            "Referrals in the last 12 months, by source",
            snap.referrals_last_year_by_source,
            ReferralSource,
        )
        section(
            "Discharges in the last 12 months, by reason",
            snap.discharges_by_reason,
            DischargeReason,
        )
        section(
            "Connections to activities, by status", snap.connections_by_status, ConnectionStatus
        )
