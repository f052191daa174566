"""Today's agenda read by a child process while the app itself starts.

Starting the app is mostly Python importing and styling Textual, on one core; building the
agenda is mostly SQLite, and at 10,000 people it takes longer than everything else before
the first frame. :func:`begin` takes the store's single-writer lock, then forks a child that
opens the store read-only and builds the agenda Today paints first, while the parent goes
on importing the app. Today takes it with :meth:`EarlyAgenda.take`, if it was read for the
same day, settings and number of lines, and the header its counts of the caseload
(:meth:`EarlyAgenda.status_counts`); otherwise (or if the child failed, or there was no
fork to be had) Today builds it itself, as before.

The child also says which lone visits are not checked out in time, and whether the store
opens without asking anything (:meth:`EarlyAgenda.paints_first`): a plain store recorded
as plain by choice, or an encrypted one the passphrase opened, with nothing wrong with the
file. Then Today is painted from the read alone and the app opens the store right after
that paint, as its checks begin: the app loads no SQLite driver before its first frame.

The lock is what makes the child's read safe: every linkworker that writes holds it, and
this one holds it from before the child reads until the app closes, so nothing can change
the store between the child's read and the paint. Without it (another linkworker has the
store, or it cannot be locked) nothing is read early and the app's opening asks, as ever.
Only a store that opens without asking is read early: a plain one, or an encrypted one
whose passphrase came with the command (the child derives the key as the app does).

This module is the core's: it never imports Textual, and the child imports nothing of the
app's screens.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from linkworker.settings_start import StartSettings, read_start_settings
from linkworker.store import storelock
from linkworker.store.db import StoreError
from linkworker.store.kind import StoreKind, store_kind

if TYPE_CHECKING:
    from linkworker.clock import Clock
    from linkworker.followups.agenda import Agenda
    from linkworker.lone_working import Visit
    from linkworker.settings_start import SettingsNow
    from linkworker.store.db import Reads

    #: What the child sends: Today's agenda, the header's counts, the lone visits not
    #: checked out in time, and, if the store opens without asking anything, the header's
    #: words for its encryption (``security.describe_encryption``; else None).
    Read: TypeAlias = tuple[Agenda, dict[str, int], list[Visit], str | None]

#: Today shows each bucket's first lines (DataTable paints ~0.25 ms a row, MEASURED.md);
#: the counts stay exact, and `linkworker agenda` lists every line.
LINES_PER_BUCKET = 100
#: How long Today waits for the child before building the agenda itself (a child held up
#: this long is killed: the machine is busy, and waiting longer would only add to it).
WAIT_SECONDS = 10.0
#: Set (to anything) to read nothing early: the app then builds the agenda itself.
OFF_ENV = "LINKWORKER_NO_EARLY_AGENDA"


@dataclass
class EarlyAgenda:
    """A child reading Today's agenda, and the lock taken for it (the app keeps the lock)."""

    store: Path
    today: date
    settings: StartSettings
    lock: storelock.StoreLock
    lines_per_bucket: int = LINES_PER_BUCKET
    now: datetime | None = None  # when the late visits were looked for (None: not looked)
    pid: int | None = None
    reading: int | None = None  # the pipe's end the agenda comes down
    _taken: bool = field(default=False, repr=False)
    _counts_taken: bool = field(default=False, repr=False)
    _read: Read | None = field(default=None, repr=False)

    def kept_for(self, store: Path) -> EarlyAgenda | None:
        """This early read, for an app of ``store``; else None, with the read stopped and
        the lock let go (it was taken for another store)."""
        if store == self.store:
            return self
        self.close()
        self.lock.release()
        return None

    def paints_first(self, today: date, settings: SettingsNow, lines_per_bucket: int) -> bool:
        """Whether Today can be painted from this read before the app opens the store: it
        was read for these, and the store opens without asking anything."""
        read = None if self._taken else self._receive()
        return (
            read is not None
            and read[3] is not None
            and self._read_for(today, settings, lines_per_bucket)
        )

    def encryption(self) -> str:
        """What the header says of the store's encryption, as the child found it ("" if
        it did not: the store asks, or nothing was read)."""
        return (self._read[3] if self._read is not None else None) or ""

    def take(self, today: date, settings: SettingsNow, lines_per_bucket: int) -> Agenda | None:
        """The child's agenda when it was read for these, else None (asked once: a later
        reload builds its own, since the store may have changed by then)."""
        if self._taken:
            return None
        self._taken = True
        if not self._read_for(today, settings, lines_per_bucket):
            return None
        read = self._receive()
        return read[0] if read else None

    def _read_for(self, today: date, settings: SettingsNow, lines_per_bucket: int) -> bool:
        """Whether the child read for this day, these settings and this many lines."""
        return (self.today, self.settings, self.lines_per_bucket) == (
            today,
            settings,
            lines_per_bucket,
        )

    def late_visits(self) -> list[Visit] | None:
        """The lone visits not checked out in time when the child looked (at ``now``), or
        None if it did not."""
        read = self._read
        return read[2] if read is not None else None

    def status_counts(self) -> dict[str, int] | None:
        """The header's counts (``caseload.status_counts``) read with the agenda, else None
        (asked once, as the agenda is)."""
        if self._counts_taken:
            return None
        self._counts_taken = True
        read = self._receive()
        return read[1] if read else None

    def close(self) -> None:
        """Stop waiting: the child is killed if still there, and collected (the app calls
        this as it closes)."""
        self._taken = self._counts_taken = True
        self._read = None
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, 9)
        self._reap()

    def _receive(self) -> Read | None:
        """What the child read (the pipe is read once, by whichever is asked for first)."""
        reading, self.reading = self.reading, None
        if reading is None:
            return self._read
        chunks: list[bytes] = []
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while chunk := _read_before(reading, deadline):
                chunks.append(chunk)
        except (OSError, TimeoutError):
            self.close()  # too slow, or gone: build it here instead
            return None
        finally:
            os.close(reading)
        # The child has written all it will. It may still be exiting (unmapping its memory
        # takes ~2 ms), so close() collects it later; a child cut short mid-write leaves a
        # pickle that does not load.
        if not chunks:
            return None
        try:
            self._read = pickle.loads(b"".join(chunks))
        except Exception:  # a child cut short mid-write: build it here instead
            return None
        return self._read

    def _reap(self) -> None:
        """Close the pipe and collect the child."""
        if self.reading is not None:
            with contextlib.suppress(OSError):
                os.close(self.reading)
            self.reading = None
        if self.pid is not None:
            pid, self.pid = self.pid, None
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def header_counts(early: EarlyAgenda | None, connection: Reads | None) -> dict[str, int] | None:
    """The caseload's counts for the header: read with the agenda the first time, counted
    on ``connection`` after (``caseload``, and what it imports, load then: after the paint);
    None with neither (the store is not open yet)."""
    counts = early.status_counts() if early is not None else None
    if counts is None and connection is not None:
        from linkworker.caseload import status_counts

        counts = status_counts(connection)
    return counts


def _read_before(reading: int, deadline: float) -> bytes:
    """The next bytes down the pipe (empty at its end), or TimeoutError after ``deadline``."""
    left = deadline - time.monotonic()
    if left <= 0 or not select.select([reading], [], [], left)[0]:
        raise TimeoutError
    return os.read(reading, 1 << 16)


def begin(
    store: Path, clock: Clock, settings_file: Path | None, key: str | None
) -> EarlyAgenda | None:
    """Take the store's lock and start reading Today's agenda in a child, or None when
    nothing can be read early (the app then opens the store and builds it, as before)."""
    if os.environ.get(OFF_ENV) or not hasattr(os, "fork") or threading.active_count() > 1:
        # A fork copies one thread only: with others running (tests), a lock one of them
        # held would never be released in the child.
        return None
    kind = store_kind(store)
    if kind is not StoreKind.PLAIN and not (kind is StoreKind.ENCRYPTED and key):
        return None
    try:
        lock = storelock.acquire(store, clock.now())
    except StoreError:  # busy, or a folder that cannot be locked: the opening says so
        return None
    settings = read_start_settings(settings_file)
    early = EarlyAgenda(store, clock.today(), settings, lock, now=clock.now())
    try:
        reading, writing = os.pipe()
    except OSError:  # out of descriptors: the lock is the app's, Today builds its own
        return early
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: the same
        os.close(reading)
        os.close(writing)
        return early
    if pid == 0:  # the child: read, write down the pipe, and go without running any cleanup
        os.close(reading)
        os._exit(_read_in_child(early, key, writing))
    os.close(writing)
    early.pid, early.reading = pid, reading
    return early


def _read_in_child(early: EarlyAgenda, key: str | None, writing: int) -> int:
    """Build the agenda, count the caseload for the header, find the late lone visits and
    judge whether the store opens without asking, on a read-only connection; write them
    down the pipe; the exit code."""
    try:
        from linkworker.caseload import status_counts
        from linkworker.followups.agenda import build_agenda
        from linkworker.lone_working import overdue_visits
        from linkworker.store.db import UNENCRYPTED, connect_raw
        from linkworker.store.health import file_fault
        from linkworker.store.security import describe_encryption, encryption_record

        connection = connect_raw(early.store, key, readonly=True)
        try:
            agenda = build_agenda(
                connection, early.today, early.settings, lines_per_bucket=early.lines_per_bucket
            )
            late = overdue_visits(connection, early.now or datetime.now(), early.settings)
            # As the app's opening judges (tui/screens/opening.py): a key that read it
            # opens it; a plain store asks unless it is recorded as plain by choice.
            record = encryption_record(connection)
            asks = (key is None and record != UNENCRYPTED) or file_fault(early.store) is not None
            words = None if asks else describe_encryption(key is not None, record)
            read: Read = (agenda, status_counts(connection), late, words)
        finally:
            connection.close()
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # anything at all: the app builds the agenda itself
        return 1
    return 0
