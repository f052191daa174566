"""The agenda's buckets in the order a link worker works through them, and their words.

Every place the agenda is shown (Today, ``linkworker agenda``) names and explains a bucket
with these words; :mod:`linkworker.followups.agenda` fills the buckets.
"""

from __future__ import annotations

from typing import NamedTuple


# A NamedTuple, not a frozen dataclass: made at every start, and a dataclass is
# compiled as it is made (~0.5 ms against ~0.07; issue 18).
class BucketWords(NamedTuple):
    """How one bucket is named and explained, wherever the agenda is shown.

    ``rule`` is a :meth:`str.format` template over the settings behind the bucket
    (``first_contact_working_days``, ``gone_quiet_days``, ``connection_check_days``),
    ``outcome_interval`` (the follow-up interval in words, or nothing when it is off) and
    ``ahead``, the days the window looks ahead after today.
    """

    key: str
    title: str  # `linkworker agenda`'s heading: "Waiting for a first contact"
    heading: str  # Today's heading: "FIRST CONTACT"
    short: str  # the counts line: "First contact: 3"
    rule: str  # what the bucket holds: "waiting over 5 working days"


#: The buckets in the order a link worker works through them.
BUCKETS: tuple[BucketWords, ...] = (
    BucketWords("due_today", "Due today", "DUE TODAY", "Due today", "booked for today, by time"),
    BucketWords("overdue", "Overdue", "OVERDUE", "Overdue", "not done by their date, oldest first"),
    BucketWords(
        "awaiting_first_contact",
        "Waiting for a first contact",
        "FIRST CONTACT",
        "First contact",
        "waiting over {first_contact_working_days} working days",
    ),
    BucketWords(
        "gone_quiet",
        "Gone quiet",
        "GONE QUIET",
        "Gone quiet",
        "no contact for {gone_quiet_days}+ days",
    ),
    BucketWords(
        "reviews_due", "Plan reviews due", "REVIEWS DUE", "Reviews", "goal review dates reached"
    ),
    BucketWords(
        "outcomes_due",
        "Outcome measures due",
        "OUTCOMES DUE",
        "Outcomes",
        "baseline at the first contact after acceptance{outcome_interval}",
    ),
    BucketWords(
        "connections_to_check",
        "Did they go? Connections to check",
        "DID THEY GO?",
        "Connections",
        "suggested or referred {connection_check_days}+ days ago; D answers",
    ),
    BucketWords(
        "this_week", "Coming up", "COMING UP", "This week", "booked for the next {ahead} days"
    ),
)
WORDS = {words.key: words for words in BUCKETS}

#: What an empty agenda says: (the heading, the explanation).
NOTHING_DUE = "Nothing due"
UP_TO_DATE = "the caseload is up to date"
