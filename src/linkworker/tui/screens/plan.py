"""The person's plan area: the plan as one page, every conversation, and outcomes over time.

Three tabs (Plan / Conversations / Outcomes) over the same person; the forms for
conversations, goals, reviews and measures open from here and from the person screen, through
the ``start_*`` functions below so both screens behave the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Static, TabbedContent, TabPane

from linkworker import measures, outcomes, outcomes_due, people, plans, referrals, supervision
from linkworker.display import literal, short_date, table_date
from linkworker.formats import writer
from linkworker.tui.dialogs import ChoiceDialog, FormDialog, FormError, field_row, file_path
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.reach import ReachesTheApp
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.screens.conversation import ConversationForm
from linkworker.tui.screens.goal import GoalForm, GoalReviewForm
from linkworker.tui.screens.measure import MeasureChooser, MeasureForm
from linkworker.tui.screens.measure_prompts import offer_collaborate
from linkworker.tui.screens.reports import default_export_dir
from linkworker.tui.widgets.choices import TickBox
from linkworker.tui.widgets.keys_footer import KeysFooter

# --- Opening the forms (shared by the person screen and the plan area) ---------------------


def _name(screen: LinkWorkerScreen, person_id: int) -> str:
    person = people.get_person(screen.db, person_id)
    return f"{person['given_name']} {person['family_name']}"


def start_conversation(screen: LinkWorkerScreen, person_id: int) -> None:
    """Open the conversation form (needs ticked from the latest referral to start with)."""
    referral = referrals.latest_referral(screen.db, person_id)
    needs: list[str] = []
    if referral is not None:
        try:
            needs = [str(n) for n in json.loads(referral["needs"] or "[]")]
        except (json.JSONDecodeError, TypeError):
            needs = []

    def saved(conversation_id: object) -> None:
        if isinstance(conversation_id, int):
            offer_collaborate(screen, person_id)

    screen.app.push_screen(ConversationForm(person_id, _name(screen, person_id), needs), saved)


def start_goal(screen: LinkWorkerScreen, person_id: int) -> None:
    """Open the new-goal form."""
    screen.app.push_screen(GoalForm(person_id, _name(screen, person_id)))


def start_review(screen: LinkWorkerScreen, person_id: int) -> None:
    """Review a goal: straight to the form when only one is open, else choose which."""
    open_goals = plans.goals(screen.db, person_id, open_only=True)
    if not open_goals:
        screen.notify("No open goals to review. Press g to agree a goal.", title="Plan")
        return
    if len(open_goals) == 1:
        screen.app.push_screen(GoalReviewForm(open_goals[0].id))
        return
    choices: list[tuple[Text | str, object]] = []
    for goal in open_goals:
        due = f" (review {short_date(goal.review_on)})" if goal.review_on else ""
        choices.append((Text(literal(goal.description) + due), goal.id))

    def chosen(goal_id: object) -> None:
        if isinstance(goal_id, int):
            screen.app.push_screen(GoalReviewForm(goal_id))

    screen.app.push_screen(ChoiceDialog("Review which goal?", choices), chosen)


def start_action_done(screen: LinkWorkerScreen, person_id: int) -> None:
    """Tick an action off (or untick one marked done by mistake)."""
    choices: list[tuple[Text | str, object]] = []
    for goal in plans.goals(screen.db, person_id, open_only=True):
        for action in goal.actions:
            done = action.done_on
            state = f"[x] done {short_date(done)}: " if done else "[ ] to do: "
            due = f", by {short_date(action.due_on)}" if action.due_on else ""
            label = Text(state + literal(f"{action.description} ({action.who}{due})"))
            label.append(literal(f"  · goal: {goal.description}"), style="dim")
            choices.append((label, (action.id, action.done_on is None)))
    if not choices:
        screen.notify("No actions on open goals.", title="Plan")
        return

    def chosen(picked: object) -> None:
        if not isinstance(picked, tuple):
            return
        action_id, done = picked
        try:
            plans.set_action_done(screen.db, action_id, screen.clock, done=done)
        except (FormError, plans.PlanError, LookupError) as exc:
            screen.notify(str(exc), title="Plan", severity="error")
            return
        screen.app.post_message(CaseloadChanged(person_id))
        screen.notify("Action marked done." if done else "Action marked not done.", title="Plan")
        refresh = getattr(screen, "reload", None)
        if callable(refresh):
            refresh()

    screen.app.push_screen(
        ChoiceDialog(
            "Mark which action done?",
            choices,
            "Enter marks a to-do action done today; a done one goes back to to-do.",
        ),
        chosen,
    )


def start_measure(screen: LinkWorkerScreen, person_id: int) -> None:
    """Choose a measure, then enter it."""
    name = _name(screen, person_id)

    def chosen(kind: object) -> None:
        if isinstance(kind, measures.MeasureKind):
            screen.app.push_screen(MeasureForm(person_id, name, kind))

    screen.app.push_screen(MeasureChooser(), chosen)


# --- Showing documents ---------------------------------------------------------------------

#: The steps of the plan a worker starts from the person or the plan screen (the keys'
#: ``plan_step('goal')``), each opening its dialog for the person.
PLAN_STEPS: dict[str, Callable[[LinkWorkerScreen, int], None]] = {
    "conversation": start_conversation,
    "goal": start_goal,
    "review": start_review,
    "action_done": start_action_done,
    "measure": start_measure,
}


_UNDERLINE = re.compile(r"^(=+|-+)$")


def document(text: str) -> Text:
    """A plain-text document from the core shown with its headings in bold (text stays literal)."""
    lines = text.rstrip("\n").split("\n")
    out = Text()
    skip = False
    for n, line in enumerate(lines):
        if skip:
            skip = False
            continue
        following = lines[n + 1] if n + 1 < len(lines) else ""
        is_heading = bool(_UNDERLINE.match(following)) and len(following) == len(line)
        if out:
            out.append("\n")
        if is_heading:
            style = "bold underline" if following.startswith("=") else "bold"
            out.append(line, style=style)
            skip = True
        else:
            out.append(line)
    return out


_SHORT_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Worthwhile",
    "happiness": "Happiness",
    "anxiety": "Anxiety",
    "metric": "SWEMWBS metric score",
    "total": "UCLA-3 total",
    "lonely": "How often lonely",
    "mean": "CollaboRATE mean",
}


def _value(summary: outcomes.MeasureSummary, name: str, value: float | None, band: str) -> Text:
    shown = outcomes.format_value(summary.kind, name, value)
    return Text(f"{shown} {band}".strip() if value is not None else shown)


def outcomes_view(summaries: list[outcomes.MeasureSummary]) -> RenderableType:
    """Per measure: baseline, latest, change with the better direction in words, and a chart."""
    if not summaries:
        return Text("No measures recorded yet. Press m to enter one.")
    parts: list[RenderableType] = []
    for s in summaries:
        head = Text(s.title, style="bold")
        when = s.when_taken()
        if when:
            head.append("\n" + " · ".join(when), style="")
        parts.append(head)
        table = Table(box=None, padding=(0, 1), show_edge=False, pad_edge=False)
        table.add_column("Score")
        table.add_column("Baseline")
        table.add_column("Latest")
        table.add_column("Change")
        table.add_column("Better if", no_wrap=True)
        for row in s.rows:
            table.add_row(
                Text(_SHORT_LABELS.get(row.name, row.label)),
                _value(s, row.name, row.baseline, row.baseline_band),
                _value(s, row.name, row.latest, row.latest_band),
                Text(outcomes.change_words(row, s.kind) or "-"),
                Text(row.better.replace(" is better", "")),
            )
        parts.append(table)
        if s.note:
            parts.append(Text(s.note, style="italic"))
        parts.append(_chart(s))
        if s.copyright:
            parts.append(Text(s.copyright, style="dim"))
        parts.append(Text(""))
    return Group(*parts)


def _chart(s: outcomes.MeasureSummary) -> Table:
    """Each score over time: a bar on the measure's whole scale, then the value."""
    low, high = s.scale
    many = len(s.rows) > 1
    width = 6 if many else 20
    chart = Table(box=None, padding=(0, 1), show_edge=False, pad_edge=False)
    chart.add_column(f"Over time ({low}-{high})", no_wrap=True)
    for row in s.rows:
        chart.add_column(_SHORT_LABELS.get(row.name, row.label) if many else "", no_wrap=not many)
    for record in s.history:
        cells: list[Text] = [Text(f"{table_date(record.taken_on)} {record.stage_label}")]
        if not record.score.values:
            cells.append(Text(record.score.summary, style="italic"))
            cells += [Text("")] * (len(s.rows) - 1)
        else:
            for row in s.rows:
                value = record.score.values.get(row.name)
                if value is None:
                    cells.append(Text("not answered", style="italic"))
                else:
                    cells.append(
                        Text(
                            f"{outcomes.bar(value, low, high, width)} "
                            f"{outcomes.format_value(s.kind, row.name, value)}"
                        )
                    )
        chart.add_row(*cells)
    return chart


def plan_strip(screen: LinkWorkerScreen, person_id: int) -> RenderableType:
    """Two lines for the person screen: the latest 'what matters', and the plan and measures."""
    db = screen.db
    latest = plans.latest_conversation(db, person_id)
    first = Text(no_wrap=True, overflow="ellipsis")
    if latest is None:
        first.append("No 'what matters' conversation yet: press w to record one.")
    else:
        first.append(f"What matters ({short_date(latest.held_on)}): ", style="bold")
        first.append(literal(latest.what_matters or "-"))
    open_goals = plans.goals(db, person_id, open_only=True)
    to_do = sum(1 for g in open_goals for a in g.actions if a.done_on is None)
    reviews = sorted(g.review_on for g in open_goals if g.review_on)
    second = Text(no_wrap=True, overflow="ellipsis")
    case = supervision.marked_case(db, person_id)
    if case is not None:
        # First on the line, so no width cuts it off (S changes or removes it).
        second.append(f"For supervision {case.case_ref}", style="bold reverse")
        second.append(" · ")
    due = outcomes_due.due_measures(db, screen.clock.today(), screen.lw.settings, person_id)
    if due:
        # First on the line, so no width cuts it off.
        second.append(f"Outcomes due: {due[0].short}", style="bold reverse")
        second.append(" · ")
    second.append("Plan: ", style="bold")
    second.append(f"{len(open_goals)} open goal{'s' if len(open_goals) != 1 else ''}")
    if reviews:
        second.append(f", review {table_date(reviews[0])}")
    second.append(f", {to_do} action{'s' if to_do != 1 else ''} to do")
    history = outcomes.measure_history(db, person_id)
    second.append(" · ")
    second.append("Measures: ", style="bold")
    if history:
        kinds = {r.kind for r in history}
        titles = [measures.DEFINITIONS[k].short_title for k in measures.MeasureKind if k in kinds]
        second.append(" ".join(titles) + f", last {table_date(history[-1].taken_on)}")
    else:
        second.append("none yet")
    lines: list[RenderableType] = [first, second]
    shown = {r.kind for r in history}
    for kind in (measures.MeasureKind.SWEMWBS, measures.MeasureKind.COLLABORATE):
        notice = measures.DEFINITIONS[kind].copyright
        if kind in shown and notice:
            lines.append(Text(notice, style="dim"))
    return Group(*lines)


# --- Writing a document to a file ----------------------------------------------------------


def name_slug(text: str) -> str:
    """A person's name as it goes into a file name: 'joan-smith'."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "person"


#: Writes a document to the path typed (replacing a file only when ``force``); returns the
#: files written. The subject access export writes two (JSON and Markdown beside it).
Writes = Callable[[Path, bool], list[Path]]


def export_folder(screen: ReachesTheApp) -> Path:
    """Where a file is written unless a folder is typed: the Reports screen's default
    export folder (`exports` beside the store), never the current folder."""

    return default_export_dir(screen.lw.store_path)


def signed(screen: LinkWorkerScreen) -> str | None:
    """The worker's name and how to reach them (settings), or None for the line to fill in
    by hand."""
    lines = screen.lw.settings.sign_off()
    return " · ".join(lines) if lines else None


def plan_render(
    db: Database, person_id: int, today: date, contact_line: str | None
) -> Callable[[str], str]:
    """The plan as a file holds it (signed with ``contact_line``): Markdown for the
    "markdown" style, otherwise text."""

    def render(style: str) -> str:
        if style == "markdown":
            return plans.plan_markdown(db, person_id, today, contact_line)
        return plans.plan_text(db, person_id, today, contact_line)

    return render


class WriteFileModal(FormDialog[Path], guide="write_file"):
    """Ask for a file name and write a document there; an existing file is never replaced
    unless the box is ticked. A name without a folder goes in the export folder."""

    SAVE_LABEL = "Write"
    SUBMIT_ON_ENTER = True

    def __init__(
        self,
        what: str,
        suggested: str,
        render: Callable[[str], str],
        *,
        writes: Writes | None = None,
        hint: str = ".md: Markdown; any other ending: plain text.",
    ) -> None:
        super().__init__()
        self.what = what
        self.suggested = suggested
        self.render_document = render
        self.writes = writes
        self.hint = hint

    @property
    def folder(self) -> Path:
        """Where a bare name goes: the exports folder beside the store, never the folder
        linkworker happened to be started in (unless the worker types a path there)."""
        return export_folder(self)

    def heading(self) -> Text:
        return Text(f"Write the {self.what} to a file")

    def compose_fields(self) -> ComposeResult:
        yield field_row(
            "path",
            "File name",
            Input(self.suggested, id="path", compact=True),
            hint=f"{self.hint} A name without a folder is written in {self.folder}",
        )
        yield TickBox("Replace the file if it already exists", id="replace", compact=True)

    def _write(self, path: Path, force: bool) -> list[Path]:
        if self.writes is not None:
            return self.writes(path, force)
        style = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
        return [writer.write_text(path, self.render_document(style), force=force)]

    def save(self) -> None:
        try:
            path = file_path(self.query_one("#path", Input).value, "path", self.folder)
            if path.parent == self.folder:
                writer.make_folder(self.folder, parents=True)
            written = self._write(path, self.query_one("#replace", TickBox).value)
        except writer.TargetExistsError as exc:
            taken = f"{exc.path} already exists"
            self.show_errors({"path": f"{taken}: tick 'Replace' or choose another name"})
            return
        except writer.ExportError as exc:
            self.show_errors({"path": str(exc)})
            return
        except (FormError, plans.PlanError, LookupError) as exc:
            self.show_exception(exc)
            return
        self.notify("Wrote " + " and ".join(str(p) for p in written), title="Saved", markup=False)
        self.saved(written[0])


# --- The plan area -------------------------------------------------------------------------

TABS = {"plan": "plan-tab", "conversations": "conversations-tab", "outcomes": "outcomes-tab"}


class PlanScreen(LinkWorkerScreen, guide="plan"):
    """Plan / Conversations / Outcomes for one person."""

    def __init__(self, person_id: int, tab: str = "plan") -> None:
        super().__init__()
        self.person_id = person_id
        self.initial_tab = TABS.get(tab, "plan-tab")

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.initial_tab, id="plan-tabs"):
            with TabPane("Plan", id="plan-tab"), VerticalScroll(classes="document"):
                yield Static(id="plan-signoff")
                yield Static(id="plan-page")
            with (
                TabPane("Conversations", id="conversations-tab"),
                VerticalScroll(classes="document"),
            ):
                yield Static(id="conversations-page")
            with TabPane("Outcomes", id="outcomes-tab"), VerticalScroll(classes="document"):
                yield Static(id="outcomes-page")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._focus_document()

    def reload(self) -> None:
        """Read the plan, the conversations and the measures again."""
        today = self.clock.today()
        self.query_one("#plan-page", Static).update(
            document(plans.plan_text(self.db, self.person_id, today, signed(self)))
        )
        self.query_one("#plan-signoff", Static).update(signoff_line(self.db, self.person_id))
        self.query_one("#conversations-page", Static).update(
            document(plans.conversations_text(self.db, self.person_id))
        )
        self.query_one("#outcomes-page", Static).update(
            outcomes_view(outcomes.outcome_summary(self.db, self.person_id))
        )
        self.sub_title = literal(_name(self, self.person_id))

    def _focus_document(self) -> None:
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            pane.query_one(VerticalScroll).focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self._focus_document)

    @property
    def active_tab(self) -> str:
        active = self.query_one(TabbedContent).active
        return next((k for k, v in TABS.items() if v == active), "plan")

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = TABS[tab]
        self._focus_document()

    def action_write(self) -> None:
        """Write the tab in front to a file the user names."""
        person = people.get_person(self.db, self.person_id)
        today = self.clock.today()
        slug = name_slug(f"{person['given_name']} {person['family_name']}")
        tab = self.active_tab
        render: Callable[[str], str]
        if tab == "plan":
            render = plan_render(self.db, self.person_id, today, signed(self))
            what = "plan"
        elif tab == "conversations":

            def render(style: str) -> str:
                return plans.conversations_text(
                    self.db, self.person_id, "markdown" if style == "markdown" else "text"
                )

            what = "conversations"
        else:

            def render(style: str) -> str:
                text = outcomes.outcomes_text(self.db, self.person_id, today)
                return f"```\n{text}```\n" if style == "markdown" else text

            what = "outcomes"
        suggested = f"{what}-{slug}-{today.isoformat()}.txt"
        self.app.push_screen(WriteFileModal(what, suggested, render))

    def action_plan_step(self, step: str) -> None:
        """Record a conversation, agree a goal, review one, mark an action done or enter a
        measure (:data:`PLAN_STEPS`)."""
        PLAN_STEPS[step](self, self.person_id)

    def action_sign_off(self) -> None:
        """Sign the plan off against the five PCSP criteria."""
        from linkworker.tui.screens.plan_signoff import SignOffDialog

        def done(signed: int | None) -> None:
            if signed is not None:
                self.reload()
                self.app.post_message(CaseloadChanged(self.person_id))
                self.notify("The plan is signed off.", title="Plan", markup=False)

        self.app.push_screen(SignOffDialog(self.person_id), done)

    def action_person_copy(self) -> None:
        """Write the plan the person holds, as their information needs say."""
        from linkworker.tui.screens.plan_signoff import write_person_copy

        write_person_copy(self, self.person_id, name_slug(_name(self, self.person_id)))

    def action_back(self) -> None:
        self.app.pop_screen()


def signoff_line(db: Database, person_id: int) -> Text:
    """Where the plan stands against the five PCSP criteria, above the plan page."""
    latest = plans.latest_signoff(db, person_id)
    if latest is None:
        return Text("○ Not signed off yet: k ticks the five PCSP criteria; h writes their copy.\n")
    mark = "✓" if latest.complete else "◐"
    return Text(f"{mark} {latest.words()}. k signs off again; h writes their copy.\n")


def open_plan(screen: Screen[object], person_id: int, tab: str = "plan") -> None:
    """Open the plan area on one of its tabs."""
    screen.app.push_screen(PlanScreen(person_id, tab))
