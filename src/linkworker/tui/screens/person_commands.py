"""The person screen's actions in the command palette (Ctrl+P), erasure among them."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: (what the palette shows, the person screen's action, help line)
PERSON_ACTIONS: list[tuple[str, str, str]] = [
    ("Log a contact", "log_contact", "A contact that reached the person (c)"),
    ("Log a contact attempt", "log_attempt", "An attempt that did not reach them (a)"),
    ("Accept referral", "accept", "Records SNOMED CT 871731000000106 (y)"),
    ("Decline referral", "decline", "Records SNOMED CT 871711000000103 (d)"),
    ("Mark not reached", "not_reached", "Close the referral after unanswered attempts (u)"),
    ("Discharge", "discharge", "Close the episode with a reason and summary (x)"),
    ("New referral for this person", "new_referral", "A new episode (n)"),
    ("Edit details", "edit", "Change what is recorded about them (e)"),
    ("Change history", "history", "Every change to the record (h)"),
    ("Flags", "flags", "Raise or clear safeguarding and lone-working flags (F)"),
    ("Follow-ups", "followups", "Every follow-up: complete, missed, reschedule, cancel (b)"),
    ("Did they go?", "did_they_go", "Whether they went to an activity they were linked to (D)"),
    (
        "Record an unmet need",
        "unmet_need",
        "No activity answers a need, or cost, transport... keeps them from one (N)",
    ),
    ("Copy the message to the GP", "copy_gp_message_now", "To the clipboard (s)"),
    ("Write the message to the GP to a file", "write_gp_message_now", "In the export folder (s)"),
    ("Write the plan to a file", "write_plan", "In the export folder (s)"),
    (
        "Subject access export",
        "subject_access",
        "Everything held about them, to JSON and Markdown files; identifiable (s)",
    ),
    (
        "For supervision",
        "supervision",
        "Mark them for supervision with a question, change it or unmark (S)",
    ),
    (
        "Hand the case over to a colleague",
        "hand_over",
        "Sealed to their kept key; the record here becomes read-only (H)",
    ),
    (
        "Erase this person",
        "erase",
        "Remove every record about them; you type their name to confirm (Ctrl+E)",
    ),
]


class PersonActionCommands(Provider):
    """Commands that act on the person whose record is in front."""

    def _command(self, action: str) -> Callable[[], object]:
        return cast("Callable[[], object]", getattr(self.screen, f"action_{action}"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in PERSON_ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._command(action), help=help_text)

    async def discover(self) -> Hits:
        for title, action, help_text in PERSON_ACTIONS:
            yield DiscoveryHit(title, self._command(action), help=help_text)
