"""Working in a team from the app: hand a case over (person screen, H), receive one
(Caseload, H) and merge a colleague's shared knowledge of activities (Directory, K).

Each calls one core function (linkworker.team); a sealed file that cannot be used is shown
beside the file name in the link worker's words, and nothing is taken in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Input

from linkworker import people
from linkworker.display import literal, short_date
from linkworker.errors import CaseloadError
from linkworker.formats.sealed import SealError
from linkworker.people import MATCHED_ON_NHS
from linkworker.store.handed_over import handed_over
from linkworker.team import handover as sending
from linkworker.team import keys
from linkworker.team import receive as receiving
from linkworker.team import shared_knowledge as shared
from linkworker.tui.dialogs import ChoiceDialog, ConfirmDialog, FormDialog, field_row
from linkworker.tui.dialogs.form import FormError, file_path
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.screens.plan import WriteFileModal, export_folder, name_slug
from linkworker.tui.widgets.tables import RowTable
from linkworker.tui.widgets.text import plain

T = TypeVar("T")


class SealedFileDialog(FormDialog[T], Generic[T], guide="open_sealed"):
    """Ask for a sealed file a colleague sent and open it with ``read``; a file that cannot
    be used (changed, for someone else, from a key not kept, already received) is named
    beside the field, and the dialog stays open."""

    SAVE_LABEL = "Open"
    SUBMIT_ON_ENTER = True
    FIELDS = ("path",)

    def __init__(self, title: str, read: Callable[[bytes], T], folder: Path | None = None) -> None:
        super().__init__()
        self.title_words = title
        self.read = read
        self.given_folder = folder

    @property
    def folder(self) -> Path:
        """Where a bare file name is looked for: the export folder unless one is given."""
        return self.given_folder or export_folder(self)

    def heading(self) -> Text:
        return Text(self.title_words)

    def compose_fields(self) -> ComposeResult:
        yield field_row(
            "path",
            "Sealed file",
            Input(placeholder="the file your colleague sent", id="path", compact=True),
            hint=f"A name without a folder is looked for in {self.folder}",
        )

    def save(self) -> None:
        try:
            path = file_path(self.query_one("#path", Input).value, "path", self.folder)
            blob = path.read_bytes()
        except FileNotFoundError:
            self.show_errors({"path": "no such file"})
            return
        except OSError as exc:
            self.show_errors({"path": f"cannot be read ({exc.strerror or exc})"})
            return
        except FormError as exc:
            self.show_exception(exc)
            return
        try:
            result = self.read(blob)
        except (SealError, CaseloadError, LookupError) as exc:
            self.show_errors({"path": str(exc)})
            return
        self.saved(result)


# --- Handing a case over --------------------------------------------------------------------


def hand_over(screen: LinkWorkerScreen, person_id: int, done: Callable[[str], None]) -> None:
    """Choose the colleague (a kept key), confirm (focus on No), then the file to write;
    ``done`` is told what was done."""
    lock = handed_over(screen.db, person_id)
    if lock is not None:
        screen.notify(f"This case was {lock.words()}.", severity="warning", markup=False)
        return
    kept = keys.team_keys(screen.db)
    if not kept:
        screen.notify(
            "No colleague's key is kept yet: add theirs with `linkworker contacts add NAME KEY` "
            "and check its fingerprint with them over the phone.",
            severity="warning",
            markup=False,
        )
        return
    person = people.get_person(screen.db, person_id)
    name = f"{person['given_name']} {person['family_name']}"

    def chosen(to: keys.TeamKey | None) -> None:
        if to is not None:
            _confirm(screen, person_id, name, to, done)

    choices = [(Text(literal(f"{k.name}  ({k.fingerprint})")), k) for k in kept]
    screen.app.push_screen(
        ChoiceDialog(
            "Hand the case over to",
            choices,
            hint="Only colleagues whose keys you kept (and checked over the phone) are here.",
        ),
        chosen,
    )


def _confirm(
    screen: LinkWorkerScreen,
    person_id: int,
    name: str,
    to: keys.TeamKey,
    done: Callable[[str], None],
) -> None:
    def answered(go_ahead: bool | None) -> None:
        if not go_ahead:
            return
        stem = f"handover-{name_slug(name)}-{screen.clock.today().isoformat()}"

        def writes(path: Path, force: bool) -> list[Path]:
            try:
                result = sending.hand_over(
                    screen.db, person_id, to.name, path, screen.clock, force=force
                )
            except (SealError, CaseloadError) as exc:
                raise FormError("path", str(exc)) from exc
            screen.app.post_message(CaseloadChanged(person_id))
            done(result.summary())
            return [result.path]

        screen.app.push_screen(
            WriteFileModal(
                f"handover for {to.name}",
                f"{stem}.sealed",
                lambda _style: "",
                writes=writes,
                hint="Sealed to their key and signed with yours; send it by an approved route.",
            )
        )

    screen.app.push_screen(
        ConfirmDialog(
            f"Hand the case over to {to.name}?",
            Text(
                literal(
                    f"{name}'s whole record (details, referrals, contacts, plans, measures, "
                    f"connections, follow-ups, flags and the change history) is sealed for "
                    f"{to.name}, key fingerprint {to.fingerprint}. Afterwards the record here "
                    "is read-only, marked as handed over; Ctrl+E can still erase it."
                )
            ),
            "Hand over",
            "No",
        ),
        answered,
    )


# --- Receiving a case -----------------------------------------------------------------------


def receive(screen: LinkWorkerScreen, done: Callable[[receiving.ReceivedCase], None]) -> None:
    """Ask for the file, open it, ask merge or new when someone on record matches, take it in."""

    def opened(read: receiving.ReadHandover | None) -> None:
        if read is None:
            return
        if not read.matches:
            _take_in(screen, read, None, done)
            return
        choices: list[tuple[Text | str, Any]] = [
            (Text(literal(f"The same person: add it to {m.name} (id {m.person_id}), "
                          f"same {m.matched_on}")), m.person_id)
            for m in read.matches
        ]  # fmt: skip
        if not any(m.matched_on == MATCHED_ON_NHS for m in read.matches):
            choices.append(("Someone else: add them as a new person", "new"))
        screen.app.push_screen(
            ChoiceDialog(
                f"{literal(read.name)} may already be on record",
                choices,
                hint=f"From {literal(read.opened.sender_name)}. Esc takes nothing in.",
            ),
            lambda choice: None if choice is None else _take_in(screen, read, choice, done),
        )

    screen.app.push_screen(
        SealedFileDialog(
            "Receive a case handed over to you",
            lambda blob: receiving.read_handover(screen.db, blob, screen.clock),
        ),
        opened,
    )


def _take_in(
    screen: LinkWorkerScreen,
    read: receiving.ReadHandover,
    choice: int | str | None,
    done: Callable[[receiving.ReceivedCase], None],
) -> None:
    try:
        result = receiving.receive_handover(
            screen.db,
            read,
            screen.clock,
            merge_into=choice if isinstance(choice, int) else None,
            as_new=choice == "new",
        )
    except (SealError, CaseloadError, LookupError) as exc:
        screen.notify(f"Nothing taken in: {exc}", severity="error", markup=False)
        return
    screen.app.post_message(CaseloadChanged(result.person_id))
    done(result)


# --- Merging shared knowledge of activities -------------------------------------------------


def merge_knowledge(screen: LinkWorkerScreen, done: Callable[[str], None]) -> None:
    """Open a colleague's shared file, show what would change, apply after a yes (on No)."""

    def opened(plan: shared.MergePlan | None) -> None:
        if plan is None:
            return
        if not plan.winning:
            sender = literal(plan.opened.sender_name)
            done(f"Nothing of {sender}'s is newer than yours: nothing changed.")
            return
        screen.app.push_screen(
            MergeKnowledgeDialog(plan), lambda yes: _apply(screen, plan, done) if yes else None
        )

    screen.app.push_screen(
        SealedFileDialog(
            "Merge a colleague's knowledge of activities",
            lambda blob: shared.plan_merge(screen.db, blob, screen.clock),
        ),
        opened,
    )


class MergeKnowledgeDialog(ConfirmDialog):
    """The changes a colleague's file would make, as a table (activity, field, theirs,
    yours, which wins), and whether to apply the newer ones; focus starts on No."""

    def __init__(self, plan: shared.MergePlan) -> None:
        sender = plan.opened.sender_name
        words = f"From {sender}, written {short_date(plan.opened.created_at)}. "
        words += "Per activity and field the newer dated value wins; a tie keeps yours."
        if plan.unknown:
            words += f" {len(plan.unknown)} of their activities are not in your directory."
        super().__init__(
            f"Merge what {sender} knows of activities?",
            plain(words),
            f"Apply {len(plan.winning)} changes",
            "No",
        )
        self.plan = plan

    def compose_body(self) -> ComposeResult:
        yield from super().compose_body()
        yield RowTable(id="knowledge-changes", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#knowledge-changes", DataTable)
        heading, *rows = shared.change_table(self.plan, width=20)
        # Which wins beside the field, so it shows at 80 columns; the values scroll.
        order = (0, 1, 4, 2, 3)
        for i in order:
            table.add_column(heading[i].capitalize(), key=heading[i])
        for n, row in enumerate(rows):
            table.add_row(*(plain(row[i]) for i in order), key=str(n))
        super().on_mount()


def _apply(screen: LinkWorkerScreen, plan: shared.MergePlan, done: Callable[[str], None]) -> None:
    try:
        count = shared.apply_merge(screen.db, plan, screen.clock)
    except (SealError, ValueError) as exc:
        screen.notify(f"Nothing merged: {exc}", severity="error", markup=False)
        return
    screen.app.post_message(CaseloadChanged(None))
    done(f"Merged {count} fields from {literal(plan.opened.sender_name)}.")
