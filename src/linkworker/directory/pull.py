"""Pulling a council's Open Referral UK API into the directory (``directory pull URL``).

Reads the ``/services`` pages (``page``, ``per_page``, and ``modified_after`` for an
incremental pull), fetches the full record (``/services/{id}``) of any listed service that
is only a summary, retries a 429, a 5xx, a timeout or a broken body with backoff (bounded),
and hands everything to :func:`directory.import_services`, which writes it in one
transaction. Nothing is written until every page has been read, so stopping a pull (Ctrl+C,
or ``stop`` set) leaves the directory as it was. A pull whose paging is broken or that
failed part-way is imported as incomplete: it retires nothing. Each source is remembered
in ``directory_sources`` (m009).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.directory.imports import ConfirmLarge, ImportReport, import_services

#: Called as progress(done, total) while pages and records are read.
Progress = Callable[[int, int], None]

RETRIES = 3  # a request is tried at most 1 + RETRIES times
BACKOFF_SECONDS = 1.0  # doubled on each retry
MAX_WAIT_SECONDS = 30.0  # no Retry-After makes a pull wait longer than this at once
MAX_PAGES = 10_000  # a feed whose paging never ends is stopped here
#: The arrays a full service record has; a listed service with none of them is a summary.
_DETAIL_KEYS = frozenset(
    {
        "service_at_locations",
        "schedules",
        "phones",
        "contacts",
        "cost_options",
        "attributes",
        "languages",
        "regular_schedules",
        "physical_addresses",
        "locations",
    }
)


def wait(seconds: float) -> None:
    """The backoff between tries (a test replaces it, so none sleeps for real)."""
    time.sleep(seconds)


class PullError(Exception):
    """A pull that cannot start or read anything: one line saying what went wrong."""


class PullStopped(Exception):
    """The link worker stopped the pull; nothing was written."""


@dataclass
class Fetched:
    """What reading a feed's pages gave: the services, and whether the pull is complete."""

    services: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    # The errors that are the feed's paging failing (also in ``errors``): the quality
    # panel shows them apart from a service that could not be read.
    paging_problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.errors

    def paging_problem(self, problem: str) -> None:
        """A page the feed's paging promised could not be read, or the paging broke."""
        self.errors.append(problem)
        self.paging_problems.append(problem)


@dataclass
class PullReport:
    """A pull: what was read, and what the import did with it."""

    url: str
    fetched: Fetched
    imported: ImportReport
    incremental: bool

    def summary(self) -> str:
        kind = "changes since the last pull" if self.incremental else "every page"
        pages = f"{self.fetched.pages} page{'s' if self.fetched.pages != 1 else ''}"
        lines = [f"read {pages} ({kind}): {self.imported.summary()}"]
        lines += [f"  problem: {e}" for e in self.fetched.errors]
        if self.fetched.errors:
            lines.append("  the pull was incomplete, so nothing was retired")
        return "\n".join(lines)


def check_url(url: str) -> str:
    """The feed's ``/services`` endpoint for an API URL; PullError unless http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PullError(f"not an http:// or https:// URL: {url!r}")
    base = url.strip().split("?", 1)[0].rstrip("/")
    return base if base.endswith("/services") else base + "/services"


@dataclass
class _Reader:
    client: httpx.Client
    sleep: Callable[[float], None]
    stop: threading.Event | None

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """One JSON document, retried with backoff; PullError naming what failed."""
        problem = ""
        for attempt in range(RETRIES + 1):
            if self.stop is not None and self.stop.is_set():
                raise PullStopped
            wait = BACKOFF_SECONDS * 2**attempt
            try:
                response = self.client.get(url, params=params)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.HTTPError as exc:
                problem = f"could not connect ({type(exc).__name__})"
            else:
                if response.status_code == 429 or response.status_code >= 500:
                    problem = f"HTTP {response.status_code}"
                    wait = max(wait, _retry_after(response))
                elif response.status_code >= 400:
                    raise PullError(f"{_where(url, params)}: HTTP {response.status_code}")
                else:
                    try:
                        return response.json()
                    except ValueError:
                        problem = "not JSON (cut short?)"
            if attempt < RETRIES:
                self.sleep(min(wait, MAX_WAIT_SECONDS))
        raise PullError(f"{_where(url, params)}: {problem} after {RETRIES + 1} tries")


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", "0"))
    except ValueError:
        return 0.0


def _where(url: str, params: dict[str, Any] | None) -> str:
    return f"page {params['page']}" if params and "page" in params else url


def _page_parts(body: Any) -> tuple[list[Any], int | None, bool | None]:
    """(items, total pages, last page) of a v3 page, a Spring page or a bare array."""
    if isinstance(body, list):
        return body, None, None
    if not isinstance(body, dict):
        raise ValueError("a page that is not a JSON object or array")
    items = body.get("contents", body.get("content"))
    if not isinstance(items, list):
        raise ValueError("a page without 'contents'")
    total = body.get("total_pages", body.get("totalPages"))
    last = body.get("last_page", body.get("last"))
    return (
        items,
        total if isinstance(total, int) else None,
        last if isinstance(last, bool) else None,
    )


def fetch_services(
    endpoint: str,
    client: httpx.Client,
    *,
    per_page: int = 100,
    modified_after: str | None = None,
    sleep: Callable[[float], None] | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> Fetched:
    """Read every ``/services`` page (and each summary's full record). Errors after the
    first page make the result incomplete; failing on the first page raises PullError."""
    reader = _Reader(client, sleep or wait, stop)
    fetched = Fetched()
    page = 1
    while page <= MAX_PAGES:
        params: dict[str, Any] = {"page": page, "per_page": per_page}
        if modified_after:
            params["modified_after"] = modified_after
        try:
            items, total, last = _page_parts(reader.get(endpoint, params))
        except (PullError, ValueError) as exc:
            if page == 1:
                raise PullError(str(exc)) from None
            fetched.paging_problem(
                str(exc) if isinstance(exc, PullError) else f"page {page}: {exc}"
            )
            return fetched
        fetched.pages = page
        fetched.services += _full_records(reader, endpoint, items, fetched)
        if progress is not None:
            progress(page, max(total or page, page))
        if last is True or not items:
            if total is not None and page < total:
                fetched.paging_problem(f"page {page} ended the feed, but total_pages said {total}")
            return fetched
        if total is not None and page >= total:
            return fetched
        page += 1
    fetched.paging_problem(f"stopped after {MAX_PAGES} pages: the paging never ended")
    return fetched


def _full_records(
    reader: _Reader, endpoint: str, items: list[Any], fetched: Fetched
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict) and item.get("id") and not _DETAIL_KEYS & set(item):
            try:
                full = reader.get(f"{endpoint}/{item['id']}")
            except PullError as exc:
                fetched.errors.append(f"service {item['id']}: {exc}")
                full = None
            if isinstance(full, dict):
                item = full
        if isinstance(item, dict):
            out.append(item)
    return out


def pull(
    db: Database,
    url: str,
    clock: Clock,
    *,
    name: str | None = None,
    incremental: bool = True,
    retire_missing: bool = False,
    confirm_large: ConfirmLarge | None = None,
    per_page: int = 100,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> PullReport:
    """Pull a feed into the directory and remember the source (see the module's doc).

    An incremental pull (the default once a source has been pulled completely) asks only
    for what changed since; it never retires anything."""
    endpoint = check_url(url)
    known = source_of(db, endpoint)
    since = known["last_complete"] if incremental and known else None
    started = clock.stamp()
    own = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(20.0), follow_redirects=True)
    try:
        fetched = fetch_services(
            endpoint,
            http,
            per_page=per_page,
            modified_after=since,
            sleep=sleep,
            stop=stop,
            progress=progress,
        )
    finally:
        if own:
            http.close()
    imported = import_services(
        db,
        fetched.services,
        clock,
        source=name or endpoint,
        complete=fetched.complete,
        retire_missing=retire_missing and since is None,
        confirm_large=confirm_large,
    )
    if imported.written:
        _remember(db, endpoint, name, fetched, imported, started, clock)
    return PullReport(endpoint, fetched, imported, incremental=since is not None)


def source_of(db: Database, endpoint: str) -> dict[str, Any] | None:
    """The remembered source with this endpoint, if any."""
    rows = list(db.query("SELECT * FROM directory_sources WHERE url = ?", [endpoint]))
    return rows[0] if rows else None


def _remember(
    db: Database,
    endpoint: str,
    name: str | None,
    fetched: Fetched,
    report: ImportReport,
    started: str,
    clock: Clock,
) -> None:
    known = source_of(db, endpoint)
    row: dict[str, Any] = {
        "name": name or (known["name"] if known else urlsplit(endpoint).netloc),
        "url": endpoint,
        "last_pulled": started,
        "services": len(fetched.services),
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "retired": report.retired,
        "last_errors": json.dumps(fetched.errors, ensure_ascii=False),
        "paging_problems": json.dumps(fetched.paging_problems, ensure_ascii=False),
    }
    if fetched.complete:
        row["last_complete"] = started
    with db.atomic():
        if known:
            db.table("directory_sources").update(known["id"], row)
        else:
            db.table("directory_sources").insert({**row, "created_at": clock.stamp()})


def sources(db: Database) -> list[dict[str, Any]]:
    """Every remembered source, most recently pulled first."""
    return list(db.query("SELECT * FROM directory_sources ORDER BY last_pulled DESC, id"))
