"""The dialogs that record how a contact went: log a contact (completing a follow-up),
did not attend or could not reach (an attempt), and the prompt when the attempts reach
the limit. Today and the person screen open these same dialogs.

Each is a :class:`~linkworker.tui.screens.followup_forms.FollowUpForm`: it calls one core
function and closes with its result (``None`` when the user backs out).
"""

from __future__ import annotations

from datetime import time
from typing import Any

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.widgets import Button, Static, TextArea

from linkworker import followups, referrals
from linkworker.display import literal
from linkworker.followups.contacts import Missed
from linkworker.models import (
    AttemptOutcome,
    ContactDetails,
    ContactMode,
    DischargeReason,
    Initiator,
)
from linkworker.tui.dialogs import button, choice_row, field_row, text_row
from linkworker.tui.screens.followup_forms import FollowUpForm
from linkworker.validation import ValidationError as InputError
from linkworker.validation import format_date, normalise_time, parse_date

# --- Complete / log a contact -------------------------------------------------------------


class CompleteFollowUpModal(FollowUpForm, guide="complete_follow_up"):
    """Log a contact that reached the person (when, mode, minutes, who got in touch, note);
    with a follow-up, that completes it. Today and the person screen both open this one."""

    SAVE_LABEL = "Save contact"

    def __init__(self, person_id: int, followup_id: int | None = None) -> None:
        super().__init__(person_id)
        self.followup_id = followup_id
        self.followup: dict[str, Any] = {}

    def load(self) -> None:
        self.followup = self.read_followup(self.followup_id)

    def form_title(self) -> str:
        if not self.followup:
            return "Log a contact"
        return f"Complete follow-up: {literal(followups.followup_what(self.followup))}"[:90]

    def compose_fields(self) -> ComposeResult:
        row = self.followup
        day, at = self.when_it_happened()
        yield text_row("contact_on", "When", day)
        yield text_row("contact_time", "Time", at, "HH:MM (blank: no time)")
        yield choice_row(
            "mode", "Mode", ContactMode.choices(), row.get("kind") or ContactMode.PHONE.value
        )
        yield text_row(
            "duration_minutes",
            "Minutes",
            str(row.get("duration_minutes") or ""),
            "how long",
            integer=True,
        )
        yield choice_row(
            "initiated_by", "Who got in touch", Initiator.choices(), Initiator.LINK_WORKER.value
        )
        yield field_row("note", "Note", TextArea(id="note", compact=True, classes="short"))

    def when_it_happened(self) -> tuple[str, str]:
        """The date and time the form starts with: a follow-up's booked date and time (the
        worker may change them), otherwise now."""
        if not self.followup:
            now = self.clock.now()
            return format_date(now.date()), now.strftime("%H:%M")
        moment = followups.booked_moment(self.followup, self.clock.now())
        untimed = not self.followup["due_time"] and moment.time() == time(0, 0)
        return format_date(moment.date()), "" if untimed else moment.strftime("%H:%M")

    def save(self) -> None:
        try:
            day = parse_date(self.text("contact_on"))
        except InputError as exc:
            self.show_errors({"contact_on": str(exc)})
            return
        try:
            at = normalise_time(self.text("contact_time") or "00:00")
        except InputError as exc:
            self.show_errors({"contact_time": str(exc)})
            return
        try:
            contact = ContactDetails.model_validate(
                {
                    "contact_at": f"{day.isoformat()}T{at}:00",
                    "mode": self.choice("mode"),
                    "duration_minutes": self.text("duration_minutes"),
                    "initiated_by": self.choice("initiated_by"),
                    "note": self.query_one("#note", TextArea).text,
                }
            )
        except ValidationError as exc:
            self.show_exception(exc)
            return
        self.save_with(
            lambda: followups.record_contact(
                self.db,
                self.person_id,
                contact,
                self.clock,
                self.lw.settings,
                followup_id=self.followup_id,
            )
        )


# --- Did not attend / could not reach -----------------------------------------------------


class MissedModal(FollowUpForm, guide="missed"):
    """Record that the person did not attend or could not be reached (an attempt).

    Without a follow-up it also asks when and how the attempt was made; Today and the person
    screen both open this one to log an attempt.
    """

    SAVE_LABEL = "Record attempt"

    def __init__(
        self, person_id: int, *, followup_id: int | None = None, referral_id: int | None = None
    ) -> None:
        super().__init__(person_id)
        self.followup_id = followup_id
        self.referral_id = referral_id
        self.followup: dict[str, Any] = {}

    def load(self) -> None:
        self.followup = self.read_followup(self.followup_id)

    def _kind(self) -> str | None:
        return str(self.followup["kind"]) if self.followup else None

    def form_title(self) -> str:
        if self.followup_id is not None:
            return "Did not attend, or could not reach"
        return "Could not reach: log an attempt"

    def compose_fields(self) -> ComposeResult:
        yield text_row("contact_at", "When", self.when_it_happened(), "dd/mm/yyyy hh:mm")
        if self.followup_id is None:
            yield choice_row("mode", "How", ContactMode.choices(), ContactMode.PHONE.value)
        yield choice_row(
            "outcome",
            "Outcome",
            AttemptOutcome.choices(),
            followups.default_outcome(self._kind()).value,
        )
        yield text_row("note", "Note", placeholder="optional")
        yield from self.attempts_so_far()

    def when_it_happened(self) -> str:
        """When the attempt was made, as the form starts: a follow-up's booked date and time
        (the worker may change it), otherwise now."""
        now = self.clock.now()
        if self.followup_id is None:
            return now.strftime("%d/%m/%Y %H:%M")
        moment = followups.booked_moment(self.followup, now)
        if not self.followup["due_time"] and moment.time() == time(0, 0):
            return moment.strftime("%d/%m/%Y")
        return moment.strftime("%d/%m/%Y %H:%M")

    def attempts_so_far(self) -> ComposeResult:
        """How many unsuccessful attempts the referral has had, against the limit."""
        referral_id = self._referral_id()
        if referral_id is None:
            return
        referral = referrals.get_referral(self.db, referral_id)
        if referral["status"] == "accepted":
            made = referrals.unanswered_attempts(self.db, referral_id)
            what = "since the last contact"
        else:
            made = referrals.attempts_on(self.db, referral_id)
            what = "on this referral"
        limit = self.lw.settings.not_reached_attempts
        yield Static(
            f"Unsuccessful attempts {what} so far: {made} (the limit is {limit}).",
            classes="followup-attempts",
        )

    def _referral_id(self) -> int | None:
        if self.referral_id is not None:
            return self.referral_id
        if self.followup and self.followup["referral_id"] is not None:
            return int(self.followup["referral_id"])
        current = referrals.open_referral(self.db, self.person_id)
        return int(current["id"]) if current else None

    def save(self) -> None:
        self.save_with(self._record)

    def _record(self) -> Missed:
        """Check when (and how) the attempt was made, then record it on the follow-up, or on
        the open referral when there is no follow-up."""
        outcome = AttemptOutcome(self.choice("outcome"))
        note = self.text("note") or None
        settings = self.lw.settings
        # When (and how), checked as any contact is (not in the future).
        attempt = ContactDetails.model_validate(
            {
                "contact_at": self.text("contact_at"),
                "mode": self.choice("mode") if self.followup_id is None else self._kind(),
                "attempt": True,
                "outcome": outcome,
                "note": note,
            },
            context={"today": self.clock.today()},
        )
        if self.followup_id is not None:
            return followups.record_missed(
                self.db,
                self.followup_id,
                outcome,
                self.clock,
                settings,
                note=note,
                contact_at=attempt.contact_at,
            )
        referral_id = self._referral_id()
        if referral_id is None:
            raise followups.FollowUpError("this person has no open referral")
        return followups.record_attempt(
            self.db,
            referral_id,
            outcome,
            self.clock,
            settings,
            mode=attempt.mode,
            note=note,
            contact_at=attempt.contact_at,
        )


# --- The threshold prompt -----------------------------------------------------------------


class ThresholdModal(FollowUpForm, guide="threshold"):
    """The not-reached threshold is reached: close the referral now, or not yet.

    ``next_step`` is "not_reached" (received or contacting) or "discharge" (accepted). Today
    (after a missed follow-up) and the person screen (after an attempt) both open this one.
    """

    # Enter in the summary does not close the referral by itself.
    SUBMIT_ON_ENTER = False

    def __init__(
        self, person_id: int, *, referral_id: int, attempts: int, threshold: int, next_step: str
    ) -> None:
        super().__init__(person_id)
        self.referral_id = referral_id
        self.attempts = attempts
        self.threshold = threshold
        self.next_step = next_step
        self.close_label = (
            "Mark not reached" if next_step == "not_reached" else "Discharge (disengaged)"
        )

    @classmethod
    def after_missed(cls, person_id: int, missed: Missed) -> ThresholdModal:
        """The prompt after a missed follow-up or attempt that reached the limit."""
        return cls(
            person_id,
            referral_id=missed.referral_id,
            attempts=missed.attempts,
            threshold=missed.threshold,
            next_step=missed.next_step or "not_reached",
        )

    def form_title(self) -> str:
        return f"{self.attempts} unsuccessful attempts: the limit is {self.threshold}"

    def compose_fields(self) -> ComposeResult:
        if self.next_step == "not_reached":
            text = (
                "The person has not been reached. Mark the referral not reached now? Its "
                "planned follow-ups are cancelled."
            )
        else:
            text = (
                "The person has missed the last contacts in a row. Discharge them as "
                "disengaged? Their planned follow-ups are cancelled."
            )
        yield Static(text, classes="followup-question")
        if self.next_step == "discharge":
            yield text_row("summary", "Summary", placeholder="for the record and the GP")

    def compose_buttons(self) -> ComposeResult:
        yield button(f"{self.close_label} (Ctrl+S)", "save", danger=True)
        yield button("Not now (Esc)", "cancel", default=True)

    def focus_first_field(self) -> None:
        # Closing a referral is never one accidental key away: "Not now" has the focus.
        self.query_one("#cancel", Button).focus()

    def save(self) -> None:
        self.save_with(self._close)

    def _close(self) -> str:
        """Close the referral as the prompt offered; how it was closed."""
        if self.next_step == "not_reached":
            referrals.mark_not_reached(
                self.db,
                self.referral_id,
                self.clock.today(),
                self.clock,
                threshold=self.lw.settings.not_reached_attempts,
            )
            return "not_reached"
        referrals.discharge(
            self.db,
            self.referral_id,
            self.clock.today(),
            DischargeReason.DISENGAGED,
            self.text("summary") or None,
            self.clock,
        )
        return "discharged"
