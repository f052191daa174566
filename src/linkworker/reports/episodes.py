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
    "WITH ranked AS (SELECT m.id, m.kind, m.stage, m.taken_on, "
    "  coalesce(m.referral_id, -m.person_id) AS episode, "
    "  row_number() OVER (PARTITION BY coalesce(m.referral_id, -m.person_id), m.kind, m.stage "
    # Baselines: the first taken (earliest day, then first recorded); follow-ups: the last.
    "    ORDER BY CASE WHEN m.stage = 'baseline' THEN m.taken_on END, "
    "    CASE WHEN m.stage = 'baseline' THEN m.id END, m.taken_on DESC, m.id DESC) AS rn "
    "  FROM measures m WHERE m.taken_on <= :end AND m.entered_in_error_at IS NULL), "
    # One row per episode and measure: its first baseline and last follow-up.
    "firsts AS (SELECT kind, "
    "  max(CASE WHEN stage = 'baseline' THEN id END) AS before_id, "
    "  max(CASE WHEN stage = 'follow_up' THEN id END) AS after_id, "
    "  max(CASE WHEN stage = 'follow_up' THEN taken_on END) AS follow_up_on "
    "  FROM ranked WHERE rn = 1 GROUP BY episode, kind), "
    "pairs AS MATERIALIZED (SELECT x.kind, substr(x.follow_up_on, 1, 7) AS month, "
    "  b.scores AS before, f.scores AS after "
    "  FROM firsts x JOIN measures b ON b.id = x.before_id "
    "  JOIN measures f ON f.id = x.after_id "
    "  WHERE x.follow_up_on BETWEEN :start AND :end "
    "  AND json_valid(b.scores) AND json_valid(f.scores)), "
    "names(kind, name) AS (VALUES {names}), "
    # Materialised, so each json_extract runs once a row rather than once a use.
    "paired AS MATERIALIZED (SELECT n.kind, n.name, x.month, "
    "  json_extract(x.before, '$.values.' || n.name) AS b, "
    "  json_extract(x.after, '$.values.' || n.name) AS f "
    "  FROM pairs x JOIN names n ON n.kind = x.kind) "
    # By month as well: a statistic is shown only when no month's part of its group is small.
    "SELECT kind, name, month, count(*), sum(b), sum(f), sum(f > b), sum(f < b), sum(f = b) "
    "FROM paired WHERE b IS NOT NULL AND f IS NOT NULL GROUP BY kind, name, month"
)


def outcome_months(db: Database, p: dict[str, Any]) -> list[OutcomeMonth]:
    """Each outcome score's sums, first baseline to last follow-up, month by month, over the
    episodes whose last follow-up was taken in the period (ids, not the JSON, travel the
    sorts)."""
    names = ", ".join(f"('{kind}', '{name}')" for kind, name in OUTCOME_SCORES)
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
    # One pass over the months: a hub works this out for each of hundreds of bundles.
    sums: dict[tuple[str, str], list[Any]] = {}
    for kind, name, _, n, before, after, up, down, same in months:
        kept = sums.get((kind, name))
        if kept is None:
            sums[(kind, name)] = [n, before, after, up, down, same, [n]]
            continue
        kept[0] += n
        kept[1] += before
        kept[2] += after
        kept[3] += up
        kept[4] += down
        kept[5] += same
        kept[6].append(n)
    out: list[OutcomeChange] = []
    for (kind, name), better_high in _higher_is_better().items():
        kept = sums.get((kind, name))
        if kept is None:
            out.append(OutcomeChange(kind, name, better_high, 0, None, None, None, 0, 0, 0))
            continue
        n, before, after, up, down, same, by_month = kept
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
                by_month=tuple(by_month),
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
