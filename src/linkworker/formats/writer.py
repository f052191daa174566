"""The one file writer: every file linkworker writes for the user goes through here.

A file is first written to a temporary file in the target's own folder (created 0600,
whatever the umask), flushed and fsynced, then moved into place: by a hard link when it must
not replace anything (the link fails if a file appeared meanwhile), by ``os.replace`` when the
user asked to replace (``force``). A crash or a full disc therefore never leaves half a file,
and a file the user already has is never replaced by accident. A folder made here is 0700.

Several files (the CSV tables, a subject access export's .json and .md) are all checked first,
then all written to temporary files, and only then moved into place, so an error leaves
nothing half-written. Store files, backups and settings are the store's own business.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

#: Everything linkworker writes is readable by the link worker alone.
FILE_MODE = 0o600
FOLDER_MODE = 0o700


class ExportError(ValueError):
    """A file cannot be written; the message is one line naming the file and the reason."""


class TargetExistsError(ExportError):
    """The file exists and replacing it was not asked for.

    The message is the command line's ("use --force"); a screen words its own from ``path``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists; use --force to replace it")


def _cannot(path: Path, exc: OSError) -> ExportError:
    return ExportError(f"cannot write {path}: {exc.strerror or exc}")


def _check_folder(folder: Path, path: Path, *, may_make: bool = False) -> None:
    if not folder.exists():
        if may_make:  # made here: the folder above it must exist and take a new folder
            _check_folder(folder.parent, folder)
            return
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: no permission to write in {folder}")


def check_target(path: Path, force: bool, *, folder_may_be_made: bool = False) -> None:
    """Refuse, in one line, a target that exists (without ``force``) or cannot be written.

    ``folder_may_be_made``: the target's folder may be missing if the folder above it
    exists and is writable (the CSV tables of a caseload export go in a new folder).
    """
    path = path.expanduser()
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    if path.exists() and not force:
        raise TargetExistsError(path)
    _check_folder(path.parent, path, may_make=folder_may_be_made)


def make_folder(folder: Path, *, parents: bool = False) -> Path:
    """Make ``folder`` (and, with ``parents``, the folders above it) readable by the user
    alone; a folder that exists already is left as it is."""
    folder = folder.expanduser()
    if folder.is_dir():
        return folder
    if parents and not folder.parent.exists():
        make_folder(folder.parent, parents=True)
    try:
        folder.mkdir(mode=FOLDER_MODE)
        folder.chmod(FOLDER_MODE)  # mkdir's mode is cut by the umask; this is not
    except FileExistsError:
        if not folder.is_dir():
            raise ExportError(f"cannot make the folder {folder}: a file has that name") from None
    except OSError as exc:
        raise ExportError(f"cannot make the folder {folder}: {exc.strerror or exc}") from exc
    return folder


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path`` (0600), fsynced; its name."""
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue  # another writer's temporary file: pick another name
        except OSError as exc:
            raise _cannot(path, exc) from exc
        break
    try:
        os.fchmod(descriptor, FILE_MODE)  # os.open's mode is cut by the umask; this is not
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise _cannot(path, exc) from exc
    return temporary


def _place(temporary: Path, path: Path, force: bool) -> None:
    """Move a staged file into place: replacing only with ``force``."""
    try:
        if force:
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise TargetExistsError(path) from None
        except OSError:
            # A file system without hard links: the check before writing is the guard.
            if path.exists():
                raise TargetExistsError(path) from None
            os.replace(temporary, path)
    except OSError as exc:
        raise _cannot(path, exc) from exc


def _sync_folder(folder: Path) -> None:
    # So the renames themselves survive a power cut; not every file system allows it.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_files(
    files: Sequence[tuple[Path, bytes]],
    *,
    force: bool = False,
    progress: Callable[[Path], None] | None = None,
    make_folders: bool = False,
) -> list[Path]:
    """Write several files, all or nothing; returns their paths.

    Every target is checked before anything is written, every file is staged before any is
    moved into place, and if one cannot be placed the new files already placed are taken
    away again (a file replaced with ``force`` cannot be given back). ``make_folders``
    makes a missing folder (0700) for the files, as :func:`check_target` allows.
    ``progress`` is told of each file once it is in place.
    """
    targets = [(path.expanduser(), data) for path, data in files]
    for path, _ in targets:
        check_target(path, force, folder_may_be_made=make_folders)
    made = [p.parent for p, _ in targets if not p.parent.exists()]
    for folder in dict.fromkeys(made):
        make_folder(folder)
    staged: list[Path] = []
    created: list[Path] = []
    try:
        for path, data in targets:
            staged.append(_stage(path, data))
        for temporary, (path, _) in zip(staged, targets, strict=True):
            existed = path.exists()
            _place(temporary, path, force)
            if not existed:
                created.append(path)
            if progress:
                progress(path)
    except BaseException:
        _remove([*staged, *created], folders=made)
        raise
    _remove(staged)  # a hard link leaves the temporary name behind
    for folder in dict.fromkeys(p.parent for p, _ in targets):
        _sync_folder(folder)
    return [path for path, _ in targets]


def _remove(files: list[Path], *, folders: Sequence[Path] = ()) -> None:
    """Take away files this writer made, then the folders it made if they are empty."""
    for path in files:
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in dict.fromkeys(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def write_file(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write one file safely (see the module docstring); returns its path."""
    return write_files([(path, data)], force=force)[0]


def write_text(path: Path, text: str, *, force: bool = False) -> Path:
    """Write one text file as UTF-8 (see :func:`write_file`)."""
    return write_file(path, text.encode("utf-8"), force=force)


def describe_written(path: Path) -> str:
    """'wrote PATH (12.3 kB)' for the one-line report of what was written."""
    size = path.stat().st_size
    shown = f"{size} bytes" if size < 1000 else f"{size / 1000:.1f} kB"
    return f"wrote {path} ({shown})"
