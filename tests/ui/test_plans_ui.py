"""Pilot tests: conversations, goals and reviews, measures and their change, the plan page."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from rich.console import Console
from tests.factories import open_store, stored_raw
from tests.ui.conftest import DialogHost, HostDialog
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, Static, TextArea

from linkworker import measures, outcomes, people, plans
from linkworker.clock import Clock
from linkworker.models import ActionDetails, ConversationDetails, GoalDetails, PersonDetails
from linkworker.store.db import Database
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ChoiceDialog, ConfirmDialog
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.conversation import ConversationForm
from linkworker.tui.screens.goal import GoalForm, GoalReviewForm
from linkworker.tui.screens.measure import MeasureChooser, MeasureForm, measure_choices
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.plan import PlanScreen, WriteFileModal
from linkworker.tui.widgets.choices import TickBox

import factories
from pilots import fill_measure, open_person, type_into

#: Maggie Trelawny, referred by her GP on 1 Sep for loneliness.
MAGGIE = {"given_name": "Maggie", "family_name": "Trelawny"}
MAGGIES_REFERRAL = {"received_on": date(2026, 9, 1), "needs": ["loneliness"]}


def _make_person(path: Path, clock: Clock) -> int:
    built = factories.build_in(
        path, factories.add_person_with_referral, clock, referral=MAGGIES_REFERRAL, **MAGGIE
    )
    return built[0]


#: The two actions agreed for Maggie's lunch club goal, as read back (what, who, by when).
THE_LUNCH_CLUB_ACTIONS = [
    ("Ring the lunch club", "The person", date(2026, 11, 30)),
    ("Drive Maggie to the first lunch", "Neighbour, Pat", None),
]


@asynccontextmanager
async def shown_alone(
    dialog: Screen[Any],
    db: Database,
    clock: Clock,
    seen: list[Message],
    *,
    size: tuple[int, int],
) -> AsyncIterator[Pilot[None]]:
    """``dialog_host`` (conftest.py), also keeping in ``seen`` every message the app handles:
    a dialog alone is checked for the CaseloadChanged that has the screens behind it reload."""
    app = DialogHost(dialog, db=db, clock=clock)
    async with app.run_test(size=size, message_hook=seen.append) as pilot:
        await pilot.pause()
        yield pilot


def swemwbs_answers(keys: str) -> dict[str, int]:
    """The SWEMWBS answers typing ``keys`` into its form gives: one key per item, in order."""
    return dict(zip(measures.definition("swemwbs").item_keys, map(int, keys), strict=True))


def text_of(widget: Static, width: int = 120) -> str:
    """What a Static shows, as plain text (its renderable drawn at a fixed width)."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def test_record_a_conversation_from_the_person_screen(store_path: Path, clock: Clock) -> None:
    pid = _make_person(store_path, clock)
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 34), message_hook=seen.append) as pilot:
        person = await open_person(pilot, pid)
        assert "No 'what matters' conversation yet" in text_of(
            person.query_one("#person-plan", Static)
        )
        await pilot.press("w")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConversationForm)
        # The referral's need starts ticked; writing a note ticks another. The cursor starts
        # in "what matters" and Tab goes on to strengths (pasted: nothing here is about keys).
        assert form.query_one("#need-loneliness", TickBox).value is True
        assert app.focused is form.query_one("#what_matters", TextArea)
        await type_into(pilot, "what_matters", "Singing again, and [bold]seeing[/] people")
        await pilot.press("tab")
        assert app.focused is form.query_one("#strengths", TextArea)
        await type_into(pilot, "strengths", "My sister Jen; good cook")
        await type_into(pilot, "note-bereavement", "Husband died in March")
        assert form.query_one("#need-bereavement", TickBox).value is True
        form.query_one("#barrier-transport", TickBox).value = True
        form.query_one("#barriers_note", Input).value = "No bus on Sundays"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # A planning conversation saved: CollaboRATE is offered about it ("Not now" here).
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.title_text == "Ask CollaboRATE now?"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        strip = text_of(app.screen.query_one("#person-plan", Static))
        assert "What matters (23 Nov 2026): Singing again, and [bold]seeing[/] people" in strip
        rows = [
            str(app.screen.query_one("#timeline").get_row_at(i)[1])  # type: ignore[attr-defined]
            for i in range(2)
        ]
        assert any("'What matters' conversation: Singing again" in r for r in rows)
    assert any(isinstance(m, CaseloadChanged) and m.person_id == pid for m in seen)
    db = open_store(store_path)
    conversation = plans.conversations(db, pid)[0]
    assert conversation.what_matters == "Singing again, and [bold]seeing[/] people"
    assert conversation.strengths == "My sister Jen; good cook"
    assert {d.value: n for d, n in conversation.needs.items()} == {
        "loneliness": "",
        "bereavement": "Husband died in March",
    }
    assert [b.value for b in conversation.barriers] == ["transport"]
    assert conversation.barriers_note == "No bus on Sundays"
    db.close()


async def test_a_conversation_dated_in_the_future_is_refused_and_nothing_saved(
    store_path: Path, clock: Clock, dialog_host: HostDialog
) -> None:
    # The form alone, opened as `w` on the person screen opens it (plan.start_conversation:
    # the name, and the latest referral's needs ticked); `w` itself is
    # test_record_a_conversation_from_the_person_screen's.
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    form = ConversationForm(pid, "Maggie Trelawny", MAGGIES_REFERRAL["needs"])
    async with dialog_host(form, db=db, size=(100, 34)) as pilot:
        app = pilot.app
        assert app.screen is form
        await pilot.press("ctrl+s")  # only the referral's need ticked: not a conversation yet
        await pilot.pause()
        assert app.screen is form
        errors = text_of(form.query_one("#what_matters-error", Static))
        assert "write what matters to the person, in their words" in errors
        form.query_one("#held_on", Input).value = "24/11/2026"
        form.query_one("#what_matters", TextArea).text = "Something"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        errors = text_of(form.query_one("#held_on-error", Static))
        assert "24 Nov 2026 is in the future" in errors
        await pilot.press("escape")  # something was typed: asks before discarding it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#yes")
        await pilot.pause()
        assert app.screen is not form and app.results == [None]
        assert db["conversations"].count == 0
    db.close()


async def test_the_goal_form_alone_names_an_action_without_its_person_then_saves_both(
    store_path: Path, clock: Clock
) -> None:
    # The form alone, as g on the person screen opens it (plan.start_goal); g itself, and the
    # plan strip showing the saved goal, are test_goal_with_two_actions_then_reviewed_as_achieved's.
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    seen: list[Message] = []
    form = GoalForm(pid, "Maggie Trelawny")
    async with shown_alone(form, db, clock, seen, size=(100, 34)) as pilot:
        app = pilot.app
        assert app.focused is form.query_one("#description", Input)
        await type_into(pilot, "description", "Join the Thursday lunch club")
        await pilot.press("tab")  # review on: four weeks ahead already
        assert app.focused is form.query_one("#review_on", Input)
        assert form.query_one("#review_on", Input).value == "21/12/2026"
        await pilot.press("tab")
        assert app.focused is form.query_one("#action-1-description", Input)
        await type_into(pilot, "action-1-description", "Ring the lunch club")
        form.query_one(".action-due", Input).value = "30/11/2026"
        await pilot.press("ctrl+n")
        await pilot.pause()
        second = list(form.query(".action-row"))[1]
        assert app.focused is second.query_one(".action-what", Input)
        await type_into(pilot, "action-2-description", "Drive Maggie to the first lunch")
        second.query_one(".action-owner", Select).value = "someone_else"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # "Someone else" without a name: refused, naming the action and the field.
        assert app.screen is form
        errors = text_of(form.query_one("#action-2-owner_name-error", Static))
        assert "say who else will do it" in errors
        assert db["goals"].count == 0
        second.query_one(".action-name", Input).value = "Neighbour, Pat"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        [goal_id] = app.results
    assert any(isinstance(m, CaseloadChanged) and m.person_id == pid for m in seen)
    [goal] = plans.goals(db, pid)
    assert (goal.id, goal.description, goal.status.value) == (
        goal_id,
        "Join the Thursday lunch club",
        "open",
    )
    assert goal.review_on == date(2026, 12, 21)
    assert [(a.description, a.who, a.due_on) for a in goal.actions] == THE_LUNCH_CLUB_ACTIONS
    db.close()


async def test_goal_with_two_actions_then_reviewed_as_achieved(
    store_path: Path, clock: Clock
) -> None:
    # The goal as the form saves it (test_the_goal_form_alone_...), then the whole journey:
    # the person screen shows it, v reviews it, the timeline and the plan page show the review.
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    plans.add_goal(
        db,
        pid,
        GoalDetails(description="Join the Thursday lunch club", review_on=date(2026, 12, 21)),
        [
            ActionDetails(description="Ring the lunch club", due_on=date(2026, 11, 30)),
            ActionDetails(
                description="Drive Maggie to the first lunch",
                owner="someone_else",
                owner_name="Neighbour, Pat",
            ),
        ],
        clock,
    )
    db.close()
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 34), message_hook=seen.append) as pilot:
        person = await open_person(pilot, pid)
        strip = text_of(person.query_one("#person-plan", Static))
        assert "Plan: 1 open goal, review 21 Dec 26, 2 actions to do" in strip
        await pilot.press("g")  # g agrees a new goal for this person
        await pilot.pause()
        assert isinstance(app.screen, GoalForm) and app.screen.person_id == pid
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is person

        await pilot.press("v")  # only one open goal: straight to its review
        await pilot.pause()
        review = app.screen
        assert isinstance(review, GoalReviewForm)
        about = text_of(review.query_one("#review-goal", Static))
        assert "Join the Thursday lunch club" in about
        assert "Ring the lunch club (The person): to do" in about
        await pilot.press("down", "enter")  # "Achieved"
        await pilot.pause()
        assert not review.query_one("#next_review_on-row").display
        review.query_one("#note", Input).value = "Goes every week with Pat"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        timeline = app.screen.query_one("#timeline")
        first = [str(timeline.get_row_at(i)[1]) for i in range(timeline.row_count)]  # type: ignore[attr-defined]
        assert "Goal achieved: Join the Thursday lunch club (Goes every week with Pat)" in first
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        page = text_of(app.screen.query_one("#plan-page", Static))
        assert "- Join the Thursday lunch club: achieved on 23 Nov 2026" in page
    assert any(isinstance(m, CaseloadChanged) and m.person_id == pid for m in seen)
    db = open_store(store_path)
    goal = plans.goals(db, pid)[0]
    assert (goal.status.value, goal.status_changed_on) == ("achieved", date(2026, 11, 23))
    assert [(a.description, a.who, a.due_on) for a in goal.actions] == THE_LUNCH_CLUB_ACTIONS
    assert [(r.status.value, r.note) for r in goal.reviews] == [
        ("achieved", "Goes every week with Pat")
    ]
    db.close()


async def _enter_measure(
    pilot: Pilot[Any],
    choice: int,
    answers: list[str],
    taken_on: str | None = None,
    stage: str | None = None,
) -> MeasureForm:
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MeasureChooser)
    await pilot.press(*(["down"] * choice), "enter")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, MeasureForm)
    if stage is not None:  # the stage the form offers: baseline first, then follow-up
        assert form.query_one("#stage", Select).value == stage
    if taken_on is not None:
        form.query_one("#taken_on", Input).value = taken_on
    return cast(MeasureForm, await fill_measure(pilot, answers))


async def test_the_swemwbs_form_alone_shows_its_wording_and_moves_on_after_each_answer(
    store_path: Path, clock: Clock
) -> None:
    # The form alone, as m and the chooser's second line open it (those keys are
    # test_an_incomplete_swemwbs_asks_then_is_stored_but_not_scored's).
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    seen: list[Message] = []
    form = MeasureForm(pid, "Maggie Trelawny", measures.MeasureKind.SWEMWBS)
    async with shown_alone(form, db, clock, seen, size=(100, 40)) as pilot:
        app = pilot.app
        # A baseline first; the real wording, the answer words and the copyright shown.
        assert form.query_one("#stage", Select).value == "baseline"
        wording = [text_of(w) for w in form.query(".item-wording").results(Static)]
        assert wording[0].strip() == "1. I've been feeling optimistic about the future"
        assert wording[6].strip() == "7. I've been able to make up my own mind about things"
        legend = text_of(form.query_one(".measure-legend", Static))
        assert "1 none of the time · 2 rarely · 3 some of the time · 4 often" in legend
        assert "5 all of the time" in legend
        copyright_line = text_of(form.query_one(".copyright", Static), width=200).strip()
        assert copyright_line == measures.SWEMWBS_COPYRIGHT
        form.query_one("#taken_on", Input).value = "01/09/2026"
        form.query_one("#answer-optimistic", Input).focus()
        await pilot.press(*"3333334")  # one key per answer: the form moves on by itself
        await pilot.pause()
        assert text_of(form.query_one("#label-own_mind", Static)).strip() == "often"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        [measure_id] = app.results
        # With the baseline on record, the next SWEMWBS form offers the follow-up.
        follow_up = MeasureForm(pid, "Maggie Trelawny", measures.MeasureKind.SWEMWBS)
        app.push_screen(follow_up)
        await pilot.pause()
        assert follow_up.query_one("#stage", Select).value == "follow_up"
    assert any(isinstance(m, CaseloadChanged) and m.person_id == pid for m in seen)
    [row] = db["measures"].rows
    assert (row["id"], row["complete"]) == (measure_id, 1)
    [saved] = outcomes.measure_history(db, pid)
    assert (saved.kind.value, saved.stage.value, saved.taken_on) == (
        "swemwbs",
        "baseline",
        date(2026, 9, 1),
    )
    assert json.loads(row["answers"]) == swemwbs_answers("3333334")
    db.close()


async def test_baseline_and_follow_up_swemwbs_and_ons4_show_the_change(
    store_path: Path, clock: Clock
) -> None:
    # Three measures on record as their forms save them (a SWEMWBS baseline and follow-up,
    # an ONS4 baseline on 1 Sep: the forms alone are the tests either side), then the journey:
    # m, the ONS4 follow-up entered today, and the outcomes page showing every change.
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    sep_1 = date(2026, 9, 1)
    ons4_items = measures.definition("ons4").item_keys
    for kind, stage, day, answers in (
        ("swemwbs", "baseline", sep_1, swemwbs_answers("3333334")),
        ("ons4", "baseline", sep_1, dict(zip(ons4_items, (4, 5, 5, 7), strict=True))),
        ("swemwbs", "follow_up", date(2026, 11, 23), swemwbs_answers("4434344")),
    ):
        outcomes.record_measure(db, pid, kind, stage, day, answers, clock)
    db.close()
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 40), message_hook=seen.append) as pilot:
        await open_person(pilot, pid)
        await _enter_measure(pilot, 0, ["7", "5", "3", "2"], stage="follow_up")
        assert isinstance(app.screen, PersonScreen)

        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.active_tab == "outcomes"
        shown = text_of(app.screen.query_one("#outcomes-page", Static))
        assert "SWEMWBS metric score  19.98     23.21   +3.23 ▲ better  higher" in shown
        assert "Life satisfaction  4 low     7 high    +3 ▲ better  higher" in shown
        assert "Worthwhile         5 medium  5 medium  0 = same     higher" in shown
        assert "Happiness          5 medium  3 low     -2 ▼ worse   higher" in shown
        assert "Anxiety            7 high    2 low     -5 ▲ better  lower" in shown
        assert "1 Sep 26 baseline" in shown and "23 Nov 26 follow-up" in shown
        assert "█" in shown and "░" in shown  # the chart
        assert measures.SWEMWBS_COPYRIGHT in " ".join(shown.split())
    assert any(isinstance(m, CaseloadChanged) and m.person_id == pid for m in seen)
    db = open_store(store_path)
    assert [r["complete"] for r in db["measures"].rows] == [1, 1, 1, 1]
    change = outcomes.latest_change(db, pid, "swemwbs")
    assert change is not None
    assert [(c.baseline, c.latest, c.direction) for c in change.changes] == [
        (19.98, 23.21, "better")
    ]
    stages = [(r.kind.value, r.stage.value, r.taken_on) for r in outcomes.measure_history(db, pid)]
    assert stages == [
        ("swemwbs", "baseline", date(2026, 9, 1)),
        ("ons4", "baseline", date(2026, 9, 1)),
        ("swemwbs", "follow_up", date(2026, 11, 23)),
        ("ons4", "follow_up", date(2026, 11, 23)),
    ]
    db.close()


async def test_out_of_range_answer_names_the_item_and_saves_nothing(
    store_path: Path, clock: Clock, dialog_host: HostDialog
) -> None:
    # The ONS4 form alone (m and the chooser's first line open it on the person screen:
    # test_every_form_opens_and_closes_at_small_and_large_sizes and the baseline test).
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    form = MeasureForm(pid, "Maggie Trelawny", measures.MeasureKind.ONS4)
    async with dialog_host(form, db=db, size=(100, 40)) as pilot:
        app = pilot.app
        assert form.query_one("#stage", Select).value == "baseline"  # none on record yet
        await fill_measure(pilot, ["5", "5", "5", "11"])
        assert app.screen is form
        assert text_of(form.query_one("#label-anxiety", Static)).strip() == "✖ 0-10 only"
        errors = text_of(form.query_one("#form-message", Static), width=300)
        assert (
            '4. On a scale where 0 is "not at all anxious" and 10 is "completely anxious", '
            "overall, how anxious did you feel yesterday?: 11 is out of range (0-10)"
        ) in errors
        assert db["measures"].count == 0
    db.close()


async def test_an_incomplete_swemwbs_asks_then_is_stored_but_not_scored(
    store_path: Path, clock: Clock
) -> None:
    pid = _make_person(store_path, clock)
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 40), message_hook=seen.append) as pilot:
        await open_person(pilot, pid)
        form = await _enter_measure(pilot, 1, ["3", "4", "", "3", "3", "3", "4"])
        assert app.screen is form  # first Save only explains
        errors = text_of(form.query_one("#form-warning", Static), width=200)
        assert "Not answered: item 3 (1 of 7); an incomplete SWEMWBS is stored but NOT scored" in (
            errors
        )
        assert app.db["measures"].count == 0
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("o")
        await pilot.pause()
        shown = text_of(app.screen.query_one("#outcomes-page", Static))
        assert "SWEMWBS incomplete: 1 of 7 items missing, not scored" in shown
    assert any(isinstance(m, CaseloadChanged) and m.person_id == pid for m in seen)
    row = open_store(store_path)["measures"].get(1)
    assert row["complete"] == 0
    assert json.loads(row["scores"])["values"] == {}
    assert json.loads(row["answers"])["relaxed"] is None


async def test_actions_are_ticked_off_from_the_plan(store_path: Path, clock: Clock) -> None:
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    plans.add_goal(
        db,
        pid,
        GoalDetails(description="Walk to the shop"),
        [ActionDetails(description="Borrow a stick"), ActionDetails(description="Go on Tuesday")],
        clock,
    )
    db.close()
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 34)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        page = text_of(app.screen.query_one("#plan-page", Static))
        assert "[x] Borrow a stick: You (done 23 Nov 2026)" in page
        assert "[ ] Go on Tuesday: You" in page


async def test_the_plan_is_written_to_a_named_file_and_never_overwritten_silently(
    store_path: Path, clock: Clock, tmp_path: Path
) -> None:
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    plans.record_conversation(
        db,
        pid,
        ConversationDetails(held_on=date(2026, 11, 20), what_matters="Seeing people"),
        clock,
    )
    db.close()
    target = tmp_path / "maggie-plan.md"
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 34), message_hook=seen.append) as pilot:
        await open_person(pilot, pid)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, WriteFileModal)
        # Suggested as a bare name, which goes in the exports folder beside the store
        # (the field's hint names it), never the current folder.
        exports = store_path.parent / "exports"
        assert modal.query_one("#path", Input).value == "plan-maggie-trelawny-2026-11-23.txt"
        assert str(exports) in str(modal.query_one("#path-hint", Static).render())
        modal.query_one("#path", Input).value = "by-name.txt"  # a name without a folder
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert (exports / "by-name.txt").is_file()
        assert (
            exports.stat().st_mode & 0o777,
            (exports / "by-name.txt").stat().st_mode & 0o777,
        ) == (
            0o700,
            0o600,
        )
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, WriteFileModal)
        modal.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        written = target.read_text()
        assert written.startswith("# My personalised care and support plan")
        assert "Seeing people" in written
        target.write_text("the person's own notes\n")
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, WriteFileModal)
        modal.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal
        assert "already exists: tick 'Replace' or choose another name" in text_of(
            modal.query_one("#path-error", Static), width=300
        )
        assert target.read_text() == "the person's own notes\n"
        modal.query_one("#replace", TickBox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "Seeing people" in target.read_text()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_form_opens_and_closes_at_small_and_large_sizes(
    store_path: Path, clock: Clock, size: tuple[int, int], dialog_host: HostDialog
) -> None:
    # Each form alone, one after another in one host, as the person screen's w, g, v and m
    # (the chooser's first four lines) open them; those keys are the journeys' above.
    pid = _make_person(store_path, clock)
    db = open_store(store_path)
    goal_id = plans.add_goal(db, pid, GoalDetails(description="Sleep better"), [], clock)
    name = "Maggie Trelawny"
    chooser_kinds = [kind for _, kind in measure_choices()][:4]
    forms: list[Screen[Any]] = [
        ConversationForm(pid, name, MAGGIES_REFERRAL["needs"]),
        GoalForm(pid, name),
        GoalReviewForm(goal_id),
        *(MeasureForm(pid, name, kind) for kind in chooser_kinds),
    ]
    async with dialog_host(forms[0], db=db, size=size) as pilot:
        app = pilot.app
        for form in forms:
            if form is not forms[0]:
                app.push_screen(form, app.results.append)
                await pilot.pause()
            assert app.screen is form
            save = form.query_one("#save")
            assert save.region.bottom <= size[1], f"{type(form).__name__}: Save is off the screen"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is not form
        assert app.results == [None] * len(forms)  # each closed, saving nothing
    assert db["measures"].count == 0
    db.close()


async def test_typed_text_is_shown_literally_in_the_plan_area(
    store_path: Path, clock: Clock
) -> None:
    db = open_store(store_path)
    pid = people.add_person(
        db, PersonDetails(given_name="[bold red]Bob[/]", family_name="X"), clock
    )
    stored_raw(db, "people", pid, family_name="\x1b[31mX")
    conversation = plans.record_conversation(
        db,
        pid,
        ConversationDetails(held_on=date(2026, 11, 20), what_matters="[link=http://x]click[/link]"),
        clock,
    )
    stored_raw(
        db, "conversations", conversation, what_matters="[link=http://x]click[/link] \x1b[2J"
    )
    db.close()
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 34)) as pilot:
        person = await open_person(pilot, pid)
        strip = text_of(person.query_one("#person-plan", Static))
        assert "[link=http://x]click[/link] ␛[2J" in strip
        await pilot.press("p")
        await pilot.pause()
        page = text_of(app.screen.query_one("#plan-page", Static))
        assert "Name: [bold red]Bob[/] ␛[31mX" in page
        assert "[link=http://x]click[/link] ␛[2J" in page
        await pilot.press("c")
        await pilot.pause()
        talks = text_of(app.screen.query_one("#conversations-page", Static))
        assert "Conversations with [bold red]Bob[/] ␛[31mX" in talks
