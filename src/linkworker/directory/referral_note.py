"""The referral to an activity's provider: who is coming, how to reach them, and the
communication and information needs the provider must meet (the Accessible Information
Standard asks that needs are shared with the services a person is referred to).

Plain words through :class:`linkworker.formats.handout.Handout`; no NHS number, no date of
birth, nothing of the person's health: only what the provider needs to welcome them.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from linkworker import information_needs
from linkworker.directory.rows import get_activity
from linkworker.directory.wording import long_date
from linkworker.display import label
from linkworker.formats.handout import Handout, HandoutStyle
from linkworker.models import ContactPreference
from linkworker.store.db import row_by_id


def _reach(person: dict[str, object]) -> list[str]:
    lines = []
    if person.get("phone"):
        lines.append(f"Phone: {person['phone']}")
    if person.get("email"):
        lines.append(f"Email: {person['email']}")
    return lines or ["Through their link worker (below)."]


def referral_note(
    db: Database,
    person_id: int,
    activity_id: int,
    today: date,
    signed: list[str],
    style: HandoutStyle = "text",
) -> str:
    """The referral of a person to an activity, for its provider, with their needs.

    ``signed`` is the sender (Settings.signature()). LookupError names an unknown person or
    activity.
    """
    person = row_by_id(db, "people", person_id, "person")
    activity = get_activity(db, activity_id)
    recorded = information_needs.recorded_needs(db, person_id)
    name = f"{person['given_name']} {person['family_name']}"
    doc = Handout()
    doc.title(f"Referral to {activity['name']}")
    doc.para(f"From social prescribing, {long_date(today.isoformat())}.")
    doc.heading("Who is coming")
    preferred = f' (known as "{person["preferred_name"]}")' if person["preferred_name"] else ""
    doc.lines([name + preferred, *_reach(person)])
    doc.heading("Communication and information needs")
    needs = information_needs.need_words(recorded.needs)
    if recorded.other:
        needs.append(str(recorded.other))
    if not needs:
        doc.para("None recorded.")
    for line in needs:
        doc.item(line, typed=True)
    reading = recorded.reading
    if not reading.standard:
        doc.para(f"Please send anything written for them in {reading.words()}.")
    if recorded.needs.contact_method:
        how = label(ContactPreference, recorded.needs.contact_method).lower()
        doc.para(f"They prefer to be contacted by {how}.")
    doc.heading("From")
    doc.lines(signed or ["Social prescribing link worker (name not set in settings)"])
    return doc.render(style)
