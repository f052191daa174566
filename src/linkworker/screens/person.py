"""One person's record: key facts and flags at the top, the timeline below."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from linkworker.display import flag_words, label, literal, short_date
from linkworker.models import FLAG_SYMBOLS, ReferralSource, ReferralStatus
from linkworker.screens.base import LinkWorkerScreen
from linkworker.timeline import person_facts, person_timeline
from linkworker.validation import age_on, format_nhs_number
from linkworker.widgets.text import plain


class PersonScreen(LinkWorkerScreen):
    """The person's record."""

    TITLE = "Person"
    HELP = "Key facts and flags at the top; every event on the record below, newest first."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="person.back"),
        Binding("question_mark", "app.help", "Help", id="person.help", show=False),
        Binding("a", "connect_activity", "Connect activity", id="person.connect"),
        Binding("A", "activities", "Activities", id="person.activities"),
    ]

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="person-facts", classes="facts")
        yield Static(id="person-flags", classes="flags")
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("When", key="when")
        table.add_column("What", key="what")
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the person again and repaint."""
        facts = person_facts(self.db, self.person_id)
        self._show_facts(facts)
        table = self.query_one(DataTable)
        table.clear()
        for event in person_timeline(self.db, self.person_id):
            when = short_date(event.when) + (
                f" {event.when[11:16]}" if len(event.when) > 10 else ""
            )
            table.add_row(
                Text(when),
                plain(event.summary),
                key=f"{event.table}:{event.record_id}:{event.kind}:{event.when}",
            )

    def _show_facts(self, facts: dict[str, Any]) -> None:
        p = facts["person"]
        r = facts["referral"]
        today = self.clock.today()
        age = ""
        if p["date_of_birth"]:
            from datetime import date

            age = f", {age_on(date.fromisoformat(p['date_of_birth']), today)}"
        name = literal(f"{p['given_name']} {p['family_name']}")
        preferred = f' ("{literal(p["preferred_name"])}")' if p["preferred_name"] else ""
        lines = Text()
        lines.append(name + preferred, style="bold")
        lines.append(f"  born {short_date(p['date_of_birth']) or 'unknown'}{age}")
        lines.append(f"  ·  NHS {format_nhs_number(p['nhs_number']) or 'not known'}\n")
        lines.append(
            literal(
                f"Phone {p['phone'] or '-'}  ·  {p['postcode'] or 'no postcode'}  ·  "
                f"GP {p['gp_practice'] or '-'}  ·  "
                f"Share with GP: {'yes' if p['consent_to_share_gp'] else 'no'}"
            )
        )
        if r is not None:
            lines.append("\n")
            lines.append(f"Referral: {label(ReferralStatus, r['status'])}", style="bold")
            lines.append(
                literal(
                    f"  ·  from {label(ReferralSource, r['source'])} on "
                    f"{short_date(r['received_on'])}"
                )
            )
        else:
            lines.append("\nNo referral yet.")
        self.query_one("#person-facts", Static).update(lines)
        flags = self.query_one("#person-flags", Static)
        if facts["flags"]:
            text = Text()
            for flag in facts["flags"]:
                text.append(
                    FLAG_SYMBOLS.get(flag["kind"], flag_words([flag["kind"]])), style="bold reverse"
                )
                if flag["note"]:
                    text.append(" " + literal(flag["note"]))
                text.append("   ")
            flags.update(text)
            flags.display = True
        else:
            flags.display = False
        self.sub_title = name

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_connect_activity(self) -> None:
        """Find an activity (the directory search, with the person's age and area) and
        connect the person to it."""
        from linkworker.screens.connections import ActivityPickerScreen, ConnectScreen

        def picked(activity_id: int | None) -> None:
            if activity_id is not None:
                self.app.push_screen(ConnectScreen(self.person_id, activity_id))

        self.app.push_screen(ActivityPickerScreen(self.person_id), picked)

    def action_activities(self) -> None:
        """The person's connections, suggestions and shortlist."""
        from linkworker.screens.person_activities import PersonActivitiesScreen

        self.app.push_screen(PersonActivitiesScreen(self.person_id))
