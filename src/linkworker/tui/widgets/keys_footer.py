"""The line of keys at the foot of a screen, built again only when the keys it shows change.

Textual's Footer removes and mounts every one of its keys whenever the screen's bindings
are refreshed: at each change of focus, each screen pushed or popped over it, each reactive
that names bindings. Each new key restyles itself as it is mounted, and in a form typed
into key by key that restyling was about a fifth of the app's time. Nearly always the keys
are the same as before, so this footer first compares what it would show with what it
shows, and rebuilds only when they differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: What a footer shows: each key shown, as (key, what it displays, action, words, group,
#: tooltips, enabled), then the footer's own switches.
Shown = tuple[object, ...]


class KeysFooter(Footer):
    """Textual's Footer, rebuilt only when the keys it would show have changed."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None  # what the last compose showed (None: nothing yet)

    def keys_shown(self) -> Shown:
        """What the footer would show now (compared before rebuilding it)."""
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.action,
                binding.description,
                binding.group,
                binding.tooltip,
                tooltip,
                enabled,
            )
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )
        switches = (self.compact, self.show_command_palette, self.combine_groups)
        return (*keys, switches, app.ENABLE_COMMAND_PALETTE)

    def compose(self) -> Iterator[Widget]:
        if self._bindings_ready:
            self._shown = self.keys_shown()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # A FooterKey starts compact and is then bound to the footer's setting
                # (not compact): two restyles of every key as it mounts, a tenth of a test's
                # time. Given the footer's setting first, the binding changes nothing. (The
                # palette's key is not bound: it stays compact, as Textual draws it.)
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        unchanged = (
            self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self.keys_shown() == self._shown
        )
        if not unchanged:
            super().bindings_changed(screen)
