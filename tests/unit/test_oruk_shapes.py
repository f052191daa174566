"""ORUK v1 and v2 pages as councils serve them (Spring-style pages of ``content``), HTML in
descriptions, and UK-profile data packages whose datapackage.json names its own files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from linkworker.formats.oruk import export_page, load_feed, parse_services

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "oruk"
EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "hsds-v3-examples"


def test_a_placecube_v2_page_imports_with_every_place_contact_and_schedule() -> None:
    feed = load_feed(FIXTURES / "placecube_v2_services.json")
    assert feed.problems == []
    walks, choir = feed.activities
    assert walks.source_id == "haverleigh-walks-1" and walks.organisation_id == "org-17"
    assert walks.description == "Friendly guided walks & a cuppa.\n\nAll welcome."
    assert [loc["id"] for loc in walks.locations] == ["loc-1", "loc-2"]
    assert walks.locations[0]["state_province"] == "Hampshire"
    assert walks.postcode == "HV1 5LP" and walks.accessibility == "Level paths"
    assert [c["name"] for c in walks.contacts] == ["Maureen", "Ravi"]
    assert walks.phone == "07700 900123"
    assert walks.eligibility == "Adults" and (walks.min_age, walks.max_age) == (18, 99)
    assert walks.languages == ["English", "Welsh"]
    assert walks.categories == ["Walking"] and walks.category_codes == ["walking"]
    assert walks.is_free is True and walks.cost_options[0]["id"] == "co-1"
    fortnightly, course = walks.schedules
    assert (fortnightly["byday"], fortnightly["interval"]) == ("TU", "2")
    assert (course["byday"], course["count"], course["dtstart"]) == ("TH", "6", "2027-01-05")
    assert walks.extra["holiday_closures"] == "closed 2026-12-24 to 2027-01-02"
    assert choir.days == ["MO"] and choir.eligibility == "Anyone who likes singing"


def test_an_outpost_v1_page_imports() -> None:
    feed = load_feed(FIXTURES / "outpost_v1_services.json")
    assert feed.problems == []
    (shed,) = feed.activities
    assert shed.source_id == "1042" and shed.organisation_id == "311"
    assert shed.description == "Woodwork and a chat.\nTools provided."
    assert shed.venue == "The Shed" and shed.postcode == "HV3 9ZZ"
    assert shed.accessibility == "Step-free access"
    assert shed.days == ["WE"] and shed.schedules[0]["opens_at"] == "09:30"
    assert shed.cost == "£2 a session" and shed.is_free is False
    assert shed.min_age == 50 and shed.contact_name == "Alan"
    assert shed.categories == ["Practical skills"] and shed.category_codes == ["8"]


def test_v2_and_v1_pages_round_trip_through_a_v3_export() -> None:
    for name in ("placecube_v2_services.json", "outpost_v1_services.json"):
        feed = load_feed(FIXTURES / name)
        back = parse_services(export_page(feed.activities)["contents"])
        assert back.problems == [] and back.activities == feed.activities


def test_html_is_stripped_only_where_there_is_markup() -> None:
    feed = parse_services(
        [
            {"id": "a", "name": "A", "description": "<ul><li>Tea</li><li>Cake</li></ul>"},
            {"id": "b", "name": "B", "description": "Ages 5 < 11 & parents > 1"},
            {"id": "c", "name": "C", "description": "<script>x()</script>Hello &eacute;"},
        ]
    )
    a, b, c = feed.activities
    assert a.description == "- Tea\n- Cake"
    assert b.description == "Ages 5 < 11 & parents > 1"
    assert c.description == "Hello é"


def test_a_uk_profile_package_reads_the_files_its_datapackage_names(tmp_path: Path) -> None:
    """address.csv and schedule.csv (the UK profile's names) are read, not skipped."""
    package = tmp_path / "pkg"
    shutil.copytree(EXAMPLES / "csv", package, symlinks=False)
    (package / "datapackage.json").unlink()
    resources = []
    for standard, uk in (("addresses", "address"), ("schedules", "schedule")):
        (package / f"{standard}.csv").rename(package / f"{uk}.csv")
        resources.append({"name": uk, "path": f"{uk}.csv"})
    for csv in sorted(package.glob("*.csv")):
        if csv.stem not in ("address", "schedule"):
            resources.append({"name": csv.stem, "path": csv.name})
    (package / "datapackage.json").write_text(json.dumps({"resources": resources}))
    uk = load_feed(package).activities[0]
    standard = load_feed(EXAMPLES / "csv").activities[0]
    assert uk.address == standard.address == "1-30 Main Street, MyVillage"
    assert uk.schedules == standard.schedules and uk.days == ["TH", "FR"]


def test_the_whole_recurrence_is_said_in_words_on_the_activity_page() -> None:
    from linkworker.directory.wording import when_lines

    walks = load_feed(FIXTURES / "placecube_v2_services.json").activities[0]
    row = walks.to_row()
    assert when_lines(row) == [  # type: ignore[arg-type]
        "every other Tuesday, 10am to 11:30am",
        "Thursdays, 2pm to 3pm, six weeks from 5 January 2027",
    ]
    monthly = parse_services(
        [
            {
                "id": "m",
                "name": "M",
                "schedules": [
                    {"freq": "MONTHLY", "bymonthday": [15], "opens_at": "14:00"},
                    {"freq": "WEEKLY", "byday": "MO", "valid_to": "2027-06-30"},
                ],
            }
        ]
    ).activities[0]
    assert when_lines(monthly.to_row()) == [  # type: ignore[arg-type]
        "the 15th of the month, from 2pm",
        "Mondays, until 30 June 2027",
    ]
