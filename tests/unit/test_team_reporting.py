"""Team reporting (issue 17 item 3): a worker's bundle of additive figures for the hub, and
the hub's team report combining every worker's bundle, with disclosure control applied to
the combined figures."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from tests.factories import CLOCK, TODAY, add_episode, open_store
from tests.unit.test_differencing import (
    _person_with_scores,
    assert_each_report_hides_its_cohort,
    assert_the_one_entering_is_withheld,
    entering_person,
)

from linkworker import community, outcomes, referrals
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.report_document import ReportDocument
from linkworker.formats.team_report import BY_WORKER, team_document, worker_rows
from linkworker.measures import MeasureError
from linkworker.models import DischargeReason
from linkworker.models.care import CommunityKind
from linkworker.reports import WITHHELD, Period, caseload_report
from linkworker.reports.combined import (
    COUNTS,
    DERIVED,
    HISTOGRAMS,
    NEVER,
    TABLES,
    FiguresError,
    TeamFigures,
    additive_figures,
    figures_from_data,
)
from linkworker.reports.content import CaseloadReport
from linkworker.store.db import Database
from linkworker.team import bundle, hub, keys
from linkworker.validation import format_nhs_number

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))
COLLABORATE = ("understand", "listen", "include")


def _answers(rng: random.Random) -> dict[str, int]:
    """One CollaboRATE rating: often the top score, else anything from 3 to 9."""
    return {item: 9 if rng.random() < 0.4 else rng.randint(3, 9) for item in COLLABORATE}


def _rate_in_an_episode(db: Database, pid: int, days: list[date], answers: dict[str, int]) -> bool:
    """Record the rating on the first of ``days`` inside one of the person's episodes."""
    for day in days:
        try:
            outcomes.record_measure(db, pid, "collaborate", "baseline", day, answers, CLOCK)
        except MeasureError as exc:  # no referral of theirs was open that day
            assert exc.item == "taken_on", exc
            continue
        return True
    return False


def rate_and_log_community_work(db: Database, seed: int, period: Period) -> None:
    """CollaboRATE ratings of 40 people, in the last two months of ``period`` (about 20 a
    month, so the mean is shown), and 12 pieces of community work in its months.

    Each rating is taken in an episode of the person's (on one of the 1st to the 20th of
    either month): someone with no referral open then is passed over for the next person.
    """
    rng = random.Random(seed)
    months = period.months
    rated = 0
    for (pid,) in db.execute("SELECT id FROM people ORDER BY id").fetchall():
        answers = _answers(rng)
        first, second = months[-1 - rated % 2], months[-2 + rated % 2]
        days = [
            date.fromisoformat(f"{month}-{1 + (rated + step) % 20:02d}")
            for month in (first, second)
            for step in range(20)
        ]
        rated += _rate_in_an_episode(db, int(pid), days, answers)
        if rated == 40:
            break
    assert rated == 40
    for i in range(12):
        day = date.fromisoformat(f"{months[i % len(months)]}-{1 + i:02d}")
        kind = rng.choice(list(CommunityKind))
        community.add_work(db, day, kind, rng.randint(15, 240), CLOCK)


@pytest.fixture
def other_db(empty_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A second empty store (another worker's)."""
    path = tmp_path / "other.db"
    shutil.copyfile(empty_template, path)
    database = open_store(path)
    yield database
    database.close()


def _through_a_bundle(report: CaseloadReport) -> CaseloadReport:
    """The figures as the hub reads them back from a worker's bundle."""
    return bundle.read_bundle(bundle.bundle_payload(report))


def _team(*reports: CaseloadReport) -> CaseloadReport:
    team = TeamFigures(reports[0].period, TODAY)
    for report in reports:
        team.add(_through_a_bundle(report))
    return team.report()


def _team_document(named: dict[str, CaseloadReport]) -> ReportDocument:
    read = {name: _through_a_bundle(r) for name, r in named.items()}
    team = TeamFigures(next(iter(read.values())).period, TODAY)
    for report in read.values():
        team.add(report)
    return team_document(team.report(), [worker_rows(n, r) for n, r in read.items()])


def _standard(doc: ReportDocument) -> list[tuple[str, list[list[object]]]]:
    return [(t.key, t.rows) for t in doc.tables if t.group != BY_WORKER]


# --- what a bundle holds ------------------------------------------------------------------


def test_every_figure_of_the_report_is_carried_worked_out_again_or_never_sent() -> None:
    names = {f.name for f in dataclasses.fields(CaseloadReport)}
    carried = {*COUNTS, *TABLES, *HISTOGRAMS, "connections_by_category", "outcome_months"}
    carried |= {"involvement_months", "measures_recorded", "community"}
    assert names == {"period", "generated_on", *carried, *DERIVED, *NEVER}
    assert len(COUNTS) == 18 and len(HISTOGRAMS) == 3


def _person_values(db: Database) -> set[str]:
    """Every name, date of birth, NHS number, full postcode, phone, email and address in the
    store, and every referrer's name: none may be in a bundle."""
    values: set[str] = set()
    for row in db.execute(
        "SELECT given_name, family_name, preferred_name, date_of_birth, nhs_number, postcode, "
        "phone, email, address FROM people"
    ).fetchall():
        given, family, preferred, born, nhs, postcode, phone, email, address = row
        values |= {v for v in (given, family, preferred, born, postcode, phone, email) if v}
        values |= {f"{given} {family}", address or "", nhs or "", format_nhs_number(nhs) or ""}
    values |= {str(r[0]) for r in db.execute("SELECT referrer_name FROM referrals").fetchall()}
    return {v for v in values if v and v != "None"}


def test_a_bundle_holds_no_name_birth_date_nhs_number_or_postcode(
    demo_db: Database, other_db: Database, tmp_path: Path
) -> None:
    """The bundle of the demo store, opened by the hub: the decrypted JSON holds not one of
    the store's personal values, no id, and only counts, histograms and sums."""
    hub_key = keys.my_identity(other_db, CLOCK).public().text
    keys.add_key(demo_db, "Hub", hub_key, CLOCK)
    keys.add_key(other_db, "Ann", keys.my_identity(demo_db, CLOCK).public().text, CLOCK)
    written = bundle.write_bundle(demo_db, YEAR, "hub", tmp_path / "ann.bundle", clock=CLOCK)
    blob = written.path.read_bytes()
    assert blob.startswith(b"linkworker sealed file v1\nkind: team-bundle\n")
    assert written.path.stat().st_mode & 0o777 == 0o600
    opened = keys.read_sealed(other_db, blob, bundle.KIND)
    assert opened.sender_name == "Ann"
    text = opened.payload.decode("utf-8")
    values = _person_values(demo_db)
    assert len(values) > 200  # the demo's 60 people, each with several values
    # As written in the store, a whole word: the ethnic group code "white" is not Ms White.
    found = sorted(v for v in values if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text))
    assert found == []
    assert not re.search(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", text)  # no full postcode at all
    data = json.loads(text)
    assert set(data) == {
        "format", "version", "generated_on", "period", "counts", "tables", "histograms",
        "connections_by_category", "outcome_months", "involvement_months", "measures_recorded",
        "community",
    }  # fmt: skip
    assert data["period"] == {"from": "2025-12-01", "to": "2026-11-30"}
    assert '_id"' not in text and '"episodes"' not in text
    assert data["counts"]["referrals_received"] == written.report.referrals_received > 0
    # The figures are exact (disclosure is applied once, to the combined figures).
    assert data["tables"]["referrals_by_month"] == written.report.referrals_by_month


def test_a_bundle_is_sealed_to_the_hub_alone(
    demo_db: Database, other_db: Database, tmp_path: Path
) -> None:
    keys.add_key(demo_db, "Hub", keys.my_identity(other_db, CLOCK).public().text, CLOCK)
    stranger = open_store(tmp_path / "stranger.db")
    blob, _ = keys.seal_for(demo_db, bundle.KIND, b"{}", ["Hub"], CLOCK)
    keys.my_identity(stranger, CLOCK)
    with pytest.raises(ValueError, match="this file is for someone else"):
        keys.read_sealed(stranger, blob, bundle.KIND)
    stranger.close()


# --- combining ---------------------------------------------------------------------------


def _caseload(db: Database, mirror: Database, people: int, seed: int) -> None:
    """``people`` episodes in November, written to ``db`` and to ``mirror`` alike: varied
    ages, sources, contacts, scores, and discharges."""
    rng = random.Random(seed)
    sources = ("gp_practice", "self", "pharmacy", "housing", "social_care")
    for i in range(people):
        follow_up = {
            "life_satisfaction": rng.randint(0, 10),
            "worthwhile": rng.randint(0, 10),
            "happiness": rng.randint(0, 10),
            "anxiety": rng.randint(0, 10),
        }
        fields = {
            "given_name": f"P{seed}x{i}",
            "date_of_birth": date(1930 + rng.randint(0, 70), rng.randint(1, 12), 1),
            "postcode": f"HV{rng.randint(1, 4)} {rng.randint(1, 9)}AB",
            "referral": {"source": rng.choice(sources)},
            "contacts": rng.randint(1, 4),
            "follow_up": follow_up if rng.random() < 0.8 else None,
        }
        rated = _answers(rng) if i % 2 == 0 else None
        work = (rng.choice(list(CommunityKind)), rng.randint(15, 240)) if i % 4 == 0 else None
        for target in (db, mirror):
            episode = add_episode(target, **fields)  # type: ignore[arg-type]
            if i % 3 == 0:
                referrals.discharge(
                    target, episode.referral_id, TODAY, DischargeReason.GOALS_MET, "Met", CLOCK
                )
            if rated:
                pid = episode.person_id
                outcomes.record_measure(target, pid, "collaborate", "baseline", TODAY, rated, CLOCK)
            if work:
                community.add_work(target, TODAY, work[0], work[1], CLOCK)


def test_two_workers_combined_are_the_report_of_one_store_holding_both(
    db: Database, other_db: Database, tmp_path: Path
) -> None:
    """Ann's and Bea's bundles added up give every figure the report of a store holding
    both caseloads gives: counts, medians (from the added histograms) and means."""
    both = open_store(tmp_path / "both.db")
    _caseload(db, both, 17, seed=1)
    _caseload(other_db, both, 12, seed=2)
    team = _team(caseload_report(db, NOVEMBER, TODAY), caseload_report(other_db, NOVEMBER, TODAY))
    one = caseload_report(both, NOVEMBER, TODAY)
    both.close()
    for name in (*COUNTS, *TABLES, *HISTOGRAMS, *DERIVED[:3]):
        assert getattr(team, name) == getattr(one, name), name
    assert team.contacts_per_person_median is not None and team.people_referred == 29
    for mine, theirs in zip(team.outcomes, one.outcomes, strict=True):
        assert (mine.n, mine.improved, mine.worse, mine.same) == (
            theirs.n,
            theirs.improved,
            theirs.worse,
            theirs.same,
        )
        assert mine.mean_change == pytest.approx(theirs.mean_change)
        assert mine.by_worker == ((17, 12) if mine.n == 29 else mine.by_worker)
    # CollaboRATE, the measures recorded against those due and community work add up too.
    assert (team.involvement.n, team.involvement.top_score, team.involvement.by_month) == (
        one.involvement.n,
        one.involvement.top_score,
        one.involvement.by_month,
    )
    assert team.involvement.n == 15 and team.involvement.by_worker == (9, 6)
    assert team.involvement.mean == pytest.approx(one.involvement.mean)
    assert team.measures_recorded == one.measures_recorded
    assert [r.due for r in team.measures_recorded] == [29, 10]
    assert team.community == one.community and sum(n for n, _ in one.community.values()) == 8
    assert caseload_document(team).headline == caseload_document(one).headline


def test_one_bundle_alone_gives_that_workers_own_report(demo_db: Database) -> None:
    rate_and_log_community_work(demo_db, 17, YEAR)
    own = caseload_report(demo_db, YEAR, TODAY)
    doc = _team_document({"Ann": own})
    mine = caseload_document(own)
    assert _standard(doc) == [(t.key, t.rows) for t in mine.tables]
    # The tables main's report gained are there, with figures, and the same.
    involvement = doc.table("involvement").rows
    assert involvement[0][1] == 40 and isinstance(involvement[2][1], float)
    assert doc.table("measures_recorded").rows == mine.table("measures_recorded").rows
    assert doc.table("community_work").rows[-1][1] == 10
    assert doc.headline == mine.headline
    assert [t.key for t in doc.tables if t.group == BY_WORKER] == [
        "workers_headline",
        "workers_support",
        "workers_outcomes",
    ]
    headline = doc.table("workers_headline").rows
    assert headline[0] == ["Ann", *(v for _, v in mine.headline)]
    assert headline[-1] == ["All workers", *(v for _, v in mine.headline)]
    # Ann's By worker cells are the cells of her own report's tables.
    per_episode = mine.table("contacts_per_episode").rows
    connections = mine.table("activities_by_category").rows[-2]
    assert connections[0] == "All connections"
    support = [per_episode[0][1], per_episode[1][1], per_episode[2][2]]
    support += [mine.table("contacts").rows[1][1], connections[1], connections[3]]
    assert doc.table("workers_support").rows == [["Ann", *support], ["All workers", *support]]
    assert doc.table("workers_outcomes").rows == [
        ["Ann", row[0], *row[2:6], row[7]] for row in mine.table("outcome_change").rows if row[2]
    ]


def test_figures_that_cannot_be_read_are_named() -> None:
    good = additive_figures(CaseloadReport(period=NOVEMBER, generated_on=TODAY))
    cases = [
        ({**good, "period": {"from": "2026-11-03", "to": "2026-11-30"}}, "not whole calendar"),
        ({**good, "counts": {**good["counts"], "accepted": -1}}, "counts.accepted is not a"),
        ({**good, "histograms": {**good["histograms"], "first_contact_days": {"x": 1}}}, "whole"),
        ({**good, "outcome_months": [["ons4", "nope", "2026-11", 1, 1, 1, 0, 0, 1]]}, "score"),
        ({**good, "outcome_months": [["ons4", "anxiety", "2026-01", 1, 1, 1, 0, 0, 1]]}, "month"),
        ({key: v for key, v in good.items() if key != "tables"}, "tables is missing"),
        ({**good, "involvement_months": [["2026-01", 3, 1, 20.0]]}, "month outside"),
        ({**good, "involvement_months": [["2026-11", 3, 4, 20.0]]}, "more top scores"),
        ({**good, "involvement_months": [["2026-11", 3, 1, "20"]]}, "sum that is not"),
        ({**good, "measures_recorded": [["referral", 3, 1]]}, "measure that is not"),
        ({**good, "measures_recorded": [["baseline", 3, -1]]}, "baseline is not a count"),
        ({**good, "community": {"outreach": [1, 60]}}, "every kind of community work"),
    ]
    for data, reason in cases:
        with pytest.raises(FiguresError, match=reason):
            figures_from_data(data, TODAY)
    with pytest.raises(FiguresError, match="version 2 bundle"):
        bundle.read_bundle(json.dumps({"format": bundle.FORMAT, "version": 2}).encode())
    with pytest.raises(FiguresError, match="not JSON"):
        bundle.read_bundle(b"\xff")


# --- disclosure on the combined figures -----------------------------------------------------


def test_one_person_in_another_workers_bundle_cannot_be_differenced_out(
    db: Database, other_db: Database
) -> None:
    """Ann's 23 people and Bea's one, all followed up in September: the team's report with
    and without Bea's bundle differ by that one person. The team's means with Bea are
    withheld (her part is 1), so nothing of that person's scores comes back; and neither
    report gives back its cohort's size."""
    september = Period(date(2026, 9, 1), date(2026, 9, 30))
    rng = random.Random(17)
    for day in range(23):
        _person_with_scores(db, rng, date(2026, 9, 1 + day % 28))
    _person_with_scores(other_db, rng, date(2026, 9, 14))
    ann, bea = (caseload_report(d, september, TODAY) for d in (db, other_db))
    without, with_bea = _team_document({"Ann": ann}), _team_document({"Ann": ann, "Bea": bea})
    assert_each_report_hides_its_cohort(without)
    assert_each_report_hides_its_cohort(with_bea)
    assert_the_one_entering_is_withheld(without, with_bea)
    # Bea's own row under By worker withholds her one person's means too.
    bea_rows = [r for r in with_bea.table("workers_outcomes").rows if r[0] == "Bea"]
    assert bea_rows and all(r[3:6] == [WITHHELD] * 3 for r in bea_rows)


def test_ten_in_another_workers_bundle_show_the_means_and_hide_everyone(
    db: Database, other_db: Database
) -> None:
    september = Period(date(2026, 9, 1), date(2026, 9, 30))
    rng = random.Random(18)
    for day in range(23):
        _person_with_scores(db, rng, date(2026, 9, 1 + day % 28))
    for day in range(10):
        _person_with_scores(other_db, rng, date(2026, 9, 1 + day))
    ann, bea = (caseload_report(d, september, TODAY) for d in (db, other_db))
    without, with_bea = _team_document({"Ann": ann}), _team_document({"Ann": ann, "Bea": bea})
    assert_each_report_hides_its_cohort(without)
    assert_each_report_hides_its_cohort(with_bea)
    found = entering_person(without, with_bea)
    assert len(found) == 10
    assert all(len(scores) != 1 for scores in found.values()), found


# --- the hub's files ---------------------------------------------------------------------


def test_bundle_files_takes_sealed_files_from_folders(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b.bundle").write_bytes(b"linkworker sealed file v1\nkind: team-bundle\n\n")
    (folder / "a.bundle").write_bytes(b"linkworker sealed file v1\nkind: team-bundle\n\n")
    (folder / "notes.txt").write_text("hello")
    found = hub.bundle_files([folder])
    assert [p.name for p in found.files] == ["a.bundle", "b.bundle"]
    assert [p.name for p in found.skipped] == ["notes.txt"]
    with pytest.raises(hub.BundleRefused, match="no such file or folder"):
        hub.bundle_files([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(hub.BundleRefused, match="holds no sealed files"):
        hub.bundle_files([tmp_path / "empty"])
