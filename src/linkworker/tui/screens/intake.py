"""Intake: the referral form (a new person or someone on record) and the duplicate check.

The form validates with the same pydantic models as the CSV import, shows every error beside
its field, and saves nothing until all are put right. A referral received over a year ago or
a date of birth giving an age over 110 asks "are you sure?" first. Before a new person is
added, the core looks for someone on record with the same NHS number or the same name and
date of birth; if there is, the link worker is offered that person (a re-referral opens a new
episode). An NHS number on record under another name or date of birth is shown side by side
(:class:`IdentityCheckScreen`) with no default: the worker decides which it is.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pydantic import ValidationError
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, DataTable, SelectionList, Static, TextArea

from linkworker import information_needs, people, referrals
from linkworker.display import label, short_date
from linkworker.errors import CaseloadError
from linkworker.models import (
    InformationNeeds,
    NeedDomain,
    PersonDetails,
    ReferralDetails,
    ReferralSource,
    ReferralStatus,
    Urgency,
    field_errors,
)
from linkworker.people import PersonMatch
from linkworker.referrals import IntakeResult
from linkworker.tui.dialogs import Dialog, FormDialog, button, choice_row, field_row, text_row
from linkworker.tui.screens.information_needs import NEED_FIELDS, need_rows
from linkworker.tui.screens.person_edit import (
    INTAKE_PERSON_FIELDS,
    YES_NO,
    ask_if_doubtful,
    person_field_rows,
)
from linkworker.tui.widgets.choices import TickList
from linkworker.tui.widgets.tables import RowTable
from linkworker.tui.widgets.text import plain
from linkworker.validation import doubtful_dates, format_date, format_nhs_number

REFERRAL_FIELDS = (
    "source",
    "referrer_name",
    "referrer_organisation",
    "received_on",
    "needs",
    "urgency",
    "reason",
    "consent_to_share_gp",
)

NEEDS_HINT = "Space ticks; several allowed. None chosen yet."


class IntakeScreen(FormDialog[IntakeResult], guide="intake"):
    """The referral form. With ``person_id`` it is a new referral for someone on record."""

    SAVE_LABEL = "Save referral"

    def __init__(self, person_id: int | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        #: The communication needs the form gave for a new person (checked on save).
        self.needs: InformationNeeds | None = None

    def heading(self) -> Text:
        if self.person_id is None:
            return Text("New referral")
        p = people.get_person(self.db, self.person_id)
        return Text("New referral for ") + plain(f"{p['given_name']} {p['family_name']}")

    def compose_fields(self) -> ComposeResult:
        if self.person_id is None:
            yield Static("The person", classes="form-section")
            yield from person_field_rows(INTAKE_PERSON_FIELDS)
            yield Static("Communication and information needs", classes="form-section")
            yield from need_rows()
        else:
            p = people.get_person(self.db, self.person_id)
            born = short_date(p["date_of_birth"]) or "date of birth not known"
            nhs = format_nhs_number(p["nhs_number"]) or "no NHS number"
            yield Static(
                plain(f"{p['given_name']} {p['family_name']}  ·  born {born}  ·  NHS {nhs}"),
                id="intake-person",
            )
        yield Static("The referral", classes="form-section")
        yield choice_row(
            "source", "Referred by *", ReferralSource.choices(), prompt="Choose a source"
        )
        yield text_row("referrer_name", "Referrer's name")
        yield text_row("referrer_organisation", "Organisation")
        yield text_row(
            "received_on", "Received on *", format_date(self.clock.today(), "numeric"), "dd/mm/yyyy"
        )
        yield field_row(
            "needs",
            "Reasons (needs)",
            TickList[str](*NeedDomain.choices(), id="needs"),
            hint=NEEDS_HINT,
        )
        yield choice_row("urgency", "Urgency", Urgency.choices(), Urgency.ROUTINE.value)
        yield field_row(
            "reason",
            "In the referrer's words",
            TextArea(id="reason", classes="short"),
        )
        yield choice_row(
            "consent_to_share_gp", "Consent to share with GP", YES_NO, prompt="Not recorded"
        )

    @on(SelectionList.SelectedChanged, "#needs")
    def _needs_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        # Ticks are told apart by colour only, so the choice is also spelt out in words.
        chosen = [label(NeedDomain, value) for value in event.selection_list.selected]
        hint = self.query_one("#needs-hint", Static)
        hint.update("Chosen: " + ", ".join(chosen) if chosen else NEEDS_HINT)

    def save(self) -> None:
        context = {"today": self.clock.today()}
        errors: dict[str, str] = {}
        person: PersonDetails | None = None
        referral: ReferralDetails | None = None
        if self.person_id is None:
            try:
                person = PersonDetails.model_validate(
                    self.values(INTAKE_PERSON_FIELDS), context=context
                )
            except ValidationError as exc:
                errors.update(field_errors(exc))
            try:
                self.needs = InformationNeeds.model_validate(self.values(NEED_FIELDS))
            except ValidationError as exc:
                errors.update(field_errors(exc))
        try:
            referral = ReferralDetails.model_validate(self.values(REFERRAL_FIELDS), context=context)
        except ValidationError as exc:
            errors.update(field_errors(exc))
        if errors or referral is None:
            self.show_errors(errors)
            return
        doubts = doubtful_dates(
            self.clock.today(),
            received_on=referral.received_on,
            date_of_birth=person.date_of_birth if person is not None else None,
        )
        ask_if_doubtful(self, doubts, partial(self._check_on_record, person, referral))

    def _check_on_record(self, person: PersonDetails | None, referral: ReferralDetails) -> None:
        if person is not None:
            matches = people.find_duplicates(self.db, person)
            chosen = partial(self._duplicate_chosen, person, referral)
            differing = [m for m in matches if m.identity_differs]
            if differing:
                self.app.push_screen(IdentityCheckScreen(differing[0], person), chosen)
                return
            if matches:
                self.app.push_screen(DuplicateScreen(matches), chosen)
                return
        self._record(referral, person=person, person_id=self.person_id)

    def _duplicate_chosen(
        self, person: PersonDetails, referral: ReferralDetails, choice: str | None
    ) -> None:
        if not choice:
            self.say("Nothing saved yet: check the details, then save again.")
            return
        what, _, number = choice.partition(":")
        if what == "check":
            self._nhs_number_to_check(person, int(number))
        elif what == "new":
            self._record(referral, person=person, different_person=True)
        elif what == "open":
            self.dismiss(None)
            self.lw.open_person(int(number))
        else:
            self._record(referral, person=person, person_id=int(number))

    def _nhs_number_to_check(self, person: PersonDetails, on_record_id: int) -> None:
        """Someone else has this NHS number: nothing is saved, the number is to be checked."""
        other = people.get_person(self.db, on_record_id)
        self.show_errors(
            {
                "nhs_number": (
                    f"{format_nhs_number(person.nhs_number)} is the NHS number of "
                    f"{other['given_name']} {other['family_name']} on record: check it with "
                    "the referrer (or leave it blank). Nothing saved."
                )
            }
        )

    def _record(
        self,
        referral: ReferralDetails,
        *,
        person: PersonDetails | None,
        person_id: int | None = None,
        different_person: bool = False,
    ) -> None:

        def record() -> IntakeResult:
            # The referral and the needs the form gave: one transaction.
            with self.db.atomic():
                result = referrals.take_referral(
                    self.db,
                    referral,
                    self.clock,
                    person=person,
                    person_id=person_id,
                    different_person=different_person,
                )
                if self.needs is not None:
                    information_needs.record_at_intake(
                        self.db, result.person_id, self.needs, self.clock
                    )
                return result

        self.save_with(record, refused=(CaseloadError,))


class DuplicateScreen(Dialog[str | None], guide="duplicate"):
    """'This may be someone already on record': use them, open them, or add someone new.

    Dismisses ``use:<id>``, ``open:<id>``, ``new``, or None (Esc: back to the form).
    """

    def __init__(self, matches: list[PersonMatch]) -> None:
        super().__init__()
        self.matches = matches
        self.nhs_match = any(m.matched_on == people.MATCHED_ON_NHS for m in matches)

    def compose_body(self) -> ComposeResult:
        if self.nhs_match:
            intro = (
                "Someone on record has this NHS number. An NHS number belongs to one "
                "person, so the referral goes on their record."
            )
        else:
            intro = (
                "Someone on record has the same name and date of birth. If it is the same "
                "person, the referral goes on their record as a new episode."
            )
        yield Static(intro, id="duplicate-intro", classes="dialog-body")
        yield RowTable(id="duplicate-table", cursor_type="row")
        yield Static(id="duplicate-note", classes="dialog-hint")

    def compose_buttons(self) -> ComposeResult:
        yield button("Use this person", "use", default=True)
        yield button("Open their record", "open")
        if not self.nhs_match:
            yield button("Someone else: add new", "new")
        yield button("Back (Esc)", "cancel")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Born", "NHS number", "Postcode", "Latest referral", "Matched on")
        for m in self.matches:
            table.add_row(
                plain(m.name),
                Text(short_date(m.date_of_birth)),
                Text(format_nhs_number(m.nhs_number)),
                plain(m.postcode or ""),
                Text(label(ReferralStatus, m.status) or "none"),
                Text(m.matched_on),
                key=str(m.person_id),
            )
        table.focus()
        self._explain()

    def _current(self) -> PersonMatch:
        table = self.query_one(DataTable)
        return self.matches[min(table.cursor_row, len(self.matches) - 1)]

    def _explain(self) -> None:
        m = self._current()
        note = self.query_one("#duplicate-note", Static)
        if m.has_open_referral:
            note.update(
                f"Their referral is still open ({label(ReferralStatus, m.status).lower()}): "
                "open their record to work it, rather than adding a second one."
            )
        else:
            note.update("Use this person: the referral opens a new episode on their record.")
        self.query_one("#use", Button).disabled = m.has_open_referral

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._explain()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        if not self._current().has_open_referral:
            self.dismiss(f"use:{self._current().person_id}")

    def button_pressed(self, button_id: str) -> None:
        person_id = self._current().person_id
        choice: dict[str, Any] = {
            "use": f"use:{person_id}",
            "open": f"open:{person_id}",
            "new": "new",
        }
        self.dismiss(choice.get(button_id))


class IdentityCheckScreen(Dialog[str | None], guide="identity_check"):
    """The NHS number is on record, but under another name or date of birth: which is it?

    Both records side by side, the differing fields marked in words. No choice is focused,
    so no single Enter files a referral on someone else's record. Dismisses ``use:<id>``
    (the same person: the referral goes on their record, then their details open to review),
    ``open:<id>`` (the same person, whose referral is still open), ``check:<id>`` (someone
    else: nothing saved, the NHS number is to be checked), or None (Esc: back to the form).
    """

    #: Nothing focused on opening: Enter alone chooses nothing.
    AUTO_FOCUS = None

    def __init__(self, match: PersonMatch, person: PersonDetails) -> None:
        super().__init__()
        self.match, self.person = match, person  # the record found, and what was typed

    def on_mount(self) -> None:
        # Nothing focused: Enter alone chooses nothing; Tab reaches the choices.
        self.call_after_refresh(self.set_focus, None)

    def compose_body(self) -> ComposeResult:
        m = self.match
        fields = " and ".join(_IDENTITY_WORDS[name].lower() for name in m.differs)
        yield Static(
            plain(
                f"{format_nhs_number(m.nhs_number)} is the NHS number of {m.name} on record, "
                f"but the {fields} typed here {'is' if len(m.differs) == 1 else 'are'} "
                "different (marked \u2260 below). An NHS number belongs to one person: either "
                "this is them and a detail needs putting right, or the number is wrong."
            ),
            id="identity-intro",
            classes="dialog-body",
        )
        yield Static(self._comparison(), id="identity-table")
        if m.has_open_referral:
            status = label(ReferralStatus, m.status).lower()
            note = f"Their referral is still open ({status}): the same person opens their record."
        else:
            note = "The same person: the referral goes on their record; their details open next."
        yield Static(note, id="identity-note", classes="dialog-hint")

    def _comparison(self) -> Table:
        m, p = self.match, self.person
        table = Table(box=None, expand=True, pad_edge=False, header_style="bold underline")
        table.add_column("", no_wrap=True)
        table.add_column("On record")
        table.add_column("On this referral")
        table.add_column("", no_wrap=True)
        rows = {
            "given_name": (m.given_name, p.given_name),
            "family_name": (m.family_name, p.family_name),
            "date_of_birth": (short_date(m.date_of_birth), short_date(p.date_of_birth)),
        }
        for name, (recorded, typed) in rows.items():
            differs = name in m.differs
            style = "bold reverse" if differs else ""
            table.add_row(
                Text(_IDENTITY_WORDS[name]),
                plain(recorded or "not recorded"),
                plain(typed or "not given"),
                Text("\u2260 differs" if differs else "same", style=style),
                style="bold" if differs else "",
            )
        nhs = format_nhs_number(m.nhs_number)
        table.add_row(Text("NHS number"), Text(nhs), Text(nhs), Text("same"))
        return table

    def compose_buttons(self) -> ComposeResult:
        yield button("The same person (review their details)", "same")
        yield button("Someone else: the NHS number needs checking", "someone-else")
        yield button("Back (Esc)", "cancel")

    def button_pressed(self, button_id: str) -> None:
        pid = self.match.person_id
        if button_id == "same":
            self.dismiss(f"{'open' if self.match.has_open_referral else 'use'}:{pid}")
        elif button_id == "someone-else":
            self.dismiss(f"check:{pid}")
        else:
            self.action_cancel()


_IDENTITY_WORDS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
}


def intake_done_message(result: IntakeResult) -> str:
    """What the link worker is told after a referral is saved."""
    if result.new_person:
        return "Referral saved for a new person."
    message = "Referral saved as a new episode on their record."
    if result.filled:
        message += f" Added to their record: {', '.join(result.filled).replace('_', ' ')}."
    if result.differs:
        fields = " and ".join(name.replace("_", " ") for name in result.differs)
        message += f" The referral gave a different {fields}: check their details."
    return message
