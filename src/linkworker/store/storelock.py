"""Single writer: one linkworker at a time may change a store.

The app (and every CLI command that writes) holds an operating-system lock on a small
file beside the store, ``<store>.lock``, for as long as it has the store open: ``flock``
on Linux and macOS, ``msvcrt.locking`` on Windows. The operating system drops the lock
when the process ends, however it ends (a crash or SIGKILL included), so a stale lock
can never keep you out. The file holds only the holder's process id, machine name and
start time, for the message a second instance shows; it is never deleted (deleting a lock
file while another process waits on it would let two processes each lock a different
file).

Network drives may not honour these locks: keep the store on a local disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType

from linkworker.store.db import StoreError, make_private_folder


class StoreBusy(StoreError):
    """Another linkworker has the store open for writing."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


def lock_path(store: Path) -> Path:
    """The lock file that goes with a store."""
    return store.with_name(store.name + ".lock")


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _unlock(handle: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(handle, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(handle, fcntl.LOCK_UN)


def _describe_holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "another linkworker"
    parts = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    pid, host, since = parts.get("pid"), parts.get("host"), parts.get("since")
    if not pid:
        return "another linkworker"
    where = f" on {host}" if host and host != socket.gethostname() else ""
    when = f" since {since}" if since else ""
    return f"another linkworker (process {pid}{where}{when})"


class StoreLock:
    """The lock that makes this process the store's only writer. Release it when done."""

    def __init__(self, store: Path, handle: int) -> None:
        self.store = store
        self.path = lock_path(store)
        self._handle: int | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        """Give the store up (the operating system also does this when the process ends)."""
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        with contextlib.suppress(OSError):
            os.ftruncate(handle, 0)
        _unlock(handle)
        os.close(handle)

    def __enter__(self) -> StoreLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def acquire(store: Path, now: datetime | None = None) -> StoreLock:
    """Take the store's lock or raise :class:`StoreBusy` naming who holds it.

    A folder that cannot hold the lock file (read-only, missing permission) raises
    :class:`StoreError`: linkworker could not save anything there either.
    """
    path = lock_path(store)
    try:
        make_private_folder(store.parent)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreError(
                f"{store.parent}: is read-only, so linkworker cannot open the store there for "
                "writing (it keeps a lock file and a journal beside the store); copy the "
                "store to a folder you can write to"
            ) from exc
        if exc.errno == errno.ENOSPC:
            raise StoreError(f"{store.parent}: the disk is full; free some space first") from exc
        raise StoreError(f"{path}: cannot be created ({exc.strerror})") from exc
    try:
        locked = _try_lock(handle)
    except OSError as exc:
        os.close(handle)
        raise StoreError(f"{path}: cannot be locked ({exc.strerror})") from exc
    if not locked:
        os.close(handle)
        holder = _describe_holder(path)
        raise StoreBusy(f"{store}: {holder} has this store open", holder)
    stamp = (now or datetime.now()).strftime("%d %b %Y %H:%M")
    note = f"pid={os.getpid()}\nhost={socket.gethostname()}\nsince={stamp}\n".encode()
    with contextlib.suppress(OSError):
        os.ftruncate(handle, 0)
        os.lseek(handle, 0, os.SEEK_SET)
        os.write(handle, note)
    return StoreLock(store, handle)
