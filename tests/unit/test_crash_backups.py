"""Issue 19 item 4: `passphrase` and `encrypt` killed with SIGKILL at spread-out points.

The operation is forked in this process (no interpreter is started per kill). Each child
counts the steps it takes: every line run in ``linkworker.store`` and every 1000 SQLite
virtual-machine instructions (a progress handler on each connection it makes, so kills
land inside a copy, an ``sqlcipher_export`` or an integrity check too). A first child runs
the operation whole and reports how many steps it took; kill ``i`` of ``n`` then lands at
a random step inside the ``i``-th ``n``-th of that range. Nothing waits on a clock, so a
busy machine cannot move a kill: a step that never comes counts as a run that finished.

All ``n`` kill points are taken from ONE run of the operation (run again from the start
for each kill, the rounds spent most of their time re-running the same first steps): a
second child stops itself (SIGSTOP) at each kill point in turn, and while it is stopped
the parent copies the folder. That copy is exactly what a SIGKILL at that step leaves: a
kill runs no clean-up, every write the child has made is in the files and none it has not
made is (the child is stopped between two of its own statements, and the system keeps
written pages without fsync). The child is then SIGKILLed for real at the last kill point,
and the folder it leaves is checked to be the same, byte for byte, as the copy taken there.

Each copy is put back at the folder's own path (journals name files by path) and opened as
a user would (with whichever passphrase opens it; for ``encrypt`` the plain store when it
is still plain): the partials of killed copies are cleaned and the interrupted work
finished or undone (what every command and the app do, see cli/store.py and
store/journal.py), and the command is run again if it had not taken effect. Then EVERY
file under the folder is checked: each database opens with exactly the new passphrase
(never the old one, never plain), no journal, ``.rekeyed``, ``.partial`` or
``.encrypting`` file is left, and no file holds the person's name in plain text.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from random import Random
from types import FrameType
from typing import Any

import pytest

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker import people
from linkworker.clock import fixed
from linkworker.models import PersonDetails
from linkworker.store import backups, db, driver, journal, security
from linkworker.store.db import StoreError, connect, is_plain_sqlite, open_store

KILLS = 100
OLD, NEW = "kettle orbit meadow sparrow", "lantern quarry thistle beacon"
NOW = datetime(2026, 11, 23, 9, 0)
MARKER = "Quillfeather"  # the family name on record: found in no file in plain text
STORE_CODE = str(Path(security.__file__).parent)
VM_STEP = 1000  # SQLite instructions between two counted steps
BACKUPS = 2  # two, so a kill can land between converting one and the other
LEFTOVERS = (".backups-journal", ".rekeyed", ".partial", ".encrypting")


@dataclass
class Outcome:
    """What the rounds of one operation checked."""

    steps: int = 0  # steps the whole operation takes
    runs: int = 0  # rounds checked
    kills: int = 0  # children SIGKILLed before they finished
    finished: int = 0  # children that finished before their step came
    files_checked: int = 0
    tenths: set[int] = field(default_factory=set)  # which tenths of the range kills hit
    phases: dict[str, int] = field(default_factory=dict)  # the state each kill left
    failures: list[dict[str, Any]] = field(default_factory=list)


# --- the child: count steps, stop at step k ---------------------------------------------


def _count_steps(stops: frozenset[int]) -> Callable[[], int]:
    """Count this process's steps from now on; stop it (SIGSTOP) at each step in ``stops``."""
    count = [0]

    def step() -> None:
        count[0] += 1
        if count[0] in stops:
            os.kill(os.getpid(), signal.SIGSTOP)  # the parent copies the folder, then goes on

    def local(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            step()
        return local

    def calls(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename.startswith(STORE_CODE) else None

    real_connect = driver.dbapi2.connect

    def counted_connect(*args: Any, **kwargs: Any) -> Any:
        conn = real_connect(*args, **kwargs)
        conn.set_progress_handler(lambda: step() or 0, VM_STEP)
        return conn

    driver.dbapi2.connect = counted_connect
    sys.settrace(calls)
    return lambda: count[0]


def _fork(operation: Callable[[], None], stops: frozenset[int]) -> tuple[int, int]:
    """Run ``operation`` in a child; (the pid, a pipe that gets its step count or error)."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child never returns to pytest
        os.close(read_end)
        code = 0
        try:
            steps = _count_steps(stops)
            operation()
            sys.settrace(None)
            message = str(steps())
        except BaseException:
            sys.settrace(None)
            message, code = traceback.format_exc(), 3
        os.write(write_end, message.encode())
        os._exit(code)
    os.close(write_end)
    return child, read_end


def _read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode()


def _ended(child: int, status: int, pipe: int) -> tuple[str, str]:
    """How a child that was not stopped ended: ('finished'|'failed', what it wrote)."""
    text = _read_all(pipe)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return "finished", text
    return "failed", text


def _run_whole(operation: Callable[[], None]) -> tuple[str, str]:
    """Run ``operation`` to its end in a counting child: ('finished'|'failed', text)."""
    child, pipe = _fork(operation, frozenset())
    _, status = os.waitpid(child, 0)
    return _ended(child, status, pipe)


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@dataclass
class Stops:
    """What one run of the operation, stopped at every kill point, left behind."""

    copies: dict[int, Path]  # kill step -> the folder as the kill there left it
    how: str  # how the child ended: 'killed' (at the last step), 'finished' or 'failed'
    text: str = ""  # what a child that ended by itself wrote
    same_as_copy: bool = True  # the folder the real SIGKILL left is the copy taken there


def _stop_at_each(
    operation: Callable[[], None], stops: list[int], work: Path, shots: Path
) -> Stops:
    """Run ``operation`` once, copying ``work`` at each step of ``stops`` (ascending).

    The child is SIGKILLed at the last step (its folder is compared with the copy taken
    there); a child that ends first leaves the steps after its end without a copy.
    """
    child, pipe = _fork(operation, frozenset(stops))
    copies: dict[int, Path] = {}
    while True:
        _, status = os.waitpid(child, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            return Stops(copies, *_ended(child, status, pipe))
        step = stops[len(copies)]
        copies[step] = shutil.copytree(work, shots / str(step), symlinks=True)
        if len(copies) == len(stops):
            break
        os.kill(child, signal.SIGCONT)
    os.kill(child, signal.SIGKILL)
    _, status = os.waitpid(child, 0)
    os.close(pipe)
    how = "killed" if os.WIFSIGNALED(status) else "failed"
    return Stops(copies, how, same_as_copy=_contents(work) == _contents(copies[step]))


# --- the parent: build, recover as a user would, check every file -------------------------


def _opens(path: Path, key: str | None) -> bool:
    if (key is None) != is_plain_sqlite(path):
        return False
    try:
        connect(path, key, wal=False).close()
    except StoreError:
        return False
    return True


def _build(folder: Path, key: str | None) -> Path:
    """A store (encrypted with ``key``, or plain) holding one person and BACKUPS backups."""
    folder.mkdir(parents=True)
    store = folder / "s.db"
    database = open_store(store, key)
    details = PersonDetails(given_name="Ada", family_name=MARKER)
    people.add_person(database, details, fixed(date(2026, 11, 23)))
    for minute in range(1, BACKUPS + 1):
        backups.take_backup(database, store, key, NOW.replace(minute=minute))
    database.close()
    return store


def _change(store: Path, old: str, new: str) -> None:
    database = open_store(store, old)
    try:
        security.change_passphrase(database, store, old, new)
    finally:
        database.close()


def _phase(store: Path, new: str) -> str:
    """Where the kill left the operation (the tests asserts kills hit every phase)."""
    left = journal.journal_path(store).exists()
    done = _opens(store, new)
    return {
        (False, False): "before",
        (True, False): "store not changed yet",
        (True, True): "store changed, backups left",
        (False, True): "done",
    }[(left, done)]


def _recover(store: Path, old: str | None, new: str, rerun: Callable[[], None]) -> None:
    """Open the store as the next command would; run the command again if it was lost."""
    backups.clean_partials(store)
    key = new if _opens(store, new) else old
    security.resume_interrupted(store, key)
    if key == old:
        rerun()


def _check_files(folder: Path, store: Path, old: str | None, new: str) -> tuple[int, list[str]]:
    """(files checked, what is wrong): every database opens with exactly ``new``."""
    wrong: list[str] = []
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        if path.name.endswith(LEFTOVERS):
            wrong.append(f"{path.name}: left behind")
        if MARKER.encode() in path.read_bytes():
            wrong.append(f"{path.name}: holds a name in plain text")
        if path.suffix != ".db":
            continue  # -wal, -shm: pages of the store, checked for plain text above
        if not _opens(path, new):
            wrong.append(f"{path.name}: does not open with the new passphrase")
        if old is not None and _opens(path, old):
            wrong.append(f"{path.name}: still opens with the old passphrase")
    copies = [p for p in files if p.suffix == ".db" and p != store]
    if len(copies) < BACKUPS:
        wrong.append(f"only {len(copies)} backups left")
    return len(files), wrong


@contextlib.contextmanager
def _keys_kept(salt: bytes) -> Iterator[None]:
    """One salt for every encrypted file and no derived key forgotten: one derivation each.

    Both passphrases' keys are derived once here, before the first fork, so no child and
    no rerun pays SQLCipher's key derivation (about 100 ms) again.
    """
    saved = security.new_salt, db.new_salt, security.forget_key, os.fsync
    security.new_salt = db.new_salt = lambda: salt
    security.forget_key = lambda passphrase: None
    # A SIGKILL loses no written page (the system still has them; only a power cut needs
    # fsync), so flushing to the disk is skipped: it cost most of the test's time.
    os.fsync = lambda fd: None
    for passphrase in (OLD, NEW):
        db.derive_key(passphrase, salt)
    try:
        yield
    finally:
        security.new_salt, db.new_salt, security.forget_key, os.fsync = saved


def kill_rounds(folder: Path, operation: str, kills: int, seed: int = 19) -> Outcome:
    """Kill ``operation`` ('passphrase' or 'encrypt') ``kills`` times and check each time."""
    with _keys_kept(os.urandom(db.SALT_BYTES)):
        template = folder / "template"
        store = _build(template, None if operation == "encrypt" else OLD)
        return _rounds(folder, template, store.name, operation, kills, Random(seed))


def _rounds(
    folder: Path, template: Path, name: str, operation: str, kills: int, rng: Random
) -> Outcome:
    work, probe, shots = folder / "work", folder / "probe", folder / "kills"
    shutil.copytree(template, probe)
    outcome = Outcome()
    old, new = (None, OLD) if operation == "encrypt" else (OLD, NEW)
    store = work / name

    def run_on(store: Path) -> Callable[[], None]:
        if old is None:
            return lambda: security.encrypt_store(store, new, NOW) and None
        return lambda: _change(store, old, new)

    how, text = _run_whole(run_on(probe / name))
    assert how == "finished", text
    outcome.steps = int(text)
    stops = [1 + int((i + rng.random()) * outcome.steps / kills) for i in range(kills)]
    assert stops == sorted(set(stops)), "two kill points on one step"
    shutil.copytree(template, work)
    run = _stop_at_each(run_on(store), stops, work, shots)
    if run.how == "failed" or not run.same_as_copy:
        outcome.failures.append({"child": run.text, "killed folder as copied": run.same_as_copy})
        return outcome
    # The steps after a finished run's end are checked on the folder the whole run left.
    finished = shutil.copytree(work, shots / "finished", symlinks=True)
    for i, stop_at in enumerate(stops):
        copy = run.copies.get(stop_at)
        shutil.rmtree(work)
        shutil.copytree(copy or finished, work, symlinks=True)
        outcome.runs += 1
        if copy is not None:
            outcome.kills += 1
            outcome.tenths.add(10 * (stop_at - 1) // outcome.steps)
            phase = _phase(store, new)
            outcome.phases[phase] = outcome.phases.get(phase, 0) + 1
        else:
            outcome.finished += 1
        _recover(store, old, new, run_on(store))
        checked, wrong = _check_files(work, store, old, new)
        outcome.files_checked += checked
        if wrong:
            outcome.failures.append({"round": i, "step": stop_at, "wrong": wrong})
    return outcome


def _outcome_of(folder: Path, operation: str) -> Outcome:
    if threading.active_count() == 1:
        return kill_rounds(folder, operation, KILLS)
    # Another thread (left by an earlier test) could hold a lock when fork() copies the
    # process, so the rounds run in one fresh interpreter instead (never one per kill).
    done = subprocess.run(
        [sys.executable, __file__, str(folder), operation, str(KILLS)],
        capture_output=True,
        text=True,
        timeout=600,  # only against a hang: the rounds are counted, not timed
        check=False,
    )
    assert done.returncode == 0, done.stderr
    raw = json.loads(done.stdout)
    raw["tenths"] = set(raw["tenths"])
    return Outcome(**raw)


def _assert_every_kill_checked(outcome: Outcome, phases: set[str]) -> None:
    assert outcome.failures == [], outcome.failures[:5]
    assert outcome.runs == KILLS
    assert outcome.kills + outcome.finished == KILLS
    # The step count is the same from run to run, so (almost) every kill lands ...
    assert outcome.kills >= KILLS - 5, outcome
    # ... at points spread over the whole operation, leaving it in every state it has.
    assert outcome.tenths == set(range(10)), outcome.tenths
    assert phases <= set(outcome.phases), outcome.phases
    # Every round checked the store and its backups at least.
    assert outcome.files_checked >= (1 + BACKUPS) * KILLS


@pytest.mark.parametrize("operation", ["passphrase", "encrypt"])
def test_killed_passphrase_and_encrypt_leave_every_backup_on_exactly_the_new_passphrase(
    tmp_path: Path, operation: str
) -> None:
    outcome = _outcome_of(tmp_path, operation)
    _assert_every_kill_checked(
        outcome, {"before", "store not changed yet", "store changed, backups left"}
    )


if __name__ == "__main__":  # the fresh interpreter _outcome_of starts beside other threads
    result = kill_rounds(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
    print(json.dumps({**asdict(result), "tenths": sorted(result.tenths)}))
