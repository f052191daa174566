"""Crash safety: a writer is killed with SIGKILL at random moments, hundreds of times.

A fresh Python process (so no thread of the test run can be caught mid-lock by fork) opens
the store once, then for each round forks a writer that saves a person and their referral
as one user action (the same core functions the app uses, each with its audit entries)
and prints each person's id only after the transaction has committed. After a random
0-50 ms it is killed with SIGKILL (no clean-up runs), the store is reopened (SQLite
recovers from its WAL) and checked: every id reported as saved is there, with its
referral and audit entries, nothing is half-written, and `PRAGMA integrity_check` is ok.
Plain and encrypted stores both get their share of the kills.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

KILLS_PLAIN = 160
KILLS_ENCRYPTED = 60

ROUNDS = textwrap.dedent(
    """
    import json, os, random, signal, sys, time
    from datetime import date
    from pathlib import Path

    import linkworker.store.driver
    from linkworker import people, referrals
    from linkworker.clock import fixed
    from linkworker.store.db import connect, integrity_problems, open_store
    from linkworker.models import PersonDetails, ReferralDetails

    store, key = Path(sys.argv[1]), sys.argv[2] or None
    rounds, seed = int(sys.argv[3]), int(sys.argv[4])
    today = date(2026, 11, 23)
    clock = fixed(today)
    open_store(store, key).close()  # created (and its key derived) before the first fork
    rng = random.Random(seed)

    def writer(fd, label):
        db = open_store(store, key)
        n = 0
        while True:
            referral = ReferralDetails.model_validate(
                {"source": "gp_practice", "received_on": today, "reason": "crash test " * 20},
                context={"today": today},
            )
            with db.atomic():
                pid = people.add_person(
                    db, PersonDetails(given_name=f"W{label}n{n}", family_name="Crash"), clock
                )
                referrals.add_referral(db, pid, referral, clock)
            os.write(fd, f"{pid}\\n".encode())
            n += 1

    reported, rounds_with_writes, failures = set(), 0, []
    for r in range(rounds):
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read_end)
            try:
                writer(write_end, r)
            finally:
                os._exit(1)
        os.close(write_end)
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        chunks = []
        while True:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read_end)
        text = b"".join(chunks).decode()
        complete = text.split("\\n")[:-1]  # a line cut by the kill is not a report
        ids = {int(x) for x in complete}
        rounds_with_writes += bool(ids)
        reported |= ids
        db = connect(store, key)
        present = {row[0] for row in db.execute("SELECT id FROM people")}
        missing = reported - present
        referred = {row[0] for row in db.execute("SELECT person_id FROM referrals")}
        audited = {
            row[0] for row in db.execute("SELECT record_id FROM audit WHERE table_name = 'people'")
        }
        orphans = len(present - referred) + len(referred - present)
        unaudited = len(present - audited) + len(audited - present)
        problems = integrity_problems(db)
        db.close()
        if missing or orphans or unaudited or problems:
            failures.append({"round": r, "missing": sorted(missing), "orphans": orphans,
                             "unaudited": unaudited, "problems": problems})
    print(json.dumps({"kills": rounds, "reported": len(reported),
                      "rounds_with_writes": rounds_with_writes, "failures": failures}))
    """
)


def _kill_rounds(store: Path, key: str, rounds: int, seed: int) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", ROUNDS, str(store), key, str(rounds), str(seed)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    outcome: dict[str, object] = json.loads(result.stdout)
    return outcome


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "kills"), [("plain", KILLS_PLAIN), ("encrypted", KILLS_ENCRYPTED)]
)
def test_sigkill_during_writes_loses_no_saved_write(
    tmp_path: Path, passphrase: str, kind: str, kills: int
) -> None:
    key = passphrase if kind == "encrypted" else ""
    outcome = _kill_rounds(tmp_path / f"{kind}.db", key, kills, seed=len(kind))
    assert outcome["failures"] == []
    assert outcome["kills"] == kills
    # The kills landed while writing, not only before the first write.
    assert int(str(outcome["rounds_with_writes"])) > kills // 3
    assert int(str(outcome["reported"])) > kills


def test_the_suite_kills_at_least_200_times() -> None:
    assert KILLS_PLAIN + KILLS_ENCRYPTED >= 200
