"""What the in-process UI timings share (ratios.py): the app, what is typed, repaint marks.

Each keystroke timing runs from the moment the key is pressed to the first frame displayed
after the table or list was refilled, so it includes routing the key, the SQL, the rebuild
and the paint, but not Pilot's own waiting for idle (~65 ms a press, which no user sees).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker.clock import Clock
from linkworker.store.db import open_store
from linkworker.tui.app import LinkWorkerApp

TODAY = date(2026, 11, 23)
SIZE = (120, 40)
# What a link worker types into the caseload filter: names, an NHS number, back again.
TYPED = ["mar", "jones", "s", "999 1", "ahmed", "ka"]


def _app(store: Path) -> LinkWorkerApp:
    return LinkWorkerApp(store_path=store, clock=Clock(fixed_date=TODAY))


class Refills:
    """Notes the time each time a screen class (or widget) has reloaded from the store.

    The keystroke timings run from the key press to the first frame displayed after that
    (floors.Frames), the same way as their floor.
    """

    def __init__(self, screen_class: type) -> None:
        self.marks: list[float] = []
        self.screen_class = screen_class
        self.original = screen_class.reload

    def __enter__(self) -> Refills:
        marks = self.marks
        original = self.original

        def reload(screen: object) -> None:
            original(screen)
            marks.append(time.perf_counter())

        self.screen_class.reload = reload
        return self

    def __exit__(self, *exc: object) -> None:
        self.screen_class.reload = self.original


def add_long_history(store: Path) -> int:
    """A person with 100 contacts and 10 measures (plus the usual referral and plan)."""
    from linkworker import measures
    from linkworker.demo import write_demo  # noqa: F401  (same vocabulary as the demo)

    db = open_store(store)
    try:
        with db.atomic():
            pid = int(
                db.execute(
                    "INSERT INTO people (given_name, family_name, date_of_birth, created_at, "
                    "updated_at) VALUES ('Long', 'History', '1950-05-05', 't', 't')"
                ).lastrowid
            )
            rid = int(
                db.execute(
                    "INSERT INTO referrals (person_id, source, received_on, status, accepted_on, "
                    "created_at, updated_at) VALUES (?, 'gp_practice', '2022-01-10', 'accepted', "
                    "'2022-01-12', 't', 't')",
                    [pid],
                ).lastrowid
            )
            for i in range(100):
                db.execute(
                    "INSERT INTO contacts (person_id, referral_id, contact_at, mode, attempt, "
                    "duration_minutes, note, created_at) VALUES (?, ?, ?, 'phone', 0, 30, ?, 't')",
                    [
                        pid,
                        rid,
                        f"2022-{1 + i // 9 % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00",
                        f"Check-in call number {i + 1}; talked about the week.",
                    ],
                )
            answers = {k: 3 for k in measures.definition("swemwbs").item_keys}
            scored = measures.score("swemwbs", answers).model_dump_json()
            for i in range(10):
                db.execute(
                    "INSERT INTO measures (person_id, referral_id, kind, stage, taken_on, answers, "
                    "scores, complete, created_at) VALUES (?, ?, 'swemwbs', ?, ?, ?, ?, 1, 't')",
                    [
                        pid,
                        rid,
                        "baseline" if i == 0 else "follow_up",
                        f"2022-{1 + i:02d}-15",
                        '{"optimistic": 3}',
                        scored,
                    ],
                )
        return pid
    finally:
        db.close()


# What a link worker types into the directory search, one keystroke at a time.
SEARCHED = ["walk", "choir", "debt advice", "men", "garden", "hv2", "lunch club"]
