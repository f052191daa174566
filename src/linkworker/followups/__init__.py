"""Follow-ups and the daily agenda: booking, completing, missing, and who needs you today.

The package, one module a job:

- :mod:`~linkworker.followups.days`: working days and the dates to suggest;
- :mod:`~linkworker.followups.booking`: schedule (one or a series), clashes, reschedule,
  cancel, and reading follow-ups;
- :mod:`~linkworker.followups.contacts`: completing a follow-up with a contact, missing one
  with an attempt (the referral rules stay in :mod:`linkworker.referrals`);
- :mod:`~linkworker.followups.agenda`: Today's buckets, their rules and their words;
- :mod:`~linkworker.followups.calendar_export`: upcoming follow-ups as calendar events,
  written by :mod:`linkworker.formats.ics`.

This ``__init__`` re-exports the functions and classes callers use as ``followups.<name>``:
from days, ``add_working_days working_days_between next_working_day is_working_day
bank_holiday suggest_next suggest_retry``; from booking, ``FollowUpError FollowUpRow
get_followup planned_for followups_of ListedFollowUp later_in_series details Clash
find_clashes Booking MovedDay Repeat booking_days series_plan check_booking clock_changes
schedule reschedule
cancel DEFAULT_DURATION_MINUTES MAX_SERIES``; from contacts, ``Completed booked_moment
record_contact complete Missed default_outcome record_attempt record_missed``; from agenda,
``AGENDA_DAYS AgendaLine Agenda build_agenda followup_what``; from calendar_export,
``CALENDAR_DAYS CalendarExport calendar``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linkworker import lazy
from linkworker.followups.agenda import AGENDA_DAYS, Agenda, AgendaLine, build_agenda, followup_what

if TYPE_CHECKING:
    from linkworker.followups.booking import (
        DEFAULT_DURATION_MINUTES,
        MAX_SERIES,
        Booking,
        Clash,
        FollowUpError,
        FollowUpRow,
        ListedFollowUp,
        MovedDay,
        Repeat,
        booking_days,
        cancel,
        check_booking,
        clock_changes,
        details,
        find_clashes,
        followups_of,
        get_followup,
        later_in_series,
        planned_for,
        reschedule,
        schedule,
        series_plan,
    )
    from linkworker.followups.calendar_export import (
        CALENDAR_DAYS,
        CalendarExport,
        calendar,
    )
    from linkworker.followups.contacts import (
        Completed,
        Missed,
        booked_moment,
        complete,
        default_outcome,
        record_attempt,
        record_contact,
        record_missed,
    )
    from linkworker.followups.days import (
        add_working_days,
        bank_holiday,
        is_working_day,
        next_working_day,
        suggest_next,
        suggest_retry,
        working_days_between,
    )

__all__ = [
    "AGENDA_DAYS",
    "CALENDAR_DAYS",
    "DEFAULT_DURATION_MINUTES",
    "MAX_SERIES",
    "Agenda",
    "AgendaLine",
    "Booking",
    "CalendarExport",
    "Clash",
    "Completed",
    "FollowUpError",
    "FollowUpRow",
    "ListedFollowUp",
    "Missed",
    "MovedDay",
    "Repeat",
    "add_working_days",
    "bank_holiday",
    "booked_moment",
    "booking_days",
    "build_agenda",
    "calendar",
    "cancel",
    "check_booking",
    "clock_changes",
    "complete",
    "default_outcome",
    "details",
    "find_clashes",
    "followup_what",
    "followups_of",
    "get_followup",
    "is_working_day",
    "later_in_series",
    "next_working_day",
    "planned_for",
    "record_attempt",
    "record_contact",
    "record_missed",
    "reschedule",
    "schedule",
    "series_plan",
    "suggest_next",
    "suggest_retry",
    "working_days_between",
]

# Imported on first use: importing one module of the package must not import them all.
__getattr__ = lazy.exports(
    __name__,
    globals(),
    {
        "days": (
            "add_working_days",
            "bank_holiday",
            "is_working_day",
            "next_working_day",
            "suggest_next",
            "suggest_retry",
            "working_days_between",
        ),
        "booking": (
            "DEFAULT_DURATION_MINUTES",
            "MAX_SERIES",
            "Booking",
            "Clash",
            "FollowUpError",
            "FollowUpRow",
            "ListedFollowUp",
            "MovedDay",
            "Repeat",
            "booking_days",
            "cancel",
            "check_booking",
            "clock_changes",
            "details",
            "find_clashes",
            "followups_of",
            "get_followup",
            "later_in_series",
            "planned_for",
            "reschedule",
            "schedule",
            "series_plan",
        ),
        "calendar_export": (
            "CALENDAR_DAYS",
            "CalendarExport",
            "calendar",
        ),
        "contacts": (
            "Completed",
            "Missed",
            "booked_moment",
            "complete",
            "default_outcome",
            "record_attempt",
            "record_contact",
            "record_missed",
        ),
    },
)
