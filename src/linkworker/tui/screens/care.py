"""The worker's own safety and support in the app: the visit plan, checking in and out,
community work, marking for supervision, supervision sessions and the pack.

Each dialog calls one core function (:mod:`linkworker.lone_working`,
:mod:`linkworker.supervision`, :mod:`linkworker.community`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from linkworker import community, lone_working, supervision
from linkworker.errors import CaseloadError
from linkworker.formats import writer
from linkworker.formats.supervision_pack import pack_file
from linkworker.models import Labelled
from linkworker.models.care import CommunityKind, SupervisionKind
from linkworker.tui.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    FormDialog,
    choice_row,
    date_field,
    field_row,
    text_row,
    whole_number,
)
from linkworker.tui.dialogs.form import ResultT, typed_date
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.reach import ReachesTheApp
from linkworker.tui.screens.plan import WriteFileModal, export_folder

if TYPE_CHECKING:
    from linkworker.tui.app import LinkWorkerApp

PLAN_CHOICES: list[tuple[str, tuple[str, lone_working.Names]]] = [
    ("Copy it, people by initials", ("copy", "initials")),
    ("Copy it, people by full name", ("copy", "full")),
    ("Write it to a file, people by initials", ("file", "initials")),
    ("Write it to a file, people by full name", ("file", "full")),
]


def _tell(screen: ReachesTheApp, text: str, *, warning: bool = False) -> None:
    screen.app.notify(text, severity="warning" if warning else "information", markup=False)


def _visits(found: list[lone_working.Visit]) -> str:
    return "1 visit" if len(found) == 1 else f"{len(found)} visits"


def visit_plan(screen: ReachesTheApp) -> None:
    """Today's visits as a note for the buddy: copied, or written to a file."""
    today = screen.clock.today()
    found = lone_working.visits_on(screen.db, today)

    def chosen(choice: tuple[str, lone_working.Names] | None) -> None:
        if choice is None:
            return
        how, names = choice
        text = lone_working.plan_text(found, today, screen.settings, names)
        if how == "copy":
            screen.app.copy_to_clipboard(text)
            _tell(screen, f"Copied the visit plan ({_visits(found)}): send it to your buddy.")
            return
        name = f"visit-plan-{today.isoformat()}.txt"
        screen.app.push_screen(
            WriteFileModal("visit plan", name, lambda _style: text, hint="Plain text.")
        )

    screen.app.push_screen(
        ChoiceDialog(
            f"Visit plan: {_visits(found)} today",
            PLAN_CHOICES,
            hint="Send it from your own phone. Files go to the export folder unless you "
            "type a folder.",
        ),
        chosen,
    )


def check_visit(screen: ReachesTheApp, followup_id: int) -> bool:
    """Check in to the visit, or out of it when it is checked in (True when done)."""
    try:
        done, found = lone_working.check_in_or_out(screen.db, followup_id, screen.clock)
    except (CaseloadError, LookupError) as exc:
        _tell(screen, str(exc), warning=True)
        return False
    back = found.back_by()
    more = f"; expected back {back:%H:%M}" if done == "checked in" and back else ""
    _tell(screen, f"Visit {done} at {screen.clock.now():%H:%M}{more}.")
    screen.app.post_message(CaseloadChanged())
    return True


def warn_overdue_visits(app: LinkWorkerApp) -> bool:
    """At start: every visit not checked out in time, with a button to check them out now
    (focus on "Not now": Enter alone never tells the record you are safe). True if shown."""
    if app._db is None:
        return False
    now = app.clock.now()
    late = lone_working.overdue_visits(app.db, now, app.settings)
    if not late:
        return False
    title = "A visit was not checked out" if len(late) == 1 else "Visits not checked out"
    how = "here or on Today (k on its line)"
    words = Text(lone_working.overdue_text(late, now, how=how))

    def answered(safe: bool | None) -> None:
        if not safe:
            return
        done = []
        for found in late:
            try:
                done.append(lone_working.check_out(app.db, found.followup_id, app.clock))
            except (CaseloadError, LookupError) as exc:  # checked out meanwhile, elsewhere
                app.notify(str(exc), severity="warning", markup=False)
        if done:
            app.notify(f"{_visits(done).capitalize()} checked out at {app.clock.now():%H:%M}.")
            app.post_message(CaseloadChanged())

    app.push_screen(ConfirmDialog(title, words, "Check out"), answered)
    return True


def mark_task_done(screen: ReachesTheApp, then: Callable[[], None]) -> None:
    """Pick an open supervision task and mark it done (Esc: nothing changes)."""
    today = screen.clock.today()
    tasks = supervision.open_tasks(screen.db)
    if not tasks:
        _tell(screen, "No task from supervision is open.")
        return

    def picked(task_id: int | None) -> None:
        if task_id is None:
            return
        try:
            supervision.task_done(screen.db, task_id, screen.clock)
        except (CaseloadError, LookupError) as exc:
            _tell(screen, str(exc), warning=True)
            return
        _tell(screen, "Supervision task marked done.")
        then()

    choices = [(supervision.task_words(t, today), t.id) for t in tasks]
    screen.app.push_screen(ChoiceDialog("Mark a supervision task done", choices), picked)


class _DayAndKind(FormDialog[ResultT]):
    """A form that opens on a day (today) and a kind, as community work and supervision do."""

    #: (heading, the day's field, its label, the kinds to choose from)
    OPENS: ClassVar[tuple[str, str, str, type[Labelled]]]

    def heading(self) -> Text:
        return Text(self.OPENS[0])

    def compose_fields(self) -> ComposeResult:
        _, day, label, kinds = self.OPENS
        yield text_row(day, label, typed_date(self.lw.clock.today()))
        yield choice_row("kind", "Kind *", kinds.choices(), next(iter(kinds)).value)
        yield from self.compose_more()

    def compose_more(self) -> ComposeResult:
        """The form's fields after the day and the kind."""
        yield from ()

    def day_and_kind(self, values: dict[str, Any]) -> tuple[date, str]:
        """The day typed (a FormError names its field) and the kind chosen."""
        field = self.OPENS[1]
        day = date_field(values.get(field), field)
        assert day is not None  # required: a blank is refused
        return day, str(values.get("kind") or "")


class CommunityWorkDialog(_DayAndKind[community.CommunityWork], guide="community_work"):
    """Log community development time: work that is no one person's case."""

    FIELDS = ("worked_on", "kind", "minutes", "organisation", "note")
    OPENS = ("Community work", "worked_on", "Day *", CommunityKind)

    def compose_more(self) -> ComposeResult:
        yield text_row("minutes", "Minutes *", "", "e.g. 90", integer=True)
        yield text_row("organisation", "Group or organisation", "")
        yield field_row("note", "Note", TextArea(id="note", classes="note"))

    def save(self) -> None:
        v = self.values()

        def write() -> community.CommunityWork:
            day, kind = self.day_and_kind(v)
            minutes = whole_number(v.get("minutes"), "minutes")
            return community.add_work(
                self.lw.db,
                day,
                kind,
                minutes or 0,
                self.lw.clock,
                organisation=v.get("organisation"),
                note=v.get("note"),
            )

        def then(work: community.CommunityWork) -> None:
            self.app.notify(f"Logged {work.minutes} minutes of community work.", markup=False)

        self.save_with(write, then=then)


class SupervisionQuestionDialog(FormDialog[supervision.MarkedCase], guide="supervision_mark"):
    """Mark the person for supervision with the question to bring."""

    FIELDS = ("question",)
    SUBMIT_ON_ENTER = True

    def __init__(self, person_id: int, question: str = "") -> None:
        super().__init__()
        self.person_id = person_id
        self.question = question

    def heading(self) -> Text:
        return Text("For supervision")

    def compose_fields(self) -> ComposeResult:
        box = Input(self.question, id="question", compact=True)
        yield field_row(
            "question", "Your question *", box, hint="The pack names the case, never the person."
        )

    def save(self) -> None:
        question = str(self.value("question") or "")

        def then(case: supervision.MarkedCase) -> None:
            self.app.post_message(CaseloadChanged())
            self.app.notify(f"Marked for supervision as case {case.case_ref}.", markup=False)

        self.save_with(
            lambda: supervision.mark(self.lw.db, self.person_id, question, self.lw.clock),
            then=then,
        )


def mark_for_supervision(screen: ReachesTheApp, person_id: int) -> None:
    """Mark the person for supervision; when they are marked, change the question or unmark."""
    case = supervision.marked_case(screen.db, person_id)
    if case is None:
        screen.app.push_screen(SupervisionQuestionDialog(person_id))
        return

    def chosen(choice: str | None) -> None:
        if choice == "change":
            screen.app.push_screen(SupervisionQuestionDialog(person_id, case.question))
        elif choice == "unmark":
            screen.app.push_screen(
                ConfirmDialog(
                    "For supervision",
                    Text(f"Take case {case.case_ref} off the supervision list?"),
                    "Take it off",
                ),
                unmark,
            )

    def unmark(yes: bool | None) -> None:
        if yes:
            supervision.unmark(screen.db, person_id, screen.clock)
            screen.app.post_message(CaseloadChanged())
            _tell(screen, f"Case {case.case_ref} is no longer for supervision.")

    screen.app.push_screen(
        ChoiceDialog(
            f"Case {case.case_ref}: {case.question}",
            [("Change the question", "change"), ("No longer for supervision", "unmark")],
        ),
        chosen,
    )


def _agreed(text: str | None) -> list[supervision.AgreedAction]:
    """One action a line: '12: phone her GP' is for person 12, any other line a task."""
    found = []
    for line in (text or "").splitlines():
        person, sep, rest = line.partition(":")
        if sep and person.strip().isdigit():
            found.append(supervision.AgreedAction(rest.strip(), int(person)))
        elif line.strip():
            found.append(supervision.AgreedAction(line.strip()))
    return found


class SupervisionSessionDialog(_DayAndKind[supervision.Session], guide="supervision_session"):
    """Record a supervision session and the actions agreed in it."""

    FIELDS = ("held_on", "kind", "supervisor", "note", "actions")
    OPENS = ("Supervision session", "held_on", "Held on *", SupervisionKind)

    def compose_more(self) -> ComposeResult:
        yield text_row("supervisor", "With *", "", "who supervised you")
        yield field_row("note", "Note", TextArea(id="note", classes="note"))
        yield field_row(
            "actions",
            "Actions agreed",
            TextArea(id="actions", classes="note"),
            hint="One a line. '12: phone her GP' books a follow-up for person 12; "
            "any other line is a general task.",
        )

    def save(self) -> None:
        v = self.values()

        def write() -> supervision.Session:
            day, kind = self.day_and_kind(v)
            return supervision.record_session(
                self.lw.db,
                day,
                kind,
                str(v.get("supervisor") or ""),
                _agreed(v.get("actions")),
                self.lw.clock,
                note=v.get("note"),
                nation=self.lw.settings.bank_holidays,
            )

        def then(session: supervision.Session) -> None:
            self.app.post_message(CaseloadChanged())
            self.app.notify(
                f"Recorded; {len(session.actions)} actions agreed.", title="Supervision"
            )

        self.save_with(write, then=then)


def write_pack(screen: ReachesTheApp, period: object) -> None:
    """Write the supervision pack (Markdown, HTML or text by the file's ending)."""
    from linkworker.reports.period import Period
    from linkworker.reports.supervision_pack import supervision_pack

    assert isinstance(period, Period)
    today = screen.clock.today()

    def writes(path: Path, force: bool) -> list[Path]:
        pack = supervision_pack(screen.db, today, period, screen.settings)
        ending = path.suffix.lower().lstrip(".")
        fmt = "md" if ending in ("md", "markdown") else ("html" if ending == "html" else "txt")
        return [writer.write_text(path, pack_file(pack, fmt), force=force)]

    screen.app.push_screen(
        WriteFileModal(
            "supervision pack",
            f"supervision-pack-{today.isoformat()}.md",
            lambda _style: "",
            writes=writes,
            hint=f".md Markdown, .html a printable page, other endings plain text; in "
            f"{export_folder(screen)} unless you type a folder.",
        )
    )
