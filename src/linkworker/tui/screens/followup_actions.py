"""Acting on one follow-up, as Today and a person's follow-up list both do.

:class:`FollowUpActions` opens the shared dialogs (``contact_forms`` and
``followup_forms``) on one follow-up and carries on as the link worker expects: after a
contact it offers the next booking, after a miss another try or, at the limit, the referral
rules; then it repaints the screen and tells the app the caseload changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen

from linkworker.display import literal, short_date
from linkworker.tui.screens.base import LinkWorkerScreen

if TYPE_CHECKING:
    # Booking and completing load with the dialogs that use them, not with Today.
    from linkworker.followups.booking import Booking, Clash
    from linkworker.followups.contacts import Completed, Missed

Result = TypeVar("Result")


def _forms() -> Any:
    """The follow-up dialogs, imported when first used (they are not needed to show a list)."""
    from linkworker.tui.screens import followup_forms

    return followup_forms


def _measure_prompts() -> Any:
    from linkworker.tui.screens import measure_prompts

    return measure_prompts


def _contact_forms() -> Any:
    """The contact and attempt dialogs, imported when first used."""
    from linkworker.tui.screens import contact_forms

    return contact_forms


def _overlaps(clashes: list[Clash]) -> str:
    return f" It overlaps {len(clashes)} other booking(s)." if clashes else ""


class FollowUpActions(LinkWorkerScreen):
    """A screen whose lines are follow-ups: complete, missed, reschedule, cancel, book."""

    def say(self, message: str, *, severity: Any = "information") -> None:
        """Tell the worker; names are stored text, so never read as markup."""
        self.notify(message, severity=severity, markup=False)

    def person_name(self, person_id: int) -> str:
        from linkworker import people  # when a dialog names someone: not for Today's paint

        person = people.get_person(self.db, person_id)
        return literal(f"{person['given_name']} {person['family_name']}")

    def followups_changed(self, person_id: int | None = None) -> None:
        """Repaint and tell the app (other screens reload when shown)."""
        from linkworker.tui.messages import CaseloadChanged

        self.reload()
        self.app.post_message(CaseloadChanged(person_id))

    def open_change(self, dialog: Screen[Result | None], then: Callable[[Result], None]) -> None:
        """Open a dialog that may change follow-ups; when it saves, repaint, then ``then``.

        Closing the dialog without saving (a None result) leaves everything as it was.
        """

        def closed(result: Result | None) -> None:
            if result is None:
                return
            self.followups_changed()
            then(result)

        self.app.push_screen(dialog, closed)

    # --- the actions ------------------------------------------------------------------

    def complete_followup(self, person_id: int, followup_id: int | None) -> None:
        """Log the contact (completing the follow-up, if any) and offer the next booking."""

        def done(result: Completed) -> None:
            # The outcome measure due (a baseline at the first contact) is asked first.
            _measure_prompts().offer_baseline(self, person_id, lambda: next_step(result))

        def next_step(result: Completed) -> None:
            if result.offer_next:
                self.offer_booking(
                    person_id,
                    title="Book the next follow-up "
                    f"(suggested {short_date(result.suggested_next)})",
                    due_on=result.suggested_next,
                    like=followup_id,
                )
            else:
                booked = short_date(result.next_booked)
                self.say(
                    f"Contact logged for {self.person_name(person_id)}. "
                    f"Next follow-up already booked: {booked}."
                )

        self.open_change(_contact_forms().CompleteFollowUpModal(person_id, followup_id), done)

    def miss_followup(
        self, person_id: int, followup_id: int | None, referral_id: int | None
    ) -> None:
        """Did not attend / could not reach: an attempt; another try, or the referral rules."""

        def recorded(result: Missed) -> None:
            if result.threshold_reached and result.next_step is not None:
                self.prompt_threshold(person_id, result)
            elif result.offer_retry:
                self.offer_booking(
                    person_id,
                    title=f"Attempt recorded ({result.attempts} of {result.threshold}). "
                    "Book another try?",
                    due_on=result.retry_on,
                    like=followup_id,
                )
            else:
                self.say(
                    f"Attempt recorded for {self.person_name(person_id)} "
                    f"({result.attempts} of {result.threshold})."
                )

        dialog = _contact_forms().MissedModal(
            person_id, followup_id=followup_id, referral_id=referral_id
        )
        self.open_change(dialog, recorded)

    def reschedule_followup(self, person_id: int, followup_id: int) -> None:
        """Move a follow-up (and, if asked, the rest of its series)."""

        def moved(clashes: list[Clash]) -> None:
            self.say(f"Follow-up for {self.person_name(person_id)} moved.{_overlaps(clashes)}")

        self.open_change(_forms().RescheduleModal(followup_id), moved)

    def cancel_followup(self, followup_id: int) -> None:
        """Cancel a follow-up with a reason (and, if asked, the rest of its series)."""

        def cancelled(count: int) -> None:
            self.say(f"Cancelled {count} follow-up{'s' if count != 1 else ''}.")

        self.open_change(_forms().CancelFollowUpModal(followup_id), cancelled)

    def offer_booking(
        self, person_id: int, *, title: str, due_on: date | None, like: int | None = None
    ) -> None:
        """Open the booking dialog prefilled: the date suggested by the core and, ``like`` a
        follow-up, its kind, time, length, goal and activity."""

        def booked(result: Booking) -> None:
            count = len(result.followup_ids)
            self.say(
                f"Booked {count} follow-up{'s' if count != 1 else ''} for "
                f"{self.person_name(person_id)}.{_overlaps(result.clashes)}"
            )

        modal = _forms().BookFollowUpModal(person_id, title=title, due_on=due_on, like=like)
        self.open_change(modal, booked)

    def prompt_threshold(self, person_id: int, missed: Missed) -> None:
        """The referral rules apply: offer to mark not reached or discharge."""

        def closed(how: str | None) -> None:
            if how is None:
                self.say("The referral stays open.", severity="warning")
                return
            self.followups_changed()
            words = "marked not reached" if how == "not_reached" else "discharged (disengaged)"
            self.say(f"{self.person_name(person_id)}: referral {words}.")

        dialog = _contact_forms().ThresholdModal.after_missed(person_id, missed)
        self.app.push_screen(dialog, closed)
