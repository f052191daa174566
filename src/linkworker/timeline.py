"""A person's timeline: every event on their record, newest first, from every table."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from linkworker.display import label
from linkworker.models import (
    AttemptOutcome,
    ConnectionStatus,
    ContactMode,
    DischargeReason,
    FlagKind,
    FollowUpKind,
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


def _needs(value: str | None) -> str:
    try:
        codes = json.loads(value or "[]")
    except json.JSONDecodeError:
        return ""
    return ", ".join(label(NeedDomain, c) for c in codes) if isinstance(codes, list) else ""


_STEP_WORDS = {s.label.lower(): s.value for s in ConnectionStatus}
_FEEDBACK_LINE = re.compile(
    r"^\d{1,2} [A-Z][a-z]{2} \d{4} (" + "|".join(_STEP_WORDS) + r"): (.*)$"
)


def person_timeline(db: Database, person_id: int) -> list[TimelineEvent]:
    """Every event on the person's record, newest first (ties: later-recorded first)."""
    events: list[TimelineEvent] = []
    add = events.append
    for r in db.query("SELECT * FROM referrals WHERE person_id = ?", [person_id]):
        rid = int(r["id"])
        who = ", ".join(x for x in (r["referrer_name"], r["referrer_organisation"]) if x)
        add(
            TimelineEvent(
                r["received_on"],
                "referral",
                f"Referral received from {label(ReferralSource, r['source'])}"
                + (f" ({who})" if who else "")
                + (f"; needs: {_needs(r['needs'])}" if _needs(r["needs"]) else ""),
                "referrals",
                rid,
            )
        )
        if r["accepted_on"]:
            add(
                TimelineEvent(
                    r["accepted_on"],
                    "status",
                    "Accepted social prescribing: SNOMED CT 871731000000106",
                    "referrals",
                    rid,
                )
            )
        if r["declined_on"]:
            reason = f" ({r['decline_reason']})" if r["decline_reason"] else ""
            add(
                TimelineEvent(
                    r["declined_on"],
                    "status",
                    f"Declined{reason}: SNOMED CT 871711000000103",
                    "referrals",
                    rid,
                )
            )
        if r["not_reached_on"]:
            add(
                TimelineEvent(r["not_reached_on"], "status", "Marked not reached", "referrals", rid)
            )
        if r["discharged_on"]:
            add(
                TimelineEvent(
                    r["discharged_on"],
                    "status",
                    f"Discharged: {label(DischargeReason, r['discharge_reason'])}"
                    + (f" ({r['discharge_summary']})" if r["discharge_summary"] else ""),
                    "referrals",
                    rid,
                )
            )
    for c in db.query("SELECT * FROM contacts WHERE person_id = ?", [person_id]):
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
        add(TimelineEvent(c["contact_at"], kind, text, "contacts", int(c["id"])))
    for v in db.query("SELECT * FROM conversations WHERE person_id = ?", [person_id]):
        matters = f": {v['what_matters']}" if v["what_matters"] else ""
        add(
            TimelineEvent(
                v["held_on"],
                "conversation",
                f"'What matters' conversation{matters}",
                "conversations",
                int(v["id"]),
            )
        )
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
    for g in db.query("SELECT * FROM goals WHERE person_id = ?", [person_id]):
        add(
            TimelineEvent(
                g["set_on"], "goal", f"Goal set: {g['description']}", "goals", int(g["id"])
            )
        )
        if (
            g["status"] != "open"
            and g["status_changed_on"]
            and (int(g["id"]), g["status"], g["status_changed_on"]) not in reviewed
        ):
            add(
                TimelineEvent(
                    g["status_changed_on"],
                    "goal",
                    f"Goal {label(GoalStatus, g['status']).lower()}: {g['description']}",
                    "goals",
                    int(g["id"]),
                )
            )
    for r in db.query(
        "SELECT r.*, g.description FROM goal_reviews r JOIN goals g ON g.id = r.goal_id "
        "WHERE g.person_id = ?",
        [person_id],
    ):
        outcome = {
            "open": "Goal reviewed, still open",
            "achieved": "Goal achieved",
            "changed": "Goal changed",
            "dropped": "Goal dropped",
        }.get(r["status"], f"Goal reviewed ({r['status']})")
        note = f" ({r['note']})" if r["note"] else ""
        add(
            TimelineEvent(
                r["reviewed_on"],
                "goal",
                f"{outcome}: {r['description']}{note}",
                "goal_reviews",
                int(r["id"]),
            )
        )
    for a in db.query(
        "SELECT a.*, g.description AS goal FROM actions a JOIN goals g ON g.id = a.goal_id "
        "WHERE g.person_id = ? AND a.done_on IS NOT NULL",
        [person_id],
    ):
        add(
            TimelineEvent(
                a["done_on"],
                "action",
                f"Action done: {a['description']} (goal: {a['goal']})",
                "actions",
                int(a["id"]),
            )
        )
    for m in db.query("SELECT * FROM measures WHERE person_id = ?", [person_id]):
        summary = ""
        try:
            summary = str(json.loads(m["scores"]).get("summary", ""))
        except (json.JSONDecodeError, AttributeError):
            summary = m["kind"]
        stage = "baseline" if m["stage"] == "baseline" else "follow-up"
        add(
            TimelineEvent(
                m["taken_on"], "measure", f"{summary} ({stage})", "measures", int(m["id"])
            )
        )
    # Every dated step of a connection is an event; a retired activity stays on the record.
    for k in db.query(
        "SELECT c.*, a.name AS activity, a.retired AS retired FROM connections c "
        "JOIN activities a ON a.id = c.activity_id WHERE c.person_id = ?",
        [person_id],
    ):
        name = k["activity"] + (" (retired)" if k["retired"] else "")
        cid = int(k["id"])
        # Feedback lines read "23 Nov 2026 attended: loved it": each goes with its step.
        notes: dict[str, str] = {}
        for line in (k["feedback"] or "").splitlines():
            found = _FEEDBACK_LINE.match(line)
            if found:
                notes[_STEP_WORDS[found.group(1)]] = found.group(2)
        add(
            TimelineEvent(
                k["suggested_on"],
                "connection",
                f"Connected to {name} ({k['kind']})"
                + (f": {notes['suggested']}" if notes.get("suggested") else ""),
                "connections",
                cid,
            )
        )
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
            add(TimelineEvent(when, f"connection_{status}", text, "connections", cid))
    for f in db.query("SELECT * FROM followups WHERE person_id = ?", [person_id]):
        when = f["due_on"] + (f"T{f['due_time']}" if f["due_time"] else "")
        purpose = f": {f['purpose']}" if f["purpose"] else ""
        state = {
            "planned": "Follow-up planned",
            "done": "Follow-up done",
            "missed": "Follow-up missed",
            "cancelled": "Follow-up cancelled",
        }[f["status"]]
        add(
            TimelineEvent(
                when,
                "follow-up",
                f"{state} ({label(FollowUpKind, f['kind'])}){purpose}",
                "followups",
                int(f["id"]),
            )
        )
    for g in db.query("SELECT * FROM flags WHERE person_id = ?", [person_id]):
        note = f": {g['note']}" if g["note"] else ""
        add(
            TimelineEvent(
                g["raised_on"],
                "flag",
                f"Flag raised: {label(FlagKind, g['kind'])}{note}",
                "flags",
                int(g["id"]),
            )
        )
        if g["cleared_on"]:
            add(
                TimelineEvent(
                    g["cleared_on"],
                    "flag",
                    f"Flag cleared: {label(FlagKind, g['kind'])}",
                    "flags",
                    int(g["id"]),
                )
            )
    events.sort(key=lambda e: (e.when, e.record_id), reverse=True)
    return events


def person_facts(db: Database, person_id: int) -> dict[str, Any]:
    """The person row plus their current referral and open flags, for the screen's header."""
    from linkworker.people import get_person
    from linkworker.referrals import latest_referral

    person = get_person(db, person_id)
    flags = list(
        db.query(
            "SELECT * FROM flags WHERE person_id = ? AND cleared_on IS NULL ORDER BY kind",
            [person_id],
        )
    )
    return {"person": person, "referral": latest_referral(db, person_id), "flags": flags}
