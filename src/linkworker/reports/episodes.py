"""The caseload figures that follow each episode through: the change in its outcome scores
and, for an identifiable report only, the list of episodes itself."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from linkworker import measures
from linkworker.reports.content import OUTCOME_SCORES, EpisodeRow, OutcomeChange, OutcomeMonth

# One score's sums month by month, from the pairs m022's triggers keep (store/sql/
# m022_outcome_pairs.sql): each episode's first baseline (earliest day, then first
# recorded) and last follow-up (latest day, then last recorded) taken by the end of the
# period, when that follow-up was taken in the period. A follow-up is its episode's last by
# :end when the next one (next_on) came after :end; the first baseline is the same for
# every period, and counts when it was taken by :end. The month range only narrows the
# walk of the key (each follow-up's month is in it whenever its day is in the period).
_OUTCOME_SCORE = (
    "SELECT kind, name, month, count(*), sum(baseline), sum(follow_up), "
    "sum(follow_up > baseline), sum(follow_up < baseline) "
    "FROM outcome_pairs WHERE kind = '{kind}' AND name = '{name}' "
    "AND month BETWEEN substr(:start, 1, 7) AND substr(:end, 1, 7) "
    "AND taken_on BETWEEN :start AND :end AND (next_on IS NULL OR next_on > :end) "
    "AND baseline_on <= :end AND baseline IS NOT NULL AND follow_up IS NOT NULL "
    "GROUP BY month"
)
# Every reported score, each read along its own part of the key (a scan of the whole
# table grouped by score took twice as long).
_OUTCOME_PAIRS = " UNION ALL ".join(
    _OUTCOME_SCORE.format(kind=kind, name=name) for kind, name in OUTCOME_SCORES
)


def outcome_months(db: Database, p: dict[str, Any]) -> list[OutcomeMonth]:
    """Each outcome score's sums, first baseline to last follow-up, month by month, over the
    episodes whose last follow-up was taken in the period (in order of kind, score name and
    month)."""
    rows = sorted(db.execute(_OUTCOME_PAIRS, p).fetchall(), key=lambda r: (r[0], r[1], r[2]))
    # Neither score is NULL, and SQLite orders any two values: each pair is up, down or same.
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
            same=int(n) - int(up or 0) - int(down or 0),
        )
        for kind, name, month, n, before, after, up, down in rows
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
