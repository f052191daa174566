"""A person's timeline: every event on their record, newest first, from every table."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from linkworker.display import label
from linkworker.models import (
    SNOMED_DECLINED,
    SNOMED_REFERRED,
    AttemptOutcome,
    ConnectionStatus,
    ContactMode,
    DischargeReason,
    FlagKind,
    FollowUpKind,
    GapBarrier,
    GoalStatus,
    NeedDomain,
    ReferralSource,
)


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened (or is planned) on a person's record."""

    when: str  # ISO date or date-time, sorts as text
    kind: str  # referral, attempt, contact, status, conversation, goal, measure, connection...
    summary: str
    table: str
    record_id: int
    #: Why the entry was struck out ("entered in error"), when it was: shown struck through.
    struck_out: str | None = None


Events = Iterator[TimelineEvent]


def _needs(value: str | None) -> str:
    try:
        codes = json.loads(value or "[]")
    except json.JSONDecodeError:
        return ""
    return ", ".join(label(NeedDomain, c) for c in codes) if isinstance(codes, list) else ""


_STEP_WORDS = {s.label.lower(): s.value for s in ConnectionStatus}
_FEEDBACK_LINE = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4} (" + "|".join(_STEP_WORDS) + r"): (.*)$")
_REVIEW_WORDS = {
    "open": "Goal reviewed, still open",
    "achieved": "Goal achieved",
    "changed": "Goal changed",
    "dropped": "Goal dropped",
}
_FOLLOW_UP_WORDS = {
    "planned": "Follow-up planned",
    "done": "Follow-up done",
    "missed": "Follow-up missed",
    "cancelled": "Follow-up cancelled",
}


def _rows(db: Database, table: str, person_id: int) -> Iterator[dict[str, Any]]:
    return db.query(f"SELECT * FROM [{table}] WHERE person_id = ?", [person_id])


def _referrals(db: Database, person_id: int) -> Events:
    for r in _rows(db, "referrals", person_id):
        rid = int(r["id"])
        who = ", ".join(x for x in (r["referrer_name"], r["referrer_organisation"]) if x)
        needs = _needs(r["needs"])
        received = (
            f"Referral received from {label(ReferralSource, r['source'])}"
            + (f" ({who})" if who else "")
            + (f"; needs: {needs}" if needs else "")
        )
        yield TimelineEvent(r["received_on"], "referral", received, "referrals", rid)
        steps: list[tuple[str | None, str]] = [
            (r["accepted_on"], f"Accepted social prescribing: SNOMED CT {SNOMED_REFERRED[0]}"),
        ]
        if r["declined_on"]:
            reason = f" ({r['decline_reason']})" if r["decline_reason"] else ""
            steps.append((r["declined_on"], f"Declined{reason}: SNOMED CT {SNOMED_DECLINED[0]}"))
        steps.append((r["not_reached_on"], "Marked not reached"))
        if r["discharged_on"]:
            summary = f" ({r['discharge_summary']})" if r["discharge_summary"] else ""
            reason = label(DischargeReason, r["discharge_reason"])
            steps.append((r["discharged_on"], f"Discharged: {reason}{summary}"))
        for when, text in steps:
            if when:
                yield TimelineEvent(when, "status", text, "referrals", rid)


def _contacts(db: Database, person_id: int) -> Events:
    for c in _rows(db, "contacts", person_id):
        mode = label(ContactMode, c["mode"])
        if c["attempt"]:
            text = f"Contact attempt ({mode}): {label(AttemptOutcome, c['outcome']) or 'no answer'}"
            kind = "attempt"
        else:
            minutes = f", {c['duration_minutes']} min" if c["duration_minutes"] else ""
            text = f"Contact ({mode}{minutes})"
            kind = "contact"
        if c["note"]:
            text += f": {c['note']}"
        yield TimelineEvent(c["contact_at"], kind, text, "contacts", int(c["id"]))


def _conversations(db: Database, person_id: int) -> Events:
    for v in _rows(db, "conversations", person_id):
        matters = f": {v['what_matters']}" if v["what_matters"] else ""
        text = f"'What matters' conversation{matters}"
        yield TimelineEvent(v["held_on"], "conversation", text, "conversations", int(v["id"]))


def _goals(db: Database, person_id: int) -> Events:
    # A goal review that changed the status tells the story itself (with its note), so the
    # bare status change is only listed for goals whose change has no review row.
    reviewed = {
        (int(r["goal_id"]), r["status"], r["reviewed_on"])
        for r in db.query(
            "SELECT r.goal_id, r.status, r.reviewed_on FROM goal_reviews r "
            "JOIN goals g ON g.id = r.goal_id WHERE g.person_id = ?",
            [person_id],
        )
    }
    for g in _rows(db, "goals", person_id):
        gid = int(g["id"])
        yield TimelineEvent(g["set_on"], "goal", f"Goal set: {g['description']}", "goals", gid)
        changed = g["status_changed_on"]
        if g["status"] != "open" and changed and (gid, g["status"], changed) not in reviewed:
            text = f"Goal {label(GoalStatus, g['status']).lower()}: {g['description']}"
            yield TimelineEvent(changed, "goal", text, "goals", gid)


def _goal_reviews(db: Database, person_id: int) -> Events:
    for r in db.query(
        "SELECT r.*, g.description FROM goal_reviews r JOIN goals g ON g.id = r.goal_id "
        "WHERE g.person_id = ?",
        [person_id],
    ):
        outcome = _REVIEW_WORDS.get(r["status"], f"Goal reviewed ({r['status']})")
        note = f" ({r['note']})" if r["note"] else ""
        text = f"{outcome}: {r['description']}{note}"
        yield TimelineEvent(r["reviewed_on"], "goal", text, "goal_reviews", int(r["id"]))


def _actions_done(db: Database, person_id: int) -> Events:
    for a in db.query(
        "SELECT a.*, g.description AS goal FROM actions a JOIN goals g ON g.id = a.goal_id "
        "WHERE g.person_id = ? AND a.done_on IS NOT NULL",
        [person_id],
    ):
        text = f"Action done: {a['description']} (goal: {a['goal']})"
        yield TimelineEvent(a["done_on"], "action", text, "actions", int(a["id"]))


def _measures(db: Database, person_id: int) -> Events:
    for m in _rows(db, "measures", person_id):
        summary = ""
        try:
            summary = str(json.loads(m["scores"]).get("summary", ""))
        except (json.JSONDecodeError, AttributeError):
            summary = m["kind"]
        stage = "baseline" if m["stage"] == "baseline" else "follow-up"
        text = f"{summary} ({stage})"
        yield TimelineEvent(m["taken_on"], "measure", text, "measures", int(m["id"]))


def _connection_steps(k: dict[str, Any]) -> Events:
    """Every dated step of one connection; feedback lines go with their step."""
    name = k["activity"] + (" (retired)" if k["retired"] else "")
    cid = int(k["id"])
    # Feedback lines read "23 Nov 2026 attended: loved it": each goes with its step.
    notes: dict[str, str] = {}
    for line in (k["feedback"] or "").splitlines():
        found = _FEEDBACK_LINE.match(line)
        if found:
            notes[_STEP_WORDS[found.group(1)]] = found.group(2)
    first = f"Connected to {name} ({k['kind']})"
    if notes.get("suggested"):
        first += f": {notes['suggested']}"
    yield TimelineEvent(k["suggested_on"], "connection", first, "connections", cid)
    steps = [(k["referred_on"], "referred"), (k["attended_on"], "attended")]
    if k["status"] == "attending":
        steps.append((k["status_changed_on"], "attending"))
    steps.append((k["stopped_on"], "stopped"))
    for when, status in steps:
        if not when:
            continue
        text = f"{name}: {label(ConnectionStatus, status).lower()}"
        if notes.get(status):
            text += f" ({notes[status]})"
        # A kind per step: two steps on one day are still two distinct events.
        yield TimelineEvent(when, f"connection_{status}", text, "connections", cid)


def _connections(db: Database, person_id: int) -> Events:
    # A retired activity stays on the record.
    for k in db.query(
        "SELECT c.*, a.name AS activity, a.retired AS retired FROM connections c "
        "JOIN activities a ON a.id = c.activity_id WHERE c.person_id = ?",
        [person_id],
    ):
        yield from _connection_steps(k)


def _followups(db: Database, person_id: int) -> Events:
    for f in _rows(db, "followups", person_id):
        when = f["due_on"] + (f"T{f['due_time']}" if f["due_time"] else "")
        purpose = f": {f['purpose']}" if f["purpose"] else ""
        state = _FOLLOW_UP_WORDS[f["status"]]
        text = f"{state} ({label(FollowUpKind, f['kind'])}){purpose}"
        yield TimelineEvent(when, "follow-up", text, "followups", int(f["id"]))


def _flags(db: Database, person_id: int) -> Events:
    for g in _rows(db, "flags", person_id):
        kind = label(FlagKind, g["kind"])
        note = f": {g['note']}" if g["note"] else ""
        yield TimelineEvent(
            g["raised_on"], "flag", f"Flag raised: {kind}{note}", "flags", int(g["id"])
        )
        if g["cleared_on"]:
            why = f" ({g['cleared_reason']})" if g["cleared_reason"] else ""
            yield TimelineEvent(
                g["cleared_on"], "flag", f"Flag cleared: {kind}{why}", "flags", int(g["id"])
            )


def _gaps(db: Database, person_id: int) -> Events:
    for g in _rows(db, "gaps", person_id):
        need = label(NeedDomain, g["need"])
        barrier = label(GapBarrier, g["barrier"]).lower()
        note = f": {g['note']}" if g["note"] else ""
        text = f"Unmet need: {need} ({barrier}){note}"
        yield TimelineEvent(g["recorded_on"], "gap", text, "gaps", int(g["id"]))


def _struck_out(db: Database, person_id: int) -> dict[tuple[str, int], str]:
    """{(table, id): reason} for every entry of the person's struck out as entered in error."""
    found: dict[tuple[str, int], str] = {}
    for table in (
        "contacts",
        "conversations",
        "goals",
        "measures",
        "connections",
        "followups",
        "flags",
        "gaps",
    ):
        for row in db.query(
            f"SELECT id, entered_in_error_reason FROM [{table}] WHERE person_id = ? "
            "AND entered_in_error_at IS NOT NULL",
            [person_id],
        ):
            found[(table, int(row["id"]))] = str(row["entered_in_error_reason"] or "")
    for table in ("goal_reviews", "actions"):
        for row in db.query(
            f"SELECT t.id, t.entered_in_error_reason FROM [{table}] t "
            "JOIN goals g ON g.id = t.goal_id WHERE g.person_id = ? "
            "AND t.entered_in_error_at IS NOT NULL",
            [person_id],
        ):
            found[(table, int(row["id"]))] = str(row["entered_in_error_reason"] or "")
    return found


#: Each table's events, in the order they are gathered (the order of equal events).
_GATHERERS: tuple[Callable[[Database, int], Events], ...] = (
    _referrals,
    _contacts,
    _conversations,
    _goals,
    _goal_reviews,
    _actions_done,
    _measures,
    _connections,
    _followups,
    _flags,
    _gaps,
)


def person_timeline(db: Database, person_id: int) -> list[TimelineEvent]:
    """Every event on the person's record, newest first (ties: later-recorded first)."""
    events = [event for gather in _GATHERERS for event in gather(db, person_id)]
    struck = _struck_out(db, person_id)
    if struck:
        events = [
            replace(e, struck_out=struck[(e.table, e.record_id)])
            if (e.table, e.record_id) in struck
            else e
            for e in events
        ]
    events.sort(key=lambda e: (e.when, e.record_id), reverse=True)
    return events


def person_facts(db: Database, person_id: int) -> dict[str, Any]:
    """The person row plus their current referral and open flags, for the screen's header."""
    from linkworker.people import get_person
    from linkworker.referrals import latest_referral

    person = get_person(db, person_id)
    flags = list(
        db.query(
            "SELECT * FROM flags WHERE person_id = ? AND cleared_on IS NULL "
            "AND entered_in_error_at IS NULL ORDER BY kind",
            [person_id],
        )
    )
    return {"person": person, "referral": latest_referral(db, person_id), "flags": flags}
