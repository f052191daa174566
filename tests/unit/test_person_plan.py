"""The plan signed off against the five PCSP criteria, the person's own copy of it, and the
handouts (shortlist and plan copy) in large print and easy read: golden files.

The golden files are under ``tests/unit/__snapshots__/test_person_plan/``; after reading a
change to one, rewrite them with ``--snapshot-update``.
"""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from syrupy.assertion import SnapshotAssertion
from test_golden_files import golden

from linkworker import directory, plans
from linkworker.clock import Clock
from linkworker.formats.handout import LARGE_PRINT_WIDTH, Reading
from linkworker.models import (
    ActionDetails,
    ActionOwner,
    ConversationDetails,
    GoalDetails,
    PcspCriterion,
    SignOffDetails,
    field_errors,
)
from linkworker.settings import Settings
from linkworker.store.db import Database

import factories

TODAY = factories.TODAY
LARGE = Reading(large_print=18)
EASY = Reading(easy_read=True)
SIGNED = Settings(
    worker_name="Sam Okafor",
    worker_organisation="Riverside PCN",
    worker_phone="01632 960 123",
    worker_email="sam.okafor@nhs.net",
    worker_hours="Monday to Thursday, 9am to 5pm",
).sign_off()


@pytest.fixture
def joan(db: Database, clock: Clock) -> int:
    """Joan, with what matters to her, two goals in her words and who does what."""
    pid = factories.add_person(db, given_name="Joan", family_name="Smith")
    talk = ConversationDetails.model_validate(
        {"held_on": TODAY, "what_matters": "Getting out of the house. Seeing people again."},
        context={"today": TODAY},
    )
    plans.record_conversation(db, pid, talk, clock)
    plans.add_goal(
        db,
        pid,
        GoalDetails(description="Go to the walking group once a week", review_on="01/02/2027"),
        [
            ActionDetails(description=what, owner=who, due_on=by)
            for what, who, by in (
                ("Ring the walk leader", ActionOwner.PERSON, "30/11/2026"),
                ("Find out about the bus", ActionOwner.LINK_WORKER, "27/11/2026"),
            )
        ],
        clock,
    )
    plans.add_goal(db, pid, GoalDetails(description="Sleep better"), [], clock)
    return pid


def test_signing_off_keeps_the_criteria_ticked_and_is_audited(
    db: Database, clock: Clock, joan: int
) -> None:
    assert plans.latest_signoff(db, joan) is None
    details = SignOffDetails(
        criteria=[PcspCriterion.REVIEWED, PcspCriterion.PREPARED], review_on="01/02/2027"
    )
    sign_id = plans.sign_off(db, joan, details, clock)
    signed = plans.latest_signoff(db, joan)
    assert signed is not None and signed.id == sign_id
    # Kept in NHS England's order whatever order they were ticked in.
    assert signed.criteria == (PcspCriterion.PREPARED, PcspCriterion.REVIEWED)
    assert not signed.complete
    assert signed.words() == "Signed off 23 Nov 2026: 2 of 5 PCSP criteria met; review 1 Feb 2027"
    assert db.execute(
        "SELECT count(*) FROM audit WHERE table_name = 'plan_signoffs' AND person_id = ?", [joan]
    ).fetchone() == (1,)
    plans.sign_off(db, joan, SignOffDetails(criteria=list(PcspCriterion), review_on=TODAY), clock)
    latest = plans.latest_signoff(db, joan)
    assert latest is not None and latest.complete


def test_a_sign_off_says_when_it_will_be_reviewed(db: Database, clock: Clock, joan: int) -> None:
    with pytest.raises(ValidationError) as caught:
        SignOffDetails(criteria=[PcspCriterion.REVIEWED])
    assert "review date" in field_errors(caught.value)["review_on"]
    with pytest.raises(plans.PlanError, match="in the past"):
        plans.sign_off(db, joan, SignOffDetails(review_on=date(2026, 1, 1)), clock)


def test_the_persons_copy_has_their_goals_who_does_what_the_review_and_the_worker(
    db: Database, clock: Clock, joan: int
) -> None:
    plans.sign_off(db, joan, SignOffDetails(review_on="15/01/2027"), clock)
    text = plans.person_copy(db, joan, TODAY, "text", Reading(), SIGNED)
    assert "Go to the walking group once a week" in text
    assert "You: Ring the walk leader, by 30 Nov 2026" in text
    assert "Your link worker: Find out about the bus, by 27 Nov 2026" in text
    # The sign-off's review wins over the goals' own review dates.
    assert "on 15 Jan 2027" in text
    assert "Your link worker: Sam Okafor" in text and "01632 960 123" in text
    assert "NHS" not in text.replace("nhs.net", "")  # no NHS number on the person's copy
    markdown = plans.person_copy(db, joan, TODAY, "markdown", Reading(), None)
    assert markdown.startswith("# Joan's plan\n") and "Phone or email:" in markdown


def test_the_persons_copy_says_when_the_review_was_due_once_it_has_passed(
    db: Database, joan: int
) -> None:
    """Made after the goals' review (1 Feb 2027), the copy says it was due, not "will"."""
    later = date(2027, 3, 1)
    text = " ".join(plans.person_copy(db, joan, later, "text", Reading(), SIGNED).split())
    assert "The review of this plan was due on 1 Feb 2027." in text
    assert "We will agree a new date together." in text
    assert "We will look at this plan together on" not in text
    easy = plans.person_copy(db, joan, later, "text", EASY, SIGNED)
    assert "We were going to look at this plan on 1 Feb 2027.\nWe will choose a new date" in easy
    # On the day itself the review is still to come.
    on_the_day = plans.person_copy(db, joan, date(2027, 2, 1), "text", Reading(), SIGNED)
    on_the_day = " ".join(on_the_day.split())
    assert "We will look at this plan together on 1 Feb 2027." in on_the_day


@pytest.mark.parametrize(
    ("style", "reading", "extension"),
    # The printable page is the shortlist's golden file (one page of the shared layout).
    [("text", LARGE, "txt"), ("md", LARGE, "md"), ("text", EASY, "txt"), ("md", EASY, "md")],
    ids=["large-print-text", "large-print-md", "easy-read-text", "easy-read-md"],
)
def test_plan_copy_golden(
    db: Database,
    joan: int,
    snapshot: SnapshotAssertion,
    style: str,
    reading: Reading,
    extension: str,
) -> None:
    fmt = "markdown" if style == "md" else style
    page = plans.person_copy(db, joan, TODAY, fmt, reading, SIGNED)  # type: ignore[arg-type]
    if reading.large_print and style == "text":
        assert max(len(line) for line in page.splitlines()) <= LARGE_PRINT_WIDTH
    assert page.encode("utf-8") == snapshot.use_extension(golden(extension))


@pytest.fixture
def walk(db: Database, clock: Clock) -> int:
    return factories.add_walk(
        db,
        clock,
        address="1 Park Lane",
        phone="01632 960100",
        accessibility="Level paths with benches every 200 metres",
        description=(
            "Friendly walks in the park for residents. Participants require sensible "
            "shoes; refreshments are complimentary."
        ),
    )


@pytest.mark.parametrize(
    ("style", "reading", "extension"),
    [
        ("text", LARGE, "txt"),
        ("html", LARGE, "html"),
        ("text", EASY, "txt"),
        ("markdown", EASY, "md"),
    ],
    ids=["large-print-text", "large-print-html", "easy-read-text", "easy-read-md"],
)
def test_shortlist_golden(
    db: Database,
    walk: int,
    snapshot: SnapshotAssertion,
    style: str,
    reading: Reading,
    extension: str,
) -> None:
    page = directory.shortlist_document(
        db, [walk], for_name="Joan", today=TODAY, style=style, reading=reading, signed=SIGNED
    )  # type: ignore[arg-type]
    if style == "html":
        assert "<table" not in page and f"font-size: {reading.points}pt" in page
    assert page.encode("utf-8") == snapshot.use_extension(golden(extension))


def test_a_standard_shortlist_is_the_one_it_always_was(db: Database, walk: int) -> None:
    for markdown in (False, True):
        before = directory.shortlist_text(
            db, [walk], for_name="Joan", today=TODAY, markdown=markdown
        )
        style = "markdown" if markdown else "text"
        assert (
            directory.shortlist_document(db, [walk], for_name="Joan", today=TODAY, style=style)
            == before
        )
