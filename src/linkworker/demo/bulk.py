"""The demo's bulk writer, and the weighted choice every part of it draws with."""

from __future__ import annotations

import json
import random
from typing import Any

from sqlite_utils import Database


def weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    """One of the options, each as likely as its weight."""
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class BulkWriter:
    """Collects rows and writes them with plain executemany (the demo is a bulk load)."""

    def __init__(self, db: Database, stamp: str) -> None:
        self.db = db
        self.stamp = stamp
        self._columns: dict[str, dict[str, Any]] = {}

    def add(self, table: str, row: dict[str, Any]) -> int:
        """Insert a row (lists and dicts as JSON, created/updated stamped); returns its id."""
        row = dict(row)
        columns = self._columns.get(table)
        if columns is None:  # asked once a table: sqlite-utils reads the schema each time
            columns = self._columns[table] = self.db[table].columns_dict
        if "created_at" in columns:
            row.setdefault("created_at", self.stamp)
        if "updated_at" in columns:
            row.setdefault("updated_at", self.stamp)
        cursor = self.db.execute(
            f"INSERT INTO [{table}] ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            [json.dumps(v) if isinstance(v, (list, dict)) else v for v in row.values()],
        )
        return int(cursor.lastrowid or 0)
