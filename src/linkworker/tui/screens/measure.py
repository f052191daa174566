"""Entering an outcome measure: each item's real wording and answer labels, stage and date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from linkworker import measures, outcomes
from linkworker.tui.dialogs import ChoiceDialog, FormDialog, field_row, typed_date
from linkworker.tui.messages import CaseloadChanged


def measure_choices(
    kinds: Iterable[measures.MeasureKind] = tuple(measures.MeasureKind),
) -> list[tuple[Text | str, measures.MeasureKind]]:
    """The measures a link worker can enter (of ``kinds``), in words."""
    sizes = {
        measures.MeasureKind.ONS4: "4 questions, 0-10",
        measures.MeasureKind.SWEMWBS: "7 statements, 1-5",
        measures.MeasureKind.UCLA3: "3 questions, 1-3",
        measures.MeasureKind.ONS_LONELINESS: "1 question, 5 answers",
        measures.MeasureKind.COLLABORATE: "3 questions, 0-9",
    }
    wanted = set(kinds)
    return [(f"{d.title} ({sizes[k]})", k) for k, d in measures.DEFINITIONS.items() if k in wanted]


class MeasureChooser(ChoiceDialog):
    """Which measure to enter."""

    def __init__(self, kinds: Iterable[measures.MeasureKind] = tuple(measures.MeasureKind)) -> None:
        super().__init__(
            "Enter which measure?", measure_choices(kinds), "Enter picks, Esc cancels."
        )


def legend(item: measures.Item) -> str:
    """Every answer of an item with its code, e.g. '1 none of the time · 2 rarely · ...'."""
    if item.min_value == 0 and item.max_value >= 9 and len(item.answers) == item.max_value + 1:
        # 0-9 and 0-10 scales: the two ends carry the words, the numbers between do not.
        return f"{item.answers[0].label} … {item.answers[-1].label}"
    return " · ".join(f"{a.value} {a.label}" for a in item.answers)


class MeasureForm(FormDialog[int], guide="measure"):
    """One measure: stage, date, and an answer (typed as its number) for each item."""

    def __init__(
        self,
        person_id: int,
        name: str,
        kind: measures.MeasureKind | str,
        stage: measures.Stage | None = None,
        taken_on: date | None = None,
    ) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = name
        self.definition = measures.definition(kind)
        # The stage to start at when a prompt knows what is due (a new episode's baseline).
        self.start_stage = stage
        # The day to start at when a prompt knows it (the day of discharge); else today.
        self.start_day = taken_on

    def heading(self) -> Text:
        return Text(f"{self.definition.title}: {self.person_name}")

    def compose_fields(self) -> ComposeResult:
        d = self.definition
        stage = self.start_stage or outcomes.suggested_stage(self.db, self.person_id, d.kind)
        shared = {i.answers for i in d.items}
        stages = [
            ("Baseline", measures.Stage.BASELINE.value),
            ("Follow-up", measures.Stage.FOLLOW_UP.value),
        ]
        yield field_row(
            "stage",
            "Stage",
            Select(stages, value=stage.value, allow_blank=False, id="stage", compact=True),
        )
        yield field_row(
            "taken_on",
            "Taken on",
            Input(
                typed_date(self.start_day or self.clock.today()),
                id="taken_on",
                compact=True,
                classes="date",
            ),
        )
        yield Static(Text(d.intro), classes="measure-intro")
        if len(shared) == 1 and len(d.items) > 1:
            yield Static(Text("Answers: " + legend(d.items[0])), classes="measure-legend")
        for n, item in enumerate(d.items, start=1):
            with Horizontal(classes="measure-item"):
                yield Static(Text(f"{n}. {item.wording}"), classes="item-wording")
                yield Input(
                    id=f"answer-{item.key}",
                    restrict=r"[0-9]{0,2}",
                    max_length=2,
                    placeholder=f"{item.min_value}-{item.max_value}",
                    compact=True,
                    classes="answer",
                )
                yield Static("", id=f"label-{item.key}", classes="answer-label")
            if len(shared) > 1 or len(d.items) == 1:
                yield Static(Text(legend(item)), classes="measure-legend item-legend")
        if d.copyright:
            yield Static(Text(d.copyright), classes="copyright")

    def focus_first_field(self) -> None:
        first = self.definition.items[0].key
        self.query_one(f"#answer-{first}", Input).focus()

    def _item(self, input_id: str | None) -> measures.Item | None:
        if not input_id or not input_id.startswith("answer-"):
            return None
        return self.definition.item(input_id.removeprefix("answer-"))

    def on_input_changed(self, event: Input.Changed) -> None:
        item = self._item(event.input.id)
        if item is None:
            return
        shown = self.query_one(f"#label-{item.key}", Static)
        text = event.value.strip()
        if not text:
            shown.update("")
            return
        value = int(text)
        if item.min_value <= value <= item.max_value:
            shown.update(Text(item.label_for(value)))
            # One keypress is a whole answer when the scale stops below 10: move on.
            if item.max_value < 10 and event.input.has_focus:
                self.focus_next()
        else:
            shown.update(Text(f"✖ {item.min_value}-{item.max_value} only"))

    def answers(self) -> dict[str, str]:
        return {
            i.key: self.query_one(f"#answer-{i.key}", Input).value for i in self.definition.items
        }

    def _named(self, exc: measures.MeasureError) -> str:
        # "useful: 6 is out of range (1-5)" -> "2. I've been feeling useful: 6 is out of ...".
        about = measures.item_of_error(self.definition.kind, exc)
        if about is None:
            return str(exc)
        n, item, reason = about
        return f"{n}. {item.wording}: {reason}"

    def save(self) -> None:
        d = self.definition
        answers = self.answers()
        missing = tuple(k for k, v in answers.items() if not v.strip())
        if missing and len(missing) < len(d.items):
            numbers = ", ".join(str(d.item_keys.index(k) + 1) for k in missing)
            scored = (
                "the answered items are stored and reported on their own"
                if d.kind is measures.MeasureKind.ONS4
                else f"an incomplete {d.short_title} is stored but NOT scored"
            )
            lines = [
                f"Not answered: item {numbers} ({len(missing)} of {len(d.items)}); {scored}.",
                "Fill them in, or press Save again to store it as incomplete.",
            ]
            if not self.warn_once(missing, lines, "Save incomplete"):
                return
        stage = self.query_one("#stage", Select).value
        try:
            measure_id = outcomes.record_measure(
                self.db,
                self.person_id,
                d.kind,
                str(stage),
                self.query_one("#taken_on", Input).value,
                answers,
                self.clock,
            )
        except measures.MeasureError as exc:
            if exc.item in d.item_keys:
                self.show_errors({"": self._named(exc)})
            else:
                self.show_exception(exc)
            return
        except LookupError as exc:
            self.show_exception(exc)
            return
        complete = not missing
        self.app.post_message(CaseloadChanged(self.person_id))
        self.notify(
            f"{d.short_title} saved" + ("." if complete else " as incomplete (not scored)."),
            title="Measures",
        )
        self.saved(measure_id)
