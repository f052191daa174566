"""Pick one of a few things: a goal to review, a measure to record, a follow-up to act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from linkworker.tui.dialogs.base import Dialog, button


class ChoiceDialog(Dialog[Any]):
    """A list of choices; Enter picks the highlighted one, Esc backs out (None).

    Labels are shown literally: a ``str`` is never read as markup; pass a ``Text`` to style.
    """

    def __init__(
        self, title: str, choices: Sequence[tuple[Text | str, Any]], hint: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.hint = hint

    def heading(self) -> Text:
        return Text(self.title_text)

    def compose_body(self) -> ComposeResult:
        yield OptionList(
            *[
                Option(label if isinstance(label, Text) else Text(label), id=str(n))
                for n, (label, _) in enumerate(self.choices)
            ],
            id="choices",
            markup=False,
        )
        if self.hint:
            yield Static(Text(self.hint), classes="dialog-hint")

    def compose_buttons(self) -> ComposeResult:
        yield button("Cancel (Esc)", "cancel")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)][1])
