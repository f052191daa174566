"""One fictional person: their details, any flags, and their one or two episodes.

The order of the random draws is the demo's promise (same seed, same rows): keep it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from linkworker.demo.bulk import BulkWriter, weighted
from linkworker.demo.episodes import Shape, episode
from linkworker.demo.words import FAMILY, GIVEN_F, GIVEN_M, PRACTICES, STATES, STREETS
from linkworker.validation import nhs_check_digit


def _nhs_number(rng: random.Random, used: set[str]) -> str:
    while True:
        first = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(first)
        if check is not None and first + str(check) not in used:
            used.add(first + str(check))
            return first + str(check)


def _person_row(
    rng: random.Random,
    given: str,
    family: str,
    female: bool,
    dob: date,
    consent: bool,
    used: set[str],
) -> dict[str, Any]:
    return {
        "given_name": given,
        "family_name": family,
        "preferred_name": rng.choice([None, None, None, given[:3] if len(given) > 4 else None]),
        "date_of_birth": dob.isoformat(),
        "nhs_number": _nhs_number(rng, used) if rng.random() < 0.95 else None,
        "sex": "female" if female else "male",
        "ethnicity": weighted(
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
        "preferred_contact": weighted(
            rng, [("phone", 60), ("text", 25), ("email", 10), ("letter", 5)]
        ),
        "gp_practice": rng.choice(PRACTICES),
        "consent_to_share_gp": int(consent),
        "consent_date": None,
    }


#: Flags a few people carry: (how likely, kind, note).
_FLAGS = (
    (0.04, "safeguarding", "Discuss with practice safeguarding lead before home visits."),
    (0.03, "lone_working", "Meet in a public venue; dog at the property."),
)


def _flags(w: BulkWriter, rng: random.Random, pid: int, today: date) -> None:
    for chance, kind, note in _FLAGS:
        if rng.random() < chance:
            w.add(
                "flags",
                {"person_id": pid, "kind": kind, "raised_on": today.isoformat(), "note": note},
            )


def _episodes(
    w: BulkWriter, rng: random.Random, pid: int, today: date, consent: bool, shape: Shape
) -> None:
    episodes = 2 if rng.random() < 0.06 else 1
    start_days = rng.randrange(10, 360)
    for number in range(episodes):
        last = number == episodes - 1
        if last:
            state = weighted(rng, STATES)
            received = today - timedelta(days=start_days if number == 0 else rng.randrange(3, 60))
        else:
            state = "discharged"
            received = today - timedelta(days=start_days + 200)
        if state in ("received",):
            received = today - timedelta(days=rng.randrange(0, 12))
        if state == "contacting":
            received = today - timedelta(days=rng.randrange(2, 20))
        episode(w, rng, pid, state, received, today, consent, shape)


def one_person(
    w: BulkWriter, rng: random.Random, today: date, used: set[str], shape: Shape
) -> None:
    """Write one person with their flags and episodes."""
    female = rng.random() < 0.58
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    family = rng.choice(FAMILY)
    age = int(min(95, max(18, rng.gauss(58, 18))))
    dob = today - timedelta(days=age * 365 + rng.randrange(365))
    consent = rng.random() < 0.9
    pid = w.add("people", _person_row(rng, given, family, female, dob, consent, used))
    _flags(w, rng, pid, today)
    _episodes(w, rng, pid, today, consent, shape)
