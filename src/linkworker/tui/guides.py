"""What each screen and dialog is called and what its help says, in one place.

A class names its entry: ``class TodayScreen(LinkWorkerScreen, guide="today")``. :class:`Guided`
then sets the class's ``TITLE`` (the header or the dialog's title line), ``HELP`` (the top of
the help screen, F1) and ``IS_SECTION`` from :data:`GUIDES`, and its ``BINDINGS`` from the
table of the same name in :mod:`linkworker.tui.keymap`. So a screen's words and keys are read,
changed and tested here and in the keymap, not in forty class headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from linkworker.norms import CONTACT_NORM
from linkworker.tui import keymap


@dataclass(frozen=True)
class Guide:
    """A screen's or dialog's title, its help text, and whether it is one of the sections."""

    title: str | None = None
    help: str = ""
    section: bool = False


class Guided:
    """Mixin of every linkworker screen and dialog: ``guide="name"`` in the class header."""

    TITLE: ClassVar[str | None] = None
    HELP: ClassVar[str | None] = None
    #: One of the four sections (modes) of the app.
    IS_SECTION: ClassVar[bool] = False
    #: The name of this class's entry in :data:`GUIDES` (None: it has none of its own).
    GUIDE: ClassVar[str | None] = None

    def __init_subclass__(cls, guide: str | None = None, **options: Any) -> None:
        # Before Textual's own hook: it merges BINDINGS when the class is made.
        if guide is not None:
            about = GUIDES[guide]
            cls.GUIDE = guide
            if about.title is not None:
                cls.TITLE = about.title
            cls.HELP = about.help
            cls.IS_SECTION = about.section
            if guide in keymap.KEYS:
                cls.BINDINGS = keymap.bindings(guide)  # type: ignore[attr-defined]
        super().__init_subclass__(**options)


GUIDES: dict[str, Guide] = {
    # tui/screens/activity.py
    "activity": Guide(
        title="Activity",
        help=(
            "The activity's details, when it was last checked (by its publisher, and by you), "
            "your private notes, and the people you have connected to it (only you see them). v"
            " marks it verified today. Enter on a person opens them; m moves their connection "
            "on."
        ),
    ),
    # tui/screens/activity_form.py
    "activity_form": Guide(
        help=(
            "Fill in what you know; only the name is required. Times are 24-hour HH:MM and need"
            " the days they apply to. Ctrl+S saves, Esc cancels. An imported activity's fields "
            "are replaced the next time its feed is imported: keep your own remarks in its "
            "private notes."
        ),
    ),
    # tui/screens/activity_knowledge.py
    "activity_knowledge": Guide(
        help=(
            "What you know that the feed lacks. Each answer you change is dated today and "
            "signed with your name; a blank clears it. Private: never in the exported feed."
        ),
    ),
    "notes": Guide(
        help="Private notes: only you see them, and they are never exported unless you ask.",
    ),
    # tui/screens/caseload.py
    "caseload": Guide(
        title="Caseload",
        help=(
            "Type to find people by name (accents, apostrophes, hyphens and spaces ignored), "
            "NHS number, phone, postcode or date of birth (23/11/1950); pick a status, need or "
            "source. Click a column header or press s to sort. Enter opens the person. n takes "
            "in a new referral."
        ),
        section=True,
    ),
    # tui/screens/connections.py
    "picker": Guide(
        title="Pick an activity",
        help=(
            "Search as in the Directory; activities that do not fit the person's age are left "
            "out (change the age filter to see them). Enter picks the highlighted activity, Esc"
            " goes back without one. Ctrl+N when nothing fits records the unmet need, with "
            "what you searched for."
        ),
    ),
    "person_picker": Guide(title="Connect which person?"),
    "gap": Guide(
        title="Record an unmet need",
        help=(
            "A need that no activity answers (no suitable activity), or one that cost, a "
            "waiting list, transport, access, language or timing keeps the person from. The "
            "need starts as their referral's; the area counted is the postcode district on "
            "their record. Unmet needs are counted in the gap report (Reports, or `linkworker"
            " report gaps`) by area, need and barrier, pseudonymised."
        ),
    ),
    "connect": Guide(
        title="Connect to an activity",
        help=(
            "A signpost: you told the person about it. A referral: you referred them to it. "
            "Either starts as 'suggested'; move it on from the person's activities (A) or the "
            "activity's screen (m)."
        ),
    ),
    "move_connection": Guide(
        title="Move the connection on",
        help=(
            "suggested → referred → attended → still attending, or stopped at any point. Steps "
            "can be skipped forwards, never taken back."
        ),
    ),
    # tui/screens/contact_forms.py
    "complete_follow_up": Guide(
        help=(
            "Log a call, visit or meeting that reached the person; it counts towards the "
            f"{CONTACT_NORM.words()} norm. With a follow-up it completes it, and then offers to "
            "book the next one. Ctrl+S saves (Enter in a one-line field too); Esc cancels."
        ),
    ),
    "missed": Guide(
        help=(
            "Record an unsuccessful attempt. It counts towards 'not reached' on the referral; "
            "at the limit you are asked whether to close the referral. Enter or Ctrl+S saves."
        ),
    ),
    "threshold": Guide(
        help=(
            "The unsuccessful attempts have reached the limit in settings "
            "(not_reached_attempts). Close the referral (its planned follow-ups are cancelled) "
            "or leave it open for now."
        ),
    ),
    # tui/screens/conversation.py
    "conversation": Guide(
        help=(
            "Write what matters in the person's own words. Tick each need and add a note "
            "(typing a note ticks it). Ctrl+S saves, Esc cancels."
        ),
    ),
    # tui/screens/directory.py
    "directory": Guide(
        title="Directory",
        help=(
            "Type to search names, descriptions, organisations, categories and places; the "
            "words that matched are shown in bold. Filter by category, day, time, area, cost "
            "and status (Tab moves between them). Enter on the search box goes to the list; "
            "Enter on an activity opens it. ★ marks a favourite, ⚠ stale one nobody has checked"
            " recently."
        ),
        section=True,
    ),
    # tui/screens/directory_files.py
    "import_feed": Guide(
        title="Import an Open Referral UK feed",
        help=(
            "A JSON file (a service, a list page, an array of services), a folder of JSON "
            "pages, or an HSDS CSV data package (its folder or datapackage.json)."
        ),
    ),
    # tui/screens/directory_pull.py
    "pull_feed": Guide(
        title="Pull an Open Referral UK API",
        help=(
            "The address of the council's Open Referral UK API (its /services pages). Once it "
            "has been pulled completely, the next pull asks only for what changed."
        ),
    ),
    "export_feed": Guide(title="Export the directory (Open Referral UK)"),
    # tui/screens/directory_quality.py
    "feed_quality": Guide(
        title="Feed quality",
        help=(
            "One row a source: its records, the share not checked in 12 months (they sink in "
            "search), how many lack a contact, a place or times, how many another feed also "
            "lists, and its last pull. The highlighted source's problems are written out below."
        ),
    ),
    # tui/screens/entry.py
    "entry": Guide(
        title="Entry",
        help="The whole entry and its history. e corrects it, x strikes it out, Esc closes.",
    ),
    "correct_entry": Guide(
        title="Correct entry",
        help=(
            "Change what was recorded wrongly. A reason is needed when the entry was saved more"
            " than a day ago; the old values stay in the history."
        ),
    ),
    "strike_out": Guide(
        title="Strike out",
        help=(
            "An entry made in error stays on the record, struck through, with your reason; it "
            "counts nowhere (contacts, attempts, measures, reports, the GP message)."
        ),
    ),
    "reopen": Guide(
        title="Reopen",
        help=(
            "Reopening puts the episode back where it was before the decision; the decision and"
            " your reason stay in the history."
        ),
    ),
    # tui/screens/erase.py
    "erase": Guide(
        title="Erase this person",
        help=(
            "Erasure removes every record about the person and their change history, and cannot"
            " be undone. Only a note that an erasure happened is kept."
        ),
    ),
    # tui/screens/followup_forms.py
    "book_follow_up": Guide(
        help=(
            "Book a follow-up. Dates as 7/12/2026 or 2026-12-07; leave the time blank for 'some"
            " time that day'. Repeat: every N weeks until a date (recurring reviews). Enter or "
            "Ctrl+S books; Esc cancels. A clash with another booking, or a time the clocks skip"
            " or repeat, is shown first."
        ),
    ),
    "reschedule": Guide(
        help=(
            "Move the follow-up. Of a series, tick the box to move the later ones by as many "
            "days too. Enter or Ctrl+S saves; Esc leaves it where it was."
        ),
    ),
    "cancel_follow_up": Guide(
        help="Cancel the follow-up: say why (kept on the record). Enter or Ctrl+S cancels it.",
    ),
    # tui/screens/goal.py
    "goal": Guide(
        help=(
            "Write the goal in the person's words. Add as many actions as were agreed (Ctrl+N "
            "or the button); empty action rows are ignored. Ctrl+S saves, Esc cancels."
        ),
    ),
    "goal_review": Guide(
        title="Review goal",
        help=(
            "Choose what happened, say how it went, and (if still open) when to look again. A "
            "changed goal can carry on in new words. Ctrl+S saves, Esc cancels."
        ),
    ),
    # tui/screens/gp_message.py
    "gp_preview": Guide(
        title="Message to GP: check what goes",
        help=(
            "The person can read it in the NHS App. Space ticks a line; Ctrl+S uses it, Esc "
            "cancels."
        ),
    ),
    "gp_message": Guide(
        title="Message back to GP and referrer",
        help="The message back to the GP and referrer. c copies it to the clipboard again.",
    ),
    # tui/screens/help.py
    "help": Guide(),
    # tui/screens/intake.py
    "intake": Guide(
        title="New referral",
        help=(
            "Fields marked * are needed. Dates as 23/11/2026. Space ticks a reason. Ctrl+S "
            "saves; if the person may already be on record you are offered their record first."
        ),
    ),
    "duplicate": Guide(
        title="Already on record?",
        help="Enter uses the highlighted person for this referral. Esc goes back to the form.",
    ),
    "identity_check": Guide(
        title="This NHS number is on record for someone else?",
        help=(
            "The NHS number typed is on record with a different name or date of birth. "
            "Choose deliberately: Tab to a choice, then Enter. Esc goes back to the form."
        ),
    ),
    # tui/screens/lock.py
    "lock": Guide(
        title="Locked",
        help="Type your passphrase and press Enter to unlock. Ctrl+Q quits.",
    ),
    # tui/screens/measure.py
    "measure": Guide(
        help=(
            "Type each answer's number; the answer's words show beside it. Enter moves to the "
            "next item. Items left blank are stored as unanswered (SWEMWBS and UCLA-3 are then "
            "not scored). Ctrl+S saves, Esc cancels."
        ),
    ),
    # tui/screens/passphrase.py
    "enter_passphrase": Guide(
        title="Passphrase",
        help="Type the passphrase of your caseload and press Enter. Ctrl+Q quits.",
    ),
    "passphrase": Guide(
        title="Set a passphrase",
        help="Type the new passphrase twice. Tab moves between fields; Esc cancels.",
    ),
    # tui/screens/person.py
    "person": Guide(
        title="Person",
        help="Key facts and flags at the top; every event on the record below, newest first.",
    ),
    "clear_flag": Guide(
        title="Clear this flag?",
        help="Say why the flag no longer applies; it stays in the history with the reason.",
    ),
    # tui/screens/information_needs.py
    "information_needs": Guide(
        title="Communication needs",
        help=(
            "What the person needs to read, hear and be reached (the Accessible Information "
            "Standard): large print and its size, easy read, an interpreter (British Sign "
            "Language or a language), braille, audio, a carer or advocate to contact, how and "
            "when to contact them. They show on the record as ◈ COMMUNICATION NEEDS, go in the "
            "GP message, and the shortlist and their copy of the plan obey them. Tick 'Checked "
            "with them today' when you have confirmed them: that sets last checked, and the "
            "review (blank) to the settings' needs_review_months ahead; ↻ REVIEW DUE shows "
            "from the review date."
        ),
    ),
    # tui/screens/person_followups.py
    "person_followups": Guide(
        title="Follow-ups",
        help=(
            "Every follow-up of this person, earliest first: planned, done, missed and "
            "cancelled. On a planned one: c completes it (logs the contact), d records it "
            "missed, r moves it, x cancels it; of a series, r and x offer the later ones too. "
            "b books another."
        ),
    ),
    # tui/screens/person_activities.py
    "person_activities": Guide(
        title="Activities",
        help=(
            "The activities this person is connected to, newest first. a connects them to "
            "another (search), s suggests activities that fit their needs, age, area and days, "
            "Enter or m moves the highlighted connection on, o opens its activity, l makes a "
            "shortlist to hand over, r writes the referral to the highlighted activity's "
            "provider (with the person's communication needs)."
        ),
    ),
    "suggestions": Guide(
        title="Suggestions",
        help=(
            "Activities that answer the needs in the person's latest conversation and referral,"
            " fit their age, are near them and (if you give them) on days that suit. Space "
            "picks one for a shortlist, c connects the highlighted one, l makes a shortlist of "
            "those picked, Enter opens the activity."
        ),
    ),
    "shortlist": Guide(
        title="Shortlist",
        help=(
            "What the person takes away: each activity's name, what it is, when, where, cost "
            "and how to get in touch, in plain words for paper. a adds an activity, Delete "
            "removes the highlighted one, w writes it to a file (plain text, Markdown for .md, "
            "or a printable page for .html). It comes in large print or easy read when the "
            "person's communication needs (i on their record) say so."
        ),
    ),
    "save_shortlist": Guide(title="Write the shortlist to a file"),
    # tui/screens/person_edit.py
    "person_edit": Guide(
        title="Edit details",
        help="Change what is recorded about the person. Every change is kept in the history (h).",
    ),
    "history": Guide(
        title="Change history",
        help="Every change to this person's record: when, what, and old -> new for edited fields.",
    ),
    "flags": Guide(
        title="Flags",
        help=(
            "Safeguarding and lone-working flags show at the top of the record as a symbol and "
            "a word; safeguarding is listed first. Select a flag and press Del to clear it: you"
            " are asked why (a safeguarding or lone-working flag needs a reason), and it stays "
            "in the history with that reason."
        ),
    ),
    # tui/screens/plan.py
    # tui/screens/handover.py
    "open_sealed": Guide(
        help=(
            "A sealed file a colleague sent you: it opens only with your key, and only when it"
            " is signed by a colleague whose key you kept, unchanged and not received before."
        ),
    ),
    "write_file": Guide(
        help="A name ending .md writes Markdown; any other name writes plain text.",
    ),
    "plan": Guide(
        title="Plan",
        help=(
            "The plan as the person will read it, every 'what matters' conversation (latest "
            "first) and the outcome measures with their change. p c o switch tabs; s writes the"
            " tab in front to a file. k signs the plan off against NHS England's five criteria "
            "of a personalised care and support plan; h writes the person's own copy in plain "
            "words (large print or easy read when their needs say so)."
        ),
    ),
    # tui/screens/plan_signoff.py
    "plan_signoff": Guide(
        title="Sign off the plan",
        help=(
            "Tick each of NHS England's five criteria of a personalised care and support plan "
            "that is true: the person was prepared for the conversation; it was about what "
            "matters to them; it was made together; it is recorded and shared with them; it "
            "will be reviewed (give the review date). Fewer than five asks once more before "
            "signing off. Each sign-off is kept, with the criteria ticked, in the history."
        ),
    ),
    # tui/screens/reports.py
    "reports": Guide(
        title="Reports",
        help=(
            "Choose the report: the commissioner's caseload report, unmet need and directory "
            "gaps, referrer feedback (a page per practice or organisation) or who is reached "
            "(against the practice population, `linkworker population load`). "
            "Pick a period or type its first and last day; a report covers whole calendar "
            "months, so other days are widened to whole months (the report says so). The report"
            " below is what the export will hold. Exports are pseudonymised (no names, NHS "
            "numbers, dates of birth or full postcodes; counts of 1-4 shown as <5, others "
            "rounded to 5; means, medians and percentages only for groups of 10 or more, "
            "rounded) unless you tick Identifiable (the caseload report only), which asks "
            "before it exports. Ctrl+S "
            "exports to the path shown; files are never replaced without asking. Ctrl+O writes "
            "the supervision pack, Ctrl+T records a supervision session, Ctrl+N logs "
            "community work."
        ),
        section=True,
    ),
    # tui/screens/store_choice.py
    "store_choice": Guide(title="Store"),
    # tui/screens/today.py
    "today": Guide(
        title="Today",
        help=(
            "Everything that needs you today, most urgent first; each heading says its rule. On"
            " a line: Enter, c, r, d, b, x (below). k checks you in to a visit and out of it, v"
            " gives the day's visit plan for your buddy, w logs community work. A visit not "
            "checked out in time shows at the top."
        ),
        section=True,
    ),
    # tui/screens/triage.py
    "discharge": Guide(
        title="Discharge",
        help="Closes the episode. The person stays on record; a later referral opens a new one.",
    ),
    "code": Guide(title="Code for the GP record"),
    # tui/screens/worker_name.py
    # tui/screens/care.py
    "community_work": Guide(
        help=(
            "Work that is no one person's case: supporting or starting a group, outreach, "
            "multidisciplinary meetings, training. The commissioner report counts its "
            "sessions and hours by kind."
        ),
    ),
    "supervision_mark": Guide(
        help=(
            "The question you want to bring to supervision about this person. The pack names "
            "the case by its reference only (SV-...), never the person."
        ),
    ),
    "supervision_session": Guide(
        help=(
            "A supervision session: when, what kind, with whom, and the actions agreed. A "
            "line starting with a person's id and a colon books a follow-up for them; any "
            "other line is a general task (supervision list, supervision done)."
        ),
    ),
    "worker_name": Guide(
        help=(
            "Your name signs what you send. It is saved in settings.toml, where your role, "
            "organisation, phone and email can be set too (see linkworker settings)."
        ),
    ),
}
