"""The one dialog family, each variant tested alone in a bare host app (no store, no sections).

What a user would notice: Esc backs out of every dialog; Ctrl+S saves every form; errors show
beside the field they belong to, in the same words everywhere; Esc on a changed form asks
first and keeps what was typed unless "Discard" is chosen; a confirmation of anything
irreversible opens with focus on the safe answer; old binding ids still name the same keys.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, Field
from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Static, TextArea

from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import (
    BINDING_ALIASES,
    ChoiceDialog,
    ConfirmDialog,
    Dialog,
    FormDialog,
    FormError,
    MessageDialog,
    current_binding_id,
    errors_of,
    field_row,
    keymap_of,
)


class Host(App[None]):
    """A bare app with linkworker's styles that opens one dialog and keeps what it returns."""

    CSS_PATH = LinkWorkerApp.CSS_PATH

    def __init__(self, dialog: Dialog[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


class Visit(BaseModel):
    """A model like the core's: a required place and a bounded number of minutes."""

    where: str = Field(min_length=1)
    minutes: int = Field(default=30, ge=5, le=240)


class VisitForm(FormDialog[Visit]):
    """A small form of the family's shape, as every real form is."""

    TITLE = "Plan a visit"
    FIELDS: ClassVar[tuple[str, ...]] = ("where", "minutes", "note")

    def compose_fields(self) -> ComposeResult:
        yield field_row("where", "Where *", Input(id="where", compact=True))
        yield field_row("minutes", "Minutes", Input("30", id="minutes", compact=True))
        yield field_row("note", "Note", TextArea(id="note"))

    def save(self) -> None:
        try:
            visit = Visit.model_validate(self.values())
            if visit.where == "nowhere":
                raise FormError("where", "is not a place")
        except ValueError as exc:
            self.show_exception(exc)
            return
        self.saved(visit)


def error_text(dialog: Dialog[Any], name: str) -> str:
    return str(dialog.query_one(f"#{name}-error", Static).render())


async def test_ctrl_s_saves_a_form_and_returns_what_the_core_made() -> None:
    app = Host(VisitForm())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Library")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [Visit(where="Library", minutes=30)]


async def test_errors_show_beside_their_field_in_the_shared_words() -> None:
    form = VisitForm()
    app = Host(form)
    async with app.run_test(size=(80, 24)) as pilot:
        form.query_one("#minutes", Input).value = "500"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is required" in error_text(form, "where")
        assert "must be 240 or less" in error_text(form, "minutes")
        assert form.query_one("#where-row").has_class("-has-error")
        assert form.focused is form.query_one("#where", Input)
        message = str(form.query_one("#form-message", Static).render())
        assert "2 things to put right before saving." in message
        # The core's refusal (a FormError naming the field) lands the same way.
        form.query_one("#where", Input).value = "nowhere"
        form.query_one("#minutes", Input).value = "45"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a place" in error_text(form, "where")
        assert not form.query_one("#minutes-row").has_class("-has-error")
    assert app.results == []


async def test_esc_on_an_unchanged_form_closes_it_at_once() -> None:
    app = Host(VisitForm())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, Dialog)
    assert app.results == [None]


async def test_esc_on_a_changed_form_asks_and_keeps_the_words_by_default() -> None:
    form = VisitForm()
    app = Host(form)
    long_note = "What matters to her is her garden and her grandson. " * 55  # ~2,900 characters
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form.query_one("#note", TextArea).text = long_note
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard changes?" in str(app.screen.query_one("#dialog-title", Static).render())
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")  # the default answer keeps the form
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#note", TextArea).text == long_note
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert not isinstance(app.screen, Dialog)
    assert app.results == [None]


@pytest.mark.parametrize("safe_default", [True, False])
async def test_a_confirmation_starts_on_the_safe_answer_unless_told(safe_default: bool) -> None:
    dialog = ConfirmDialog("Erase?", "This cannot be undone.", "Erase", safe_default=safe_default)
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        focused = dialog.focused
        assert isinstance(focused, Button)
        assert focused.id == ("no" if safe_default else "yes")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [not safe_default]


async def test_esc_answers_no_to_a_confirmation() -> None:
    app = Host(ConfirmDialog("Mark not reached?", "Three attempts.", "Mark not reached"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [False]


async def test_a_choice_returns_the_value_picked_or_none_on_esc() -> None:
    choices = [("ONS4 (personal wellbeing)", "ons4"), ("[bold]SWEMWBS[/]", "swemwbs")]
    app = Host(ChoiceDialog("Record a measure", choices))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Labels are literal: the brackets show as typed, they are not markup.
        assert "[bold]SWEMWBS[/]" in str(app.screen.query_one("#choices").render_line(1).text)
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == ["swemwbs"]
    app = Host(ChoiceDialog("Record a measure", choices))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_a_message_shows_stored_text_literally_and_closes_on_esc_or_enter() -> None:
    body = "Name: [red]Ann[/] \x1b]2;PWNED\x1b\\"
    for key in ("escape", "enter"):
        dialog = MessageDialog("Written", body)
        app = Host(dialog)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            shown = str(dialog.query_one("#message-body", Static).render())
            assert "[red]Ann[/]" in shown and "\x1b" not in shown
            await pilot.press(key)
            await pilot.pause()
        assert app.results == [None]


def test_errors_of_words_each_kind_of_error_once() -> None:
    try:
        Visit.model_validate({"minutes": "soon"})
    except ValueError as exc:
        assert errors_of(exc) == {"where": "is required", "minutes": "must be a whole number"}
    assert errors_of(FormError("due_on", "enter a date")) == {"due_on": "enter a date"}
    labels = {"due_time": "Time", "until": "Until *"}
    assert errors_of(ValueError("until: is before the first date"), labels) == {
        "until": "is before the first date"
    }
    assert errors_of(ValueError("Time: not a time"), labels) == {"due_time": "not a time"}
    assert errors_of(LookupError("no person with id 4")) == {"": "no person with id 4"}


def test_old_binding_ids_are_aliases_of_the_family_ids() -> None:
    assert current_binding_id("followup_form.save") == "form.save"
    assert current_binding_id("confirm.no") == "form.cancel"
    assert current_binding_id("section.today") == "section.today"
    assert set(BINDING_ALIASES.values()) <= {"form.save", "form.cancel"}


async def test_a_keymap_naming_an_old_id_rebinds_the_family_key() -> None:
    app = Host(VisitForm())
    async with app.run_test(size=(80, 24)) as pilot:
        # What LinkWorkerApp does with settings.toml's [keymap] (a pre-family id here).
        app.set_keymap(keymap_of({"followup_form.save": "ctrl+w"}))
        await pilot.press(*"Surgery")
        await pilot.press("ctrl+w")
        await pilot.pause()
    assert app.results == [Visit(where="Surgery", minutes=30)]
