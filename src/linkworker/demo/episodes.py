"""One episode of support: a referral and, by its state, attempts, a decline, or contacts,
a conversation, goals, measures, connections and a discharge or planned follow-ups.

The order of the random draws is the demo's promise (same seed, same rows): keep it.
"""

from __future__ import annotations

import functools
import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from linkworker import measures
from linkworker.demo.bulk import BulkWriter, weighted
from linkworker.demo.words import (
    ACTIONS,
    GOALS,
    NOTES,
    PRACTICES,
    REFERRERS,
    STRENGTHS,
    WHAT_MATTERS,
)
from linkworker.directory import NEED_TO_CATEGORY
from linkworker.models import (
    SNOMED_DECLINED,
    SNOMED_REFERRED,
    AttemptOutcome,
    Barrier,
    ContactMode,
    DischargeReason,
    NeedDomain,
    ReferralSource,
)


@dataclass(frozen=True)
class Shape:
    """What every episode draws on: the directory, and how busy a caseload to make."""

    activity_rows: list[dict[str, Any]]
    contacts_per_person: float | None
    followups_per_person: float | None


@dataclass(frozen=True)
class _Episode:
    w: BulkWriter
    rng: random.Random
    pid: int
    rid: int
    today: date
    needs: list[str]

    def at(self, day: date, hour: int | None = None) -> str:
        """A time on that day (a random working hour unless given), as stored."""
        rng = self.rng
        moment = datetime.combine(
            day, time(hour if hour is not None else rng.randint(9, 16), rng.choice([0, 15, 30, 45]))
        )
        return moment.isoformat(timespec="seconds")

    def add_contact(self, contact_at: str, **fields: object) -> None:
        """A contact (or attempt) on this episode; ``contact_at`` is drawn by the caller first."""
        row = {"person_id": self.pid, "referral_id": self.rid, "contact_at": contact_at}
        self.w.add("contacts", {**row, **fields})

    def update_referral(self, assignments: str, values: list[object]) -> None:
        self.w.db.execute(f"UPDATE referrals SET {assignments} WHERE id = ?", [*values, self.rid])


def _referral(
    w: BulkWriter, rng: random.Random, pid: int, received: date, consent: bool
) -> tuple[int, list[str], date]:
    """The referral row; returns its id, the needs it gives and the day of first contact."""
    needs = rng.sample([n.value for n in NeedDomain if n != NeedDomain.OTHER], rng.randint(1, 3))
    source = weighted(
        rng,
        [
            (s.value, w_)
            for s, w_ in zip(ReferralSource, [40, 8, 4, 6, 5, 8, 5, 2, 3, 6, 8, 3, 2], strict=True)
        ],
    )
    first_contact = received + timedelta(days=rng.randint(1, 6))
    referral: dict[str, Any] = {
        "person_id": pid,
        "source": source,
        "referrer_name": rng.choice(REFERRERS) if source not in ("self", "family_friend") else None,
        "referrer_organisation": rng.choice(PRACTICES)
        if source in ("gp_practice", "practice_nurse")
        else None,
        "received_on": received.isoformat(),
        "needs": needs,
        "urgency": weighted(rng, [("routine", 85), ("soon", 12), ("urgent", 3)]),
        "reason": rng.choice(WHAT_MATTERS),
        "consent_to_share_gp": int(consent),
        "status": "received",
        "status_changed_on": received.isoformat(),
    }
    return w.add("referrals", referral), needs, first_contact


def _unreached(ep: _Episode, state: str, first_contact: date) -> None:
    """Attempts that did not reach the person: still contacting, or closed as not reached."""
    rng = ep.rng
    tries = rng.randint(1, 2) if state == "contacting" else 3
    day = first_contact
    for _ in range(tries):
        if day >= ep.today:
            break
        outcome = rng.choice([AttemptOutcome.NO_ANSWER.value, AttemptOutcome.LEFT_MESSAGE.value])
        ep.add_contact(
            ep.at(day),
            mode="phone",
            attempt=1,
            outcome=outcome,
            initiated_by="link_worker",
            note=None,
        )
        day += timedelta(days=rng.randint(2, 5))
    if state == "contacting":
        ep.update_referral(
            "status = 'contacting', status_changed_on = ?", [first_contact.isoformat()]
        )
        return
    ep.update_referral(
        "status = 'not_reached', not_reached_on = ?, status_changed_on = ?",
        [day.isoformat(), day.isoformat()],
    )


def _declined(ep: _Episode, first_contact: date) -> None:
    day = min(first_contact, ep.today)
    ep.add_contact(
        ep.at(day),
        mode="phone",
        attempt=0,
        duration_minutes=10,
        initiated_by="link_worker",
        note="Not interested at the moment.",
    )
    ep.update_referral(
        "status = 'declined', declined_on = ?, decline_reason = ?, snomed_code = ?, "
        "status_changed_on = ?",
        [day.isoformat(), "Feels they are managing for now", SNOMED_DECLINED[0], day.isoformat()],
    )


def _contacts(
    ep: _Episode, state: str, accepted: date, span: int, contacts_per_person: float | None
) -> None:
    rng = ep.rng
    if contacts_per_person is not None:
        n_contacts = max(1, round(rng.gauss(contacts_per_person, contacts_per_person / 4)))
    else:
        n_contacts = max(1, min(12, 1 + span // 14)) if state == "accepted" else rng.randint(4, 12)
    days = sorted(
        {accepted + timedelta(days=int(i * span / max(1, n_contacts))) for i in range(n_contacts)}
    )
    modes = [m.value for m in ContactMode]
    for i, day in enumerate(days):
        if day > ep.today:
            break
        # Keyword arguments are drawn left to right, as the dict's values were.
        ep.add_contact(
            ep.at(day),
            mode=rng.choice(modes),
            attempt=0,
            duration_minutes=rng.choice([15, 20, 30, 45, 60]),
            initiated_by="link_worker" if rng.random() < 0.8 else "person",
            note=rng.choice(NOTES) if i else "First conversation.",
        )


def _conversation_and_goals(ep: _Episode, state: str, accepted: date) -> None:
    rng, w = ep.rng, ep.w
    cid = w.add(
        "conversations",
        {
            "person_id": ep.pid,
            "referral_id": ep.rid,
            "held_on": accepted.isoformat(),
            "what_matters": rng.choice(WHAT_MATTERS),
            "strengths": rng.choice(STRENGTHS),
            "needs": {n: "Raised at referral; talked through together." for n in ep.needs},
            "barriers": rng.sample([b.value for b in Barrier], rng.randint(0, 2)),
            "barriers_note": None,
        },
    )
    for g in range(rng.randint(1, 3)):
        status = (
            "open"
            if state == "accepted"
            else weighted(rng, [("achieved", 60), ("changed", 15), ("dropped", 15), ("open", 10)])
        )
        review = accepted + timedelta(days=rng.randint(14, 60))
        gid = w.add(
            "goals",
            {
                "person_id": ep.pid,
                "referral_id": ep.rid,
                "conversation_id": cid,
                "description": rng.choice(GOALS),
                "status": status,
                "status_changed_on": None
                if status == "open"
                else min(review, ep.today).isoformat(),
                "review_on": review.isoformat(),
                "set_on": accepted.isoformat(),
            },
        )
        for a in range(rng.randint(1, 2)):
            text, owner = ACTIONS[(g + a + ep.pid) % len(ACTIONS)]
            w.add(
                "actions",
                {
                    "goal_id": gid,
                    "description": text,
                    "owner": owner,
                    "due_on": (accepted + timedelta(days=7 * (a + 1))).isoformat(),
                    "done_on": None if status == "open" else review.isoformat(),
                },
            )


def _answers_for(kind: measures.MeasureKind, rng: random.Random, lift: int) -> dict[str, int]:
    definition = measures.definition(kind)
    answers = {}
    for item in definition.items:
        low, high = item.min_value, item.max_value
        span = high - low
        # Baseline answers sit low on wellbeing; `lift` nudges follow-ups towards better.
        better_high = measures.HIGHER_IS_BETTER.get((kind, item.key), True)
        if kind in (measures.MeasureKind.UCLA3, measures.MeasureKind.ONS_LONELINESS):
            better_high = False
        centre = (
            low + span * (0.35 + 0.1 * lift) if better_high else high - span * (0.35 + 0.1 * lift)
        )
        value = round(rng.gauss(centre, span / 5))
        answers[item.key] = max(low, min(high, value))
    return answers


def _measures(ep: _Episode, state: str, accepted: date, span: int) -> None:
    rng = ep.rng
    for kind in (
        measures.MeasureKind.ONS4,
        measures.MeasureKind.SWEMWBS,
        measures.MeasureKind.UCLA3,
    ):
        stages = [("baseline", accepted, 0)]
        if state == "discharged" or span > 60:
            stages.append(
                ("follow_up", accepted + timedelta(days=min(span, 90)), rng.randint(0, 3))
            )
        for stage, day, lift in stages:
            answers = _answers_for(kind, rng, lift)
            scored = measures.score(kind, answers)
            ep.w.add(
                "measures",
                {
                    "person_id": ep.pid,
                    "referral_id": ep.rid,
                    "kind": kind.value,
                    "stage": stage,
                    "taken_on": min(day, ep.today).isoformat(),
                    "answers": answers,
                    "scores": scored.model_dump(mode="json"),
                    "complete": int(scored.complete),
                },
            )


def _connection_row(ep: _Episode, activity_id: int, accepted: date) -> dict[str, Any]:
    rng, today = ep.rng, ep.today
    status = weighted(
        rng,
        [
            ("suggested", 20),
            ("referred", 20),
            ("attended", 20),
            ("attending", 25),
            ("stopped", 15),
        ],
    )
    suggested = accepted + timedelta(days=rng.randint(0, 14))
    suggested = min(suggested, today)
    step = timedelta(days=7)
    return {
        "person_id": ep.pid,
        "activity_id": activity_id,
        "referral_id": ep.rid,
        "kind": rng.choice(["signpost", "referral"]),
        "status": status,
        "suggested_on": suggested.isoformat(),
        "referred_on": (suggested + step).isoformat()
        if status != "suggested" and suggested + step <= today
        else None,
        "attended_on": (suggested + 2 * step).isoformat()
        if status in ("attended", "attending", "stopped") and suggested + 2 * step <= today
        else None,
        "stopped_on": today.isoformat() if status == "stopped" else None,
        "status_changed_on": min(suggested + 2 * step, today).isoformat(),
        "feedback": "Enjoying it, goes with a neighbour." if status == "attending" else None,
    }


@functools.cache
def _categories(codes: str | None) -> frozenset[str]:
    """An activity's category codes (read once each: every episode looks at every activity)."""
    return frozenset(json.loads(codes or "[]"))


def _connections(ep: _Episode, accepted: date, activity_rows: list[dict[str, Any]]) -> None:
    """One to three activities that answer the referral's needs."""
    wanted = {c for n in ep.needs for c in NEED_TO_CATEGORY.get(n, [])}
    matching = [a for a in activity_rows if _categories(a["category_codes"]) & wanted]
    for activity in ep.rng.sample(matching, min(len(matching), ep.rng.randint(1, 3))):
        ep.w.add("connections", _connection_row(ep, activity["id"], accepted))


def _discharge(ep: _Episode, accepted: date, span: int) -> None:
    end = min(accepted + timedelta(days=span), ep.today)
    reason = weighted(
        ep.rng,
        [(r.value, wt) for r, wt in zip(DischargeReason, [55, 15, 5, 12, 8, 1, 4], strict=True)],
    )
    ep.update_referral(
        "status = 'discharged', discharged_on = ?, discharge_reason = ?, "
        "discharge_summary = ?, status_changed_on = ?",
        [end.isoformat(), reason, "Met regularly; connected to local groups.", end.isoformat()],
    )


_PURPOSES = [
    "Check in after first group session",
    "Review plan",
    "Follow up money advice appointment",
    "Wellbeing check",
]


def _demo_uid(ep: _Episode, k: int) -> str:
    """A calendar UID for a demo follow-up, the same for the same seed (a real booking's is
    random: :func:`linkworker.followups.booking.new_calendar_uid`)."""
    name = f"linkworker-demo/{ep.pid}/{ep.rid}/{k}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, name).hex}@linkworker"


def _followups(ep: _Episode, followups_per_person: float | None) -> None:
    """Active people have follow-ups: some overdue, some today, most ahead."""
    rng, today = ep.rng, ep.today
    n_followups = (
        1 if followups_per_person is None else max(1, round(rng.gauss(followups_per_person, 0.5)))
    )
    for k in range(n_followups):
        offset = weighted(rng, [("overdue", 15), ("today", 15), ("week", 35), ("later", 35)])
        due = {
            "overdue": today - timedelta(days=rng.randint(1, 20)),
            "today": today,
            "week": today + timedelta(days=rng.randint(1, 6)),
            "later": today + timedelta(days=rng.randint(7, 40)),
        }[offset] + timedelta(days=14 * k)
        ep.w.add(
            "followups",
            {
                "person_id": ep.pid,
                "referral_id": ep.rid,
                "due_on": due.isoformat(),
                "due_time": f"{rng.randint(9, 16):02d}:{rng.choice(['00', '30'])}",
                "duration_minutes": rng.choice([15, 30, 45]),
                "kind": rng.choice([m.value for m in ContactMode]),
                "purpose": rng.choice(_PURPOSES),
                "status": "planned",
                # Made from the row, not drawn from rng: the same seed gives the same rows
                # and adding the UID moves no other demo value.
                "calendar_uid": _demo_uid(ep, k),
            },
        )


def _support(ep: _Episode, state: str, first_contact: date, shape: Shape) -> None:
    """Accepted or discharged: a real episode of support."""
    accepted = min(first_contact, ep.today)
    ep.update_referral(
        "status = 'accepted', accepted_on = ?, snomed_code = ?, status_changed_on = ?",
        [accepted.isoformat(), SNOMED_REFERRED[0], accepted.isoformat()],
    )
    span = (ep.today - accepted).days
    if state == "discharged":
        span = max(7, min(span - 1, ep.rng.randint(60, 180)))
    _contacts(ep, state, accepted, span, shape.contacts_per_person)
    _conversation_and_goals(ep, state, accepted)
    _measures(ep, state, accepted, span)
    _connections(ep, accepted, shape.activity_rows)
    if state == "discharged":
        _discharge(ep, accepted, span)
    else:
        _followups(ep, shape.followups_per_person)


def episode(
    w: BulkWriter,
    rng: random.Random,
    pid: int,
    state: str,
    received: date,
    today: date,
    consent: bool,
    shape: Shape,
) -> None:
    """Write one episode of a person, as far as its state has gone."""
    rid, needs, first_contact = _referral(w, rng, pid, received, consent)
    ep = _Episode(w, rng, pid, rid, today, needs)
    if state == "received":
        return
    if state in ("contacting", "not_reached"):
        _unreached(ep, state, first_contact)
    elif state == "declined":
        _declined(ep, first_contact)
    else:
        _support(ep, state, first_contact, shape)
