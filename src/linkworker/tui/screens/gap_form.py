"""Recording an unmet need: from the person's record (N) or from the activity search when
nothing fits (Ctrl+N while choosing an activity for a person). One form; the core
(:func:`linkworker.gaps.record_gap`) keeps the postcode district and audits the write."""

from __future__ import annotations

import json

from rich.text import Text
from sqlite_utils import Database
from textual.app import ComposeResult
from textual.widgets import Input

from linkworker import gaps, people, referrals
from linkworker.display import literal, short_date
from linkworker.models import GapBarrier, GapDetails, NeedDomain
from linkworker.tui.dialogs import FormDialog, choice_row, text_row
from linkworker.tui.dialogs.form import date_field
from linkworker.tui.messages import CaseloadChanged


def referral_needs(db: Database, person_id: int) -> list[str]:
    """The need codes of the person's latest referral (the first is the form's default)."""
    referral = referrals.latest_referral(db, person_id)
    try:
        found = json.loads(referral["needs"]) if referral else []
    except (TypeError, ValueError):
        found = []
    return [str(code) for code in found if str(code) in {m.value for m in NeedDomain}]


class GapScreen(FormDialog[int], guide="gap"):
    """An unmet need for one person: the need, what stood in the way, a note. Dismisses with
    the new gap's id (or None)."""

    FIELDS = ("need", "barrier", "note")
    SAVE_LABEL = "Record"

    def __init__(self, person_id: int, *, searched: str = "") -> None:
        super().__init__()
        self.person_id = person_id
        #: What the directory search held when nothing fitted ('' from the record).
        self.searched = searched.strip()

    def heading(self) -> Text:
        person = people.get_person(self.db, self.person_id)
        name = f"{person['given_name']} {person['family_name']}"
        return Text(literal(f"Unmet need: {name}"))

    def compose_fields(self) -> ComposeResult:
        needs = referral_needs(self.db, self.person_id)
        yield choice_row("need", "Need *", NeedDomain.choices(), needs[0] if needs else None)
        default = GapBarrier.NO_ACTIVITY.value if self.searched else None
        yield choice_row("barrier", "Barrier *", GapBarrier.choices(), default)
        hint = f"searched for: {literal(self.searched)}" if self.searched else ""
        yield text_row(
            "note", "Note", placeholder="what was looked for, why nothing fits", hint=hint
        )
        today = short_date(self.clock.today())
        yield text_row("on", "On", placeholder=f"blank for today ({today})")

    def save(self) -> None:
        def write() -> int:
            values = self.values()
            on = date_field(self.query_one("#on", Input).value, "on", required=False)
            values["recorded_on"] = on or self.clock.today()
            if self.searched:
                values["searched"] = self.searched
            details = GapDetails.model_validate(values, context={"today": self.clock.today()})
            return gaps.record_gap(self.db, self.person_id, details, self.clock)

        def told(_gap_id: int) -> None:
            self.app.post_message(CaseloadChanged(self.person_id))
            self.notify(
                "Unmet need recorded: it counts in the gap report.",
                title="Unmet need",
                markup=False,
            )

        self.save_with(write, then=told)
