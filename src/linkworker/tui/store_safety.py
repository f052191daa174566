"""The store-safety half of the app: passphrases, backups in a thread, and store faults.

:class:`~linkworker.tui.app.LinkWorkerApp` is built on :class:`StoreSafety`; the idle lock
and the opened store stay there, beside the sections. Nothing here holds a business rule.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import SystemCommand
from textual.content import Content
from textual.worker import WorkerFailed

from linkworker import paths
from linkworker.clock import Clock
from linkworker.store import driver
from linkworker.store.db import StoreError, connect, describe_fault
from linkworker.tui.stylesheet import ParsedOnceApp

# The backups and security modules and the passphrase dialog load where they are used:
# none is needed before Today's first paint (issue 18).

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.settings import Settings
    from linkworker.store.driver import Connection

# Operating-system errors that mean the disk, not the program, is at fault.
FAULT_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT})


class StoreSafety(ParsedOnceApp[None]):
    """Changing the passphrase, backing up, the lock's passphrase checks, their palette
    commands, and turning a store fault into one message."""

    store_path: Path
    clock: Clock
    settings: Settings
    key: str | None
    read_only: bool
    damaged: str
    fault_message: str
    encryption: str
    lock_now: Callable[[], None]
    action_lock: Callable[[], None]
    #: The open store through the driver (None until it is open): Today paints from it
    #: before sqlite-utils is imported.
    connection: Connection | None
    _database: Database | None = None

    @property
    def _db(self) -> Database | None:
        """The open store as a sqlite-utils Database (None until it is open), made on first
        use from ``connection``: every screen after Today reads and writes through it."""
        if self.connection is None:
            return None
        if self._database is None or self._database.conn is not self.connection:
            from sqlite_utils import Database

            self._database = Database(self.connection)
        return self._database

    def safety_commands(self) -> Iterable[SystemCommand]:
        """Command palette entries: lock, back up, change the passphrase."""
        if self._db is None:
            return
        yield SystemCommand(
            "Lock the screen",
            "Hide the caseload until the passphrase is typed (Ctrl+L)",
            self.action_lock,
        )
        if self.read_only:
            return
        yield SystemCommand(
            "Back up now",
            f"Write a backup to {paths.backup_dir(self.store_path)}",
            self.action_backup_now,
        )
        if self.key is not None:
            yield SystemCommand(
                "Change passphrase",
                "Change the passphrase of the store and its backups",
                self.action_change_passphrase,
            )
        else:
            yield SystemCommand(
                "Set lock passphrase",
                "The passphrase that unlocks the screen lock",
                self.action_set_lock_passphrase,
            )

    # Passphrases ----------------------------------------------------------------------

    def action_change_passphrase(self) -> None:
        """Change the store's passphrase (rekey), and its backups'."""
        from linkworker.store import security
        from linkworker.tui.screens.passphrase import SetPassphraseScreen

        if self._db is None or self.key is None or self.read_only:
            return
        known = self.key
        self.push_screen(
            SetPassphraseScreen(
                "Change the passphrase",
                "Type the current passphrase, then the new one twice. The backups in "
                f"{paths.backup_dir(self.store_path)} change to the new one too.",
                current=lambda typed: security.same_passphrase(typed, known),
                action_label="Change passphrase",
            ),
            self._passphrase_changed,
        )

    def _passphrase_changed(self, new: str | None) -> None:
        from linkworker.store import security

        if new is None or self._db is None or self.key is None:
            return
        try:
            change = security.change_passphrase(self._db, self.store_path, self.key, new)
        except (StoreError, ValueError) as exc:
            self.notify(str(exc), title="Passphrase not changed", severity="error", timeout=15)
            return
        self.key = new
        note = f" and of {len(change.backups_rekeyed)} backups" if change.backups_rekeyed else ""
        self.notify(
            f"Passphrase changed{note}. Update it in your password manager.",
            title="Passphrase changed",
        )
        for skipped, reason in change.backups_skipped:
            self.notify(f"{skipped.name} keeps its old passphrase ({reason})", severity="warning")

    def say_if_read_only(self) -> None:
        """Tell the worker when nothing can be changed: the store is damaged, or busy."""
        if self.damaged:
            self.notify(
                f"{self.damaged}. You can look, but nothing can be changed here.",
                title="Damaged store: read-only",
                severity="error",
                timeout=30,
                markup=False,
            )
        elif self.read_only:
            self.notify(
                "Another linkworker has this store open: you can look, but nothing can be "
                "changed here.",
                title="Read-only",
                severity="warning",
                timeout=10,
            )

    # Backups --------------------------------------------------------------------------

    def _start_automatic_backup(self) -> None:
        from linkworker.store import backups

        if self.read_only:
            return
        if not backups.backup_due(
            self.store_path, self.settings.backup_every_days, self.clock.now()
        ):
            return
        self.run_worker(
            self._automatic_backup,
            thread=True,
            exit_on_error=False,
            group="backup",
            name="automatic backup",
        )

    def _automatic_backup(self) -> None:
        # Its own connection (a thread worker); a failure is a warning, never a crash.
        from linkworker.store import backups

        try:
            backups.automatic_backup(
                self.store_path,
                self.key,
                self.settings.backup_every_days,
                self.settings.backups_to_keep,
                self.clock.now(),
            )
        except (StoreError, OSError, driver.DatabaseError) as exc:
            self._from_thread(f"The automatic backup failed: {exc}", "Backup", "warning")

    def action_backup_now(self) -> None:
        """Write a backup now (a thread worker with its own connection)."""
        if self._db is None or self.read_only:
            return
        self.run_worker(self._backup_now, thread=True, exit_on_error=False, group="backup")

    def _backup_now(self) -> None:
        from linkworker.store import backups

        try:
            db = connect(self.store_path, self.key, wal=False)
            try:
                taken = backups.take_backup(
                    db, self.store_path, self.key, self.clock.now(), kind=backups.MANUAL
                )
            finally:
                db.close()
        except (StoreError, OSError, driver.DatabaseError) as exc:
            self._from_thread(f"No backup was written: {exc}", "Backup", "error")
            return
        self._from_thread(f"Backup written: {taken}", "Backup", "information")

    def _from_thread(self, message: str, title: str, severity: str) -> None:
        with contextlib.suppress(RuntimeError):  # the app may be closing
            self.call_from_thread(
                self.notify, message, title=title, severity=severity, timeout=15, markup=False
            )

    # Faults ---------------------------------------------------------------------------

    def store_fault(self, error: BaseException) -> str | None:
        """The message for an error of the store (full disk, read-only, damaged), else None."""
        from linkworker.store import backups

        if isinstance(error, WorkerFailed):
            error = error.error
        if isinstance(error, StoreError):
            reason = str(error)
        elif isinstance(error, driver.DatabaseError):
            if self.read_only and "readonly" in str(error).lower() and self.damaged:
                return (
                    "linkworker was open read-only because the store is damaged, so that "
                    f"change was not saved. {self.damaged}"
                )
            if self.read_only and "readonly" in str(error).lower():
                return (
                    "linkworker was open read-only (another linkworker has this store), so "
                    "that change was not saved. Close the other linkworker, then start this "
                    "one again to make changes."
                )
            reason = describe_fault(error)
        elif isinstance(error, OSError) and error.errno in FAULT_ERRNOS:
            reason = describe_fault(error) if error.errno != errno.ENOSPC else "the disk is full"
        else:
            return None
        message = (
            f"linkworker stopped: {reason}. What you were doing was not saved; everything "
            f"saved before it is safe in {self.store_path}"
        )
        return backups.with_newest_backup(message, self.store_path, self.key)

    def _handle_exception(self, error: Exception) -> None:
        # A store fault ends the app with one clear message instead of a traceback. Each
        # write is one transaction, so the failed one left nothing half-written.
        message = self.store_fault(error)
        if message is None:
            super()._handle_exception(error)
            return
        self._return_code = 1
        self.fault_message = message
        self.panic(Text(message))

    # The kind of store open, and interrupted passphrase changes ---------------------

    def _finish_interrupted(self, key: str | None) -> None:
        """Finish a `passphrase` or `encrypt` a kill interrupted (store/journal.py)."""
        from linkworker.store import security

        try:
            told = security.resume_interrupted(self.store_path, key)
        except StoreError as exc:
            told = str(exc)
        if told:
            self.notify(told, title="Backups", severity="warning", timeout=15, markup=False)

    @property
    def store_label(self) -> str:
        """What kind of store is open, in a word or two, for the header."""
        if not self.encryption:
            return ""
        kind = {"encrypted": "encrypted", "not encrypted (by choice)": "unencrypted"}.get(
            self.encryption, "NOT ENCRYPTED"
        )
        return f"{kind} · READ-ONLY" if self.read_only else kind

    def format_title(self, title: str, sub_title: str) -> Content:
        # Every screen's header says which kind of store is open, e.g. "Today · encrypted".
        label = self.store_label
        if label:
            title = f"{title} · {label}" if title else label
        return super().format_title(title, sub_title)

    # The lock passphrase of an unencrypted store -------------------------------------

    def can_lock(self) -> bool:
        """Whether the screen lock has a passphrase to check: the store's, or the lock
        passphrase of an unencrypted one."""
        from linkworker.store import security

        return self.key is not None or (
            self._db is not None and security.has_lock_passphrase(self._db)
        )

    def unlocks(self, typed: str) -> bool:
        """Whether ``typed`` is the passphrase that unlocks the screen lock."""
        from linkworker.store import security

        if self.key is not None:
            return security.same_passphrase(typed, self.key)
        return self._db is not None and security.check_lock_passphrase(self._db, typed)

    def action_set_lock_passphrase(self, then_lock: bool = False) -> None:
        """Set the lock passphrase of an unencrypted store."""
        from linkworker.store import security
        from linkworker.tui.screens.passphrase import SetPassphraseScreen

        if self._db is None or self.key is not None or self.read_only:
            return
        db = self._db
        current = None
        if security.has_lock_passphrase(db):
            current = lambda typed: security.check_lock_passphrase(db, typed)  # noqa: E731
        self.push_screen(
            SetPassphraseScreen(
                "Set a lock passphrase",
                "This store is not encrypted. The lock passphrase unlocks the screen lock "
                "(Ctrl+L, and after idle minutes); it is kept only as a scrypt hash.",
                current=current,
                warning="",
                action_label="Set lock passphrase",
            ),
            lambda chosen: self._lock_passphrase_chosen(chosen, then_lock),
        )

    def _lock_passphrase_chosen(self, passphrase: str | None, then_lock: bool) -> None:
        from linkworker.store import security

        if passphrase is None or self._db is None:
            return
        security.set_lock_passphrase(self._db, passphrase)
        if then_lock:
            self.lock_now()
        else:
            self.notify("Lock passphrase set.", title="Screen lock")
