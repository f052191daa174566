"""Opening many sealed files on every core gives what opening them one by one gives, in
the same order, and stops when the caller stops (linkworker.team.sealed_files)."""

from __future__ import annotations

import multiprocessing
import os
from datetime import datetime
from pathlib import Path

import pytest

from linkworker.formats.sealed import KnownKeys, Opened, new_identity, seal, unseal
from linkworker.team import sealed_files

NOW = datetime(2026, 12, 1, 9, 0)


def _files(tmp_path: Path, count: int) -> tuple[sealed_files.Reader, list[Path]]:
    hub, ann = new_identity(), new_identity()
    known = KnownKeys({"Ann": ann.public()})
    paths = []
    for i in range(count):
        path = tmp_path / f"b{i:02d}.sealed"
        blob = seal("bundle", f"{i}".encode(), sender=ann, recipients=[hub.public()], now=NOW)
        path.write_bytes(blob)
        paths.append(path)
    changed = bytearray(paths[3].read_bytes())
    changed[-5] ^= 1
    paths[3].write_bytes(bytes(changed))
    paths[5] = tmp_path / "missing.sealed"

    def read(blob: bytes, kind: str) -> Opened:
        return unseal(blob, kind=kind, me=hub, known=known)

    return read, paths


def _shown(outcomes: list[tuple[Path, sealed_files.Outcome]]) -> list[tuple[str, str]]:
    return [
        (path.name, o if isinstance(o, str) else f"{o.sender_name}:{o.payload.decode()}")
        for path, o in outcomes
    ]


def test_on_every_core_the_same_outcomes_in_the_same_order(tmp_path: Path) -> None:
    read, paths = _files(tmp_path, 40)
    one_by_one = list(sealed_files.open_files(read, "bundle", paths, parallel_from=10_000))
    on_every_core = list(sealed_files.open_files(read, "bundle", paths, parallel_from=1))
    assert _shown(on_every_core) == _shown(one_by_one)
    shown = dict(_shown(one_by_one))
    assert shown["b00.sealed"] == "Ann:0" and shown["b39.sealed"] == "Ann:39"
    assert shown["b03.sealed"].startswith("this file was changed after it was written")
    assert shown["missing.sealed"].startswith("cannot be read (")


def test_closing_early_stops_the_workers(tmp_path: Path) -> None:
    read, paths = _files(tmp_path, 40)
    opened = sealed_files.open_files(read, "bundle", paths, parallel_from=1)
    assert next(opened)[0] == paths[0]
    opened.close()  # what a refused bundle does: no error, no worker left behind
    assert sealed_files._inherited is None
    assert multiprocessing.active_children() == []
    with pytest.raises(StopIteration):
        next(opened)


_REAL = sealed_files._open_inherited


def _dies_on_the_tenth(paths: list[Path]) -> list[sealed_files.Outcome]:
    if any(path.name == "b09.sealed" for path in paths):
        os._exit(1)  # a worker process killed (out of memory, say)
    return _REAL(paths)


def test_a_worker_that_dies_leaves_the_rest_to_be_opened_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read, paths = _files(tmp_path, 40)
    one_by_one = list(sealed_files.open_files(read, "bundle", paths, parallel_from=10_000))
    monkeypatch.setattr(sealed_files, "_open_inherited", _dies_on_the_tenth)
    opened = list(sealed_files.open_files(read, "bundle", paths, parallel_from=1))
    assert _shown(opened) == _shown(one_by_one)
