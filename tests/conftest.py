"""Shared fixtures. Every test gets its own LINKWORKER_HOME so none can touch a real caseload."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from tests import factories, slow_first

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker.clock import Clock, fixed
from linkworker.store.db import Database, open_store

TODAY = date(2026, 11, 23)
SHARED = Path(__file__).resolve().parents[2] / "shared"
#: Where the tests' scratch folders go when the machine has one: a memory file system.
MEMORY_TMP = Path("/dev/shm")


def pytest_configure(config: pytest.Config) -> None:
    """Put every test's scratch folder (tmp_path) in memory when the machine has /dev/shm.

    Nothing a test checks depends on the disk: a SIGKILL loses no written page (only a power
    cut needs fsync, and the tests that check fsync is called replace it). But SQLite syncs
    on every commit, and on this project's 2-core machine an fsync costs 5-7 ms, so on disk
    most of the crash tests' time was spent flushing (`encrypt` killed 20 times: 96 s on
    disk, 10 s in memory). A TMPDIR or --basetemp the runner chose is kept. xdist's workers
    inherit the setting (they start after this runs, and run it themselves too).
    """
    chosen = os.environ.get("TMPDIR") or config.option.basetemp
    if not chosen and MEMORY_TMP.is_dir() and os.access(MEMORY_TMP, os.W_OK | os.X_OK):
        os.environ["TMPDIR"] = str(MEMORY_TMP)
        tempfile.tempdir = None  # gettempdir() looks again
    # Modules imported while tests are collected, before any test's own home is set, keep
    # their caches (package_toml.py) somewhere: never in the real home.
    home = tempfile.mkdtemp(prefix="linkworker-tests-home-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ["LINKWORKER_HOME"] = home


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist, each worker's tests start with its share of the slow ones (slow_first.py).

    Every worker collects and orders the same way, as xdist requires; run in one process
    (no workers) the order is the files' own.
    """
    workers = getattr(config, "workerinput", {}).get("workercount")
    if workers:
        ids = [item.nodeid for item in items]
        items[:] = slow_first.spread(items, ids, slow_first.recorded(), int(workers))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every data and config location at a fresh folder under tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("LINKWORKER_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("LINKWORKER_PASSPHRASE", raising=False)
    return home


@pytest.fixture(autouse=True)
def validation_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Models validated without a "today" in their context check dates against TODAY.

    The core falls back to the machine's date there (linkworker.models.base.machine_today);
    pinned, no test passes or fails by the day it runs on.
    """
    from linkworker.models import base

    assert hasattr(base, "machine_today"), "the validation's fallback 'today' moved: pin it"
    monkeypatch.setattr(base, "machine_today", lambda: TODAY)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def clock() -> Clock:
    return fixed(TODAY)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


def _template(path: Path, fill: Callable[[Database], object] | None = None) -> Path:
    """Create a migrated store at ``path``, let ``fill`` write to it, checkpoint and close it.

    The checkpoint leaves the whole store in the main file, so shutil.copyfile of that
    file alone is a complete store (closing removes the -wal and -shm files).
    """
    database = open_store(path)
    if fill is not None:
        fill(database)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty migrated store, built once per session (per xdist worker) and copied per test.

    The migration and store-opening tests open real fresh files (``store_path``) instead.
    """
    return _template(tmp_path_factory.mktemp("empty") / "empty.db")


@pytest.fixture(scope="session", autouse=True)
def new_stores_are_copies(empty_template: Path) -> Iterator[None]:
    """A store a test makes with ``factories.open_store`` / ``store_at`` copies the template.

    Tests of creating and migrating a store call ``linkworker.store.db.open_store`` itself.
    """
    # Test modules import the builders as ``factories`` or as ``tests.factories``: two
    # module objects of one file (both are loaded by now: collection comes first).
    builders = {factories, sys.modules.get("factories", factories)}
    for module in builders:
        module.use_template(empty_template)
    yield
    for module in builders:
        module.use_template(None)


@pytest.fixture
def empty_store_path(empty_template: Path, store_path: Path) -> Path:
    """A private copy of the empty migrated store, at ``store_path``."""
    shutil.copyfile(empty_template, store_path)
    return store_path


@pytest.fixture
def db(empty_store_path: Path) -> Iterator[Database]:
    """An empty, migrated store (a copy of the session's template), open."""
    database = open_store(empty_store_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-person demo store, built once per test session and copied per test."""
    from linkworker.demo import write_demo

    return _template(
        tmp_path_factory.mktemp("demo") / "demo.db",
        lambda database: write_demo(database, people=60, seed=7, today=TODAY),
    )


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = open_store(demo_path)
    yield database
    database.close()


# --- store safety (issue 8): encrypted stores and comparing whole stores ------------------

PASSPHRASE = "kettle orbit meadow sparrow"


@pytest.fixture
def passphrase() -> str:
    """A passphrase that meets the strength rule."""
    return PASSPHRASE


@pytest.fixture(scope="session")
def encrypted_demo_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 60-person demo store, encrypted with PASSPHRASE (built once per session)."""
    from datetime import datetime

    from linkworker.store.security import encrypt_store

    path = tmp_path_factory.mktemp("encrypted-demo") / "demo.db"
    shutil.copyfile(demo_template, path)
    encrypt_store(path, PASSPHRASE, datetime(2026, 11, 23, 9, 0))
    return path


@pytest.fixture
def encrypted_demo_path(encrypted_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the encrypted demo store."""
    target = tmp_path / "encrypted.db"
    shutil.copyfile(encrypted_demo_template, target)
    return target


def all_rows(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (FTS shadow tables aside), ordered: to compare two stores."""
    names = [
        str(r[0])
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts_%' ORDER BY name"
        ).fetchall()
    ]
    return {
        name: [tuple(r) for r in db.execute(f"SELECT * FROM [{name}] ORDER BY 1, 2").fetchall()]
        for name in names
    }


@pytest.fixture
def dump_tables() -> object:
    """all_rows(db), as a fixture so that test modules need not import conftest."""
    return all_rows
