"""What the person screen hands out: the GP message (to a file or the clipboard), the plan
to a file, the subject access export, and the "did they go?" question on a connection.

Files are written by :mod:`linkworker.formats.writer` through the one
:class:`~linkworker.tui.screens.plan.WriteFileModal`: in the Reports screen's export folder
unless a folder is typed, never replacing a file unless the worker ticks Replace.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text

from linkworker import directory, people
from linkworker.display import label, literal, short_date
from linkworker.models import ConnectionKind
from linkworker.tui.dialogs import ChoiceDialog, ConfirmDialog
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.screens.plan import (
    WriteFileModal,
    export_folder,
    name_slug,
    plan_render,
    signed,
)

#: (what the "Save or copy" list shows, the person screen's action)
SAVE_OR_COPY: list[tuple[str, str]] = [
    ("Message to the GP: copy to the clipboard", "copy_gp_message_now"),
    ("Message to the GP: write to a file", "write_gp_message_now"),
    ("The plan: write to a file", "write_plan"),
    ("Subject access export (identifiable): write to files", "subject_access"),
]


def file_stem(screen: LinkWorkerScreen, person_id: int, what: str) -> str:
    """'gp-message-joan-smith-2026-11-23': what, whose and when, for a file name."""
    person = people.get_person(screen.db, person_id)
    who = name_slug(f"{person['given_name']} {person['family_name']}")
    return f"{what}-{who}-{screen.clock.today().isoformat()}"


def write_text(screen: LinkWorkerScreen, person_id: int, what: str, name: str, text: str) -> None:
    """Ask for a file name (``name``-person-date.txt in the export folder, unless changed) and
    write ``text`` there; ``what`` is what the dialog calls it."""
    stem = file_stem(screen, person_id, name)
    screen.app.push_screen(WriteFileModal(what, f"{stem}.txt", lambda _style: text))


def write_plan(screen: LinkWorkerScreen, person_id: int) -> None:
    """The plan as the person reads it, to a text or Markdown file."""
    render = plan_render(screen.db, person_id, screen.clock.today(), signed(screen))
    stem = file_stem(screen, person_id, "plan")
    screen.app.push_screen(WriteFileModal("plan", f"{stem}.txt", render))


def write_subject_access(screen: LinkWorkerScreen, person_id: int) -> None:
    """Everything held about the person (JSON, and Markdown beside it), after a warning."""
    from linkworker.reports.export import export_sar

    def writes(path: Path, force: bool) -> list[Path]:
        stamp = screen.clock.stamp()
        signature = screen.settings.signature()
        return export_sar(
            screen.db, person_id, path, generated_at=stamp, force=force, prepared_by=signature
        )

    def answered(go_ahead: bool | None) -> None:
        if not go_ahead:
            return
        screen.app.push_screen(
            WriteFileModal(
                "subject access export",
                f"{file_stem(screen, person_id, 'subject-access')}.json",
                lambda _style: "",
                writes=writes,
                hint="The JSON file; the readable Markdown is written beside it (.md).",
            )
        )

    person = people.get_person(screen.db, person_id)
    name = literal(f"{person['given_name']} {person['family_name']}")
    screen.app.push_screen(
        ConfirmDialog(
            "Subject access export",
            Text(
                f"This writes everything held about {name} to two files: names, NHS number, "
                "notes, safeguarding flags and the change history. It is identifiable, "
                "special-category data: keep it safe and give it only to the person or "
                "whoever is entitled to it. Write it?"
            ),
            "Write the files",
        ),
        answered,
    )


def save_or_copy(screen: LinkWorkerScreen, act: Callable[[str], None]) -> None:
    """Ask what to hand out (the GP message, the plan, the subject access export); ``act``
    gets the chosen person-screen action's name."""

    def chosen(action: str | None) -> None:
        if action is not None:
            act(action)

    screen.app.push_screen(
        ChoiceDialog(
            "Save or copy",
            SAVE_OR_COPY,
            hint=f"Files go to {export_folder(screen)} unless you type a folder.",
        ),
        chosen,
    )


def did_they_go(
    screen: LinkWorkerScreen, person_id: int, connection_ids: list[int] | None = None
) -> None:
    """Pick one of the person's connections (one alone goes straight in) and ask "did they
    go?" about it. Only connections of an open episode that can still move on are offered
    (directory.connections_to_ask); ``connection_ids`` narrows them (Today's line)."""
    from linkworker.tui.screens.connections import MoveConnectionScreen

    rows = [
        r
        for r in directory.connections_to_ask(screen.db, person_id)
        if connection_ids is None or int(r["id"]) in connection_ids
    ]
    if not rows:
        screen.notify(
            "No connection to ask about in an open episode: l links the person to an activity.",
            severity="warning",
            markup=False,
        )
        return

    def ask(connection_id: int | None) -> None:
        if connection_id is not None:
            screen.app.push_screen(MoveConnectionScreen(connection_id, did_they_go=True))

    if len(rows) == 1:
        ask(int(rows[0]["id"]))
        return
    choices = [
        (
            Text(
                literal(
                    f"{r['activity_name']} ({label(ConnectionKind, r['kind']).lower()}): "
                    f"{directory.status_words(r['status'])} since "
                    f"{short_date(r['status_changed_on'])}"
                )
            ),
            int(r["id"]),
        )
        for r in rows
    ]
    screen.app.push_screen(ChoiceDialog("Did they go? Which activity", choices), ask)
