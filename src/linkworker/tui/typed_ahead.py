"""Keys typed ahead of a screen change reach the screen they were meant for.

A key that changes the screen (F3, ``n`` for a new referral, Enter on a row) has been
handled once its action returns, but the new screen composes its widgets and takes the
focus afterwards, in its own message queue. A key typed right behind it (a fast typist, or
any typist on a slow or busy machine) was handled by the app in the meantime: it went to
a screen with nothing focused yet and was lost (F3 then ``n`` left the link worker on
Caseload; F3 ``/`` ``ah`` left the filter empty). The app now holds the keys that come in
while the screen in front is still settling, and hands them on, in the order typed, once
it has. While the app holds the keyboard (the store's checks right after Today's first
paint: :meth:`TypedAhead.hold`), every key waits, in order, until it is released.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App

#: How often a held key looks whether the screen has settled.
LOOK_SECONDS = 0.01
#: After this many looks the keys go on anyway (as they did before): a screen that never
#: settles must not swallow the keyboard.
MOST_LOOKS = 500


class TypedAhead:
    """The app's keys, each held until the one before it has been dealt with."""

    def __init__(self, app: App[Any], handle: Callable[[events.Event], Awaitable[None]]) -> None:
        self._app = app
        self._handle = handle  # the app's own handling of a key
        self._keys: deque[events.Key] = deque()
        self._looks = 0
        self._looks_made = 0
        self._holding = False

    @property
    def held(self) -> int:
        """How many keys are waiting for the screen to settle."""
        return len(self._keys)

    @property
    def holding(self) -> bool:
        """Whether every key is held until :meth:`release` (the store is not checked yet)."""
        return self._holding

    @property
    def looks_made(self) -> int:
        """Looks at the screen made so far while keys were held (it only ever grows)."""
        return self._looks_made

    def hold(self) -> None:
        """Hold every key from now until :meth:`release` (the store is still being checked)."""
        self._holding = True

    def release(self) -> None:
        """Hand on the keys held since :meth:`hold`, in the order typed."""
        self._holding = False
        if self._keys:
            self._app.call_later(self._hand_on)

    async def key(self, event: events.Key) -> None:
        """Handle a key now, or after the keys before it once the screen has settled."""
        self._keys.append(event)
        if len(self._keys) == 1:
            await self._hand_on()

    def _settled(self) -> bool:
        """The screen in front has mounted, and it and the focused widget (with the
        containers between them, which a key bubbles through) have nothing left to do."""
        app = self._app
        screen = app.screen
        if not screen.is_mounted or screen.message_queue_size:
            return False
        focused = app.focused
        if focused is None:
            return True
        return focused.is_mounted and not any(
            node.message_queue_size for node in focused.ancestors_with_self if node is not app
        )

    async def _hand_on(self) -> None:
        while self._keys:
            if self._holding:
                return  # release() hands them on
            if not self._settled() and self._looks < MOST_LOOKS:
                self._looks += 1
                self._looks_made += 1
                self._app.set_timer(LOOK_SECONDS, self._hand_on, name="typed-ahead")
                return
            self._looks = 0
            try:
                await self._handle(self._keys[0])
            finally:
                self._keys.popleft()
