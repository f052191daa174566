"""Every default key of the TUI, in one place (as harlequin keeps its keymap).

Each screen, dialog and widget has an entry in :data:`KEYS`: its keys as :class:`Key` records,
in the order the footer shows them. A class says ``BINDINGS = keymap.bindings("today")``.
The binding ids are what a user's ``[keymap]`` in settings.toml and the README name, so they
never change; ids of before the dialog family live on as aliases (tui/dialogs/base.py
``BINDING_ALIASES``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    """One default key: what is pressed, what it does, the footer's word, the keymap's id."""

    key: str
    action: str
    description: str
    id: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        """This key as a Textual binding."""
        return Binding(
            self.key,
            self.action,
            self.description,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


def _help(screen: str) -> Key:
    # "?" opens the help screen from every main screen; F1 (the app's) works everywhere.
    return Key("question_mark", "app.help", "Help", f"{screen}.help", show=False)


def _back_and_help(screen: str) -> tuple[Key, Key]:
    # The screens opened from another: Esc goes back to it, and "?" is help as everywhere.
    return Key("escape", "back", "Back", f"{screen}.back"), _help(screen)


#: Esc backs out of every dialog; what that means is the dialog's ``action_cancel``.
DIALOG_CANCEL = Key("escape", "cancel", "Cancel", "form.cancel")
#: Ctrl+S saves every form, whichever field has focus (priority: fields take most keys).
FORM_SAVE = Key("ctrl+s", "save", "Save", "form.save", priority=True)

KEYS: dict[str, tuple[Key, ...]] = {
    "app": (
        Key("f2", "section('today')", "Today", "section.today"),
        Key("f3", "section('caseload')", "Caseload", "section.caseload"),
        Key("f4", "section('directory')", "Directory", "section.directory"),
        Key("f5", "section('reports')", "Reports", "section.reports"),
        Key("f1", "help", "Help", "help"),
        Key("ctrl+q", "quit", "Quit", "quit", priority=True),
        Key("ctrl+l", "lock", "Lock", "lock", priority=True),
    ),
    "dialog": (DIALOG_CANCEL,),
    "form": (FORM_SAVE, DIALOG_CANCEL),
    "goal": (
        FORM_SAVE,
        DIALOG_CANCEL,
        Key("ctrl+n", "add_action", "Another action", "goal.add_action", priority=True),
    ),
    "today": (
        # Enter must beat the table's own "select": the binding id lets the keymap move it.
        Key("enter", "open_person", "Open", "today.open", priority=True),
        Key("c", "complete", "Complete", "today.complete"),
        Key("r", "reschedule", "Reschedule", "today.reschedule"),
        Key("d", "did_not_attend", "Missed", "today.did_not_attend"),
        Key("b", "book", "Book", "today.book"),
        Key("x", "cancel_followup", "Cancel f/u", "today.cancel"),
        Key("D", "did_they_go", "Did they go?", "today.did_they_go"),
        # Lone working: check in or out of the visit on the line; the day's plan; and the
        # community work that is no one's case.
        Key("k", "check_visit", "Check in/out", "today.check_visit"),
        Key("v", "visit_plan", "Visit plan", "today.visit_plan"),
        Key("w", "community_work", "Community work", "today.community_work"),
        _help("today"),
    ),
    "caseload": (
        # Priority: handled before the keys after it are routed, so "/name" typed fast all
        # lands in the filter box ("/" itself is never part of a name or NHS number).
        Key("slash", "focus_filter", "Filter", "caseload.filter", priority=True),
        Key("s", "next_sort", "Sort", "caseload.sort"),
        Key("r", "reverse_sort", "Reverse", "caseload.reverse"),
        # Page keys must beat the DataTable's own scrolling: it only holds one page.
        Key("pagedown", "page(1)", "Next page", "caseload.next_page", priority=True),
        Key("pageup", "page(-1)", "Previous page", "caseload.previous_page", priority=True),
        Key("right_square_bracket", "page(1)", "Next page", "caseload.next_page_alt", show=False),
        Key(
            "left_square_bracket",
            "page(-1)",
            "Previous page",
            "caseload.previous_page_alt",
            show=False,
        ),
        Key("escape", "clear_filter", "Clear filter", "caseload.clear", show=False),
        _help("caseload"),
        Key("n", "new_referral", "New referral", "caseload.new_referral"),
        Key("H", "receive_handover", "Receive a case", "caseload.receive_handover", show=False),
    ),
    "person": (
        *_back_and_help("person"),
        # The everyday keys first: the footer shows as many as fit from the left.
        Key("c", "log_contact", "Contact", "person.log_contact"),
        Key("a", "log_attempt", "Attempt", "person.log_attempt"),
        Key("f", "book_followup", "Follow-up", "person.book_followup"),
        Key("w", "plan_step('conversation')", "What matters", "person.conversation"),
        Key("g", "plan_step('goal')", "Goal", "person.goal"),
        Key("m", "plan_step('measure')", "Measure", "person.measure"),
        Key("p", "open_plan('plan')", "Plan", "person.plan"),
        Key("o", "open_plan('outcomes')", "Outcomes", "person.outcomes"),
        Key("v", "plan_step('review')", "Review goal", "person.review_goal", show=False),
        Key("y", "accept", "Accept", "person.accept"),
        Key("d", "decline", "Decline", "person.decline"),
        Key("x", "discharge", "Discharge", "person.discharge"),
        Key("u", "not_reached", "Not reached", "person.not_reached", show=False),
        Key("n", "new_referral", "New referral", "person.new_referral"),
        Key("e", "edit", "Edit", "person.edit"),
        # Flags are rarer than follow-ups, so they take the shifted key.
        Key("F", "flags", "Flags", "person.flags"),
        # Communication and information needs (the Accessible Information Standard).
        Key("i", "information_needs", "Needs", "person.information_needs"),
        Key("h", "history", "History", "person.history", show=False),
        # Enter on a timeline row opens the entry (to read it whole, correct or strike it out).
        Key("enter", "open_entry", "Open entry", "person.open_entry", show=False, priority=True),
        Key("R", "reopen", "Reopen", "person.reopen", show=False),
        Key("ctrl+g", "message_to_gp", "Message to GP", "person.message_to_gp"),
        # Erasure: Ctrl+E, then the person's name typed in full.
        Key("ctrl+e", "erase", "Erase person", "person.erase", show=False),
        Key("H", "hand_over", "Hand over", "person.hand_over", show=False),
        # 'a' is a contact attempt; 'l' links the person to an activity.
        Key("l", "connect_activity", "Link activity", "person.connect"),
        Key("A", "activities", "Activities", "person.activities"),
        # Everything else for this person: every follow-up, "did they go?", files.
        Key("b", "followups", "Follow-ups", "person.followups"),
        Key("D", "did_they_go", "Did they go?", "person.did_they_go"),
        Key("s", "save_or_copy", "Save or copy", "person.save_or_copy"),
        Key("S", "supervision", "Supervision", "person.supervision", show=False),
        # N: a need nothing in the directory answers (or a barrier blocks).
        Key("N", "unmet_need", "Unmet need", "person.unmet_need", show=False),
    ),
    "person_followups": (
        *_back_and_help("person_followups"),
        Key("c", "complete", "Complete", "person_followups.complete"),
        Key("d", "missed", "Missed", "person_followups.missed"),
        Key("r", "reschedule", "Reschedule", "person_followups.reschedule"),
        Key("x", "cancel_followup", "Cancel f/u", "person_followups.cancel"),
        Key("b", "book", "Book", "person_followups.book"),
    ),
    "history": (Key("q", "cancel", "Close", "history.close"),),
    "entry": (
        DIALOG_CANCEL,
        Key("e", "correct", "Correct", "entry.correct"),
        Key("x", "strike_out", "Strike out", "entry.strike_out"),
    ),
    "flags": (Key("delete", "clear_flag", "Clear flag", "flags.clear"),),
    "gp_message": (Key("c", "copy", "Copy", "gp_message.copy"),),
    "code": (Key("c", "copy", "Copy code", "code.copy"),),
    "plan": (
        Key("escape", "back", "Back", "plan.back"),
        Key("p", "show('plan')", "Plan", "plan.show_plan"),
        Key("c", "show('conversations')", "Conversations", "plan.show_conversations"),
        Key("o", "show('outcomes')", "Outcomes", "plan.show_outcomes"),
        Key("s", "write", "Save to file", "plan.write"),
        Key("w", "plan_step('conversation')", "What matters", "plan.conversation"),
        Key("g", "plan_step('goal')", "Goal", "plan.goal"),
        Key("v", "plan_step('review')", "Review goal", "plan.review_goal"),
        Key("d", "plan_step('action_done')", "Action done", "plan.action_done"),
        Key("m", "plan_step('measure')", "Measure", "plan.measure"),
        # The personalised care and support plan: signed off, and the person's own copy.
        Key("k", "sign_off", "Sign off", "plan.sign_off"),
        Key("h", "person_copy", "Their copy", "plan.person_copy"),
        _help("plan"),
    ),
    "person_activities": (
        *_back_and_help("person_activities"),
        Key("a", "connect", "Connect", "person_activities.connect"),
        Key("s", "suggest", "Suggest", "person_activities.suggest"),
        Key("m", "move", "Move on", "person_activities.move"),
        Key("o", "open_activity", "Open activity", "person_activities.open"),
        Key("l", "shortlist", "Shortlist", "person_activities.shortlist"),
        Key("r", "referral", "Referral", "person_activities.referral"),
    ),
    "suggestions": (
        *_back_and_help("suggestions"),
        Key("space", "pick", "Pick", "suggestions.pick"),
        Key("c", "connect", "Connect", "suggestions.connect"),
        Key("l", "shortlist", "Shortlist", "suggestions.shortlist"),
        Key("d", "focus_days", "Days", "suggestions.days"),
    ),
    "shortlist": (
        *_back_and_help("shortlist"),
        Key("a", "add", "Add", "shortlist.add"),
        Key("delete", "remove", "Remove", "shortlist.remove"),
        Key("w", "write", "Write file", "shortlist.write"),
    ),
    "picker": (
        Key("escape", "cancel", "Cancel", "picker.cancel"),
        Key("slash", "focus_search", "Search", "picker.search"),
        # Priority: the search box has the focus, and Ctrl+N is no key of its.
        Key("ctrl+n", "nothing_fits", "Nothing fits", "picker.nothing_fits", priority=True),
    ),
    "directory": (
        # Priority: handled before the keys after it are routed, so "/walk" typed fast all
        # lands in the search box.
        Key("slash", "focus_search", "Search", "directory.search", priority=True),
        Key("escape", "clear_search", "Clear", "directory.clear", show=False),
        _help("directory"),
        Key("n", "add", "New", "directory.add"),
        Key("e", "edit", "Edit", "directory.edit"),
        Key("v", "verified", "Verified today", "directory.verified"),
        Key("f", "favourite", "Favourite", "directory.favourite"),
        Key("i", "import_feed", "Import", "directory.import"),
        Key("x", "export_feed", "Export", "directory.export"),
        Key("p", "pull_feed", "Pull", "directory.pull"),
        Key("q", "feed_quality", "Feed quality", "directory.quality"),
        Key("K", "merge_knowledge", "Merge knowledge", "directory.merge_knowledge", show=False),
    ),
    "activity_search": (
        # Page keys must beat the list's own scrolling: it only holds one page.
        Key("pagedown", "page(1)", "Next page", "directory.next_page", show=False, priority=True),
        Key(
            "pageup",
            "page(-1)",
            "Previous page",
            "directory.previous_page",
            show=False,
            priority=True,
        ),
        # From the search box, Down goes to the list (the box has no use for it).
        Key("down", "focus_results", "To the list", "directory.to_list", show=False),
    ),
    "activity": (
        *_back_and_help("activity"),
        Key("v", "verified", "Verified today", "activity.verified"),
        Key("f", "favourite", "Favourite", "activity.favourite"),
        Key("n", "notes", "Notes", "activity.notes"),
        Key("k", "knowledge", "What you know", "activity.knowledge"),
        Key("e", "edit", "Edit", "activity.edit"),
        Key("c", "connect", "Connect person", "activity.connect"),
        Key("m", "move", "Move on", "activity.move"),
        Key("R", "retire", "Retire/restore", "activity.retire"),
    ),
    "reports": (
        Key("ctrl+s", "export", "Export", "reports.export", priority=True),
        Key("ctrl+r", "refresh", "Refresh", "reports.refresh", priority=True),
        # Ctrl keys, as the fields take the letters (and Ctrl+B, Ctrl+K... edit a field).
        Key("ctrl+o", "pack", "Supervision pack", "reports.supervision_pack", priority=True),
        Key("ctrl+t", "supervision", "Supervision", "reports.supervision_session", priority=True),
        Key("ctrl+n", "community_work", "Community work", "reports.community_work", priority=True),
        _help("reports"),
        # The report scrolls from wherever the focus is (the fields take most keys).
        Key("pagedown", "scroll_report(1)", "Page down", "reports.page_down", show=False),
        Key("pageup", "scroll_report(-1)", "Page up", "reports.page_up", show=False),
    ),
    "help": (Key("escape,f1,question_mark,q", "dismiss", "Close", "help.close"),),
    "passphrase": (Key("escape", "cancel", "Cancel", "passphrase.cancel"),),
    "store_choice": (Key("escape", "choose_last", "The last answer", "choice.cancel"),),
}


def bindings(table: str) -> list[BindingType]:
    """The Textual bindings of one entry of :data:`KEYS` (a screen, dialog or widget)."""
    return [key.binding() for key in KEYS[table]]
