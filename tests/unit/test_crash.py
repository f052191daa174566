"""Crash safety: a writer is killed with SIGKILL at random moments, hundreds of times.

A fresh Python process (so no thread of the test run can be caught mid-lock by fork) opens
the store once, then for each round forks a writer that saves a person and their referral
as one user action (the same core functions the app uses, each with its audit entries)
and prints each person's id only after the transaction has committed. It is killed with
SIGKILL (no clean-up runs) a random 0-50 ms after it started (so some kills land while it
opens the store) or, every other round, 0-50 ms after it reported its first write (so
those kills land among writes however slow the machine is). The store is then reopened
(SQLite recovers from its WAL) and checked: every id reported as saved is there, with its
referral and audit entries, nothing is half-written, and `PRAGMA integrity_check` is ok.
The rounds go on until a set number of them killed a writer that had reported a write
(a count, never a time window, so a busy machine cannot make the test pass or fail).
Plain and encrypted stores both get their share of the kills.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

#: Rounds whose kill landed after at least one reported write, for each kind of store.
CHECKED_PLAIN = 120
CHECKED_ENCRYPTED = 45
#: A generous bound on all rounds (every other round always checks a write).
MAX_KILLS_PER_CHECKED = 4

ROUNDS = textwrap.dedent(
    """
    import json, os, random, select, signal, sys, time, traceback
    from datetime import date
    from pathlib import Path

    import linkworker.store.driver
    from linkworker import people, referrals
    from linkworker.clock import fixed
    from linkworker.store.db import connect, integrity_problems, open_store
    from linkworker.models import PersonDetails, ReferralDetails

    store, key = Path(sys.argv[1]), sys.argv[2] or None
    target, max_per_checked, seed = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
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

    def read_line(fd):
        # Waits until the writer has reported one committed write, or died without one;
        # the bound is only against a writer that hangs (that round then checks nothing).
        seen = b""
        while not seen.endswith(b"\\n"):
            if not select.select([fd], [], [], 60)[0]:
                break
            chunk = os.read(fd, 1)
            if not chunk:
                break
            seen += chunk
        return seen

    reported, checked, kills, failures = set(), 0, 0, []
    while checked < target and kills < target * max_per_checked:
        r = kills
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read_end)
            try:
                writer(write_end, r)
            except BaseException:
                traceback.print_exc()  # shown by the test: why the writer stopped
            finally:
                os._exit(1)
        os.close(write_end)
        first = read_line(read_end) if r % 2 else b""
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
        kills += 1
        chunks = [first]
        while True:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read_end)
        text = b"".join(chunks).decode()
        complete = text.split("\\n")[:-1]  # a line cut by the kill is not a report
        ids = {int(x) for x in complete}
        checked += bool(ids)
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
        stopped = not os.WIFSIGNALED(status)  # the writer failed before the kill
        if missing or orphans or unaudited or problems or stopped:
            failures.append({"round": r, "missing": sorted(missing), "orphans": orphans,
                             "unaudited": unaudited, "problems": problems,
                             "writer_stopped_by_itself": stopped})
    print(json.dumps({"kills": kills, "reported": len(reported), "checked": checked,
                      "failures": failures}))
    """
)


def _kill_rounds(store: Path, key: str, checked: int, seed: int) -> dict[str, object]:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            ROUNDS,
            str(store),
            key,
            str(checked),
            str(MAX_KILLS_PER_CHECKED),
            str(seed),
        ],
        capture_output=True,
        text=True,
        timeout=900,  # only against a hang: the rounds are counted, not timed
    )
    assert result.returncode == 0, result.stderr
    outcome: dict[str, object] = json.loads(result.stdout)
    return outcome


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "checked"), [("plain", CHECKED_PLAIN), ("encrypted", CHECKED_ENCRYPTED)]
)
def test_sigkill_during_writes_loses_no_saved_write(
    tmp_path: Path, passphrase: str, kind: str, checked: int
) -> None:
    key = passphrase if kind == "encrypted" else ""
    outcome = _kill_rounds(tmp_path / f"{kind}.db", key, checked, seed=len(kind))
    assert outcome["failures"] == []
    # Every round that counts killed a writer after it had reported a write, and each of
    # those writes was found again: no round at all checking a write is a failure.
    assert outcome["checked"] == checked, outcome
    assert int(str(outcome["reported"])) >= checked
    assert int(str(outcome["kills"])) >= checked


def test_the_suite_checks_at_least_150_kills_among_writes() -> None:
    assert CHECKED_PLAIN + CHECKED_ENCRYPTED >= 150
