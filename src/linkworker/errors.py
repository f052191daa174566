"""The one error type for "the core refused this", shared by every domain module.

A refusal is a :class:`CaseloadError` (a ``ValueError``) whose message says why in the link
worker's words, and whose ``field`` names the form field it belongs to when there is one.
Narrower refusals subclass it (a duplicate person, a follow-up that cannot be booked), so a
screen or the CLI catches one type for all of them.
"""

from __future__ import annotations


class CaseloadError(ValueError):
    """A caseload action is not allowed (the message says why, in the link worker's words).

    ``field`` names the form field the problem belongs to, when there is one, so a form can
    show the message beside it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
