"""Correcting the record: amend an entry, strike it out ("entered in error"), reopen a decision.

Nothing recorded is ever erased here (erasure.py is the only way anything disappears). An
amended entry keeps its old values in the audit trail; a struck-out entry stays on the
record, shown struck through, and counts nowhere (the caseload row, the 6-12 contact norm,
attempts towards "not reached", measures' change, reports, the GP message, Today). Every
change goes through store/audit.py with why and which worker made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker import referrals
from linkworker.clock import Clock
from linkworker.display import label
from linkworker.errors import CaseloadError
from linkworker.lone_working import end_watch
from linkworker.models import (
    FollowUpStatus,
    ReferralStatus,
)
from linkworker.models.coded import CODED_FIELDS
from linkworker.store import audit
from linkworker.validation import ValidationError, check_plain_text

#: What each correctable table is called in the link worker's words.
ENTRY_WORDS: dict[str, str] = {
    "referrals": "referral",
    "contacts": "contact",
    "flags": "flag",
    "conversations": "conversation",
    "goals": "goal",
    "goal_reviews": "goal review",
    "actions": "action",
    "measures": "measure",
    "connections": "connection",
    "followups": "follow-up",
    "gaps": "unmet need",
}

#: Columns no correction may change: the row's identity, its ties and its bookkeeping.
_FIXED = frozenset(
    {
        "id",
        "person_id",
        "referral_id",
        "goal_id",
        "created_at",
        "updated_at",
        "entered_in_error_at",
        "entered_in_error_reason",
        "status",
        "status_changed_on",
    }
)
#: Text a person types over several lines; every other text field is one line.
_NOTES = frozenset(
    {
        "note",
        "reason",
        "what_matters",
        "strengths",
        "barriers_note",
        "feedback",
        "purpose",
        "discharge_summary",
        "description",
    }
)
#: Fields holding a day (or a moment) that cannot be in the future.
_DAYS = frozenset(
    {
        "contact_at",
        "received_on",
        "held_on",
        "set_on",
        "reviewed_on",
        "taken_on",
        "suggested_on",
        "referred_on",
        "attended_on",
        "stopped_on",
        "raised_on",
        "recorded_on",
        "cleared_on",
        "done_on",
        "accepted_on",
        "declined_on",
        "not_reached_on",
        "discharged_on",
    }
)
#: An entry saved longer ago than this needs a reason to be amended.
GRACE = timedelta(days=1)


@dataclass(frozen=True)
class Entry:
    """One correctable row, with the person it belongs to."""

    table: str
    row_id: int
    person_id: int
    row: dict[str, Any]

    @property
    def words(self) -> str:
        return ENTRY_WORDS[self.table]

    @property
    def struck_out(self) -> bool:
        return bool(self.row.get("entered_in_error_at"))


def get_entry(db: Database, table: str, row_id: int) -> Entry:
    """The entry, or CaseloadError when the table cannot be corrected or the row is gone."""
    if table not in ENTRY_WORDS:
        raise CaseloadError(f"{table} entries cannot be corrected")
    if table in ("goal_reviews", "actions"):
        sql = (
            f"SELECT t.*, g.person_id AS person_id FROM [{table}] t "
            "JOIN goals g ON g.id = t.goal_id WHERE t.id = ?"
        )
    else:
        sql = f"SELECT * FROM [{table}] WHERE id = ?"
    rows = list(db.query(sql, [row_id]))
    if not rows:
        raise CaseloadError(f"no {ENTRY_WORDS[table]} {row_id} on record")
    row = rows[0]
    return Entry(table, row_id, int(row["person_id"]), row)


def _saved_long_ago(entry: Entry, clock: Clock) -> bool:
    try:
        saved = datetime.fromisoformat(str(entry.row["created_at"]))
    except (KeyError, TypeError, ValueError):
        return True
    return clock.now() - saved > GRACE


def _clean_reason(reason: str | None) -> str | None:
    text = (reason or "").strip()
    if not text:
        return None
    try:
        return check_plain_text(text, multiline=True)
    except ValidationError as exc:
        raise CaseloadError(f"the reason {exc}", field="reason") from exc


def _checked_value(field: str, value: object, clock: Clock) -> object:
    """The value as it will be stored (dates ISO, moments to the second), or CaseloadError."""
    if isinstance(value, str):
        try:
            check_plain_text(value, multiline=field in _NOTES)
        except ValidationError as exc:
            raise CaseloadError(f"{field.replace('_', ' ')} {exc}", field=field) from exc
    if field not in _DAYS or value is None:
        return value
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CaseloadError(f"{text} is not a date", field=field) from exc
    if moment.date() > clock.today():
        raise CaseloadError(f"{moment.date().isoformat()} is in the future", field=field)
    if "T" in text or " " in text:
        return moment.isoformat(timespec="seconds")
    return moment.date().isoformat()


def _checked_changes(
    entry: Entry, changes: Mapping[str, Any], clock: Clock, received: str | None
) -> dict[str, object]:
    checked: dict[str, object] = {}
    for field, value in changes.items():
        if field in _FIXED or field not in entry.row:
            raise CaseloadError(
                f"a {entry.words}'s {field.replace('_', ' ')} cannot be corrected", field=field
            )
        checked[field] = _checked_value(field, value, clock)
    if entry.table == "contacts" and "contact_at" in checked:
        day = str(checked["contact_at"])[:10]
        if received and day < received:
            raise CaseloadError(
                f"{day} is before the referral was received ({received})", field="contact_at"
            )
    return checked


def amend(
    db: Database,
    table: str,
    row_id: int,
    changes: Mapping[str, Any],
    reason: str | None,
    clock: Clock,
    worker: str,
) -> dict[str, tuple[object, object]]:
    """Correct fields of one entry; returns {field: (old, new)} for what changed.

    A reason is needed when the entry was saved more than a day ago. A struck-out entry
    cannot be amended (it no longer counts; record a new one instead).
    """
    with db.atomic():
        entry = get_entry(db, table, row_id)
        if entry.struck_out:
            raise CaseloadError(f"this {entry.words} was struck out; it cannot be corrected")
        found = None
        if table == "contacts" and entry.row.get("referral_id"):
            found = db.execute(
                "SELECT received_on FROM referrals WHERE id = ?", [entry.row["referral_id"]]
            ).fetchone()
        checked = _checked_changes(entry, changes, clock, str(found[0]) if found else None)
        why = _clean_reason(reason)
        if why is None and _saved_long_ago(entry, clock):
            raise CaseloadError(
                f"this {entry.words} was saved more than a day ago; say why it is corrected",
                field="reason",
            )
        return audit.update(
            db,
            table,
            row_id,
            checked,
            person_id=entry.person_id,
            clock=clock,
            reason=why or "corrected",
            worker=worker,
        )


def strike_out(
    db: Database, table: str, row_id: int, reason: str, clock: Clock, worker: str
) -> None:
    """Mark an entry "entered in error": it stays on the record and counts nowhere.

    A planned follow-up struck out is also cancelled, so no agenda or reminder shows it.
    """
    with db.atomic():
        entry = get_entry(db, table, row_id)
        if table == "referrals":
            raise CaseloadError(
                "a referral is not struck out; correct its details, or reopen its decision"
            )
        if entry.struck_out:
            raise CaseloadError(f"this {entry.words} is already struck out")
        why = _clean_reason(reason)
        if why is None:
            raise CaseloadError("say why this entry was made in error", field="reason")
        changes: dict[str, object] = {
            "entered_in_error_at": clock.stamp(),
            "entered_in_error_reason": why,
        }
        if table == "followups" and entry.row["status"] == FollowUpStatus.PLANNED:
            changes.update(status=FollowUpStatus.CANCELLED, cancel_reason="entered in error")
            end_watch(db, [row_id], clock)
        audit.update(
            db,
            table,
            row_id,
            changes,
            person_id=entry.person_id,
            clock=clock,
            reason=why,
            worker=worker,
        )


#: The fields each closing decision set, which reopening it puts back.
_DECISION_FIELDS: dict[ReferralStatus, tuple[str, ...]] = {
    ReferralStatus.ACCEPTED: ("accepted_on", "snomed_code"),
    ReferralStatus.DECLINED: ("declined_on", "decline_reason", "snomed_code"),
    ReferralStatus.NOT_REACHED: ("not_reached_on",),
    ReferralStatus.DISCHARGED: ("discharged_on", "discharge_reason", "discharge_summary"),
}
#: Where an episode goes back to when its audit trail does not say.
_BEFORE: dict[ReferralStatus, ReferralStatus] = {
    ReferralStatus.ACCEPTED: ReferralStatus.CONTACTING,
    ReferralStatus.DECLINED: ReferralStatus.CONTACTING,
    ReferralStatus.NOT_REACHED: ReferralStatus.CONTACTING,
    ReferralStatus.DISCHARGED: ReferralStatus.ACCEPTED,
}


def _last_old(db: Database, referral_id: int, field: str) -> tuple[bool, str | None]:
    """(whether the trail has a change of ``field``, the value before the latest one)."""
    found = db.execute(
        "SELECT old FROM audit WHERE table_name = 'referrals' AND record_id = ? AND field = ? "
        "AND action = 'update' ORDER BY id DESC LIMIT 1",
        [referral_id, field],
    ).fetchone()
    return (found is not None, found[0] if found else None)


def can_reopen(status: str) -> bool:
    """True when a referral in this status holds a decision that can be undone."""
    return ReferralStatus(status) in _DECISION_FIELDS


def reopen(
    db: Database, referral_id: int, reason: str, clock: Clock, worker: str
) -> ReferralStatus:
    """Undo the referral's last decision (accept, decline, not reached, discharge).

    The episode goes back where it was before that decision: its status and the fields the
    decision set, as the audit trail had them; follow-ups the closing cancelled that are
    still ahead are planned again. Returns the status it is back in.
    """
    with db.atomic():
        entry = get_entry(db, "referrals", referral_id)
        status = ReferralStatus(entry.row["status"])
        if status not in _DECISION_FIELDS:
            raise CaseloadError(
                f"this referral is {status.label.lower()}; there is no decision to reopen"
            )
        why = _clean_reason(reason)
        if why is None:
            raise CaseloadError("say why the decision is reopened", field="reason")
        changes = _restored(db, referral_id, status)
        audit.update(
            db,
            "referrals",
            referral_id,
            changes,
            person_id=entry.person_id,
            clock=clock,
            reason=why,
            worker=worker,
        )
        _replan_followups(db, referral_id, status, why, clock, worker)
        return ReferralStatus(str(changes["status"]))


def _restored(db: Database, referral_id: int, status: ReferralStatus) -> dict[str, object]:
    changed, before = _last_old(db, referral_id, "status")
    previous = before if changed and before and before != status.value else None
    changes: dict[str, object] = {"status": previous or _BEFORE[status].value}
    known, when = _last_old(db, referral_id, "status_changed_on")
    if known:
        changes["status_changed_on"] = when
    for field in _DECISION_FIELDS[status]:
        changes[field] = _last_old(db, referral_id, field)[1]
    return changes


def _replan_followups(
    db: Database,
    referral_id: int,
    status: ReferralStatus,
    why: str,
    clock: Clock,
    worker: str,
) -> None:
    words = referrals.CLOSED_WORDS.get(status)
    if words is None:
        return
    rows = list(
        db.query(
            "SELECT id, person_id FROM followups WHERE referral_id = ? AND status = 'cancelled' "
            "AND cancel_reason = ? AND due_on >= ? AND entered_in_error_at IS NULL",
            [referral_id, words, clock.today().isoformat()],
        )
    )
    referrals.move_followups(db, rows, FollowUpStatus.PLANNED, None, clock, why=why, worker=worker)


def corrections_of(db: Database, person_id: int) -> list[dict[str, Any]]:
    """Every audited correction about a person (amend, strike out, reopen), oldest first."""
    return list(
        db.query(
            "SELECT * FROM audit WHERE person_id = ? AND reason IS NOT NULL ORDER BY at, id",
            [person_id],
        )
    )


# --- Values as the forms show them ---------------------------------------------------------

_YES_NO = frozenset({"attempt", "consent_to_share_gp", "complete"})


def shown(table: str, field: str, value: object) -> str:
    """A stored value as the form showed it: codes in words, dates 23/11/2026, yes/no."""
    if value is None or value == "":
        return ""
    enum = CODED_FIELDS.get((table, field))
    if enum is not None:
        return label(enum, str(value))
    if field in _YES_NO and str(value) in ("0", "1"):
        return "yes" if str(value) == "1" else "no"
    text = str(value)
    if field in _DAYS or field.endswith(("_on", "_at")) or field == "date_of_birth":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        day = moment.strftime("%d/%m/%Y")
        return f"{day} {moment:%H:%M}" if "T" in text else day
    return text
