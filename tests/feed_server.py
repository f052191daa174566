"""A local Open Referral UK API for the pull tests: http.server on 127.0.0.1 in a thread,
serving pages of services with faults on request (a 500, a 429, a slow page, truncated JSON,
a wrong total_pages, summaries)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def service(n: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"svc-{n}")),
        "name": f"Activity {n}",
        "status": "active",
        "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00"}],
    }


class Feed:
    """What the server serves: pages of services, and faults by page number."""

    def __init__(self, count: int = 5) -> None:
        self.services = [service(n) for n in range(count)]
        self.faults: dict[int, list[str]] = {}  # page -> faults to give, one per request
        self.total_pages: int | None = None  # a wrong total_pages when set
        self.summaries = False
        self.requests: list[str] = []
        self.slow = threading.Event()  # a slow page waits for this (never set: it times out)

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        self.requests.append(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/api/services/"):
            wanted = parts.path.rsplit("/", 1)[1]
            found = [s for s in self.services if s["id"] == wanted]
            return self.send(handler, 200, json.dumps(found[0]) if found else "{}")
        page, per_page = int(query.get("page", 1)), int(query.get("per_page", 2))
        faults = self.faults.get(page, [])
        fault = faults.pop(0) if faults else None
        if fault == "500":
            return self.send(handler, 500, "oops")
        if fault == "429":
            return self.send(handler, 429, "slow down")
        if fault == "slow":
            self.slow.wait(2)
        chosen = self.services
        if "modified_after" in query:
            chosen = [s for s in chosen if s.get("modified", "") > query["modified_after"]]
        total = max(1, -(-len(chosen) // per_page))
        items = chosen[(page - 1) * per_page : page * per_page]
        if self.summaries:
            items = [{"id": s["id"], "name": s["name"], "status": "active"} for s in items]
        body = json.dumps(
            {
                "total_items": len(chosen),
                "total_pages": self.total_pages or total,
                "page_number": page,
                "size": len(items),
                "first_page": page == 1,
                "last_page": page >= total,
                "empty": not items,
                "contents": items,
            }
        )
        if fault == "truncated":
            body = body[: len(body) // 2]
        self.send(handler, 200, body)

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, status: int, body: str) -> None:
        data = body.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)



@contextmanager
def serving() -> Iterator[tuple[Feed, str]]:
    """A Feed served on 127.0.0.1, and its API's URL."""
    served = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.respond(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        served.slow.set()
        server.shutdown()
        server.server_close()
