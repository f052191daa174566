"""The base of every dialog: a titled box over the current screen, buttons at the bottom.

Every modal of linkworker is one of four variants of :class:`Dialog` (form, confirm, choice,
message). A variant overrides the body, the buttons and which button is the default; the
look lives in ``styles/dialogs.tcss``, scoped to these classes. Esc backs out of every dialog
(binding id ``form.cancel``); what "backing out" means (discard a form, answer No, close) is the
variant's ``action_cancel``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from linkworker.tui import keymap
from linkworker.tui.reach import ReachesTheApp
from linkworker.tui.widgets.text import multiline, plain

if TYPE_CHECKING:
    pass

ResultT = TypeVar("ResultT")

#: Binding ids of the dialogs before they became one family, and the id each is now. A user's
#: keymap naming an old id keeps working (the app translates it when it applies the keymap).
BINDING_ALIASES: dict[str, str] = {
    "followup_form.save": "form.save",
    "followup_form.close": "form.cancel",
    "confirm.no": "form.cancel",
    "confirm.cancel": "form.cancel",
    "choose.cancel": "form.cancel",
    "message.close": "form.cancel",
    "code.close": "form.cancel",
    # The plan, directory and report dialogs.
    "activity_form.save": "form.save",
    "activity_form.cancel": "form.cancel",
    "notes.save": "form.save",
    "notes.cancel": "form.cancel",
    "connect.save": "form.save",
    "connect.cancel": "form.cancel",
    "move_connection.save": "form.save",
    "move_connection.cancel": "form.cancel",
    "person_picker.cancel": "form.cancel",
    "import.close": "form.cancel",
    "export.close": "form.cancel",
    "save_shortlist.cancel": "form.cancel",
    "reports.replace.cancel": "form.cancel",
    # The person's dialogs.
    "gp_message.close": "form.cancel",
    "duplicate.back": "form.cancel",
}


def current_binding_id(binding_id: str) -> str:
    """The binding id that ``binding_id`` (perhaps an old one) means today."""
    return BINDING_ALIASES.get(binding_id, binding_id)


def keymap_of(settings_keymap: dict[str, str]) -> dict[str, str]:
    """The keymap to give Textual: settings.toml's [keymap] with old ids made current."""
    return {current_binding_id(name): keys for name, keys in settings_keymap.items()}


class Dialog(ModalScreen[ResultT], ReachesTheApp):
    """A box with a title, a body and a row of buttons, over the screen that opened it.

    Subclasses give ``compose_body`` and ``compose_buttons``; ``heading`` is the title line.
    Text that came from a person or a feed is shown with :func:`plain`, never as markup.
    """

    #: Shown at the top of the help screen (F1) while this dialog is in front.
    HELP: ClassVar[str] = ""
    #: The title line, unless ``heading`` is overridden.
    TITLE: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("dialog")

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="dialog-box"):
            yield Static(self.heading(), classes="dialog-title", id="dialog-title")
            subtitle = self.subtitle()
            if subtitle:
                yield Static(plain(subtitle), classes="dialog-subtitle", id="dialog-subtitle")
            yield from self.compose_body()
            with Horizontal(classes="dialog-buttons", id="dialog-buttons"):
                yield from self.compose_buttons()

    def heading(self) -> str | Text:
        """The title line (plain text; a ``Text`` when it carries a person's words)."""
        return Text(self.TITLE)

    def subtitle(self) -> str:
        """A line under the title, such as whose record this is; blank for none."""
        return ""

    def compose_body(self) -> ComposeResult:
        """What the dialog says or asks."""
        yield from ()

    def compose_buttons(self) -> ComposeResult:
        """The buttons along the bottom; the variant decides which has focus first."""
        yield from ()

    # --- actions ---------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Back out: the dialog closes with None (variants say what backing out means)."""
        self.dismiss(cast(ResultT, None))

    @on(Button.Pressed)
    def _button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.button_pressed(event.button.id or "")

    def button_pressed(self, button_id: str) -> None:
        """A button was pressed (by key or mouse); ``cancel`` backs out."""
        if button_id == "cancel":
            self.action_cancel()


def button(label: str, button_id: str, *, default: bool = False, danger: bool = False) -> Button:
    """A dialog button: the default one is primary, a destructive one is drawn as an error."""
    variant: Any = "error" if danger else ("primary" if default else "default")
    return Button(label, id=button_id, variant=variant, compact=True)


class WordsDialog(Dialog[ResultT]):
    """A dialog whose body is a title and some words to read: the base of confirm and message.

    ``body`` is a plain string (shown without markup, line breaks kept) or a ``Text`` already
    built with :func:`plain`; ``BODY_ID`` is the id tests and callers find the words by.
    """

    BODY_ID: ClassVar[str] = "dialog-words"

    def __init__(self, title: str, body: str | Text) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def heading(self) -> Text:
        return Text(self.title_text)

    def compose_body(self) -> ComposeResult:
        body = self.body if isinstance(self.body, Text) else multiline(self.body)
        yield Static(body, id=self.BODY_ID, classes="dialog-body")
