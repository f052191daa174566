"""`linkworker check`: is this file a sound linkworker store, and what does it hold?

Opens the file read-only, so checking never changes (or migrates) what it checks.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from linkworker.store import driver
from linkworker.store.db import (
    SQLITE_MAGIC,
    StoreError,
    applied_names,
    connect,
    integrity_problems,
    is_linkworker_store,
)
from linkworker.store.security import describe_encryption, encryption_record

COUNTED_TABLES = (
    "people",
    "referrals",
    "contacts",
    "conversations",
    "goals",
    "measures",
    "activities",
    "connections",
    "followups",
    "audit",
)


# Bytes 21-23 of every SQLite header (payload fractions 64, 32, 32): plain text in a plain
# store, random in an SQLCipher one (a 1 in 16 million chance of matching).
_PLAIN_FRACTIONS = b"\x40\x20\x20"


def file_fault(path: Path) -> str | None:
    """Why the file at ``path`` cannot be opened as a store, judged before any key is tried.

    None for a missing file (the caller decides whether one was expected) and for a file
    that may be a store. An empty file is a fault, never a new store: replacing it would
    rotate the real caseload's backups out within a week.
    """
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror})"
    if stat.S_ISDIR(found.st_mode):
        return f"{path}: is a folder, not a store"
    if not stat.S_ISREG(found.st_mode):
        return f"{path}: is not a regular file, so it cannot be a store"
    if found.st_size == 0:
        return (
            f"{path}: is empty (0 bytes), so it holds no caseload; nothing was created in its place"
        )
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror}); check who owns it and its permissions"
    if head[:16] != SQLITE_MAGIC and head[21:24] == _PLAIN_FRACTIONS:
        return (
            f"{path}: is damaged: it is a plain (unencrypted) store whose first bytes are "
            "overwritten, not an encrypted one"
        )
    return None


def _known_names() -> list[str]:
    # The migrations (and sqlite-utils, which they need) load when a store is checked, not
    # when the app that opens one is imported.
    from linkworker.store.migrations import known_names

    return list(known_names())


@dataclass
class CheckReport:
    """The outcome of checking one store file."""

    path: Path
    ok: bool = False
    problem: str | None = None
    schema_version: int = 0
    latest_version: int = field(default_factory=lambda: len(_known_names()))
    counts: dict[str, int] = field(default_factory=dict)
    encryption: str = ""

    def lines(self) -> list[str]:
        """Plain-text report, one fact a line."""
        if self.problem and not self.schema_version:
            return []  # the one-line problem is all there is to say
        lines = [f"store: {self.path}"]
        lines.append(f"integrity: {'ok' if self.ok else 'FAILED'}")
        lines.append(f"schema: version {self.schema_version} of {self.latest_version}")
        if self.encryption:
            lines.append(f"encryption: {self.encryption}")
        lines.extend(f"{table}: {n}" for table, n in self.counts.items())
        return lines

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "problem": self.problem,
            "schema_version": self.schema_version,
            "latest_version": self.latest_version,
            "counts": self.counts,
            "encryption": self.encryption,
        }


def check_store(path: Path, key: str | None = None) -> CheckReport:
    """Check integrity, schema version and counts of the store at ``path`` (read-only)."""
    report = CheckReport(path=path)
    if not path.exists():
        report.problem = f"{path}: no such file"
        return report
    fault = file_fault(path)
    if fault:
        report.problem = fault
        return report
    try:
        db = connect(path, key, readonly=True)
    except StoreError as exc:
        report.problem = str(exc)
        return report
    try:
        if not is_linkworker_store(db):
            report.problem = f"{path}: is an SQLite file but not a linkworker store"
            return report
        applied = applied_names(db)
        report.schema_version = len(applied)
        report.encryption = describe_encryption(key is not None, encryption_record(db))
        unknown = [n for n in applied if n not in _known_names()]
        problems = integrity_problems(db)
        if problems:
            report.problem = f"{path}: damaged ({problems[0]})"
            return report
        for table in COUNTED_TABLES:
            if db[table].exists():
                report.counts[table] = int(
                    db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
                )
        if unknown:
            report.problem = f"{path}: written by a newer linkworker (schema step {unknown[-1]})"
            return report
        report.ok = True
    except driver.DatabaseError as exc:
        report.problem = f"{path}: damaged ({exc})"
    finally:
        db.close()
    return report
