"""A person's communication and information needs: the Accessible Information Standard
(NHS England DAPB1605: identify, record, flag, share, meet, review).

One ``information_needs`` row a person holds what they need (large print at a size, easy
read, an interpreter, braille, audio, a carer or advocate to contact, when to contact
them), when the worker last checked it with them and when to review it; how they like to be
contacted is their ``preferred_contact`` on ``people``. Every write goes through
:mod:`linkworker.store.audit` in one transaction. The words here are the flag on the record,
the lines of the GP message and of the shortlist, and the :class:`Reading` that the
shortlist and the person's copy of their plan obey.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.display import label, short_date
from linkworker.formats.handout import Reading
from linkworker.models import ContactPreference, InformationNeeds, Interpreter
from linkworker.store import audit
from linkworker.store.db import row_by_id

#: The needs' own columns (``contact_method`` is the person's ``preferred_contact``).
NEED_COLUMNS = tuple(name for name in InformationNeeds.model_fields if name != "contact_method")

#: How the banner shows that there are needs, and that they are due a review: a symbol and
#: a word, so colour is never the only cue.
NEEDS_FLAG = "◈ COMMUNICATION NEEDS"
REVIEW_DUE_FLAG = "↻ REVIEW DUE"


@dataclass(frozen=True)
class RecordedNeeds:
    """The needs as recorded, with when they were last checked and any other needs noted."""

    needs: InformationNeeds
    last_checked_on: date | None
    #: The free-text "Communication needs" of the person's details.
    other: str | None

    def review_due(self, today: date) -> bool:
        """Whether the review date has come (a record with no date is never due)."""
        return self.needs.review_on is not None and self.needs.review_on <= today

    @property
    def recorded(self) -> bool:
        return self.needs.any or bool(self.other)

    @property
    def reading(self) -> Reading:
        """How what the person is given must be written for them."""
        return Reading(
            large_print=self.needs.large_print_size if self.needs.large_print else None,
            easy_read=self.needs.easy_read,
        )


def _dated(value: object) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def recorded_needs(db: Database, person_id: int) -> RecordedNeeds:
    """The person's needs (none recorded reads as no needs); LookupError for no such person."""
    person = row_by_id(db, "people", person_id, "person")
    rows = list(db.query("SELECT * FROM information_needs WHERE person_id = ?", [person_id]))
    row: dict[str, Any] = rows[0] if rows else {}
    values: dict[str, Any] = {name: row.get(name) for name in NEED_COLUMNS if name in row}
    for flag in ("large_print", "easy_read", "braille", "audio"):
        values[flag] = bool(values.get(flag))
    values["contact_method"] = person["preferred_contact"]
    needs = InformationNeeds.model_validate(values)
    return RecordedNeeds(needs, _dated(row.get("last_checked_on")), person["communication_needs"])


def save_needs(
    db: Database,
    person_id: int,
    needs: InformationNeeds,
    clock: Clock,
    *,
    checked: bool = False,
    review_months: int = 12,
) -> dict[str, tuple[object, object]]:
    """Record the person's needs (audited, one transaction); returns {field: (old, new)}.

    ``checked`` says the worker has just confirmed them with the person: "last checked"
    becomes today and, when no review date is given, the review is set ``review_months``
    ahead.
    """
    values: dict[str, Any] = needs.model_dump(exclude={"contact_method"})
    if checked:
        values["last_checked_on"] = clock.today()
        if values["review_on"] is None:
            values["review_on"] = clock.today() + timedelta(days=round(review_months * 30.44))
    with db.atomic():
        row_by_id(db, "people", person_id, "person")
        changed = audit.update(
            db,
            "people",
            person_id,
            {"preferred_contact": needs.contact_method},
            person_id=person_id,
            clock=clock,
        )
        found = db.execute(
            "SELECT id FROM information_needs WHERE person_id = ?", [person_id]
        ).fetchone()
        if found is None:
            values["person_id"] = person_id
            audit.insert(db, "information_needs", values, person_id=person_id, clock=clock)
            changed.update({k: (None, audit.to_db(v)) for k, v in values.items() if v})
            changed.pop("person_id", None)
        else:
            changed.update(
                audit.update(
                    db, "information_needs", int(found[0]), values, person_id=person_id, clock=clock
                )
            )
    return changed


def record_at_intake(
    db: Database, person_id: int, needs: InformationNeeds, clock: Clock
) -> dict[str, tuple[object, object]]:
    """The needs a referral form gave, kept unless the person has needs recorded already
    (intake fills in, never overwrites: the record's own dialog corrects them). A form that
    gives no contact method keeps how the person already likes to be contacted."""
    given = needs.any or needs.contact_method is not None or needs.review_on is not None
    if not given:
        return {}
    recorded = recorded_needs(db, person_id).needs
    if recorded.any:
        return {}
    if needs.contact_method is None:
        needs = needs.model_copy(update={"contact_method": recorded.contact_method})
    return save_needs(db, person_id, needs, clock)


def need_words(needs: InformationNeeds) -> list[str]:
    """Each need in a line, as the record, the GP message and a provider read it."""
    out: list[str] = []
    if needs.large_print:
        out.append(f"Large print, {needs.large_print_size} point")
    if needs.easy_read:
        out.append("Easy read")
    if needs.interpreter is Interpreter.BSL:
        out.append("British Sign Language interpreter")
    elif needs.interpreter is Interpreter.LANGUAGE:
        out.append(f"Interpreter: {needs.interpreter_language}")
    if needs.braille:
        out.append("Braille")
    if needs.audio:
        out.append("Audio")
    if needs.advocate_name:
        who = f"{needs.advocate_name} ({needs.advocate_contact})"
        out.append(f"Carer or advocate to contact: {who}")
    contact = []
    if needs.contact_method:
        contact.append(f"by {label(ContactPreference, needs.contact_method).lower()}")
    if needs.contact_times:
        contact.append(needs.contact_times)
    if contact and (needs.any or needs.contact_times):
        out.append("Contact " + ", ".join(contact))
    return out


def record_lines(recorded: RecordedNeeds, today: date) -> list[str]:
    """The needs as the record shows them, with when checked and the review (due or not)."""
    lines = need_words(recorded.needs)
    if recorded.other:
        lines.append(f"Also: {recorded.other}")
    checked = short_date(recorded.last_checked_on) or "never"
    review = short_date(recorded.needs.review_on) or "no date set"
    due = " (due)" if recorded.review_due(today) else ""
    lines.append(f"Last checked: {checked} · review: {review}{due}")
    return lines


def banner_words(recorded: RecordedNeeds, today: date) -> str:
    """The flag on the record's banner: symbol and word, and the needs in short; '' for none."""
    if not recorded.recorded:
        return ""
    words = "; ".join(need_words(recorded.needs)) or "see details"
    due = f"  {REVIEW_DUE_FLAG}" if recorded.review_due(today) else ""
    return f"{NEEDS_FLAG}: {words}{due}"
