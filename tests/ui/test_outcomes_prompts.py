"""Outcomes never forgotten, on screen: the person's strip says what is due, CollaboRATE is
offered after a planning conversation and at discharge, a baseline after a contact."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from tests.factories import open_store
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from linkworker import measures, outcomes, referrals
from linkworker.clock import Clock
from linkworker.models import DischargeReason
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ChoiceDialog
from linkworker.tui.screens.measure import MeasureChooser, MeasureForm
from linkworker.tui.screens.measure_prompts import (
    offer_at_discharge,
    offer_baseline,
    offer_collaborate,
)
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.plan import outcomes_view

import factories
from pilots import fill_measure, open_person

#: The day the person of the discharge test was discharged, three days before TODAY.
DISCHARGED_ON = date(2026, 11, 20)


def _accepted(path: Path, clock: Clock) -> int:
    return factories.build_in(path, factories.add_person_with_referral, clock, status="accepted")[0]


def _text(renderable: Any, width: int = 120) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@asynccontextmanager
async def _on_the_person(
    store_path: Path, clock: Clock, build: Callable[[Any, Clock], int] | None = None
) -> AsyncIterator[tuple[Pilot[Any], PersonScreen, int]]:
    """The app on the person screen of someone ``build`` puts in the store (by default
    someone accepted with no measure taken)."""
    if build is None:
        pid = _accepted(store_path, clock)
    else:
        pid = factories.build_in(store_path, build, clock)
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        yield pilot, await open_person(pilot, pid), pid


async def test_collaborate_offered_after_a_conversation_is_recorded_with_its_wording(
    store_path: Path, clock: Clock
) -> None:
    async with _on_the_person(store_path, clock) as (pilot, person, pid):
        app = pilot.app
        strip = _text(person.query_one("#person-plan", Static).content)
        assert "Outcomes due: baseline · Plan:" in strip
        offer_collaborate(person, pid)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog) and dialog.title_text == "Ask CollaboRATE now?"
        assert [c[1] for c in dialog.choices] == ["collaborate", None]
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeasureForm)
        shown = " ".join(_text(s.content, 200) for s in form.query(Static))
        for item in measures.definition("collaborate").items:
            assert item.wording in shown
        assert "0 No effort was made … 9 Every effort was made" in shown
        assert measures.COLLABORATE_ATTRIBUTION in shown
        await fill_measure(pilot, ["9", "9", "9"])
        assert isinstance(app.screen, PersonScreen)
        db = open_store(store_path)
        [record] = outcomes.measure_history(db, pid, "collaborate")
        assert record.score.values == {"mean": 9.0, "top_score": 1.0}
        # The outcomes view shows it with the other measures, attribution beside it.
        view = _text(outcomes_view(outcomes.outcome_summary(db, pid)))
        db.close()
        assert "CollaboRATE: involvement in the conversation" in view
        assert "CollaboRATE mean" in view and "9 top score" in view
        assert measures.COLLABORATE_ATTRIBUTION in view
        strip = _text(app.screen.query_one("#person-plan", Static).content)
        assert "Outcomes due: baseline" in strip  # CollaboRATE is not an outcome baseline
        assert measures.COLLABORATE_ATTRIBUTION in strip


async def test_a_baseline_is_offered_after_a_contact_and_not_now_leaves_it_due(
    store_path: Path, clock: Clock
) -> None:
    async with _on_the_person(store_path, clock) as (pilot, person, pid):
        app = pilot.app
        went_on: list[bool] = []
        offer_baseline(person, pid, lambda: went_on.append(True))
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert dialog.title_text.startswith("Outcomes due: Baseline measure due (accepted")
        await pilot.press("down", "enter")  # Not now
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen) and went_on == [True]
        offer_baseline(person, pid, lambda: went_on.append(True))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeasureChooser)
        await pilot.press("down", "down", "enter")  # UCLA3
        await pilot.pause()
        await fill_measure(pilot, ["1", "2", "3"])
        assert isinstance(app.screen, PersonScreen) and went_on == [True, True]
        strip = _text(app.screen.query_one("#person-plan", Static).content)
        assert "Outcomes due" not in strip
        # Nothing due: no question, straight on.
        offer_baseline(person, pid, lambda: went_on.append(True))
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen) and went_on == [True, True, True]


async def test_at_discharge_each_of_follow_up_and_collaborate_is_offered_until_done(
    store_path: Path, clock: Clock
) -> None:
    async with _on_the_person(store_path, clock) as (pilot, person, pid):
        app = pilot.app
        offer_at_discharge(person, pid)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog) and dialog.title_text == "At discharge: outcomes"
        assert [c[1] for c in dialog.choices] == ["follow_up", "collaborate", None]
        await pilot.press("down", "enter")
        await pilot.pause()
        await fill_measure(pilot, ["7", "8", "9"])
        again = app.screen
        assert isinstance(again, ChoiceDialog)
        assert [c[1] for c in again.choices] == ["follow_up", None]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
    db = open_store(store_path)
    [record] = outcomes.measure_history(db, pid, "collaborate")
    db.close()
    assert record.score.summary == "CollaboRATE mean 8 of 9, not the top score"


def _second_episode(db: Any, clock: Clock) -> int:
    """Someone whose earlier episode had a baseline, accepted again today with none."""
    pid, old = factories.add_person_with_referral(db, clock, status="discharged")
    answers = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 4, "anxiety": 6}
    outcomes.record_measure(
        db, pid, "ons4", "baseline", factories.RECEIVED, answers, clock, referral_id=old
    )
    factories.add_referral(db, pid, clock, status="accepted", on=factories.TODAY)
    return pid


async def test_a_new_episode_s_baseline_opens_at_baseline_with_outcome_measures_only(
    store_path: Path, clock: Clock
) -> None:
    async with _on_the_person(store_path, clock, _second_episode) as (pilot, person, pid):
        app = pilot.app
        offer_baseline(person, pid)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, MeasureChooser)
        assert [c[1].value for c in chooser.choices] == [
            "ons4",
            "swemwbs",
            "ucla3",
            "ons_loneliness",
        ]
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeasureForm)
        # ONS4 was taken before, in another episode: this one's baseline is what is due.
        assert form.query_one("#stage", Select).value == "baseline"


def _discharged_three_days_ago(db: Any, clock: Clock) -> int:
    """Someone accepted and discharged on 20 Nov 2026 (today is 23 Nov), with a baseline."""
    pid, rid = factories.add_person_with_referral(db, clock, status="accepted")
    answers = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 4, "anxiety": 6}
    outcomes.record_measure(db, pid, "ons4", "baseline", factories.RECEIVED, answers, clock)
    referrals.discharge(db, rid, DISCHARGED_ON, DischargeReason.GOALS_MET, "Met", clock)
    return pid


async def test_at_discharge_the_forms_are_dated_the_day_of_discharge(
    store_path: Path, clock: Clock
) -> None:
    """A measure is taken in an episode: one discharged on an earlier day than today is
    offered its follow-up and CollaboRATE dated that day, and they are saved."""
    build = _discharged_three_days_ago
    async with _on_the_person(store_path, clock, build) as (pilot, person, pid):
        app = pilot.app
        offer_at_discharge(person, pid)
        await pilot.pause()
        await pilot.press("down", "enter")  # CollaboRATE
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeasureForm)
        assert form.query_one("#taken_on", Input).value == "20/11/2026"
        await fill_measure(pilot, ["9", "9", "9"])
        assert isinstance(app.screen, ChoiceDialog)  # saved: the follow-up is offered next
        await pilot.press("enter")  # the follow-up outcome measure
        await pilot.pause()
        await pilot.press("enter")  # ONS4
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MeasureForm)
        assert form.query_one("#taken_on", Input).value == "20/11/2026"
        await fill_measure(pilot, ["7", "7", "7", "2"])
        assert isinstance(app.screen, PersonScreen)
    db = open_store(store_path)
    taken = [(r.kind.value, r.stage.value, r.taken_on) for r in outcomes.measure_history(db, pid)]
    db.close()
    assert ("collaborate", "baseline", DISCHARGED_ON) in taken
    assert ("ons4", "follow_up", DISCHARGED_ON) in taken
