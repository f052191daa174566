"""The help screen: the keys of the screen in front, with their binding ids for the keymap."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from linkworker.tui.guides import Guided
from linkworker.tui.widgets.tables import RowTable


class HelpScreen(Guided, ModalScreen[None], guide="help"):
    """Lists the active keys of another screen."""

    def __init__(self, about: Screen[object]) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        title = getattr(self.about, "TITLE", None) or type(self.about).__name__.replace(
            "Screen", ""
        )
        with Vertical(id="help-box", classes="dialog"):
            yield Static(f"Keys: {title}", classes="dialog-title")
            text = getattr(self.about, "HELP", "")
            if text:
                yield Static(Text(text), id="help-text")
            yield RowTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Ctrl+P: command palette (find a person or activity).  "
                "Keys can be changed in settings.toml [keymap] by id.  Esc closes.",
                classes="hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "What it does", "Binding id")
        rows: list[tuple[int, str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for key, active in self.about.active_bindings.items():
            binding = active.binding
            description = binding.description or binding.action
            if (description, binding.id or "") in seen:
                continue
            seen.add((description, binding.id or ""))
            shown = binding.key_display or self.app.get_key_display(binding)
            # This screen's own keys first, then the app's, then the table's cursor keys.
            rank = (0 if active.node is self.about else 1) if binding.id else 2
            rows.append((rank, shown or key, description, binding.id or ""))
        for _rank, shown, description, binding_id in sorted(rows, key=lambda r: r[0]):
            table.add_row(Text(shown), Text(description), Text(binding_id))
        table.focus()
