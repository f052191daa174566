"""The first run asks who is writing: the worker's name, saved to settings.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Input

from linkworker.formats.writer import ExportError
from linkworker.settings import Settings, save_setting
from linkworker.tui.dialogs import FormDialog, field_row

SIGNS = "As the plan, the shortlist, the GP message and reports are signed"


class WorkerNameDialog(FormDialog[str], guide="worker_name"):
    """Your name, for the plan, the shortlist, the GP message and reports (Skip: asked once
    more at the next start)."""

    CANCEL_LABEL = "Skip"
    SUBMIT_ON_ENTER = True
    FIELDS = ("worker_name",)

    def __init__(self, settings_path: Path) -> None:
        super().__init__()
        self.settings_path = settings_path

    def heading(self) -> Text:
        return Text("Who is writing?")

    def compose_fields(self) -> ComposeResult:
        box = Input(id="worker_name", placeholder="e.g. Priya Shah", compact=True)
        yield field_row("worker_name", "Your name *", box, hint=SIGNS)

    def save(self) -> None:
        name = str(self.value("worker_name") or "").strip()
        if not name:
            self.show_errors({"worker_name": "enter your name, or Skip"})
            return
        try:
            save_setting(self.settings_path, "worker_name", name)
        except (ValueError, ExportError, OSError) as exc:
            self.show_errors({"worker_name": str(exc)})
            return
        self.saved(name)


def ask_for_name(app: App[Any], path: Path, settings: Settings) -> None:
    """Count the asking in settings.toml, then ask; the name given is saved and used."""
    try:
        save_setting(path, "worker_name_asked", settings.worker_name_asked + 1)
    except (ValueError, OSError) as exc:
        app.notify(str(exc), title="Settings", severity="warning", markup=False)

    def named(name: str | None) -> None:
        if name:
            settings.worker_name = name
            app.notify("Saved to settings.toml.", title="Your name")

    app.push_screen(WorkerNameDialog(path), named)
