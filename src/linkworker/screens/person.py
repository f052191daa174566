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
        Binding("f", "book_followup", "Book follow-up", id="person.book_followup"),

        Binding("w", "record_conversation", "What matters", id="person.conversation"),
        Binding("g", "add_goal", "Goal", id="person.goal"),
        Binding("v", "review_goal", "Review goal", id="person.review_goal", show=False),
        Binding("m", "record_measure", "Measure", id="person.measure"),
        Binding("p", "open_plan('plan')", "Plan", id="person.plan"),
        Binding("o", "open_plan('outcomes')", "Outcomes", id="person.outcomes"),

        Binding("ctrl+g", "message_to_gp", "Message to GP", id="person.message_to_gp"),
    ]

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="person-facts", classes="facts")
        yield Static(id="person-flags", classes="flags")
        yield Static(id="person-plan", classes="plan-strip")
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
        self._show_plan()
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

    def action_book_followup(self) -> None:
        """Book a follow-up for this person (date, time, kind, where, purpose, repeat)."""
        from linkworker.followups import Booking
        from linkworker.screens.followup_forms import BookFollowUpModal, FollowUpBooked

        def booked(result: Booking | None) -> None:
            if result is None:
                return
            self.post_message(FollowUpBooked(self.person_id, result))
            self.reload()
            count = len(result.followup_ids)
            clash = ""
            if result.clashes:
                clash = f" It overlaps {len(result.clashes)} other booking(s)."
            self.notify(f"Booked {count} follow-up{'s' if count != 1 else ''}.{clash}")

        self.app.push_screen(BookFollowUpModal(self.person_id), booked)

    # --- "what matters", the plan and measures (screens/plan.py) --------------------------

    def _show_plan(self) -> None:
        from linkworker.screens.plan import plan_strip

        self.query_one("#person-plan", Static).update(plan_strip(self, self.person_id))

    def action_record_conversation(self) -> None:
        """Record a "what matters to you" conversation."""
        from linkworker.screens.plan import start_conversation

        start_conversation(self, self.person_id)

    def action_add_goal(self) -> None:
        """Agree a goal and its actions."""
        from linkworker.screens.plan import start_goal

        start_goal(self, self.person_id)

    def action_review_goal(self) -> None:
        """Review an open goal."""
        from linkworker.screens.plan import start_review

        start_review(self, self.person_id)

    def action_record_measure(self) -> None:
        """Enter an outcome measure."""
        from linkworker.screens.plan import start_measure

        start_measure(self, self.person_id)

    def action_open_plan(self, tab: str) -> None:
        """Open the plan, conversations and outcomes area."""
        from linkworker.screens.plan import open_plan

        open_plan(self, self.person_id, tab)

    def action_message_to_gp(self) -> None:
        """Show the message back to the GP for the latest episode and copy it (one key)."""
        from linkworker import exports, reports
        from linkworker.screens.gp_message import GPMessageScreen

        try:
            message = reports.gp_message(self.db, self.person_id, self.clock.today())
        except LookupError as exc:
            self.notify(str(exc), title="Message to GP", severity="warning")
            return
        text = exports.gp_message_text(message)
        self.app.copy_to_clipboard(text)
        self.app.push_screen(GPMessageScreen(text, shares_detail=message.shares_detail))
