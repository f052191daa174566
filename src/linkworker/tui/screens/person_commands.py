"""The person screen's actions in the command palette (Ctrl+P), erasure among them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from linkworker.package_toml import read_package_toml


def _read_actions() -> list[tuple[str, str, str]]:
    # Package data (person_commands.toml, beside this module): the palette's words.
    words = read_package_toml(Path(__file__).with_name("person_commands.toml"))
    return [(a["title"], a["action"], a["help"]) for a in words["actions"]]


#: (what the palette shows, the person screen's action, help line)
PERSON_ACTIONS: list[tuple[str, str, str]] = _read_actions()


class PersonActionCommands(Provider):
    """Commands that act on the person whose record is in front."""

    def _command(self, action: str) -> Callable[[], object]:
        return cast("Callable[[], object]", getattr(self.screen, f"action_{action}"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in PERSON_ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._command(action), help=help_text)

    async def discover(self) -> Hits:
        for title, action, help_text in PERSON_ACTIONS:
            yield DiscoveryHit(title, self._command(action), help=help_text)
