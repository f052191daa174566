"""Triage dialogs on the person screen: accept, decline, not reached, discharge.

Contacts and attempts are logged with the follow-up dialogs, as on Today
(:class:`~linkworker.tui.screens.contact_forms.CompleteFollowUpModal` and ``MissedModal``).

Each dialog validates with a model from :mod:`linkworker.models`, calls one function of
:mod:`linkworker.referrals` and returns what the core returned. The core decides what is
allowed; its message is shown beside the field it concerns or above the buttons.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from linkworker import referrals
from linkworker.display import label, short_date
from linkworker.errors import CaseloadError
from linkworker.models import (
    SNOMED_DECLINED,
    SNOMED_REFERRED,
    DecisionDetails,
    DischargeDetails,
    DischargeReason,
    ReferralSource,
)
from linkworker.referrals import ReferralRow
from linkworker.tui.dialogs import (
    FormDialog,
    MessageDialog,
    button,
    choice_row,
    field_row,
    text_row,
)
from linkworker.tui.dialogs.form import FieldRow
from linkworker.validation import format_date

#: What the core or a model refuses: shown on the form, which stays open.
REFUSED = (ValidationError, CaseloadError)


class _ReferralForm(FormDialog[Any]):
    """A form about one referral; the heading says which."""

    def __init__(self, referral_id: int) -> None:
        super().__init__()
        self.referral_id = referral_id
        self.form_title = self.TITLE or ""

    def on_row(self) -> FieldRow:
        """The day the decision is made: today unless the worker says otherwise."""
        today = format_date(self.clock.today(), "numeric")
        return text_row("on", "On *", today, "dd/mm/yyyy")

    def referral(self) -> ReferralRow:
        return referrals.get_referral(self.db, self.referral_id)

    def heading(self) -> Text:
        r = self.referral()
        return Text(
            f"{self.form_title}: referral from {label(ReferralSource, r['source'])}, "
            f"received {short_date(r['received_on'])}"
        )


class DecisionScreen(_ReferralForm):
    """Accept, decline, or close as not reached: the day (and, for a decline, why)."""

    KINDS: ClassVar[dict[str, tuple[str, str, str]]] = {
        "accept": (
            "Accept",
            "Accept referral",
            "The person agrees to social prescribing. This records SNOMED CT "
            f"{SNOMED_REFERRED[0]} '{SNOMED_REFERRED[1]}', to enter in the GP record.",
        ),
        "decline": (
            "Decline",
            "Record decline",
            "The person does not want social prescribing now. This records SNOMED CT "
            f"{SNOMED_DECLINED[0]} '{SNOMED_DECLINED[1]}', to enter in the GP record.",
        ),
        "not_reached": (
            "Not reached",
            "Close as not reached",
            "The person could not be reached after the attempts logged. The referral closes; "
            "a new referral can be added if they get in touch.",
        ),
    }

    def __init__(self, referral_id: int, kind: str) -> None:
        self.kind = kind
        title, self.save_label, self.explanation = self.KINDS[kind]
        super().__init__(referral_id)
        self.form_title = title
        self.asked = ("on", "reason") if kind == "decline" else ("on",)

    def compose_buttons(self) -> ComposeResult:
        # The Save button says what this decision does ("Accept referral").
        yield button(f"{self.save_label} (Ctrl+S)", "save", default=True)
        yield button(f"{self.CANCEL_LABEL} (Esc)", "cancel")

    def compose_fields(self) -> ComposeResult:
        yield Static(self.explanation, classes="explanation")
        yield self.on_row()
        if self.kind == "decline":
            yield text_row("reason", "Reason", placeholder="in their words")

    def save(self) -> None:
        self.save_with(self._decide, refused=REFUSED)

    def _decide(self) -> object:
        """Record the decision on the day given; what the core returned."""
        decision = DecisionDetails.model_validate(
            self.values(self.asked), context={"today": self.clock.today()}
        )
        if self.kind == "accept":
            return referrals.accept(self.db, self.referral_id, decision.on, self.clock)
        if self.kind == "decline":
            return referrals.decline(
                self.db, self.referral_id, decision.on, self.clock, decision.reason
            )
        referrals.mark_not_reached(
            self.db,
            self.referral_id,
            decision.on,
            self.clock,
            threshold=self.lw.settings.not_reached_attempts,
        )
        return True


class DischargeScreen(_ReferralForm, guide="discharge"):
    """Close an accepted referral: when, why, and a summary. The person stays on record."""

    SAVE_LABEL = "Discharge"
    FIELDS = ("on", "reason", "summary")

    def compose_fields(self) -> ComposeResult:
        yield self.on_row()
        yield choice_row("reason", "Reason *", DischargeReason.choices(), prompt="Choose a reason")
        yield field_row("summary", "Summary", TextArea(id="summary", classes="note"))

    def save(self) -> None:
        self.save_with(self._discharge, refused=REFUSED)

    def _discharge(self) -> str:
        """Discharge on the day given, for the reason chosen; that reason."""
        details = DischargeDetails.model_validate(
            self.values(), context={"today": self.clock.today()}
        )
        referrals.discharge(
            self.db, self.referral_id, details.on, details.reason, details.summary, self.clock
        )
        return details.reason.value


class CodeScreen(MessageDialog, guide="code"):
    """The SNOMED CT code to enter in the GP record, with a button that copies it."""

    def __init__(self, what: str, code: str, term: str) -> None:
        body = Text()
        body.append(f"{what}. Enter this in the person's GP record:\n\n")
        body.append(f"SNOMED CT {code}", style="bold")
        body.append(f"\n{term}")
        super().__init__(self.TITLE, body)
        self.what = what
        self.code = code
        self.term = term

    def extra_buttons(self) -> ComposeResult:
        yield button("Copy code (c)", "copy")

    def action_copy(self) -> None:
        """Put the code on the clipboard."""
        self.app.copy_to_clipboard(self.code)
        self.notify(f"Copied {self.code}", timeout=3)

    def button_pressed(self, button_id: str) -> None:
        if button_id == "copy":
            self.action_copy()
        else:
            super().button_pressed(button_id)
