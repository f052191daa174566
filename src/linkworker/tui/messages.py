"""Past-tense messages that screens post once the core has saved something, in one module.

:class:`CaseloadChanged` is the one the app acts on: it refreshes the header and marks every
section stale, so each reloads when next shown. Messages carry ids, never a person's details.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CaseloadChanged(Message):
    """Something the sections show was saved (``person_id``: whose record, when one person's).

    Post it to the app (``self.app.post_message``) after any write; the header's counts and
    every section follow. Writes on the app's own connection are noticed without it too
    (see ``LinkWorkerScreen.needs_reload``); work on another connection must post it.
    """

    person_id: int | None = None


class ReferralReceived(Message):
    """A referral was taken in: for a new person, or as a new episode on someone on record."""

    def __init__(self, person_id: int, referral_id: int, new_person: bool) -> None:
        super().__init__()
        self.person_id = person_id
        self.referral_id = referral_id
        self.new_person = new_person


class ContactLogged(Message):
    """A contact with the person was recorded."""

    def __init__(self, person_id: int, contact_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.contact_id = contact_id


class AttemptLogged(Message):
    """An unsuccessful contact attempt was recorded."""

    def __init__(self, person_id: int, referral_id: int, attempts: int, threshold: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.referral_id = referral_id
        self.attempts = attempts
        self.threshold = threshold


class ReferralDecided(Message):
    """The person decided about social prescribing; ``code`` is the SNOMED CT code to record."""

    def __init__(self, person_id: int, referral_id: int, code: str, term: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.referral_id = referral_id
        self.code = code
        self.term = term


class ReferralAccepted(ReferralDecided):
    """The person accepted social prescribing (SNOMED CT 871731000000106)."""


class ReferralDeclined(ReferralDecided):
    """The person declined social prescribing (SNOMED CT 871711000000103)."""


class ReferralNotReached(Message):
    """The referral was closed because the person could not be reached."""

    def __init__(self, person_id: int, referral_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.referral_id = referral_id


class ReferralDischarged(Message):
    """The episode was closed with a reason; the person stays on record."""

    def __init__(self, person_id: int, referral_id: int, reason: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.referral_id = referral_id
        self.reason = reason


class PersonUpdated(Message):
    """The person's details were edited; ``fields`` are the ones that changed."""

    def __init__(self, person_id: int, fields: list[str]) -> None:
        super().__init__()
        self.person_id = person_id
        self.fields = fields


class FlagsChanged(Message):
    """A flag was raised or cleared on the person."""

    def __init__(self, person_id: int, flag_id: int, raised: bool) -> None:
        super().__init__()
        self.person_id = person_id
        self.flag_id = flag_id
        self.raised = raised


class PersonErased(Message):
    """Everything about a person was erased (only the count of rows is carried)."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
