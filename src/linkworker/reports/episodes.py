"""The caseload figures that follow each episode through: the change in its outcome scores
and, for an identifiable report only, the list of episodes itself."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from linkworker import measures
from linkworker.reports.content import OUTCOME_SCORES, EpisodeRow, OutcomeChange, OutcomeMonth

_OUTCOME_PAIRS = (
    # Each episode's first baseline (earliest day, then first recorded) and last follow-up
    # (latest day, then last recorded), in one grouped pass: 'taken_on id' (the id printed
    # to 12 digits) sorts as (taken_on, id) does, so min and max pick them. A window
    # function ranking every measure took twice as long.
    "WITH firsts AS (SELECT kind, "
    "  min(CASE WHEN stage = 'baseline' THEN printf('%s %012d', taken_on, id) END) AS b, "
    "  max(CASE WHEN stage = 'follow_up' THEN printf('%s %012d', taken_on, id) END) AS f "
    "  FROM measures WHERE taken_on <= :end AND entered_in_error_at IS NULL "
    "  GROUP BY coalesce(referral_id, -person_id), kind), "
    # The episodes whose last follow-up was taken in the period (it is on or before :end).
    "pairs AS (SELECT kind, substr(f, 1, 7) AS month, "
    "  CAST(substr(b, -12) AS INTEGER) AS before_id, CAST(substr(f, -12) AS INTEGER) AS after_id "
    "  FROM firsts WHERE b IS NOT NULL AND substr(f, 1, length(f) - 13) >= :start), "
    # Each baseline's scores read once (json_each), each follow-up's looked up by name; only
    # the ids travel the sorts, not the JSON. Materialised, so that each json_extract runs
    # once a row rather than once for each of the four sums that use it.
    "paired AS MATERIALIZED (SELECT x.kind, jb.key AS name, x.month, jb.value AS b, "
    "  json_extract(f.scores, '$.values.' || jb.key) AS f "
    "  FROM pairs x CROSS JOIN measures b ON b.id = x.before_id "
    "  CROSS JOIN measures f ON f.id = x.after_id "
    "  CROSS JOIN json_each(CASE WHEN json_valid(b.scores) AND json_valid(f.scores) "
    "    THEN b.scores ELSE '{{}}' END, '$.values') jb "
    "  WHERE x.kind || '.' || jb.key IN ({names})) "
    # By month as well: a statistic is shown only when no month's part of its group is small.
    "SELECT kind, name, month, count(*), sum(b), sum(f), sum(f > b), sum(f < b), sum(f = b) "
    "FROM paired WHERE b IS NOT NULL AND f IS NOT NULL GROUP BY kind, name, month"
)


def outcome_months(db: Database, p: dict[str, Any]) -> list[OutcomeMonth]:
    """Each outcome score's sums, first baseline to last follow-up, month by month, over the
    episodes whose last follow-up was taken in the period."""
    names = ", ".join(f"'{kind}.{name}'" for kind, name in OUTCOME_SCORES)
    return [
        OutcomeMonth(
            kind=str(kind),
            name=str(name),
            month=str(month),
            n=int(n),
            sum_baseline=float(before or 0),
            sum_follow_up=float(after or 0),
            up=int(up or 0),
            down=int(down or 0),
            same=int(same or 0),
        )
        for kind, name, month, n, before, after, up, down, same in db.execute(
            _OUTCOME_PAIRS.format(names=names), p
        ).fetchall()
    ]


@functools.cache
def _higher_is_better() -> dict[tuple[str, str], bool]:
    """Each reported score's direction, by (kind, name) as the report writes them."""
    return {
        (kind, name): measures.HIGHER_IS_BETTER[(measures.MeasureKind(kind), name)]
        for kind, name in OUTCOME_SCORES
    }


def outcome_changes(months: Iterable[OutcomeMonth]) -> list[OutcomeChange]:
    """Each outcome score's change, in report order, from its month-by-month sums (one
    worker's, or a team's added up month by month)."""
    by_score: dict[tuple[str, str], list[OutcomeMonth]] = {}
    for month in months:
        by_score.setdefault((month.kind, month.name), []).append(month)
    out: list[OutcomeChange] = []
    for (kind, name), better_high in _higher_is_better().items():
        rows = by_score.get((kind, name))
        if rows is None:
            out.append(OutcomeChange(kind, name, better_high, 0, None, None, None, 0, 0, 0))
            continue
        # Column by column, each summed in C: a hub works this out for every bundle.
        _, _, _, by_month, *sums = zip(*rows, strict=True)
        before, after, up, down, same = map(sum, sums)
        n = sum(by_month)
        out.append(
            OutcomeChange(
                kind=kind,
                name=name,
                higher_is_better=better_high,
                n=n,
                mean_baseline=before / n,
                mean_follow_up=after / n,
                mean_change=(after - before) / n,
                improved=up if better_high else down,
                worse=down if better_high else up,
                same=same,
                by_month=by_month,
            )
        )
    return out


_EPISODES = (
    "SELECT r.id AS referral_id, r.person_id, p.given_name || ' ' || p.family_name AS name, "
    "p.date_of_birth, p.nhs_number, p.postcode, p.sex, p.ethnicity, r.source, "
    "r.received_on, r.accepted_on, r.declined_on, r.not_reached_on, r.discharged_on, "
    "r.discharge_reason, "
    "CASE WHEN r.discharged_on <= :end THEN 'discharged' "
    "  WHEN r.declined_on <= :end THEN 'declined' "
    "  WHEN r.not_reached_on <= :end THEN 'not_reached' "
    "  WHEN r.accepted_on <= :end THEN 'accepted' ELSE 'awaiting' END AS status_at_end, "
    "(SELECT substr(min(c.contact_at), 1, 10) FROM contacts c WHERE c.referral_id = r.id "
    "  AND c.attempt = 0 AND c.entered_in_error_at IS NULL AND c.contact_at < :after) "
    "AS first_contact_on, "
    "(SELECT count(*) FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 0 "
    "  AND c.entered_in_error_at IS NULL "
    "  AND c.contact_at < :after) AS contacts "
    "FROM referrals r JOIN people p ON p.id = r.person_id "
    "WHERE r.received_on <= :end "
    "AND coalesce(r.discharged_on, r.declined_on, r.not_reached_on, '9999') >= :start "
    "ORDER BY r.received_on, r.id"
)


def episode_rows(db: Database, p: dict[str, Any]) -> list[EpisodeRow]:
    """Every referral received by the end of the period and not closed before it began."""
    return [
        EpisodeRow(
            **{
                **row,
                "referral_id": int(row["referral_id"]),
                "person_id": int(row["person_id"]),
                "contacts": int(row["contacts"]),
            }
        )
        for row in db.query(_EPISODES, p)
    ]
