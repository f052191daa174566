"""What each screen and dialog is called and what its help says, in one place.

A class names its entry: ``class TodayScreen(LinkWorkerScreen, guide="today")``. :class:`Guided`
then sets the class's ``TITLE`` (the header or the dialog's title line), ``HELP`` (the top of
the help screen, F1) and ``IS_SECTION`` from :data:`GUIDES`, and its ``BINDINGS`` from the
table of the same name in :mod:`linkworker.tui.keymap`. So a screen's words and keys are read,
changed and tested in ``guides.toml`` and ``keymap.toml`` beside this module, not in forty
class headers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from linkworker.norms import CONTACT_NORM
from linkworker.package_toml import read_package_toml
from linkworker.tui import keymap


# A NamedTuple, not a frozen dataclass: made at every start, and a dataclass is
# compiled as it is made (~0.5 ms against ~0.07; issue 18).
class Guide(NamedTuple):
    """A screen's or dialog's title, its help text, and whether it is one of the sections."""

    title: str | None = None
    help: str = ""
    section: bool = False


class Guided:
    """Mixin of every linkworker screen and dialog: ``guide="name"`` in the class header."""

    TITLE: ClassVar[str | None] = None
    HELP: ClassVar[str | None] = None
    #: One of the four sections (modes) of the app.
    IS_SECTION: ClassVar[bool] = False
    #: The name of this class's entry in :data:`GUIDES` (None: it has none of its own).
    GUIDE: ClassVar[str | None] = None

    def __init_subclass__(cls, guide: str | None = None, **options: Any) -> None:
        # Before Textual's own hook: it merges BINDINGS when the class is made.
        if guide is not None:
            about = GUIDES[guide]
            cls.GUIDE = guide
            if about.title is not None:
                cls.TITLE = about.title
            cls.HELP = about.help
            cls.IS_SECTION = about.section
            if guide in keymap.KEYS:
                cls.BINDINGS = keymap.bindings(guide)  # type: ignore[attr-defined]
        super().__init_subclass__(**options)


def _read_guides() -> dict[str, Guide]:
    # Package data (guides.toml, beside this module): the screens' words, not code.
    guides = {}
    for name, about in read_package_toml(Path(__file__).with_name("guides.toml")).items():
        if "help" in about:
            about["help"] = about["help"].replace("{contact_norm}", CONTACT_NORM.words())
        guides[name] = Guide(**about)
    return guides


GUIDES: dict[str, Guide] = _read_guides()
