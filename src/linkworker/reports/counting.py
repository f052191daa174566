"""Counting helpers the report gatherers share: grouped counts, histograms and medians."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from linkworker.reports.content import NOT_KNOWN


def decode_json(value: object, default: Any) -> Any:
    """A JSON text column decoded; ``default`` when it is not text or not valid JSON."""
    if not isinstance(value, str):
        return default
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return default


def median_of_histogram(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}; None when there are none."""
    n = sum(histogram.values())
    if n == 0:
        return None
    wanted = [(n - 1) // 2, n // 2]  # 0-based positions of the middle one or two values
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for position in wanted:
            if seen <= position < seen + count:
                found.append(value)
        seen += count
    return (found[0] + found[1]) / 2


def histogram(db: Database, sql: str, params: dict[str, Any]) -> dict[int, int]:
    """{value: how many} from a query giving (value, count) rows; NULL values left out."""
    return {int(v): int(n) for v, n in db.execute(sql, params).fetchall() if v is not None}


def merge_counts(pairs: Iterable[tuple[Any, int]]) -> dict[str, int]:
    """{key: count} in the order met, adding up repeats; no key (NULL or '') is 'not_known'."""
    out: dict[str, int] = {}
    for key, n in pairs:
        name = str(key) if key not in (None, "") else NOT_KNOWN
        out[name] = out.get(name, 0) + int(n)
    return out


def counts(db: Database, sql: str, params: dict[str, Any] | list[object]) -> dict[str, int]:
    """{key: count} from a query giving (key, count) rows (see :func:`merge_counts`)."""
    return merge_counts(db.execute(sql, params).fetchall())
