"""A realistic, deterministic demo caseload (and the scale generator for bench/).

Same arguments, same rows: everything comes from one seeded ``random.Random`` and a clock
stopped at ``today`` 09:00. People are fictional; NHS numbers are in the 999 range the NHS
keeps for testing and phone numbers in Ofcom's range for drama.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker import measures
from linkworker.clock import Clock, fixed
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
from linkworker.validation import nhs_check_digit

GIVEN_F = [
    "Margaret",
    "Susan",
    "Aisha",
    "Joan",
    "Priya",
    "Helen",
    "Fatima",
    "Linda",
    "Grace",
    "Olena",
    "Sarah",
    "Mary",
    "Zainab",
    "Emily",
    "Patricia",
    "Chloe",
    "Irene",
    "Jasmine",
    "Agnieszka",
    "Dorothy",
    "Amira",
    "Rachel",
    "Kathleen",
    "Niamh",
    "Beverley",
    "Mei",
]
GIVEN_M = [
    "David",
    "John",
    "Mohammed",
    "Peter",
    "Tomasz",
    "Robert",
    "Kwame",
    "Michael",
    "Alan",
    "Imran",
    "George",
    "Stephen",
    "Raj",
    "Brian",
    "Daniel",
    "Kevin",
    "Samuel",
    "Arthur",
    "Liam",
    "Ibrahim",
    "Keith",
    "Dennis",
    "Callum",
    "Jamal",
    "Trevor",
    "Wei",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Wood",
    "Jackson",
    "Clarke",
    "Hussain",
    "Lewis",
    "Kowalski",
    "Okafor",
    "Harris",
    "Martin",
    "Cooper",
    "Ahmed",
    "Hughes",
    "Edwards",
    "Turner",
    "Nowak",
    "Begum",
    "Mensah",
    "Murphy",
    "Kelly",
    "Chen",
    "Singh",
    "Ali",
    "Baker",
]
PRACTICES = [
    "Haverleigh Medical Centre",
    "Castle Street Surgery",
    "Riverside Health Centre",
    "Millbrook Family Practice",
]
REFERRERS = [
    "Dr A Okoye",
    "Dr S Grant",
    "Nurse J Bell",
    "Dr P Mehta",
    "M Fraser (OT)",
    "K Doyle (housing officer)",
    "PC L Reid",
    "Dr H Lam",
    "T Ward (social worker)",
]
WHAT_MATTERS = [
    "Getting out of the house more; I haven't really spoken to anyone since my wife died.",
    "Sorting out the debts so I can sleep at night.",
    "Being able to walk to the shops again without getting out of breath.",
    "Having something to do with my days now I've finished work.",
    "Looking after Mum without losing myself completely.",
    "Feeling less anxious when I go out, and meeting people who get it.",
    "Finding a job, or at least some volunteering to get back into a routine.",
    "Keeping my flat; the damp is making my chest worse.",
    "Learning to use the computer so I can video call my grandchildren.",
    "Getting back to the garden; it used to be my whole life.",
]
STRENGTHS = [
    "Close to her daughter; good with her hands; used to sing in a choir.",
    "Very practical, enjoys fixing things; neighbour checks in on him.",
    "Loves cooking; speaks Polish and English; determined.",
    "Good sense of humour; walks the dog daily; church community.",
    "Ex-teacher, patient and organised; keen gardener.",
]
GOALS = [
    "Go to the community choir at least twice this month",
    "Get a budget together with the money adviser",
    "Walk to the park and back three times a week",
    "Try the men's shed on Thursday",
    "Find out about carers' breaks",
    "Join a bereavement group",
    "Apply for two volunteering roles",
    "Get the damp in the flat looked at by the landlord",
    "Learn to make a video call",
    "Take an allotment half-plot",
]
ACTIONS = [
    ("Phone the group organiser to ask about a first visit", "link_worker"),
    ("Go along with a friend for the first session", "person"),
    ("Book the appointment and bring the letters", "person"),
    ("Send the referral form", "link_worker"),
    ("Ask the daughter to help with the bus timetable", "someone_else"),
]
NOTES = [
    "Talked through options; keen to try something this week.",
    "Left voicemail, will try again Thursday.",
    "Went well; feeling more positive.",
    "Low mood today; agreed to keep in touch by phone.",
    "Attended the group and enjoyed it.",
    "Discussed money worries; referral to advice service agreed.",
]

STREETS = ["Mill", "Church", "Station", "Park", "Victoria"]

# Referral states and how often they occur in a live caseload (weights sum to 100).
STATES = [
    ("received", 5),
    ("contacting", 8),
    ("accepted", 45),
    ("declined", 7),
    ("not_reached", 7),
    ("discharged", 28),
]


@dataclass(frozen=True)
class DemoSize:
    """How much to generate; the defaults give a normal year's caseload."""

    people: int = 250
    contacts_per_person: float | None = None  # None: realistic 1-12 per episode
    activities: int | None = None  # None: the shipped starter directory only


class DemoError(ValueError):
    """The demo cannot be written (the store already holds people, say)."""


def _nhs_number(rng: random.Random, used: set[str]) -> str:
    while True:
        first = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(first)
        if check is not None and first + str(check) not in used:
            used.add(first + str(check))
            return first + str(check)


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


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


class _Writer:
    """Collects rows and writes them with plain executemany (the demo is a bulk load)."""

    def __init__(self, db: Database, stamp: str) -> None:
        self.db = db
        self.stamp = stamp

    def add(self, table: str, row: dict[str, Any]) -> int:
        row = dict(row)
        columns = self.db[table].columns_dict
        if "created_at" in columns:
            row.setdefault("created_at", self.stamp)
        if "updated_at" in columns:
            row.setdefault("updated_at", self.stamp)
        cursor = self.db.execute(
            f"INSERT INTO [{table}] ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            [json.dumps(v) if isinstance(v, (list, dict)) else v for v in row.values()],
        )
        return int(cursor.lastrowid or 0)


def write_demo(
    db: Database,
    *,
    people: int = 250,
    seed: int = 7,
    today: date,
    force: bool = False,
    contacts_per_person: float | None = None,
    followups_per_person: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write a demo caseload into an open store; returns counts by table.

    Refuses a store that already holds people unless ``force`` (then people are replaced).
    The starter directory is loaded first if the store has no activities.
    """
    from linkworker import directory

    existing = db.execute("SELECT count(*) FROM people").fetchone()[0]
    if existing and not force:
        raise DemoError(f"the store already holds {existing} people; use --force to replace them")
    clock: Clock = fixed(today)
    rng = random.Random(seed)
    with db.atomic():
        if existing:
            for table in (
                "followups",
                "connections",
                "measures",
                "actions",
                "goal_reviews",
                "goals",
                "conversations",
                "flags",
                "contacts",
                "referrals",
                "people",
                "audit",
            ):
                db.execute(f"DELETE FROM [{table}]")
        if not db.execute("SELECT count(*) FROM activities").fetchone()[0]:
            directory.load_starter(db, clock)
        activity_rows = list(
            db.query(
                "SELECT id, category_codes FROM activities WHERE status = 'active' ORDER BY id"
            )
        )
        writer = _Writer(db, clock.stamp())
        used: set[str] = set()
        for index in range(people):
            _one_person(
                writer, rng, today, used, activity_rows, contacts_per_person, followups_per_person
            )
            if progress and index % 500 == 0:
                progress(index, people)
    counts = {}
    for table in (
        "people",
        "referrals",
        "contacts",
        "conversations",
        "goals",
        "actions",
        "measures",
        "connections",
        "followups",
        "flags",
        "activities",
    ):
        counts[table] = int(db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])
    return counts


# Which directory categories answer which needs lives in the core (directory.py).


def _one_person(
    w: _Writer,
    rng: random.Random,
    today: date,
    used: set[str],
    activity_rows: list[dict[str, Any]],
    contacts_per_person: float | None,
    followups_per_person: float | None,
) -> None:
    female = rng.random() < 0.58
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    family = rng.choice(FAMILY)
    age = int(min(95, max(18, rng.gauss(58, 18))))
    dob = today - timedelta(days=age * 365 + rng.randrange(365))
    consent = rng.random() < 0.9
    pid = w.add(
        "people",
        {
            "given_name": given,
            "family_name": family,
            "preferred_name": rng.choice([None, None, None, given[:3] if len(given) > 4 else None]),
            "date_of_birth": dob.isoformat(),
            "nhs_number": _nhs_number(rng, used) if rng.random() < 0.95 else None,
            "sex": "female" if female else "male",
            "ethnicity": _weighted(
                rng,
                [
                    ("white", 78),
                    ("asian", 10),
                    ("black", 5),
                    ("mixed", 3),
                    ("other", 2),
                    ("not_stated", 2),
                ],
            ),
            "phone": f"07700 900{rng.randrange(1000):03d}",
            "postcode": f"HV{rng.randrange(1, 5)} {rng.randrange(1, 10)}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            "address": f"{rng.randrange(1, 120)} {rng.choice(STREETS)} "
            f"{rng.choice(['Road', 'Street', 'Lane', 'Close'])}, Haverleigh",
            "preferred_contact": _weighted(
                rng, [("phone", 60), ("text", 25), ("email", 10), ("letter", 5)]
            ),
            "gp_practice": rng.choice(PRACTICES),
            "consent_to_share_gp": int(consent),
            "consent_date": None,
        },
    )
    if rng.random() < 0.04:
        w.add(
            "flags",
            {
                "person_id": pid,
                "kind": "safeguarding",
                "raised_on": today.isoformat(),
                "note": "Discuss with practice safeguarding lead before home visits.",
            },
        )
    if rng.random() < 0.03:
        w.add(
            "flags",
            {
                "person_id": pid,
                "kind": "lone_working",
                "raised_on": today.isoformat(),
                "note": "Meet in a public venue; dog at the property.",
            },
        )

    episodes = 2 if rng.random() < 0.06 else 1
    start_days = rng.randrange(10, 360)
    for episode in range(episodes):
        last = episode == episodes - 1
        if last:
            state = _weighted(rng, STATES)
            received = today - timedelta(days=start_days if episode == 0 else rng.randrange(3, 60))
        else:
            state = "discharged"
            received = today - timedelta(days=start_days + 200)
        if state in ("received",):
            received = today - timedelta(days=rng.randrange(0, 12))
        if state == "contacting":
            received = today - timedelta(days=rng.randrange(2, 20))
        _episode(
            w,
            rng,
            pid,
            state,
            received,
            today,
            consent,
            activity_rows,
            contacts_per_person,
            followups_per_person,
        )


def _episode(
    w: _Writer,
    rng: random.Random,
    pid: int,
    state: str,
    received: date,
    today: date,
    consent: bool,
    activity_rows: list[dict[str, Any]],
    contacts_per_person: float | None,
    followups_per_person: float | None,
) -> None:
    needs = rng.sample([n.value for n in NeedDomain if n != NeedDomain.OTHER], rng.randint(1, 3))
    source = _weighted(
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
        "urgency": _weighted(rng, [("routine", 85), ("soon", 12), ("urgent", 3)]),
        "reason": rng.choice(WHAT_MATTERS),
        "consent_to_share_gp": int(consent),
        "status": "received",
        "status_changed_on": received.isoformat(),
    }
    rid = w.add("referrals", referral)

    def at(day: date, hour: int | None = None) -> str:
        moment = datetime.combine(
            day, time(hour if hour is not None else rng.randint(9, 16), rng.choice([0, 15, 30, 45]))
        )
        return moment.isoformat(timespec="seconds")

    def attempt(day: date, outcome: str) -> None:
        w.add(
            "contacts",
            {
                "person_id": pid,
                "referral_id": rid,
                "contact_at": at(day),
                "mode": "phone",
                "attempt": 1,
                "outcome": outcome,
                "initiated_by": "link_worker",
                "note": None,
            },
        )

    if state == "received":
        return
    if state in ("contacting", "not_reached"):
        tries = rng.randint(1, 2) if state == "contacting" else 3
        day = first_contact
        for _ in range(tries):
            if day >= today:
                break
            attempt(
                day, rng.choice([AttemptOutcome.NO_ANSWER.value, AttemptOutcome.LEFT_MESSAGE.value])
            )
            day += timedelta(days=rng.randint(2, 5))
        if state == "contacting":
            w.db.execute(
                "UPDATE referrals SET status = 'contacting', status_changed_on = ? WHERE id = ?",
                [first_contact.isoformat(), rid],
            )
            return
        w.db.execute(
            "UPDATE referrals SET status = 'not_reached', not_reached_on = ?, "
            "status_changed_on = ? WHERE id = ?",
            [day.isoformat(), day.isoformat(), rid],
        )
        return
    if state == "declined":
        day = min(first_contact, today)
        w.add(
            "contacts",
            {
                "person_id": pid,
                "referral_id": rid,
                "contact_at": at(day),
                "mode": "phone",
                "attempt": 0,
                "duration_minutes": 10,
                "initiated_by": "link_worker",
                "note": "Not interested at the moment.",
            },
        )
        w.db.execute(
            "UPDATE referrals SET status = 'declined', declined_on = ?, "
            "decline_reason = ?, snomed_code = ?, status_changed_on = ? WHERE id = ?",
            [
                day.isoformat(),
                "Feels they are managing for now",
                SNOMED_DECLINED[0],
                day.isoformat(),
                rid,
            ],
        )
        return

    # accepted or discharged: a real episode of support.
    accepted = min(first_contact, today)
    w.db.execute(
        "UPDATE referrals SET status = 'accepted', accepted_on = ?, snomed_code = ?, "
        "status_changed_on = ? WHERE id = ?",
        [accepted.isoformat(), SNOMED_REFERRED[0], accepted.isoformat(), rid],
    )
    span = (today - accepted).days
    if state == "discharged":
        span = max(7, min(span - 1, rng.randint(60, 180)))
    if contacts_per_person is not None:
        n_contacts = max(1, round(rng.gauss(contacts_per_person, contacts_per_person / 4)))
    else:
        n_contacts = max(1, min(12, 1 + span // 14)) if state == "accepted" else rng.randint(4, 12)
    days = sorted(
        {accepted + timedelta(days=int(i * span / max(1, n_contacts))) for i in range(n_contacts)}
    )
    modes = [m.value for m in ContactMode]
    for i, day in enumerate(days):
        if day > today:
            break
        w.add(
            "contacts",
            {
                "person_id": pid,
                "referral_id": rid,
                "contact_at": at(day),
                "mode": rng.choice(modes),
                "attempt": 0,
                "duration_minutes": rng.choice([15, 20, 30, 45, 60]),
                "initiated_by": "link_worker" if rng.random() < 0.8 else "person",
                "note": rng.choice(NOTES) if i else "First conversation.",
            },
        )
    cid = w.add(
        "conversations",
        {
            "person_id": pid,
            "referral_id": rid,
            "held_on": accepted.isoformat(),
            "what_matters": rng.choice(WHAT_MATTERS),
            "strengths": rng.choice(STRENGTHS),
            "needs": {n: "Raised at referral; talked through together." for n in needs},
            "barriers": rng.sample([b.value for b in Barrier], rng.randint(0, 2)),
            "barriers_note": None,
        },
    )
    for g in range(rng.randint(1, 3)):
        status = (
            "open"
            if state == "accepted"
            else _weighted(rng, [("achieved", 60), ("changed", 15), ("dropped", 15), ("open", 10)])
        )
        review = accepted + timedelta(days=rng.randint(14, 60))
        gid = w.add(
            "goals",
            {
                "person_id": pid,
                "referral_id": rid,
                "conversation_id": cid,
                "description": rng.choice(GOALS),
                "status": status,
                "status_changed_on": None if status == "open" else min(review, today).isoformat(),
                "review_on": review.isoformat(),
                "set_on": accepted.isoformat(),
            },
        )
        for a in range(rng.randint(1, 2)):
            text, owner = ACTIONS[(g + a + pid) % len(ACTIONS)]
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
            w.add(
                "measures",
                {
                    "person_id": pid,
                    "referral_id": rid,
                    "kind": kind.value,
                    "stage": stage,
                    "taken_on": min(day, today).isoformat(),
                    "answers": answers,
                    "scores": scored.model_dump(mode="json"),
                    "complete": int(scored.complete),
                },
            )
    matching = [
        a
        for a in activity_rows
        if set(json.loads(a["category_codes"] or "[]"))
        & {c for n in needs for c in NEED_TO_CATEGORY.get(n, [])}
    ]
    for activity in rng.sample(matching, min(len(matching), rng.randint(1, 3))):
        status = _weighted(
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
        w.add(
            "connections",
            {
                "person_id": pid,
                "activity_id": activity["id"],
                "referral_id": rid,
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
                "feedback": "Enjoying it, goes with a neighbour."
                if status == "attending"
                else None,
            },
        )
    if state == "discharged":
        end = min(accepted + timedelta(days=span), today)
        reason = _weighted(
            rng,
            [
                (r.value, wt)
                for r, wt in zip(DischargeReason, [55, 15, 5, 12, 8, 1, 4], strict=True)
            ],
        )
        w.db.execute(
            "UPDATE referrals SET status = 'discharged', discharged_on = ?, "
            "discharge_reason = ?, discharge_summary = ?, status_changed_on = ? "
            "WHERE id = ?",
            [
                end.isoformat(),
                reason,
                "Met regularly; connected to local groups.",
                end.isoformat(),
                rid,
            ],
        )
        return
    # Active people have follow-ups: some overdue, some today, most ahead.
    n_followups = (
        1 if followups_per_person is None else max(1, round(rng.gauss(followups_per_person, 0.5)))
    )
    for k in range(n_followups):
        offset = _weighted(rng, [("overdue", 15), ("today", 15), ("week", 35), ("later", 35)])
        due = {
            "overdue": today - timedelta(days=rng.randint(1, 20)),
            "today": today,
            "week": today + timedelta(days=rng.randint(1, 6)),
            "later": today + timedelta(days=rng.randint(7, 40)),
        }[offset] + timedelta(days=14 * k)
        w.add(
            "followups",
            {
                "person_id": pid,
                "referral_id": rid,
                "due_on": due.isoformat(),
                "due_time": f"{rng.randint(9, 16):02d}:{rng.choice(['00', '30'])}",
                "duration_minutes": rng.choice([15, 30, 45]),
                "kind": rng.choice([m.value for m in ContactMode]),
                "purpose": rng.choice(
                    [
                        "Check in after first group session",
                        "Review plan",
                        "Follow up money advice appointment",
                        "Wellbeing check",
                    ]
                ),
                "status": "planned",
            },
        )
