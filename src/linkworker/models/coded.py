"""Which stored fields hold a code of which vocabulary: one table for everything that shows
a stored value in words (the change history, the subject access export)."""

from __future__ import annotations

from linkworker.models import (
    ActionOwner,
    AttemptOutcome,
    Barrier,
    ConnectionKind,
    ConnectionStatus,
    ContactMode,
    ContactPreference,
    DischargeReason,
    EthnicGroup,
    Ethnicity,
    FlagKind,
    FollowUpKind,
    FollowUpStatus,
    GoalStatus,
    Initiator,
    Labelled,
    NeedDomain,
    ReferralSource,
    ReferralStatus,
    Sex,
    Urgency,
)

#: (table, column) -> the vocabulary its stored codes come from.
CODED_FIELDS: dict[tuple[str, str], type[Labelled]] = {
    ("people", "sex"): Sex,
    ("people", "ethnicity"): Ethnicity,
    ("people", "ethnic_group"): EthnicGroup,
    ("people", "preferred_contact"): ContactPreference,
    ("referrals", "source"): ReferralSource,
    ("referrals", "status"): ReferralStatus,
    ("referrals", "urgency"): Urgency,
    ("referrals", "discharge_reason"): DischargeReason,
    ("referrals", "needs"): NeedDomain,
    ("contacts", "mode"): ContactMode,
    ("contacts", "outcome"): AttemptOutcome,
    ("contacts", "initiated_by"): Initiator,
    ("conversations", "barriers"): Barrier,
    ("conversations", "needs"): NeedDomain,
    ("goals", "status"): GoalStatus,
    ("goal_reviews", "status"): GoalStatus,
    ("actions", "owner"): ActionOwner,
    ("connections", "kind"): ConnectionKind,
    ("connections", "status"): ConnectionStatus,
    ("followups", "kind"): FollowUpKind,
    ("followups", "status"): FollowUpStatus,
    ("flags", "kind"): FlagKind,
    ("person_summary", "status"): ReferralStatus,
    ("person_summary", "source"): ReferralSource,
    ("person_summary", "needs"): NeedDomain,
}
