"""The vocabulary of linkworker: enums and pydantic models for every entity of the domain.

Values are stored in SQLite as the enum's ``value`` (stable, lower-case codes) and shown to
the link worker as its ``label``. Input models validate with :mod:`linkworker.validation`, so
the form, the CSV importer and the CLI share one set of rules; errors name the field.

One module a subject: :mod:`linkworker.vocabulary` (the labelled enums Today needs, free
of pydantic so that Today's first paint never imports it), :mod:`.base` (the base model,
the field types that normalise themselves), :mod:`.people`, :mod:`.needs` (information
needs, the plan's sign-off), :mod:`.referrals`, :mod:`.contacts`, :mod:`.plans`, :mod:`.directory`,
:mod:`.followups`, :mod:`.gaps`, and :mod:`.errors` (errors in a person's words).
This package re-exports every public name of those modules (``__all__`` below), so
``from linkworker.models import PersonDetails`` is the way to import them.
"""

from linkworker.models.base import Labelled, Model, Text
from linkworker.models.contacts import AttemptOutcome, ContactDetails, Initiator
from linkworker.models.directory import (
    ActivityDetails,
    ActivityStatus,
)
from linkworker.models.errors import error_lines, field_errors
from linkworker.models.followups import FollowUpDetails
from linkworker.models.gaps import GapBarrier, GapDetails
from linkworker.models.needs import (
    LARGE_PRINT_SMALLEST,
    InformationNeeds,
    Interpreter,
    PcspCriterion,
    SignOffDetails,
)
from linkworker.models.people import (
    FlagDetails,
    PersonDetails,
)
from linkworker.models.plans import (
    Action,
    ActionDetails,
    Conversation,
    ConversationDetails,
    Goal,
    GoalDetails,
    GoalReview,
)
from linkworker.models.referrals import (
    SNOMED_DECLINED,
    SNOMED_REFERRED,
    DecisionDetails,
    DischargeDetails,
    ReferralDetails,
)
from linkworker.vocabulary import (
    CLOSED_STATUSES,
    FLAG_SYMBOLS,
    OPEN_STATUSES,
    ActionOwner,
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
    NeedDomain,
    ReferralSource,
    ReferralStatus,
    Sex,
    Urgency,
)

__all__ = [
    "CLOSED_STATUSES",
    "FLAG_SYMBOLS",
    "LARGE_PRINT_SMALLEST",
    "OPEN_STATUSES",
    "SNOMED_DECLINED",
    "SNOMED_REFERRED",
    "Action",
    "ActionDetails",
    "ActionOwner",
    "ActivityDetails",
    "ActivityStatus",
    "AttemptOutcome",
    "Barrier",
    "ConnectionKind",
    "ConnectionStatus",
    "ContactDetails",
    "ContactMode",
    "ContactPreference",
    "Conversation",
    "ConversationDetails",
    "DecisionDetails",
    "DischargeDetails",
    "DischargeReason",
    "EthnicGroup",
    "Ethnicity",
    "FlagDetails",
    "FlagKind",
    "FollowUpDetails",
    "FollowUpKind",
    "FollowUpStatus",
    "GapBarrier",
    "GapDetails",
    "Goal",
    "GoalDetails",
    "GoalReview",
    "GoalStatus",
    "InformationNeeds",
    "Initiator",
    "Interpreter",
    "Labelled",
    "Model",
    "NeedDomain",
    "PcspCriterion",
    "PersonDetails",
    "ReferralDetails",
    "ReferralSource",
    "ReferralStatus",
    "Sex",
    "SignOffDetails",
    "Text",
    "Urgency",
    "error_lines",
    "field_errors",
]
