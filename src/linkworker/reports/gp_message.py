"""Gathering the message back to the GP and referrer for one referral episode.

The content is a :class:`~linkworker.reports.content.GPMessage`; the text, Markdown and JSON
of it are written by :mod:`linkworker.formats.gp_message`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

from sqlite_utils import Database

from linkworker import information_needs, measures, people
from linkworker.models import SNOMED_DECLINED, SNOMED_REFERRED
from linkworker.referrals import latest_referral
from linkworker.reports.content import (
    ConnectionOutcome,
    FlagEntry,
    GoalOutcome,
    GPMessage,
    MeasureOutcome,
    NoteEntry,
    SnomedEntry,
)
from linkworker.reports.counting import decode_json
from linkworker.store.db import row_by_id

# The referral's own words and dates that the message repeats when consent allows.
_REFERRAL_DETAILS = (
    "source",
    "referrer_name",
    "referrer_organisation",
    "reason",
    "urgency",
    "accepted_on",
    "declined_on",
    "decline_reason",
    "not_reached_on",
    "discharged_on",
    "discharge_reason",
    "discharge_summary",
)


# Who the message is about, as the person's record has it.
_PERSON_DETAILS = ("given_name", "family_name", "date_of_birth", "nhs_number", "gp_practice")
# A connection's own columns that the message reports as they are stored.
_CONNECTION_DETAILS = (
    "kind",
    "status",
    "suggested_on",
    "referred_on",
    "attended_on",
    "stopped_on",
    "feedback",
)


def _columns(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The named columns of a row, by name (they are the message's field names too)."""
    return {name: row[name] for name in names}


def consent_applies(person_value: object, referral_value: object) -> bool | None:
    """Consent to share with the GP, from the person's record and the referral.

    A "no" on either wins (the person may have withdrawn it); otherwise a "yes" on either
    counts; None when neither records an answer (treated as no consent by the message).
    """
    values = [v for v in (person_value, referral_value) if v is not None]
    if not values:
        return None
    return all(bool(v) for v in values)


def snomed_codes(referral: dict[str, Any]) -> list[SnomedEntry]:
    """The SNOMED CT codes that apply to a referral episode (accepted and/or declined)."""
    codes: list[SnomedEntry] = []
    if referral.get("accepted_on") or referral.get("snomed_code") == SNOMED_REFERRED[0]:
        codes.append(SnomedEntry(*SNOMED_REFERRED, referral.get("accepted_on")))
    if referral.get("declined_on") or referral.get("snomed_code") == SNOMED_DECLINED[0]:
        codes.append(SnomedEntry(*SNOMED_DECLINED, referral.get("declined_on")))
    return codes


def _episode_window(referral: dict[str, Any]) -> tuple[str, str]:
    end = (
        referral.get("discharged_on")
        or referral.get("declined_on")
        or referral.get("not_reached_on")
        or "9999-12-31"
    )
    return str(referral["received_on"]), str(end)


def _episode_rows(
    db: Database, table: str, day_column: str, referral: dict[str, Any], order: str
) -> list[dict[str, Any]]:
    # Rows recorded against the referral, plus rows with no referral recorded that fall
    # inside the episode (a measure or goal entered before the referral was linked).
    start, end = _episode_window(referral)
    return list(
        db.query(
            # A struck-out entry ("entered in error") never reaches the GP.
            f"SELECT * FROM [{table}] WHERE entered_in_error_at IS NULL AND "
            f"(referral_id = :rid OR (referral_id IS NULL "
            f"AND person_id = :pid AND substr({day_column}, 1, 10) BETWEEN :start AND :end)) "
            f"ORDER BY {order}",
            {"rid": referral["id"], "pid": referral["person_id"], "start": start, "end": end},
        )
    )


def _pick_referral(db: Database, person_id: int, referral_id: int | None) -> dict[str, Any]:
    if referral_id is None:
        latest = latest_referral(db, person_id)
        if latest is None:
            raise LookupError(f"person {person_id} has no referral to report on")
        return cast(dict[str, Any], latest)
    referral = row_by_id(db, "referrals", referral_id, "referral")
    if int(referral["person_id"]) != person_id:
        raise LookupError(f"referral {referral_id} is not one of person {person_id}'s referrals")
    return referral


def gp_message(
    db: Database,
    person_id: int,
    today: date,
    referral_id: int | None = None,
    *,
    sender: Sequence[str] = (),
    outcome_codes: Mapping[str, str] | None = None,
) -> GPMessage:
    """Everything the message back to the GP and referrer could say about one episode (the
    latest by default), signed with ``sender`` (``Settings.signature()``), its outcome lines
    coded with ``outcome_codes`` (``Settings.outcome_codes``).

    This is the whole of it, flags and notes included: what goes is chosen with
    :func:`linkworker.reports.gp_parts.choose` (its defaults leave flags and notes out),
    because the person can read the message in the NHS App.
    LookupError names an unknown person or referral, or a referral of someone else.
    """
    person = row_by_id(db, "people", person_id, "person")
    referral = _pick_referral(db, person_id, referral_id)
    consent = consent_applies(person["consent_to_share_gp"], referral["consent_to_share_gp"])
    message = GPMessage(
        person_id=person_id,
        referral_id=int(referral["id"]),
        generated_on=today,
        consent=consent,
        shares_detail=bool(consent),
        codes=snomed_codes(referral),
        sender=list(sender),
        outcome_codes=dict(outcome_codes or {}),
        **_columns(person, _PERSON_DETAILS),
        **_columns(referral, ("received_on", "status")),
    )
    if message.shares_detail:
        _add_details(db, message, referral)
    return message


def _add_details(db: Database, message: GPMessage, referral: dict[str, Any]) -> None:
    """What only a person who consented has shared: the episode from referral to discharge."""
    for name, value in _columns(referral, _REFERRAL_DETAILS).items():
        setattr(message, name, value)
    needs = decode_json(referral["needs"], [])
    message.needs = [str(n) for n in needs] if isinstance(needs, list) else []
    for talk in _episode_rows(db, "conversations", "held_on", referral, "held_on, id"):
        if talk["what_matters"]:
            message.what_matters.append(talk["what_matters"])
        if talk["strengths"]:
            message.strengths.append(talk["strengths"])
    message.goals = [
        GoalOutcome(g["description"], g["status"], g["set_on"], g["status_changed_on"])
        for g in _episode_rows(db, "goals", "set_on", referral, "set_on, id")
    ]
    message.connections = _connections(db, referral)
    row = db.execute(
        "SELECT sum(attempt = 0), sum(attempt = 1), "
        "min(CASE WHEN attempt = 0 THEN contact_at END), "
        "max(CASE WHEN attempt = 0 THEN contact_at END) FROM contacts WHERE referral_id = ? "
        "AND entered_in_error_at IS NULL",
        [referral["id"]],
    ).fetchone()
    message.contacts = int(row[0] or 0)
    message.attempts = int(row[1] or 0)
    message.first_contact_on = row[2][:10] if row[2] else None
    message.last_contact_on = row[3][:10] if row[3] else None
    message.measures = _measure_outcomes(
        _episode_rows(db, "measures", "taken_on", referral, "taken_on, id")
    )
    message.flags = [
        FlagEntry(f["kind"], f["raised_on"], f["note"] or None)
        for f in people.open_flags(db, message.person_id)
    ]
    recorded = information_needs.recorded_needs(db, message.person_id)
    message.information_needs = information_needs.need_words(recorded.needs)
    if recorded.other:
        message.information_needs.append(recorded.other)
    message.notes = [
        NoteEntry(str(c["contact_at"])[:10], c["note"])
        for c in _episode_rows(db, "contacts", "contact_at", referral, "contact_at, id")
        if c["note"] and not c["attempt"]
    ]


def _connections(db: Database, referral: dict[str, Any]) -> list[ConnectionOutcome]:
    """The activities of the episode, in the order they were suggested."""
    start, end = _episode_window(referral)
    out: list[ConnectionOutcome] = []
    for c in db.query(
        "SELECT c.*, a.name AS activity_name, a.organisation AS activity_organisation, "
        "a.categories AS activity_categories FROM connections c "
        "JOIN activities a ON a.id = c.activity_id "
        "WHERE c.entered_in_error_at IS NULL AND (c.referral_id = :rid OR "
        "(c.referral_id IS NULL AND c.person_id = :pid "
        "AND c.suggested_on BETWEEN :start AND :end)) ORDER BY c.suggested_on, c.id",
        {"rid": referral["id"], "pid": referral["person_id"], "start": start, "end": end},
    ):
        categories = decode_json(c["activity_categories"], [])
        out.append(
            ConnectionOutcome(
                activity=c["activity_name"],
                organisation=c["activity_organisation"],
                categories=[str(x) for x in categories] if isinstance(categories, list) else [],
                **_columns(c, _CONNECTION_DETAILS),
            )
        )
    return out


def _stored_score(kind: str, scores_json: object, answers_json: object) -> measures.Score | None:
    """A stored score as recorded; rescored from the answers if the stored copy is unreadable."""
    try:
        return measures.Score.model_validate(decode_json(scores_json, None))
    except ValueError:
        pass
    try:
        return measures.score(kind, decode_json(answers_json, {}))
    except (measures.MeasureError, TypeError):
        return None


def _measure_outcomes(rows: list[dict[str, Any]]) -> list[MeasureOutcome]:
    """Per measure: the first baseline and the last follow-up, and the change between them."""
    out: list[MeasureOutcome] = []
    for kind in measures.MeasureKind:
        mine = [r for r in rows if r["kind"] == kind.value]
        if not mine:
            continue
        baselines = [r for r in mine if r["stage"] == measures.Stage.BASELINE.value]
        follow_ups = [r for r in mine if r["stage"] == measures.Stage.FOLLOW_UP.value]
        first = baselines[0] if baselines else None
        last = follow_ups[-1] if follow_ups else None
        before = _stored_score(kind.value, first["scores"], first["answers"]) if first else None
        after = _stored_score(kind.value, last["scores"], last["answers"]) if last else None
        changes = measures.change(before, after) if before and after else []
        definition = measures.definition(kind)
        out.append(
            MeasureOutcome(
                kind=kind.value,
                title=definition.short_title,
                baseline_on=first["taken_on"] if first else None,
                follow_up_on=last["taken_on"] if last else None,
                baseline=before,
                follow_up=after,
                changes=changes,
                copyright=definition.copyright,
            )
        )
    return out
