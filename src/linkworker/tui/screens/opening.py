"""Opening the store at start, before anything of the caseload is shown.

Order: what kind of file is it (no key needed); take the single-writer lock (if another
linkworker holds it: offer read-only or quit); then

- no store yet: set a passphrase (typed twice), or with ``--unencrypted`` create a plain
  store and offer to set a lock passphrase for the idle lock;
- an encrypted store: ask for the passphrase, as often as needed; the file is untouched
  until the right one is given;
- a plain store without the ``encryption = none`` record: offer to encrypt it now;
- any fault (damaged, foreign, from a newer linkworker, full disk, read-only folder): one
  message naming the newest good backup, and the app closes without touching the file.

An existing store is opened through the driver alone and Today is painted from it first;
its integrity and migration checks (:func:`linkworker.store.db.check_opened`, which need
sqlite-utils) run right after that paint, with the keys typed meanwhile held
(:meth:`StoreOpening.checks`). A store that fails them is refused, or migrated, before
anything is written to it, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linkworker.store import security, storelock
from linkworker.store.db import (
    UNENCRYPTED,
    StoreDamaged,
    StoreError,
    WrongPassphrase,
    check_opened,
    connect_raw,
    open_store,
)
from linkworker.store.health import file_fault
from linkworker.store.kind import StoreKind, store_kind

# The backups module and the screens that ask (passphrase, store choice) load where they
# are used: a good start needs none of them before Today's first paint (issue 18).

if TYPE_CHECKING:
    from pathlib import Path

    from sqlite_utils import Database

    from linkworker.store.driver import Connection
    from linkworker.tui.app import LinkWorkerApp

WRONG_PASSPHRASE = "Wrong passphrase. Nothing was changed; try again."


class StoreOpening:
    """The start-up conversation about the store; ends in ``app.store_opened`` or a fault."""

    def __init__(self, app: LinkWorkerApp) -> None:
        self.app = app
        self.path = app.store_path
        self.kind = StoreKind.MISSING
        self.read_only = False
        self.pending: Connection | None = None
        self.unchecked = False  # pending has not had open_store's checks yet
        self.key: str | None = None
        self.failed: str | None = None
        self.damaged = ""  # the store failed its integrity check: why, and the newest backup
        self.writer = False  # this app holds the store's lock

    # --- the steps ---------------------------------------------------------------------

    def start(self) -> None:
        """First step: judge the file, take the lock."""
        self.kind = store_kind(self.path)
        problem = file_fault(self.path)
        if problem is None and self.kind is StoreKind.MISSING and _backed_up(self.path):
            # Its backups are there, so the store was expected: never start a new one over it.
            problem = f"{self.path}: the store is missing (nothing was created)"
        if problem is not None:
            self.fault(problem, None)
            return
        if self.kind is StoreKind.NOT_A_STORE:
            self.fault(
                f"{self.path}: is not a readable linkworker store (damaged, or not a database)",
                None,
            )
            return
        try:
            if self.app.store_lock is None:  # else taken at start, to read Today early
                self.app.store_lock = storelock.acquire(self.path, self.app.clock.now())
        except storelock.StoreBusy as exc:
            from linkworker.tui.screens.store_choice import StoreChoiceScreen

            self.app.push_screen(
                StoreChoiceScreen(
                    "linkworker is already open",
                    f"{exc}.\n\nOnly one linkworker at a time can change a store. You can "
                    "open it read-only (look, but not change anything), or quit and use "
                    "the other one.",
                    [("read-only", "Open read-only"), ("quit", "Quit")],
                ),
                self._busy_answer,
            )
            return
        except StoreError as exc:
            self.fault(str(exc), None)
            return
        # What killed backups left is cleaned by the writer before the checks, which may
        # write a migration copy (checks()); an existing store is always checked then.
        self.writer = True
        self._proceed()

    def _busy_answer(self, answer: str | None) -> None:
        if answer == "read-only":
            self.read_only = True
            self._proceed()
        else:
            self.app.exit()

    def _proceed(self) -> None:
        if self.kind is StoreKind.MISSING:
            if self.read_only:
                self.fault(f"{self.path}: no store here yet", None)
            elif self.app.unencrypted:
                self._create_unencrypted()
            elif self.app.key is not None and security.passphrase_problem(self.app.key) is None:
                self._created(self.app.key)  # LINKWORKER_PASSPHRASE, as the CLI takes it
            else:
                from linkworker.tui.screens.passphrase import SetPassphraseScreen

                self.app.push_screen(
                    SetPassphraseScreen(
                        "Welcome to linkworker: set a passphrase",
                        "Your caseload will be encrypted with a passphrase you choose now. "
                        "You type it each time linkworker starts and to unlock the screen.",
                        cancellable=False,
                    ),
                    self._created,
                )
        elif self.kind is StoreKind.PLAIN:
            self._open_plain()
        else:
            self._ask_passphrase()

    def _ask_passphrase(self) -> None:
        error = None
        if self.app.key is not None:
            error = self.try_passphrase(self.app.key)
            if error is None:
                self._after_passphrase(None)
                return
        from linkworker.tui.screens.passphrase import EnterPassphraseScreen

        screen = EnterPassphraseScreen(self.path.name, self.try_passphrase)
        self.app.push_screen(screen, self._after_passphrase)
        if error:
            screen.call_after_refresh(screen.show_error, error)

    def try_passphrase(self, passphrase: str) -> str | None:
        """Open with ``passphrase``: None when open (or failed for good), else the error."""
        try:
            self.pending = self._connect(passphrase)
        except WrongPassphrase:
            from linkworker.store import backups

            # If a backup opens with it, the passphrase is right and the store is damaged
            # (a plain store whose first page is damaged looks encrypted: same answer).
            good = backups.newest_good_backup(self.path, passphrase)
            if good is None:
                return WRONG_PASSPHRASE
            why = (
                "your passphrase opens its backups"
                if store_kind(good) is StoreKind.ENCRYPTED
                else "it is not a readable linkworker store"
            )
            self.failed = (
                f"{self.path}: is damaged ({why}). Newest good backup: {good} "
                f"(`linkworker restore {good}` puts it back)"
            )
            return None
        except StoreError as exc:
            from linkworker.store import backups

            self.failed = backups.with_newest_backup(str(exc), self.path, passphrase)
            return None
        self.key = passphrase
        return None

    def _after_passphrase(self, _result: object) -> None:
        if self.pending is not None:
            self._finish()
        elif self.failed:
            self._show_fault(self.failed)

    def _created(self, passphrase: str | None) -> None:
        if passphrase is None:
            self.app.exit()
            return
        error = self.try_passphrase(passphrase)
        if error is not None or self.pending is None:
            self._show_fault(self.failed or error or f"{self.path}: could not be created")
            return
        self._finish()

    def _create_unencrypted(self) -> None:
        from linkworker.tui.screens.passphrase import SetPassphraseScreen

        try:
            self.pending = self._connect(None)
        except StoreError as exc:
            self.fault(str(exc), None)
            return
        self.app.push_screen(
            SetPassphraseScreen(
                "Set a lock passphrase",
                "This store is NOT encrypted (you chose --unencrypted). The screen still "
                "locks after a few idle minutes; a lock passphrase unlocks it. Without one, "
                "linkworker closes when idle instead (unsaved work is lost).",
                warning="",
                action_label="Set lock passphrase",
            ),
            self._lock_passphrase_set,
        )

    def _lock_passphrase_set(self, passphrase: str | None) -> None:
        if passphrase is not None and self.pending is not None:
            security.set_lock_passphrase(_database(self.pending), passphrase)
        self._finish()

    def _open_plain(self) -> None:
        try:
            conn = self._connect(None)
        except StoreError as exc:
            self.fault(str(exc), None)
            return
        self.pending = conn
        if self.read_only or security.encryption_record(conn) == UNENCRYPTED:
            self._finish()
            return
        # Anything written here comes after the checks, as ever.
        if self.unchecked and not self.checks():
            self.pending = None
            return
        if self.read_only:  # the checks found it damaged: opened read-only instead
            self._finish()
            return
        if self.app.unencrypted:
            security.record_unencrypted_choice(_database(conn), self.app.clock.now())
            self._finish()
            return
        from linkworker.tui.screens.store_choice import StoreChoiceScreen

        self.app.push_screen(
            StoreChoiceScreen(
                "This caseload is not encrypted",
                f"{self.path} is a plain SQLite file: anyone who gets the file can read it. "
                "Encrypt it now with a passphrase? (Your organisation may have chosen an "
                "unencrypted store because its disks are encrypted: then start linkworker "
                "once with --unencrypted to record that choice.)",
                [("encrypt", "Encrypt it now"), ("later", "Not now")],
            ),
            self._encrypt_answer,
        )

    def _encrypt_answer(self, answer: str | None) -> None:
        from linkworker.tui.screens.passphrase import SetPassphraseScreen

        if answer != "encrypt":
            self._finish()
            return
        self.app.push_screen(
            SetPassphraseScreen(
                "Encrypt your caseload: set a passphrase",
                "linkworker writes an encrypted copy of your store, checks it and puts it in "
                "place of the plain file; the plain backups it made are encrypted too.",
                action_label="Encrypt",
            ),
            self._encrypt_with,
        )

    def _encrypt_with(self, passphrase: str | None) -> None:
        if passphrase is None or self.pending is None:
            self._finish()
            return
        self.pending.close()
        self.pending = None
        try:
            security.encrypt_store(self.path, passphrase, self.app.clock.now())
        except (StoreError, ValueError) as exc:
            self.fault(f"{exc} (the store was left as it was)", None)
            return
        error = self.try_passphrase(passphrase)
        if self.pending is None:
            self._show_fault(self.failed or error or f"{self.path}: could not be opened")
            return
        self.app.notify(
            "Your caseload is now encrypted. Keep the passphrase in your password manager.",
            title="Encrypted",
        )
        self._finish()

    def _finish(self) -> None:
        conn, self.pending = self.pending, None
        if conn is None:
            return
        self.app.store_opened(
            conn,
            self.key,
            read_only=self.read_only,
            damaged=self.damaged,
            checks=self.checks if self.unchecked else None,
        )

    def checks(self) -> bool:
        """open_store's checks on the connection Today was painted from; False when the
        store was refused (its message is shown, and closing it ends the app).

        A damaged store is opened again read-only, as it would have been before the paint.
        """
        from linkworker.store import backups

        conn = self.app.connection if self.pending is None else self.pending
        self.unchecked = False
        if conn is None:
            return False
        if self.writer:
            backups.clean_partials(self.path)  # left by killed backups: only the writer cleans
        try:
            check_opened(conn, self.path, self.key, now=self.app.clock.now())
        except StoreDamaged as exc:
            self._opened_read_only(exc)
        except StoreError as exc:
            self.app.connection = None
            self._show_fault(backups.with_newest_backup(str(exc), self.path, self.key))
            return False
        return True

    def _opened_read_only(self, exc: StoreDamaged) -> None:
        # Damaged but readable: let the worker look (and copy things out), save nothing.
        from linkworker.store import backups

        conn = connect_raw(self.path, self.key, readonly=True)
        self.read_only = self.app.read_only = True
        self.damaged = self.app.damaged = backups.with_newest_backup(str(exc), self.path, self.key)
        if self.pending is not None:
            self.pending = conn
        else:
            self.app.connection = conn

    # --- helpers -----------------------------------------------------------------------

    def _connect(self, key: str | None) -> Connection:
        if self.read_only:
            return connect_raw(self.path, key, readonly=True)
        if self.kind is not StoreKind.MISSING:
            # WAL waits for the checks (it changes the header of a file not known to be ours).
            conn = connect_raw(self.path, key, wal=False)
            self.unchecked = True
            return conn
        try:
            return open_store(self.path, key, now=self.app.clock.now()).conn
        except StoreDamaged as exc:
            from linkworker.store import backups

            # Damaged but readable: let the worker look (and copy things out), save nothing.
            conn = connect_raw(self.path, key, readonly=True)
            self.read_only = True
            self.damaged = backups.with_newest_backup(str(exc), self.path, key)
            return conn

    def fault(self, message: str, key: str | None) -> None:
        """Show one message naming the newest good backup; closing it ends the app."""
        from linkworker.store import backups

        self._show_fault(backups.with_newest_backup(message, self.path, key))

    def _show_fault(self, body: str) -> None:
        # The dialog family loads only when there is a fault to show: not on a good start.
        from linkworker.tui.dialogs import MessageDialog

        self.app.push_screen(
            MessageDialog("linkworker cannot open the store", body, quit_on_close=True)
        )


def _backed_up(path: Path) -> bool:
    """Whether ``path`` has backups (the backups module loads only for a missing store)."""
    from linkworker.store import backups

    return bool(backups.list_backups(path))


def _database(conn: Connection) -> Database:
    """A sqlite-utils Database on the connection, for the writes the opening makes."""
    from sqlite_utils import Database

    return Database(conn)
