"""The worker's identity (issue 13 item 6): the plan and the shortlist are signed from settings."""

from __future__ import annotations

from datetime import date

from tests.factories import add_person

from linkworker import directory, plans
from linkworker.clock import Clock
from linkworker.settings import Settings
from linkworker.store.db import Database

TODAY = date(2026, 11, 23)
SIGNED = Settings(
    worker_name="Priya Shah", worker_organisation="Leeds North PCN", worker_email="p.shah@nhs.net"
)


def test_the_signature_leaves_out_what_is_not_set() -> None:
    assert SIGNED.sign_off() == [
        "Your link worker: Priya Shah",
        "Social prescribing link worker, Leeds North PCN",
        "p.shah@nhs.net",
    ]
    assert Settings(worker_name="Priya Shah", worker_role="").sign_off() == [
        "Your link worker: Priya Shah"
    ]
    assert Settings().sign_off() is None  # no name: the page keeps its line to fill in


def _shortlist(db: Database, settings: Settings, *, markdown: bool) -> str:
    activity = int(db.execute("SELECT min(id) FROM activities").fetchone()[0])
    return directory.shortlist_text(
        db, [activity], for_name="Joan", today=TODAY, markdown=markdown, signed=settings.sign_off()
    )


def test_the_shortlist_is_signed_with_no_blank_lines(db: Database, clock: Clock) -> None:
    directory.ensure_starter(db, clock)
    for markdown in (False, True):
        text = _shortlist(db, SIGNED, markdown=markdown)
        assert "Priya Shah" in text and "Leeds North PCN" in text
        assert "____" not in text
        unsigned = _shortlist(db, Settings(), markdown=markdown)
        assert "Your link worker: ____" in unsigned


def test_the_plan_is_signed(db: Database) -> None:
    pid = add_person(db)
    lines = SIGNED.sign_off()
    assert lines is not None
    text = plans.plan_text(db, pid, TODAY, " · ".join(lines))
    assert "Your link worker: Priya Shah" in text and "p.shah@nhs.net" in text
    assert "____" not in text
