"""How much a directory record can be trusted: fresh or stale by its assured date."""

from __future__ import annotations

from datetime import date

from linkworker.directory.freshness import stale_before

#: A record assured longer ago than this many months (or never) is stale.
STALE_AFTER_MONTHS = 12


def freshness_rank(assured_on: date | None, today: date) -> int:
    """0 for a fresh record, 1 for a stale one: assured more than 12 months ago, or never.

    Search and suggestions sort by it so that stale records sink below fresh ones.
    """
    if assured_on is None or assured_on < stale_before(today, STALE_AFTER_MONTHS):
        return 1
    return 0
