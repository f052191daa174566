"""The directory core: search and filters, matched words, freshness, the link worker's own
columns, hand edits, connections, suggestions and the shortlist (linkworker.directory)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from linkworker import directory, people, referrals
from linkworker.clock import Clock, fixed
from linkworker.directory import SearchFilter
from linkworker.formats import oruk, writer
from linkworker.models import (
    ActivityDetails,
    ConnectionKind,
    ConnectionStatus,
    PersonDetails,
    ReferralDetails,
)
from linkworker.store import audit
from linkworker.store.db import Database
from linkworker.timeline import person_timeline

TODAY = date(2026, 11, 23)


# --- helpers ----------------------------------------------------------------------------


def service(sid: str, name: str, **fields: Any) -> dict[str, Any]:
    """A small HSDS service; keyword arguments override or add fields."""
    svc: dict[str, Any] = {
        "id": sid,
        "name": name,
        "status": "active",
        "assured_date": "2026-10-01",
    }
    svc.update(fields)
    return svc


def place(postcode: str, town: str = "Haverleigh", venue: str = "Hall") -> list[dict[str, Any]]:
    return [
        {
            "location": {
                "name": venue,
                "addresses": [{"address_1": "1 High St", "city": town, "postal_code": postcode}],
            }
        }
    ]


def weekly(byday: str, opens: str, closes: str | None = None) -> list[dict[str, Any]]:
    return [{"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes}]


def category(code: str, label: str) -> list[dict[str, Any]]:
    return [{"taxonomy_term": {"code": code, "name": label}}]


def load(db: Database, clock: Clock, tmp_path: Path, services: list[dict[str, Any]]) -> None:
    path = tmp_path / f"feed{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps({"contents": services}), encoding="utf-8")
    report = directory.import_feed(db, path, clock)
    assert report.skipped == 0, report.problems


def aid(db: Database, source_id: str) -> int:
    return int(
        db.execute("SELECT id FROM activities WHERE source_id = ?", [source_id]).fetchone()[0]
    )


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in rows]


@pytest.fixture
def small(db: Database, clock: Clock, tmp_path: Path) -> Database:
    """A directory of a few activities that differ in every way a filter looks at."""
    load(
        db,
        clock,
        tmp_path,
        [
            service(
                "walk",
                "Health Walks",
                description="Friendly walks in the park",
                service_at_locations=place("HV1 5LP"),
                schedules=weekly("TU", "10:00", "11:00"),
                cost_options=[{"amount": 0}],
                attributes=category("walking-exercise", "Walking and exercise"),
                minimum_age=18,
            ),
            service(
                "choir",
                "Community Choir",
                description="Sing together; no auditions. Walks home are shared.",
                service_at_locations=place("HV2 4AB", venue="St Aidan's"),
                schedules=weekly("TH", "18:30", "20:00"),
                fees_description="£3 a session",
                attributes=category("arts-music", "Arts and music"),
                assured_date="2025-01-10",
            ),
            service(
                "lunch",
                "Lunch Club",
                description="A hot lunch and company for older people",
                service_at_locations=place("HV2 9ZZ", town="Fennick Green"),
                schedules=weekly("TU", "12:00", "14:00"),
                cost_options=[{"amount": 4.5}],
                attributes=category("befriending", "Befriending"),
                minimum_age=60,
            ),
            service(
                "closed",
                "Old Walking Group",
                description="Walks",
                status="inactive",
                service_at_locations=place("HV1 1AA"),
            ),
            service(
                "cafe",
                "Café Crème",
                description="Drop-in café",
                service_at_locations=place("HV3 1AA"),
                schedules=weekly("MO", "09:00", "17:00"),
                attributes=category("befriending", "Befriending"),
                maximum_age=25,
            ),
        ],
    )
    return db


def person(
    db: Database,
    clock: Clock,
    *,
    dob: str = "1954-03-01",
    postcode: str = "HV2 7QQ",
    needs: list[str] | None = None,
) -> int:
    pid = people.add_person(
        db,
        PersonDetails.model_validate(
            {
                "given_name": "Joan",
                "family_name": "Smith",
                "date_of_birth": dob,
                "postcode": postcode,
            },
            context={"today": TODAY},
        ),
        clock,
    )
    if needs is not None:
        referrals.add_referral(
            db,
            pid,
            ReferralDetails.model_validate(
                {"source": "gp_practice", "received_on": "2026-11-01", "needs": needs},
                context={"today": TODAY},
            ),
            clock,
        )
    return pid


# --- search and filters -----------------------------------------------------------------


def test_search_matches_every_word_as_a_prefix_with_the_active_only(small: Database) -> None:
    page = directory.search_page(small, SearchFilter(text="wal"))
    # The inactive "Old Walking Group" drops out; the choir matches on "Walks" in its text.
    assert set(names(page.rows)) == {"Health Walks", "Community Choir"}
    assert page.total == 2 and page.words == ["wal"]
    everything = directory.search_page(small, SearchFilter(text="wal", active_only=False))
    assert "Old Walking Group" in names(everything.rows)


def test_relevance_first_then_freshness(db: Database, clock: Clock, tmp_path: Path) -> None:
    load(
        db,
        clock,
        tmp_path,
        [
            service("old", "Knit Group", description="knitting", assured_date="2025-01-01"),
            service("new", "Knit Circle", description="knitting", assured_date="2026-11-01"),
            service("best", "Knit and knit", description="knit knit knitting knit"),
        ],
    )
    rows = directory.search(db, "knit")
    assert names(rows)[0] == "Knit and knit"  # the most relevant
    assert names(rows)[1:] == ["Knit Circle", "Knit Group"]  # equal relevance: fresher first
    db.execute("UPDATE activities SET verified_on = '2026-11-20' WHERE source_id = 'old'")
    assert names(directory.search(db, "knit"))[1:] == ["Knit Group", "Knit Circle"]


def test_filters_category_by_label_or_code(small: Database) -> None:
    by_label = directory.search_page(small, SearchFilter(category="befriending"))
    by_code = directory.search_page(small, SearchFilter(category="Befriending"))
    assert names(by_label.rows) == names(by_code.rows) == ["Café Crème", "Lunch Club"]


@pytest.mark.parametrize(
    ("day", "time", "expected"),
    [
        ("tue", None, ["Health Walks", "Lunch Club"]),
        ("Tuesday", "morning", ["Health Walks"]),
        ("TU", "afternoon", ["Lunch Club"]),
        (None, "evening", ["Community Choir"]),
        ("mon", "afternoon", ["Café Crème"]),  # 09:00-17:00 runs into the afternoon
        ("thu", "morning", []),
    ],
)
def test_filters_day_and_time_of_day_in_the_same_session(
    small: Database, day: str | None, time: str | None, expected: list[str]
) -> None:
    page = directory.search_page(small, SearchFilter(day=day, time_of_day=time))
    assert names(page.rows) == expected


def test_filters_free_age_and_area(small: Database) -> None:
    assert names(directory.search(small, "", free_only=True)) == ["Health Walks"]
    assert names(directory.search(small, "", age=30)) == ["Community Choir", "Health Walks"]
    assert names(directory.search(small, "", age=70)) == [
        "Community Choir",
        "Health Walks",
        "Lunch Club",
    ]
    assert names(directory.search(small, "", age=20)) == [
        "Café Crème",
        "Community Choir",
        "Health Walks",
    ]
    assert names(directory.search(small, "", area="HV2")) == ["Community Choir", "Lunch Club"]
    assert names(directory.search(small, "", area="hv2 4ab")) == [
        "Community Choir",
        "Lunch Club",
    ]
    assert names(directory.search(small, "", area="fennick green")) == ["Lunch Club"]
    assert directory.parse_area("HV2") == ("outward", "HV2")
    assert directory.parse_area(" hv1 5lp ") == ("outward", "HV1")
    assert directory.parse_area("Lower Wendle") == ("town", "Lower Wendle")


def test_a_bad_time_of_day_is_refused_in_words(small: Database) -> None:
    with pytest.raises(ValueError, match="time of day 'noon' is not one of: morning"):
        directory.search_page(small, SearchFilter(time_of_day="noon"))


def test_retired_and_favourites(small: Database, clock: Clock) -> None:
    choir = aid(small, "choir")
    directory.retire_activity(small, choir, clock)
    assert "Community Choir" not in names(directory.search(small, "sing"))
    assert names(directory.search(small, "sing", include_retired=True)) == ["Community Choir"]
    walk = aid(small, "walk")
    assert directory.toggle_favourite(small, walk, clock) is True
    assert names(directory.search(small, "", favourites_only=True)) == ["Health Walks"]
    assert directory.toggle_favourite(small, walk, clock) is False


def test_paging_counts_every_match(db: Database, clock: Clock, tmp_path: Path) -> None:
    load(db, clock, tmp_path, [service(f"s{n}", f"Group {n:02d}") for n in range(23)])
    first = directory.search_page(db, SearchFilter(text="group"), limit=10)
    last = directory.search_page(db, SearchFilter(text="group"), limit=10, offset=20)
    assert first.total == last.total == 23
    assert len(first.rows) == 10 and len(last.rows) == 3
    assert directory.search_page(db, SearchFilter(), limit=10, offset=30).total == 23
    assert directory.search_count(db, SearchFilter(text="grou", area="HV9")) == 0


@pytest.mark.parametrize("text", ['"', "*", "NEAR(a b)", "a AND OR", "(", "-x", "^", "x:y", "'"])
def test_what_people_type_never_breaks_the_query(small: Database, text: str) -> None:
    directory.search_page(small, SearchFilter(text=text))


def test_matched_words_are_found_on_the_literal_text() -> None:
    words = directory.query_words("walk CAFE")
    assert words == ["walk", "cafe"]
    text = "Walks and a café: [bold]walking[/] \x1b[31m"
    spans = directory.match_spans(text, words)
    assert [text[a:b] for a, b in spans] == ["Walks", "café", "walking"]
    assert directory.match_spans("Nothing here", words) == []


def test_match_context_names_the_field_and_cuts_a_snippet(small: Database) -> None:
    page = directory.search_page(small, SearchFilter(text="auditions"))
    context = directory.match_context(page.rows[0], page.words, width=30)
    assert context is not None and context.field == "description"
    assert [context.text[a:b] for a, b in context.spans] == ["auditions"]
    assert directory.match_context(page.rows[0], []) is None


def test_categories_and_areas_in_use(small: Database) -> None:
    assert ("Befriending", "befriending", 2) in directory.categories_in_use(small)
    assert directory.areas_in_use(small)[:3] == ["HV1", "HV2", "HV3"]
    assert "Fennick Green" in directory.areas_in_use(small)


# --- short cells and freshness ----------------------------------------------------------


def test_short_cells(small: Database) -> None:
    walk = directory.get_activity(small, aid(small, "walk"))
    choir = directory.get_activity(small, aid(small, "choir"))
    assert directory.cost_short(walk) == "Free"
    assert directory.cost_short(choir) == "£3"
    assert directory.where_short(choir) == "HV2 St Aidan's"
    assert directory.when_short(walk) == "Tue 10:00"
    assert directory.when_lines(walk) == ["Tuesdays, 10am to 11am"]


@pytest.mark.parametrize(
    ("schedules", "short"),
    [
        ([{"byday": "MO,TU,WE,TH,FR", "opens_at": "09:00"}], "Mon-Fri 09:00"),
        ([{"byday": "MO,WE", "opens_at": "11:00"}, {"byday": "FR", "opens_at": "14:00"}],
         "Mon, Wed, Fri 11:00+"),
        ([{"byday": "1TU,3TU", "opens_at": "18:00"}], "1st, 3rd Tue 18:00"),
        ([{"byday": "-1SU"}], "last Sun"),
        ([{"description": "By appointment"}], "By appointment"),
    ],
)  # fmt: skip
def test_when_short(schedules: list[dict[str, str]], short: str) -> None:
    record = oruk.ActivityRecord(source_id="x", name="x", schedules=schedules)  # type: ignore[arg-type]
    assert directory.when_short(record.to_row()) == short


def test_freshness_words_and_setting(small: Database, clock: Clock) -> None:
    choir = directory.get_activity(small, aid(small, "choir"))  # assured 10 Jan 2025
    fresh = directory.freshness(choir, TODAY, 6)
    assert fresh.stale and fresh.cell() == "⚠ stale"
    assert fresh.words().startswith("⚠ STALE: last checked 10 Jan 2025, over 6 months ago")
    assert not directory.freshness(choir, TODAY, 24).stale  # the setting decides
    on = directory.mark_verified(small, int(choir["id"]), clock)
    choir = directory.get_activity(small, int(choir["id"]))
    assert on == "2026-11-23" and choir["verified_on"] == on
    fresh = directory.freshness(choir, TODAY, 6)
    assert not fresh.stale and fresh.words() == "✓ checked 23 Nov 2026"
    assert fresh.assured_date == "2025-01-10"
    never = directory.freshness({"assured_date": None, "verified_on": None}, TODAY, 6)
    assert never.stale and "never checked" in never.words()


def test_own_columns_are_audited_and_survive_every_import(
    small: Database, clock: Clock, tmp_path: Path
) -> None:
    walk = aid(small, "walk")
    directory.mark_verified(small, walk, clock)
    directory.toggle_favourite(small, walk, clock)
    directory.set_notes(small, walk, "  ask for Sue on Tuesdays ", clock)
    directory.retire_activity(small, walk, clock)
    audited = {
        r[0]
        for r in small.execute(
            "SELECT field FROM audit WHERE table_name = 'activities' AND record_id = ?", [walk]
        )
    }
    assert {"verified_on", "favourite", "notes", "retired"} <= audited
    # The feed changes the walk; the link worker's own columns stay as they were.
    load(
        small,
        clock,
        tmp_path,
        [service("walk", "Health Walks (new route)", assured_date="2026-11-01")],
    )
    row = directory.get_activity(small, walk)
    assert row["name"] == "Health Walks (new route)"
    assert (row["notes"], row["favourite"], row["verified_on"], row["retired"]) == (
        "ask for Sue on Tuesdays",
        1,
        "2026-11-23",
        1,
    )
    with pytest.raises(directory.DirectoryError, match="notes: at most 5000"):
        directory.set_notes(small, walk, "x" * 5001, clock)


def test_retire_missing_retires_what_the_feed_no_longer_lists(
    small: Database, clock: Clock, tmp_path: Path
) -> None:
    hand = directory.add_activity(small, ActivityDetails(name="Knit and Natter"), clock)
    path = tmp_path / "council.json"
    path.write_text(
        json.dumps({"contents": [service("walk", "Health Walks"), {"id": "choir"}]}),
        encoding="utf-8",
    )
    first = directory.import_feed(small, path, clock, retire_missing=True)
    assert first.retired == 0 and first.missing == 3  # retired only when missed twice in a row
    report = directory.import_feed(small, path, clock, retire_missing=True)
    # The choir is in the feed (though skipped for having no name): it is kept.
    assert report.retired == 3 and report.skipped == 1
    assert "3 retired (no longer in the feed)" in report.summary()
    kept = {r[0] for r in small.execute("SELECT source_id FROM activities WHERE retired = 0")}
    assert kept == {"walk", "choir", directory.get_activity(small, hand)["source_id"]}


# --- hand edits -------------------------------------------------------------------------


def test_add_an_activity_by_hand(small: Database, clock: Clock) -> None:
    details = ActivityDetails.model_validate(
        {
            "name": "Knit and Natter",
            "categories": "Befriending, Crafts",
            "postcode": "hv2 4ab",
            "days": "Tue, Thu",
            "opens_at": "2pm",
            "closes_at": "16:00",
            "schedule_note": "term time only",
            "is_free": True,
            "min_age": "16",
            "url": "www.knit.example",
            "email": "knit@Example.ORG",
        }
    )
    new = directory.add_activity(small, details, clock)
    row = directory.get_activity(small, new)
    assert row["origin"] == "hand" and row["source_id"].startswith("linkworker-")
    assert row["verified_on"] == row["assured_date"] == "2026-11-23"
    assert json.loads(row["categories"]) == ["Befriending", "Crafts"]
    # A known label gets the directory's code; a new one a code of its own.
    assert json.loads(row["category_codes"]) == ["befriending", "crafts"]
    assert json.loads(row["days"]) == ["TU", "TH"]
    assert row["schedule_text"] == "Tue, Thu 14:00-16:00"
    assert (row["postcode"], row["url"], row["email"]) == (
        "HV2 4AB",
        "https://www.knit.example",
        "knit@example.org",
    )
    assert row["cost"] == "Free" and row["is_free"] == 1 and row["min_age"] == 16
    assert names(directory.search(small, "knit")) == ["Knit and Natter"]
    assert (
        small.execute(
            "SELECT count(*) FROM audit WHERE table_name = 'activities' AND action = 'insert'"
        ).fetchone()[0]
        == 1
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": ""}, "name", "is required"),
        ({"name": "x", "postcode": "XX1"}, "postcode", "is not a UK postcode"),
        ({"name": "x", "days": "Funday"}, "days", "'Funday' is not a day of the week"),
        ({"name": "x", "days": "Tue", "opens_at": "25:00"}, "opens_at", "is not a time"),
        ({"name": "x", "opens_at": "10:00"}, "opens_at", "needs the days it applies to"),
        (
            {"name": "x", "days": "Tue", "opens_at": "10:00", "closes_at": "09:30"},
            "closes_at",
            "09:30 is not after the opening time 10:00",
        ),
        ({"name": "x", "min_age": 60, "max_age": 18}, "max_age", "is below the minimum age (60)"),
        ({"name": "x", "min_age": -1}, "min_age", "must be 0 or more"),
        ({"name": "x", "url": "not a url"}, "url", "is not a web address"),
        ({"name": "x", "email": "a@b"}, "email", "is not an email address"),
        ({"name": "x", "phone": "12345"}, "phone", "is not a UK phone number"),
        ({"name": "x", "status": "closed"}, "status", "Input should be"),
    ],
)
def test_hand_edit_validation_names_the_field(
    values: dict[str, Any], field: str, message: str
) -> None:
    from pydantic import ValidationError

    from linkworker.models import field_errors

    with pytest.raises(ValidationError) as err:
        ActivityDetails.model_validate(values)
    errors = field_errors(err.value)
    assert field in errors and message in errors[field]


def test_edit_keeps_schedules_it_cannot_show_unless_changed(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    load(
        db,
        clock,
        tmp_path,
        [
            service(
                "swim",
                "Gentle Swim",
                schedules=[
                    {"byday": "TU", "opens_at": "13:00", "closes_at": "14:00"},
                    {"byday": "TH", "opens_at": "15:00", "closes_at": "16:00"},
                ],
                assured_date="2026-01-01",
            )
        ],
    )
    swim = aid(db, "swim")
    values = directory.details_of(directory.get_activity(db, swim))
    assert values["days"] == ["TU", "TH"] and values["opens_at"] is None
    values["description"] = "Quiet lanes for older swimmers"
    changed = directory.update_activity(db, swim, ActivityDetails.model_validate(values), clock)
    row = directory.get_activity(db, swim)
    assert set(changed) >= {"description", "verified_on"}
    assert len(json.loads(row["schedules"])) == 2  # both sessions kept
    assert row["assured_date"] == "2026-01-01"  # an imported activity keeps its feed's date
    values = directory.details_of(row) | {"days": ["WE"], "opens_at": "10:00"}
    directory.update_activity(db, swim, ActivityDetails.model_validate(values), clock)
    row = directory.get_activity(db, swim)
    assert row["schedule_text"] == "Wed from 10:00"
    assert json.loads(row["days"]) == ["WE"]


def test_retire_and_restore(small: Database, clock: Clock) -> None:
    choir = aid(small, "choir")
    directory.retire_activity(small, choir, clock)
    with pytest.raises(directory.DirectoryError, match="already retired"):
        directory.retire_activity(small, choir, clock)
    directory.restore_activity(small, choir, clock)
    with pytest.raises(directory.DirectoryError, match="is not retired"):
        directory.restore_activity(small, choir, clock)
    assert "Community Choir" in names(directory.search(small, "choir"))


# --- export -----------------------------------------------------------------------------


def test_export_then_import_gives_back_the_same_activities(
    small: Database, clock: Clock, tmp_path: Path, store_path: Path
) -> None:
    directory.add_activity(
        small,
        ActivityDetails(
            name="Knit [bold]FREE[/]", days=["TU"], opens_at="10:00", postcode="HV1 1AA"
        ),
        clock,
    )
    directory.retire_activity(small, aid(small, "choir"), clock)
    directory.set_notes(small, aid(small, "walk"), "ask for Sue", clock)
    page = directory.export_directory(small)
    assert page["total_items"] == 6
    assert "ask for Sue" not in json.dumps(page)
    path = writer.write_text(tmp_path / "out.json", json.dumps(page))
    other = Database(tmp_path / "other.db")
    from linkworker.store.migrations import migrations

    migrations.apply(other)
    report = directory.import_feed(other, path, clock)
    assert (report.new, report.skipped) == (6, 0)

    def records(database: Database) -> dict[str, oruk.ActivityRecord]:
        return {
            r["source_id"]: oruk.ActivityRecord.from_row(r)
            for r in database.query("SELECT * FROM activities")
        }

    before, after = records(small), records(other)
    assert before.keys() == after.keys()
    for sid, record in before.items():
        expected = record.model_copy(update={"status": "inactive"}) if sid == "choir" else record
        assert after[sid] == expected, sid
    with_notes = directory.export_directory(small, include_notes=True)
    assert "ask for Sue" in json.dumps(with_notes)


# --- connections ------------------------------------------------------------------------


def test_connection_moves_through_its_statuses_with_dates_audit_and_timeline(
    small: Database,
) -> None:
    clock = fixed(TODAY)
    pid = person(small, clock, needs=["loneliness"])
    walk = aid(small, "walk")
    cid = directory.connect(
        small,
        pid,
        walk,
        ConnectionKind.REFERRAL,
        clock,
        on=TODAY - timedelta(days=20),
        note="gave a leaflet",
    )
    conn = directory.get_connection(small, cid)
    assert (conn["status"], conn["kind"], conn["suggested_on"]) == (
        "suggested",
        "referral",
        "2026-11-03",
    )
    assert conn["referral_id"] is not None
    assert conn["feedback"] == "3 Nov 2026 suggested: gave a leaflet"
    directory.move_connection(
        small, cid, ConnectionStatus.REFERRED, clock, on=TODAY - timedelta(days=18)
    )
    directory.move_connection(
        small,
        cid,
        ConnectionStatus.ATTENDED,
        clock,
        on=TODAY - timedelta(days=10),
        feedback="loved it",
    )
    conn = directory.move_connection(small, cid, ConnectionStatus.ATTENDING, clock)
    assert (conn["referred_on"], conn["attended_on"], conn["status_changed_on"]) == (
        "2026-11-05",
        "2026-11-13",
        "2026-11-23",
    )
    assert conn["feedback"].splitlines() == [
        "3 Nov 2026 suggested: gave a leaflet",
        "13 Nov 2026 attended: loved it",
    ]
    audited = list(
        small.query(
            "SELECT action, field, new FROM audit WHERE table_name = 'connections' "
            "AND person_id = ?",
            [pid],
        )
    )
    assert audited[0]["action"] == "insert"
    assert ("update", "status", "attending") in [
        (a["action"], a["field"], a["new"]) for a in audited
    ]
    events = [e.summary for e in person_timeline(small, pid) if e.table == "connections"]
    assert events == [
        "Health Walks: still attending",
        "Health Walks: attended (loved it)",
        "Health Walks: referred",
        "Connected to Health Walks (referral): gave a leaflet",
    ]
    stopped = directory.move_connection(
        small, cid, ConnectionStatus.STOPPED, clock, feedback="bus route changed"
    )
    assert stopped["stopped_on"] == "2026-11-23"


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        ("suggested", "attending", "mark them attended first"),
        ("attended", "referred", "a connection that is attended cannot go back to referred"),
        ("referred", "suggested", "cannot go back to suggested"),
        ("referred", "referred", "this connection is already referred"),
        ("stopped", "attended", "this connection has stopped"),
        ("attending", "attended", "cannot go back to attended"),
    ],
)
def test_illegal_moves_are_refused_in_words(current: str, target: str, message: str) -> None:
    with pytest.raises(directory.DirectoryError, match=message):
        directory.check_connection_move(current, ConnectionStatus(target))


def test_legal_moves_and_next_statuses() -> None:
    assert directory.next_statuses("suggested") == [
        ConnectionStatus.REFERRED,
        ConnectionStatus.ATTENDED,
        ConnectionStatus.STOPPED,
    ]
    assert directory.next_statuses("attended") == [
        ConnectionStatus.ATTENDING,
        ConnectionStatus.STOPPED,
    ]
    assert directory.next_statuses("stopped") == []


def test_connect_refusals(small: Database, clock: Clock) -> None:
    pid = person(small, clock)
    walk, closed = aid(small, "walk"), aid(small, "closed")
    cid = directory.connect(small, pid, walk, ConnectionKind.SIGNPOST, clock)
    with pytest.raises(directory.DirectoryError, match="already connected to Health Walks"):
        directory.connect(small, pid, walk, ConnectionKind.SIGNPOST, clock)
    with pytest.raises(directory.DirectoryError, match="is inactive"):
        directory.connect(small, pid, closed, ConnectionKind.SIGNPOST, clock)
    with pytest.raises(directory.DirectoryError, match="in the future"):
        directory.connect(
            small, pid, aid(small, "choir"), ConnectionKind.SIGNPOST, clock, on=TODAY + timedelta(1)
        )
    with pytest.raises(LookupError, match="no person with id 999"):
        directory.connect(small, 999, walk, ConnectionKind.SIGNPOST, clock)
    with pytest.raises(directory.DirectoryError, match="is before the last change"):
        directory.move_connection(
            small, cid, ConnectionStatus.ATTENDED, clock, on=TODAY - timedelta(days=1)
        )
    directory.move_connection(small, cid, ConnectionStatus.STOPPED, clock)
    # Once stopped, the person can be connected afresh.
    directory.connect(small, pid, walk, ConnectionKind.REFERRAL, clock)
    directory.retire_activity(small, walk, clock)
    other = person(small, clock, dob="1990-01-01")
    with pytest.raises(directory.DirectoryError, match="is retired"):
        directory.connect(small, other, walk, ConnectionKind.SIGNPOST, clock)


def test_retired_activities_stay_on_peoples_histories(small: Database, clock: Clock) -> None:
    pid = person(small, clock)
    walk = aid(small, "walk")
    directory.connect(small, pid, walk, ConnectionKind.SIGNPOST, clock)
    directory.retire_activity(small, walk, clock)
    assert "Health Walks" not in names(directory.search(small, ""))
    [conn] = directory.connections_for_person(small, pid)
    assert conn["activity_name"] == "Health Walks" and conn["activity_retired"] == 1
    [who] = directory.connections_for_activity(small, walk)
    assert who["person_name"] == "Joan Smith"
    summaries = [e.summary for e in person_timeline(small, pid)]
    assert "Connected to Health Walks (retired) (signpost)" in summaries
    assert directory.open_connection_count(small, walk) == 1


# --- suggestions ------------------------------------------------------------------------


def test_suggestions_fit_needs_age_area_and_days_and_say_why(small: Database) -> None:
    clock = fixed(TODAY)
    pid = person(small, clock, dob="1954-03-01", postcode="HV2 7QQ", needs=["loneliness"])
    audit.insert(
        small,
        "conversations",
        {
            "person_id": pid,
            "held_on": "2026-11-10",
            "needs": {"physical_activity": "wants to get out more"},
            "barriers": ["cost"],
        },
        person_id=pid,
        clock=clock,
    )
    found = directory.suggest_activities(small, pid, TODAY, days=["tue"])
    by_name = {s.activity["name"]: s for s in found}
    # Café Crème is for 25s and under: a 72-year-old never sees it.
    assert set(by_name) == {"Lunch Club", "Health Walks", "Community Choir"}
    assert by_name["Community Choir"].why == (
        "matches: loneliness and isolation → Arts and music; same area HV2; "
        "not on their days (runs Thu); costs £3 (cost is a barrier); ⚠ stale: check it first"
    )
    lunch = by_name["Lunch Club"]
    assert lunch.why == (
        "matches: loneliness and isolation → Befriending; age 72 fits 60+; same area HV2; "
        "Tuesdays; costs £4.50 (cost is a barrier)"
    )
    walk = by_name["Health Walks"]
    assert "matches: physical activity → Walking and exercise" in walk.why
    assert "free (cost is a barrier)" in walk.why and "nearby (HV1)" in walk.why
    context = directory.person_context(small, pid, TODAY)
    assert context.needs == ["physical_activity", "loneliness"]
    assert (context.age, context.outward, context.barriers) == (72, "HV2", ["cost"])
    # Someone already connected is not suggested again.
    directory.connect(small, pid, aid(small, "lunch"), ConnectionKind.SIGNPOST, clock)
    assert [s.activity["name"] for s in directory.suggest_activities(small, pid, TODAY)] == [
        "Health Walks",
        "Community Choir",
    ]


def test_suggestions_without_needs_use_age_and_area(small: Database, clock: Clock) -> None:
    pid = person(small, clock, dob="2005-06-01", postcode="HV3 2BB")
    found = directory.suggest_activities(small, pid, TODAY, days=["fri"])
    assert found[0].activity["name"] == "Café Crème"
    assert "same area HV3" in found[0].why
    assert "not on their days (runs Mon)" in found[0].why


# --- shortlist --------------------------------------------------------------------------


def test_shortlist_plain_text_for_paper(small: Database, clock: Clock) -> None:
    walk, choir = aid(small, "walk"), aid(small, "choir")
    directory.set_notes(small, walk, "PRIVATE: ask for Sue", clock)
    small.execute(
        "UPDATE activities SET phone = '01632 960100', contact_name = 'Sue', "
        "alert = 'Closed on 1 Dec', extra = ? WHERE id = ?",
        [json.dumps({"application_process": "Just turn up"}), walk],
    )
    small.execute(
        "UPDATE activities SET description = ? WHERE id = ?", ["\x1b[31m[bold]Sing[/]", choir]
    )
    text = directory.shortlist_text(small, [walk, choir], for_name="Joan", today=TODAY)
    lines = text.splitlines()
    assert lines[0] == "ACTIVITIES FOR JOAN"
    assert "Chosen with your link worker on 23 November 2026." in text
    for heading in ("WHAT IT IS", "WHEN", "WHERE", "COST", "HOW TO JOIN", "HOW TO GET IN TOUCH"):
        assert heading in lines
    assert "1. HEALTH WALKS" in lines and "2. COMMUNITY CHOIR" in lines
    assert "    Tuesdays, 10am to 11am" in lines
    assert "    Phone: 01632 960100" in lines and "    Ask for: Sue" in lines
    assert "    Just turn up" in lines and "    Closed on 1 Dec" in lines
    assert "No phone?" in text
    assert "PRIVATE" not in text  # private notes never go on a hand-out
    assert "\x1b" not in text and "␛[31m[bold]Sing[/]" in text
    assert max(len(line) for line in lines) <= 72
    with pytest.raises(directory.DirectoryError, match="pick at least one activity"):
        directory.shortlist_text(small, [], for_name="Joan", today=TODAY)


def test_shortlist_markdown(small: Database) -> None:
    walk = aid(small, "walk")
    small.execute("UPDATE activities SET name = 'Walks *with* [friends]' WHERE id = ?", [walk])
    text = directory.shortlist_text(small, [walk], for_name="Joan", today=TODAY, markdown=True)
    assert text.startswith("# Activities for Joan\n")
    assert "## 1. Walks \\*with\\* \\[friends\\]" in text
    assert "### When\n\nTuesdays, 10am to 11am\n" in text
    assert "### Where\n\nHall  \n1 High St  \nHaverleigh  \nHV1 5LP\n" in text


# --- typed rows -----------------------------------------------------------------------------


def test_typed_rows_name_every_column_the_functions_return(small: Database, clock: Clock) -> None:
    """ActivityRow and ConnectionRow type every column of their tables, and the joined
    connection rows every column their queries add: a new column must be typed too."""
    # table_xinfo, not table_info: a generated column (m012's duplicate_key) counts too.
    columns = {
        t: {str(r[1]) for r in small.execute(f"PRAGMA table_xinfo({t})")}
        for t in ("activities", "connections")
    }
    assert set(directory.ActivityRow.__annotations__) == columns["activities"]
    assert set(directory.ConnectionRow.__annotations__) == columns["connections"]
    pid = person(small, clock)
    activity = aid(small, "walk")
    cid = directory.connect(small, pid, activity, ConnectionKind.SIGNPOST, clock)
    assert set(directory.get_activity(small, activity)) == set(
        directory.ActivityRow.__annotations__
    )
    with_activity = set(directory.ConnectionWithActivity.__annotations__) | columns["connections"]
    assert set(directory.get_connection(small, cid)) == with_activity
    assert [set(r) for r in directory.connections_for_person(small, pid)] == [with_activity]
    with_person = set(directory.ConnectionWithPerson.__annotations__) | columns["connections"]
    assert [set(r) for r in directory.connections_for_activity(small, activity)] == [with_person]
