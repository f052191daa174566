"""Open Referral UK (HSDS v3) import and export: linkworker.formats.oruk."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from linkworker.formats.oruk import (
    COLUMNS,
    ActivityRecord,
    FeedError,
    ParsedFeed,
    export_page,
    load_feed,
    parse_services,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "hsds-v3-examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANISATION = "Example Organization Inc."

# Every example that holds services, and how many each gives.
IMPORTABLE = {
    "service_full.json": 1,
    "service_list.json": 1,
    "organization_full.json": 1,
    "service_at_location_full.json": 1,
    "service_at_location_list.json": 1,
    "csv": 1,
    "csv/datapackage.json": 1,
}


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def one(feed: ParsedFeed) -> ActivityRecord:
    assert len(feed.activities) == 1, feed.problems
    return feed.activities[0]


def fields_of(problems: list[Any]) -> set[str]:
    return {p.field for p in problems}


def roundtrip(records: list[ActivityRecord], **kwargs: Any) -> ParsedFeed:
    page = export_page([r.to_row() for r in records], **kwargs)
    return parse_services(page["contents"], "export")


# --- The HSDS v3 examples ---------------------------------------------------------------


def test_examples_folder_is_where_the_tests_expect() -> None:
    assert (EXAMPLES / "service_full.json").is_file()
    assert (EXAMPLES / "csv" / "services.csv").is_file()


def test_service_full_maps_every_field() -> None:
    feed = load_feed(EXAMPLES / "service_full.json")
    rec = one(feed)
    assert rec.source_id == SERVICE_ID
    assert rec.name == "Community Counselling"
    assert rec.organisation == ORGANISATION
    assert rec.status == "active"
    assert rec.description is not None and rec.description.endswith("circumstances.")
    assert rec.venue == "MyCity Civic Center"
    assert rec.address == "1-30 Main Street, MyVillage"
    assert rec.town == "MyCity"
    # "ABC 1234" is a US postal code (the address says country US): no UK postcode, but kept
    # as given with the location; latitude 100 is off the globe: dropped, not skipped.
    assert rec.postcode is None
    assert rec.locations[0]["postal_code"] == "ABC 1234"
    assert rec.locations[0]["country"] == "US"
    assert rec.latitude is None and rec.longitude is None
    assert "latitude" in fields_of(feed.warnings)
    assert "postal_code" not in fields_of(feed.warnings)
    assert not feed.skipped
    assert rec.schedules == [
        {
            "freq": "WEEKLY",
            "interval": "1",
            "byday": "TH,FR",
            "bymonthday": "2,3,4",
            "count": "3",
            "until": "2005-01-01",
            "dtstart": "2005-01-01",
            "opens_at": "10:00",
            "closes_at": "18:00",
            "valid_from": "2005-01-01",
            "valid_to": "2005-01-01",
            "description": "The service is available from 10 am to 6pm weekdays. "
            "The service is not available on public holidays.",
        }
    ]
    assert rec.days == ["TH", "FR"]
    assert rec.schedule_text == "Thu, Fri 10:00-18:00"
    assert rec.categories == ["name"]
    assert rec.category_codes == ["code"]
    assert rec.min_age == 12 and rec.max_age == 100
    assert rec.phone == "+44 1234 234567"  # the feed wraps it in literal quotes
    assert rec.email == "email@example.com"
    assert rec.url == "http://example.com/counselling"
    assert rec.contact_name == "Ann Persona (Reception Manager)"
    assert rec.assured_date == "2005-01-01"
    assert rec.languages == ["Urdu"]
    assert rec.accessibility is not None and rec.accessibility.startswith("The building")
    assert rec.cost is not None and "£50 per hour" in rec.cost
    assert "Under 18s and Over 60s: £35 per 1 hour session" in rec.cost
    assert rec.is_free is False
    assert rec.eligibility is not None and "aged 12 and over" in rec.eligibility
    assert rec.alert is not None and rec.alert.startswith("Following COVID-19")
    assert rec.extra["alternate_name"] == "MyCity Counselling Services"
    assert rec.extra["last_modified"] == "2023-03-15T10:30:45.123Z"
    assert not {"phones", "organization", "id", "name"} & set(rec.extra)


def test_service_list_page() -> None:
    feed = load_feed(EXAMPLES / "service_list.json")
    rec = one(feed)
    assert rec.source_id == SERVICE_ID
    assert rec.organisation == ORGANISATION
    assert rec.min_age == 12 and rec.max_age == 100
    assert rec.assured_date == "2005-01-01"
    assert rec.schedules == [] and rec.days == [] and rec.schedule_text == ""
    assert rec.venue is None and rec.phone is None
    assert feed.problems == []


@pytest.mark.parametrize("name", ["csv", "csv/datapackage.json"])
def test_tabular_data_package(name: str) -> None:
    feed = load_feed(EXAMPLES / name)
    rec = one(feed)
    assert rec.source_id == SERVICE_ID
    assert rec.name == "Community Counselling"
    assert rec.organisation == ORGANISATION
    assert rec.venue == "MyCity Civic Center"
    assert rec.postcode is None and rec.locations[0]["postal_code"] == "ABC 1234"
    assert rec.days == ["TH", "FR"]
    assert rec.schedules[0]["opens_at"] == "10:00" and rec.schedules[0]["closes_at"] == "18:00"
    assert rec.min_age == 12 and rec.max_age == 100  # "12" and "100" in the CSV
    assert rec.phone == "+44 1234 234567"
    assert rec.assured_date == "2005-01-01"
    assert rec.languages == ["Urdu"]
    assert rec.contact_name == "Ann Persona (Reception Manager)"
    assert rec.accessibility is not None and "induction loops" in rec.accessibility
    assert rec.is_free is False
    # The example's attributes.csv links its term to another id (link_id f28dd44b...),
    # not to this service, so the join rightly finds no category.
    assert rec.categories == [] and rec.category_codes == []
    # Everything else agrees with the JSON form of the same service.
    full = one(load_feed(EXAMPLES / "service_full.json"))
    same = {"categories", "category_codes", "extra"}
    for column in COLUMNS:
        if column not in same:
            assert getattr(rec, column) == getattr(full, column), column


def test_organization_full_gives_its_services_with_the_organisation() -> None:
    rec = one(load_feed(EXAMPLES / "organization_full.json"))
    assert rec.name == "Community Counselling"
    assert rec.organisation == ORGANISATION  # the nested service has no "organization"
    assert rec.days == ["TH", "FR"]


def test_service_at_location_full_takes_the_location_from_the_wrapper() -> None:
    rec = one(load_feed(EXAMPLES / "service_at_location_full.json"))
    assert rec.source_id == SERVICE_ID
    assert rec.venue == "MyCity Civic Center"
    assert rec.address == "1-30 Main Street, MyVillage"
    assert rec.phone == "+44 1234 234567"
    assert rec.organisation == ORGANISATION


def test_service_at_location_list() -> None:
    feed = load_feed(EXAMPLES / "service_at_location_list.json")
    rec = one(feed)
    assert rec.name == "Community Counselling"
    assert rec.venue == "MyCity Civic Center"
    assert rec.address is None and rec.postcode is None


def test_service_at_locations_of_one_service_merge_into_one_activity(tmp_path: Path) -> None:
    sal = json.loads((EXAMPLES / "service_at_location_full.json").read_text(encoding="utf-8"))
    second = json.loads(json.dumps(sal))
    second["id"] = "another-place"
    second["location"]["name"] = "Second Venue"
    feed = load_feed(write_json(tmp_path / "sal.json", {"contents": [sal, second]}))
    assert one(feed).venue == "MyCity Civic Center"
    assert not feed.skipped


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("location.json", "location.json: an HSDS location, not a services feed"),
        ("organization_list.json", "organization_list.json: a list of HSDS organization"),
        ("taxonomy.json", "taxonomy.json: an HSDS taxonomy, not a services feed"),
        ("taxonomy_list.json", "taxonomy_list.json: a list of HSDS taxonomy objects"),
        ("taxonomy_term.json", "taxonomy_term.json: an HSDS taxonomy term"),
        ("taxonomy_term_list.json", "taxonomy_term_list.json: a list of HSDS taxonomy term"),
    ],
)
def test_examples_that_hold_no_services_are_not_feeds(name: str, expected: str) -> None:
    with pytest.raises(FeedError) as err:
        load_feed(EXAMPLES / name)
    assert str(err.value).startswith(expected)
    assert "\n" not in str(err.value)


def test_the_examples_folder_as_a_whole_names_its_first_non_feed() -> None:
    with pytest.raises(FeedError, match=r"^location\.json: "):
        load_feed(EXAMPLES)


@pytest.mark.parametrize("name", sorted(IMPORTABLE))
def test_examples_import_and_round_trip(name: str) -> None:
    feed = load_feed(EXAMPLES / name)
    assert len(feed.activities) == IMPORTABLE[name]
    assert not feed.skipped
    back = roundtrip(feed.activities)
    assert back.activities == feed.activities
    assert back.problems == []


# --- Feeds that are not feeds ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "feed.json: not valid JSON"),
        ("", "feed.json: the file is empty"),
        ("42", "feed.json: not an Open Referral feed (expected a service, a list page"),
        ('"text"', "feed.json: not an Open Referral feed"),
        ('{"people": []}', "feed.json: not an Open Referral feed"),
        ('{"contents": {"a": 1}}', "feed.json: 'contents' is an object, not a list"),
        ('{"id": "x", "website": "http://example.org"}', "feed.json: an HSDS organization"),
    ],
)
def test_not_a_feed(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "feed.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FeedError) as err:
        load_feed(path)
    assert str(err.value).startswith(expected)
    assert "\n" not in str(err.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_bytes(b"\xff\xfe\x00garbage\x81")
    with pytest.raises(FeedError, match=r"^feed\.json: not UTF-8"):
        load_feed(path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match=r"^nothing\.json: no such file or folder"):
        load_feed(tmp_path / "nothing.json")


def test_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    with pytest.raises(FeedError, match=r"^feed: the folder is empty"):
        load_feed(folder)


def test_folder_without_json(tmp_path: Path) -> None:
    (tmp_path / "README.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(FeedError, match=r"no \.json files"):
        load_feed(tmp_path)


def test_folder_with_a_non_feed_file_names_it(tmp_path: Path) -> None:
    write_json(tmp_path / "1.json", {"contents": [{"id": "a", "name": "A"}]})
    write_json(tmp_path / "2.json", {"people": []})
    with pytest.raises(FeedError, match=r"^2\.json: not an Open Referral feed"):
        load_feed(tmp_path)


def test_package_without_services_csv(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text("{}", encoding="utf-8")
    with pytest.raises(FeedError, match=r"^datapackage\.json: the data package has no services"):
        load_feed(tmp_path)


def test_empty_list_page_is_an_empty_feed(tmp_path: Path) -> None:
    feed = load_feed(write_json(tmp_path / "page.json", export_page([])))
    assert feed.activities == [] and feed.problems == []


# --- A folder of pages ------------------------------------------------------------------


def test_folder_of_two_pages(tmp_path: Path) -> None:
    # Read in name order; positions and duplicate detection run across the pages.
    write_json(
        tmp_path / "page-2.json",
        {
            "contents": [
                {"id": "c", "name": "Choir"},
                {"id": "a", "name": "Art club again"},
            ]
        },
    )
    write_json(
        tmp_path / "page-1.json",
        {
            "total_items": 4,
            "total_pages": 2,
            "page_number": 1,
            "contents": [{"id": "a", "name": "Art club"}, {"id": "b", "name": "Bowls"}],
        },
    )
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    feed = load_feed(tmp_path)
    assert [a.name for a in feed.activities] == ["Art club", "Bowls", "Choir"]
    assert feed.source == str(tmp_path)
    (dup,) = feed.skipped
    assert (dup.index, dup.source_id, dup.field) == (4, "a", "id")
    assert dup.reason == "duplicate id (first seen at record 1)"


def test_folder_mixing_shapes(tmp_path: Path) -> None:
    service = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    write_json(tmp_path / "a.json", service)
    write_json(tmp_path / "b.json", [{"id": "x", "name": "Extra"}])
    feed = load_feed(tmp_path)
    assert [a.name for a in feed.activities] == ["Community Counselling", "Extra"]


# --- Record-level problems --------------------------------------------------------------


def test_records_without_a_name_or_not_objects_are_skipped() -> None:
    feed = parse_services(
        [
            {"id": "1", "name": "Good"},
            {"id": "2"},
            {"id": "3", "name": "   "},
            {"id": "4", "name": 7},
            "a string",
            ["a", "list"],
            None,
            {"id": ["not", "text"], "name": "Bad id"},
        ],
        "test",
    )
    assert [a.name for a in feed.activities] == ["Good"]
    assert [(p.index, p.field, p.skipped) for p in feed.problems] == [
        (2, "name", True),
        (3, "name", True),
        (4, "name", True),
        (5, "record", True),
        (6, "record", True),
        (7, "record", True),
        (8, "id", True),
    ]
    assert feed.problems[0].reason == "missing name"
    assert feed.problems[0].source_id == "2"
    assert feed.skipped == feed.problems and feed.warnings == []


def test_non_service_objects_in_a_services_list_are_skipped() -> None:
    feed = parse_services(
        [
            {"id": "s", "name": "Service"},
            {"id": "l", "name": "A hall", "location_type": "physical"},
        ]
    )
    assert [a.name for a in feed.activities] == ["Service"]
    assert feed.skipped[0].reason == "an HSDS location, not a service"
    assert feed.skipped[0].name == "A hall"


def test_wrong_types_in_optional_fields_drop_the_field_with_a_warning() -> None:
    feed = parse_services(
        [
            {
                "id": "w",
                "name": "Walk",
                "minimum_age": "twelve",
                "maximum_age": "65",
                "schedules": "every Tuesday",
                "languages": "English",
                "phones": {"number": "1"},
                "organization": "Not an object",
                "description": 12,
                "status": 3,
                "cost_options": [{"amount": "lots"}],
            }
        ]
    )
    rec = one(feed)
    assert rec.min_age is None and rec.max_age == 65
    assert rec.schedules == [] and rec.days == []
    assert rec.languages == [] and rec.phone is None
    assert rec.organisation is None and rec.description is None
    assert rec.status == "active"
    assert fields_of(feed.warnings) == {
        "minimum_age",
        "schedules",
        "languages",
        "phones",
        "organization",
        "description",
        "status",
        "cost_options.amount",
    }
    assert not feed.skipped
    age = next(p for p in feed.warnings if p.field == "minimum_age")
    assert "'twelve'" in age.reason and age.source_id == "w" and age.name == "Walk"


def test_duplicate_ids_keep_the_first() -> None:
    feed = parse_services(
        [
            {"id": "x", "name": "First"},
            {"id": "y", "name": "Other"},
            {"id": "x", "name": "Second"},
        ]
    )
    assert [a.name for a in feed.activities] == ["First", "Other"]
    (dup,) = feed.problems
    assert (dup.index, dup.name, dup.skipped) == (3, "Second", True)
    assert dup.reason == "duplicate id (first seen at record 1)"


def test_missing_id_is_derived_deterministically_and_reported() -> None:
    services = [{"name": "Chair yoga", "organization": {"name": "Age Well"}}]
    first, second = parse_services(services), parse_services(json.loads(json.dumps(services)))
    rec = one(first)
    assert rec.source_id == one(second).source_id
    assert len(rec.source_id) == 36
    (note,) = first.problems
    assert (note.field, note.skipped) == ("id", False) and rec.source_id in note.reason
    other = one(parse_services([{"name": "Chair yoga", "organization": {"name": "Elsewhere"}}]))
    assert other.source_id != rec.source_id


def test_empty_strings_become_none() -> None:
    rec = one(
        parse_services(
            [
                {
                    "id": "e",
                    "name": "Empty",
                    "description": "",
                    "url": "  ",
                    "email": "",
                    "status": "",
                    "assured_date": "",
                    "alert": "",
                    "minimum_age": "",
                    "organization": {"name": ""},
                    "phones": [{"number": ""}],
                    "alternate_name": "",
                    "service_at_locations": [
                        {
                            "location": {
                                "name": "",
                                "addresses": [{"address_1": "", "city": "", "postal_code": ""}],
                            }
                        }
                    ],
                }
            ]
        )
    )
    for column in (
        "description",
        "url",
        "email",
        "assured_date",
        "alert",
        "min_age",
        "organisation",
        "phone",
        "venue",
        "address",
        "town",
        "postcode",
    ):
        assert getattr(rec, column) is None, column
    assert rec.status == "active"
    assert rec.extra == {}


def test_invalid_postcode_is_a_warning_not_a_skip() -> None:
    def place(postcode: str) -> dict[str, Any]:
        return {
            "service_at_locations": [
                {
                    "location": {
                        "name": "Hall",
                        "addresses": [{"address_1": "1 High St", "postal_code": postcode}],
                    }
                }
            ]
        }

    feed = parse_services(
        [
            {"id": "1", "name": "Good", **place("tr148sh")},
            {"id": "2", "name": "Bad", **place("NOT A CODE")},
        ]
    )
    good, bad = feed.activities
    assert good.postcode == "TR14 8SH"
    assert bad.postcode is None and bad.venue == "Hall"
    (warning,) = feed.problems
    assert (warning.index, warning.field, warning.skipped) == (2, "postal_code", False)


def test_status_values() -> None:
    feed = parse_services(
        [
            {"id": "1", "name": "A"},
            {"id": "2", "name": "B", "status": "Temporarily Closed"},
            {"id": "3", "name": "C", "status": "defunct"},
            {"id": "4", "name": "D", "status": "paused"},
        ]
    )
    assert [a.status for a in feed.activities] == [
        "active",
        "temporarily closed",
        "defunct",
        "active",
    ]
    (warning,) = feed.problems
    assert warning.index == 4 and warning.field == "status" and "'paused'" in warning.reason


def test_assured_date() -> None:
    feed = parse_services(
        [
            {"id": "1", "name": "A", "assured_date": "2026-03-01T09:30:00Z"},
            {"id": "2", "name": "B", "assured_date": "01/03/2026"},
            {"id": "3", "name": "C", "assured_date": "2026-02-30"},
        ]
    )
    assert [a.assured_date for a in feed.activities] == ["2026-03-01", None, None]
    assert [(p.index, p.field) for p in feed.problems] == [(2, "assured_date"), (3, "assured_date")]


def test_markup_is_kept_literally_and_escape_sequences_made_visible() -> None:
    name = "[bold red]FREE[/] tea \x1b[31mparty"
    description = "Line one\nLine two [link=http://x]click[/link] \x1b]8;;http://x\x07 \\n"
    feed = parse_services([{"id": "m", "name": f"  {name}  ", "description": description}])
    rec = one(feed)
    name = "[bold red]FREE[/] tea ␛[31mparty"
    description = "Line one\nLine two [link=http://x]click[/link] ␛]8;;http://x␇ \\n"
    assert rec.name == name
    assert rec.description == description
    assert [(p.field, p.reason) for p in feed.problems] == [
        ("description", "control characters shown as symbols")
    ]
    back = one(roundtrip([rec]))
    assert back.name == name and back.description == description


def test_phone_stray_quotes_and_fallback_to_contacts() -> None:
    rec = one(
        parse_services(
            [
                {
                    "id": "p",
                    "name": "P",
                    "contacts": [{"name": "Sam", "phones": [{"number": " '01632 960000' "}]}],
                }
            ]
        )
    )
    assert rec.phone == "01632 960000"
    assert rec.contact_name == "Sam"


def test_schedules_days_and_text() -> None:
    rec = one(
        parse_services(
            [
                {
                    "id": "s",
                    "name": "S",
                    "schedules": [
                        {
                            "freq": "WEEKLY",
                            "byday": "TU",
                            "opens_at": "10:00:00",
                            "closes_at": "12:00",
                        },
                        {
                            "freq": "MONTHLY",
                            "byday": "1TH",
                            "opens_at": "14:00",
                            "closes_at": "16:00:00Z",
                        },
                        {"freq": "MONTHLY", "byday": "-1MO", "opens_at": "9:30"},
                        "not a schedule",
                    ],
                }
            ]
        )
    )
    assert rec.days == ["MO", "TU", "TH"]
    assert rec.schedule_text == (
        "Tue 10:00-12:00; 1st Thu of the month 14:00-16:00; last Mon of the month from 09:30"
    )
    assert rec.schedules[1] == {
        "freq": "MONTHLY",
        "interval": None,
        "byday": "1TH",
        "bymonthday": None,
        "count": None,
        "until": None,
        "dtstart": None,
        "opens_at": "14:00",
        "closes_at": "16:00",
        "valid_from": None,
        "valid_to": None,
        "description": None,
    }


def test_schedule_descriptions_when_no_structured_times() -> None:
    feed = parse_services(
        [
            {
                "id": "d",
                "name": "D",
                "schedules": [
                    {"description": "By appointment"},
                    {
                        "freq": "WEEKLY",
                        "byday": "MO,XX",
                        "opens_at": "25:00",
                        "description": "Phone line weekdays",
                    },
                ],
            }
        ]
    )
    rec = one(feed)
    assert rec.schedule_text == "By appointment; Phone line weekdays"
    assert rec.days == ["MO"]
    assert fields_of(feed.warnings) == {"schedules.byday", "schedules.opens_at"}


def test_schedules_fall_back_to_the_location() -> None:
    rec = one(
        parse_services(
            [
                {
                    "id": "f",
                    "name": "F",
                    "service_at_locations": [
                        {
                            "location": {
                                "name": "Hall",
                                "schedules": [
                                    {"freq": "WEEKLY", "byday": "WE", "opens_at": "13:00"}
                                ],
                            }
                        }
                    ],
                }
            ]
        )
    )
    assert rec.days == ["WE"] and rec.schedule_text == "Wed from 13:00"


@pytest.mark.parametrize(
    ("service", "cost", "is_free"),
    [
        ({"cost_options": [{"amount": 0}]}, "Free", True),
        (
            {
                "cost_options": [
                    {"amount": 3.5, "currency": "GBP", "amount_description": "per session"}
                ]
            },
            "£3.50 per session",
            False,
        ),
        (
            {
                "cost_options": [
                    {"option": "Adults", "amount": "4"},
                    {"option": "Children", "amount": 0},
                ]
            },
            "Adults: £4; Children: Free",
            False,
        ),
        ({"fees_description": "No charge"}, "No charge", True),
        (
            {"fees_description": "£2 a week, first session free"},
            "£2 a week, first session free",
            False,
        ),
        ({"fees_description": "Ask at reception"}, "Ask at reception", None),
        (
            {
                "fees_description": "£4 per session.",
                "cost_options": [
                    {"option": "Per session", "amount": 4},
                    {"option": "Concession", "amount": 2},
                ],
            },
            "£4 per session. Concession: £2",
            False,
        ),
        ({}, None, None),
    ],
)
def test_cost_and_is_free(service: dict[str, Any], cost: str | None, is_free: bool | None) -> None:
    rec = one(parse_services([{"id": "c", "name": "C", **service}]))
    assert (rec.cost, rec.is_free) == (cost, is_free)


def test_coordinates_and_ages() -> None:
    def at(lat: object, lon: object) -> dict[str, Any]:
        return {"service_at_locations": [{"location": {"latitude": lat, "longitude": lon}}]}

    feed = parse_services(
        [
            {"id": "1", "name": "A", **at("50.21", -5.29), "minimum_age": 18.0, "maximum_age": 200},
            {"id": "2", "name": "B", **at(50.2, None)},
        ]
    )
    a, b = feed.activities
    assert (a.latitude, a.longitude) == (50.21, -5.29)
    assert a.min_age == 18 and a.max_age is None
    assert (b.latitude, b.longitude) == (None, None)
    assert [(p.index, p.field) for p in feed.problems] == [(1, "maximum_age"), (2, "longitude")]


def test_categories_deduplicated_in_order() -> None:
    def attr(code: str | None, label: str | None, key: str = "name") -> dict[str, Any]:
        term: dict[str, Any] = {"code": code}
        if label is not None:
            term[key] = label
        return {"taxonomy_term": term}

    rec = one(
        parse_services(
            [
                {
                    "id": "t",
                    "name": "T",
                    "attributes": [
                        attr("walk", "Walking"),
                        attr("art", "Arts", key="term"),
                        attr("walk2", "Walking"),
                        attr("only-code", None),
                        {"taxonomy_term": "nope"},
                        {"value": "no term"},
                    ],
                }
            ]
        )
    )
    assert rec.categories == ["Walking", "Arts", "only-code"]
    assert rec.category_codes == ["walk", "art", "only-code"]


# --- Rows and export --------------------------------------------------------------------


def sample_records() -> list[ActivityRecord]:
    """A varied set, built the way imports build them."""
    feed = parse_services(
        [
            {
                "id": "walk-1",
                "name": "Health walk",
                "status": "active",
                "organization": {"name": "Haverleigh Walks"},
                "description": "A gentle [b]walk[/b]\nwith \x1b[1mfriends\x1b[0m",
                "schedules": [
                    {
                        "freq": "WEEKLY",
                        "byday": "TU,TH",
                        "opens_at": "10:00:00",
                        "closes_at": "11:00:00",
                        "valid_from": "2026-01-01",
                        "description": "Meet at the bandstand",
                    },
                    {"freq": "MONTHLY", "byday": "1SA", "opens_at": "09:00", "closes_at": "12:00"},
                ],
                "service_at_locations": [
                    {
                        "location": {
                            "name": "Victoria Park",
                            "latitude": 50.1,
                            "longitude": -1.25,
                            "addresses": [
                                {
                                    "address_1": "Park Road",
                                    "address_2": "East Side",
                                    "city": "Haverleigh",
                                    "postal_code": "hv15lp",
                                }
                            ],
                            "accessibility": [
                                {"description": "Level paths"},
                                {"details": "Benches"},
                            ],
                        }
                    }
                ],
                "cost_options": [{"option": "Free", "amount": 0, "currency": "GBP"}],
                "attributes": [
                    {"taxonomy_term": {"code": "walking", "name": "Walking"}},
                    {"taxonomy_term": {"code": "outdoors", "name": "Outdoors"}},
                ],
                "languages": [{"name": "English"}, {"code": "cy"}],
                "phones": [{"number": '"01632 960100"'}],
                "contacts": [
                    {"name": "Maureen", "title": "Coordinator", "email": "m@walks.example"}
                ],
                "minimum_age": 16,
                "maximum_age": 99,
                "assured_date": "2026-02-03T10:00:00Z",
                "alert": "No walk on bank holidays",
                "url": "https://walks.example",
                "eligibility_description": "Anyone who can walk 30 minutes",
                "alternate_name": "Walk for health",
                "wait_time": 0,
                "accredited": True,
                "rating": 4.5,
            },
            {
                "id": "choir-2",
                "name": "Community choir",
                "status": "temporarily closed",
                "fees_description": "£4 per session; first two free.",
                "cost_options": [
                    {
                        "option": "Concession",
                        "amount": 2,
                        "currency": "gbp",
                        "amount_description": "per session",
                    }
                ],
                "schedules": [{"description": "Term time only, evenings"}],
            },
            {"id": "fridge-3", "name": "Community fridge", "fees_description": "Ask staff"},
            {"name": "No id group", "organization": {"name": "Somewhere"}},
            {
                "id": "euro-5",
                "name": "Euro",
                "cost_options": [{"amount": 5, "currency": "EUR"}],
                "status": "defunct",
            },
        ]
    )
    assert not feed.skipped
    return feed.activities


def test_to_row_has_exactly_the_columns() -> None:
    rec = sample_records()[0]
    row = rec.to_row()
    assert tuple(row) == COLUMNS
    assert row["categories"] == '["Walking", "Outdoors"]'
    assert row["is_free"] == 1
    assert json.loads(str(row["schedules"]))[0]["opens_at"] == "10:00"
    assert row["extra"] == json.dumps(rec.extra, ensure_ascii=False, sort_keys=True)
    assert list(json.loads(str(row["extra"]))) == sorted(rec.extra)
    assert row["postcode"] == "HV1 5LP"
    assert row["description"] == rec.description
    assert "␛[1m" in str(row["description"])
    others = [r.to_row()["is_free"] for r in sample_records()[1:4]]
    assert others == [0, None, None]


def test_row_round_trip_through_from_row() -> None:
    for rec in sample_records():
        assert ActivityRecord.from_row(rec.to_row()) == rec


def test_round_trip_hand_made_set() -> None:
    records = sample_records()
    back = roundtrip(records)
    assert back.problems == []
    assert back.activities == records
    for before, after in zip(records, back.activities, strict=True):
        assert before.to_row() == after.to_row()


def test_round_trip_of_records_made_by_hand() -> None:
    # Records the app builds itself (not from a feed) survive export too.
    records = [
        ActivityRecord(source_id="h1", name="Knit and natter", is_free=True),
        ActivityRecord(source_id="h2", name="Lunch club", is_free=False, days=["FR", "MO"]),
        ActivityRecord(
            source_id="h3",
            name="Drop-in",
            schedule_text="Most weekday mornings",
            categories=["Food", "Food", "Social"],
            category_codes=["food"],
        ),
        ActivityRecord(source_id="h4", name="Bare"),
        ActivityRecord(source_id="h6", name="Members", cost="£3 for guests", is_free=True),
        ActivityRecord(
            source_id="h5",
            name="Place",
            postcode="tr14 8sh",
            latitude=50,
            longitude=-5,
            town="Camborne",
            assured_date="2026-01-02",
        ),
    ]
    assert records[0].cost == "Free"
    assert records[1].days == ["MO", "FR"] and records[1].schedule_text == "Mon, Fri"
    assert records[2].category_codes == ["food", "Social"]
    assert records[5].postcode == "TR14 8SH"
    assert roundtrip(records).activities == records


def test_export_page_shape_and_service() -> None:
    records = sample_records()
    page = export_page(r.to_row() for r in records)
    assert {k: v for k, v in page.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 1,
        "page_number": 1,
        "size": 5,
        "first_page": True,
        "last_page": True,
        "empty": False,
    }
    svc = page["contents"][0]
    # HSDS v3 ids are UUIDs: a feed id that is not one goes out derived, and kept beside it.
    assert svc["id"] == str(uuid.UUID(svc["id"])) and svc["status"] == "active"
    assert svc["x_linkworker_source_id"] == "walk-1"
    assert svc["organization"]["name"] == "Haverleigh Walks"
    # The organisation's id is a UUID that a second export of the same records repeats.
    again = export_page(r.to_row() for r in records)["contents"][0]["organization"]["id"]
    assert svc["organization"]["id"] == again == str(uuid.UUID(again))
    assert svc["schedules"][0]["opens_at"] == "10:00:00"
    assert svc["schedules"][0]["byday"] == "TU,TH"
    location = svc["service_at_locations"][0]["location"]
    assert location["name"] == "Victoria Park"
    assert location["addresses"][0] == {
        "id": location["addresses"][0]["id"],
        # As the feed split them: the street, then the area.
        "address_1": "Park Road",
        "address_2": "East Side",
        "city": "Haverleigh",
        "postal_code": "HV1 5LP",
        "state_province": "",
        "country": "GB",
        "address_type": "physical",
    }
    assert svc["cost_options"] == [
        {"id": svc["cost_options"][0]["id"], "option": "Free", "amount": 0, "currency": "GBP"}
    ]
    assert svc["languages"] == [
        {"id": svc["languages"][0]["id"], "name": "English"},
        {"id": svc["languages"][1]["id"], "name": "cy"},
    ]
    term = svc["attributes"][0]["taxonomy_term"]
    assert (term["code"], term["term"], term["taxonomy"]) == (
        "walking",
        "Walking",
        "linkworker-activities",
    )
    assert svc["minimum_age"] == 16 and svc["fees_description"] == "Free"
    assert svc["alternate_name"] == "Walk for health" and svc["accredited"] is True
    assert "x_linkworker" not in svc
    # Deterministic: the same rows give the same page.
    assert export_page(r.to_row() for r in records) == page
    json.dumps(page)  # serialisable as it stands


def test_export_accepts_decoded_rows_and_ignores_other_columns() -> None:
    rec = sample_records()[0]
    decoded = {
        **rec.model_dump(),
        "id": 17,
        "origin": "import",
        "created_at": "2026-01-01",
        "updated_at": "2026-01-02",
        "retired": 0,
        "is_free": 1,
    }
    from_text = export_page([rec.to_row()])
    assert export_page([decoded]) == from_text
    assert export_page([rec]) == from_text


def test_retired_rows_export_as_inactive() -> None:
    row = {**sample_records()[0].to_row(), "retired": 1}
    svc = export_page([row])["contents"][0]
    assert svc["status"] == "inactive"
    assert one(parse_services([svc])).status == "inactive"


def test_notes_only_when_asked() -> None:
    row = {
        **sample_records()[1].to_row(),
        "notes": "Ask for Jo",
        "favourite": 1,
        "verified_on": "2026-03-04",
        "retired": 0,
    }
    plain = export_page([row])
    assert "x_linkworker" not in plain["contents"][0]
    assert "Ask for Jo" not in json.dumps(plain)
    with_notes = export_page([row], include_notes=True)
    assert with_notes["contents"][0]["x_linkworker"] == {
        "notes": "Ask for Jo",
        "favourite": True,
        "verified_on": "2026-03-04",
    }
    # The private block does not leak into the record on re-import.
    back = one(parse_services(with_notes["contents"]))
    assert back == sample_records()[1]
    assert "x_linkworker" not in back.extra


def test_exported_page_loads_from_a_file(tmp_path: Path) -> None:
    records = sample_records()
    path = write_json(tmp_path / "export.json", export_page(r.to_row() for r in records))
    assert load_feed(path).activities == records
