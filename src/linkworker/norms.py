"""The figures NHS England's social prescribing reference guide sets, written once.

A person is usually supported over 6 to 12 contacts: the person screen, the caseload, the
GP message, the subject access and caseload exports and the commissioner report all say so
through :data:`CONTACT_NORM`. This module imports nothing, so formats may use it too.
"""

from __future__ import annotations

from typing import NamedTuple


class ContactNorm(NamedTuple):
    """The usual number of contacts over an episode: from ``fewest`` to ``most``."""

    fewest: int
    most: int

    def words(self) -> str:
        """'6-12', as the norm is written in the app, exports and reports."""
        return f"{self.fewest}-{self.most}"


#: Most people are supported over 6-12 contacts (NHS England reference guide).
CONTACT_NORM = ContactNorm(fewest=6, most=12)
