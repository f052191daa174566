"""The footer of keys is built again only when the keys it shows change (widgets/keys_footer.py).

A move of focus between two fields with the same keys leaves the footer's keys as they
are (the same widgets, nothing mounted again); a move to a widget with a key of its own,
or a key that becomes disabled, shows the change at once.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey

from linkworker.tui.widgets.keys_footer import KeysFooter


class Notes(Input):
    """A field with a key of its own, so the footer changes when it has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+t", "stamp", "Stamp date")]

    def action_stamp(self) -> None:
        self.value += "23/11/2026"


class FooterHost(App[None]):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "open", "Open"),
    ]
    can_open = True

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield Notes(id="notes")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "open" and not self.can_open else True

    def action_save(self) -> None:
        pass

    def action_open(self) -> None:
        pass


def _keys(app: App[Any]) -> list[FooterKey]:
    return list(app.screen.query_one(Footer).query(FooterKey))


def _words(app: App[Any]) -> list[tuple[str, bool]]:
    return [(key.description, key.disabled or key.has_class("-disabled")) for key in _keys(app)]


async def test_the_same_keys_are_not_built_again_and_a_change_shows_at_once() -> None:
    app = FooterHost()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        built = _keys(app)
        assert [word for word, _ in _words(app)] == ["Save", "Open"]
        await pilot.press("tab")  # first -> second: the same keys
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "second"
        assert _keys(app) == built  # the very same widgets: nothing was mounted again
        await pilot.press("tab")  # -> notes, which has a key of its own
        await pilot.pause()
        assert [word for word, _ in _words(app)] == ["Stamp date", "Save", "Open"]
        app.can_open = False
        app.refresh_bindings()
        await pilot.pause()
        assert ("Open", True) in _words(app)  # shown greyed out, as Textual's Footer does
        await pilot.press("shift+tab")
        await pilot.pause()
        assert _words(app) == [("Save", False), ("Open", True)]


async def test_a_key_mounts_with_the_footers_style_and_is_styled_once() -> None:
    app = FooterHost()
    restyled: list[object] = []
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        update_styles = app.update_styles

        def counted(node: Any, animate: bool = True) -> None:
            restyled.append(node)
            update_styles(node, animate=animate)

        app.update_styles = counted  # type: ignore[method-assign]
        await pilot.press("tab", "tab")  # to the notes: the footer is built again
        await pilot.pause()
        assert [key.description for key in _keys(app)] == ["Stamp date", "Save", "Open"]
        assert not any(key.has_class("-compact") for key in _keys(app))
    # Textual's keys start compact and are then bound to the footer's setting: each key
    # was restyled twice as it mounted, for nothing.
    assert [node for node in restyled if isinstance(node, FooterKey)] == []
