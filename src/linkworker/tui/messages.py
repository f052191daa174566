"""Past-tense messages that screens post once the core has saved something, in one module.

:class:`CaseloadChanged` is the one the app acts on: it refreshes the header and marks every
section stale, so each reloads when next shown. Messages carry ids, never a person's details.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CaseloadChanged(Message):
    """Something the sections show was saved (``person_id``: whose record, when one person's).

    Post it to the app (``self.app.post_message``) after any write; the header's counts and
    every section follow. Writes on the app's own connection are noticed without it too
    (see ``LinkWorkerScreen.needs_reload``); work on another connection must post it.
    """

    person_id: int | None = None
