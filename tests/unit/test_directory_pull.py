"""`directory pull`: an ORUK API served by a local HTTP server on 127.0.0.1 (paging, an
incremental pull, summaries, a slow page, a 500, truncated JSON, a wrong total_pages, Ctrl+C).
No test sleeps for real: the backoff's sleep is injected."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from tests.factories import open_store
from tests.feed_server import Feed, service, serving

from linkworker.cli import main
from linkworker.clock import Clock
from linkworker.directory import pull
from linkworker.store.db import Database


@pytest.fixture
def feed() -> Iterator[tuple[Feed, str]]:
    with serving() as served:
        yield served


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    store = open_store(tmp_path / "s.db")
    yield store
    store.close()


Sleeps = list[float]


def run_pull(
    db: Database, url: str, clock: Clock, sleeps: Sleeps | None = None, **kwargs: Any
) -> pull.PullReport:
    waits = sleeps if sleeps is not None else []
    client = httpx.Client(timeout=httpx.Timeout(kwargs.pop("timeout", 5.0)))
    with client:
        return pull.pull(db, url, clock, client=client, sleep=waits.append, per_page=2, **kwargs)


def names(db: Database) -> list[str]:
    return [r["name"] for r in db.query("SELECT name FROM activities ORDER BY name")]


def test_every_page_is_read_and_the_source_remembered(
    db: Database, feed: tuple[Feed, str], clock: Clock
) -> None:
    served, url = feed
    seen: list[tuple[int, int]] = []
    report = run_pull(db, url, clock, name="Council", progress=lambda d, t: seen.append((d, t)))
    assert report.fetched.complete and report.fetched.pages == 3
    assert names(db) == [f"Activity {n}" for n in range(5)]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert next(p for p in served.requests if "page=" in p).endswith("page=1&per_page=2")
    (source,) = pull.sources(db)
    assert (source["name"], source["url"], source["services"], source["new"]) == (
        "Council",
        f"{url}/services",
        5,
        5,
    )
    assert source["last_complete"] == source["last_pulled"] and source["last_errors"] == "[]"


def test_the_next_pull_asks_only_for_what_changed(
    db: Database, feed: tuple[Feed, str], clock: Clock
) -> None:
    served, url = feed
    run_pull(db, url, clock)
    served.services[0] = {**served.services[0], "name": "Renamed", "modified": "9999"}
    served.requests.clear()
    report = run_pull(db, url, clock, retire_missing=True)
    assert report.incremental and "modified_after=" in served.requests[0]
    assert report.imported.updated == 1 and report.imported.retired == 0
    assert "Renamed" in names(db) and len(names(db)) == 5
    served.requests.clear()
    assert not run_pull(db, url, clock, incremental=False).incremental
    assert "modified_after" not in served.requests[0]


def test_summaries_are_fetched_in_full(db: Database, feed: tuple[Feed, str], clock: Clock) -> None:
    served, url = feed
    served.summaries = True
    run_pull(db, url, clock)
    assert sum("/services/" in p for p in served.requests) == 5
    days = {r["days"] for r in db.query("SELECT days FROM activities")}
    assert days == {'["TU"]'}


@pytest.mark.parametrize("fault", ["500", "429", "truncated"])
def test_a_passing_fault_is_retried_with_backoff(
    db: Database, feed: tuple[Feed, str], clock: Clock, fault: str
) -> None:
    served, url = feed
    served.faults[2] = [fault, fault]
    sleeps: Sleeps = []
    report = run_pull(db, url, clock, sleeps)
    assert report.fetched.complete and len(names(db)) == 5
    assert sleeps == [1.0, 2.0]


def test_a_slow_page_times_out_and_is_retried(
    db: Database, feed: tuple[Feed, str], clock: Clock
) -> None:
    served, url = feed
    served.faults[1] = ["slow"]
    sleeps: Sleeps = []
    report = run_pull(db, url, clock, sleeps, timeout=0.2)
    assert report.fetched.complete and sleeps == [1.0]


def test_a_page_that_keeps_failing_makes_the_pull_incomplete_and_retires_nothing(
    db: Database, feed: tuple[Feed, str], clock: Clock
) -> None:
    served, url = feed
    run_pull(db, url, clock)
    served.services = served.services[:2]  # the others look gone...
    served.faults[1] = ["500"] * 4  # ...but page 1 never answers
    served.faults[2] = ["500"] * 4
    with pytest.raises(pull.PullError, match=r"page 1: HTTP 500 after 4 tries"):
        run_pull(db, url, clock, incremental=False, retire_missing=True)
    served.faults = {2: ["truncated"] * 4}
    served.services = [service(0), service(1), service(9)]
    report = run_pull(db, url, clock, incremental=False, retire_missing=True)
    assert not report.fetched.complete and report.imported.retired == 0
    assert "page 2: not JSON (cut short?) after 4 tries" in report.summary()
    assert "nothing was retired" in report.summary()
    (source,) = pull.sources(db)
    assert json.loads(source["last_errors"]) == ["page 2: not JSON (cut short?) after 4 tries"]
    assert len(names(db)) == 5


def test_a_wrong_total_pages_is_incomplete(
    db: Database, feed: tuple[Feed, str], clock: Clock
) -> None:
    served, url = feed
    served.total_pages = 9
    report = run_pull(db, url, clock, retire_missing=True)
    assert report.fetched.errors == ["page 3 ended the feed, but total_pages said 9"]
    assert len(names(db)) == 5 and report.imported.retired == 0


@pytest.mark.parametrize("when", ["reading", "writing"])
def test_ctrl_c_leaves_nothing_written(
    db: Database, feed: tuple[Feed, str], clock: Clock, when: str
) -> None:
    _, url = feed

    def interrupt(done: int, total: int) -> None:
        if when == "reading" and done == 2:
            raise KeyboardInterrupt

    stop_writing: Callable[[str], bool] = lambda question: True  # noqa: E731
    if when == "writing":

        def stop_writing(question: str) -> bool:
            raise KeyboardInterrupt

        run_pull(db, url, clock)
        db.execute("UPDATE activities SET name = 'Local edit'")
        db.execute("UPDATE directory_sources SET last_complete = NULL")
    before = list(db.query("SELECT * FROM activities ORDER BY id"))
    with pytest.raises(KeyboardInterrupt):
        run_pull(db, url, clock, progress=interrupt, confirm_large=stop_writing)
    assert list(db.query("SELECT * FROM activities ORDER BY id")) == before
    assert len(pull.sources(db)) == (1 if when == "writing" else 0)


def test_a_stop_event_stops_the_pull(db: Database, feed: tuple[Feed, str], clock: Clock) -> None:
    _, url = feed
    stop = threading.Event()
    stop.set()
    with pytest.raises(pull.PullStopped):
        run_pull(db, url, clock, stop=stop)
    assert names(db) == []


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--unencrypted", "--create"])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("url", ["ftp://council.example/api", "file:///etc/passwd", "council"])
def test_the_cli_refuses_urls_that_are_not_http_in_one_line(tmp_path: Path, url: str) -> None:
    code, out, err = cli("directory", "pull", url, "--db", str(tmp_path / "s.db"))
    assert code == 1 and out == ""
    assert err == f"linkworker: directory pull: not an http:// or https:// URL: {url!r}\n"


def test_the_cli_pulls_and_lists_sources(
    tmp_path: Path, feed: tuple[Feed, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served, url = feed
    sleeps: Sleeps = []
    monkeypatch.setattr(pull, "wait", sleeps.append)
    store = str(tmp_path / "s.db")
    code, out, err = cli("directory", "pull", url, "--name", "Council", "--db", store)
    assert code == 0, err
    assert out.startswith("read 1 page (every page): Council: imported: 5 new")
    code, out, _ = cli("directory", "sources", "--db", store)
    assert code == 0 and out.startswith(f"Council  {url}/services\n  last pulled ")
    code, out, _ = cli("directory", "sources", "--json", "--db", store)
    assert json.loads(out)[0]["services"] == 5
    served.faults[1] = ["500"] * 9
    code, out, err = cli("directory", "pull", url, "--full", "--db", store)
    assert code == 1 and "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last == "linkworker: directory pull: page 1: HTTP 500 after 4 tries"
    assert sleeps == [1.0, 2.0, 4.0]
