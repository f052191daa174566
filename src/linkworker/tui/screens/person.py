"""One person's record: key facts and flags at the top, the timeline below."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from linkworker.display import flag_words, label, literal, short_date
from linkworker.information_needs import banner_words, recorded_needs
from linkworker.models import FLAG_SYMBOLS, ReferralSource, ReferralStatus
from linkworker.referrals import ReferralRow
from linkworker.store.handed_over import handed_over
from linkworker.timeline import person_facts, person_timeline
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.screens.entry import struck_text
from linkworker.tui.screens.person_commands import PersonActionCommands
from linkworker.tui.widgets.keys_footer import KeysFooter
from linkworker.tui.widgets.tables import RowTable, highlighted_key, show_table
from linkworker.tui.widgets.text import plain
from linkworker.validation import age_on, format_nhs_number

CONSENT_WORDS = {1: "yes", 0: "no"}


class PersonScreen(LinkWorkerScreen, guide="person"):
    """The person's record."""

    COMMANDS = {PersonActionCommands}
    #: Set once the person is erased: the screen is closing and must not read them again.
    erased = False

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="person-facts", classes="facts")
        yield Static(id="person-flags", classes="flags")
        yield Static(id="person-handed-over", classes="flags")
        yield Static(id="person-plan", classes="plan-strip")
        yield RowTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        show_table(self.query_one(DataTable), {"when": "When", "what": "What"})

    def reload(self) -> None:
        """Read the person again and repaint."""
        if self.erased:
            return
        try:
            facts = person_facts(self.db, self.person_id)
        except LookupError:
            # Erased while this screen was underneath (opened twice): there is nothing to show.
            self.erased = True
            if self.is_current:
                self.app.call_later(self.app.pop_screen)
            return
        self._show_facts(facts)
        self._show_plan()
        table = self.query_one(DataTable)
        table.clear()
        # The position makes keys unique: a flag raised and cleared the same day is two events
        # on one record with one date.
        for position, event in enumerate(person_timeline(self.db, self.person_id)):
            when = short_date(event.when) + (
                f" {event.when[11:16]}" if len(event.when) > 10 else ""
            )
            summary = (
                struck_text(event.summary, event.struck_out)
                if event.struck_out is not None
                else plain(event.summary)
            )
            table.add_row(
                Text(when),
                summary,
                key=f"{event.table}:{event.record_id}:{event.kind}:{event.when}:{position}",
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
                f"Share with GP: {CONSENT_WORDS.get(p['consent_to_share_gp'], 'not recorded')}"
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
            lines.append_text(self._referral_details(r))
        else:
            lines.append("\nNo referral yet.")
        self.query_one("#person-facts", Static).update(lines)
        flags = self.query_one("#person-flags", Static)
        needs = banner_words(recorded_needs(self.db, self.person_id), today)
        if facts["flags"] or needs:
            text = Text()
            if needs:
                symbol, _, words = needs.partition(": ")
                text.append(symbol, style="bold reverse")
                text.append(" " + literal(words) + "   ")
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
        lock = handed_over(self.db, self.person_id)
        banner = self.query_one("#person-handed-over", Static)
        banner.display = lock is not None
        if lock is not None:
            words = literal(f"{lock.words()[0].upper()}{lock.words()[1:]}")
            banner.update(Text(f"{words}: this record is read-only", style="bold reverse"))
        self.sub_title = name

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_book_followup(self) -> None:
        """Book a follow-up for this person (date, time, kind, where, purpose, repeat)."""
        from linkworker.followups.booking import Booking
        from linkworker.tui.screens.followup_forms import BookFollowUpModal

        def booked(result: Booking | None) -> None:
            if result is None:
                return
            self.reload()
            count = len(result.followup_ids)
            clash = ""
            if result.clashes:
                clash = f" It overlaps {len(result.clashes)} other booking(s)."
            self.notify(f"Booked {count} follow-up{'s' if count != 1 else ''}.{clash}")

        self.app.push_screen(BookFollowUpModal(self.person_id), booked)

    # --- "what matters", the plan and measures (screens/plan.py) --------------------------

    def _show_plan(self) -> None:
        from linkworker.tui.screens.plan import plan_strip

        self.query_one("#person-plan", Static).update(plan_strip(self, self.person_id))

    def action_plan_step(self, step: str) -> None:
        """Record a "what matters to you" conversation, agree a goal and its actions, review
        an open goal or enter an outcome measure (plan.PLAN_STEPS)."""
        from linkworker.tui.screens.plan import PLAN_STEPS

        PLAN_STEPS[step](self, self.person_id)

    def action_open_plan(self, tab: str) -> None:
        """Open the plan, conversations and outcomes area."""
        from linkworker.tui.screens.plan import open_plan

        open_plan(self, self.person_id, tab)

    def action_message_to_gp(self) -> None:
        """Check what the message back to the GP says (the person can read it), then copy
        the chosen message and show it."""
        from linkworker.tui.screens.gp_message import GPMessageScreen

        def copy_and_show(text: str, shares_detail: bool) -> None:
            self.copy_gp_message(text)
            self.app.push_screen(GPMessageScreen(text, shares_detail=shares_detail))

        self.gp_message_chosen(copy_and_show, verb="Copy")

    # --- the GP message, the plan and the subject access export out (person_files.py) ---

    def gp_message_chosen(self, then: Callable[[str, bool], None], *, verb: str) -> None:
        """Build the message back to the GP for the latest episode, let the worker check and
        trim it in the preview (the person can read it), then ``then(text, shares_detail)``
        with the chosen message; the reason is said when there is no referral to write about."""
        from linkworker import reports
        from linkworker.formats.gp_message import gp_message_text
        from linkworker.reports.content import GPMessage
        from linkworker.tui.screens.gp_message import GPMessagePreview

        try:
            message = reports.gp_message(
                self.db,
                self.person_id,
                self.clock.today(),
                sender=self.settings.signature(),
                outcome_codes=self.settings.outcome_codes,
            )
        except LookupError as exc:
            self.notify(str(exc), title="Message to GP", severity="warning", markup=False)
            return

        def chosen(message: GPMessage | None) -> None:
            if message is not None:
                then(gp_message_text(message), message.shares_detail)

        self.app.push_screen(GPMessagePreview(message, verb=verb), chosen)

    def write_gp_message(self, text: str) -> None:
        """Write the GP message to a file (the export folder's unless a folder is typed)."""
        from linkworker.tui.screens import person_files

        person_files.write_text(self, self.person_id, "message to the GP", "gp-message", text)

    def copy_gp_message(self, text: str) -> None:
        """Put the GP message on the clipboard and say what went there."""
        self.app.copy_to_clipboard(text)
        lines = len(text.splitlines())
        self.notify(
            f"Copied the message to the GP about {self.sub_title} ({lines} lines) to the "
            "clipboard: paste it into the GP record.",
            markup=False,
        )

    def action_copy_gp_message_now(self) -> None:
        """The GP message, checked in the preview, to the clipboard."""
        self.gp_message_chosen(lambda text, _shares: self.copy_gp_message(text), verb="Copy")

    def action_write_gp_message_now(self) -> None:
        """The GP message, checked in the preview, to a file."""
        self.gp_message_chosen(lambda text, _shares: self.write_gp_message(text), verb="Write")

    def action_write_plan(self) -> None:
        """The plan as the person reads it, to a file."""
        from linkworker.tui.screens import person_files

        person_files.write_plan(self, self.person_id)

    def action_subject_access(self) -> None:
        """The subject access export (identifiable: asks first), to two files."""
        from linkworker.tui.screens import person_files

        person_files.write_subject_access(self, self.person_id)

    def action_save_or_copy(self) -> None:
        """Choose what to hand out: the GP message, the plan, the subject access export."""
        from linkworker.tui.screens import person_files

        person_files.save_or_copy(self, lambda action: getattr(self, f"action_{action}")())

    def action_supervision(self) -> None:
        """Mark the person for supervision with a question (or change it, or unmark)."""
        from linkworker.tui.screens.care import mark_for_supervision

        mark_for_supervision(self, self.person_id)

    # --- follow-ups and connections, every one of them ------------------------------------

    def action_followups(self) -> None:
        """Every follow-up of this person, to complete, miss, move or cancel any of them."""
        from linkworker.tui.screens.person_followups import PersonFollowUpsScreen

        self.app.push_screen(PersonFollowUpsScreen(self.person_id))

    def action_did_they_go(self) -> None:
        """Answer "did they go?" for one of this person's connections."""
        from linkworker.tui.screens import person_files

        person_files.did_they_go(self, self.person_id)

    def action_unmet_need(self) -> None:
        """Record an unmet need: no activity answers it, or a barrier keeps them from one."""
        from linkworker.tui.screens.gap_form import GapScreen

        self.app.push_screen(GapScreen(self.person_id), lambda gap_id: self.reload())

    # --- referrals, contacts and the record (issue 3) ------------------------------------

    def _referral_details(self, r: dict[str, Any]) -> Text:
        """Progress and outcome of the current referral, with its GP record code."""
        from linkworker import referrals
        from linkworker.display import contacts_against_norm
        from linkworker.models import SNOMED_DECLINED, SNOMED_REFERRED, DischargeReason

        text = Text()
        contacts, attempts = referrals.referral_progress(self.db, int(r["id"]))
        text.append(f"  ·  contacts {contacts_against_norm(contacts)}")
        if r["status"] in ("received", "contacting"):
            text.append(
                f"  ·  unanswered attempts {attempts} of {self.lw.settings.not_reached_attempts}"
            )
        terms = {SNOMED_REFERRED[0]: SNOMED_REFERRED[1], SNOMED_DECLINED[0]: SNOMED_DECLINED[1]}
        if r["snomed_code"]:
            text.append("\nGP record code: ")
            text.append(f"SNOMED CT {r['snomed_code']}", style="bold")
            text.append(f" {terms.get(r['snomed_code'], '')}")
        if r["status"] == "declined" and r["decline_reason"]:
            text.append_text(plain(f"  ·  declined: {r['decline_reason']}"))
        if r["status"] == "discharged":
            text.append(
                f"\nDischarged {short_date(r['discharged_on'])}: "
                f"{label(DischargeReason, r['discharge_reason'])}"
            )
            if r["discharge_summary"]:
                text.append_text(plain(f"  ·  {r['discharge_summary']}"))
        if r["status"] in ("declined", "not_reached", "discharged"):
            text.append("  ·  n adds a new referral")
        return text

    def _current_referral(self, target: str | None = None) -> ReferralRow | None:
        """The latest referral, or None (with the reason shown) when ``target`` is not allowed."""
        from linkworker import referrals
        from linkworker.errors import CaseloadError

        referral = referrals.latest_referral(self.db, self.person_id)
        if referral is None:
            self.notify("No referral yet: press n to add one.", severity="warning")
            return None
        if target is not None:
            try:
                referrals.check_transition(referral["status"], ReferralStatus(target))
            except CaseloadError as exc:
                self.notify(str(exc), severity="warning", markup=False)
                return None
        return referral

    def _changed(self, message: str | None = None) -> None:
        from linkworker.tui.messages import CaseloadChanged

        self.reload()
        self.app.post_message(CaseloadChanged(self.person_id))
        if message:
            self.notify(message, markup=False)

    def action_log_contact(self) -> None:
        """Log a contact that reached the person."""
        from linkworker.followups.contacts import Completed
        from linkworker.tui.screens.contact_forms import CompleteFollowUpModal
        from linkworker.tui.screens.measure_prompts import offer_baseline

        def done(result: Completed | None) -> None:
            if result is not None:
                self._changed("Contact logged.")
                offer_baseline(self, self.person_id)

        self.app.push_screen(CompleteFollowUpModal(self.person_id), done)

    def action_log_attempt(self) -> None:
        """Log an attempt that did not reach the person; offer 'not reached' at the threshold."""
        from linkworker import referrals
        from linkworker.errors import CaseloadError
        from linkworker.followups.contacts import Missed
        from linkworker.tui.screens.contact_forms import MissedModal

        referral = self._current_referral()
        if referral is None:
            return
        try:
            referrals.check_attempt(referral)
        except CaseloadError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        rid = int(referral["id"])

        def done(result: Missed | None) -> None:
            if result is None:
                return
            self._changed(f"Attempt logged ({result.attempts} unanswered).")
            if result.next_step == "not_reached":
                self._prompt_not_reached(rid, result)

        # The same dialog as Today's "could not reach".
        self.app.push_screen(MissedModal(self.person_id, referral_id=rid), done)

    def _prompt_not_reached(self, referral_id: int, result: Any) -> None:
        """The same prompt as on Today: close as not reached now, or not yet."""
        from linkworker.tui.screens.contact_forms import ThresholdModal

        def answer(how: str | None) -> None:
            if how is None:
                return
            self._changed("Referral closed as not reached.")

        self.app.push_screen(
            ThresholdModal(
                self.person_id,
                referral_id=referral_id,
                attempts=result.attempts,
                threshold=result.threshold,
                next_step="not_reached",
            ),
            answer,
        )

    def _decide(self, kind: str) -> None:
        from linkworker.tui.screens.triage import CodeScreen, DecisionScreen

        target = {"accept": "accepted", "decline": "declined", "not_reached": "not_reached"}
        referral = self._current_referral(target[kind])
        if referral is None:
            return
        rid = int(referral["id"])

        def done(result: object) -> None:
            if result is None:
                return
            if kind == "not_reached":
                self._changed("Referral closed as not reached.")
                return
            code, term = cast("tuple[str, str]", result)
            what = "Referral accepted" if kind == "accept" else "Referral declined"
            self._changed()
            self.app.push_screen(CodeScreen(what, code, term))

        self.app.push_screen(DecisionScreen(rid, kind), done)

    def action_accept(self) -> None:
        """Accept the referral (SNOMED CT 871731000000106)."""
        self._decide("accept")

    def action_decline(self) -> None:
        """Record that the person declined (SNOMED CT 871711000000103)."""
        self._decide("decline")

    def action_not_reached(self) -> None:
        """Close the referral as not reached."""
        self._decide("not_reached")

    def action_discharge(self) -> None:
        """Close the episode with a reason and a summary."""
        from linkworker.tui.screens.measure_prompts import offer_at_discharge
        from linkworker.tui.screens.triage import DischargeScreen

        referral = self._current_referral("discharged")
        if referral is None:
            return
        rid = int(referral["id"])

        def done(reason: str | None) -> None:
            if reason is not None:
                self._changed("Discharged. The person stays on record.")
                offer_at_discharge(self, self.person_id)

        self.app.push_screen(DischargeScreen(rid), done)

    def action_new_referral(self) -> None:
        """A new referral (a new episode) for this person."""
        from linkworker import referrals
        from linkworker.errors import CaseloadError
        from linkworker.referrals import IntakeResult
        from linkworker.tui.screens.intake import IntakeScreen, intake_done_message

        try:
            referrals.check_new_referral(self.db, self.person_id)
        except CaseloadError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return

        def done(result: IntakeResult | None) -> None:
            if result is not None:
                self._changed(intake_done_message(result))

        self.app.push_screen(IntakeScreen(self.person_id), done)

    def action_edit(self) -> None:
        """Edit the person's details (audited)."""
        from linkworker.tui.screens.person_edit import PersonEditScreen

        def done(changed: list[str] | None) -> None:
            if changed is None:
                return
            words = ", ".join(changed).replace("_", " ") if changed else "nothing changed"
            self._changed(f"Saved: {words}.")

        self.app.push_screen(PersonEditScreen(self.person_id), done)

    def action_open_entry(self) -> None:
        """Open the timeline entry under the cursor: all of it, its history, e and x."""
        from linkworker.corrections import ENTRY_WORDS
        from linkworker.tui.screens.entry import EntryDialog

        key = highlighted_key(self.query_one(DataTable))
        if key is None:
            return
        name, _, rest = key.partition(":")
        if name not in ENTRY_WORDS:
            return
        record_id = int(rest.partition(":")[0])

        def closed(_: None) -> None:
            self._changed()

        self.app.push_screen(EntryDialog(name, record_id), closed)

    def action_reopen(self) -> None:
        """Undo the current referral's closing decision, with a reason."""
        from linkworker.corrections import can_reopen
        from linkworker.tui.screens.entry import ReopenDialog

        referral = self._current_referral()
        if referral is None:
            return
        if not can_reopen(referral["status"]):
            status = ReferralStatus(referral["status"]).label.lower()
            self.notify(
                f"this referral is {status}; there is no decision to reopen",
                severity="warning",
                markup=False,
            )
            return

        def done(result: str | None) -> None:
            if result:
                self._changed(result)

        self.app.push_screen(ReopenDialog(int(referral["id"]), referral["status"]), done)

    def action_history(self) -> None:
        """Every change to the record, from the audit trail."""
        from linkworker.tui.screens.person_edit import HistoryScreen

        self.app.push_screen(HistoryScreen(self.person_id))

    def action_flags(self) -> None:
        """Raise or clear flags."""
        from linkworker.tui.screens.person_edit import FlagsScreen

        def done(changes: list[tuple[int, bool]] | None) -> None:
            if changes:
                self._changed()

        self.app.push_screen(FlagsScreen(self.person_id), done)

    def action_information_needs(self) -> None:
        """Record or correct the person's communication and information needs (audited)."""
        from linkworker.tui.screens.information_needs import InformationNeedsDialog

        def done(changed: list[str] | None) -> None:
            if changed is not None:
                words = ", ".join(changed).replace("_", " ") if changed else "nothing changed"
                self._changed(f"Communication needs saved: {words}.")

        self.app.push_screen(InformationNeedsDialog(self.person_id), done)

    def action_hand_over(self) -> None:
        """Hand the case over to a colleague: their key, a confirmation, the sealed file."""
        from linkworker.tui.screens.handover import hand_over

        hand_over(self, self.person_id, lambda words: self._changed(f"{words}."))

    def action_erase(self) -> None:
        """Erase everything about the person, after their name is typed in full."""
        from linkworker.erasure import ErasureResult
        from linkworker.tui.messages import CaseloadChanged
        from linkworker.tui.screens.erase import EraseScreen

        def done(result: ErasureResult | None) -> None:
            if result is None:
                return
            self.erased = True
            self.app.post_message(CaseloadChanged(None))
            if self.app.screen is self:
                self.app.pop_screen()
            note = "" if result.compacted else " (the file could not be compacted yet)"
            self.notify(f"Erased: {result.total} records removed{note}.", markup=False)

        self.app.push_screen(EraseScreen(self.person_id), done)

    def action_connect_activity(self) -> None:
        """Find an activity (the directory search, with the person's age and area) and
        connect the person to it."""
        from linkworker.tui.screens.connections import connect_to_activity

        connect_to_activity(self, self.person_id)

    def action_activities(self) -> None:
        """The person's connections, suggestions and shortlist."""
        from linkworker.tui.screens.person_activities import PersonActivitiesScreen

        self.app.push_screen(PersonActivitiesScreen(self.person_id))
