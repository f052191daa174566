"""Offering a measure when it is due: a baseline at the first contact after acceptance,
CollaboRATE after a planning conversation, a follow-up and CollaboRATE at discharge.

What is due is :func:`linkworker.outcomes_due.due_measures`'s to say; these only ask ("... now?
/ Not now") and open the measure form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from linkworker import measures, outcomes_due, people, referrals
from linkworker.tui.dialogs import ChoiceDialog
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.screens.measure import MeasureChooser, MeasureForm

NOT_NOW = "Not now"
ASK_COLLABORATE = "Ask CollaboRATE now"
HINT = "Enter picks. " + measures.COLLABORATE_ATTRIBUTION


def _name(screen: LinkWorkerScreen, person_id: int) -> str:
    person = people.get_person(screen.db, person_id)
    return f"{person['given_name']} {person['family_name']}"


def _then(after: Callable[[], None] | None) -> None:
    if after is not None:
        after()


def _enter(
    screen: LinkWorkerScreen,
    person_id: int,
    kind: measures.MeasureKind | None,
    after: Callable[[object], None],
    stage: measures.Stage | None = None,
    taken_on: date | None = None,
) -> None:
    """The measure form for ``kind`` (the chooser of outcome measures first when None),
    starting at ``stage`` and dated ``taken_on`` when given; ``after`` gets its result."""
    name = _name(screen, person_id)
    if kind is not None:
        screen.app.push_screen(MeasureForm(person_id, name, kind, stage, taken_on), after)
        return

    def chosen(picked: object) -> None:
        if isinstance(picked, measures.MeasureKind):
            screen.app.push_screen(MeasureForm(person_id, name, picked, stage, taken_on), after)
        else:
            after(None)

    # Outcome measures only: CollaboRATE is asked about a conversation, never as a baseline.
    screen.app.push_screen(MeasureChooser(outcomes_due.OUTCOME_KINDS), chosen)


def offer_collaborate(
    screen: LinkWorkerScreen, person_id: int, after: Callable[[], None] | None = None
) -> None:
    """'Ask CollaboRATE now? / Not now' about the conversation just saved."""

    def picked(choice: object) -> None:
        if choice == "collaborate":
            _enter(screen, person_id, measures.MeasureKind.COLLABORATE, lambda _: _then(after))
        else:
            _then(after)

    screen.app.push_screen(
        ChoiceDialog(
            "Ask CollaboRATE now?",
            [
                (f"{ASK_COLLABORATE} (3 questions about this conversation)", "collaborate"),
                (NOT_NOW, None),
            ],
            HINT,
        ),
        picked,
    )


def offer_baseline(
    screen: LinkWorkerScreen, person_id: int, after: Callable[[], None] | None = None
) -> None:
    """After a contact: offer the outcome measure due (a baseline, or the interval's
    follow-up), when one is; otherwise go straight on to ``after``."""
    due = outcomes_due.due_measures(screen.db, screen.clock.today(), screen.lw.settings, person_id)
    if not due:
        _then(after)
        return

    def picked(choice: object) -> None:
        if choice == "measure":
            stage = measures.Stage.BASELINE if due[0].reason == "baseline" else None
            _enter(screen, person_id, None, lambda _: _then(after), stage)
        else:
            _then(after)

    screen.app.push_screen(
        ChoiceDialog(
            f"Outcomes due: {due[0].words()}",
            [(f"Record a {due[0].short} measure now", "measure"), (NOT_NOW, None)],
            "Enter picks: choose the measure, then its form opens at the stage due.",
        ),
        picked,
    )


def offer_at_discharge(screen: LinkWorkerScreen, person_id: int) -> None:
    """At discharge: a follow-up outcome measure and CollaboRATE, each offered until done
    or put off. Their forms are dated the day of discharge, the last day of the episode
    (a measure is taken in one: outcomes.record_measure), which may be before today."""
    left = ["follow_up", "collaborate"]
    latest = referrals.latest_referral(screen.db, person_id)
    on = latest["discharged_on"] if latest and latest["status"] == "discharged" else None
    day = date.fromisoformat(on[:10]) if on else None

    def offer() -> None:
        choices: list[tuple[str, object]] = []
        if "follow_up" in left:
            choices.append(("Record a follow-up outcome measure now", "follow_up"))
        if "collaborate" in left:
            choices.append((f"{ASK_COLLABORATE} (about the last conversation)", "collaborate"))
        if not choices:
            return
        choices.append((NOT_NOW, None))
        screen.app.push_screen(ChoiceDialog("At discharge: outcomes", choices, HINT), picked)

    def done(result: object) -> None:
        if result is not None:
            offer()

    def picked(choice: object) -> None:
        if not isinstance(choice, str):
            return
        left.remove(choice)
        if choice == "collaborate":
            _enter(screen, person_id, measures.MeasureKind.COLLABORATE, done, taken_on=day)
        else:
            _enter(screen, person_id, None, done, measures.Stage.FOLLOW_UP, day)

    offer()
