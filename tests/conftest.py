"""Shared fixtures. Every test gets its own LINKWORKER_HOME so none can touch a real caseload."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker.clock import Clock, fixed
from linkworker.db import Database, open_store

TODAY = date(2026, 11, 23)
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every data and config location at a fresh folder under tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("LINKWORKER_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("LINKWORKER_PASSPHRASE", raising=False)
    return home


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def clock() -> Clock:
    return fixed(TODAY)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def db(store_path: Path) -> Iterator[Database]:
    """An empty, migrated store."""
    database = open_store(store_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-person demo store, built once per test session and copied per test."""
    from linkworker.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_store(path)
    write_demo(database, people=60, seed=7, today=TODAY)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store."""
    import shutil

    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    database = open_store(demo_path)
    yield database
    database.close()
