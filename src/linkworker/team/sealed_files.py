"""Open many sealed files at once, on every core of the machine.

Opening a sealed file is mostly two public-key operations (age's X25519 to decrypt it,
ed25519 to check who signed it), about 0.2 ms a file, and both hold Python's lock, so
threads do not help. A hub opening hundreds of workers' bundles forks worker processes
instead: they inherit the reader (the hub's key pair and its kept keys) from this process,
so nothing secret goes through a pipe, and they send back only what each file held,
which the caller takes in file order, as if it had opened them one by one. Few files, one
core, or a system without ``fork`` open them here, one by one: the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from linkworker.formats.sealed import Opened, SealError

#: Opens one sealed file's bytes as a given kind (see ``keys.sealed_reader``).
Reader = Callable[[bytes, str], Opened]
#: What one file gave: what it held, or why it cannot be used (one line).
Outcome = Opened | str
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 48
#: Files a worker process opens in one go (fewer round trips through its pipe).
_CHUNK = 8

# The reader and kind the forked workers inherit; set only while a pool is open.
_inherited: tuple[Reader, str] | None = None


def open_one(read: Reader, kind: str, path: Path) -> Outcome:
    """What ``path`` holds, or why it cannot be used."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    try:
        return read(blob, kind)
    except SealError as exc:
        return str(exc)


def _open_inherited(paths: Sequence[Path]) -> list[Outcome]:
    assert _inherited is not None, "a worker process without its reader"
    return [open_one(*_inherited, path) for path in paths]


def _workers(files: int, parallel_from: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if files < parallel_from or (cores or 1) < 2:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(cores or 1, 4)


def open_files(
    read: Reader, kind: str, paths: Sequence[Path], *, parallel_from: int | None = None
) -> Generator[tuple[Path, Outcome], None, None]:
    """Each of ``paths`` with what it holds (or why not), in order; on several cores
    when there are at least ``parallel_from`` files (:data:`PARALLEL_FROM`). Closing the
    generator early stops the workers."""
    workers = _workers(len(paths), PARALLEL_FROM if parallel_from is None else parallel_from)
    if not workers:
        for path in paths:
            yield path, open_one(read, kind, path)
        return
    global _inherited
    _inherited = (read, kind)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    chunks = (paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK))
    # A few chunks a worker in flight, no more: what has been opened but not yet taken
    # stays a few files long however many files there are (memory stays flat).
    in_flight: deque[tuple[Sequence[Path], Future[list[Outcome]]]] = deque()
    taken = 0

    def ready(keep: int) -> Iterator[tuple[Path, Outcome]]:
        nonlocal taken
        while len(in_flight) > keep:
            done, future = in_flight.popleft()
            yield from zip(done, future.result(), strict=True)
            taken += len(done)

    try:
        for chunk in chunks:
            in_flight.append((chunk, pool.submit(_open_inherited, chunk)))
            yield from ready(keep=2 * workers - 1)
        yield from ready(keep=0)
    except BrokenProcessPool:
        # A worker process died (killed, out of memory): the rest are opened here.
        for path in paths[taken:]:
            yield path, open_one(read, kind, path)
    finally:
        # A refused file ends the reading: what is still queued is not opened.
        pool.shutdown(wait=True, cancel_futures=True)
        _inherited = None
